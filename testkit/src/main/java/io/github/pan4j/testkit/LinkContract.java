package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links serve the right bytes, whole and by range; folders have no link. */
public abstract class LinkContract extends ContractSupport {
  private static final int SIZE = 10_000;

  @TempDir
  Path tmp;

  private byte[] content;
  private String path;

  private void seed() {
    content = bytes(SIZE, 99);
    path = seedFile("linked.bin", content);
  }

  @Test
  void link_file_servesWholeContent() {
    seed();
    Link link = drive.link(path);
    link.contentLength().ifPresent(n -> assertEquals(SIZE, n, "link's content length"));
    assertSameBytes(content, read(link, 0, -1), "whole file");
  }

  @Test
  void link_range_servesRequestedSlice() {
    seed();
    Link link = drive.link(path);
    assertSameBytes(Arrays.copyOfRange(content, 1000, 1500), read(link, 1000, 500), "bytes 1000..1499");
    assertSameBytes(Arrays.copyOfRange(content, 0, 10), read(link, 0, 10), "first 10 bytes");
  }

  @Test
  void link_rangeToEnd_servesTail() {
    seed();
    assertSameBytes(Arrays.copyOfRange(content, 9000, SIZE), read(drive.link(path), 9000, -1), "tail from 9000");
  }

  /**
   * A host serving HTTP Range requests passes them on: a range running past the end is cut there,
   * and one starting at or past the end is status 416 with no bytes (not an exception), as an HTTP
   * server answers it.
   */
  @Test
  void link_rangePastTheEnd_isCutThere_andOneStartingThereIs416() throws IOException {
    seed();
    Link link = drive.link(path);
    try (Link.Content c = link.open(SIZE - 10, 100)) {
      assertEquals(206, c.status(), "status of a range running past the end");
      assertSameBytes(Arrays.copyOfRange(content, SIZE - 10, SIZE), c.body().readAllBytes(), "the last 10 bytes");
    }
    for (long offset : new long[] {SIZE, SIZE + 5}) {
      try (Link.Content c = link.open(offset, 10)) {
        assertEquals(416, c.status(), "status of a range starting at " + offset + " of a " + SIZE + "-byte file");
        assertEquals(0, c.body().readAllBytes().length, "bytes of a 416");
        assertTrue(c.totalLength() == SIZE || c.totalLength() == -1,
            "a 416's totalLength is the file's size, or -1 when the server did not say it, but was " + c.totalLength());
      }
    }
  }

  @Test
  void link_openOfZeroBytes_isEmpty_206InsideTheFile_416AtItsEnd() throws IOException {
    seed();
    Link link = drive.link(path);
    try (Link.Content c = link.open(3, 0)) {
      assertEquals(206, c.status(), "status of zero bytes inside the file");
      assertEquals(0, c.body().readAllBytes().length, "bytes of a zero-length range");
      assertEquals(0, c.length(), "length of a zero-length range");
    }
    if (link.contentLength().isPresent()) {
      try (Link.Content c = link.open(SIZE, 0)) {
        assertEquals(416, c.status(), "status of zero bytes at the end of a file whose size the link states");
        assertEquals(0, c.body().readAllBytes().length, "bytes of a zero-length range at the end");
      }
    }
  }

  @Test
  void link_folder_throwsIsADirectory() {
    assertFails(ErrorKind.IS_A_DIRECTORY, () -> drive.link("/"));
    assertFails(ErrorKind.IS_A_DIRECTORY, () -> driver().link(driver().rootId()));
  }

  @Test
  void get_toFile_writesExactBytes() throws IOException {
    seed();
    Path target = tmp.resolve("out.bin");
    drive.get(path, target);
    assertSameBytes(content, Files.readAllBytes(target), "downloaded file");
  }

  @Test
  void get_toOutputStream_writesExactBytes() {
    seed();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    drive.get(path, out);
    assertSameBytes(content, out.toByteArray(), "downloaded stream");
  }
}
