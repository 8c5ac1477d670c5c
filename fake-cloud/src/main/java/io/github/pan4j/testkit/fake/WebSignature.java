package io.github.pan4j.testkit.fake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import okhttp3.HttpUrl;

/**
 * The request-signing query parameter of 123's web API (docs/protocol/123web.md §3.1), as the fake verifies
 * it: one parameter whose <em>name</em> is {@code K} = CRC-32 of the UTC+8 minute of {@code ts}
 * (digits mapped through a letter table) and whose value is {@code ts-r-V}, with {@code V} = CRC-32
 * of {@code ts|r|<path>|web|3|K}. Both CRCs are printed as unsigned decimals.
 *
 * <p>The verifier is stateless, exactly as a real server can be: it needs only the URL, the request
 * path and the clock. {@link #sign} exists so raw tests can build signed URLs; drivers carry their
 * own signer and must not borrow this one.
 */
public final class WebSignature {
  private static final char[] TABLE = "adefghlmyijnopkqrstubcvwsz".toCharArray();
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.ofHours(8));

  /** The last Unix second whose UTC+8 {@code yyyyMMddHHmm} has twelve digits (9999-12-31 23:59:59 +08:00). */
  private static final long LAST_TWELVE_DIGIT_MINUTE = 253402271999L;

  private WebSignature() {}

  /** The outcome of checking one request. */
  public enum Outcome {
    /** No all-digit parameter present. */
    ABSENT,
    /** Present and correct (and fresh, when a window applies). */
    VALID,
    /** Present but wrong: malformed value, more than one candidate, wrong name or checksum. */
    INVALID,
    /** Correct but {@code ts} lies outside the freshness window. */
    STALE
  }

  /** {@code K} for a Unix second: CRC-32 of the table-mapped UTC+8 {@code yyyyMMddHHmm}. */
  public static String minuteKey(long ts) {
    String digits = MINUTE.format(Instant.ofEpochSecond(ts));
    StringBuilder m = new StringBuilder(digits.length());
    for (int i = 0; i < digits.length(); i++) m.append(TABLE[digits.charAt(i) - '0']);
    return Long.toString(crc(m.toString()));
  }

  /** The parameter (name, value) for a path at {@code ts} with random part {@code r}. */
  public static List<String> sign(String path, long ts, long r) {
    String k = minuteKey(ts);
    String v = Long.toString(crc(ts + "|" + r + "|" + path + "|web|3|" + k));
    return List.of(k, ts + "-" + r + "-" + v);
  }

  /** {@code url} with the signing parameter for its path added. */
  public static HttpUrl signUrl(HttpUrl url, Instant now, long r) {
    List<String> p = sign(url.encodedPath(), now.getEpochSecond(), r);
    return url.newBuilder().addQueryParameter(p.get(0), p.get(1)).build();
  }

  /**
   * Checks the signing parameter of {@code url} for request path {@code path}.
   *
   * @param window the allowed distance between {@code ts} and {@code now}, or null for none
   */
  public static Outcome verify(HttpUrl url, String path, Instant now, Duration window) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < url.querySize(); i++) {
      if (allDigits(url.queryParameterName(i))) candidates.add(i);
    }
    if (candidates.isEmpty()) return Outcome.ABSENT;
    if (candidates.size() != 1) return Outcome.INVALID;
    String name = url.queryParameterName(candidates.get(0));
    String value = url.queryParameterValue(candidates.get(0));
    if (value == null) return Outcome.INVALID;
    String[] parts = value.split("-", -1);
    if (parts.length != 3 || !allDigits(parts[0]) || !allDigits(parts[1]) || !allDigits(parts[2])) return Outcome.INVALID;
    if (parts[0].length() > 12 || parts[2].length() > 10) return Outcome.INVALID;
    long ts = Long.parseLong(parts[0]);
    // D is twelve digits: a ts whose UTC+8 year has five has no name and is simply wrong.
    if (ts > LAST_TWELVE_DIGIT_MINUTE) return Outcome.INVALID;
    if (!name.equals(minuteKey(ts))) return Outcome.INVALID;
    String expected = Long.toString(crc(parts[0] + "|" + parts[1] + "|" + path + "|web|3|" + name));
    if (!expected.equals(parts[2])) return Outcome.INVALID;
    if (window != null && Math.abs(now.getEpochSecond() - ts) > window.toSeconds()) return Outcome.STALE;
    return Outcome.VALID;
  }

  static long crc(String s) {
    CRC32 c = new CRC32();
    c.update(s.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }

  private static boolean allDigits(String s) {
    if (s == null || s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }
}
