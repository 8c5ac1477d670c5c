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

  private static final String GENERAL = "it may have reached the server and taken effect: look before repeating it";

  @Test
  void effectWords_followTheReasonOnlyWhileTheFlagIsSet() {
    DriveException lost = DriveException.builder(ErrorKind.NETWORK, "POST /upload/v2/file/create failed: reset")
        .driver("123open").operation("upload").target("/a.bin").providerCode(500).traceId("t-9")
        .mayHaveTakenEffect(GENERAL).build();
    assertTrue(lost.mayHaveTakenEffect());
    assertEquals("123open: upload /a.bin: POST /upload/v2/file/create failed: reset; " + GENERAL
        + " (provider code 500) [trace t-9]", lost.getMessage());
    assertEquals("POST /upload/v2/file/create failed: reset", lost.reason(), "the reason is what happened, without the words");

    DriveException cleared = lost.toBuilder().mayHaveTakenEffect(false).build();
    assertFalse(cleared.mayHaveTakenEffect());
    assertEquals("123open: upload /a.bin: POST /upload/v2/file/create failed: reset (provider code 500) [trace t-9]",
        cleared.getMessage(), "clearing the flag takes its words away");
    assertFalse(cleared.toBuilder().mayHaveTakenEffect(true).build().getMessage().contains("may have"),
        "the words went with the flag, so setting it again does not bring them back");

    DriveException flagOnly = DriveException.builder(ErrorKind.CANCELLED, "cancelled; the copy took effect")
        .mayHaveTakenEffect(true).build();
    assertTrue(flagOnly.mayHaveTakenEffect());
    assertEquals("cancelled; the copy took effect", flagOnly.getMessage(), "a reason that says it itself gets no more words");
  }

  @Test
  void preciseWords_takeThePlaceOfEarlierOnes_andRestatingTwiceSaysThemOnce() {
    DriveException lost = DriveException.builder(ErrorKind.NETWORK, "reset").mayHaveTakenEffect(GENERAL).build();
    DriveException precise = lost.toBuilder()
        .mayHaveTakenEffect("the request may have reached 123 and created the share, so look at the shares first").build();
    assertEquals("reset; the request may have reached 123 and created the share, so look at the shares first",
        precise.getMessage());

    DriveException once = lost.toBuilder().reason(lost.reason() + "; 3 of 5 moved").operation("move").build();
    DriveException twice = once.toBuilder().reason(once.reason() + "; retry the others").target("/x").build();
    assertEquals("move /x: reset; 3 of 5 moved; retry the others; " + GENERAL, twice.getMessage());
    assertEquals(1, twice.getMessage().split("may have", -1).length - 1, "the sentence is said once");
    assertEquals("reset; 3 of 5 moved; retry the others", twice.reason());
    assertTrue(twice.mayHaveTakenEffect());

    DriveException roundTrip = precise.toBuilder().build();
    assertEquals(precise.getMessage(), roundTrip.getMessage(), "toBuilder carries the reason and the words apart");
    assertEquals(precise.reason(), roundTrip.reason());
  }
}
