package io.github.pan4j.testkit.fake;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * Serves blob bytes the way an nginx in front of 123's storage would (123's CDN and direct-link
 * hosts say nothing about their validators or multi-range answers in any public source, so the
 * fake answers as nginx's static-file and range modules do):
 *
 * <ul>
 *   <li>{@code Last-Modified} is when the content was first stored ({@link Blob#stored()}) and
 *       {@code ETag} is nginx's strong tag {@code "<hex seconds>-<hex length>"} of that time and
 *       the size; {@link FakeStore#cdnMd5Etag(boolean)} makes it the MD5 in quotes, as object
 *       stores write it (no source says which 123 sends).
 *   <li>Conditions in nginx's order: {@code If-Unmodified-Since} (a date before the stored time,
 *       or one that does not parse) and {@code If-Match} (no tag equal, strong comparison) give
 *       412; then {@code If-Modified-Since} and {@code If-None-Match} give 304 only when every one
 *       present says "not modified": the date must equal {@code Last-Modified} exactly (nginx's
 *       default {@code if_modified_since exact}), a tag must equal the {@code ETag} ({@code W/}
 *       ignored). A 304 carries the validators but no type, length or {@code Accept-Ranges}.
 *   <li>{@code Range: bytes=…} (unit in any case) as nginx parses it: a syntax error is 416, a
 *       range starting past the end is skipped, no range left is 416 (nginx's error page) with
 *       {@code Content-Range: bytes *}{@code /<size>}; one range is 206 with {@code Content-Range};
 *       several are 206 {@code multipart/byteranges}, parts in the order asked, boundary a
 *       20-digit counter as nginx writes it; but when the ranges together ask for more bytes than
 *       the file has (overlaps, repeats), or a range {@code 0-} is empty (an empty file), or there
 *       are more than {@link FakeStore#cdnMaxRanges(int)} (nginx's {@code max_ranges}; no limit
 *       by default), the whole file is served with 200; with that limit 0 ranges are ignored and
 *       {@code Accept-Ranges} is not sent. {@code Accept-Ranges: bytes} goes with a 200 only,
 *       never with a 206, as nginx sends it.
 *   <li>{@code If-Range}: a value ending in {@code "} must equal the {@code ETag} byte for byte,
 *       any other must be a date equal to {@code Last-Modified}; otherwise the whole file (200).
 * </ul>
 *
 * Bodies stream from the blob file; nothing is buffered whole.
 */
public final class BlobResponses {
  private static final java.time.format.DateTimeFormatter HTTP_DATE = java.time.format.DateTimeFormatter
      .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);
  /** nginx numbers multipart boundaries with a counter, zero-padded to 20 digits. */
  private static final java.util.concurrent.atomic.AtomicLong BOUNDARIES = new java.util.concurrent.atomic.AtomicLong();

  private BlobResponses() {}

  public static MockResponse serve(FakeRequest req, Blob blob, String contentType) {
    return serve(req, blob, contentType, null);
  }

  /**
   * The {@code ETag} the CDN gives {@code blob}: nginx's {@code "<hex mtime>-<hex length>"}, or its
   * MD5 in quotes when its store says so ({@link FakeStore#cdnMd5Etag(boolean)}).
   */
  public static String etag(Blob blob) {
    if (blob.store != null && blob.store.cdnMd5Etag()) return "\"" + blob.md5() + "\"";
    return "\"" + Long.toHexString(blob.stored().getEpochSecond()) + "-" + Long.toHexString(blob.size()) + "\"";
  }

  /** The {@code Last-Modified} the CDN gives {@code blob} (IMF-fixdate). */
  public static String lastModified(Blob blob) {
    return HTTP_DATE.format(blob.stored());
  }

  /**
   * As {@link #serve(FakeRequest, Blob, String)}, with {@code Content-Disposition: attachment}
   * naming the file {@code downloadName} (null: no such header) on the 200 and 206 answers, as
   * {@link #attachment} writes it.
   */
  public static MockResponse serve(FakeRequest req, Blob blob, String contentType, String downloadName) {
    long size = blob.size();
    long modified = blob.stored().getEpochSecond();
    String etag = etag(blob);
    String lastModified = lastModified(blob);
    String type = contentType == null ? "application/octet-stream" : contentType;
    // nginx's not-modified filter, before any range is looked at.
    String unmodifiedSince = req.header("If-Unmodified-Since");
    String ifMatch = req.header("If-Match");
    if ((unmodifiedSince != null && !(parseDate(unmodifiedSince) >= modified))
        || (ifMatch != null && !tagListMatches(ifMatch, etag, false))) {
      return new MockResponse.Builder().code(412).setHeader("Content-Type", "text/html")
          .body(FakeCloud.gatewayPage(412)).build();
    }
    String modifiedSince = req.header("If-Modified-Since");
    String noneMatch = req.header("If-None-Match");
    if ((modifiedSince != null || noneMatch != null)
        && (modifiedSince == null || parseDate(modifiedSince) == modified)
        && (noneMatch == null || tagListMatches(noneMatch, etag, true))) {
      return new MockResponse.Builder().code(304).setHeader("Last-Modified", lastModified).setHeader("ETag", etag).build();
    }
    MockResponse.Builder b = new MockResponse.Builder()
        .setHeader("Content-Type", type)
        .setHeader("Last-Modified", lastModified)
        .setHeader("ETag", etag);
    int maxRanges = blob.store == null ? -1 : blob.store.cdnMaxRanges();
    if (downloadName != null) b.setHeader("Content-Disposition", attachment(downloadName));
    String range = req.header("Range");
    String ifRange = req.header("If-Range");
    if (range != null && ifRange != null && !ifRangeHolds(ifRange.trim(), etag, modified)) range = null;
    List<long[]> ranges = range == null || maxRanges == 0 ? null : ranges(range.trim(), size, maxRanges);
    if (ranges == null) {
      // nginx's range filter announces ranges on the whole file it lets through, never on a 206.
      if (maxRanges != 0) b.setHeader("Accept-Ranges", "bytes");
      return b.code(200).body(stream(blob, 0, size)).build();
    }
    if (ranges.isEmpty()) {
      // nginx answers with its error page, as for any status it makes itself.
      return new MockResponse.Builder().code(416).setHeader("Content-Range", "bytes */" + size)
          .setHeader("Content-Type", "text/html").body(FakeCloud.gatewayPage(416)).build();
    }
    if (ranges.size() == 1) {
      long[] r = ranges.get(0);
      return b.code(206).setHeader("Content-Range", "bytes " + r[0] + "-" + (r[1] - 1) + "/" + size)
          .body(stream(blob, r[0], r[1] - r[0])).build();
    }
    String boundary = String.format("%020d", BOUNDARIES.incrementAndGet());
    return b.code(206).setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary)
        .body(multipart(blob, ranges, boundary, type)).build();
  }

  /**
   * The ranges of a {@code Range} header as nginx's range filter reads them, each {start, end
   * exclusive}: null when the header is to be ignored and the whole file served (another unit,
   * ranges that together ask for more than the file has, an empty range at 0); empty when the
   * header is malformed or no range lies within the file (416). {@code max}: the most ranges
   * taken (nginx's {@code max_ranges}), -1 for no limit.
   */
  static List<long[]> ranges(String header, long size, int max) {
    if (header.length() < 7 || !header.regionMatches(true, 0, "bytes=", 0, 6)) return null;
    List<long[]> out = new ArrayList<>();
    String v = header.substring(6);
    int p = 0;
    long total = 0;
    while (true) {
      p = skipSpaces(v, p);
      long start = 0;
      long end;
      boolean suffix = false;
      boolean toEnd = false;
      if (p < v.length() && v.charAt(p) != '-') {
        if (!digit(v, p)) return List.of();
        int q = p;
        while (digit(v, p)) p++;
        start = position(v.substring(q, p));
        if (start < 0) return List.of();
        p = skipSpaces(v, p);
        if (p >= v.length() || v.charAt(p++) != '-') return List.of();
        p = skipSpaces(v, p);
        toEnd = p >= v.length() || v.charAt(p) == ',';
      } else {
        suffix = true;
        p++;
      }
      if (toEnd) {
        end = size;
      } else {
        if (!digit(v, p)) return List.of();
        int q = p;
        while (digit(v, p)) p++;
        end = position(v.substring(q, p));
        if (end < 0) return List.of();
        p = skipSpaces(v, p);
        if (p < v.length() && v.charAt(p) != ',') return List.of();
        if (suffix) {
          start = end < size ? size - end : 0;
          end = size - 1;
        }
        end = end >= size ? size : end + 1;
      }
      if (start < end) {
        out.add(new long[] {start, end});
        if (max >= 0 && out.size() > max) return null;
        total += end - start;
      } else if (start == 0) {
        return null;
      }
      if (p >= v.length() || v.charAt(p) != ',') break;
      p++;
    }
    if (out.isEmpty()) return List.of();
    return total > size ? null : out;
  }

  private static int skipSpaces(String v, int p) {
    while (p < v.length() && v.charAt(p) == ' ') p++;
    return p;
  }

  private static boolean digit(String v, int p) {
    return p < v.length() && v.charAt(p) >= '0' && v.charAt(p) <= '9';
  }

  /** {@code If-Range} as nginx checks it: an entity tag byte for byte, else a date equal to Last-Modified. */
  private static boolean ifRangeHolds(String ifRange, String etag, long modified) {
    if (ifRange.length() >= 2 && ifRange.endsWith("\"")) return ifRange.equals(etag);
    return parseDate(ifRange) == modified;
  }

  /** Epoch seconds of an HTTP date (IMF-fixdate, RFC 850 or asctime), or -1 when it does not parse. */
  static long parseDate(String value) {
    String v = value.trim();
    for (java.time.format.DateTimeFormatter f : new java.time.format.DateTimeFormatter[] {
        HTTP_DATE,
        java.time.format.DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", java.util.Locale.US)
            .withZone(java.time.ZoneOffset.UTC),
        java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.US)
            .withZone(java.time.ZoneOffset.UTC)}) {
      try {
        return java.time.ZonedDateTime.parse(v, f).toEpochSecond();
      } catch (java.time.format.DateTimeParseException e) {
        // try the next form
      }
    }
    return -1;
  }

  /**
   * Whether a list of entity tags names {@code etag}, as nginx compares them: the whole value
   * {@code *}, or an element equal to the tag ({@code weak}: after dropping a {@code W/}).
   */
  private static boolean tagListMatches(String list, String etag, boolean weak) {
    if (list.trim().equals("*")) return true;
    for (String tag : list.split(",")) {
      String t = tag.trim();
      if (weak && t.startsWith("W/")) t = t.substring(2);
      if (t.equals(etag)) return true;
    }
    return false;
  }

  /** A multipart/byteranges body (RFC 9110 §14.6) laid out as nginx writes it. */
  private static MockResponseBody multipart(Blob blob, List<long[]> ranges, String boundary, String type) {
    List<byte[]> heads = new ArrayList<>();
    long length = 0;
    for (long[] r : ranges) {
      byte[] head = ("\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: bytes " + r[0] + "-"
          + (r[1] - 1) + "/" + blob.size() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      heads.add(head);
      length += head.length + (r[1] - r[0]);
    }
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    long total = length + tail.length;
    return new MockResponseBody() {
      @Override
      public long getContentLength() {
        return total;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < ranges.size(); i++) {
          sink.write(heads.get(i));
          long[] r = ranges.get(i);
          try (InputStream in = blob.open(r[0], r[1] - r[0])) {
            int n;
            while ((n = in.read(buf)) > 0) sink.write(buf, 0, n);
          }
        }
        sink.write(tail);
        sink.flush();
      }
    };
  }

  /**
   * {@code Content-Disposition} for a download saved as {@code name} (RFC 6266). A name of
   * printable ASCII without {@code "}, {@code \} or {@code %} goes as it is:
   * {@code attachment; filename="a.txt"}. Any other gets its UTF-8 bytes percent-encoded in
   * {@code filename*} (RFC 8187), which browsers and wget prefer to {@code filename}, and the same
   * encoded text as the plain {@code filename} for clients that read only that one (curl's
   * {@code -J}; browsers of old decoded it as UTF-8): an ASCII name they can always store: {@code attachment; filename="%E6%8A%A5.pdf"; filename*=UTF-8''%E6%8A%A5.pdf}.
   *
   * <p>123's protocol notes do not describe the header, but its download URLs end in a ticket or
   * {@code c-m2} and carry the name as {@code filename=} in the query, and the web app's downloads
   * (a browser following the link) are saved under the file's name, which only this header can
   * give. Its exact form at 123's CDN is not known; this is the standard one.
   */
  static String attachment(String name) {
    boolean plain = !name.isEmpty();
    for (int i = 0; i < name.length() && plain; i++) {
      char c = name.charAt(i);
      plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
    }
    if (plain) return "attachment; filename=\"" + name + "\"";
    StringBuilder pct = new StringBuilder();
    for (byte x : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      // attr-char of RFC 8187: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) pct.append((char) c);
      else pct.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
    }
    return "attachment; filename=\"" + pct + "\"; filename*=UTF-8''" + pct;
  }

  /**
   * A range position (digits only), or -1 when it does not fit a long: nginx refuses such a
   * number with 416 (its parser stops at the largest file offset), although HTTP sets no bound.
   */
  private static long position(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A streaming body over part of a blob. */
  public static MockResponseBody stream(Blob blob, long offset, long length) {
    return new MockResponseBody() {
      @Override
      public long getContentLength() {
        return length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        try (InputStream in = blob.open(offset, length)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) sink.write(buf, 0, n);
          sink.flush();
        }
      }
    };
  }
}
