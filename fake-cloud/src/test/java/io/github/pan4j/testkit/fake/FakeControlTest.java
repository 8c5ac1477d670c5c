package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.util.List;
import java.time.Instant;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control endpoint under /_fake/, driven over HTTP as a client in another language would. */
class FakeControlTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T04:00:00Z"));
  private final OpenApiFrontDoor open = new OpenApiFrontDoor();
  private final FakeCloud cloud = FakeCloud.builder().clock(clock).door(open).door(new WebFrontDoor())
      .door(new VipCdnFrontDoor()).build().start();
  private final Account demo = OpenApiFrontDoor.demoAccount(cloud.store());
  private final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  private JsonNode call(String method, String server, String path, String json, String token) throws IOException {
    Request.Builder b = new Request.Builder().url(cloud.baseUrl(server) + path).header("Platform", "open_platform");
    if (token != null) b.header("Authorization", "Bearer " + token);
    b.method(method, json == null ? null : RequestBody.create(json, MediaType.get("application/json")));
    try (Response r = http.newCall(b.build()).execute()) {
      String body = r.body().string();
      JsonNode n = Json.mapper().readTree(body);
      ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_status", r.code());
      return n;
    }
  }

  private String token() throws IOException {
    return call("POST", "open", "/api/v1/access_token", "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}", null)
        .get("data").get("accessToken").asText();
  }

  private JsonNode list(String token) throws IOException {
    return call("GET", "open", "/api/v2/file/list?parentFileId=0&limit=10", null, token);
  }

  @Test
  void seed_fillsANewFolderOfThatAccount_andRefusesBadInput() throws IOException {
    JsonNode r = call("POST", "open", "/_fake/seed", "{\"clientId\":\"demo-client\",\"folder\":\"big\",\"files\":250}", null);
    assertEquals(200, r.get("_status").asInt());
    long folder = r.get("folderId").asLong();
    java.util.List<Node> children = cloud.store().children(demo.uid(), folder, false);
    assertEquals(250, children.size());
    assertEquals("f0", children.get(0).name());
    assertEquals(1, children.get(249).size());
    // The listing API sees them (one page of 100).
    JsonNode page = call("GET", "open", "/api/v2/file/list?parentFileId=" + folder + "&limit=100", null, token());
    assertEquals(100, page.get("data").get("fileList").size());
    assertEquals(400, call("POST", "open", "/_fake/seed", "{\"clientId\":\"demo-client\",\"folder\":\"big\",\"files\":1}", null)
        .get("_status").asInt(), "the folder exists");
    assertEquals(400, call("POST", "open", "/_fake/seed", "{\"clientId\":\"nobody\",\"folder\":\"x\",\"files\":1}", null)
        .get("_status").asInt());
    assertEquals(400, call("POST", "open", "/_fake/seed", "{\"folder\":\"a/b\",\"files\":1}", null).get("_status").asInt());
  }

  @Test
  void counters_tokensRequestsAnd429s() throws IOException {
    String t = token();
    token();
    list(t);
    JsonNode c = call("GET", "vip", "/_fake/counters", null, null);
    assertEquals(200, c.get("_status").asInt());
    assertEquals(2, c.get("tokensMinted").get("open").asInt());
    assertEquals(2, c.get("liveTokens").get("demo-client").asInt());
    assertEquals(1, c.get("requests").get("open GET /api/v2/file/list").asInt());
    assertEquals(2, c.get("requests").get("open POST /api/v1/access_token").asInt());
    assertTrue(c.get("requests").path("vip GET /_fake/counters").isMissingNode(), "control calls are not counted");
    assertEquals(0, c.get("served429").asInt());
    assertEquals(0, cloud.requests("vip", "/_fake").size(), "nor logged");
    call("POST", "open", "/_fake/counters/reset", "{}", null);
    assertEquals(0, call("GET", "open", "/_fake/counters", null, null).get("requests").size());
  }

  @Test
  void overLimit_countedEvenWithLimitsOff_and429Counted() throws IOException {
    String t = token();
    for (int i = 0; i < 6; i++) list(t);
    JsonNode c = call("GET", "open", "/_fake/counters", null, null);
    assertEquals(1, c.get("served429").asInt());
    assertEquals(1, c.get("overLimit").get("open /api/v2/file/list").asInt());
    open.qpsEnabled(false);
    assertEquals(0, list(t).get("code").asInt());
    c = call("GET", "open", "/_fake/counters", null, null);
    assertEquals(2, c.get("overLimit").get("open /api/v2/file/list").asInt(), "over the limit although served");
    assertEquals(1, c.get("served429").asInt());
  }

  @Test
  void faults_429Html502DropAndClear() throws IOException {
    String t = token();
    JsonNode r = call("POST", "open", "/_fake/faults", "{\"server\":\"open\",\"path\":\"/api/v2/file/list\",\"kind\":\"429\",\"times\":2}", null);
    assertEquals(2, r.get("pending").asInt());
    JsonNode first = list(t);
    assertEquals(200, first.get("_status").asInt());
    assertEquals(429, first.get("code").asInt());
    assertEquals(429, list(t).get("code").asInt());
    assertEquals(0, list(t).get("code").asInt());
    assertEquals(2, call("GET", "open", "/_fake/counters", null, null).get("served429").asInt());

    call("POST", "open", "/_fake/faults", "{\"path\":\"/api/v2/*\",\"kind\":\"html502\"}", null);
    Request raw = new Request.Builder().url(cloud.baseUrl("open") + "/api/v2/file/list?parentFileId=0&limit=10")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + t).build();
    try (Response resp = http.newCall(raw).execute()) {
      assertEquals(502, resp.code());
      assertTrue(resp.body().string().contains("openresty"));
    }
    call("POST", "open", "/_fake/faults", "{\"kind\":\"drop\",\"times\":1}", null);
    assertThrows(IOException.class, () -> http.newBuilder().retryOnConnectionFailure(false).build().newCall(raw).execute().close());
    call("POST", "open", "/_fake/faults", "{\"kind\":\"500\",\"times\":5}", null);
    assertEquals(5, call("GET", "open", "/_fake/faults", null, null).get("pending").asInt());
    call("DELETE", "open", "/_fake/faults", null, null);
    assertEquals(0, list(t).get("code").asInt());
  }

  @Test
  void oauthGrant_givesACodeAndARefreshTokenThatTheTokenEndpointTakes() throws IOException {
    JsonNode g = call("POST", "open", "/_fake/oauth/grant",
        "{\"clientId\":\"app\",\"clientSecret\":\"s3\",\"redirectUri\":\"http://a\"}", null);
    assertEquals(200, g.get("_status").asInt(), g.toString());
    String base = "/api/v1/oauth2/access_token?client_id=app&client_secret=s3";
    JsonNode byCode = call("POST", "open", base + "&grant_type=authorization_code&redirect_uri=http%3A%2F%2Fa&code="
        + g.get("code").asText(), "", null);
    assertEquals("Bearer", byCode.get("token_type").asText(), byCode.toString());
    JsonNode info = call("GET", "open", "/api/v1/user/info", null, byCode.get("access_token").asText());
    assertEquals(demo.uid(), info.get("data").get("uid").asLong(), "the token is the demo account's");
    JsonNode byRefresh = call("POST", "open", base + "&grant_type=refresh_token&refresh_token=" + g.get("refreshToken").asText(), "", null);
    assertTrue(byRefresh.hasNonNull("access_token"), byRefresh.toString());
    JsonNode noRedirect = call("POST", "open", "/_fake/oauth/grant", "{\"clientId\":\"app\",\"clientSecret\":\"s3\"}", null);
    assertTrue(noRedirect.hasNonNull("refreshToken"), noRedirect.toString());
    assertTrue(!noRedirect.has("code"), "a code belongs to an authorisation's redirect_uri: " + noRedirect);
    assertEquals(400, call("POST", "open", "/_fake/oauth/grant", "{\"clientId\":\"app\"}", null).get("_status").asInt());
    assertEquals(400, call("POST", "open", "/_fake/oauth/grant", "{\"clientId\":\"app\",\"clientSecret\":\"s\",\"account\":\"nobody\"}", null)
        .get("_status").asInt());
  }

  @Test
  void faults_thatCarryTheWriteOut_thenLoseItsAnswer() throws IOException {
    String t = token();
    OkHttpClient once = http.newBuilder().retryOnConnectionFailure(false).build();
    String[] kinds = {"lostReply", "cutReply", "DROPPEDREPLY"};
    for (String kind : kinds) {
      call("POST", "open", "/_fake/faults", "{\"path\":\"/upload/v1/file/mkdir\",\"kind\":\"" + kind + "\"}", null);
      Request mkdir = new Request.Builder().url(cloud.baseUrl("open") + "/upload/v1/file/mkdir")
          .header("Platform", "open_platform").header("Authorization", "Bearer " + t)
          .post(okhttp3.RequestBody.create("{\"name\":\"d-" + kind + "\",\"parentID\":0}",
              okhttp3.MediaType.get("application/json"))).build();
      String answer;
      try (Response resp = once.newCall(mkdir).execute()) {
        answer = resp.code() + " " + resp.body().string();
      } catch (IOException dropped) {
        answer = "dropped";
      }
      switch (kind) {
        case "lostReply" -> assertTrue(answer.startsWith("502 ") && answer.contains("openresty"), answer);
        case "cutReply" -> assertTrue(answer.startsWith("200 {") && !answer.endsWith("}"), answer);
        default -> assertEquals("dropped", answer);
      }
    }
    List<String> made = cloud.store().children(demo.uid(), 0, false).stream().map(Node::name).sorted().toList();
    assertEquals(List.of("d-DROPPEDREPLY", "d-cutReply", "d-lostReply"), made, "each mkdir was carried out");
    assertEquals(400, call("POST", "open", "/_fake/faults", "{\"kind\":\"lost\"}", null).get("_status").asInt());
  }

  @Test
  void faults_http401_isARawStatusWithoutEnvelope() throws IOException {
    String t = token();
    call("POST", "open", "/_fake/faults", "{\"path\":\"/api/v2/file/list\",\"kind\":\"http401\"}", null);
    Request raw = new Request.Builder().url(cloud.baseUrl("open") + "/api/v2/file/list?parentFileId=0&limit=10")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + t).build();
    try (Response resp = http.newCall(raw).execute()) {
      assertEquals(401, resp.code());
      assertEquals("Unauthorized", resp.body().string());
    }
    assertEquals(0, list(t).get("code").asInt(), "once");
  }

  @Test
  void revokeTokens_badRequests_andOffline() throws IOException {
    String t = token();
    JsonNode r = call("POST", "open", "/_fake/tokens/revoke", "{\"clientId\":\"demo-client\"}", null);
    assertEquals(1, r.get("open").asInt());
    JsonNode after = list(t);
    assertEquals(401, after.get("code").asInt());
    assertEquals("tokens number has exceeded the limit", after.get("message").asText());
    assertEquals(400, call("POST", "open", "/_fake/faults", "{\"kind\":\"teapot\"}", null).get("_status").asInt());
    assertEquals(400, call("POST", "open", "/_fake/faults", "{\"server\":\"mars\",\"kind\":\"500\"}", null).get("_status").asInt());
    JsonNode f = call("POST", "open", "/_fake/offline/fail", "{\"times\":2,\"reason\":\"gone\"}", null);
    assertEquals(200, f.get("_status").asInt());
    assertEquals(2, f.get("pending").asInt());
    assertEquals(400, call("POST", "open", "/_fake/offline/fail", "{\"times\":0}", null).get("_status").asInt());
    assertEquals(0, call("GET", "open", "/_fake/offline/tasks", null, null).get("tasks").size());
    assertEquals(404, call("GET", "open", "/_fake/nope", null, null).get("_status").asInt());
  }
}
