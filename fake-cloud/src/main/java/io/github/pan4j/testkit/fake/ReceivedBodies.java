package io.github.pan4j.testkit.fake;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Large request bodies read by the fake's own sockets ({@link BodyOnGetSockets}) straight into a
 * reused array, before MockWebServer sees the request.
 *
 * <p>MockWebServer reads every request body whole, 8 KiB at a time, into fresh okio segments that
 * it then hands over as a {@code ByteString}; a 16 MiB slice went through the socket's buffer, the
 * segments (fresh, zeroed memory: the segments of a {@code ByteString} are never recycled) and a
 * copy into an array for the multipart parser. A perf profile of a 1 GiB upload put about a
 * quarter of the fake's CPU there. A body with a {@code Content-Length} of at least
 * {@link #MIN_SIZE} bytes is therefore read here, with large reads, into an array of a small pool,
 * and MockWebServer gets the request with an empty body and the header {@value #HEADER} naming the
 * held body; {@link FakeRequest} gives the handlers the held bytes as if MockWebServer had read
 * them ({@link FakeRequest#body()}, {@link FakeRequest#heldBody()}). The array goes back to the pool when the request's
 * dispatch ends. Chunked bodies are left to MockWebServer; a body behind
 * {@code Expect: 100-continue} is read here too, once the socket has answered {@code 100 Continue}.
 */
final class ReceivedBodies {
  /** The header MockWebServer sees instead of a held body. */
  static final String HEADER = "X-Pan4j-Fake-Held-Body";
  /** Smaller bodies (every JSON request) go through MockWebServer as they are. */
  static final long MIN_SIZE = 64 * 1024;
  /** Larger bodies are not held (MockWebServer would not hold them either: an array is ≤ 2 GiB). */
  static final long MAX_SIZE = Integer.MAX_VALUE - 64;
  /** Arrays up to this size go back to the pool (a slice and its form fields fit); larger ones are dropped. */
  private static final int POOLED_MAX = 64 << 20;
  /** Bytes per socket read: large enough to make few system calls, small enough to stay in the cache. */
  private static final int READ_STEP = 1 << 18;
  /** New arrays are a multiple of this. */
  private static final int ROUND = 1 << 20;

  /** A body held for one request: {@code buf[0, length)}. */
  static final class Body {
    final byte[] buf;
    final int length;
    private final ReceivedBodies owner;
    private final RunningMd5 running; // null when the body was not hashed while read
    private boolean released;

    private Body(ReceivedBodies owner, byte[] buf, int length, RunningMd5 running) {
      this.owner = owner;
      this.buf = buf;
      this.length = length;
      this.running = running;
    }

    /**
     * The MD5 (lower-case hex) of {@code buf[off, off + len)}: finished from the digest run while
     * the body was read when that digest covers the range's beginning, else computed here.
     */
    String md5(int off, int len) {
      String ahead = running == null ? null : running.md5(buf, off, len);
      if (ahead != null) {
        owner.finishedAhead.incrementAndGet();
        return ahead;
      }
      return Digests.md5(buf, off, len);
    }

    /** Gives the array back; the bytes must not be used after this. */
    synchronized void release() {
      if (released) return;
      released = true;
      owner.giveBack(buf);
    }

    synchronized boolean released() {
      return released;
    }
  }

  private final ArrayBlockingQueue<byte[]> free;
  private final ConcurrentHashMap<String, Body> held = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong finishedAhead = new AtomicLong();

  /** Keeps at most {@code keep} arrays between requests. */
  ReceivedBodies(int keep) {
    this.free = new ArrayBlockingQueue<>(keep);
  }

  /** Whether a body of that declared length is read here. */
  static boolean holds(long contentLength) {
    return contentLength >= MIN_SIZE && contentLength <= MAX_SIZE;
  }

  /**
   * Reads exactly {@code length} bytes of {@code in} into a pooled array and registers them;
   * returns the name MockWebServer's request carries in {@link #HEADER}. An upload's bytes (a
   * multipart body's file, a PUT's whole body) are hashed after every read, while they are fresh
   * in the cache (see {@link RunningMd5}); the handlers' checks finish that digest.
   */
  String read(InputStream in, int length, String method, String contentType) throws IOException {
    return read(in, length, method, contentType, null);
  }

  /**
   * As above; with {@code stall} (null: none), reading stops after its number of bytes until its
   * hold returns ({@link Fault#stopReadingBody}), then goes on.
   */
  String read(InputStream in, int length, String method, String contentType, BodyOnGetSockets.Stall stall)
      throws IOException {
    byte[] buf = borrow(length);
    RunningMd5 running = RunningMd5.forBody(method, contentType);
    boolean ok = false;
    boolean stalled = stall == null;
    try {
      for (int off = 0; off < length; ) {
        if (!stalled && off >= stall.afterBytes()) {
          stalled = true;
          stall.hold().run();
        }
        int step = Math.min(READ_STEP, length - off);
        if (!stalled) step = (int) Math.min(step, stall.afterBytes() - off);
        int n = in.read(buf, off, step);
        if (n < 0) throw new EOFException("request body ended after " + off + " of " + length + " bytes");
        off += n;
        if (running != null) running.advance(buf, off);
      }
      ok = true;
    } finally {
      if (!ok) giveBack(buf);
    }
    String id = Long.toString(ids.incrementAndGet());
    held.put(id, new Body(this, buf, length, running));
    return id;
  }

  /** The body registered under {@code id}, taken out of the registry (the caller releases it), or null. */
  Body claim(String id) {
    return id == null ? null : held.remove(id);
  }

  /** How many bodies were read here so far. */
  long count() {
    return ids.get();
  }

  /** How many MD5s the handlers took from a digest run while the body was read. */
  long finishedAhead() {
    return finishedAhead.get();
  }

  /** Bodies read but never claimed (a request MockWebServer never dispatched). */
  int unclaimed() {
    return held.size();
  }

  /** Drops every unclaimed body (the servers are closed). */
  void clear() {
    held.clear();
    free.clear();
  }

  private byte[] borrow(int length) {
    for (byte[] a; (a = free.poll()) != null; ) {
      if (a.length >= length) return a; // a smaller one is dropped: bodies only grow to the slice size
    }
    // Rounded up: a slice's form fields grow by a byte or two (sliceNo 9 -> 10), and an array
    // that just missed would be dropped for a fresh one (new memory is costly on small VMs).
    return new byte[(int) Math.min(MAX_SIZE, (length + ROUND - 1L) / ROUND * ROUND)];
  }

  private void giveBack(byte[] buf) {
    if (buf.length <= POOLED_MAX) free.offer(buf); // dropped when enough are kept
  }
}
