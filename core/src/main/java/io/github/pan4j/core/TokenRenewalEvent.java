package io.github.pan4j.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A token renewal or sign-in made by a driver, as told to a {@link RequestListener}. Reported by
 * the driver instance whose request needed the token and that ran the renewal itself: callers
 * that waited for a renewal under way elsewhere, or took up a token another process renewed,
 * report nothing.
 *
 * @param driverId the driver that renewed
 * @param trigger why
 * @param duration how long the renewal took in all, on the context's clock
 * @param error why it failed; empty when a new token was obtained
 */
public record TokenRenewalEvent(String driverId, Trigger trigger, Duration duration, Optional<ErrorKind> error) {

  /** Why the token was renewed. */
  public enum Trigger {
    /** There was no token yet (first use of the account, or after a sign-out). */
    SIGN_IN,
    /** The token was about to expire; renewed ahead of time. */
    EXPIRING,
    /** The server refused the token; the refused request is repeated once with the new one. */
    REJECTED
  }

  public TokenRenewalEvent {
    Objects.requireNonNull(driverId, "driverId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(error, "error");
  }

  /** Whether a new token was obtained. */
  public boolean succeeded() {
    return error.isEmpty();
  }

  @Override
  public String toString() {
    return driverId + " token renewal " + trigger + " " + (error.map(Enum::name).orElse("OK")) + " "
        + duration.toMillis() + " ms";
  }
}
