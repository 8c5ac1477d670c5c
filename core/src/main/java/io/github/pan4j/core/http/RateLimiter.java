package io.github.pan4j.core.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-endpoint request pacing from a QPS table.
 *
 * <p>Each endpoint hands out start times spaced {@code 1/qps × (1 + margin)} apart; the margin
 * (default 10%) absorbs network jitter, so the server never counts more than {@code qps} requests
 * in any one-second window. {@link #acquire} reserves the next slot under a short lock and then
 * waits <em>outside</em> it: a caller waiting for its turn holds no permit and blocks nobody but
 * those queued behind it (OpenList's 123 driver deadlocks by holding a permit across retries).
 * A slot, once reserved, is simply a start time; nothing needs releasing.
 *
 * <p>Waits rather than fails. Interruptible: an interrupted waiter gets
 * {@link ErrorKind#CANCELLED} with the interrupt flag restored. Endpoints not in the table, or
 * with a QPS of 0 or less, are unlimited. Thread-safe.
 */
public final class RateLimiter {
  private final Clock clock;
  private final Sleeper sleeper;
  private final double margin;
  private final Object lock = new Object();
  // guarded by lock
  private final Map<String, Double> qps = new HashMap<>();
  private final Map<String, Long> nextFreeNanos = new HashMap<>();

  private RateLimiter(Map<String, Double> table, Clock clock, Sleeper sleeper, double margin) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    if (margin < 0) throw new IllegalArgumentException("margin must not be negative but was " + margin);
    this.margin = margin;
    this.qps.putAll(table);
  }

  /** A limiter over {@code qpsByEndpoint} with the default 10% margin. */
  public static RateLimiter of(Map<String, Double> qpsByEndpoint, Clock clock, Sleeper sleeper) {
    return new RateLimiter(qpsByEndpoint, clock, sleeper, 0.10);
  }

  /** A limiter with an explicit safety margin (0.10 = 10% slower than the table). */
  public static RateLimiter of(Map<String, Double> qpsByEndpoint, Clock clock, Sleeper sleeper, double margin) {
    return new RateLimiter(qpsByEndpoint, clock, sleeper, margin);
  }

  /** Blocks until {@code endpoint} may start another request. */
  public void acquire(String endpoint) {
    long waitNanos = reserve(endpoint);
    if (waitNanos <= 0) return;
    try {
      sleeper.sleep(Duration.ofNanos(waitNanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriveException.builder(ErrorKind.CANCELLED, "interrupted while waiting for the rate limit")
          .target(endpoint).build();
    }
  }

  /** How long a request starting now would wait, without reserving. */
  public Duration currentDelay(String endpoint) {
    synchronized (lock) {
      Long next = nextFreeNanos.get(endpoint);
      long now = nowNanos();
      return next == null || next <= now ? Duration.ZERO : Duration.ofNanos(next - now);
    }
  }

  /** Changes one endpoint's QPS (after detecting the account tier, or from user config). */
  public void setQps(String endpoint, double value) {
    synchronized (lock) {
      qps.put(endpoint, value);
    }
  }

  /** The QPS in force for an endpoint, or 0 when unlimited. */
  public double qps(String endpoint) {
    synchronized (lock) {
      return qps.getOrDefault(endpoint, 0.0);
    }
  }

  /**
   * The server said "too frequent" (123: code 429): push this endpoint's next slot out by
   * {@code pause} so queued callers back off together.
   */
  public void penalize(String endpoint, Duration pause) {
    synchronized (lock) {
      long until = nowNanos() + pause.toNanos();
      nextFreeNanos.merge(endpoint, until, Math::max);
    }
  }

  private long reserve(String endpoint) {
    synchronized (lock) {
      double q = qps.getOrDefault(endpoint, 0.0);
      long now = nowNanos();
      Long next = nextFreeNanos.get(endpoint);
      if (q <= 0) {
        // Unlimited, but a penalty from a 429 still applies.
        return next == null ? 0 : Math.max(0, next - now);
      }
      long interval = (long) (1_000_000_000L / q * (1 + margin));
      long start = next == null ? now : Math.max(now, next);
      nextFreeNanos.put(endpoint, start + interval);
      return start - now;
    }
  }

  private long nowNanos() {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "RateLimiter" + qps;
    }
  }
}
