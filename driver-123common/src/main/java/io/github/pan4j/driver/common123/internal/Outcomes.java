package io.github.pan4j.driver.common123.internal;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;

/** Failures whose outcome at 123 is unknown, worded the same way by every 123 driver. Not public API. */
public final class Outcomes {
  private Outcomes() {}

  /**
   * Whether a call that failed with {@code e} may still have reached 123 and taken effect: its
   * reply was lost or cut, the connection dropped after it was sent, or a gateway answered. Not
   * a refusal, not throttling, and not a connection that was never opened.
   */
  public static boolean unknown(DriveException e) {
    if (e.kind() == ErrorKind.NETWORK) return !(e.getCause() instanceof java.net.ConnectException);
    return e.kind() == ErrorKind.PROTOCOL || e.retryable() && e.kind() != ErrorKind.RATE_LIMITED;
  }

  /**
   * The failure of a call sent once (it is not idempotent) when it {@linkplain #unknown may have
   * taken effect}: says what may have happened ({@code effect}, e.g. "created the share") and what
   * to look at before trying again ({@code check}), instead of "retry later", and is not
   * retryable as it stands. Other failures are returned as they are.
   */
  public static DriveException mayHaveTakenEffect(DriveException e, String effect, String check) {
    if (!unknown(e)) return e;
    return DriveException.builder(e.kind(), e.reason() + "; the request may have reached 123 and " + effect + ", so "
            + check + " before trying again, or you may end up with two")
        .driver(e.driverId().orElse(null)).operation(e.operation().orElse(null)).target(e.target().orElse(null))
        .providerCode(e.providerCode().orElse(null)).providerMessage(e.providerMessage().orElse(null))
        .traceId(e.traceId().orElse(null)).retryable(false).cause(e).build();
  }
}
