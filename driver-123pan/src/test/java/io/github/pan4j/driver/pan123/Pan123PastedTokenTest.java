package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.driver.common123.web.WebSessions;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The accessToken option (a token pasted from a browser), over HTTP against the fake. */
class Pan123PastedTokenTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  private Map<String, String> tokenOnly(String token) {
    Map<String, String> o = fake.options();
    o.remove("username");
    o.remove("password");
    o.put("accessToken", token);
    return o;
  }

  private static void assertNoSecret(Throwable e, String... secrets) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (String s : secrets) {
        assertFalse(String.valueOf(t.getMessage()).contains(s), "secret in message: " + t.getMessage());
        assertFalse(t.toString().contains(s), "secret in toString");
      }
    }
  }

  @Test
  void pastedToken_works_withoutSigningIn() {
    String token = fake.web().browserToken(fake.demo());
    try (Driver d = fake.open(tokenOnly(token))) {
      d.list("0", null);
      assertFalse(d.toString().contains(token));
    }
    assertEquals(0, fake.web().loginAttempts(), "no sign-in request was sent");
  }

  @Test
  void revokedToken_isTypedError_sayingWhatToDo_withoutTheToken() {
    String token = fake.web().browserToken(fake.demo());
    try (Driver d = fake.open(tokenOnly(token))) {
      d.list("0", null);
      fake.web().revokeToken(token);
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("paste a new token"), e.getMessage());
      assertTrue(e.getMessage().contains("username/password"), e.getMessage());
      assertEquals("123pan", e.driverId().orElseThrow());
      assertNoSecret(e, token);
      // Sticky: no new request is wasted on a token known to be dead.
      int before = fake.cloud().requests().size();
      DriveException again = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.UNAUTHENTICATED, again.kind());
      assertEquals(before, fake.cloud().requests().size());
    }
    assertEquals(0, fake.web().loginAttempts());
  }

  @Test
  void expiredToken_failsBeforeSending_withTheExpiryTime() {
    fake.web().tokenLifetime(Duration.ofHours(1));
    String token = fake.web().browserToken(fake.demo());
    fake.clock().advance(Duration.ofHours(2));
    try (Driver d = fake.open(tokenOnly(token))) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      assertTrue(e.getMessage().contains("expired at"), e.getMessage());
      assertTrue(e.getMessage().contains("paste a new token"), e.getMessage());
      assertNoSecret(e, token);
    }
    assertTrue(fake.cloud().requests("web", "/b/api/file/list").isEmpty(), "a known-expired token is not sent");
  }

  @Test
  void malformedToken_isRejectedByTheServer_typedError() {
    try (Driver d = fake.open(tokenOnly("not-a-jwt"))) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      assertTrue(e.getMessage().contains("paste a new token"), e.getMessage());
      assertNoSecret(e, "not-a-jwt");
    }
  }

  @Test
  void tokenAndPassword_tokenFirst_thenSignsInWhenItIsRejected() {
    String token = fake.web().browserToken(fake.demo());
    Map<String, String> o = fake.options();
    o.put("accessToken", token);
    try (Driver d = fake.open(o)) {
      d.list("0", null);
      assertEquals(0, fake.web().loginAttempts(), "the pasted token is used first");
      fake.web().revokeToken(token);
      d.list("0", null);
      assertEquals(1, fake.web().loginCount(), "then the password signs in once");
    }
  }

  @Test
  void twoPastedTokens_areNotMixed_andAPasswordMountKeepsItsOwn() {
    String first = fake.web().browserToken(fake.demo());
    String second = fake.web().browserToken(fake.demo());
    try (Driver a = fake.open(tokenOnly(first)); Driver b = fake.open(tokenOnly(second))) {
      a.list("0", null);
      b.list("0", null);
      fake.web().revokeToken(first);
      assertThrows(DriveException.class, () -> a.list("0", null));
      b.list("0", null); // unaffected: its own key, its own token
    }
    try (Driver p = fake.open()) {
      p.list("0", null);
    }
    assertEquals(1, fake.web().loginCount(), "the password mount signed in: it never used a pasted token");
  }

  @Test
  void config_needsPasswordOrToken_andNeverPrintsTheToken() {
    Map<String, String> none = fake.options();
    none.remove("password");
    DriveException e = assertThrows(DriveException.class, () -> fake.open(none));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("accessToken"), e.getMessage());
    Pan123Config c = new Pan123Provider().parse(tokenOnly("eyJ.secret-token-value.sig"));
    assertFalse(c.toString().contains("secret-token-value"), c.toString());
    assertTrue(new Pan123Provider().schema().toString().length() > 0);
  }

  @Test
  void session_isPublishedForShareMounts_underTheUserName() {
    try (Driver d = fake.open()) {
      d.list("0", null);
    }
    String key = WebSessions.publishedKey(fake.web().apiBase(), WebFrontDoor.DEMO_PHONE);
    Token published = fake.tokenStore().load(key).orElseThrow();
    assertEquals(fake.web().liveTokens().get(0), published.accessToken().reveal());
    assertFalse(key.contains(WebFrontDoor.DEMO_PASSWORD));
    Map<String, String> o = fake.options();
    o.put("logoutOnClose", "true");
    try (Driver d = fake.open(o)) {
      d.list("0", null);
    }
    assertTrue(fake.tokenStore().load(key).isEmpty(), "signing out withdraws the published session");
    assertTrue(Drives.create().provider("123pan").schema().options().stream()
        .anyMatch(s -> s.key().equals("accessToken") && s.secret()));
  }
}
