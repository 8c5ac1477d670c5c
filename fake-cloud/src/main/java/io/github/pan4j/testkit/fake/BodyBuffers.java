package io.github.pan4j.testkit.fake;

import java.util.concurrent.ArrayBlockingQueue;
import okio.ByteString;

/**
 * Request bodies of uploads without a fresh array per request.
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

    private Lease(byte[] buf, int length) {
      this.buf = buf;
      this.length = length;
    }

    @Override
    public void close() {
      free.offer(buf); // dropped when enough are kept
    }
  }

  /** The request's body in a leased array (valid until the lease is closed). */
  Lease lease(FakeRequest req) {
    ByteString body = req.recorded().getBody();
    int n = body == null ? 0 : body.size();
    byte[] buf = null;
    for (byte[] a; buf == null && (a = free.poll()) != null; ) {
      if (a.length >= n) buf = a; // a smaller one is dropped: bodies only grow to the slice size
    }
    if (buf == null) buf = new byte[Math.max(n, 1 << 16)];
    if (n > 0) body.copyInto(0, buf, 0, n);
    return new Lease(buf, n);
  }
}
