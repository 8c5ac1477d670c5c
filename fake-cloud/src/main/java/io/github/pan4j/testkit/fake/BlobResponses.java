package io.github.pan4j.testkit.fake;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * Serves blob bytes the way 123's CDN does: 200 with the whole file, or 206 with
 * {@code Content-Range} for a single {@code Range: bytes=a-b} (also {@code a-} and {@code -n}),
 * 416 for a range past the end; several ranges in one header get the whole file with 200, which
 * HTTP allows (whether 123's CDN answers {@code multipart/byteranges} is not known, and the
 * clients that matter ask for one range at a time); {@code If-Range} and {@code If-None-Match}
 * against the blob's {@code ETag} (its MD5) as HTTP defines them. Bodies stream from the blob file; nothing is
 * buffered whole.
 */
public final class BlobResponses {
  // The unit is case-insensitive (RFC 9110 §14.1), as nginx compares it.
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)", Pattern.CASE_INSENSITIVE);

  private BlobResponses() {}

  public static MockResponse serve(FakeRequest req, Blob blob, String contentType) {
    return serve(req, blob, contentType, null);
  }

  /**
   * As {@link #serve(FakeRequest, Blob, String)}, with {@code Content-Disposition: attachment}
   * naming the file {@code downloadName} (null: no such header) on the 200 and 206 answers, as
   * {@link #attachment} writes it.
   */
  public static MockResponse serve(FakeRequest req, Blob blob, String contentType, String downloadName) {
    long size = blob.size();
    String etag = "\"" + blob.md5() + "\"";
    String noneMatch = req.header("If-None-Match");
    if (noneMatch != null && matches(noneMatch, etag)) {
      // RFC 9110 §13.1.2: the client's copy is current.
      return new MockResponse.Builder().code(304).setHeader("ETag", etag).setHeader("Accept-Ranges", "bytes").build();
    }
    String range = req.header("Range");
    String ifRange = req.header("If-Range");
    // RFC 9110 §13.1.5: a Range is honoured only while the validator still names this content; the
    // fake sends no Last-Modified, so a date never does.
    if (range != null && ifRange != null && !ifRange.trim().equals(etag)) range = null;
    long start = 0;
    long end = size - 1;
    int code = 200;
    if (range != null) {
      Matcher m = RANGE.matcher(range.trim());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        if (m.group(1).isEmpty()) {
          long n = position(m.group(2));
          start = Math.max(0, size - n);
        } else {
          start = position(m.group(1));
          if (!m.group(2).isEmpty()) end = Math.min(end, position(m.group(2)));
        }
        if (start >= size || start > end) {
          return new MockResponse.Builder().code(416).setHeader("Content-Range", "bytes */" + size).body("").build();
        }
        code = 206;
      }
    }
    long length = size == 0 ? 0 : end - start + 1;
    MockResponse.Builder b = new MockResponse.Builder().code(code)
        .setHeader("Content-Type", contentType == null ? "application/octet-stream" : contentType)
        .setHeader("Accept-Ranges", "bytes")
        .setHeader("ETag", etag)
        .body(stream(blob, start, length));
    if (code == 206) b.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
    if (downloadName != null) b.setHeader("Content-Disposition", attachment(downloadName));
    return b.build();
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
   * A range position (digits only). HTTP sets no upper bound (RFC 9110 §14.1.2): one too large
   * for a long is past any file's end and reads as {@link Long#MAX_VALUE}, so a last-pos or a
   * suffix beyond the file means "to the end" / "all of it" and a first-pos beyond it is 416.
   */
  private static long position(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Whether an {@code If-None-Match} list names {@code etag} (weak comparison) or is {@code *}. */
  private static boolean matches(String list, String etag) {
    for (String tag : list.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) return true;
    }
    return false;
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
