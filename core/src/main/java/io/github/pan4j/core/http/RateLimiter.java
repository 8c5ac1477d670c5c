package io.github.pan4j.core.http;

import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.core.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Per-endpoint request pacing from a QPS table, shared by everything that talks to one account.
 *
 * <p>123 counts requests per account and endpoint, so one limiter belongs to one account: every
 * mount and driver instance of that account in a JVM gets the same limiter from
 * {@link io.github.pan4j.core.spi.DriverContext#rateLimiter}. {@link #of} builds the in-process
 * limiter; a limiter shared by several processes or machines (the {@code pan4j-redis} module)
 * plugs in through a {@link Factory} on the context.
 *
 * <p>The in-process limiter hands out start times spaced {@code 1/qps × (1 + margin)} apart; the
 * margin (default 10%) absorbs network jitter, so the server never counts more than {@code qps}
 * requests in any one-second window. {@link #acquire} reserves the next slot under a short lock
 * and then waits <em>outside</em> it: a caller waiting for its turn holds no permit and blocks
 * nobody but those queued behind it. A slot, once reserved, is simply a start time; nothing needs
 * releasing.
 *
 * <p>Implementations wait rather than fail, and never spin. Interruptible: an interrupted waiter
 * gets {@link ErrorKind#CANCELLED} with the interrupt flag restored. Endpoints not in the table,
 * or with a QPS of 0 or less, are unlimited. Thread-safe.
 */
public interface RateLimiter {

  /** Blocks until {@code endpoint} may start another request. */
  void acquire(String endpoint);

  /** How long a request starting now would wait, without reserving. */
  Duration currentDelay(String endpoint);

  /** Changes one endpoint's QPS (after detecting the account tier, or from user config). */
  void setQps(String endpoint, double value);

  /** The QPS in force for an endpoint, or 0 when unlimited. */
  double qps(String endpoint);

  /**
   * The server said "too frequent" (123: code 429): push this endpoint's next slot out by
   * {@code pause} so queued callers back off together.
   */
  void penalize(String endpoint, Duration pause);

  /** An in-process limiter over {@code qpsByEndpoint} with the default 10% margin. */
  static RateLimiter of(Map<String, Double> qpsByEndpoint, Clock clock, Sleeper sleeper) {
    return new LocalRateLimiter(qpsByEndpoint, clock, sleeper, 0.10);
  }

  /** An in-process limiter with an explicit safety margin (0.10 = 10% slower than the table). */
  static RateLimiter of(Map<String, Double> qpsByEndpoint, Clock clock, Sleeper sleeper, double margin) {
    return new LocalRateLimiter(qpsByEndpoint, clock, sleeper, margin);
  }

  /**
   * Makes the limiter of one account. The context calls it once per account (and clock and
   * sleeper) and shares the result, so implementations need not cache.
   */
  @FunctionalInterface
  interface Factory {
    /** The in-process limiter: shared within one JVM, not across processes. */
    Factory LOCAL = (account, table, margin, clock, sleeper) -> of(table, clock, sleeper, margin);

    /**
     * A limiter for {@code account}.
     *
     * @param account whose budget this is
     * @param qpsByEndpoint the starting QPS table (endpoint → requests per second)
     * @param margin how much slower than the table to go (0.10 = 10%)
     * @param clock the context's clock
     * @param sleeper the context's sleeper
     */
    RateLimiter create(AccountKey account, Map<String, Double> qpsByEndpoint, double margin, Clock clock,
        Sleeper sleeper);
  }
}
