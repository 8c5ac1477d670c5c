package io.github.pan4j.testkit.fake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that runs with another one, moved forward by what {@link #advance} added: the clock a
 * fake cloud built on real time uses, so that {@code POST /_fake/clock/advance} can make its
 * tokens, links and shares expire without waiting (a {@link FakeClock} is advanced itself).
 */
final class ShiftedClock extends Clock {
  private final Clock base;
  private final AtomicLong shiftNanos;

  ShiftedClock(Clock base) {
    this(base, new AtomicLong());
  }

  private ShiftedClock(Clock base, AtomicLong shiftNanos) {
    this.base = base;
    this.shiftNanos = shiftNanos;
  }

  /** Moves this clock (and every clock made from it by {@link #withZone}) forward. */
  void advance(Duration d) {
    if (d.isNegative()) throw new IllegalArgumentException("time only moves forward here, not by " + d);
    shiftNanos.addAndGet(d.toNanos());
  }

  /** How far ahead of its base clock this one is. */
  Duration shift() {
    return Duration.ofNanos(shiftNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new ShiftedClock(base.withZone(zone), shiftNanos);
  }

  @Override
  public Instant instant() {
    return base.instant().plusNanos(shiftNanos.get());
  }
}
