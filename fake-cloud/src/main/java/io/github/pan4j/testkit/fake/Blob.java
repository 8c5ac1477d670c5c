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
 * directory, so large uploads do not sit in the heap. Immutable.
 */
public final class Blob {
  private final String md5;
  private final String sha1;
  private final long size;
  private final Path file;

  Blob(String md5, String sha1, long size, Path file) {
    this.md5 = md5;
    this.sha1 = sha1;
    this.size = size;
    this.file = file;
  }

  /** Lower-case hex MD5. */
  public String md5() { return md5; }
  /** Lower-case hex SHA-1. */
  public String sha1() { return sha1; }
  public long size() { return size; }

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
