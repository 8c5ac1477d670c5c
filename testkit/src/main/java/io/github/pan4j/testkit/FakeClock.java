package io.github.pan4j.testkit;

import java.time.Instant;

/**
 * The fake clock under its old name.
 *
 * @deprecated moved to {@link io.github.pan4j.testkit.fake.FakeClock} in {@code pan4j-fake-cloud},
 *     which has no JUnit dependency; change the import. This alias behaves the same and will be
 *     removed before 1.0.
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public final class FakeClock extends io.github.pan4j.testkit.fake.FakeClock {
  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public FakeClock() {
    super();
  }

  /** A clock at {@code start}, in UTC. */
  public FakeClock(Instant start) {
    super(start);
  }
}
