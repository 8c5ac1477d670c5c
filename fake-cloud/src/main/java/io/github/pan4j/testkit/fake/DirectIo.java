package io.github.pan4j.testkit.fake;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upload session files written and read past the page cache ({@code O_DIRECT}), where the file
 * system takes it.
 *
 * <p>Why: a slice written through the page cache costs the fake a copy into page-cache pages, and
 * on a virtual machine whose kernel hands free memory back to the host those pages are new every
 * time: on the development VM, {@code dd} of one GiB into a new file took 2.4–2.6 s of system time
 * through the page cache and 0.15 s with {@code oflag=direct} (1.1–1.3 s of wall, the device's).
 * A CLI put of 1 GiB in that state, alternated: fake 5.33–5.77 CPU-s (system 0.73–0.93) written
 * directly against 6.63–7.25 (system 2.24–2.74) through the page cache; when the VM reuses pages,
 * both ≈ 5.0. It also keeps GiBs of test uploads out of the page cache. The price: a direct write
 * waits for the disk, so upload connections take turns at it ({@link UploadFile}) while the others
 * hash, slices under {@link #MIN_SLICE} are not written this way, and
 * {@link FakeStore#directIo(boolean)} turns it off (a slow disk, a test of the buffered path).
 *
 * <p>Direct I/O needs the buffer, the file position and the length aligned to the file system's
 * block size: slices start at multiples of the slice size (16 MiB in every profile), bytes go
 * through a staging buffer of {@link #STAGE} bytes, and the last block of a slice is padded with
 * zeros (the file is cut to its size at completion). Where the file system refuses direct I/O
 * (tmpfs before Linux 6.6, some network file systems) or the slice size is not a multiple of the
 * block size, session files go through the page cache. A finished upload's blob is read through
 * the page cache as any file.
 */
final class DirectIo {
  /** Bytes per direct write or read. */
  static final int STAGE = 1 << 20;
  /**
   * Slices smaller than this go through the page cache: a test's small uploads should not wait for
   * the disk, and the copy into fresh pages only matters by the GiB.
   */
  static final long MIN_SLICE = 1 << 20;
  /** Every power-of-two block size up to this is served by one staging buffer. */
  private static final int MAX_ALIGN = 1 << 16;

  /** Probed alignment per file system (one entry per mount, however many temp folders are made). */
  private static final ConcurrentHashMap<FileStore, Integer> ALIGNMENT = new ConcurrentHashMap<>();
  private static final ThreadLocal<ByteBuffer> STAGES =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(STAGE + MAX_ALIGN).alignedSlice(MAX_ALIGN));

  private DirectIo() {}

  /** The alignment direct I/O needs in {@code dir}, 0 when its file system refuses it. */
  static int alignment(Path dir) {
    FileStore store;
    try {
      store = Files.getFileStore(dir);
    } catch (IOException e) {
      return 0;
    }
    return ALIGNMENT.computeIfAbsent(store, st -> probe(dir, st));
  }

  /** Writes one block to a new file in {@code dir} with direct I/O: its block size if that works. */
  private static int probe(Path dir, FileStore store) {
    Path probe = null;
    try {
      long block = store.getBlockSize();
      if (block <= 0 || block > MAX_ALIGN || Long.bitCount(block) != 1) return 0;
      probe = Files.createTempFile(dir, "direct-io-", ".probe");
      try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
        ByteBuffer b = stage();
        b.clear().limit((int) block);
        while (b.hasRemaining()) ch.write(b, b.position());
      }
      return (int) block;
    } catch (IOException | RuntimeException e) { // EINVAL from open or write, UnsupportedOperationException
      return 0;
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException ignored) {
          // best effort: a temp directory
        }
      }
    }
  }

  private static ByteBuffer stage() {
    return STAGES.get();
  }

  /** Opens {@code file} for direct writes. */
  static FileChannel openForWrite(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
  }

  /**
   * Writes {@code bytes} at {@code pos} (a multiple of {@code align}) of {@code ch}, opened by
   * {@link #openForWrite}; the last block is padded with zeros.
   */
  static void write(FileChannel ch, long pos, UploadFile.Bytes bytes, int align) throws IOException {
    ByteBuffer stage = stage();
    stage.clear();
    long at = UploadFile.staged(ch, pos, bytes, stage);
    int tail = stage.position();
    if (tail > 0) {
      int padded = (tail + align - 1) / align * align;
      while (stage.position() < padded) stage.put((byte) 0);
      UploadFile.flush(ch, stage, at);
    }
  }

  /**
   * Feeds {@code length} bytes of {@code file} from {@code pos} (a multiple of {@code align}) to
   * {@code d}, read with direct I/O.
   */
  static void feed(Path file, long pos, long length, MessageDigest d, int align) throws IOException {
    ByteBuffer stage = stage();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
      for (long done = 0; done < length; ) {
        long left = length - done;
        int want = (int) Math.min(STAGE, (left + align - 1) / align * align);
        stage.clear().limit(want);
        int n = ch.read(stage, pos + done);
        int use = (int) Math.min(Math.max(n, 0), left);
        if (use <= 0 || (use < left && use % align != 0)) {
          throw new IOException("session file " + file + " ends " + (pos + done + Math.max(n, 0))
              + " bytes in, before the " + length + " bytes from " + pos + " it should hold");
        }
        stage.flip().limit(use);
        d.update(stage);
        done += use;
      }
    } finally {
      stage.clear();
    }
  }
}
