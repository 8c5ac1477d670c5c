package io.github.pan4j.testkit.fake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stored file content, addressed by MD5 and size. Bytes live in a file under the store's blob
 * directory, so large uploads do not sit in the heap. Immutable (the SHA-1 is computed lazily).
 */
public final class Blob {
  private final String md5;
  private final long size;
  private final Path file;
  /** When these bytes were first stored (whole seconds): the CDN's {@code Last-Modified}. */
  private final java.time.Instant stored;
  /** The store that holds these bytes (its CDN settings apply to them). */
  final FakeStore store;
  /** Computed on first use (a sha1_reuse asking for this size, a test): most blobs never need it. */
  private volatile String sha1;

  Blob(String md5, long size, Path file, java.time.Instant stored, FakeStore store) {
    this.store = store;
    this.md5 = md5;
    this.size = size;
    this.file = file;
    this.stored = stored.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** Lower-case hex MD5. */
  public String md5() { return md5; }
  /**
   * Lower-case hex SHA-1, computed from the file the first time it is asked for (one read of the
   * blob) and kept: nothing on the upload path needs it, only instant upload by SHA-1.
   */
  public String sha1() {
    String s = sha1;
    if (s != null) return s;
    synchronized (this) {
      if (sha1 == null) {
        java.security.MessageDigest d = Digests.get("SHA-1");
        try (InputStream in = open(0, size)) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        sha1 = java.util.HexFormat.of().formatHex(d.digest());
      }
      return sha1;
    }
  }

  /** Whether {@link #sha1()} has been computed (for tests of the lazy hashing). */
  boolean sha1Known() {
    return sha1 != null;
  }
  public long size() { return size; }

  /**
   * When this content was first stored, in whole seconds (the store's clock). Identical content is
   * stored once, so a later upload of the same bytes keeps the first time, as an object store
   * addressed by content does.
   */
  public java.time.Instant stored() { return stored; }

  /** Reads {@code length} bytes from {@code offset}. */
  public InputStream open(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new IllegalArgumentException("range " + offset + "+" + length + " outside 0.." + size);
    }
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(offset);
      InputStream in = Channels.newInputStream(ch);
      return new InputStream() {
        long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) return -1;
          int b = in.read();
          if (b >= 0) left--;
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (left <= 0) return -1;
          int n = in.read(b, off, (int) Math.min(len, left));
          if (n > 0) left -= n;
          return n;
        }

        @Override
        public void close() throws IOException {
          in.close();
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All bytes; for tests on small files only. */
  public byte[] bytes() {
    if (size > Integer.MAX_VALUE - 16) throw new IllegalStateException("blob too large to read into memory");
    try (InputStream in = open(0, size)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "Blob{md5=" + md5 + ", size=" + size + "}";
  }
}
