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
