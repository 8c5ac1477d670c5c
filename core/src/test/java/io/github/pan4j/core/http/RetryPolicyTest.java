package io.github.pan4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RetryPolicy policy = RetryPolicy.of(4, Duration.ofMillis(100), Duration.ofSeconds(2), clock, () -> 0.5);

  private static DriveException network() {
    return DriveException.builder(ErrorKind.NETWORK, "reset").build();
  }

  @Test
  void idempotent_retriesUntilSuccess() {
    AtomicInteger calls = new AtomicInteger();
    String out = policy.execute(true, () -> {
      if (calls.incrementAndGet() < 3) throw network();
      return "ok";
    });
    assertEquals("ok", out);
    assertEquals(3, calls.get());
    // 100ms ceiling → 75ms, then 200ms ceiling → 150ms (half fixed + half jitter at 0.5)
    assertEquals(Instant.parse("2026-01-01T00:00:00.225Z"), clock.instant());
  }

  @Test
  void idempotent_isBounded_lastFailureRethrown() {
    AtomicInteger calls = new AtomicInteger();
    DriveException last = network();
    DriveException e = assertThrows(DriveException.class, () -> policy.execute(true, () -> {
      calls.incrementAndGet();
      throw last;
    }));
    assertSame(last, e);
    assertEquals(4, calls.get());
  }

  @Test
  void nonIdempotent_isNeverRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(DriveException.class, () -> policy.execute(false, () -> {
      calls.incrementAndGet();
      throw network();
    }));
    assertEquals(1, calls.get());
  }

  @Test
  void nonRetryableKind_isNeverRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(DriveException.class, () -> policy.execute(true, () -> {
      calls.incrementAndGet();
      throw DriveException.of(ErrorKind.NOT_FOUND, "gone");
    }));
    assertEquals(1, calls.get());
  }

  @Test
  void retryAfter_longerThanBackoff_isHonoured() {
    DriveException limited = DriveException.builder(ErrorKind.RATE_LIMITED, "slow down").retryAfter(Duration.ofSeconds(3)).build();
    assertEquals(Duration.ofSeconds(3), policy.delayAfter(1, limited));
    // Deep into the retries the ceiling is capped at maxDelay (2 s): half fixed + half of the jitter.
    assertEquals(Duration.ofMillis(1500), policy.delayAfter(10, null));
  }
}
