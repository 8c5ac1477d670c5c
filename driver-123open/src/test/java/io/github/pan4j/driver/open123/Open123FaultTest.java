package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.RenewalServiceFrontDoor;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of 123open operations, over HTTP against the fake: a token revoked between
 * two calls of one operation, replies lost after a write went through, gateway pages with a trace id.
 */
class Open123FaultTest extends Open123Fixture {

  private Node file(long parent, String name) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(name.getBytes()));
  }

  private static String id(Node n) {
    return Long.toString(n.id());
  }

  /** Requests the fake served on {@code server} whose path is exactly {@code path} (with the leading slash). */
  private long served(String server, String endpoint) {
    return calls(server, "/" + endpoint);
  }

  // ------------------------------------------------------------------ token renewal

  @Test
  void oauthRefresh_whoseReplyWasLost_isSentOnce_andTheErrorSaysWhatToDo() {
    String refresh = door.issueRefreshToken(demo, "oauth-app", "oauth-secret");
    Open123Driver d = driver("clientId", "oauth-app", "clientSecret", "oauth-secret", "refreshToken", refresh);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.OAUTH_TOKEN), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(1, served("open", Open123Limits.OAUTH_TOKEN), "a single-use refresh token is never sent twice in one call");
    assertFalse(e.getMessage().contains(refresh), e::getMessage);
    assertFalse(e.getMessage().contains("oauth-secret"), e::getMessage);
    assertEquals("123open", e.driverId().orElseThrow());
    assertTrue(e.retryable(), e::getMessage);
    assertTrue(e.getMessage().contains("may have renewed") && e.getMessage().contains("authorize the app again"), e::getMessage);
  }

  @Test
  void renewalService_whoseReplyWasLost_isAskedOnce() {
    RenewalServiceFrontDoor service = cloud.door(RenewalServiceFrontDoor.class);
    RenewalServiceFrontDoor.Login login = service.login(demo);
    Open123Driver d = driver("clientId", null, "clientSecret", null, "refreshToken", login.refreshToken(),
        "renewalServiceUrl", service.url());
    cloud.inject("login", r -> r.path().equals(RenewalServiceFrontDoor.PATH), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(1, service.renewals() + service.refused(), "the renewal was asked once");
    assertEquals(1, cloud.requests("login", RenewalServiceFrontDoor.PATH).size());
    assertFalse(e.getMessage().contains(login.refreshToken()), e::getMessage);
  }

  @Test
  void clientCredentialToken_whoseReplyWasLost_isMintedOncePerCall_andIsNoCredentialError() {
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.ACCESS_TOKEN), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(1, served("open", Open123Limits.ACCESS_TOKEN), "each mint is a live token more of the 3 allowed");
    // A gateway's error page says nothing about the credentials.
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e::getMessage);
    assertTrue(e.retryable());
    assertFalse(e.getMessage().contains("check clientId"), e::getMessage);
    assertEquals("502", e.providerCode().orElseThrow());
    cloud.clearFaults();
    clock.advance(java.time.Duration.ofMinutes(1)); // past the token manager's back-off
    d.list("0", null);
    assertEquals(2, served("open", Open123Limits.ACCESS_TOKEN));
  }
}
