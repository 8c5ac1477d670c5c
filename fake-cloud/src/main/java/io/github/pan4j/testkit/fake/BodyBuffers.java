package io.github.pan4j.testkit.fake;

import java.util.concurrent.ArrayBlockingQueue;
import okio.ByteString;

/**
 * Request bodies of uploads without a fresh array per request.
 *
 * <p>Large bodies with a Content-Length are read by the fake's own sockets into reused arrays
 * ({@link ReceivedBodies}) and leased from there without a copy. What follows is about the others
 * (chunked bodies, small ones), which MockWebServer reads.
 *
 * <p>MockWebServer reads a whole request body into okio segments before the fake sees it (it
 * offers no streaming request body: its dispatcher gets a {@code RecordedRequest} whose body is
 * complete, and {@code doNotReadRequestBody} is decided by {@code Dispatcher.peek()}, which does
 * not see the request), so a slice is held once in those segments. Copying it into a new 16 MiB
 * array per slice made every slice a humongous allocation, and the GC cycles those triggered cost
 * more CPU than hashing the bytes (JFR of a 256 MiB upload). Multipart bodies are therefore copied
 * into a few reused arrays ({@link #lease}); raw bodies (presigned part PUTs) are written to their
 * file and hashed straight from the segments ({@link UploadFile#of(okio.ByteString)}).
 */
final class BodyBuffers {
  private final ArrayBlockingQueue<byte[]> free;

  /** Keeps at most {@code keep} arrays between requests. */
  BodyBuffers(int keep) {
    this.free = new ArrayBlockingQueue<>(keep);
  }

  /** A request body copied into a reused array: {@code buf[0, length)}; close gives it back. */
  final class Lease implements AutoCloseable {
    final byte[] buf;
    final int length;
    private final boolean owned;
    private final ReceivedBodies.Body held; // null for a copy of MockWebServer's body

    private Lease(byte[] buf, int length, boolean owned, ReceivedBodies.Body held) {
      this.buf = buf;
      this.length = length;
      this.owned = owned;
      this.held = held;
    }

    /**
     * The MD5 (lower-case hex) of {@code buf[off, off + len)}; for a body the fake's socket read,
     * finished from the digest it ran while reading when that covers the range (see
     * {@link RunningMd5}).
     */
    String md5(int off, int len) {
      return held != null ? held.md5(off, len) : Digests.md5(buf, off, len);
    }

    @Override
    public void close() {
      if (owned) free.offer(buf); // dropped when enough are kept
    }
  }

  /**
   * The request's body in an array (valid until the lease is closed): the array the fake's socket
   * read it into when it did (no copy, see {@link ReceivedBodies}), else a leased copy of
   * MockWebServer's segments.
   */
  Lease lease(FakeRequest req) {
    ReceivedBodies.Body held = req.heldBody();
    if (held != null) return new Lease(held.buf, held.length, false, held);
    ByteString body = req.recorded().getBody();
    int n = body == null ? 0 : body.size();
    byte[] buf = null;
    for (byte[] a; buf == null && (a = free.poll()) != null; ) {
      if (a.length >= n) buf = a; // a smaller one is dropped: bodies only grow to the slice size
    }
    if (buf == null) buf = new byte[Math.max(n, 1 << 16)];
    if (n > 0) body.copyInto(0, buf, 0, n);
    return new Lease(buf, n, true, null);
  }
}
