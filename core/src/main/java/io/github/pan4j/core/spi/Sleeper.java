package io.github.pan4j.core.spi;

import java.time.Duration;

/**
 * Waits. Injected with the clock so that tests advance time instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  /** The real one: {@link Thread#sleep}. */
  Sleeper SYSTEM = d -> {
    if (!d.isNegative() && !d.isZero()) Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
  };

  /** Waits for {@code duration}; returns early only by throwing on interrupt. */
  void sleep(Duration duration) throws InterruptedException;
}
