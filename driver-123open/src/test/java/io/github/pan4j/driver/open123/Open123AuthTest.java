package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.AuthenticationException;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Open123AuthTest extends Open123Fixture {

  @Test
  void mountsOfOneAccount_shareOneTokenManagerAndLimiter() {
    Open123Driver a = driver();
    Open123Driver b = driver();
    assertSame(a.api().tokens(), b.api().tokens());
    assertSame(a.api().limiter(), b.api().limiter());
    a.list("0", null);
    b.list("0", null);
    assertEquals(1, door.accessTokenCalls());
  }

  @Test
  void wrongSecret_failsNow_evenWithACachedToken() {
    driver().list("0", null);
    DriveException e = assertThrows(DriveException.class, () -> driver("clientSecret", "not-the-secret").list("0", null));
    assertEquals(ErrorKind.UNAUTHENTICATED, e.kind(), e.toString());
    assertEquals(2, calls("open", "/api/v1/access_token"), "the wrong secret was tried, the cached token not used");
    assertEquals(1, door.accessTokenCalls(), "and refused");
    driver().list("0", null); // the right secret still has its token
    assertEquals(2, calls("open", "/api/v1/access_token"));
  }

  @Test
  void anotherServer_neverSeesTheCachedToken() {
    driver().list("0", null);
    String first = door.issuedTokens().get(0);
    OpenApiFrontDoor otherDoor = new OpenApiFrontDoor();
    try (FakeCloud other = FakeCloud.builder().clock(clock).door(otherDoor).build().start()) {
      OpenApiFrontDoor.demoAccount(other.store());
      driver("apiBaseUrl", other.baseUrl("open")).list("0", null);
      assertEquals(1, otherDoor.accessTokenCalls(), "a token of its own for the other server");
      for (FakeCloud.LoggedRequest r : other.requests()) {
        String auth = r.header("Authorization");
        assertFalse(auth != null && auth.contains(first), "the first server's token went to " + r.path());
      }
    }
  }

  @Test
  void twoDriversOnOneTokenStore_mintOneToken() {
    driver().list("0", null);
    driver().list("0", null); // a "restart": new driver, same store
    assertEquals(1, door.accessTokenCalls());
    assertTrue(tokenStore.load(storeKey()).isPresent());
  }

  @Test
  void tokenRevoked_refreshesOnceAndRetries() {
    Open123Driver d = driver();
    d.list("0", null);
    door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID);
    d.list("0", null);
    assertEquals(2, door.accessTokenCalls());
  }

  @Test
  void tokenNearExpiry_isRenewedBeforeUse() {
    door.tokenLifetime(Duration.ofMinutes(10));
    Open123Driver d = driver();
    d.list("0", null);
    clock.advance(Duration.ofMinutes(6)); // inside the 5-minute renewal margin
    d.list("0", null);
    assertEquals(2, door.accessTokenCalls());
    assertEquals(0, cloud.requests().stream().filter(r -> r.path().startsWith("/api/v2")).filter(r -> r.status() != 200).count());
  }

  @Test
  void rejectedAgainAfterRefresh_isUnauthenticatedWithServerMessage() {
    Open123Driver d = driver();
    d.list("0", null);
    // Every access token is revoked as soon as it is used: the refresh cannot help.
    door.failNext("/api/v2/file/list", 2, 401, "tokens number has exceeded the limit");
    AuthenticationException e = assertThrows(AuthenticationException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
    assertEquals("tokens number has exceeded the limit", e.providerMessage().orElseThrow());
    assertEquals("401", e.providerCode().orElseThrow());
    assertTrue(e.traceId().isPresent());
    assertEquals(2, door.accessTokenCalls()); // exactly one refresh
  }

  @Test
  void pastedTokenWithoutCredentials_usedUntilRejected() {
    Open123Driver minting = driver();
    minting.list("0", null);
    String token = door.issuedTokens().get(0);
    Open123Driver pasted = driver("clientId", null, "clientSecret", null, "accessToken", token);
    pasted.list("0", null);
    door.revokeToken(token);
    DriveException e = assertThrows(DriveException.class, () -> pasted.list("0", null));
    assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
    assertTrue(e.getMessage().contains("paste a new accessToken"), e.getMessage());
    assertEquals(1, door.accessTokenCalls());
  }

  @Test
  void internalErrorAtTheTokenRequest_isTransient_notWrongCredentials() {
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.ACCESS_TOKEN), io.github.pan4j.testkit.fake.Fault.response(
        "internal error", new mockwebserver3.MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body("{\"code\":1,\"message\":\"内部错误\",\"data\":null,\"x-traceID\":\"tr-1\"}").build()), 20);
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e.getMessage());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("retry in a moment"), e.getMessage());
    assertFalse(e.getMessage().contains("clientSecret"), e.getMessage());
    assertEquals("tr-1", e.traceId().orElseThrow());
    cloud.clearFaults();
    clock.advance(Duration.ofMinutes(10));
    d.list("0", null);
  }

  @Test
  void wrongSecret_isUnauthenticatedWithoutTheSecret() {
    Open123Driver d = driver("clientSecret", "wrong-secret-value");
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
    assertTrue(e.getMessage().contains("clientSecret"), e.getMessage());
    assertTrue(!e.getMessage().contains("wrong-secret-value"), e.getMessage());
  }

  @Test
  void oauthRefreshToken_isSpentOnceAndPersisted() {
    String refresh = door.issueRefreshToken(demo, "oauth-app", "oauth-secret");
    Open123Driver d = driver("clientId", "oauth-app", "clientSecret", "oauth-secret", "refreshToken", refresh);
    d.list("0", null);
    String stored = tokenStore.load(storeKey("clientId", "oauth-app", "clientSecret", "oauth-secret")).orElseThrow().refreshToken().reveal();
    assertTrue(!stored.equals(refresh), "a new single-use refresh token was stored");
    // A restart with the same (now spent) configured refresh token continues from the stored one.
    Open123Driver again = driver("clientId", "oauth-app", "clientSecret", "oauth-secret", "refreshToken", refresh);
    again.list("0", null);
    assertEquals(1, cloud.requests("open", "/api/v1/oauth2/access_token").size());
  }

  /**
   * An unknown (or spent) refresh token, refused in either shape the fake offers for the OAuth endpoint (the real
   * one is not known): the usual envelope, or RFC 6749's error/error_description with HTTP 400.
   * Either way the driver says the token could not be renewed, keeps 123's text, and asks once.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(OpenApiFrontDoor.OAuthErrorShape.class)
  void oauthRefreshRefused_eitherShape_isUnauthenticatedWithTheText(OpenApiFrontDoor.OAuthErrorShape shape) {
    door.oauthErrorShape(shape);
    door.oauthApp("oauth-app", "oauth-secret");
    String refresh = "refresh-token-123-never-issued";
    Open123Driver d = driver("clientId", "oauth-app", "clientSecret", "oauth-secret", "refreshToken", refresh);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.UNAUTHENTICATED, e.kind(), e.toString());
    assertEquals("refresh_token无效", e.providerMessage().orElse(null), e.toString());
    assertTrue(!e.toString().contains(refresh), "the refresh token stays out of the error");
    assertEquals(1, cloud.requests("open", "/api/v1/oauth2/access_token").size(), "asked once");
  }
}
