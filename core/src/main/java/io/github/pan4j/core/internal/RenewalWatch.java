package io.github.pan4j.core.internal;

import io.github.pan4j.core.DriveException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How the request engine hears of the token renewals its own calls ran, without a listener type
 * in the public signatures of {@link io.github.pan4j.core.auth.TokenManager} or
 * {@link io.github.pan4j.core.spi.http.TokenSource}: the engine asks for its token inside
 * {@link #watching}, and a token manager that runs its refresher within that call, on that thread,
 * tells the {@link Watcher} once its lock is released. A token source that wraps a token manager
 * (123pan's publishes each token for 123share) needs to do nothing for it. Not API.
 */
public final class RenewalWatch {
  private static final ThreadLocal<Watcher> CURRENT = new ThreadLocal<>();

  private RenewalWatch() {}

  /** Told when a watched call ran the token manager's refresher itself. */
  @FunctionalInterface
  public interface Watcher {
    /**
     * @param first whether there was no token before (a first sign-in)
     * @param took how long the refresher ran, on the manager's clock
     * @param failure why it failed, or null when it returned a token
     */
    void refreshed(boolean first, Duration took, DriveException failure);
  }

  /**
   * Runs {@code action} with {@code watcher} (null: none) as this thread's watcher, and puts the
   * one before back afterwards, so watched calls nest.
   */
  public static <T> T watching(Watcher watcher, Supplier<T> action) {
    Watcher before = CURRENT.get();
    if (watcher == null) CURRENT.remove();
    else CURRENT.set(watcher);
    try {
      return action.get();
    } finally {
      if (before == null) CURRENT.remove();
      else CURRENT.set(before);
    }
  }

  /** This thread's watcher, or null. */
  public static Watcher current() {
    return CURRENT.get();
  }
}
