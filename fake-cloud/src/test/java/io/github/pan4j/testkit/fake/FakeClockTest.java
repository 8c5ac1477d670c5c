package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2030-05-01T10:00:00Z"));

  @Test
  void advance_movesInstantAndNanosTogether() {
    clock.advance(Duration.ofMillis(1500));
    assertEquals(Instant.parse("2030-05-01T10:00:01.500Z"), clock.instant());
    assertEquals(1_500_000_000L, clock.nanos());
    assertEquals(1_500_000_000L, clock.ticker().getAsLong());
  }

  @Test
  void sleep_advancesInsteadOfWaitingAndRecords() throws InterruptedException {
    clock.sleep(Duration.ofSeconds(30));
    clock.sleep(Duration.ofMinutes(1));
    assertEquals(List.of(Duration.ofSeconds(30), Duration.ofMinutes(1)), clock.sleeps());
    assertEquals(Duration.ofSeconds(90), clock.totalSlept());
    assertEquals(Instant.parse("2030-05-01T10:01:30Z"), clock.instant());
  }

  @Test
  void sleep_interruptedThread_throwsAndClearsFlag() {
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> clock.sleep(Duration.ofSeconds(1)));
    assertEquals(List.of(), clock.sleeps());
    assertEquals(false, Thread.currentThread().isInterrupted());
  }

  @Test
  void advance_negative_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
  }

  @Test
  void withZone_sharesTime() {
    var tokyo = clock.withZone(ZoneId.of("Asia/Tokyo"));
    clock.advance(Duration.ofHours(1));
    assertEquals(clock.instant(), tokyo.instant());
    assertEquals(ZoneId.of("Asia/Tokyo"), tokyo.getZone());
  }
}
