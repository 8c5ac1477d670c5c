package io.github.pan4j.testkit.fake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The limit of the OAuth token endpoint ({@code POST /api/v1/oauth2/access_token}): 100 requests a
 * minute, and going over blocks the client's IP address (docs/protocol/123open.md §5.4). Counted
 * per client address over a sliding minute of the cloud's clock; every request counts, whatever
 * it asks and however it is answered, except those refused here.
 *
 * <p>How long the block lasts and what a blocked request gets are UNKNOWN. The fake's choices: the
 * address is blocked for {@link #block} (default one minute, so that the minute the limit was
 * counted over has passed) from the request that went over, whatever it asks, and then starts a
 * new minute; requests during the block do not lengthen it. A block of zero refuses only while the
 * last minute holds the limit. The token endpoint alone is blocked, not the rest of the API.
 */
final class OpenOAuthLimit {
  static final Duration WINDOW = Duration.ofMinutes(1);

  /** Requests per minute and address; 0 or less: no limit (nothing is counted). */
  volatile int perMinute = 100;
  volatile Duration block = WINDOW;
  private final Map<String, ArrayDeque<Instant>> seen = new HashMap<>();
  private final Map<String, Instant> blockedUntil = new HashMap<>();

  /** Counts a request from {@code address}; false when it is refused. */
  synchronized boolean admit(String address, Instant now) {
    int limit = perMinute;
    if (limit <= 0) {
      seen.clear();
      blockedUntil.clear();
      return true;
    }
    Instant until = blockedUntil.get(address);
    if (until != null) {
      if (now.isBefore(until)) return false;
      blockedUntil.remove(address);
    }
    ArrayDeque<Instant> times = seen.computeIfAbsent(address, k -> new ArrayDeque<>());
    Instant from = now.minus(WINDOW);
    while (!times.isEmpty() && !times.peekFirst().isAfter(from)) times.pollFirst();
    if (times.size() >= limit) {
      Duration b = block;
      if (!b.isZero() && !b.isNegative()) {
        blockedUntil.put(address, now.plus(b));
        seen.remove(address);
      }
      return false;
    }
    times.addLast(now);
    return true;
  }
}
