package io.github.pan4j.driver.open123;

import io.github.pan4j.core.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that sleeping advances: waits in the driver (pacing, back-off, polling) take no real time. */
final class ManualClock extends Clock implements Sleeper {
  private final AtomicLong nanos;
  private final AtomicLong slept = new AtomicLong();

  ManualClock(Instant start) {
    this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
    if (d.isNegative() || d.isZero()) return;
    slept.addAndGet(d.toNanos());
    nanos.addAndGet(d.toNanos());
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /** Total time all callers asked to sleep. */
  Duration slept() {
    return Duration.ofNanos(slept.get());
  }

  @Override
  public Instant instant() {
    long n = nanos.get();
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
