package io.github.pan4j.testkit.fake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-(uid, endpoint) request budget of the fake open platform, measured on the cloud's clock over
 * a sliding window: a limit of q ≥ 1 admits at most ⌊q⌋ requests begun within any second; a limit
 * below 1 admits one request per 1/q seconds. Refused requests do not consume budget. Which
 * table the real service enforces, and whether per uid or client id, is UNKNOWN (§5.7); the
 * defaults are the 2025-10 free/VIP table (§5.1) plus rclone's confirmed create /
 * upload_complete / download_info values (§5.6). The legacy v1 upload endpoints appear only in
 * the older per-client table (§5.3: create 2) and the OAuth-app table (§5.4: create 5,
 * get_upload_url 20, list_upload_parts 20, upload_complete 20, upload_async_result 5): free uses
 * the older, stricter create value, VIP the OAuth one.
 */
final class OpenQps {
  /** Limits per endpoint (path without leading slash); absent = unlimited. */
  final Map<String, Double> free = new LinkedHashMap<>();
  final Map<String, Double> vip = new LinkedHashMap<>();
  private final Map<String, ArrayDeque<Instant>> windows = new HashMap<>();
  volatile boolean enabled = true;
  /** Requests refused for going over a limit, per endpoint (tests measure "0 over the limit"). */
  private final Map<String, Integer> refused = new HashMap<>();

  OpenQps() {
    put("api/v1/user/info", 10, 10);
    put("api/v1/file/move", 3, 10);
    put("api/v1/file/delete", 1, 10);
    put("api/v1/file/list", 0.2, 10);
    put("api/v2/file/list", 5, 10);
    put("upload/v1/file/mkdir", 5, 20);
    put("api/v1/access_token", 8, 10);
    put("upload/v2/file/create", 1, 20);
    put("upload/v2/file/upload_complete", 5, 20);
    put("api/v1/file/download_info", 2, 0);
    put("upload/v1/file/create", 2, 5);
    put("upload/v1/file/get_upload_url", 20, 20);
    put("upload/v1/file/list_upload_parts", 20, 20);
    put("upload/v1/file/upload_complete", 20, 20);
    put("upload/v1/file/upload_async_result", 5, 5);
  }

  /** Sets both tiers; a value ≤ 0 means unlimited. */
  synchronized void put(String endpoint, double freeQps, double vipQps) {
    String k = key(endpoint);
    if (freeQps > 0) free.put(k, freeQps); else free.remove(k);
    if (vipQps > 0) vip.put(k, vipQps); else vip.remove(k);
  }

  /** The outcome of {@link #admit}. */
  enum Verdict { ADMIT, OVER_BUT_ADMITTED, REFUSE }

  /**
   * Whether the request may proceed. A request within the limit is counted in the window; one
   * over it is refused (not counted) when limits are on, and admitted but reported as
   * {@link Verdict#OVER_BUT_ADMITTED} when they are off.
   */
  synchronized Verdict admit(long uid, boolean isVip, String endpoint, Instant now) {
    Double q = (isVip ? vip : free).get(key(endpoint));
    if (q == null || q <= 0) return Verdict.ADMIT;
    Duration window;
    int max;
    if (q >= 1) {
      window = Duration.ofSeconds(1);
      max = (int) Math.floor(q);
    } else {
      window = Duration.ofNanos((long) (1_000_000_000L / q));
      max = 1;
    }
    ArrayDeque<Instant> starts = windows.computeIfAbsent(uid + " " + key(endpoint), k -> new ArrayDeque<>());
    Instant floor = now.minus(window);
    while (!starts.isEmpty() && !starts.peekFirst().isAfter(floor)) starts.pollFirst();
    if (starts.size() >= max) {
      refused.merge(key(endpoint), 1, Integer::sum);
      return enabled ? Verdict.REFUSE : Verdict.OVER_BUT_ADMITTED;
    }
    starts.addLast(now);
    return Verdict.ADMIT;
  }

  synchronized void reset() {
    windows.clear();
    refused.clear();
  }

  synchronized int refused(String endpoint) {
    return refused.getOrDefault(key(endpoint), 0);
  }

  static String key(String endpoint) {
    return endpoint.startsWith("/") ? endpoint.substring(1) : endpoint;
  }
}
