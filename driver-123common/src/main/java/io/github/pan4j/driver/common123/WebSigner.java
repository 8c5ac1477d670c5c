package io.github.pan4j.driver.common123;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The query parameter the 123云盘 web client adds to every {@code /b/api} call
 * (docs/protocol/123web.md §3.1), public so hosts and tests can reproduce it.
 *
 * <p>For request path {@code P}, instant {@code T} and random {@code r}: {@code K} = CRC-32 of the
 * UTC+8 minute of {@code T} ({@code yyyyMMddHHmm}) with each digit mapped through
 * {@code a d e f g h l m y i}; {@code V} = CRC-32 of {@code ts|r|P|web|3|K}; the parameter is
 * named {@code K} with value {@code ts-r-V}. Both CRCs print as unsigned decimals. The
 * {@code web}/{@code 3} pair is fixed: it does not follow the {@code platform} header.
 *
 * <p>The query string is not part of {@code P}; the parameter may go anywhere in the query.
 */
public final class WebSigner {
  /** The largest random part the web client draws ({@code Math.round(1e7 * Math.random())}). */
  public static final long MAX_RANDOM = 10_000_000L;

  private static final char[] DIGIT_TABLE = {'a', 'd', 'e', 'f', 'g', 'h', 'l', 'm', 'y', 'i'};
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.ofHours(8));

  private WebSigner() {}

  /**
   * A signature parameter.
   *
   * @param name the all-digit parameter name ({@code K})
   * @param value {@code ts-r-V}
   */
  public record Signature(String name, String value) {
    /** {@code name=value}, ready to append to a query string. */
    public String queryParameter() {
      return name + "=" + value;
    }
  }

  /**
   * Signs {@code path} (for example {@code /b/api/file/list/new}) at {@code time} with the given
   * random part (0 … {@link #MAX_RANDOM}). Deterministic.
   */
  public static Signature sign(String path, Instant time, long random) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(time, "time");
    if (random < 0) throw new IllegalArgumentException("random must not be negative but was " + random);
    if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/' but was '" + path + "'");
    long ts = time.getEpochSecond();
    String minute = MINUTE.format(time);
    StringBuilder mapped = new StringBuilder(minute.length());
    for (int i = 0; i < minute.length(); i++) mapped.append(DIGIT_TABLE[minute.charAt(i) - '0']);
    String k = Long.toString(crc32(mapped.toString()));
    String v = Long.toString(crc32(ts + "|" + random + "|" + path + "|web|3|" + k));
    return new Signature(k, ts + "-" + random + "-" + v);
  }

  /** Signs {@code path} at {@code time} with a random part drawn like the web client's. */
  public static Signature sign(String path, Instant time) {
    return sign(path, time, ThreadLocalRandom.current().nextLong(MAX_RANDOM + 1));
  }

  private static long crc32(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
