package io.github.pan4j.driver.open123;

import io.github.pan4j.driver.common123.internal.Outcomes;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.ShareLink;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.core.SharePage;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Share creation and the list of the account's shares (docs/protocol/123open.md §8.21):
 * {@code POST /api/v1/share/create} and {@code GET /api/v1/share/list}.
 *
 * <p>{@code share/create} is not idempotent: repeating it after the request may have reached 123
 * would make a second share. The call is therefore sent once; only refusals that prove nothing was
 * done are repeated by the request engine (a 429, or a 401 answered before the token was renewed).
 * A 5xx, a dropped connection or an unreadable reply fails at once, with advice to look at the
 * share list before trying again.
 */
final class Open123Shares {
  /** Where 123 serves a share's public page; the key is appended. */
  static final String PAGE_BASE = "https://www.123pan.com/s/";
  /** Shares asked for per {@code share/list} page. The server's maximum is UNKNOWN; 100 matches file lists. */
  static final int LIST_LIMIT = 100;
  private static final DateTimeFormatter WIRE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  private final Open123Api api;

  Open123Shares(Open123Api api) {
    this.api = api;
  }

  ShareLink create(List<String> ids, ShareOptions options, int max, java.util.function.Function<String, String> nameOf) {
    String target = ids == null || ids.size() != 1 ? (ids == null ? 0 : ids.size()) + " entries" : ids.get(0);
    if (ids == null || ids.isEmpty()) throw invalid(target, "nothing to share; give at least one file or folder id");
    if (ids.size() > max) {
      throw invalid(target, "123 puts at most " + max + " entries into one share but " + ids.size()
          + " were given; share their common folder instead, or split them into several shares");
    }
    Set<Long> seen = new HashSet<>();
    StringJoiner list = new StringJoiner(",");
    for (String id : ids) {
      long v = Open123Errors.id(id, "share");
      if (v == 0) throw invalid(id, "the root folder cannot be shared; share the folders or files in it");
      if (!seen.add(v)) throw invalid(id, "id " + v + " is given twice; list each entry once");
      list.add(Long.toString(v));
    }
    String name = options.name() != null ? options.name() : nameOf.apply(ids.get(0));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("shareName", name);
    body.put("shareExpire", options.expiry().days());
    body.put("fileIDList", list.toString());
    if (options.hasPassword()) body.put("sharePwd", options.password());
    if (options.hasTrafficSettings()) {
      // trafficSwitch: 1 none, 2 guests, 3 over-quota users, 4 both (our reading of the official page).
      body.put("trafficSwitch", 1 + (options.freeForGuests() ? 1 : 0) + (options.freeOverQuota() ? 2 : 0));
      body.put("trafficLimitSwitch", options.trafficLimitBytes() >= 0 ? 2 : 1);
      if (options.trafficLimitBytes() >= 0) body.put("trafficLimit", options.trafficLimitBytes());
    }
    JsonNode d;
    try {
      d = api.post("share", target, Open123Limits.SHARE_CREATE, body, false);
    } catch (DriveException e) {
      throw Outcomes.mayHaveTakenEffect(e, "created the share", "list your shares (drive.shares(), or 'pan4j share ls')");
    }
    // The reply has no expiry: 123 counts the days from when it made the share, which is closest
    // to when its answer came (a throttled first attempt, and the pause before the repeat, come
    // before that).
    Instant asked = api.clock().instant();
    String key = d.path("shareKey").asText("");
    if (key.isEmpty()) throw Open123Api.protocol("share", target, "share/create answered without a shareKey", null);
    String shareId = d.path("shareID").asText(d.path("shareId").asText(""));
    return new ShareLink(shareId.isEmpty() ? null : shareId, key, name, options.password(), PAGE_BASE + key,
        options.expiry().expiresAt(asked).orElse(null));
  }

  SharePage list(String cursor) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("limit", LIST_LIMIT);
    if (cursor != null) q.put("lastShareId", cursor);
    JsonNode d = api.get("shares", null, Open123Limits.SHARE_LIST, q);
    JsonNode items = d.path("shareList");
    if (!items.isArray()) {
      if (items.isNull() || items.isMissingNode()) return new SharePage(List.of(), null); // an account without shares
      throw Open123Api.protocol("shares", null, "share/list answered without a shareList array", null);
    }
    List<ShareLink> out = new ArrayList<>(items.size());
    for (JsonNode n : items) out.add(link(n));
    long last = d.path("lastShareId").asLong(-1);
    String next = last <= 0 || items.isEmpty() ? null : Long.toString(last);
    if (next != null && next.equals(cursor)) {
      throw Open123Api.protocol("shares", null, "share/list answered with the same cursor it was sent (lastShareId "
          + next + "), which would repeat the same page forever", null);
    }
    return new SharePage(out, next);
  }

  /**
   * One {@code shareList} item. The item fields are not in our protocol notes (UNKNOWN); we read
   * the names the open API uses elsewhere ({@code shareId}, {@code shareKey}, {@code shareName},
   * {@code sharePwd}, {@code expiration}) and accept {@code shareID} too.
   */
  private static ShareLink link(JsonNode n) {
    String key = n.path("shareKey").asText("");
    if (key.isEmpty()) throw Open123Api.protocol("shares", null, "a share/list item has no shareKey", null);
    String id = n.path("shareId").asText(n.path("shareID").asText(""));
    String pwd = n.path("sharePwd").asText("");
    String name = n.path("shareName").asText(null);
    return new ShareLink(id.isEmpty() ? null : id, key, name, pwd, PAGE_BASE + key, expiration(n.path("expiration")));
  }

  /**
   * {@code expiration} as the open API writes times ({@code yyyy-MM-dd HH:mm:ss}, UTC+8) or RFC 3339;
   * empty, null, 0 or a date in 2099 or later means permanent (how 123 marks a permanent share is
   * UNKNOWN).
   */
  static Instant expiration(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) return null;
    String s = v.asText("").trim();
    if (s.isEmpty() || s.equals("0")) return null;
    Instant t;
    try {
      t = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        t = LocalDateTime.parse(s, WIRE_TIME).toInstant(CHINA);
      } catch (DateTimeParseException e2) {
        return null; // unreadable: shown as permanent rather than failing the whole listing
      }
    }
    return t.atOffset(CHINA).getYear() >= 2099 ? null : t;
  }

  private static DriveException invalid(String target, String message) {
    return DriveException.builder(ErrorKind.INVALID_ARGUMENT, message).driver(Open123Provider.ID).operation("share")
        .target(target).build();
  }
}
