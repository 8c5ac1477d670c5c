package io.github.pan4j.testkit.fake;

import io.github.pan4j.core.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A clock that moves only when told to, so tests never sleep.
 *
 * <ul>
 *   <li>As a {@link Clock}: {@link #instant()} starts at the given instant (default
 *       2026-01-01T00:00:00Z) and moves by {@link #advance}.
 *   <li>As a {@link Sleeper}: {@link #sleep} advances the clock by the requested duration at once
 *       and records it, so retry and rate-limit code runs instantly and tests can assert the waits.
 *   <li>As a cache ticker: {@link #nanos()} (or {@link #ticker()}) is a monotonic nanosecond count
 *       that moves with the clock, e.g. {@code Drive.builder(driver).ticker(clock::nanos)}.
 * </ul>
 *
 * <p>Pass it to a driver with {@code DriverContext.builder().clock(clock).sleeper(clock)}.
 * Thread-safe; copies made by {@link #withZone} share the same time.
 *
 * <p>Lives with the fake cloud, which has no JUnit dependency, so a demo or a non-JUnit test can
 * drive the fake's time too.
 */
public final class FakeClock extends Clock implements Sleeper {
  /** The default start: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Instant start;
  private final AtomicLong elapsedNanos;
  private final List<Duration> sleeps;
  private final ZoneId zone;

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public FakeClock() {
    this(DEFAULT_START);
  }

  /** A clock at {@code start}, in UTC. */
  public FakeClock(Instant start) {
    this(Objects.requireNonNull(start, "start"), new AtomicLong(), new CopyOnWriteArrayList<>(), ZoneOffset.UTC);
  }

  private FakeClock(Instant start, AtomicLong elapsedNanos, List<Duration> sleeps, ZoneId zone) {
    this.start = start;
    this.elapsedNanos = elapsedNanos;
    this.sleeps = sleeps;
    this.zone = zone;
  }

  /**
   * Moves time forward.
   *
   * @throws IllegalArgumentException for a negative duration: time never runs backwards here
   */
  public FakeClock advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) throw new IllegalArgumentException("cannot go back in time by " + duration);
    elapsedNanos.addAndGet(duration.toNanos());
    return this;
  }

  /** Advances by {@code duration} instead of waiting, and records it. Throws if the thread is interrupted. */
  @Override
  public void sleep(Duration duration) throws InterruptedException {
    Objects.requireNonNull(duration, "duration");
    if (Thread.interrupted()) throw new InterruptedException("interrupted before a fake sleep of " + duration);
    sleeps.add(duration);
    if (!duration.isNegative()) advance(duration);
  }

  /** Every duration passed to {@link #sleep}, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** The sum of all sleeps. */
  public Duration totalSlept() {
    return sleeps.stream().filter(d -> !d.isNegative()).reduce(Duration.ZERO, Duration::plus);
  }

  /** Monotonic nanoseconds since this clock was made; a ticker for caches. */
  public long nanos() {
    return elapsedNanos.get();
  }

  /** {@link #nanos()} as a supplier, for {@code Drive.Builder#ticker}. */
  public LongSupplier ticker() {
    return this::nanos;
  }

  @Override
  public Instant instant() {
    return start.plusNanos(elapsedNanos.get());
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new FakeClock(start, elapsedNanos, sleeps, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FakeClock f && f.elapsedNanos == elapsedNanos && f.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(elapsedNanos) * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return "FakeClock{" + instant() + "}";
  }
}
