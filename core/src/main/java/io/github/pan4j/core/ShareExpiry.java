package io.github.pan4j.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a share stays open: one, seven or thirty days, or for good. These are the only
 * lifetimes 123云盘 offers, so no other value can be expressed.
 */
public enum ShareExpiry {
  ONE_DAY(1),
  SEVEN_DAYS(7),
  THIRTY_DAYS(30),
  PERMANENT(0);

  private final int days;

  ShareExpiry(int days) {
    this.days = days;
  }

  /** Days until the share closes; 0 for {@link #PERMANENT}. */
  public int days() { return days; }

  /**
   * The expiry for a number of days: 1, 7, 30, or 0 for permanent.
   *
   * @throws DriveException INVALID_ARGUMENT for any other number, saying which ones work
   */
  public static ShareExpiry ofDays(int days) {
    for (ShareExpiry e : values()) {
      if (e.days == days) return e;
    }
    throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "a share expires after 1, 7 or 30 days, or never (0); "
        + days + " is not one of these, so pick 1, 7, 30 or 0");
  }

  /** When a share created at {@code created} closes, or empty for a permanent one. */
  public Optional<Instant> expiresAt(Instant created) {
    return days == 0 ? Optional.empty() : Optional.of(created.plus(Duration.ofDays(days)));
  }
}
