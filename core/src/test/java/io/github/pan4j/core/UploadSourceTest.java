package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadSourceTest {
  @TempDir Path dir;

  @Test
  void fileSource_hashesInOnePass_andReadsRanges() throws Exception {
    Path f = dir.resolve("abc.txt");
    Files.writeString(f, "abc");
    try (UploadSource s = UploadSource.ofFile(f)) {
      List<UploadProgress> seen = new ArrayList<>();
      Hashes h = s.hashes(new UploadListener() {
        @Override
        public void progressed(UploadProgress p) {
          seen.add(p);
        }
      });
      assertEquals("900150983cd24fb0d6963f7d28e17f72", h.md5());
      assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", h.sha1());
      assertEquals(3, seen.get(seen.size() - 1).bytesDone());
      try (InputStream in = s.open(1, 2)) {
        assertArrayEquals("bc".getBytes(), in.readAllBytes());
      }
      assertTrue(Files.exists(f), "a file source never deletes the user's file");
    }
    assertTrue(Files.exists(f));
  }

  @Test
  void streamSource_spoolsOnce_andDeletesSpoolOnClose() throws Exception {
    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    UploadSource s = UploadSource.ofStream(new ByteArrayInputStream(data), -1);
    assertEquals(data.length, s.size());
    Hashes h = s.hashes(UploadListener.NONE);
    assertEquals(32, h.md5().length());
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 1100), s.readSlice(1000, 100));
    s.close();
    assertThrows(IllegalStateException.class, s::size);
  }

  static String md5Hex(byte[] b, int from, int to) throws Exception {
    java.security.MessageDigest d = java.security.MessageDigest.getInstance("MD5");
    d.update(b, from, to - from);
    return java.util.HexFormat.of().formatHex(d.digest());
  }

  @Test
  void sliceMd5s_comeFromTheHashingPass_withOneRead() throws Exception {
    for (int n : new int[] {1000, 3_500_000}) { // serial and parallel (helper threads) paths
      byte[] data = new byte[n];
      new Random(n).nextBytes(data);
      Path f = Files.write(dir.resolve("s" + n + ".bin"), data);
      int slice = n > 10_000 ? 1_000_000 : 300;
      try (UploadSource s = UploadSource.ofFile(f)) {
        Hashes h = s.hashes(UploadListener.NONE, true, slice);
        assertEquals(md5Hex(data, 0, n), h.md5());
        assertEquals(40, h.sha1().length());
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int off = 0; off < n; off += slice) expected.add(md5Hex(data, off, Math.min(n, off + slice)));
        assertEquals(expected, s.sliceMd5s(slice).orElseThrow());
        assertTrue(s.sliceMd5s(slice + 1).isEmpty(), "another slice size was not computed");
        assertEquals(n, s.bytesRead(), "one read of the file");
        s.hashes(UploadListener.NONE, true, slice);
        s.hashes(UploadListener.NONE);
        assertEquals(n, s.bytesRead(), "cached: nothing read again");
        try (java.io.InputStream in = s.open(0, n)) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(2L * n, s.bytesRead());
      }
    }
  }

  @Test
  void streamSource_plannedSlices_areHashedWhileSpooling() throws Exception {
    byte[] data = new byte[2_500_000];
    new Random(3).nextBytes(data);
    UploadSource s = UploadSource.ofStream(new ByteArrayInputStream(data), data.length);
    s.planHashes(false, 1 << 20);
    assertEquals(data.length, s.size());
    assertEquals(md5Hex(data, 0, data.length), s.knownHashes().md5());
    assertEquals(null, s.knownHashes().sha1(), "SHA-1 was not asked for");
    assertEquals(java.util.List.of(md5Hex(data, 0, 1 << 20), md5Hex(data, 1 << 20, 2 << 20), md5Hex(data, 2 << 20, data.length)),
        s.sliceMd5s(1 << 20).orElseThrow());
    s.hashes(UploadListener.NONE, false, 1 << 20);
    assertEquals(data.length, s.bytesRead(), "the spool is not read again");
    s.close();
  }

  @Test
  void streamShorterThanDeclared_isRefusedBeforeUpload() {
    UploadSource s = UploadSource.ofStream(new ByteArrayInputStream(new byte[10]), 11);
    DriveException e = assertThrows(DriveException.class, s::size);
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains("10 bytes but 11 were declared"), e.getMessage());
  }

  @Test
  void interruptDuringHashing_isCancelled() throws Exception {
    Path f = dir.resolve("big.bin");
    Files.write(f, new byte[1 << 20]);
    try (UploadSource s = UploadSource.ofFile(f)) {
      Thread.currentThread().interrupt();
      DriveException e = assertThrows(DriveException.class, () -> s.hashes(UploadListener.NONE));
      assertEquals(ErrorKind.CANCELLED, e.kind());
      assertTrue(Thread.interrupted());
      assertFalse(s.knownHashes().md5Hex().isPresent());
    }
  }

  @Test
  void folderInsteadOfFile_isClearError() {
    DriveException e = assertThrows(DriveException.class, () -> UploadSource.ofFile(dir));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains(dir.toString()));
  }
}
