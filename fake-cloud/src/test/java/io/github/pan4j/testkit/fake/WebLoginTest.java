package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** sign_in, tokens, logout and the configurable login refusals (§4). */
class WebLoginTest {
  private final WebFixture f = new WebFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void phoneLogin_code200SuccessWithFourKeys() {
    JsonNode r = f.postTo(f.web.loginUrl(), "{\"passport\":\"13800000000\",\"password\":\"demo-password\",\"remember\":true}", null);
    assertEquals(200, r.get("code").asInt());
    assertEquals("success", r.get("message").asText());
    JsonNode d = r.get("data");
    assertEquals(List.of("token", "expire", "login_type", "refresh_token_expire_time"), fieldNames(d));
    assertEquals(3, d.get("token").asText().split("\\.").length, "JWT-looking");
    assertEquals(1, d.get("login_type").asInt());
    assertTrue(d.get("expire").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00"), d.get("expire").asText());
    assertTrue(d.get("refresh_token_expire_time").isIntegralNumber());
    assertEquals(1, f.web.loginCount());
  }

  @Test
  void token_isAJwtWithTheRecordedClaims() throws Exception {
    String token = f.login();
    String[] parts = token.split("\\.");
    JsonNode header = io.github.pan4j.core.internal.http.Json.mapper().readTree(java.util.Base64.getUrlDecoder().decode(parts[0]));
    assertEquals("HS256", header.get("alg").asText());
    JsonNode claims = io.github.pan4j.core.internal.http.Json.mapper().readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
    // the claims of a real 2023 token, no more (§4.2)
    assertEquals(new java.util.TreeSet<>(List.of("exp", "iat", "id", "nickname", "supper", "username", "v")),
        new java.util.TreeSet<>(fieldNames(claims)));
    assertEquals(f.demo.uid(), claims.get("id").asLong());
    assertEquals(Duration.ofDays(30).toSeconds(), claims.get("exp").asLong() - claims.get("iat").asLong());
  }

  @Test
  void mailLogin_needsType2() {
    JsonNode r = f.postTo(f.web.loginUrl(), "{\"mail\":\"demo@example.com\",\"password\":\"demo-password\",\"type\":2}", null);
    assertEquals(200, r.get("code").asInt());
    assertEquals(2, r.get("data").get("login_type").asInt());
    JsonNode noType = f.postTo(f.web.loginUrl(), "{\"mail\":\"demo@example.com\",\"password\":\"demo-password\"}", null);
    assertEquals(400, noType.get("code").asInt());
    JsonNode asPassport = f.postTo(f.web.loginUrl(), "{\"passport\":\"demo@example.com\",\"password\":\"demo-password\",\"remember\":true}", null);
    assertEquals(401, asPassport.get("code").asInt());
    assertEquals("请输入正确的手机号码", asPassport.get("message").asText());
  }

  @Test
  void formEncodedLogin_isTolerated() {
    Request.Builder b = new Request.Builder().url(f.web.loginUrl())
        .post(new FormBody.Builder().add("passport", "13800000000").add("password", "demo-password").add("type", "1").build());
    assertEquals(200, f.call(b, null).get("code").asInt());
  }

  @Test
  void wrongPassword_401() {
    JsonNode r = f.postTo(f.web.loginUrl(), "{\"passport\":\"13800000000\",\"password\":\"nope\",\"remember\":true}", null);
    assertEquals(401, r.get("code").asInt());
    assertEquals("账号或密码错误", r.get("message").asText());
    assertEquals(0, f.web.loginCount());
    assertEquals(1, f.web.loginAttempts());
  }

  @Test
  void configuredFailures_areServedInOrderThenLoginWorks() {
    f.web.failLogins(WebFrontDoor.LoginFailure.SECURITY_RISK, 1)
        .failLogins(WebFrontDoor.LoginFailure.CAPTCHA_REQUIRED, 1)
        .failLogins(WebFrontDoor.LoginFailure.DEVICE_LIMIT, 1)
        .failLogins(WebFrontDoor.LoginFailure.TOO_FREQUENT, 1)
        .failLogins(WebFrontDoor.LoginFailure.BLOCKED, 1);
    String body = "{\"passport\":\"13800000000\",\"password\":\"demo-password\",\"remember\":true}";
    JsonNode risk = f.postTo(f.web.loginUrl(), body, null);
    assertEquals("当前账号存在安全风险，请使用短信验证码或者微信进行登录。", risk.get("message").asText());
    assertTrue(risk.get("code").asInt() != 200);
    assertTrue(f.postTo(f.web.loginUrl(), body, null).get("message").asText().contains("验证码"));
    assertEquals("123pan forbidden", f.postTo(f.web.loginUrl(), body, null).get("message").asText());
    assertEquals("当前登录操作频繁，请稍后再试", f.postTo(f.web.loginUrl(), body, null).get("message").asText());
    assertTrue(f.postTo(f.web.loginUrl(), body, null).get("data").isTextual(), "blocked: data is a string");
    assertEquals(200, f.postTo(f.web.loginUrl(), body, null).get("code").asInt());
  }

  @Test
  void missingUnknownOrExpiredToken_code401TokenIsExpired() {
    JsonNode none = f.get("/user/info", Map.of());
    assertEquals(401, none.get("code").asInt());
    assertEquals("token is expired", none.get("message").asText());
    f.token = "a.b.c";
    assertEquals("token is expired", f.get("/user/info", Map.of()).get("message").asText());
    f.login();
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
    f.web.expireAllTokens();
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt());
  }

  @Test
  void androidProfile_expiredOrUnknownSession_code2() {
    f.platform = "android";
    f.appVersion = "61";
    f.login();
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
    f.web.expireAllTokens();
    JsonNode expired = f.get("/user/info", Map.of());
    assertEquals(2, expired.get("code").asInt(), expired.toString());
    assertEquals(WebFrontDoor.MSG_ANDROID_SESSION_EXPIRED, expired.get("message").asText());
    assertTrue(expired.get("data").isNull());
    f.token = "a.b.c";
    assertEquals(2, f.get("/user/info", Map.of()).get("code").asInt(), "unknown token");
    f.token = "garbage";
    assertEquals(2, f.get("/user/info", Map.of()).get("code").asInt(), "malformed token");
    f.token = null;
    assertEquals(2, f.get("/user/info", Map.of()).get("code").asInt(), "no token");
    f.token = "a.b.c";
    assertEquals(2, f.post("/file/info", "{\"fileIdList\":[{\"fileId\":1}]}").get("code").asInt(), "any endpoint");
    f.platform = "Android";
    assertEquals(2, f.get("/user/info", Map.of()).get("code").asInt(), "header value without case");
    f.platform = "web";
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt(), "the web profile keeps 401");
    f.platform = "open_platform";
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt());
  }

  /** The control endpoint's web revoke, as a test in another language would drive it. */
  @Test
  void controlRevoke_webTokens_atOnceOrAfterCalls() {
    String revoke = f.cloud.baseUrl("web") + "/_fake/tokens/revoke";
    f.login();
    try (okhttp3.Response r = f.raw(new okhttp3.Request.Builder().url(revoke)
        .post(okhttp3.RequestBody.create("{\"web\":true,\"afterCalls\":1}", WebFixture.JSON)).build())) {
      assertEquals(200, r.code());
    }
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt(), "one more call");
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt());
    f.login();
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt(), "the next token got one call too");
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt());
    f.web.expireTokensAfter(-1);
    f.login();
    try (okhttp3.Response r = f.raw(new okhttp3.Request.Builder().url(revoke)
        .post(okhttp3.RequestBody.create("{\"web\":true}", WebFixture.JSON)).build())) {
      assertEquals(200, r.code());
    }
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt(), "at once");
    try (okhttp3.Response r = f.raw(new okhttp3.Request.Builder().url(revoke)
        .post(okhttp3.RequestBody.create("{\"web\":true,\"afterCalls\":-2}", WebFixture.JSON)).build())) {
      assertEquals(400, r.code());
    }
  }

  @Test
  void expireAfterCalls_thenReloginWorks() {
    f.web.expireTokensAfter(2);
    f.login();
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt());
    f.login();
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
    assertEquals(2, f.web.loginCount());
  }

  @Test
  void tokenLifetime_followsCloudClock() {
    f.web.tokenLifetime(Duration.ofMinutes(10));
    f.login();
    assertEquals(0, f.get("/user/info", Map.of()).get("code").asInt());
    f.clock.advance(Duration.ofSeconds(600));
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt());
  }

  @Test
  void logout_code200AndInvalidatesToken() {
    f.login();
    JsonNode r = f.postBare("/user/logout", "{}");
    assertEquals(200, r.get("code").asInt());
    assertEquals("请重新登录！", r.get("message").asText());
    assertEquals(2, r.size(), "code and message only: " + r);
    assertEquals(401, f.get("/user/info", Map.of()).get("code").asInt());
    assertTrue(f.web.liveTokens().isEmpty());
  }

  @Test
  void userInfo_hasTheFieldsDriversRead() {
    f.login();
    f.store.createFile(f.demo.uid(), FakeStore.ROOT, "a.bin", f.store.putBlob(new byte[10]));
    JsonNode r = f.get("/user/info", Map.of());
    assertEquals(0, r.get("code").asInt());
    assertEquals("ok", r.get("message").asText());
    JsonNode d = r.get("data");
    assertEquals(f.demo.uid(), d.get("UID").asLong());
    assertEquals("demo", d.get("Nickname").asText());
    assertEquals(10, d.get("SpaceUsed").asLong());
    assertEquals(f.demo.spacePermanent(), d.get("SpacePermanent").asLong());
    assertEquals(0, d.get("SpaceTemp").asLong());
    assertEquals(1, d.get("FileCount").asLong());
    assertTrue(d.get("Vip").isBoolean());
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private JsonNode refresh(String bearer) {
    return f.postTo(f.cloud.baseUrl("web") + "/api/user/refresh_token", "{}", bearer);
  }

  @Test
  void refreshToken_sameShapeAsSignIn_newTokenWorks_oldStaysUnlessRevoking() {
    JsonNode m = f.postTo(f.web.loginUrl(), "{\"mail\":\"demo@example.com\",\"password\":\"demo-password\",\"type\":2}", null);
    String old = m.get("data").get("token").asText();
    JsonNode r = refresh(old);
    assertEquals(200, r.get("code").asInt(), r.toString());
    assertEquals("success", r.get("message").asText());
    JsonNode d = r.get("data");
    assertEquals(List.of("token", "expire", "login_type", "refresh_token_expire_time"), fieldNames(d));
    assertEquals(2, d.get("login_type").asInt(), "echoes the sign-in's type");
    String fresh = d.get("token").asText();
    assertTrue(!fresh.equals(old));
    f.token = fresh;
    assertEquals(0, f.get("/user/info", java.util.Map.of()).get("code").asInt());
    f.token = old;
    assertEquals(0, f.get("/user/info", java.util.Map.of()).get("code").asInt(), "the old token lives on by default");
    assertEquals(1, f.web.loginCount(), "a refresh is not a sign-in");
    f.web.refreshRevokesOld(true);
    String third = refresh(fresh).get("data").get("token").asText();
    f.token = fresh;
    assertEquals(401, f.get("/user/info", java.util.Map.of()).get("code").asInt());
    f.token = third;
    assertEquals(0, f.get("/user/info", java.util.Map.of()).get("code").asInt());
  }

  @Test
  void refreshToken_needsAValidToken_andCanBeSwitchedOff() throws Exception {
    assertEquals(401, refresh(null).get("code").asInt());
    String t = f.login();
    f.web.expireToken(t);
    JsonNode r = refresh(t);
    assertEquals(401, r.get("code").asInt());
    assertEquals("token is expired", r.get("message").asText());
    f.web.refreshTokenEnabled(false);
    try (okhttp3.Response res = f.raw(new okhttp3.Request.Builder().url(f.cloud.baseUrl("web") + "/api/user/refresh_token")
        .header("Authorization", "Bearer " + f.login()).post(okhttp3.RequestBody.create("{}", WebFixture.JSON)).build())) {
      assertEquals(404, res.code());
    }
  }

  @Test
  void userInfo_vipLevelAndExpiry_followTheAccount() {
    f.login();
    JsonNode free = f.get("/user/info", Map.of()).get("data");
    assertEquals(0, free.get("VipLevel").asInt());
    assertFalse(free.get("Vip").asBoolean());
    f.demo.vip(true).vipLevel(2);
    JsonNode vip = f.get("/user/info", Map.of()).get("data");
    assertEquals(2, vip.get("VipLevel").asInt());
    assertEquals("SVIP", vip.get("VipExplain").asText());
    assertEquals("2099-12-31 23:59:59", vip.get("VipExpire").asText());
  }
}
