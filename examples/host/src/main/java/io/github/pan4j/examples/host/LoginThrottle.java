package io.github.pan4j.examples.host;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing, per client address and per account name: after {@code free}
 * failures in a row, each further failure blocks that key for an exponentially growing time
 * (1 s, 2 s, 4 s, … up to {@code max}); while blocked, logins are refused without checking the
 * password. A success clears the client's count. The per-account limit starts later and stops
 * lower than the per-client one, so an attacker spraying from many addresses slows the account
 * down without locking the owner out for long. One warning is logged per burst.
 */
final class LoginThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
  private static final int MAX_KEYS = 100_000;

  private static final class State {
    int failures;
    Instant blockedUntil = Instant.EPOCH;
    Instant lastFailure = Instant.EPOCH;
    boolean logged;
  }

  private final String kind;
  private final int free;
  private final Duration max;
  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  LoginThrottle(String kind, int free, Duration max, Clock clock) {
    this.kind = kind;
    this.free = free;
    this.max = max;
    this.clock = clock;
  }

  /** Seconds until {@code key} may try again, or 0. */
  long retryAfterSeconds(String key) {
    State s = states.get(key);
    if (s == null) return 0;
    synchronized (s) {
      Duration left = Duration.between(clock.instant(), s.blockedUntil);
      return left.isNegative() || left.isZero() ? 0 : Math.max(1, (left.toMillis() + 999) / 1000);
    }
  }

  void failed(String key) {
    if (states.size() > MAX_KEYS) prune();
    State s = states.computeIfAbsent(key, k -> new State());
    synchronized (s) {
      Instant now = clock.instant();
      if (Duration.between(s.lastFailure, now).compareTo(max.multipliedBy(2)) > 0) {
        s.failures = 0; // a long quiet spell starts a new burst
        s.logged = false;
      }
      s.failures++;
      s.lastFailure = now;
      int over = s.failures - free;
      if (over > 0) {
        long seconds = over >= 31 ? max.toSeconds() : Math.min(max.toSeconds(), 1L << (over - 1));
        s.blockedUntil = now.plusSeconds(seconds);
        if (!s.logged) {
          s.logged = true;
          LOG.warn("login throttled for {} {}: {} failed logins in a row; further tries wait (up to {})", kind, key,
              s.failures, max);
        }
      }
    }
  }

  void succeeded(String key) {
    states.remove(key);
  }

  private void prune() {
    Instant old = clock.instant().minus(max.multipliedBy(2));
    for (Iterator<State> it = states.values().iterator(); it.hasNext(); ) {
      State s = it.next();
      if (s.lastFailure.isBefore(old)) it.remove();
    }
  }
}
