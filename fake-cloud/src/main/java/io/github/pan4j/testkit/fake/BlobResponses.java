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
 * 416 for a range past the end; {@code If-Range} and {@code If-None-Match} against the blob's
 * {@code ETag} (its MD5) as HTTP defines them. Bodies stream from the blob file; nothing is
 * buffered whole.
 */
public final class BlobResponses {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private BlobResponses() {}

  public static MockResponse serve(FakeRequest req, Blob blob, String contentType) {
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
    return b.build();
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
