package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.WebFrontDoor.LoginFailure;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sign-in, token persistence and the sign-in walls, over HTTP against the fake. */
class Pan123SessionTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  @Test
  void open_doesNotSignInUntilFirstUse() {
    try (Driver d = fake.open()) {
      assertEquals(0, fake.web().loginAttempts());
      d.list("0", null);
      assertEquals(1, fake.web().loginCount());
    }
  }

  @Test
  void twoDrivers_oneTokenStore_signInOnce() {
    try (Driver a = fake.open()) {
      a.list("0", null);
    }
    try (Driver b = fake.open()) {
      b.list("0", null);
    }
    assertEquals(1, fake.web().loginAttempts(), "the second driver reuses the stored token");
    assertEquals(1, fake.web().liveTokens().size(), "close() did not sign out");
  }

  @Test
  void logoutOnClose_signsOutAndForgetsToken() {
    Map<String, String> o = fake.options();
    o.put("logoutOnClose", "true");
    try (Driver d = fake.open(o)) {
      d.list("0", null);
    }
    assertTrue(fake.web().liveTokens().isEmpty());
    try (Driver d = fake.open()) {
      d.list("0", null);
    }
    assertEquals(2, fake.web().loginCount(), "the forgotten token is not reused");
  }

  @Test
  void logoutOnClose_neverSignsInJustToSignOut() {
    Map<String, String> o = fake.options();
    o.put("logoutOnClose", "true");
    // A token 3 minutes from expiry (inside the 5-minute early-renewal window): signed out as it is.
    Driver near = fake.open(o);
    near.list("0", null);
    fake.clock().advance(Duration.ofDays(30).minusMinutes(3));
    near.close();
    assertEquals(1, fake.web().loginCount(), "close() signed in to sign out");
    assertTrue(fake.web().liveTokens().isEmpty(), "the held token was signed out");
    // An expired token: nothing to sign out, and no sign-in for it.
    Driver expired = fake.open(o);
    expired.list("0", null);
    fake.clock().advance(Duration.ofDays(31));
    expired.close();
    assertEquals(2, fake.web().loginCount(), "close() signed in to sign out an expired token");
  }

  @Test
  void emailUsername_anyCase_signsInAsMail() {
    Map<String, String> o = fake.options();
    o.put("username", "Demo@Example.COM");
    try (Driver d = fake.open(o)) {
      d.list("0", null);
    }
    assertEquals(1, fake.web().loginCount());
  }

  @Test
  void wrongPassword_isUnauthenticated_andNotRetried() {
    Map<String, String> o = fake.options();
    o.put("password", "not-the-password");
    try (Driver d = fake.open(o)) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      assertFalse(e.getMessage().contains("not-the-password"));
      assertThrows(DriveException.class, () -> d.list("0", null));
    }
    assertEquals(1, fake.web().loginAttempts());
  }

  @Test
  void securityRisk_isVerificationRequired_withoutSecondSignIn() {
    fake.web().failAllLogins(LoginFailure.SECURITY_RISK);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.VERIFICATION_REQUIRED, e.kind());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("browser"), e.getMessage());
      assertTrue(e.getMessage().contains("123open"), e.getMessage());
      assertEquals(LoginFailure.SECURITY_RISK.message(), e.providerMessage().orElseThrow());
      fake.clock().advance(java.time.Duration.ofHours(1)); // well past any back-off
      DriveException again = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.VERIFICATION_REQUIRED, again.kind());
    }
    assertEquals(1, fake.web().loginAttempts(), "no second sign-in request");
  }

  @Test
  void overseasRiskAndCaptcha_areVerificationRequired() {
    for (LoginFailure f : new LoginFailure[] {LoginFailure.OVERSEAS_RISK, LoginFailure.CAPTCHA_REQUIRED}) {
      fake.web().failLogins(f, 1);
      try (Driver d = fake.open()) {
        assertEquals(ErrorKind.VERIFICATION_REQUIRED, assertThrows(DriveException.class, () -> d.list("0", null)).kind(), f.name());
      }
    }
  }

  @Test
  void deviceLimitAndBlockedClient_areDeviceLimit() {
    for (LoginFailure f : new LoginFailure[] {LoginFailure.DEVICE_LIMIT, LoginFailure.BLOCKED}) {
      fake.web().failLogins(f, 1);
      try (Driver d = fake.open()) {
        DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
        assertEquals(ErrorKind.DEVICE_LIMIT, e.kind(), f.name());
        assertTrue(e.getMessage().contains("device"), e.getMessage());
      }
    }
  }

  @Test
  void tooFrequentSignIns_isRateLimitedAndNotRetried() {
    fake.web().failAllLogins(LoginFailure.TOO_FREQUENT);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.RATE_LIMITED, e.kind());
      assertFalse(e.retryable());
    }
    assertEquals(1, fake.web().loginAttempts());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"{\"code\":1,\"message\":\"内部错误\",\"data\":null}",
      "{\"code\":5000,\"message\":\"系统繁忙，请稍后再试\",\"data\":null}",
      "{\"code\":2,\"message\":\"服务异常\",\"data\":null}"})
  void internalErrorOrBusyAtSignIn_isTransient_notAWrongPassword(String reply) {
    {
      int before = fake.cloud().requests("login", "/api/user/sign_in").size();
      // Every sign-in of the first call fails; the driver must not conclude the password is wrong.
      fake.cloud().inject("login", r -> r.path().equals("/api/user/sign_in"), io.github.pan4j.testkit.fake.Fault.response(
          "transient", new mockwebserver3.MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
              .body(reply).build()), 10);
      try (Driver d = fake.open()) {
        DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
        assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e.getMessage());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("retry in a moment"), e.getMessage());
        assertFalse(e.getMessage().contains("password"), e.getMessage());
        fake.cloud().clearFaults();
        fake.clock().advance(java.time.Duration.ofMinutes(10));
        d.list("0", null);   // the same driver signs in once the server is back
      }
      assertTrue(fake.cloud().requests("login", "/api/user/sign_in").size() - before >= 2);
    }
  }

  @Test
  void unknown403AtSignIn_isVerificationRequired_neverRetried() {
    // A 403 refusal whose text we do not know: not a throttle to wait out, a wall a human must pass.
    fake.cloud().inject("login", r -> r.path().equals("/api/user/sign_in"), io.github.pan4j.testkit.fake.Fault.response(
        "403 unknown", new mockwebserver3.MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body("{\"code\":403,\"message\":\"请求被拒绝\",\"data\":null}").build()), 10);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.VERIFICATION_REQUIRED, e.kind());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("browser"), e.getMessage());
      assertFalse(e.getMessage().contains("retry in a few minutes"), e.getMessage());
      assertEquals("请求被拒绝", e.providerMessage().orElseThrow());
      fake.clock().advance(java.time.Duration.ofHours(1));
      assertEquals(ErrorKind.VERIFICATION_REQUIRED, assertThrows(DriveException.class, () -> d.list("0", null)).kind());
    }
    assertEquals(1, fake.cloud().requests("login", "/api/user/sign_in").size(), "never retried");
  }

  @Test
  void expiredToken_reloginOnceThenRetry() {
    try (Driver d = fake.open()) {
      d.list("0", null);
      fake.web().expireAllTokens();
      d.list("0", null);
    }
    assertEquals(2, fake.web().loginCount());
  }

  @Test
  void storeKey_hasNoSecret() {
    Pan123Config c = new Pan123Provider().parse(fake.options());
    String key = Pan123Session.storeKey(c, Pan123Provider.profile(c));
    assertTrue(key.startsWith("123pan|" + Pan123Provider.profile(c).apiBaseUrl() + "|" + WebFrontDoor.DEMO_PHONE + "|"), key);
    assertFalse(key.contains(WebFrontDoor.DEMO_PASSWORD), key);
    assertFalse(c.toString().contains(WebFrontDoor.DEMO_PASSWORD));
  }
}
