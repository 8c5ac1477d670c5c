package io.github.pan4j.testkit.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import okio.Buffer;
import okio.ByteString;

/**
 * The bytes of one upload session (a 123open preuploadID, a 123pan web upload) in ONE file,
 * each slice written once, at its offset {@code (no - 1) × sliceSize}, straight from the request
 * body; at completion the file itself becomes the blob (moved into the store, not copied). A
 * slice sent again overwrites its range, as 123 overwrites by preuploadID + sliceNo.
 *
 * <p>The whole file's MD5 is computed as slices arrive: a slice whose predecessors are all in
 * the running digest is hashed from the request's bytes in memory, and slices that arrived early
 * and wait on disk are caught up from the file (page cache) right after it; completion hashes
 * only what is still missing. A thread whose slice is next but one behind a thread that is
 * hashing waits for it, so that its slice too is hashed from memory. The digest's state after
 * every slice is kept (an MD5 state is ~100 bytes), so a slice re-sent with other bytes after
 * the digest passed it rewinds the digest to just before it, and the hashing goes on from there.
 *
 * <p>Locks: slice writes and hashing hold the read side of {@code gate} (many at once, across
 * connections); completion holds the write side, so it sees every slice write finished and no
 * slice is written after it. The monitor of this object guards the bookkeeping only, never a
 * write or a hash.
 */
final class UploadFile {
  /** A slice's bytes, wherever the request holds them. */
  interface Bytes {
    /** Writes every byte at {@code pos} of {@code ch}. */
    void writeTo(FileChannel ch, long pos) throws IOException;

    /** Feeds every byte to {@code d}. */
    void feed(MessageDigest d);

    /** Visits every byte, in order, in the ranges where they are held (no copy). */
    void forEach(SegmentVisitor v);

    /** Lower-case hex MD5 of the bytes. */
    default String md5() {
      MessageDigest d = Digests.get("MD5");
      feed(d);
      return HexFormat.of().formatHex(d.digest());
    }
  }

  /** A range of an array. */
  static Bytes of(byte[] b, int off, int len) {
    return of(b, off, len, null);
  }

  /**
   * A range of an array; when {@code held} is the body the array holds, {@link Bytes#md5} is
   * finished from the digest run while it was read (see {@link RunningMd5}).
   */
  private static Bytes of(byte[] b, int off, int len, ReceivedBodies.Body held) {
    return new Bytes() {
      @Override
      public void writeTo(FileChannel ch, long pos) throws IOException {
        // In steps of 256 KiB: the JDK copies a heap buffer into a temporary direct buffer of the
        // same size (cached per thread), which stays small and warm this way.
        for (int done = 0; done < len; ) {
          ByteBuffer bb = ByteBuffer.wrap(b, off + done, Math.min(CHUNK, len - done));
          while (bb.hasRemaining()) done += ch.write(bb, pos + done);
        }
      }

      @Override
      public void feed(MessageDigest d) {
        d.update(b, off, len);
      }

      @Override
      public void forEach(SegmentVisitor v) {
        v.visit(b, off, len);
      }

      @Override
      public String md5() {
        return held != null ? held.md5(off, len) : Bytes.super.md5();
      }
    };
  }

  /**
   * MockWebServer's body as it holds it, in okio segments: written and hashed segment by segment,
   * never copied into one array.
   */
  static Bytes of(ByteString body) {
    return new Bytes() {
      @Override
      public void writeTo(FileChannel ch, long pos) throws IOException {
        ByteBuffer stage = STAGE.get();
        flush(ch, stage, staged(ch, pos, this, stage));
      }

      @Override
      public void feed(MessageDigest d) {
        forEachSegment(body, d::update);
      }

      @Override
      public void forEach(SegmentVisitor v) {
        forEachSegment(body, v);
      }
    };
  }

  /**
   * A request's raw body as the fake holds it: the array its socket read it into (see
   * {@link ReceivedBodies}), else MockWebServer's segments. Valid while the request is handled.
   */
  static Bytes body(FakeRequest req) {
    ReceivedBodies.Body held = req.heldBody();
    if (held != null) return of(held.buf, 0, held.length, held); // hashed while the body arrived
    ByteString body = req.recorded().getBody();
    return of(body == null ? ByteString.EMPTY : body);
  }

  interface SegmentVisitor {
    void visit(byte[] data, int start, int length);
  }

  /** Visits the body's bytes in its own segments (an okio Buffer shares them, no copy). */
  static void forEachSegment(ByteString body, SegmentVisitor v) {
    if (body == null || body.size() == 0) return;
    Buffer b = new Buffer();
    b.write(body);
    try (Buffer.UnsafeCursor c = b.readUnsafe()) {
      for (int n = c.next(); n != -1; n = c.next()) v.visit(c.data, c.start, c.end - c.start);
    }
    b.clear();
  }

  /** Bytes per positional write (the page cache copy dominates; 4,096 writes per GiB cost little). */
  private static final int CHUNK = 1 << 18;

  /**
   * Slice writes into the file take turns. Linux file systems such as ext4 let one buffered write
   * into a file run at a time anyway, and a writer waiting there spins on a core while the other
   * copies; waiting here parks it instead and leaves the core to hashing (a 1 GiB CLI put: fake
   * CPU 5.63–5.75 against 5.74–5.82 CPU-s, four alternated rounds). Direct writes take turns too:
   * each waits for the device, and one at a time keeps the device's writes sequential.
   */
  private final ReentrantLock fileWrites = new ReentrantLock();
  private static final ThreadLocal<byte[]> READ_BUF = ThreadLocal.withInitial(() -> new byte[1 << 18]);
  private static final ThreadLocal<ByteBuffer> STAGE = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));

  /**
   * Copies {@code bytes} into {@code stage}, writing it to {@code ch} from {@code pos} on each time
   * it fills; returns the position of the bytes left in {@code stage} (not written yet).
   */
  static long staged(FileChannel ch, long pos, Bytes bytes, ByteBuffer stage) throws IOException {
    long[] at = {pos};
    IOException[] failed = {null};
    bytes.forEach((data, start, len) -> {
      if (failed[0] != null) return;
      try {
        for (int i = 0; i < len; ) {
          int n = Math.min(stage.remaining(), len - i);
          stage.put(data, start + i, n);
          i += n;
          if (!stage.hasRemaining()) at[0] = flush(ch, stage, at[0]);
        }
      } catch (IOException e) {
        failed[0] = e;
      }
    });
    if (failed[0] != null) {
      stage.clear();
      throw failed[0];
    }
    return at[0];
  }

  /** Writes what {@code stage} holds at {@code pos}; returns the position after it. */
  static long flush(FileChannel ch, ByteBuffer stage, long pos) throws IOException {
    stage.flip();
    while (stage.hasRemaining()) pos += ch.write(stage, pos);
    stage.clear();
    return pos;
  }

  /** A slice in the file: its length and MD5. */
  record Piece(long length, String md5) {}

  private final Path file;
  private final long sliceSize;
  /** The block size session I/O is aligned to when it bypasses the page cache, 0 when it does not. */
  private final int align;
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private boolean closed; // written under gate's write lock, read under its read lock

  // Guarded by this.
  private final TreeMap<Integer, Piece> pieces = new TreeMap<>();
  private final Set<Integer> writing = new HashSet<>();
  /** Slices whose threads hold them in memory and wait for their turn in the digest. */
  private final Set<Integer> waiting = new HashSet<>();
  private MessageDigest run = Digests.get("MD5");
  /** checkpoints.get(k): the digest's state after slices 1..k. */
  private final List<MessageDigest> checkpoints = new ArrayList<>(List.of(copy(run)));
  private int fed;
  /** The slice being hashed into {@code run} outside the monitor, 0 when none. */
  private int feeding;
  /** Where {@code run} must go back to when the thread that is hashing commits (a re-send). */
  private int rewindTo = Integer.MAX_VALUE;

  /**
   * A session file in {@code dir} (created at the first write) whose slices, when {@code
   * directIo} is on and they are {@link DirectIo#MIN_SLICE} or larger, are written past the page
   * cache where {@code dir}'s file system allows it (see {@link DirectIo}).
   */
  UploadFile(Path dir, String name, long sliceSize, boolean directIo) {
    this(dir, name, sliceSize, directIo && sliceSize >= DirectIo.MIN_SLICE ? DirectIo.alignment(dir) : 0);
  }

  /** As above, with direct I/O aligned to {@code align} bytes, or through the page cache when 0. */
  UploadFile(Path dir, String name, long sliceSize, int align) {
    if (sliceSize <= 0) throw new IllegalArgumentException("sliceSize " + sliceSize);
    this.file = dir.resolve(name);
    this.sliceSize = sliceSize;
    this.align = align > 0 && sliceSize % align == 0 ? align : 0;
    file.toFile().deleteOnExit(); // an upload never completed must not litter the temp directory
  }

  /**
   * Writes slice {@code no} ({@code md5} already computed from {@code bytes}) at its offset and
   * feeds the running digest; false when the upload was completed or dropped meanwhile (nothing
   * written).
   */
  boolean write(int no, long length, String md5, Bytes bytes) throws IOException {
    if (no < 1) throw new IllegalArgumentException("slice " + no);
    gate.readLock().lock();
    try {
      if (closed) return false;
      synchronized (this) {
        while (writing.contains(no)) waitUninterruptibly(); // one writer per slice at a time
        Piece old = pieces.get(no);
        if (old != null && old.length() == length && old.md5().equals(md5)) return true; // same bytes already there
        writing.add(no);
        if (no <= fed || no == feeding) rewind(no - 1);
      }
      boolean written = false;
      long pos = (no - 1) * sliceSize;
      try (FileChannel ch = align > 0 ? DirectIo.openForWrite(file)
          : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        fileWrites.lock();
        try {
          // Direct: the padding of a slice shorter than sliceSize stays inside its own range.
          if (align > 0) DirectIo.write(ch, pos, bytes, align);
          else bytes.writeTo(ch, pos);
        } finally {
          fileWrites.unlock();
        }
        written = true;
      } finally {
        synchronized (this) {
          writing.remove(no);
          if (written) pieces.put(no, new Piece(length, md5));
          else pieces.remove(no); // its range is undefined now
          notifyAll();
        }
      }
      hashFromMemory(no, bytes);
      return true;
    } finally {
      gate.readLock().unlock();
    }
  }

  /** Slice {@code no} is on disk; hash it from memory if its turn comes while this thread has it. */
  private void hashFromMemory(int no, Bytes bytes) throws IOException {
    synchronized (this) {
      waiting.add(no);
      try {
        while (true) {
          if (fed >= no || !pieces.containsKey(no) || writing.contains(no)) return;
          if (feeding == 0 && fed == no - 1) break;
          if (feeding == 0 || !reachable(no)) return; // left on disk: caught up later
          waitUninterruptibly();
        }
      } finally {
        waiting.remove(no);
      }
      feeding = no;
    }
    boolean ok = false;
    try {
      bytes.feed(run);
      ok = true;
    } finally {
      commit(ok);
    }
    catchUp();
  }

  /** True when the slices between the digest and {@code no} are all on disk or being hashed. */
  private boolean reachable(int no) {
    for (int j = fed + 1; j < no; j++) {
      if (j != feeding && (!pieces.containsKey(j) || writing.contains(j))) return false;
    }
    return true;
  }

  /** Hashes the slices that wait on disk right after the digest, until a gap or a waiting thread. */
  private void catchUp() throws IOException {
    while (true) {
      int next;
      Piece p;
      synchronized (this) {
        if (feeding != 0) return;
        next = fed + 1;
        p = pieces.get(next);
        if (p == null || writing.contains(next) || waiting.contains(next)) return;
        feeding = next;
      }
      boolean ok = false;
      try {
        feedFromFile(run, next, p.length());
        ok = true;
      } finally {
        commit(ok);
      }
    }
  }

  /** Ends the hashing of slice {@code feeding}: kept (with a checkpoint), or rewound. */
  private synchronized void commit(boolean ok) {
    if (!ok && rewindTo > feeding - 1) rewindTo = feeding - 1;
    feeding = 0;
    if (rewindTo != Integer.MAX_VALUE) {
      int to = Math.min(rewindTo, fed);
      rewindTo = Integer.MAX_VALUE;
      restore(to); // run also holds (part of) the slice just hashed: back to a checkpoint in any case
    } else {
      fed++;
      checkpoints.add(copy(run));
    }
    notifyAll();
  }

  /** Puts the digest back to its state after slice {@code k} (deferred while a thread hashes). */
  private void rewind(int k) {
    if (feeding != 0) {
      rewindTo = Math.min(rewindTo, k);
      return;
    }
    if (k < fed) restore(k);
  }

  private void restore(int k) {
    run = copy(checkpoints.get(k));
    fed = k;
    checkpoints.subList(k + 1, checkpoints.size()).clear();
  }

  private void feedFromFile(MessageDigest d, int no, long length) throws IOException {
    long pos = (no - 1) * sliceSize;
    if (align > 0) {
      DirectIo.feed(file, pos, length, d, align);
      return;
    }
    byte[] buf = READ_BUF.get();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (long done = 0; done < length; ) {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, length - done));
        int n = ch.read(bb, pos + done);
        if (n < 0) throw new IOException("session file " + file + " ends before slice " + no + " does");
        d.update(buf, 0, n);
        done += n;
      }
    }
  }

  /** The slices received so far, by number. */
  synchronized Map<Integer, Piece> pieces() {
    return new TreeMap<>(pieces);
  }

  synchronized int count() {
    return pieces.size();
  }

  /** How many leading slices the running digest covers (for tests of the incremental hashing). */
  synchronized int hashed() {
    return fed;
  }

  /**
   * Hashes the slices the running digest has not covered and returns the file's MD5; when it
   * equals {@code expectedMd5} the upload ends (later writes are refused, the file is cut to
   * {@code size}) and the caller moves {@link #path} into the store or {@link #delete}s it; else
   * the upload stays open, so its slices can still be sent again. Slices 1..{@link #count} must be
   * the whole file.
   */
  String complete(long size, String expectedMd5) {
    gate.writeLock().lock();
    try {
      if (closed) throw new IllegalStateException("upload file " + file + " was completed or deleted");
      synchronized (this) {
        int last = pieces.isEmpty() ? 0 : pieces.lastKey();
        for (int no = fed + 1; no <= last; no++) {
          Piece p = pieces.get(no);
          if (p == null) throw new IllegalStateException("slice " + no + " of " + file + " is missing");
          feedFromFile(run, no, p.length());
          fed = no;
          checkpoints.add(copy(run));
        }
      }
      String md5 = HexFormat.of().formatHex(copy(run).digest());
      if (!md5.equals(expectedMd5)) return md5;
      closed = true;
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        if (ch.size() > size) ch.truncate(size);
      }
      return md5;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      gate.writeLock().unlock();
    }
  }

  /** Whether this file's slices bypass the page cache (for tests). */
  boolean direct() {
    return align > 0;
  }

  /** The session file (after {@link #complete}: the whole upload). */
  Path path() {
    return file;
  }

  /** Refuses later writes and deletes the file. */
  void delete() {
    gate.writeLock().lock();
    try {
      closed = true;
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort
    } finally {
      gate.writeLock().unlock();
    }
  }

  private void waitUninterruptibly() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for another write of the same upload", e);
    }
  }

  private static MessageDigest copy(MessageDigest d) {
    try {
      return (MessageDigest) d.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("MD5 digests of every JDK can be cloned", e);
    }
  }
}
