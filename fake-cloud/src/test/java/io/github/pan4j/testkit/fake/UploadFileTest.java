package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session file's bookkeeping, which the HTTP tests cannot see: how far the running MD5 got
 * while slices arrived, its rewind on a re-send, and the lazily computed SHA-1 of blobs. Each
 * runs with the file written past the page cache (O_DIRECT, the default where the file system
 * takes it) and through it.
 */
class UploadFileTest {
  private static final int SLICE = 4096;
  @TempDir Path dir;

  /** A session file that bypasses the page cache, or one that goes through it. */
  private UploadFile file(boolean direct) {
    int align = DirectIo.alignment(dir);
    assertTrue(!direct || align > 0, "the test directory's file system takes O_DIRECT (ext4, xfs, btrfs do)");
    UploadFile f = new UploadFile(dir, "s", SLICE, direct ? align : 0);
    assertEquals(direct, f.direct());
    return f;
  }

  private static void write(UploadFile f, int no, byte[] b) throws Exception {
    assertTrue(f.write(no, b.length, Digests.md5(b), UploadFile.of(b, 0, b.length)));
  }

  @ParameterizedTest(name = "direct I/O {0}")
  @ValueSource(booleans = {true, false})
  void inOrderSlicesAreHashedAsTheyCome_andEarlyOnesAreCaughtUp(boolean direct) throws Exception {
    byte[] content = TestBytes.random(4 * SLICE - 10, 1);
    UploadFile f = file(direct);
    write(f, 1, TestBytes.slice(content, 1, SLICE));
    assertEquals(1, f.hashed());
    write(f, 3, TestBytes.slice(content, 3, SLICE));
    write(f, 4, TestBytes.slice(content, 4, SLICE));
    assertEquals(1, f.hashed(), "3 and 4 wait on disk for 2");
    write(f, 2, TestBytes.slice(content, 2, SLICE));
    assertEquals(4, f.hashed(), "2 from memory, then 3 and 4 from the file");
    assertEquals(Digests.md5(content), f.complete(content.length, Digests.md5(content)));
    assertArrayEquals(content, Files.readAllBytes(f.path()));
  }

  @ParameterizedTest(name = "direct I/O {0}")
  @ValueSource(booleans = {true, false})
  void resentSliceBehindTheDigest_rewindsIt_andTheDigestGoesOn(boolean direct) throws Exception {
    byte[] content = TestBytes.random(3 * SLICE, 2);
    UploadFile f = file(direct);
    write(f, 1, TestBytes.slice(content, 1, SLICE));
    write(f, 2, TestBytes.random(SLICE, 77));
    write(f, 3, TestBytes.slice(content, 3, SLICE));
    assertEquals(3, f.hashed());
    write(f, 2, TestBytes.slice(content, 2, SLICE));
    assertEquals(3, f.hashed(), "rewound to slice 1, then 2 from memory and 3 from the file");
    assertEquals(Digests.md5(content), f.complete(content.length, Digests.md5(content)));
    assertArrayEquals(content, Files.readAllBytes(f.path()));
  }

  @ParameterizedTest(name = "direct I/O {0}")
  @ValueSource(booleans = {true, false})
  void sameSliceAgain_changesNothing(boolean direct) throws Exception {
    byte[] content = TestBytes.random(2 * SLICE, 3);
    UploadFile f = file(direct);
    write(f, 1, TestBytes.slice(content, 1, SLICE));
    write(f, 2, TestBytes.slice(content, 2, SLICE));
    write(f, 1, TestBytes.slice(content, 1, SLICE));
    assertEquals(2, f.hashed());
    assertEquals(2, f.count());
    assertEquals(Digests.md5(content), f.complete(content.length, Digests.md5(content)));
  }

  @ParameterizedTest(name = "direct I/O {0}")
  @ValueSource(booleans = {true, false})
  void bodyInOkioSegments_isWrittenAndHashedWithoutAnArray(boolean direct) throws Exception {
    byte[] content = TestBytes.random(2 * SLICE + 5, 4);
    UploadFile f = file(direct);
    for (int no = 3; no >= 1; no--) {
      ByteString body = new Buffer().write(TestBytes.slice(content, no, SLICE)).readByteString(); // segmented when large
      assertEquals(Digests.md5(TestBytes.slice(content, no, SLICE)), UploadFile.of(body).md5());
      assertTrue(f.write(no, body.size(), UploadFile.of(body).md5(), UploadFile.of(body)));
    }
    assertEquals(3, f.hashed());
    assertEquals(Digests.md5(content), f.complete(content.length, Digests.md5(content)));
    assertArrayEquals(content, Files.readAllBytes(f.path()));
  }

  @ParameterizedTest(name = "direct I/O {0}")
  @ValueSource(booleans = {true, false})
  void parallelWritersAndResends_endWithTheLastBytesOfEachSlice(boolean direct) throws Exception {
    byte[] content = TestBytes.random(40 * SLICE + 3, 5);
    UploadFile f = file(direct);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int no = 1; no <= 41; no++) {
        int n = no;
        all.add(pool.submit(() -> {
          if (n % 3 == 0) write(f, n, TestBytes.random(TestBytes.slice(content, n, SLICE).length, 1000 + n)); // wrong first, fixed below
          write(f, n, TestBytes.slice(content, n, SLICE));
          return null;
        }));
      }
      for (Future<?> x : all) x.get();
    } finally {
      pool.shutdownNow();
    }
    assertEquals(41, f.count());
    assertEquals(Digests.md5(content), f.complete(content.length, Digests.md5(content)));
    assertArrayEquals(content, Files.readAllBytes(f.path()));
  }

  @ParameterizedTest(name = "direct I/O {0}")
  @ValueSource(booleans = {true, false})
  void mismatchAtCompletion_leavesItOpen_andAFixedSliceCompletesIt(boolean direct) throws Exception {
    byte[] content = TestBytes.random(3 * SLICE, 11);
    UploadFile f = file(direct);
    write(f, 1, TestBytes.slice(content, 1, SLICE));
    write(f, 2, TestBytes.random(SLICE, 12));
    write(f, 3, TestBytes.slice(content, 3, SLICE));
    String wrong = f.complete(content.length, Digests.md5(content));
    assertFalse(wrong.equals(Digests.md5(content)));
    write(f, 2, TestBytes.slice(content, 2, SLICE));
    assertEquals(Digests.md5(content), f.complete(content.length, Digests.md5(content)));
    assertArrayEquals(content, Files.readAllBytes(f.path()));
  }

  @ParameterizedTest(name = "direct I/O {0}")
  @ValueSource(booleans = {true, false})
  void writesAfterCompletion_areRefused(boolean direct) throws Exception {
    byte[] content = TestBytes.random(SLICE, 6);
    UploadFile f = file(direct);
    write(f, 1, content);
    f.complete(content.length, Digests.md5(content));
    assertFalse(f.write(1, SLICE, Digests.md5(TestBytes.random(SLICE, 7)), UploadFile.of(TestBytes.random(SLICE, 7), 0, SLICE)));
    assertArrayEquals(content, Files.readAllBytes(f.path()));
  }

  @Test
  void directIo_forSlicesOf1MiBAndMore_whenOn_andOnTheBlockGrid() throws Exception {
    int align = DirectIo.alignment(dir);
    assertTrue(align >= 512 && Integer.bitCount(align) == 1, "block size " + align);
    assertTrue(new UploadFile(dir, "a", DirectIo.MIN_SLICE, true).direct(), "large slices, switched on");
    assertFalse(new UploadFile(dir, "b", DirectIo.MIN_SLICE, false).direct(), "switched off (FakeStore.directIo)");
    assertFalse(new UploadFile(dir, "c", DirectIo.MIN_SLICE / 2, true).direct(), "small slices go through the page cache");
    assertFalse(new UploadFile(dir, "d", DirectIo.MIN_SLICE + 1, true).direct(), "slices off the block grid too");
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.map(x -> x.getFileName().toString()).toList(), "the probe file is deleted");
    }
    try (FakeStore store = new FakeStore(Clock.systemUTC())) {
      assertTrue(store.directIo(), "on by default");
      assertFalse(store.directIo(false).directIo());
    }
  }

  @Test
  void directIo_shortLastSlice_isPaddedOnDisk_thenCutAtCompletion_andSlicesLargerThanTheStageKeepTheirBytes()
      throws Exception {
    int align = DirectIo.alignment(dir);
    int slice = DirectIo.STAGE + 2 * align; // two stage flushes per slice, the second a short one
    byte[] content = TestBytes.random(2 * slice + 17, 21);
    UploadFile f = new UploadFile(dir, "s", slice, true);
    assertTrue(f.direct());
    write(f, 3, TestBytes.slice(content, 3, slice));
    assertEquals(2L * slice + align, Files.size(f.path()), "17 bytes padded to one block");
    write(f, 1, TestBytes.slice(content, 1, slice));
    write(f, 2, TestBytes.slice(content, 2, slice));
    assertEquals(3, f.hashed(), "slice 3 caught up from the file with direct reads");
    assertEquals(Digests.md5(content), f.complete(content.length, Digests.md5(content)));
    assertArrayEquals(content, Files.readAllBytes(f.path()));
  }

  @Test
  void blobSha1_isComputedOnlyWhenAskedForBySizeAndSha1() throws Exception {
    try (FakeStore store = new FakeStore(Clock.systemUTC())) {
      byte[] a = TestBytes.random(100, 8);
      byte[] b = TestBytes.random(101, 9);
      Blob ba = store.putBlob(a);
      Blob bb = store.putBlob(b);
      assertFalse(ba.sha1Known());
      assertFalse(bb.sha1Known());
      String sha1 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(a));
      assertEquals(ba, store.blobBySha1(sha1, 100).orElseThrow());
      assertTrue(ba.sha1Known());
      assertFalse(bb.sha1Known(), "a blob of another size is never hashed");
      assertEquals(sha1, ba.sha1());
      assertFalse(store.blobBySha1("0".repeat(40), 100).isPresent());
    }
  }
}
