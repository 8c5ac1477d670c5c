package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenTokenTest extends OpenFixture {

  @Test
  void accessToken_expiredAtIsRfc3339InChinaTime_thirtyDays() {
    Reply r = call("POST", "open", "/api/v1/access_token", null,
        "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}", false);
    String exp = r.data().get("expiredAt").asText();
    assertTrue(exp.endsWith("+08:00"), exp);
    assertEquals(clock.instant().plus(Duration.ofDays(30)), OffsetDateTime.parse(exp).toInstant());
    assertTrue(r.data().get("accessToken").asText().startsWith("eyJ"));
  }

  @Test
  void wrongSecret_isRefused() {
    Reply r = call("POST", "open", "/api/v1/access_token", null,
        "{\"clientID\":\"demo-client\",\"clientSecret\":\"nope\"}", false);
    assertNotEquals(0, r.code());
    assertTrue(r.data().isNull());
  }

  @Test
  void fourthToken_kicksOldest() {
    String first = token;
    issueToken();
    issueToken();
    assertEquals(0, get("/api/v1/user/info", null).code());
    issueToken();
    Reply r = get("/api/v1/user/info", null);
    assertEquals(401, r.code());
    assertEquals("tokens number has exceeded the limit", r.message());
    assertEquals(3, door.liveTokens("demo-client").size());
    assertEquals(4, door.accessTokenCalls());
    assertTrue(!door.liveTokens("demo-client").contains(first));
  }

  @Test
  void expiredOrUnknownOrMissingBearer_is401() {
    door.tokenLifetime(Duration.ofSeconds(60));
    token = issueToken();
    assertEquals(0, get("/api/v1/user/info", null).code());
    clock.advance(Duration.ofMillis(60_000));
    assertEquals(401, get("/api/v1/user/info", null).code());
    token = "garbage";
    assertEquals(401, get("/api/v1/user/info", null).code());
    assertEquals(401, call("GET", "open", "/api/v1/user/info", null, null, false).code());
  }

  @Test
  void revokedToken_is401OnNextUse() {
    assertEquals(0, get("/api/v1/user/info", null).code());
    assertTrue(door.revokeToken(token));
    assertEquals(401, get("/api/v1/user/info", null).code());
    token = issueToken();
    assertEquals(1, door.revokeAllTokens("demo-client"));
    assertEquals(401, get("/api/v1/user/info", null).code());
  }

  @Test
  void oauthRefresh_isUnenveloped_singleUse_andInvalidatesOldAccessToken() {
    String rt = door.issueRefreshToken(demo, "app-1", "app-secret");
    Map<String, String> q = Map.of("client_id", "app-1", "client_secret", "app-secret",
        "grant_type", "refresh_token", "refresh_token", rt);
    Reply inBody = call("POST", "open", "/api/v1/oauth2/access_token", null,
        "{\"client_id\":\"app-1\",\"client_secret\":\"app-secret\",\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + rt + "\"}", false);
    assertEquals("client_id不能为空", inBody.message(), "the parameters belong in the query; the answer says which is missing");
    Reply first = call("POST", "open", "/api/v1/oauth2/access_token", q, null, false);
    assertTrue(first.body().has("access_token"), first.raw());
    assertEquals("Bearer", first.body().get("token_type").asText());
    assertEquals(7200, first.body().get("expires_in").asLong());
    token = first.body().get("access_token").asText();
    assertEquals(0, get("/api/v1/user/info", null).code());

    Reply reused = call("POST", "open", "/api/v1/oauth2/access_token", q, null, false);
    assertEquals(401, reused.code());

    String rt2 = first.body().get("refresh_token").asText();
    Reply second = call("POST", "open", "/api/v1/oauth2/access_token", Map.of("client_id", "app-1",
        "client_secret", "app-secret", "grant_type", "refresh_token", "refresh_token", rt2), null, false);
    assertTrue(second.body().has("access_token"));
    assertEquals(401, get("/api/v1/user/info", null).code());
    token = second.body().get("access_token").asText();
    assertEquals(0, get("/api/v1/user/info", null).code());
  }

  /** A code as the user's consent on the authorise page gives it, through the control endpoint. */
  private String consent(String app, String secret, String redirectUri) {
    Reply g = call("POST", "open", "/_fake/oauth/grant", null, "{\"clientId\":\"" + app + "\",\"clientSecret\":\"" + secret
        + "\",\"redirectUri\":\"" + redirectUri + "\"}", false);
    assertEquals(200, g.status(), g.raw());
    return g.body().get("code").asText();
  }

  private Reply redeem(String app, String secret, String code, String redirectUri) {
    return call("POST", "open", "/api/v1/oauth2/access_token", Map.of("client_id", app, "client_secret", secret,
        "grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri), null, false);
  }

  @Test
  void authorizationCode_isRedeemedOnlyByItsAppWithItsRedirectUri() {
    consent("app-2", "secret-2", "https://two.example/cb"); // registers the second app
    String code = consent("app-1", "secret-1", "https://one.example/cb");
    Reply otherApp = redeem("app-2", "secret-2", code, "https://one.example/cb");
    assertEquals(401, otherApp.body().path("code").asInt(), "another app's code: " + otherApp.raw());
    assertEquals("code无效", otherApp.body().path("message").asText());
    assertTrue(redeem("app-1", "secret-1", code, "https://one.example/cb").body().has("code"),
        "a code refused once is spent");

    for (String wrong : new String[] {"https://evil.example/cb", "https://one.example/cb/", "https://one.example/CB"}) {
      Reply r = redeem("app-1", "secret-1", consent("app-1", "secret-1", "https://one.example/cb"), wrong);
      assertEquals(401, r.body().path("code").asInt(), wrong + ": " + r.raw());
      assertEquals("code无效", r.body().path("message").asText());
    }

    Reply ok = redeem("app-1", "secret-1", consent("app-1", "secret-1", "https://one.example/cb"), "https://one.example/cb");
    assertTrue(ok.body().has("access_token"), ok.raw());
    token = ok.body().get("access_token").asText();
    assertEquals(0, get("/api/v1/user/info", null).code());
  }
}
