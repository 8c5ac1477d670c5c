package io.github.pan4j.testkit.fake;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The MD5 of an upload's bytes, computed while its request body is still arriving
 * ({@link ReceivedBodies} feeds it after every socket read), so that the bytes are hashed while
 * they are fresh in the cache and the digest is ready, but for the last few KiB, when the body is.
 *
 * <p>What it hashes is a guess made from the bytes seen so far: for a {@code multipart/form-data}
 * body, the content of the first part that carries a form name and a file name (a slice, a
 * single-step upload's file), from the end of that part's headers on, found by the parser the
 * handler uses; for any other body, the whole body. Of a
 * multipart body it leaves the last {@value #RESERVE} bytes received unhashed until asked, since
 * the closing delimiter comes there.
 *
 * <p>The guess never decides anything. A handler parses the complete body as before and asks
 * {@link #md5(byte[], int, int)} for the range it found; the answer continues this digest only when
 * the range starts where the guess started and the digest has not gone past its end, and is null
 * otherwise (the caller then hashes the range afresh). So every check gives the result it gave
 * before; only the time at which the bytes are hashed moves.
 */
final class RunningMd5 {
  /** Bytes at the end of what a multipart body has received so far that are left for later. */
  static final int RESERVE = 8 * 1024;
  /** A multipart body whose file part has not begun within this many bytes is not hashed ahead. */
  static final int SEARCH_LIMIT = 1 << 20;
  /** Bytes hashed at a time at least (the socket reads of ReceivedBodies are larger). */
  private static final int STEP = 16 * 1024;

  private final String boundary; // null for raw bodies
  private final MessageDigest md = Digests.get("MD5");
  private int start; // where the hashed range begins; -1 while a multipart body's file part is unknown
  private int end; // md covers [start, end)
  private boolean gaveUp;

  private RunningMd5(String boundary) {
    this.boundary = boundary;
    start = boundary == null ? 0 : -1;
  }

  /**
   * The digest to run for a request body of this method and content type, or null for bodies
   * nobody hashes (JSON and form posts).
   */
  static RunningMd5 forBody(String method, String contentType) {
    String boundary = OpenMultipart.boundary(contentType);
    if (boundary != null) return new RunningMd5(boundary);
    return "PUT".equals(method) ? new RunningMd5(null) : null; // presigned part PUTs: the whole body
  }

  /** Hashes what it can of {@code buf[0, received)}; called as the body arrives. */
  void advance(byte[] buf, int received) {
    if (gaveUp) return;
    if (start < 0 && !locate(buf, received)) return;
    int upTo = boundary == null ? received : received - RESERVE;
    if (upTo - end >= STEP || (boundary == null && upTo > end)) {
      md.update(buf, end, upTo - end);
      end = upTo;
    }
  }

  /**
   * The MD5 (lower-case hex) of {@code buf[off, off + len)} when this digest covers its beginning,
   * or null when it does not (another range than the guess, or hashed past the range's end).
   * The running digest itself is left as it is.
   */
  String md5(byte[] buf, int off, int len) {
    if (gaveUp || start < 0 || off != start || end > off + len) return null;
    MessageDigest d;
    try {
      d = (MessageDigest) md.clone();
    } catch (CloneNotSupportedException e) {
      return null; // every JDK's MD5 clones; without it the caller hashes afresh
    }
    d.update(buf, end, off + len - end);
    return HexFormat.of().formatHex(d.digest());
  }

  /** Where hashing began (-1 if it did not); for tests. */
  int start() {
    return gaveUp ? -1 : start;
  }

  /**
   * Finds where the first part with a form name and a file name begins, as
   * {@link OpenMultipart#parse} reads the parts (the same reader: LF-only bodies, empty parts and
   * nameless parts included); false while the bytes received do not tell yet.
   */
  private boolean locate(byte[] buf, int received) {
    int at = OpenMultipart.fileContentStart(boundary, buf, received);
    if (at >= 0) {
      start = at;
      end = at;
      return true;
    }
    if (received > SEARCH_LIMIT) return giveUp();
    return false;
  }

  private boolean giveUp() {
    gaveUp = true;
    return false;
  }
}
