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
 * <p>The in-process limiter admits at most {@code max(1, ⌊qps⌋)} requests per window of
 * {@code max(1, ⌊qps⌋)/qps} seconds (5 QPS: five in any second), the sliding window the fake counts
 * over. A request's slot frees a window after the request was answered when the caller uses
 * {@link #begin} (the request engine does), so no margin is needed; after its start with
 * {@link #acquire}, where the margin (× {@code 1 + margin} on the window) absorbs network delays.
 * It reserves a slot under a short lock and then waits <em>outside</em> it: a caller waiting for
 * its turn blocks nobody but those queued behind it.
 *
 * <p>Implementations wait rather than fail, and never spin. Interruptible: an interrupted waiter
 * gets {@link ErrorKind#CANCELLED} with the interrupt flag restored. Endpoints not in the table,
 * or with a QPS of 0 or less, are unlimited. Thread-safe.
 */
public interface RateLimiter {

  /** Blocks until {@code endpoint} may start another request. */
  void acquire(String endpoint);

  /**
   * Like {@link #acquire}, for a caller that reports when the request was answered: close the
   * permit then (or when the request failed). A limiter can then count the request's window from
   * its answer, not its start, which stays within the server's limit whatever the network delays
   * (the in-process limiter does; the default just acquires).
   */
  default Permit begin(String endpoint) {
    acquire(endpoint);
    return Permit.NONE;
  }

  /**
   * Like {@link #begin(String)}, but any wait for the endpoint's turn is made with {@code waiter}
   * instead of the limiter's own sleeper. The request engine passes one that ends the wait when
   * its driver is closed, by throwing an unchecked exception: the limiter then gives back what it
   * reserved and lets the exception through. The default ignores {@code waiter} and waits as
   * {@link #begin(String)} does, so a limiter written without it still works (a closed driver's
   * caller then waits out its turn).
   */
  default Permit begin(String endpoint, Sleeper waiter) {
    return begin(endpoint);
  }

  /** A request admitted by {@link #begin}; close it once the request was answered or failed. */
  interface Permit extends AutoCloseable {
    /** A permit with nothing to report. */
    Permit NONE = () -> { };

    @Override
    void close();
  }

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
