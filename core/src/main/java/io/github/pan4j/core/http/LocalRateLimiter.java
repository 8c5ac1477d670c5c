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
 * <p>A QPS of {@code q} means at most {@code n = max(1, ⌊q⌋)} requests within any window of
 * {@code n/q} seconds (so 5 QPS: five per sliding second; 0.2 QPS: one per five seconds): the
 * sliding window the fake cloud counts over, and the one OpenList paces 123 with (a slot released a
 * second after it was used). Each endpoint has {@code n} slots. A request takes the slot that
 * frees first; a slot frees one window after its request <em>was answered</em> when the caller
 * reports that through {@link #begin}'s permit, else one window × {@code (1 + margin)} after it
 * started. The server counted the request somewhere between its start and its answer, so
 * releasing from the answer keeps every server-side window within the limit whatever the network
 * and scheduling delays were, without a safety margin; a caller that only reports the start
 * relies on the margin.
 *
 * <p>{@link #acquire} reserves a slot under a short lock and then waits <em>outside</em> it: a
 * caller waiting for its turn blocks nobody but those queued behind it (OpenList's 123 driver
 * deadlocks by holding a permit across retries). When every slot is held by a request still in
 * flight, the next caller waits for one of them to be answered.
 *
 * <p>Waits rather than fails. Interruptible: an interrupted waiter gets
 * {@link ErrorKind#CANCELLED} with the interrupt flag restored. Endpoints not in the table, or
 * with a QPS of 0 or less, are unlimited. Thread-safe.
 */
final class LocalRateLimiter implements RateLimiter {
  /** A slot held by a request not yet answered. */
  private static final long IN_FLIGHT = Long.MAX_VALUE;

  private final Clock clock;
  private final Sleeper sleeper;
  private final double margin;
  private final Object lock = new Object();
  // guarded by lock
  private final Map<String, Double> qps = new HashMap<>();
  /** Per endpoint: when each slot frees (nanos), or IN_FLIGHT. */
  private final Map<String, long[]> slots = new HashMap<>();
  private final Map<String, Long> penaltyUntil = new HashMap<>();

  LocalRateLimiter(Map<String, Double> table, Clock clock, Sleeper sleeper, double margin) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    if (margin < 0) throw new IllegalArgumentException("margin must not be negative but was " + margin);
    this.margin = margin;
    this.qps.putAll(table);
  }

  @Override
  public void acquire(String endpoint) {
    begin(endpoint, false, sleeper).close();
  }

  @Override
  public Permit begin(String endpoint) {
    return begin(endpoint, true, sleeper);
  }

  @Override
  public Permit begin(String endpoint, Sleeper waiter) {
    return begin(endpoint, true, Objects.requireNonNull(waiter, "waiter"));
  }

  private Permit begin(String endpoint, boolean untilAnswered, Sleeper waiter) {
    Reservation r;
    try {
      r = reserve(endpoint, untilAnswered);
    } catch (InterruptedException e) {
      throw cancelled(endpoint);
    }
    if (r.waitNanos > 0) {
      try {
        waiter.sleep(Duration.ofNanos(r.waitNanos));
      } catch (InterruptedException e) {
        r.permit.close();
        throw cancelled(endpoint);
      } catch (RuntimeException | Error e) {
        // The waiter gave up (its driver was closed): the slot must not stay in flight forever.
        r.permit.close();
        throw e;
      }
    }
    return r.permit;
  }

  private static DriveException cancelled(String endpoint) {
    Thread.currentThread().interrupt();
    return DriveException.builder(ErrorKind.CANCELLED, "interrupted while waiting for the rate limit")
        .target(endpoint).build();
  }

  @Override
  public Duration currentDelay(String endpoint) {
    synchronized (lock) {
      long now = nowNanos();
      long penalty = penaltyUntil.getOrDefault(endpoint, 0L);
      long[] s = slotsOf(endpoint);
      long free = s == null ? now : s[earliest(s)];
      if (free == IN_FLIGHT) free = now + windowNanos(qps.getOrDefault(endpoint, 0.0), 0);
      long at = Math.max(Math.max(now, penalty), free);
      return Duration.ofNanos(at - now);
    }
  }

  @Override
  public void setQps(String endpoint, double value) {
    synchronized (lock) {
      qps.put(endpoint, value);
      long[] old = slots.remove(endpoint);
      long[] s = slotsOf(endpoint);
      if (old != null && s != null) {
        // Keep the latest-freeing slots: the new table must not forget recent requests.
        long[] sorted = old.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < s.length && i < sorted.length; i++) s[i] = sorted[sorted.length - 1 - i];
      }
      lock.notifyAll();
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
      penaltyUntil.merge(endpoint, until, Math::max);
    }
  }

  private record Reservation(long waitNanos, Permit permit) {}

  private Reservation reserve(String endpoint, boolean untilAnswered) throws InterruptedException {
    synchronized (lock) {
      while (true) {
        long now = nowNanos();
        long penalty = penaltyUntil.getOrDefault(endpoint, 0L);
        long[] s = slotsOf(endpoint);
        if (s == null) return new Reservation(Math.max(0, penalty - now), Permit.NONE); // unlimited
        int i = earliest(s);
        if (s[i] == IN_FLIGHT) {
          // Every slot belongs to a request not yet answered: wait for an answer.
          lock.wait(100);
          continue;
        }
        long start = Math.max(Math.max(now, penalty), s[i]);
        // From the answer the window is exact; from the start it needs the margin.
        long window = windowNanos(qps.getOrDefault(endpoint, 0.0), untilAnswered ? 0 : margin);
        s[i] = untilAnswered ? IN_FLIGHT : start + window;
        long[] mine = s;
        int slot = i;
        Permit permit = !untilAnswered ? Permit.NONE : new Permit() {
          private boolean closed;

          @Override
          public void close() {
            synchronized (lock) {
              if (closed) return;
              closed = true;
              // The slot frees a window after the answer (or after the planned start, if later).
              if (mine[slot] == IN_FLIGHT) mine[slot] = Math.max(nowNanos(), start) + window;
              lock.notifyAll();
            }
          }
        };
        return new Reservation(start - now, permit);
      }
    }
  }

  /** The endpoint's slots (created on first use), or null when it is unlimited. Under lock. */
  private long[] slotsOf(String endpoint) {
    double q = qps.getOrDefault(endpoint, 0.0);
    if (q <= 0) return null;
    int n = q >= 1 ? (int) Math.floor(q) : 1;
    long[] s = slots.get(endpoint);
    if (s == null || s.length != n) {
      s = new long[n];
      java.util.Arrays.fill(s, Long.MIN_VALUE);
      slots.put(endpoint, s);
    }
    return s;
  }

  /** A slot that frees first (one already free, or a reservation, before any in-flight one). */
  private static int earliest(long[] s) {
    int best = 0;
    for (int i = 1; i < s.length; i++) if (s[i] < s[best]) best = i;
    return best;
  }

  /** n/q seconds × (1 + margin), with n = max(1, ⌊q⌋). */
  private static long windowNanos(double q, double margin) {
    if (q <= 0) return 0;
    int n = q >= 1 ? (int) Math.floor(q) : 1;
    return (long) (n / q * 1_000_000_000L * (1 + margin));
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
