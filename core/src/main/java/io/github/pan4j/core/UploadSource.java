package io.github.pan4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import io.github.pan4j.core.internal.BoundedInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CancellationException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of an upload: a file (size known, re-readable by range) or a stream.
 *
 * <p>123's protocols need the MD5 before the first byte is sent, so a stream is spooled to a
 * temporary file on first use; the spooling pass computes MD5 and SHA-1 at the same time, and
 * the temporary file is deleted by {@link #close()}. A file source is never copied. Nothing here
 * holds a whole file in memory.
 *
 * <p>Hashing and spooling check the thread's interrupt flag between blocks and stop with
 * {@link ErrorKind#CANCELLED}.
 */
public final class UploadSource implements AutoCloseable {
  private static final int BLOCK = 1 << 16;
  /** The block of the hashing pass; sources smaller than this are hashed on the calling thread. */
  private static final int PASS_BLOCK = 1 << 20;

  private final String description;
  private Path file;
  private final boolean ownsFile;
  private InputStream pendingStream;
  private long size;
  private Hashes hashes;
  private boolean closed;
  // What the hashing pass computes besides MD5: SHA-1, and the MD5 of every slice of planSlice bytes.
  private boolean planSha1 = true;
  private long planSlice;
  private long slicesOf;
  private List<String> sliceMd5s;
  private final AtomicLong bytesRead = new AtomicLong();
  /** True for {@link #ofHashes}: size and hashes only, no bytes to read. */
  private boolean hashOnly;
  // A hashing pass started ahead by prefetchHashes, its plan, and where it reports progress.
  private FutureTask<PassResult> prefetch;
  private boolean prefetchSha1;
  private long prefetchSlice;
  private volatile UploadListener prefetchListener = UploadListener.NONE;

  private UploadSource(String description, Path file, boolean ownsFile, InputStream stream, long size) {
    this.description = description;
    this.file = file;
    this.ownsFile = ownsFile;
    this.pendingStream = stream;
    this.size = size;
  }

  /** A source reading the given regular file. The file must not change during the upload. */
  public static UploadSource ofFile(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "not a regular file; give the path of a file to upload")
          .target(file.toString()).build();
    }
    try {
      return new UploadSource(file.toString(), file, false, null, Files.size(file));
    } catch (IOException e) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "cannot read the file size").target(file.toString()).cause(e).build();
    }
  }

  /**
   * A source reading a stream. {@code size} is the declared length, or -1 when unknown; a declared
   * length that the stream does not deliver is refused before anything is uploaded. The stream is
   * consumed (and spooled) on first use and closed by this source.
   */
  public static UploadSource ofStream(InputStream stream, long size) {
    Objects.requireNonNull(stream, "stream");
    if (size < -1) throw new IllegalArgumentException("size must be >= -1 but was " + size);
    return new UploadSource("stream", null, true, stream, size);
  }

  /** A small in-memory source, for tests and tiny files. */
  public static UploadSource ofBytes(byte[] bytes) {
    return ofStream(new java.io.ByteArrayInputStream(bytes.clone()), bytes.length);
  }

  /**
   * A source that carries only the size and hashes of some content, no bytes: for an instant
   * upload ("秒传") of content the provider already stores, e.g. copied from another cloud or from
   * a previous upload. Only drivers with {@link Capability#INSTANT_UPLOAD} accept it; they create
   * the file from the hashes or fail with {@link ErrorKind#NOT_FOUND} when the provider does not
   * know the content, and never send a byte. Anything that needs the bytes ({@link #open}) fails
   * with {@link ErrorKind#UNSUPPORTED}.
   *
   * @param size the content's length in bytes
   * @param md5 the content's MD5, 32 hex digits (either case)
   * @param sha1 the content's SHA-1, 40 hex digits, or null when unknown (some providers can
   *     match by SHA-1 too)
   * @throws DriveException INVALID_ARGUMENT for a negative size or a malformed hash, before
   *     anything is sent
   */
  public static UploadSource ofHashes(long size, String md5, String sha1) {
    if (size < 0) {
      throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "the size of a hash-only upload must be 0 or more bytes but was "
          + size + "; give the content's length in bytes");
    }
    if (md5 == null || !md5.matches("[0-9a-fA-F]{32}")) {
      throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "the MD5 of a hash-only upload must be 32 hex digits but was '"
          + md5 + "'; give the content's MD5 as hex, e.g. d41d8cd98f00b204e9800998ecf8427e");
    }
    if (sha1 != null && !sha1.isEmpty() && !sha1.matches("[0-9a-fA-F]{40}")) {
      throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "the SHA-1 of a hash-only upload must be 40 hex digits but was '"
          + sha1 + "'; give it as hex or leave it out");
    }
    UploadSource s = new UploadSource("hashes md5:" + md5.toLowerCase(java.util.Locale.ROOT), null, false, null, size);
    s.hashOnly = true;
    s.hashes = new Hashes(md5, sha1);
    return s;
  }

  /** False for a {@link #ofHashes hash-only} source, which has no bytes to send. */
  public boolean hasBytes() {
    return !hashOnly;
  }

  /** The number of bytes; spools a stream of unknown length first. */
  public long size() {
    return size(UploadListener.NONE);
  }

  /**
   * The number of bytes; a stream not read yet is spooled (and hashed as planned by
   * {@link #planHashes}) first, reporting {@link UploadPhase#HASHING} progress to {@code listener}.
   */
  public synchronized long size(UploadListener listener) {
    ensureFile(listener);
    return size;
  }

  /** Hashes supplied or computed so far, without reading anything. */
  public synchronized Hashes knownHashes() {
    return hashes == null ? Hashes.NONE : hashes;
  }

  /**
   * MD5 and SHA-1 of the content, computed in one pass on first call (the {@link UploadPhase#HASHING}
   * phase is reported to the listener) and cached.
   */
  public synchronized Hashes hashes(UploadListener listener) {
    return hashes(listener, true, 0);
  }

  /**
   * Tells the source which hashes a driver will ask for, so that a stream's spooling pass (which
   * may happen on {@link #size()}) computes them too: SHA-1 when {@code sha1}, and the MD5 of each
   * slice of {@code sliceSize} bytes when {@code sliceSize > 0}.
   */
  public synchronized void planHashes(boolean sha1, long sliceSize) {
    if (sliceSize < 0) throw new IllegalArgumentException("sliceSize must not be negative but was " + sliceSize);
    planSha1 = sha1;
    planSlice = sliceSize;
  }

  /**
   * The MD5 (and SHA-1 when {@code sha1}) of the content and, when {@code sliceSize > 0}, the MD5 of
   * each slice of {@code sliceSize} bytes ({@link #sliceMd5s}), all from one read of the source;
   * the digests run on separate threads for sources of more than a megabyte. Cached: a later call
   * asking for nothing new reads nothing.
   */
  public Hashes hashes(UploadListener listener, boolean sha1, long sliceSize) {
    FutureTask<PassResult> ahead;
    synchronized (this) {
      planHashes(sha1, sliceSize);
      if (hashOnly) return hashes; // the hashes given; nothing to read
      if (pendingStream != null) ensureFile(listener); // spooling hashes as it copies
      if (have(sha1, sliceSize)) return hashes;
      ahead = prefetch;
      if (ahead != null && !((prefetchSha1 || !sha1) && (sliceSize <= 0 || prefetchSlice == sliceSize))) {
        cancelPrefetch(); // it computes something else; read again for what is asked
        ahead = null;
      }
      listener.phase(new UploadProgress(UploadPhase.HASHING, 0, size, false));
      if (ahead == null) {
        adopt(checked(readPass(listener, sha1, sliceSize)));
        return hashes;
      }
      prefetchListener = listener; // the rest of the pass reports to the caller
    }
    // Waits outside the lock: the pass takes it only to store what it computed.
    PassResult r;
    try {
      r = ahead.get();
    } catch (InterruptedException e) {
      cancelPrefetch();
      Thread.currentThread().interrupt();
      throw cancelledByInterrupt();
    } catch (CancellationException e) {
      throw DriveException.builder(ErrorKind.CANCELLED, "the hashing pass was cancelled (the source was closed)").target(description).build();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DriveException d) throw d;
      throw new IllegalStateException("hashing failed", e.getCause());
    }
    synchronized (this) {
      if (prefetch == ahead) prefetch = null;
      adopt(checked(r));
      return hashes;
    }
  }

  /**
   * Starts, on a helper thread, the hashing pass that {@code hashes(listener, sha1, sliceSize)}
   * would run, so that it overlaps what the caller does meanwhile (signing in, looking up the
   * folder, checking for a name clash); that call then waits for it instead of reading again. A
   * driver calls this from {@link io.github.pan4j.core.spi.Driver.Upload#prepare}. Does nothing for
   * a stream or hash-only source, a file of a megabyte or less, when the hashes are known, or
   * when a pass already runs. The pass stops (reading nothing more) when the source is closed or
   * its waiting caller is interrupted.
   */
  public synchronized void prefetchHashes(boolean sha1, long sliceSize) {
    planHashes(sha1, sliceSize);
    if (hashOnly || closed || pendingStream != null || file == null || prefetch != null || have(sha1, sliceSize)) return;
    if (size <= PASS_BLOCK) return; // hashed in a few milliseconds when asked; not worth a thread
    FutureTask<PassResult> task = new FutureTask<>(() -> readPass(new UploadListener() {
      @Override
      public void progressed(UploadProgress progress) {
        prefetchListener.progressed(progress);
      }
    }, sha1, sliceSize));
    prefetch = task;
    prefetchSha1 = sha1;
    prefetchSlice = sliceSize;
    Thread t = new Thread(task, "pan4j-prehash");
    t.setDaemon(true);
    t.start();
  }

  /** Stops a hashing pass started by {@link #prefetchHashes} and not yet waited for. */
  synchronized void cancelPrefetch() {
    if (prefetch != null) {
      prefetch.cancel(true);
      prefetch = null;
    }
  }

  private boolean have(boolean sha1, long sliceSize) {
    boolean haveSlices = sliceSize <= 0 || (sliceMd5s != null && slicesOf == sliceSize);
    return hashes != null && hashes.md5() != null && (!sha1 || hashes.sha1() != null) && haveSlices;
  }

  private PassResult readPass(UploadListener listener, boolean sha1, long sliceSize) {
    try (InputStream in = Files.newInputStream(file)) {
      return pass(in, null, listener, sha1, sliceSize);
    } catch (IOException e) {
      throw ioFailure("hashing", e);
    }
  }

  private PassResult checked(PassResult r) {
    if (r.done() != size) {
      throw DriveException.builder(ErrorKind.INTEGRITY, "file changed while it was read: expected " + size + " bytes, read " + r.done())
          .target(description).build();
    }
    return r;
  }

  /** Stores what a pass computed; a SHA-1 known before is kept when the pass computed none. */
  private void adopt(PassResult r) {
    hashes = new Hashes(r.md5(), r.sha1() != null ? r.sha1() : hashes != null ? hashes.sha1() : null);
    if (r.slices() != null) {
      sliceMd5s = r.slices();
      slicesOf = r.sliceSize();
    }
  }

  private record PassResult(long done, String md5, String sha1, List<String> slices, long sliceSize) {}

  /**
   * The MD5 (lower-case hex) of each slice of {@code sliceSize} bytes, in order, when a hashing pass
   * computed them for exactly that slice size; empty otherwise (nothing is read here).
   */
  public synchronized Optional<List<String>> sliceMd5s(long sliceSize) {
    return sliceMd5s != null && slicesOf == sliceSize ? Optional.of(sliceMd5s) : Optional.empty();
  }

  /**
   * The bytes read so far from the source (or its spool): hashing passes plus every stream
   * {@link #open}ed. An upload reads a file twice (one hashing pass, one send), plus any re-sent
   * part.
   */
  public long bytesRead() {
    return bytesRead.get();
  }

  /**
   * One read of {@code in}: MD5 on this thread; SHA-1 and the slice MD5s (as asked) each on a
   * helper thread for large sources, fed the same blocks; copies to {@code spool} when given.
   * Returns what it computed and the number of bytes read; touches no field but {@link #bytesRead}.
   */
  private PassResult pass(InputStream in, OutputStream spool, UploadListener listener, boolean withSha1, long sliceSize)
      throws IOException {
    MessageDigest md5 = digest("MD5");
    MessageDigest sha1 = withSha1 ? digest("SHA-1") : null;
    SliceDigests slices = sliceSize > 0 ? new SliceDigests(sliceSize) : null;
    List<java.util.function.BiConsumer<byte[], Integer>> side = new ArrayList<>();
    if (sha1 != null) side.add((b, n) -> sha1.update(b, 0, n));
    if (slices != null) side.add(slices::update);
    boolean parallel = !side.isEmpty() && (size < 0 || size > PASS_BLOCK);
    int blockSize = parallel ? PASS_BLOCK : BLOCK;
    int depth = parallel ? 3 : 1;
    byte[][] bufs = new byte[depth][blockSize];
    @SuppressWarnings("unchecked")
    List<Future<?>>[] pending = new List[depth];
    List<ExecutorService> helpers = new ArrayList<>();
    if (parallel) {
      for (int i = 0; i < side.size(); i++) {
        helpers.add(Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "pan4j-hash");
          t.setDaemon(true);
          return t;
        }));
      }
    }
    long done = 0;
    try {
      for (int k = 0; ; k = (k + 1) % depth) {
        byte[] buf = bufs[k];
        awaitAll(pending[k]);
        int n = parallel ? in.readNBytes(buf, 0, blockSize) : in.read(buf);
        if (n <= 0) break;
        checkInterrupt();
        bytesRead.addAndGet(n);
        if (spool != null) spool.write(buf, 0, n);
        if (parallel) {
          List<Future<?>> fs = new ArrayList<>(side.size());
          for (int i = 0; i < side.size(); i++) {
            var consumer = side.get(i);
            int len = n;
            fs.add(helpers.get(i).submit(() -> consumer.accept(buf, len)));
          }
          pending[k] = fs;
        } else {
          for (var consumer : side) consumer.accept(buf, n);
        }
        md5.update(buf, 0, n);
        done += n;
        listener.progressed(new UploadProgress(UploadPhase.HASHING, done, size, false));
      }
      for (List<Future<?>> p : pending) awaitAll(p);
    } finally {
      for (ExecutorService h : helpers) h.shutdownNow();
    }
    return new PassResult(done, hex(md5), sha1 != null ? hex(sha1) : null,
        slices != null ? List.copyOf(slices.finish()) : null, sliceSize);
  }

  private static void awaitAll(List<Future<?>> futures) {
    if (futures == null) return;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw cancelledByInterrupt();
      } catch (ExecutionException e) {
        throw new IllegalStateException("hashing failed", e.getCause());
      }
    }
  }

  /** MD5 of consecutive slices of a fixed size, fed in blocks that may cross slice boundaries. */
  private static final class SliceDigests {
    private final long sliceSize;
    private final List<String> done = new ArrayList<>();
    private MessageDigest current = digest("MD5");
    private long inSlice;

    SliceDigests(long sliceSize) {
      this.sliceSize = sliceSize;
    }

    void update(byte[] b, int n) {
      int off = 0;
      while (off < n) {
        int take = (int) Math.min(n - off, sliceSize - inSlice);
        current.update(b, off, take);
        off += take;
        inSlice += take;
        if (inSlice == sliceSize) {
          done.add(hex(current));
          current = digest("MD5");
          inSlice = 0;
        }
      }
    }

    List<String> finish() {
      if (inSlice > 0) done.add(hex(current));
      inSlice = 0;
      return done;
    }
  }

  /**
   * Opens {@code length} bytes starting at {@code offset}. Each call returns an independent stream,
   * so slices can be read concurrently.
   */
  public InputStream open(long offset, long length) {
    if (hashOnly) {
      throw DriveException.builder(ErrorKind.UNSUPPORTED, "this upload source carries only a size and hashes, no bytes;"
          + " only an instant upload can use it (drivers with INSTANT_UPLOAD)").target(description).build();
    }
    Path f;
    long total;
    synchronized (this) {
      ensureFile(UploadListener.NONE);
      f = file;
      total = size;
    }
    if (offset < 0 || length < 0 || offset + length > total) {
      throw new IllegalArgumentException("range " + offset + "+" + length + " outside 0.." + total);
    }
    try {
      FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
      try {
        ch.position(offset);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      return new java.io.FilterInputStream(new BoundedInputStream(Channels.newInputStream(ch), length)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) bytesRead.incrementAndGet();
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) bytesRead.addAndGet(n);
          return n;
        }
      };
    } catch (IOException e) {
      throw ioFailure("reading", e);
    }
  }

  /** Reads the slice fully into a new array; used for slices that must be buffered (bounded by slice size). */
  public byte[] readSlice(long offset, int length) {
    try (InputStream in = open(offset, length)) {
      byte[] out = in.readNBytes(length);
      if (out.length != length) {
        throw DriveException.builder(ErrorKind.INTEGRITY, "source ended early at " + (offset + out.length)).target(description).build();
      }
      return out;
    } catch (IOException e) {
      throw ioFailure("reading", e);
    }
  }

  /** A label for messages: the file path, or "stream". */
  public String description() { return description; }

  /** Deletes the spool file of a stream source. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    cancelPrefetch();
    try {
      if (pendingStream != null) pendingStream.close();
      if (ownsFile && file != null) Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A temp file that cannot be deleted is left for the OS to clean; nothing else to do.
    }
  }

  private void ensureFile(UploadListener listener) {
    if (closed) throw new IllegalStateException("upload source is closed");
    if (pendingStream == null) return;
    Path spool;
    try {
      spool = Files.createTempFile("pan4j-upload-", ".spool");
    } catch (IOException e) {
      throw ioFailure("spooling", e);
    }
    listener.phase(new UploadProgress(UploadPhase.HASHING, 0, size, false));
    long done;
    try (InputStream in = pendingStream; OutputStream out = Files.newOutputStream(spool)) {
      PassResult r = pass(in, out, listener, planSha1, planSlice);
      adopt(r);
      done = r.done();
    } catch (IOException | RuntimeException e) {
      deleteQuietly(spool);
      pendingStream = null;
      closed = true;
      hashes = null;
      sliceMd5s = null;
      if (e instanceof DriveException de) throw de;
      throw ioFailure("spooling", e instanceof IOException io ? io : new IOException(e));
    }
    pendingStream = null;
    if (size >= 0 && done != size) {
      deleteQuietly(spool);
      closed = true;
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT,
          "stream delivered " + done + " bytes but " + size + " were declared; nothing was uploaded").target(description).build();
    }
    size = done;
    file = spool;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static DriveException cancelledByInterrupt() {
    return DriveException.of(ErrorKind.CANCELLED, "upload cancelled by interrupt");
  }

  private static void checkInterrupt() {
    if (Thread.currentThread().isInterrupted()) {
      throw cancelledByInterrupt();
    }
  }

  private DriveException ioFailure(String what, IOException e) {
    return DriveException.builder(ErrorKind.INVALID_ARGUMENT, what + " the upload source failed: " + e.getMessage())
        .target(description).cause(e).build();
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every JDK", e);
    }
  }

  static String hex(MessageDigest d) {
    return HexFormat.of().formatHex(d.digest());
  }

  @Override
  public String toString() {
    return "UploadSource{" + description + (size >= 0 ? ", size=" + size : "") + "}";
  }
}
