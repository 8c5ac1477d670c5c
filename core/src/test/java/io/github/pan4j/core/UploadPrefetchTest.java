package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.spi.Driver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hashing pass a driver starts ahead ({@link UploadSource#prefetchHashes}) and Drive's use of it. */
class UploadPrefetchTest {
  private static final long MIB = 1 << 20;

  @TempDir Path dir;

  @Test
  void prefetchedPass_isTheOnlyRead_andGivesTheSameHashes() throws Exception {
    byte[] data = random(5 * (int) MIB + 123);
    Path f = write("a.bin", data);
    try (UploadSource s = UploadSource.ofFile(f)) {
      s.prefetchHashes(false, 2 * MIB);
      List<UploadProgress> phases = new CopyOnWriteArrayList<>();
      Hashes h = s.hashes(new UploadListener() {
        @Override
        public void phase(UploadProgress p) {
          phases.add(p);
        }
      }, false, 2 * MIB);
      assertEquals(md5(data, 0, data.length), h.md5());
      assertEquals(List.of(md5(data, 0, 2 * MIB), md5(data, 2 * MIB, 4 * MIB), md5(data, 4 * MIB, data.length)),
          s.sliceMd5s(2 * MIB).orElseThrow());
      assertEquals(data.length, s.bytesRead(), "the file was read once, by the pass started ahead");
      assertEquals(UploadPhase.HASHING, phases.get(0).phase(), "the caller still sees the hashing phase");
      // Asking again reads nothing.
      s.hashes(UploadListener.NONE, false, 2 * MIB);
      assertEquals(data.length, s.bytesRead());
    }
  }

  @Test
  void askingForOtherSlices_readsAgain_andAnswersWhatWasAsked() throws Exception {
    byte[] data = random(3 * (int) MIB);
    Path f = write("b.bin", data);
    try (UploadSource s = UploadSource.ofFile(f)) {
      s.prefetchHashes(false, 2 * MIB);
      s.hashes(UploadListener.NONE, true, MIB);
      assertEquals(List.of(md5(data, 0, MIB), md5(data, MIB, 2 * MIB), md5(data, 2 * MIB, 3 * MIB)),
          s.sliceMd5s(MIB).orElseThrow());
      assertEquals(sha1(data), s.knownHashes().sha1());
      assertEquals(md5(data, 0, data.length), s.knownHashes().md5());
    }
  }

  @Test
  void smallFilesAndStreams_areNotPrefetched() throws Exception {
    Path f = write("small.bin", random((int) MIB));
    try (UploadSource s = UploadSource.ofFile(f)) {
      s.prefetchHashes(false, 0);
      assertEquals(0, s.bytesRead(), "a file of a megabyte is hashed when asked, not ahead");
    }
    try (UploadSource s = UploadSource.ofStream(new java.io.ByteArrayInputStream(random(3 * (int) MIB)), -1)) {
      s.prefetchHashes(false, 0);
      assertEquals(0, s.bytesRead(), "a stream is spooled when first used, not ahead");
    }
  }

  @Test
  void closingTheSource_stopsThePass() throws Exception {
    // 256 MiB take a few hundred milliseconds to hash; close comes right after the start.
    Path f = dir.resolve("big.bin");
    try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(256 * MIB);
    }
    UploadSource s = UploadSource.ofFile(f);
    s.prefetchHashes(false, 16 * MIB);
    Thread pass = thread("pan4j-prehash");
    s.close();
    pass.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(pass.isAlive(), "the hashing thread ended");
    assertTrue(s.bytesRead() < 256 * MIB, "it stopped before the end: read " + s.bytesRead());
  }

  @Test
  void drive_hashesWhileItLooksUpTheFolder_andStopsThePassWhenTheUploadFails() throws Exception {
    byte[] data = random(8 * (int) MIB);
    Path f = write("c.bin", data);
    LookupWaitsForHashing driver = new LookupWaitsForHashing();
    try (Drive drive = Drive.of(driver)) {
      Entry e = drive.put("/folder/c.bin", UploadSource.ofFile(f), UploadOptions.DEFAULT);
      assertEquals(data.length, e.size());
      assertEquals(md5(data, 0, data.length), driver.uploadedMd5);
      assertTrue(driver.lookupSawAllBytesRead, "the folder lookup ran while the file was hashed");
      assertEquals(data.length, driver.bytesReadAtUpload, "the upload found the hashes ready and read nothing more");

      // A failure before the driver asks for the hashes (the folder is missing) stops the pass.
      driver.waitForHashing = false;
      Path big = dir.resolve("big2.bin");
      try (var raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
        raf.setLength(256 * MIB);
      }
      try (UploadSource s = UploadSource.ofFile(big)) {
        assertThrows(NotFoundException.class, () -> drive.put("/missing/x.bin", s, UploadOptions.DEFAULT));
        Thread pass = find("pan4j-prehash");
        if (pass != null) pass.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(pass == null || !pass.isAlive());
        assertTrue(s.bytesRead() < 256 * MIB, "the pass stopped with the failed upload: read " + s.bytesRead());
      }
    }
  }

  /**
   * A one-folder driver whose folder lookup (the root's listing) waits until the source being
   * uploaded has been read to the end, which only a pass started before the lookup can do.
   */
  private static final class LookupWaitsForHashing implements Driver, Driver.Upload {
    volatile UploadSource current;
    volatile boolean waitForHashing = true;
    volatile boolean lookupSawAllBytesRead;
    volatile long bytesReadAtUpload = -1;
    volatile String uploadedMd5;
    final AtomicLong ids = new AtomicLong(10);

    @Override
    public String id() {
      return "prefetch-test";
    }

    @Override
    public String rootId() {
      return "root";
    }

    @Override
    public Page list(String folderId, String cursor) {
      UploadSource s = current;
      if (waitForHashing && s != null) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.bytesRead() < s.size() && System.nanoTime() < deadline) Thread.onSpinWait();
        lookupSawAllBytesRead = s.bytesRead() == s.size();
      }
      List<Entry> entries = new ArrayList<>();
      if (folderId.equals("root")) entries.add(Entry.folder("folder", "root", "folder", Instant.EPOCH));
      return new Page(entries, null);
    }

    @Override
    public Link link(String fileId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void prepare(UploadSource source) {
      current = source;
      source.prefetchHashes(false, 0);
    }

    @Override
    public Entry upload(String parentId, String name, UploadSource source, UploadOptions options) {
      bytesReadAtUpload = source.bytesRead();
      Hashes h = source.hashes(options.listener(), false, 0);
      uploadedMd5 = h.md5();
      return Entry.file(Long.toString(ids.incrementAndGet()), parentId, name, source.size(), Instant.EPOCH, h);
    }

    @Override
    public void close() {}
  }

  private static Thread thread(String name) {
    Thread t = find(name);
    if (t == null) throw new AssertionError("no thread named " + name);
    return t;
  }

  private static Thread find(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
  }

  private Path write(String name, byte[] data) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, data);
    return f;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String md5(byte[] b, long from, long to) throws Exception {
    MessageDigest d = MessageDigest.getInstance("MD5");
    d.update(b, (int) from, (int) (to - from));
    return HexFormat.of().formatHex(d.digest());
  }

  private static String sha1(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
  }
}
