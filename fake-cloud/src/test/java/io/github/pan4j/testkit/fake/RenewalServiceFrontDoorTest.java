package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.time.Instant;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token renewal service: relay reply shapes, single-use refresh tokens, tokens valid at the open API. */
class RenewalServiceFrontDoorTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T04:00:00Z"));
  private final RenewalServiceFrontDoor service = new RenewalServiceFrontDoor();
  private final FakeCloud cloud = FakeCloud.builder().clock(clock).door(new OpenApiFrontDoor()).door(service).build().start();
  private final Account demo = OpenApiFrontDoor.demoAccount(cloud.store());
  private final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  private JsonNode renew(String refresh, String driverTxt) throws IOException {
    HttpUrl.Builder u = HttpUrl.get(service.url()).newBuilder();
    if (refresh != null) u.addQueryParameter("refresh_ui", refresh);
    u.addQueryParameter("server_use", "true").addQueryParameter("driver_txt", driverTxt);
    try (Response r = http.newCall(new Request.Builder().url(u.build()).build()).execute()) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(r.body().string());
      n.put("_status", r.code());
      return n;
    }
  }

  private int listCode(String token) throws IOException {
    Request req = new Request.Builder().url(cloud.baseUrl("open") + "/api/v2/file/list?parentFileId=0&limit=10")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + token).build();
    try (Response r = http.newCall(req).execute()) {
      return Json.mapper().readTree(r.body().string()).get("code").asInt();
    }
  }

  @Test
  void renewal_rotatesTheRefreshToken_andTheNewAccessTokenWorks() throws IOException {
    RenewalServiceFrontDoor.Login login = service.login(demo);
    assertEquals(0, listCode(login.accessToken()));
    JsonNode r = renew(login.refreshToken(), "123cloud_oa");
    assertEquals(200, r.get("_status").asInt());
    assertEquals(3, r.size(), "exactly access_token and refresh_token: " + r);
    String access = r.get("access_token").asText();
    String next = r.get("refresh_token").asText();
    assertNotEquals(login.refreshToken(), next);
    assertEquals(0, listCode(access));
    assertEquals(401, listCode(login.accessToken()), "the access token of the spent refresh token stops working");
    assertEquals(1, service.renewals());
    assertEquals(1L, cloud.counters().tokensMinted().get("renewal"));
  }

  @Test
  void spentRefreshToken_answersTheErrorReply() throws IOException {
    RenewalServiceFrontDoor.Login login = service.login(demo);
    assertEquals(200, renew(login.refreshToken(), "123cloud_oa").get("_status").asInt());
    JsonNode again = renew(login.refreshToken(), "123cloud_oa");
    assertEquals(500, again.get("_status").asInt());
    assertTrue(again.get("text").asText().contains("refresh_token"), again.toString());
    assertEquals(1, service.renewals());
    assertEquals(1, service.refused());
  }

  @Test
  void missingOrForeignParameters_areRefused() throws IOException {
    RenewalServiceFrontDoor.Login login = service.login(demo);
    assertEquals(500, renew(null, "123cloud_oa").get("_status").asInt());
    assertEquals(500, renew(login.refreshToken(), "115cloud_oa").get("_status").asInt());
    assertEquals(0, service.renewals());
    // The refresh token was not spent by the refused calls.
    assertEquals(200, renew(login.refreshToken(), "123cloud_oa").get("_status").asInt());
  }
}
