package io.github.pan4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where to fetch a file's bytes, and what the fetch needs.
 *
 * <p>A 123 link is not just a URL: the CDN may check a {@code Referer}, bind the URL to the
 * requesting region, and let it expire. So a link carries the request headers it needs, its
 * absolute expiry, whether the driver recommends proxying (streaming the bytes through the host
 * rather than redirecting the end user), and a way to open the bytes, whole or by range, through
 * the SDK's own HTTP client.
 */
public final class Link {
  private final String url;
  private final Map<String, String> headers;
  private final Instant expiresAt;
  private final long contentLength;
  private final String md5;
  private final boolean preferProxy;
  private final String note;
  private final Opener opener;

  private Link(Builder b) {
    this.url = b.url;
    this.headers = Map.copyOf(b.headers);
    this.expiresAt = b.expiresAt;
    this.contentLength = b.contentLength;
    this.md5 = b.md5;
    this.preferProxy = b.preferProxy;
    this.note = b.note;
    this.opener = b.opener;
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** The URL to GET. */
  public String url() { return url; }
  /** Headers the GET must carry (for example {@code Referer}). */
  public Map<String, String> headers() { return headers; }
  /** When the URL stops working, if the provider says or the driver signed it. */
  public Optional<Instant> expiresAt() { return Optional.ofNullable(expiresAt); }
  /** The size of the file, when known. */
  public OptionalLong contentLength() { return contentLength < 0 ? OptionalLong.empty() : OptionalLong.of(contentLength); }
  /** The file's MD5 (lowercase hex), when the driver knew it; {@link #open()} checks the bytes against it. */
  public Optional<String> md5() { return Optional.ofNullable(md5); }
  /**
   * True when a host should stream the bytes itself rather than redirect the user: the URL needs
   * headers a browser will not send, or is bound to the region of the machine that asked for it.
   */
  public boolean preferProxy() { return preferProxy; }
  /** A human note on the link (what it is bound to, what traffic it spends). */
  public Optional<String> note() { return Optional.ofNullable(note); }

  /**
   * Opens the whole file, checked: the body counts and hashes what the caller reads, in the same
   * pass, and when it reaches its end with a byte count other than {@link #contentLength()} or an
   * MD5 other than {@link #md5()} (where known) the read fails with an {@link IOException} whose
   * cause is a {@link DriveException} of kind {@link ErrorKind#INTEGRITY}; a body longer than the
   * file fails as soon as it passes the size. So a stream read to its end was the file, whole.
   * {@code open(0, -1)} returns the same bytes unchecked, for callers that check themselves. The
   * caller closes the returned content.
   */
  public Content open() {
    Content c = open(0, -1);
    if (contentLength < 0 && md5 == null) return c;
    return new Content(new CheckedBody(c.body(), contentLength, md5, maskedUrl()), c.status(), c.offset(), c.length(),
        c.totalLength(), c.contentType());
  }

  /**
   * Opens {@code length} bytes from {@code offset} ({@code length < 0}: to the end), sending the
   * link's headers. The caller closes the returned content.
   *
   * <p>A range that runs past the end of the file gives the bytes up to the end (status 206, with
   * {@link Content#length()} saying how many). A range that starts at or past the end is no error:
   * it gives status 416 and an empty body, with {@link Content#totalLength()} the file's size when
   * the server said it, so a host can answer its own client's Range request with 416 and
   * {@code Content-Range: bytes *}{@code /size}.
   *
   * <p>{@code length == 0} asks for nothing, which HTTP cannot express as a range: it returns an
   * empty body without sending a request, with status 206, or 416 when {@link #contentLength()} is
   * known and {@code offset} is at or past it (as a range starting there would).
   *
   * @throws DriveException NETWORK on I/O failure, EXPIRED when the CDN refuses an expired link
   */
  public Content open(long offset, long length) {
    if (offset < 0) throw new IllegalArgumentException("offset must not be negative but was " + offset);
    if (length == 0) {
      // "bytes=X-(X-1)" is no valid range: servers answer it 416 whatever X is, memory drivers 206.
      boolean past = contentLength >= 0 && offset >= contentLength;
      return new Content(InputStream.nullInputStream(), past ? 416 : 206, offset, 0, contentLength, null);
    }
    if (opener == null) {
      throw DriveException.of(ErrorKind.UNSUPPORTED, "this link has no opener; fetch " + maskedUrl() + " yourself");
    }
    return opener.open(this, offset, length);
  }

  @Override
  public String toString() {
    return "Link{" + maskedUrl() + (headers.isEmpty() ? "" : ", headers=" + headers.keySet())
        + (expiresAt != null ? ", expiresAt=" + expiresAt : "")
        + (contentLength >= 0 ? ", length=" + contentLength : "") + (preferProxy ? ", preferProxy" : "") + "}";
  }

  /**
   * This link with {@code wrap} applied to its opener (a link without one stays without): for a
   * drive that hands out another drive's links and must end their downloads when it closes.
   */
  Link withOpener(java.util.function.UnaryOperator<Opener> wrap) {
    if (opener == null) return this;
    Builder b = builder(url).expiresAt(expiresAt).contentLength(contentLength).md5(md5).preferProxy(preferProxy)
        .note(note).opener(wrap.apply(opener));
    headers.forEach(b::header);
    return b.build();
  }

  /** The URL with signature-like query values ({@code auth_key}, tokens) masked, for printing. */
  private String maskedUrl() {
    int q = url.indexOf('?');
    if (q < 0) return url;
    StringBuilder out = new StringBuilder(url.substring(0, q + 1));
    String[] pairs = url.substring(q + 1).split("&", -1);
    for (int i = 0; i < pairs.length; i++) {
      if (i > 0) out.append('&');
      int eq = pairs[i].indexOf('=');
      String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
      out.append(eq < 0 || !io.github.pan4j.core.http.Redactor.isSensitive(name) ? pairs[i] : name + "=****");
    }
    return out.toString();
  }

  /** Opens the bytes behind a link; drivers get one from their request engine ({@code ApiClient.linkOpener()}). */
  @FunctionalInterface
  public interface Opener {
    Content open(Link link, long offset, long length);
  }

  /**
   * An open download: the body stream plus what the server said about it.
   *
   * @param body the bytes; close it (or this) when done
   * @param status HTTP status: 200 (the whole file), 206 (a range) or 416 (the range starts at or
   *     past the end of the file; the body is empty)
   * @param offset first byte position of the body in the file
   * @param length number of bytes in the body, or -1 when unknown
   * @param totalLength the whole file's length, or -1 when unknown
   * @param contentType the server's content type, or null
   */
  public record Content(InputStream body, int status, long offset, long length, long totalLength, String contentType)
      implements AutoCloseable {
    public Content {
      Objects.requireNonNull(body, "body");
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (java.io.IOException ignored) {
        // Closing a network stream that already failed has nothing useful to report.
      }
    }
  }

  /** The body of {@link #open()}: counts and hashes as it is read, and fails at its end when the file was not whole. */
  private static final class CheckedBody extends java.io.FilterInputStream {
    private final long expected;
    private final String md5Expected;
    private final java.security.MessageDigest md5;
    private final String where;
    private long count;
    private boolean checked;

    CheckedBody(InputStream in, long expected, String md5Expected, String where) {
      super(in);
      this.expected = expected;
      this.md5Expected = md5Expected;
      this.where = where;
      try {
        this.md5 = md5Expected == null ? null : java.security.MessageDigest.getInstance("MD5");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("MD5 is a required JDK algorithm", e);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        atEnd();
        return -1;
      }
      if (n > 0) {
        count += n;
        if (md5 != null) md5.update(b, off, n);
        if (expected >= 0 && count > expected) {
          throw failed("the body is longer than the file's " + expected + " bytes");
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must still be counted and hashed.
      byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) break;
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void atEnd() throws IOException {
      if (checked) return;
      checked = true;
      if (expected >= 0 && count != expected) {
        throw failed("the body ended after " + count + " bytes but the file has " + expected);
      }
      if (md5 != null) {
        String actual = java.util.HexFormat.of().formatHex(md5.digest());
        if (!actual.equals(md5Expected)) {
          throw failed("the MD5 of the bytes read is " + actual + " but the file's is " + md5Expected);
        }
      }
    }

    private IOException failed(String why) {
      checked = true;
      DriveException e = DriveException.builder(ErrorKind.INTEGRITY, why + " (" + where + "); fetch it again")
          .operation("open").build();
      return new IOException(e.getMessage(), e);
    }
  }

  /** Builder for {@link Link}. */
  public static final class Builder {
    private final String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Instant expiresAt;
    private long contentLength = -1;
    private String md5;
    private boolean preferProxy;
    private String note;
    private Opener opener;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    public Builder header(String name, String value) { headers.put(name, value); return this; }
    public Builder expiresAt(Instant expiresAt) { this.expiresAt = expiresAt; return this; }
    public Builder contentLength(long contentLength) { this.contentLength = contentLength; return this; }
    /** The file's MD5 as 32 hex digits (null or blank: unknown); any other value is ignored rather than failing every read. */
    public Builder md5(String md5) {
      this.md5 = md5 != null && md5.matches("[0-9a-fA-F]{32}") ? md5.toLowerCase(java.util.Locale.ROOT) : null;
      return this;
    }
    public Builder preferProxy(boolean preferProxy) { this.preferProxy = preferProxy; return this; }
    public Builder note(String note) { this.note = note; return this; }
    public Builder opener(Opener opener) { this.opener = opener; return this; }
    public Link build() { return new Link(this); }
  }
}
