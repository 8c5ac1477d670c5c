package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DriveExceptionTest {
  @Test
  void message_namesDriverOperationTargetAndKeepsProviderDetails() {
    DriveException e = DriveException.builder(ErrorKind.QUOTA_EXCEEDED,
            "daily download traffic is used up; wait until tomorrow or upgrade to VIP")
        .driver("123open").operation("link").target("/movies/a.mkv")
        .providerCode(5113).providerMessage("您今日自用下载流量已超出1GB上限").traceId("abc_kong").build();
    assertEquals("123open: link /movies/a.mkv: daily download traffic is used up; wait until tomorrow or upgrade to VIP"
        + " (provider code 5113: 您今日自用下载流量已超出1GB上限) [trace abc_kong]", e.getMessage());
    assertEquals("5113", e.providerCode().orElseThrow());
    assertEquals("abc_kong", e.traceId().orElseThrow());
    assertEquals("daily download traffic is used up; wait until tomorrow or upgrade to VIP", e.reason());
  }

  @Test
  void providerFrom_keepsWhatTheProviderSaid_underANewKindAndReason() {
    DriveException refused = DriveException.builder(ErrorKind.PROVIDER_ERROR, "refused").driver("123open")
        .operation("token").providerCode(401).providerMessage("invalid client").traceId("t-1").retryAfter(Duration.ofSeconds(3))
        .build();
    DriveException told = DriveException.builder(ErrorKind.UNAUTHENTICATED, "check clientId and clientSecret")
        .providerFrom(refused).cause(refused).build();
    assertInstanceOf(AuthenticationException.class, told);
    assertEquals("401", told.providerCode().orElseThrow());
    assertEquals("invalid client", told.providerMessage().orElseThrow());
    assertEquals("t-1", told.traceId().orElseThrow());
    assertTrue(told.driverId().isEmpty(), "only the provider's fields are taken");
    assertTrue(told.retryAfter().isEmpty(), "only the provider's fields are taken");
    assertEquals("check clientId and clientSecret (provider code 401: invalid client) [trace t-1]", told.getMessage());
    DriveException silent = DriveException.builder(ErrorKind.NETWORK, "reset").build();
    DriveException plain = DriveException.builder(ErrorKind.NETWORK, "again").providerCode(1).providerFrom(silent).build();
    assertTrue(plain.providerCode().isEmpty(), "a failure without provider fields clears them");
  }

  @Test
  void kindsPickTheirSubclass_andRetryableDefaults() {
    assertInstanceOf(NotFoundException.class, DriveException.of(ErrorKind.NOT_FOUND, "x"));
    assertInstanceOf(AlreadyExistsException.class, DriveException.of(ErrorKind.ALREADY_EXISTS, "x"));
    assertInstanceOf(AuthenticationException.class, DriveException.of(ErrorKind.VERIFICATION_REQUIRED, "x"));
    RateLimitedException r = (RateLimitedException) DriveException.builder(ErrorKind.RATE_LIMITED, "x")
        .retryAfter(Duration.ofSeconds(1)).build();
    assertTrue(r.retryable());
    assertTrue(DriveException.of(ErrorKind.NETWORK, "x").retryable());
    assertEquals(false, DriveException.of(ErrorKind.INVALID_NAME, "x").retryable());
  }

  @Test
  void mayHaveTakenEffect_isFalseUnlessSet_andToBuilderCarriesIt() {
    assertFalse(DriveException.of(ErrorKind.NETWORK, "reset").mayHaveTakenEffect());
    DriveException lost = DriveException.builder(ErrorKind.PROVIDER_ERROR, "gateway page").driver("123open")
        .operation("mkdir").target("/a").retryable(true).mayHaveTakenEffect(true).build();
    assertTrue(lost.mayHaveTakenEffect());
    DriveException again = lost.toBuilder().operation("put").cause(lost).build();
    assertTrue(again.mayHaveTakenEffect(), "a layer adding context keeps it");
    assertEquals("put", again.operation().orElseThrow());
    assertFalse(lost.toBuilder().mayHaveTakenEffect(false).build().mayHaveTakenEffect());
  }
}
