package io.github.pan4j.driver.common123.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomesTest {
  private static DriveException e(ErrorKind kind, boolean retryable, Throwable cause) {
    return DriveException.builder(kind, "it failed").driver("123x").operation("copy").target("42")
        .providerCode(502).traceId("t-1").retryable(retryable).cause(cause).build();
  }

  @Test
  void whatMayHaveTakenEffect_andWhatCannot() {
    assertTrue(Outcomes.unknown(e(ErrorKind.NETWORK, true, new java.io.IOException("unexpected end of stream"))));
    assertTrue(Outcomes.unknown(e(ErrorKind.PROVIDER_ERROR, true, null)), "a gateway's 502");
    assertTrue(Outcomes.unknown(e(ErrorKind.PROTOCOL, false, null)), "a cut or garbled reply");
    assertFalse(Outcomes.unknown(e(ErrorKind.NETWORK, true, new java.net.ConnectException("refused"))), "never left");
    assertFalse(Outcomes.unknown(e(ErrorKind.RATE_LIMITED, true, null)), "throttled: not done");
    assertFalse(Outcomes.unknown(e(ErrorKind.PROVIDER_ERROR, false, null)), "a refusal");
    assertFalse(Outcomes.unknown(e(ErrorKind.ALREADY_EXISTS, false, null)));
    assertFalse(Outcomes.unknown(e(ErrorKind.CANCELLED, true, null)), "the caller stopped it");
    assertFalse(Outcomes.unknown(e(ErrorKind.NETWORK, true, new java.net.UnknownHostException("open-api.123pan.com"))),
        "a name that did not resolve: never left");
    // The token fetch of a write failed to connect: the write itself was never sent, whatever the wrapper's kind.
    assertFalse(Outcomes.unknown(e(ErrorKind.PROVIDER_ERROR, true,
        new RuntimeException("token", new java.net.ConnectException("refused")))));
    assertTrue(Outcomes.unknown(e(ErrorKind.NETWORK, false, new java.net.SocketTimeoutException("timeout"))),
        "a read timeout: the request left");
  }

  @Test
  void neverSent_looksThroughTheWholeCauseChain() {
    assertTrue(Outcomes.neverSent(new java.io.IOException("a", new java.net.ConnectException("refused"))));
    assertTrue(Outcomes.neverSent(new java.net.UnknownHostException("x")));
    assertFalse(Outcomes.neverSent(new java.io.IOException("unexpected end of stream")));
    assertFalse(Outcomes.neverSent(e(ErrorKind.PROTOCOL, false, null)));
  }

  @Test
  void lookFailed_aCancelWins_elseTheWritesFailureIsToldAsMaybeDone_eachWithTheOtherAttached() {
    DriveException lost = e(ErrorKind.PROVIDER_ERROR, true, null);
    DriveException lookFailed = e(ErrorKind.NETWORK, true, null);
    DriveException told = Outcomes.lookFailed(lost, lookFailed);
    assertEquals(ErrorKind.PROVIDER_ERROR, told.kind());
    assertSame(lost, told.getCause());
    assertSame(lookFailed, told.getSuppressed()[0]);
    assertTrue(told.getMessage().contains("may have reached 123 and taken effect, and looking whether it did failed too"),
        told.getMessage());
    assertTrue(told.mayHaveTakenEffect(), told.getMessage());
    assertFalse(told.retryable(), "a plain retry could meet its own effect");
    assertEquals(lost.providerCode(), told.providerCode());
    DriveException lost2 = e(ErrorKind.PROVIDER_ERROR, true, null);
    DriveException cancelled = e(ErrorKind.CANCELLED, false, null);
    DriveException cancel = Outcomes.lookFailed(lost2, cancelled);
    assertEquals(ErrorKind.CANCELLED, cancel.kind(), "the cancel wins");
    assertSame(cancelled, cancel.getCause());
    assertSame(lost2, cancel.getSuppressed()[0]);
    // The write's outcome was never settled: the cancel does not hide that it may have happened.
    assertTrue(cancel.getMessage().contains("may have reached 123 and taken effect"), cancel.getMessage());
    assertTrue(cancel.mayHaveTakenEffect(), cancel.getMessage());
    assertFalse(cancel.retryable());
  }

  @Test
  void mayHaveTakenEffect_saysWhatToCheck_keepsTheProvidersFacts_andIsNotRetryableAsItStands() {
    // As the engine tells a write's gateway page: it may have taken effect.
    DriveException lost = e(ErrorKind.PROVIDER_ERROR, true, null).toBuilder().mayHaveTakenEffect(true).build();
    DriveException said = Outcomes.mayHaveTakenEffect(lost, "copied the file", "look in the target folder");
    assertTrue(said.mayHaveTakenEffect());
    assertTrue(said.getMessage().contains("may have reached 123 and copied the file, so look in the target folder before"
        + " trying again"), said.getMessage());
    assertFalse(said.retryable());
    assertEquals(ErrorKind.PROVIDER_ERROR, said.kind());
    assertEquals("502", said.providerCode().orElseThrow());
    assertEquals("t-1", said.traceId().orElseThrow());
    assertEquals("123x", said.driverId().orElseThrow());
    assertSame(lost, said.getCause());
    DriveException refused = e(ErrorKind.PROVIDER_ERROR, false, null);
    assertSame(refused, Outcomes.mayHaveTakenEffect(refused, "copied the file", "look"));
    // A dropped connection whose request the engine knows was not sent whole: nothing to look for.
    DriveException cutShort = e(ErrorKind.NETWORK, true, new java.io.IOException("broken pipe"));
    assertSame(cutShort, Outcomes.mayHaveTakenEffect(cutShort, "copied the file", "look"));
  }

  @Test
  void restated_keepsTheFlag_andWhatSaysTheWriteTookEffectSetsIt() {
    DriveException lost = e(ErrorKind.NETWORK, true, null).toBuilder().mayHaveTakenEffect(true).build();
    assertTrue(Outcomes.restated(lost, "; more").build().mayHaveTakenEffect(), "told again, it keeps the flag");
    DriveException refused = e(ErrorKind.PROVIDER_ERROR, false, null);
    assertFalse(Outcomes.restated(refused, "; more").build().mayHaveTakenEffect());
    DriveException cancel = e(ErrorKind.CANCELLED, false, null);
    DriveException readBack = assertThrows(DriveException.class, () -> Outcomes.readBack(() -> {
      throw cancel;
    }, "the rename"));
    assertEquals(ErrorKind.CANCELLED, readBack.kind());
    assertTrue(readBack.mayHaveTakenEffect(), "the rename took effect: " + readBack.getMessage());
    // A restore of 150 ids whose second call was refused: the first 100 are back.
    List<String> first = java.util.stream.IntStream.range(0, 100).mapToObj(String::valueOf).toList();
    DriveException partly = Outcomes.restorePartly(refused, 150, first, List.of(), List.of(), List.of());
    assertTrue(partly.mayHaveTakenEffect(), partly.getMessage());
    DriveException none = Outcomes.restorePartly(refused, 150, List.of(), List.of(), List.of("1"), List.of());
    assertFalse(none.mayHaveTakenEffect(), "nothing left the trash: " + none.getMessage());
  }

  @Test
  void notConfirmed_namesWhatTheLookFoundDoneAndNot_keepingKindCodeTraceRetryabilityAndFlag() {
    DriveException lost = DriveException.builder(ErrorKind.NETWORK, "it failed").driver("123x").operation("remove")
        .target("2 entries").providerCode(502).traceId("t-1").retryable(true).mayHaveTakenEffect(true).build();
    DriveException told = Outcomes.notConfirmed(lost, "in the trash", List.of("1"), List.of("2"), "removing them again is safe");
    assertEquals(ErrorKind.NETWORK, told.kind());
    assertEquals(lost.providerCode(), told.providerCode());
    assertEquals(lost.traceId(), told.traceId());
    assertTrue(told.retryable());
    assertTrue(told.mayHaveTakenEffect());
    assertSame(lost, told.getCause());
    assertTrue(told.getMessage().contains("looking afterwards, 123 shows 1 of the 2 entries in the trash (ids 1) but not"
        + " the other 1 (ids 2): the request may not have reached 123, or may still be carried out; removing them again"
        + " is safe"), told.getMessage());
    DriveException none = Outcomes.notConfirmed(lost, "restored", List.of(), List.of("1", "2"), "restoring is safe");
    assertTrue(none.getMessage().contains("123 shows them not restored (ids 1, 2)"), none.getMessage());
  }
}
