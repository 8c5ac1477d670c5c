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

  private final String description;
  private Path file;
  private final boolean ownsFile;
  private InputStream pendingStream;
  private long size;
  private Hashes hashes;
  private boolean closed;

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

  /** The number of bytes; spools a stream of unknown length first. */
  public synchronized long size() {
    ensureFile(UploadListener.NONE);
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
    if (hashes != null && hashes.md5() != null && hashes.sha1() != null) return hashes;
    if (pendingStream != null) {
      ensureFile(listener); // spooling hashes as it copies
      return hashes;
    }
    MessageDigest md5 = digest("MD5");
    MessageDigest sha1 = digest("SHA-1");
    listener.phase(new UploadProgress(UploadPhase.HASHING, 0, size, false));
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[BLOCK];
      long done = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        checkInterrupt();
        md5.update(buf, 0, n);
        sha1.update(buf, 0, n);
        done += n;
        listener.progressed(new UploadProgress(UploadPhase.HASHING, done, size, false));
      }
      if (done != size) {
        throw DriveException.builder(ErrorKind.INTEGRITY, "file changed while it was read: expected " + size + " bytes, read " + done)
            .target(description).build();
      }
    } catch (IOException e) {
      throw ioFailure("hashing", e);
    }
    hashes = new Hashes(hex(md5), hex(sha1));
    return hashes;
  }

  /**
   * Opens {@code length} bytes starting at {@code offset}. Each call returns an independent stream,
   * so slices can be read concurrently.
   */
  public InputStream open(long offset, long length) {
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
      ch.position(offset);
      return new BoundedInputStream(Channels.newInputStream(ch), length);
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
    MessageDigest md5 = digest("MD5");
    MessageDigest sha1 = digest("SHA-1");
    Path spool;
    try {
      spool = Files.createTempFile("pan4j-upload-", ".spool");
    } catch (IOException e) {
      throw ioFailure("spooling", e);
    }
    listener.phase(new UploadProgress(UploadPhase.HASHING, 0, size, false));
    long done = 0;
    try (InputStream in = pendingStream; OutputStream out = Files.newOutputStream(spool)) {
      byte[] buf = new byte[BLOCK];
      int n;
      while ((n = in.read(buf)) > 0) {
        checkInterrupt();
        out.write(buf, 0, n);
        md5.update(buf, 0, n);
        sha1.update(buf, 0, n);
        done += n;
        listener.progressed(new UploadProgress(UploadPhase.HASHING, done, size, false));
      }
    } catch (IOException | RuntimeException e) {
      deleteQuietly(spool);
      pendingStream = null;
      closed = true;
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
    hashes = new Hashes(hex(md5), hex(sha1));
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static void checkInterrupt() {
    if (Thread.currentThread().isInterrupted()) {
      throw DriveException.of(ErrorKind.CANCELLED, "upload cancelled by interrupt");
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
