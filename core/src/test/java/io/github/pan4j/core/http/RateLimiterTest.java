package io.github.pan4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.TestClock;
import io.github.pan4j.core.spi.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

  /** At most {@code qps} start times in any half-open one-second window (t-1s, t]. */
  static int maxInAnySecond(List<Long> startNanos) {
    List<Long> s = new ArrayList<>(startNanos);
    Collections.sort(s);
    int max = 0;
    int lo = 0;
    for (int hi = 0; hi < s.size(); hi++) {
      while (s.get(hi) - s.get(lo) >= 1_000_000_000L) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  @Test
  void sixteenThreads_reservedStarts_neverExceedQps() throws Exception {
    // The sleeper records when each caller would start (now + wait) without moving the clock,
    // so every reservation is made against the same instant: the worst case for bunching.
    List<Long> starts = Collections.synchronizedList(new ArrayList<>());
    long now = clock.instant().getEpochSecond() * 1_000_000_000L;
    Sleeper recorder = d -> starts.add(now + d.toNanos());
    RateLimiter limiter = RateLimiter.of(Map.of("list", 5.0), clock, recorder, 0.0);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      fs.add(pool.submit(() -> {
        go.await();
        limiter.acquire("list");
        return null;
      }));
    }
    go.countDown();
    for (var f : fs) f.get(10, TimeUnit.SECONDS);
    pool.shutdown();
    // Callers admitted at once (the first five: five may start within a second) record no sleep.
    assertEquals(95, starts.size());
    while (starts.size() < 100) starts.add(now);
    assertEquals(100, starts.size());
    assertEquals(5, maxInAnySecond(starts));
  }

  @Test
  void qpsFive_admitsFiveAtOnce_thenTheSixthAWindowLater() {
    RateLimiter limiter = RateLimiter.of(Map.of("list", 5.0), clock, clock, 0.10);
    Instant t0 = clock.instant();
    for (int i = 0; i < 5; i++) limiter.acquire("list");
    assertEquals(t0, clock.instant());
    limiter.acquire("list"); // started-only: the window carries the margin
    assertEquals(t0.plusMillis(1100), clock.instant());
  }

  @Test
  void permits_freeTheirSlotAWindowAfterTheAnswer_withoutMargin() {
    RateLimiter limiter = RateLimiter.of(Map.of("list", 5.0), clock, clock, 0.10);
    Instant t0 = clock.instant();
    List<RateLimiter.Permit> permits = new ArrayList<>();
    for (int i = 0; i < 5; i++) permits.add(limiter.begin("list"));
    assertEquals(t0, clock.instant());
    clock.advance(Duration.ofMillis(300)); // the answers take 300 ms
    permits.forEach(RateLimiter.Permit::close);
    limiter.begin("list").close();
    // The server counted each request by its answer at the latest: one second after that.
    assertEquals(t0.plusMillis(1300), clock.instant());
  }

  @Test
  void whenEverySlotIsInFlight_theNextCallerWaitsForAnAnswer() throws Exception {
    RateLimiter limiter = RateLimiter.of(Map.of("create", 1.0), clock, clock, 0.0);
    RateLimiter.Permit first = limiter.begin("create");
    CountDownLatch admitted = new CountDownLatch(1);
    AtomicReference<Instant> startedAt = new AtomicReference<>();
    Thread second = new Thread(() -> {
      limiter.begin("create").close();
      startedAt.set(clock.instant());
      admitted.countDown();
    });
    second.start();
    // Not admitted while the first request is unanswered, however long that takes.
    assertEquals(false, admitted.await(300, TimeUnit.MILLISECONDS));
    clock.advance(Duration.ofSeconds(7));
    Instant answered = clock.instant();
    first.close();
    assertTrue(admitted.await(5, TimeUnit.SECONDS));
    second.join(5000);
    assertEquals(answered.plusSeconds(1), startedAt.get());
  }

  @Test
  void fractionalQps_spacesCallsSeconds() {
    RateLimiter limiter = RateLimiter.of(Map.of("legacy", 0.2), clock, clock, 0.0);
    Instant t0 = clock.instant();
    limiter.acquire("legacy");
    limiter.acquire("legacy");
    limiter.acquire("legacy");
    assertEquals(Duration.ofSeconds(10), Duration.between(t0, clock.instant()));
  }

  @Test
  void unknownEndpoint_isUnlimited_butPenaltyApplies() {
    RateLimiter limiter = RateLimiter.of(Map.of(), clock, clock);
    Instant t0 = clock.instant();
    for (int i = 0; i < 1000; i++) limiter.acquire("free");
    assertEquals(t0, clock.instant());
    limiter.penalize("free", Duration.ofMillis(500));
    limiter.acquire("free");
    assertEquals(t0.plusMillis(500), clock.instant());
  }

  @Test
  void waiterOnOneEndpoint_blocksNobodyElse() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Sleeper blocking = d -> {
      waiting.countDown();
      release.await();
    };
    RateLimiter limiter = RateLimiter.of(Map.of("move", 1.0, "list", 1.0), clock, blocking);
    limiter.acquire("move"); // takes the free slot
    Thread stuck = new Thread(() -> limiter.acquire("move"));
    stuck.start();
    assertTrue(waiting.await(5, TimeUnit.SECONDS));
    // While a caller waits for "move", "list" is served at once and setQps does not block.
    limiter.acquire("list");
    limiter.setQps("move", 2.0);
    release.countDown();
    stuck.join(5000);
  }

  @Test
  void interruptedWaiter_getsCancelled_andKeepsInterruptFlag() {
    RateLimiter limiter = RateLimiter.of(Map.of("x", 1.0), clock, Sleeper.SYSTEM);
    limiter.acquire("x");
    Thread.currentThread().interrupt();
    DriveException e = assertThrows(DriveException.class, () -> limiter.acquire("x"));
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertTrue(Thread.interrupted());
  }

  @Test
  void overRealHttp_serverNeverSeesMoreThanQpsPerSecond() throws Exception {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          arrivals.add(System.nanoTime());
          return new MockResponse.Builder().code(200).body("{}").build();
        }
      });
      server.start();
      RateLimiter limiter = RateLimiter.of(Map.of("api", 20.0), java.time.Clock.systemUTC(), Sleeper.SYSTEM);
      OkHttpClient client = new OkHttpClient();
      // Warm up: the first call loads OkHttp's classes and opens a connection, which can delay its
      // arrival by a few hundred milliseconds and bunch it with later ones. That is start-up cost,
      // not pacing, so it is not measured.
      try (Response r = client.newCall(new Request.Builder().url(server.url("/warm-up")).build()).execute()) {
        assertEquals(200, r.code());
      }
      arrivals.clear();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        fs.add(pool.submit(() -> {
          limiter.acquire("api");
          try (Response r = client.newCall(new Request.Builder().url(server.url("/x")).build()).execute()) {
            assertEquals(200, r.code());
          } catch (Exception e) {
            failure.set(e);
          }
        }));
      }
      for (var f : fs) f.get(30, TimeUnit.SECONDS);
      pool.shutdown();
      if (failure.get() != null) throw new AssertionError(failure.get());
    }
    assertEquals(50, arrivals.size());
    assertTrue(maxInAnySecond(arrivals) <= 20, "server saw " + maxInAnySecond(arrivals) + " in one second");
  }

  @Test
  void aWaiterThatGivesUp_getsItsExceptionThrough_andTheSlotIsNotLeftInFlight() {
    RateLimiter limiter = RateLimiter.of(Map.of("list", 1.0), clock, clock, 0.0);
    limiter.begin("list").close(); // the one slot frees a second from now
    IllegalStateException gaveUp = new IllegalStateException("closed");
    Sleeper givingUp = d -> {
      throw gaveUp;
    };
    assertEquals(gaveUp, assertThrows(IllegalStateException.class, () -> limiter.begin("list", givingUp)));
    // The reservation was handed back: the next caller waits for the window, not forever for
    // an answer that never comes (the slot would be marked in flight).
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> limiter.begin("list").close());
    assertTrue(clock.instant().isAfter(Instant.parse("2026-01-01T00:00:00Z")), "it waited its turn");
  }

  @Test
  void beginWithAWaiter_waitsWithIt_notWithTheLimitersSleeper() {
    List<Duration> limiterSlept = new ArrayList<>();
    RateLimiter limiter = RateLimiter.of(Map.of("list", 1.0), clock, d -> limiterSlept.add(d), 0.0);
    limiter.penalize("list", Duration.ofSeconds(7));
    List<Duration> waited = new ArrayList<>();
    limiter.begin("list", waited::add).close();
    assertEquals(List.of(Duration.ofSeconds(7)), waited);
    assertEquals(List.of(), limiterSlept);
  }
}
