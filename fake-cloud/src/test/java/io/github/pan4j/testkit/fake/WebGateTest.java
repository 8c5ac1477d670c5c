package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What every /b/api call passes first: the signing parameter, the token and the rate limits. */
class WebGateTest {
  private final WebFixture f = new WebFixture();

  @BeforeEach
  void setUp() {
    f.login();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void unsigned_acceptedByDefault() {
    f.sign = false;
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
  }

  @Test
  void signed_valid_isAccepted_badOne_is签名错误() {
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
    HttpUrl bad = HttpUrl.get(f.web.apiBase() + "/user/info").newBuilder().addQueryParameter("883022862", "1700000000-5000000-1141473329").build();
    JsonNode r = f.call(new Request.Builder().url(bad), f.token);
    assertEquals(400, r.get("code").asInt());
    assertEquals("签名错误", r.get("message").asText());
  }

  /**
   * The six worked vectors of docs/protocol/123web.md §3.2, sent verbatim over HTTP with the
   * signature required and no freshness window: each passes the gate (the call then answers what
   * it answers without it), and the same URL with V off by one is {@code 签名错误}.
   */
  @ParameterizedTest
  @CsvSource({
      "GET, /b/api/file/list/new, 2543441651=1767196800-1234567-3144878440, parentFileId=0&Page=1&limit=100, 0",
      "GET, /b/api/user/info, 883022862=1700000000-5000000-1141473329, '', 0",
      "GET, /b/api/share/get, 3628102967=1735689600-0-1615469430, shareKey=no-suchKey1&parentFileId=0&Page=1&limit=100, 5103",
      "POST, /b/api/file/download_info, 3010121711=1735660799-10000000-3216294468, '', 5066",
      "POST, /b/api/share/download/info, 2543441651=1767196800-1234567-1817223802, '', 5103",
      "GET, /b/api/user/info, 3824721099=1722610122-3353889-561849129, '', 0"})
  void workedVectors_passTheGateVerbatim_tamperedOnesDoNot(String method, String path, String signature, String query, int code) {
    f.web.signatureMode(WebFrontDoor.SignatureMode.REQUIRED).signatureWindow(null);
    String base = f.cloud.baseUrl("web") + path + "?" + (query.isEmpty() ? "" : query + "&");
    okhttp3.RequestBody body = okhttp3.RequestBody.create("{\"fileId\":987654,\"shareKey\":\"no-suchKey1\"}", WebFixture.JSON);
    JsonNode ok = f.call(new Request.Builder().url(base + signature).method(method, method.equals("POST") ? body : null), f.token);
    assertEquals(code, ok.get("code").asInt(), ok.toString());
    String[] kv = signature.split("=");
    String[] parts = kv[1].split("-");
    String tampered = kv[0] + "=" + parts[0] + "-" + parts[1] + "-" + (Long.parseLong(parts[2]) + 1);
    JsonNode bad = f.call(new Request.Builder().url(base + tampered).method(method, method.equals("POST") ? body : null), f.token);
    assertEquals("签名错误", bad.get("message").asText(), bad.toString());
  }

  @Test
  void signatureWithATimestampPastYear9999_is签名错误_notAServerFailure() {
    f.web.signatureWindow(null); // no freshness check: the value itself must be judged
    for (String ts : List.of("253402271999", "253402272000", "999999999999")) {
      HttpUrl u = HttpUrl.get(f.web.apiBase() + "/user/info").newBuilder().addQueryParameter("2543441651", ts + "-1-1").build();
      JsonNode r = f.call(new Request.Builder().url(u), f.token); // HTTP 200 with the envelope
      assertEquals("签名错误", r.get("message").asText(), ts);
    }
  }

  @Test
  void signedForAnotherPath_isRejected() {
    f.clock.advance(Duration.ofSeconds(1));
    HttpUrl u = WebSignature.signUrl(HttpUrl.get(f.web.apiBase() + "/file/info"), f.clock.instant(), 1);
    String q = u.encodedQuery();
    JsonNode r = f.call(new Request.Builder().url(f.web.apiBase() + "/user/info?" + q), f.token);
    assertEquals("签名错误", r.get("message").asText());
  }

  @Test
  void staleSignature_isRejected_windowConfigurable() {
    HttpUrl u = WebSignature.signUrl(HttpUrl.get(f.web.apiBase() + "/user/info"), f.clock.instant().minusSeconds(1300), 7);
    assertEquals("签名错误", f.call(new Request.Builder().url(u), f.token).get("message").asText());
    f.web.signatureWindow(Duration.ofHours(1));
    assertEquals(0, f.call(new Request.Builder().url(u), f.token).get("code").asInt());
  }

  @Test
  void strictMode_requiresSignature_missingOneIsAuthKeyEmpty_wrongOneIs签名错误() {
    f.web.signatureMode(WebFrontDoor.SignatureMode.REQUIRED).signatureErrorCode(1);
    f.sign = false;
    JsonNode r = f.get("/user/info", Map.of());
    assertEquals(1, r.get("code").asInt());
    assertEquals("签名错误:auth-key empty", r.get("message").asText());
    JsonNode share = f.post("/share/download/info", "{\"shareKey\":\"abc\",\"fileId\":1}");
    assertEquals("签名错误:auth-key empty", share.get("message").asText(), "share calls too");
    HttpUrl bad = HttpUrl.get(f.web.apiBase() + "/user/info").newBuilder().addQueryParameter("883022862", "1700000000-5000000-1141473329").build();
    JsonNode wrong = f.call(new Request.Builder().url(bad), f.token);
    assertEquals(1, wrong.get("code").asInt());
    assertEquals("签名错误", wrong.get("message").asText());
    f.sign = true;
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
  }

  @Test
  void rateLimiting_offByDefault_anUnpacedClientListsFreely() {
    Map<String, String> q = WebFixture.listQuery(0, 1, 100);
    Request.Builder req = new Request.Builder().url(f.url("/file/list/new", q));
    for (int i = 0; i < 6; i++) assertEquals(0, f.call(req, f.token).get("code").asInt(), "call " + i);
  }

  @Test
  void rateLimit_isPerToken_andNotSpentByRefusedCalls() {
    f.web.rateLimiting(true);
    String first = f.token;
    String second = f.login();
    Map<String, String> q = WebFixture.listQuery(0, 1, 100);
    Request.Builder req = new Request.Builder().url(f.url("/file/list/new", q));
    // anonymous and unknown-token calls are refused before the limiter and spend nothing
    for (int i = 0; i < 3; i++) assertEquals(401, f.call(req, null).get("code").asInt());
    for (int i = 0; i < 3; i++) assertEquals(401, f.call(req, "a.b.c").get("code").asInt());
    // nor does a call with a bad signature
    HttpUrl bad = HttpUrl.get(f.web.apiBase() + "/file/list/new").newBuilder().addQueryParameter("883022862", "1700000000-5000000-1141473329").build();
    assertEquals(400, f.call(new Request.Builder().url(bad), first).get("code").asInt());
    assertEquals(0, f.call(req, first).get("code").asInt());
    assertEquals(0, f.call(req, first).get("code").asInt());
    assertEquals(429, f.call(req, first).get("code").asInt());
    assertEquals(0, f.call(req, second).get("code").asInt(), "another caller has a bucket of its own");
    assertEquals(0, f.call(req, second).get("code").asInt());
    assertEquals(429, f.call(req, second).get("code").asInt());
  }

  @Test
  void throttledCall_doesNotCountAgainstTheTokensCallBudget() {
    f.web.rateLimiting(true);
    Map<String, String> q = WebFixture.listQuery(0, 1, 100);
    Request.Builder req = new Request.Builder().url(f.url("/file/list/new", q));
    f.web.expireTokensAfter(3);
    assertEquals(0, f.call(req, f.token).get("code").asInt());
    assertEquals(0, f.call(req, f.token).get("code").asInt());
    assertEquals(429, f.call(req, f.token).get("code").asInt());
    f.clock.advance(Duration.ofMillis(700));
    assertEquals(0, f.call(req, f.token).get("code").asInt(), "the 429 was not the token's third call");
    f.clock.advance(Duration.ofMillis(700));
    assertEquals(401, f.call(req, f.token).get("code").asInt());
  }

  @Test
  void list_burstBeyondOnePer700ms_is429_thenRecovers() {
    f.web.rateLimiting(true);
    Map<String, String> q = WebFixture.listQuery(0, 1, 100);
    Request.Builder req = new Request.Builder().url(f.url("/file/list/new", q));
    assertEquals(0, f.call(req, f.token).get("code").asInt());
    assertEquals(0, f.call(req, f.token).get("code").asInt());
    JsonNode third = f.call(req, f.token);
    assertEquals(429, third.get("code").asInt());
    f.clock.advance(Duration.ofMillis(700));
    assertEquals(0, f.call(req, f.token).get("code").asInt());
    assertEquals(429, f.call(req, f.token).get("code").asInt());
  }

  @Test
  void pacedAt700ms_neverLimited_andSwitchOff() {
    Map<String, String> q = WebFixture.listQuery(0, 1, 100);
    f.web.rateLimiting(true);
    for (int i = 0; i < 10; i++) {
      assertEquals(0, f.call(new Request.Builder().url(f.url("/file/list/new", q)), f.token).get("code").asInt());
      f.clock.advance(Duration.ofMillis(700));
    }
    f.web.rateLimit(WebFrontDoor.API + "/file/list/new", Duration.ofSeconds(10), 1);
    assertEquals(0, f.call(new Request.Builder().url(f.url("/file/list/new", q)), f.token).get("code").asInt());
    assertEquals(429, f.call(new Request.Builder().url(f.url("/file/list/new", q)), f.token).get("code").asInt());
    f.web.rateLimiting(false);
    assertEquals(0, f.call(new Request.Builder().url(f.url("/file/list/new", q)), f.token).get("code").asInt());
  }

  @Test
  void otherEndpoints_unlimitedByDefault_configurable() {
    Request.Builder req = new Request.Builder().url(f.url("/user/info", Map.of()));
    f.web.rateLimiting(true);
    for (int i = 0; i < 20; i++) assertEquals(0, f.call(req, f.token).get("code").asInt());
    f.web.rateLimit(WebFrontDoor.API + "/user/info", Duration.ofSeconds(1), 1);
    assertEquals(0, f.call(req, f.token).get("code").asInt());
    assertEquals(429, f.call(req, f.token).get("code").asInt());
  }

  @Test
  void injectedBusinessError_isAnEnvelope() {
    f.cloud.inject("web", r -> r.path().endsWith("/user/info"), WebFrontDoor.businessError(1010, "download err"), 1);
    JsonNode r = f.get("/user/info", Map.of());
    assertEquals(1010, r.get("code").asInt());
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
  }

  /** The token as a raw {@code Authorization} value, signed as the fixture signs every call. */
  private JsonNode userInfoWith(String authorization) {
    Request.Builder b = new Request.Builder().url(WebSignature.signUrl(HttpUrl.get(f.web.apiBase() + "/user/info"), f.clock.instant(), 3));
    if (authorization != null) b.header("Authorization", authorization);
    return f.call(b, null);
  }

  @Test
  void authorization_isBearerAndOneSpace_byDefault_otherFormsFindNoSession() {
    assertEquals(0, userInfoWith("Bearer " + f.token).get("code").asInt());
    for (String other : List.of(f.token, "Bearer" + f.token, "bearer " + f.token, "BEARER " + f.token, "Bearer  " + f.token)) {
      JsonNode r = userInfoWith(other);
      assertEquals(401, r.get("code").asInt(), other.replace(f.token, "<token>") + ": " + r);
    }
    assertEquals(401, userInfoWith("Bearer").get("code").asInt(), "Bearer alone is anonymous");
  }

  @Test
  void authorization_anyCaseScheme_isASetting() {
    f.web.bearerScheme(OpenApiFrontDoor.BearerScheme.ANY_CASE);
    for (String form : List.of("bearer " + f.token, "BEARER " + f.token, "Bearer   " + f.token)) {
      assertEquals(0, userInfoWith(form).get("code").asInt(), form.replace(f.token, "<token>"));
    }
    assertEquals(401, userInfoWith(f.token).get("code").asInt(), "a bare token names no scheme");
    assertEquals(401, userInfoWith("Bearer" + f.token).get("code").asInt(), "no space after the scheme");
  }
}
