package io.github.pan4j.core.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Sleeper;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Bounded retries with exponential back-off and jitter.
 *
 * <p>Only {@link DriveException#retryable() retryable} failures are retried, and only for calls
 * the caller marks idempotent (list, link, info, a slice re-sent with the same bytes). A
 * non-idempotent call (create, rename, move) fails on the first error, because repeating it could
 * do the work twice. A provider's {@code retryAfter} is honoured when longer than the back-off,
 * but never beyond {@link #retryAfterCap()} (default {@link #DEFAULT_RETRY_AFTER_CAP}): a server
 * asking for a day's pause must not freeze a caller for a day. Never loops forever: at most
 * {@code maxAttempts} calls in total.
 */
public final class RetryPolicy {
  /** The longest {@code Retry-After} honoured unless configured otherwise. */
  public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofSeconds(60);

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Duration retryAfterCap;

  private RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper, DoubleSupplier random) {
    this(maxAttempts, baseDelay, maxDelay, sleeper, random, DEFAULT_RETRY_AFTER_CAP);
  }

  private RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper, DoubleSupplier random,
      Duration retryAfterCap) {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
    this.maxAttempts = maxAttempts;
    this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
    this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
    this.retryAfterCap = Objects.requireNonNull(retryAfterCap, "retryAfterCap");
    if (retryAfterCap.isNegative()) throw new IllegalArgumentException("retryAfterCap must not be negative");
  }

  /** A policy with jitter from {@link ThreadLocalRandom}. */
  public static RetryPolicy of(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, sleeper, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** A policy with a given jitter source returning values in [0, 1), for deterministic tests. */
  public static RetryPolicy of(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper, DoubleSupplier random) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, sleeper, random);
  }

  /** No retries at all. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Sleeper.SYSTEM, () -> 0);
  }

  public int maxAttempts() { return maxAttempts; }

  /** The longest provider-requested pause this policy honours. */
  public Duration retryAfterCap() { return retryAfterCap; }

  /** This policy with another cap on a provider's {@code Retry-After}. */
  public RetryPolicy withRetryAfterCap(Duration cap) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, sleeper, random, cap);
  }

  /** This policy with another number of attempts (same delays, sleeper and cap). */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, baseDelay, maxDelay, sleeper, random, retryAfterCap);
  }

  /**
   * Runs {@code call}, retrying retryable failures when {@code idempotent}. The last failure is
   * rethrown unchanged.
   */
  public <T> T execute(boolean idempotent, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (DriveException e) {
        if (!idempotent || !e.retryable() || attempt >= maxAttempts) throw e;
        pause(attempt, e);
      }
    }
  }

  /**
   * The delay before attempt {@code attempt + 1}: jitter over an exponential ceiling, or the
   * provider's {@code retryAfter} when longer, capped at {@link #retryAfterCap()}.
   */
  public Duration delayAfter(int attempt, DriveException failure) {
    long ceiling = Math.min(maxDelay.toNanos(), baseDelay.toNanos() << Math.min(20, attempt - 1));
    // Half fixed, half random: never zero, never a thundering herd.
    long nanos = ceiling / 2 + (long) (random.getAsDouble() * (ceiling / 2.0));
    Duration d = Duration.ofNanos(nanos);
    if (failure != null && failure.retryAfter().isPresent() && failure.retryAfter().get().compareTo(d) > 0) {
      Duration asked = failure.retryAfter().get();
      d = asked.compareTo(retryAfterCap) > 0 ? retryAfterCap : asked;
    }
    return d;
  }

  private void pause(int attempt, DriveException e) {
    try {
      sleeper.sleep(delayAfter(attempt, e));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      DriveException cancelled = DriveException.builder(ErrorKind.CANCELLED, "interrupted while waiting to retry")
          .cause(e).build();
      throw cancelled;
    }
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", base=" + baseDelay + ", max=" + maxDelay
        + ", retryAfterCap=" + retryAfterCap + "}";
  }
}
