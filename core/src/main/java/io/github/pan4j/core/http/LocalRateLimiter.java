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
 * The in-process {@link RateLimiter}: per-endpoint request pacing from a QPS table.
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
final class LocalRateLimiter implements RateLimiter {
  private final Clock clock;
  private final Sleeper sleeper;
  private final double margin;
  private final Object lock = new Object();
  // guarded by lock
  private final Map<String, Double> qps = new HashMap<>();
  private final Map<String, Long> nextFreeNanos = new HashMap<>();

  LocalRateLimiter(Map<String, Double> table, Clock clock, Sleeper sleeper, double margin) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    if (margin < 0) throw new IllegalArgumentException("margin must not be negative but was " + margin);
    this.margin = margin;
    this.qps.putAll(table);
  }

  @Override
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

  @Override
  public Duration currentDelay(String endpoint) {
    synchronized (lock) {
      Long next = nextFreeNanos.get(endpoint);
      long now = nowNanos();
      return next == null || next <= now ? Duration.ZERO : Duration.ofNanos(next - now);
    }
  }

  @Override
  public void setQps(String endpoint, double value) {
    synchronized (lock) {
      qps.put(endpoint, value);
    }
  }

  @Override
  public double qps(String endpoint) {
    synchronized (lock) {
      return qps.getOrDefault(endpoint, 0.0);
    }
  }

  @Override
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
