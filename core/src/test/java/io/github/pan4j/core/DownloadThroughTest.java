package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.memory.MemoryDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Drive.Builder#downloadThrough} over two memory drives: the reference stores a file by
 * hashes only when it already holds that content somewhere, as 123 does for all accounts. (The
 * 123share-through-123open case over HTTP is tested in driver-123share.)
 */
class DownloadThroughTest {
  private final byte[] content = "some content".getBytes(StandardCharsets.UTF_8);
  private final MemoryDriver own = new MemoryDriver();
  private final MemoryDriver ref = new MemoryDriver();
  private final Drive reference = Drive.of(ref);

  @AfterEach
  void close() {
    reference.close();
  }

  private Drive drive(Drive.Through when) {
    Drive d = Drive.builder(own).downloadThrough(reference, "/cache", when).build();
    d.put("/a.txt", content);
    d.put("/empty", new byte[0]);
    return d;
  }

  private static byte[] get(Drive d, String path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    d.get(path, out);
    return out.toByteArray();
  }

  @Test
  void always_knownContent_isLinkedFromTheReference_andNotFromTheDrive() {
    reference.put("/elsewhere.bin", content); // the reference's provider knows the content
    try (Drive d = drive(Drive.Through.ALWAYS)) {
      String md5 = d.stat("/a.txt").hashes().md5();
      assertArrayEquals(content, get(d, "/a.txt"));
      assertEquals(0, own.calls("link"), "the drive's own link was not asked for");
      assertTrue(reference.exists("/cache/" + md5 + "/a.txt"));
      assertArrayEquals(new byte[0], get(d, "/empty"), "an empty file comes from the drive itself");
      assertEquals(1, own.calls("link"));
    }
    assertTrue(reference.exists("/elsewhere.bin"), "closing the drive leaves the reference open");
  }

  @Test
  void always_contentUnknownToTheReference_comesFromTheDriveItself() {
    try (Drive d = drive(Drive.Through.ALWAYS)) {
      assertArrayEquals(content, get(d, "/a.txt"));
      assertEquals(1, own.calls("link"));
      String md5 = d.stat("/a.txt").hashes().md5();
      assertFalse(reference.exists("/cache/" + md5 + "/a.txt"), "nothing stored in the reference");
    }
  }

  @Test
  void unknownContent_isAskedForOnce_evenWithTheFolderFromThePathCache() {
    try (Drive d = drive(Drive.Through.ALWAYS)) {
      reference.mkdirs("/cache/" + d.stat("/a.txt").hashes().md5()); // cached in the reference's path cache
      long before = ref.calls("upload");
      assertArrayEquals(content, get(d, "/a.txt"));
      assertEquals(1, ref.calls("upload") - before, "one instant upload, not repeated as if the folder had vanished");
    }
  }

  @Test
  void whenSignInRequired_aDriveThatServesTheFile_neverTouchesTheReference() {
    reference.put("/elsewhere.bin", content);
    try (Drive d = drive(Drive.Through.WHEN_SIGN_IN_REQUIRED)) {
      assertArrayEquals(content, get(d, "/a.txt"));
      assertEquals(1, own.calls("link"));
      assertEquals(0, ref.calls("mkdir"), "no cache folder made");
      assertFalse(reference.exists("/cache"));
    }
  }

  @Test
  void linkById_neverGoesThrough() {
    reference.put("/elsewhere.bin", content);
    try (Drive d = drive(Drive.Through.ALWAYS)) {
      d.linkById(d.stat("/a.txt").id());
      assertEquals(1, own.calls("link"));
      assertFalse(reference.exists("/cache"));
    }
  }

  @Test
  void removeThroughCopies_removesTheCacheFolderForGood_andLaterDownloadsMakeTheirCopyAgain() {
    reference.put("/elsewhere.bin", content);
    try (Drive d = drive(Drive.Through.ALWAYS)) {
      String copy = "/cache/" + d.stat("/a.txt").hashes().md5() + "/a.txt";
      assertArrayEquals(content, get(d, "/a.txt"));
      assertTrue(reference.exists(copy));
      long uploads = ref.calls("upload");

      assertTrue(d.removeThroughCopies());
      assertFalse(reference.exists("/cache"));
      assertTrue(reference.trash().noneMatch(t -> t.name().equals("cache")), "not left in the trash");
      assertTrue(reference.exists("/elsewhere.bin"), "nothing else removed");
      assertFalse(d.removeThroughCopies(), "nothing left to remove");

      assertArrayEquals(content, get(d, "/a.txt"), "the copy, forgotten here too, is made again");
      assertEquals(1, ref.calls("upload") - uploads);
      assertTrue(reference.exists(copy));
    }
  }

  @Test
  void removeThroughCopies_leavesAFileAtTheCacheFolderAlone_andNeedsDownloadThrough() {
    reference.put("/cache", content);
    try (Drive d = drive(Drive.Through.ALWAYS)) {
      DriveException e = assertThrows(DriveException.class, d::removeThroughCopies);
      assertEquals(ErrorKind.CONFIG_INVALID, e.kind(), e::getMessage);
      assertTrue(reference.exists("/cache"));
    }
    try (Drive plain = Drive.of(new MemoryDriver())) {
      assertThrows(IllegalStateException.class, plain::removeThroughCopies);
    }
  }

  @Test
  void builder_refusesTheRootAsCacheFolder_andTheDriveItself() {
    Drive.Builder b = Drive.builder(own);
    assertThrows(IllegalArgumentException.class, () -> b.downloadThrough(reference, "/", Drive.Through.ALWAYS));
    assertThrows(IllegalArgumentException.class, () -> b.downloadThrough(reference, "/a//b", Drive.Through.ALWAYS));
    try (Drive same = Drive.of(own)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Drive.builder(own).downloadThrough(same, "/cache", Drive.Through.ALWAYS));
      assertTrue(e.getMessage().contains("through itself"), e.getMessage());
    }
  }
}
