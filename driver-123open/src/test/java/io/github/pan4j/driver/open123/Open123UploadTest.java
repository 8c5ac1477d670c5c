package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.FakeCloud.LoggedRequest;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Open123UploadTest extends Open123Fixture {
  static final int SLICE = 64 * 1024;
  /** Options that send every file through create and slices (the files here are under the 1 MiB single-upload default). */
  static final String[] SLICES_ONLY = {"singleUploadMax", "0"};

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] download(Open123Driver d, String id) {
    Link link = d.link(id);
    try (Link.Content c = link.open(); InputStream in = c.body()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<LoggedRequest> slices() {
    return cloud.requests("upload", "/upload/v2/file/slice");
  }

  @Test
  void upload_multiSlice_storesIdenticalBytes(@TempDir Path tmp) throws IOException {
    byte[] data = bytes(5 * SLICE + 123, 1);
    Path f = Files.write(tmp.resolve("in.bin"), data);
    Recorder rec = new Recorder();
    Open123Driver d = driver(SLICES_ONLY);
    Entry e = d.upload("0", "data.bin", UploadSource.ofFile(f), UploadOptions.DEFAULT.withListener(rec));
    assertEquals("data.bin", e.name());
    assertEquals(data.length, e.size());
    assertArrayEquals(data, download(d, e.id()));
    assertEquals(6, slices().size());
    assertTrue(slices().stream().noneMatch(LoggedRequest::chunked), "every slice carries Content-Length");
    assertEquals(List.of(UploadPhase.HASHING, UploadPhase.PREPARING, UploadPhase.TRANSFERRING, UploadPhase.COMPLETING,
        UploadPhase.VERIFYING, UploadPhase.DONE), rec.phases);
    // Completion is reported by the caller of Driver.upload (the Drive facade), never by the driver.
    assertTrue(rec.completed.isEmpty() && rec.failed.isEmpty());
    assertEquals(data.length, rec.progress.stream().filter(p -> p.phase() == UploadPhase.TRANSFERRING)
        .mapToLong(p -> p.bytesDone()).max().orElseThrow());
  }

  @Test
  void upload_knownContent_isInstantWithoutSlices() {
    byte[] data = bytes(3 * SLICE, 2);
    store.createFile(demo.uid(), 0, "original.bin", store.putBlob(data));
    Recorder rec = new Recorder();
    Entry e = driver(SLICES_ONLY).upload("0", "copy.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT.withListener(rec));
    assertEquals(data.length, e.size());
    assertTrue(rec.instant());
    assertEquals(0, slices().size());
  }

  @Test
  void upload_conflictFail_refusedBeforeAnythingIsSent() {
    store.createFile(demo.uid(), 0, "taken.txt", store.putBlob("old".getBytes()));
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "taken.txt", UploadSource.ofBytes("new".getBytes()), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
    assertTrue(cloud.requests("open", "/upload/").isEmpty());
  }

  @Test
  void upload_conflictKeepBoth_keepsTheOldFile() {
    Node old = store.createFile(demo.uid(), 0, "taken.txt", store.putBlob("old".getBytes()));
    Entry e = driver().upload("0", "taken.txt", UploadSource.ofBytes("newer".getBytes()),
        UploadOptions.of(ConflictPolicy.KEEP_BOTH));
    assertNotEquals(Long.toString(old.id()), e.id());
    assertNotEquals("taken.txt", e.name());
    assertEquals(5, e.size());
    assertEquals(2, store.children(demo.uid(), 0, false).size());
  }

  @Test
  void upload_conflictOverwrite_replacesTheContent() {
    store.createFile(demo.uid(), 0, "taken.txt", store.putBlob("old".getBytes()));
    Open123Driver d = driver();
    Entry e = d.upload("0", "taken.txt", UploadSource.ofBytes("newer".getBytes()), UploadOptions.of(ConflictPolicy.OVERWRITE));
    assertEquals("taken.txt", e.name());
    assertArrayEquals("newer".getBytes(), download(d, e.id()));
    assertEquals(1, store.children(demo.uid(), 0, false).size());
  }

  @Test
  void upload_invalidNameOrEmptyFile_refusedBeforeAnyByte() {
    Open123Driver d = driver();
    DriveException name = assertThrows(DriveException.class,
        () -> d.upload("0", "a:b.txt", UploadSource.ofBytes("x".getBytes()), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.INVALID_NAME, name.kind());
    DriveException empty = assertThrows(DriveException.class,
        () -> d.upload("0", "empty.txt", UploadSource.ofBytes(new byte[0]), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.INVALID_ARGUMENT, empty.kind());
    assertTrue(cloud.requests("open", "/upload/").isEmpty());
  }

  @Test
  void upload_255CharacterName_refusedBeforeHashing() {
    // docs/protocol/123open.md §7.2: the create page says "under 255" and "under 256"; the driver takes the
    // stricter reading, and so does the fake by default.
    Recorder rec = new Recorder();
    DriveException e = assertThrows(DriveException.class, () -> driver().upload("0", "n".repeat(251) + ".txt",
        UploadSource.ofBytes("x".getBytes()), UploadOptions.DEFAULT.withListener(rec)));
    assertEquals(ErrorKind.INVALID_NAME, e.kind());
    assertTrue(e.getMessage().contains("at most 254"), e.getMessage());
    assertFalse(rec.phases.contains(UploadPhase.HASHING), "refused before hashing");
    assertTrue(cloud.requests("open", "/upload/").isEmpty());
    Entry ok = driver().upload("0", "n".repeat(250) + ".txt", UploadSource.ofBytes("x".getBytes()), UploadOptions.DEFAULT);
    assertEquals(254, ok.name().length());
  }

  @Test
  void upload_over10GiB_refusedBeforeAnyByte(@TempDir Path tmp) throws IOException {
    Path sparse = tmp.resolve("huge.bin");
    try (var ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[1]), (10L << 30)); // 10 GiB + 1 byte, sparse
    }
    Recorder rec = new Recorder();
    DriveException e = assertThrows(DriveException.class,
        () -> driver().upload("0", "huge.bin", UploadSource.ofFile(sparse), UploadOptions.DEFAULT.withListener(rec)));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains("10 GiB"), e.getMessage());
    assertFalse(rec.phases.contains(UploadPhase.HASHING), "refused before hashing");
    assertTrue(cloud.requests("open", "/upload/").isEmpty());
  }

  @Test
  void upload_sliceFailingTwice_isRetriedAndFileIntact() {
    byte[] data = bytes(4 * SLICE + 7, 3);
    door.failSlices(2);
    Open123Driver d = driver("uploadThreads", "1", "singleUploadMax", "0");
    Entry e = d.upload("0", "retry.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, download(d, e.id()));
    assertEquals(5 + 2, slices().size());
    assertEquals(2, slices().stream().filter(r -> r.status() == 500).count());
  }

  @Test
  void upload_md5MismatchAtComplete_isIntegrityAndNothingReportedAsSuccess() {
    byte[] data = bytes(2 * SLICE + 1, 4);
    door.failUploadCompletes(1);
    Recorder rec = new Recorder();
    DriveException e = assertThrows(DriveException.class,
        () -> driver(SLICES_ONLY).upload("0", "bad.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT.withListener(rec)));
    assertEquals(ErrorKind.INTEGRITY, e.kind());
    assertTrue(e.providerMessage().orElseThrow().contains("文件上传失败"));
    assertTrue(rec.completed.isEmpty());
    assertTrue(rec.failed.isEmpty(), "failure is reported by the caller of Driver.upload, not the driver");
    assertFalse(rec.phases.contains(UploadPhase.DONE));
    assertTrue(store.child(demo.uid(), 0, "bad.bin").isEmpty());
  }

  /**
   * 123 accepts the upload but the file it stores has another MD5 (a fault: the fake itself never
   * does this). The driver's final check catches it; the error says whether the copy went to the
   * trash or is still there.
   */
  @Test
  void upload_storedWithAnotherMd5_isIntegrity_andTheErrorSaysWhereTheCopyIs() {
    for (boolean trashFails : List.of(false, true)) {
      String name = trashFails ? "kept.bin" : "trashed.bin";
      byte[] data = bytes(SLICE + 3, trashFails ? 12 : 11);
      AtomicBoolean armed = new AtomicBoolean();
      cloud.inject("open", r -> r.path().equals("/upload/v2/file/upload_complete"), Fault.hold(() -> {
        Node n = store.child(demo.uid(), 0, name).orElse(null);
        if (n == null || !armed.compareAndSet(false, true)) return;
        String detail = "{\"code\":0,\"message\":\"ok\",\"data\":{\"fileID\":" + n.id() + ",\"filename\":\"" + name
            + "\",\"type\":0,\"size\":" + n.size() + ",\"etag\":\"0123456789abcdef0123456789abcdef\",\"status\":0,"
            + "\"parentFileID\":0,\"createAt\":\"2026-11-30 12:00:00\",\"trashed\":0},\"x-traceID\":\"t-detail\"}";
        cloud.inject("open", r -> r.path().equals("/" + Open123Limits.DETAIL), Fault.response("another md5",
            new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(detail).build()), 1);
        if (trashFails) {
          cloud.inject("open", r -> r.path().equals("/" + Open123Limits.TRASH), Fault.response("trash refused",
              new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                  .body("{\"code\":1,\"message\":\"内部错误\",\"data\":null,\"x-traceID\":\"t-trash\"}").build()), 1);
        }
      }), Integer.MAX_VALUE);
      DriveException e = assertThrows(DriveException.class,
          () -> driver(SLICES_ONLY).upload("0", name, UploadSource.ofBytes(data), UploadOptions.DEFAULT));
      cloud.clearFaults();
      assertTrue(armed.get());
      assertEquals(ErrorKind.INTEGRITY, e.kind());
      assertTrue(e.getMessage().contains("123 stored MD5 0123456789abcdef0123456789abcdef"), e.getMessage());
      Node stored = store.children(demo.uid(), 0, true).stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
      if (trashFails) {
        assertFalse(store.isTrashed(stored));
        assertTrue(e.getMessage().contains("is still there"), e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("内部错误", ((DriveException) e.getSuppressed()[0]).providerMessage().orElseThrow());
      } else {
        assertTrue(store.isTrashed(stored));
        assertTrue(e.getMessage().contains("was moved to the trash"), e.getMessage());
      }
    }
  }

  /** The drive is closed (by another part of the program) while 123 verifies the upload. */
  @Test
  void driveClosedDuringTheUpload_theListenerStillHearsExactlyOneOutcome() {
    byte[] data = bytes(SLICE + 9, 13);
    io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver(SLICES_ONLY));
    List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.github.pan4j.core.UploadListener l = new io.github.pan4j.core.UploadListener() {
      @Override
      public void phase(io.github.pan4j.core.UploadProgress p) {
        if (p.phase() == UploadPhase.VERIFYING) drive.close();
      }

      @Override
      public void completed(Entry entry) { outcomes.add("completed"); }

      @Override
      public void failed(DriveException error) { outcomes.add("failed " + error.kind()); }
    };
    RuntimeException thrown = assertThrows(RuntimeException.class,
        () -> drive.put("/closing.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT.withListener(l)));
    assertTrue(thrown.getMessage().contains("closed"), thrown.getMessage());
    assertEquals(List.of("failed CANCELLED"), outcomes);
  }

  @Test
  void upload_tokenRevokedMidUpload_completesAfterOneRefresh() {
    byte[] data = bytes(8 * SLICE, 5);
    AtomicBoolean revoked = new AtomicBoolean();
    Recorder rec = new Recorder(p -> {
      if (revoked.compareAndSet(false, true)) door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID);
    });
    Open123Driver d = driver(SLICES_ONLY);
    Entry e = d.upload("0", "revoked.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT.withListener(rec));
    assertTrue(revoked.get());
    assertEquals(2, door.accessTokenCalls());
    assertArrayEquals(data, download(d, e.id()));
  }

  @Test
  void upload_verifyingReplies_arePolledUntilComplete() {
    door.verifyingReplies(5);
    byte[] data = bytes(SLICE + 1, 6);
    Entry e = driver(SLICES_ONLY).upload("0", "slow.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertEquals(data.length, e.size());
    assertEquals(6, cloud.requests("open", "/upload/v2/file/upload_complete").size());
  }

  @Test
  void upload_readsTheSourceTwice_oneHashingPassAndOneSend(@TempDir Path tmp) throws IOException {
    Open123Driver d = driver(SLICES_ONLY);
    // The first upload tells the driver the server's slice size (16 MiB is assumed before that):
    // its slices are hashed by reading each once more, so it reads the file three times.
    byte[] first = bytes(3 * SLICE + 5, 9);
    try (UploadSource s = UploadSource.ofFile(Files.write(tmp.resolve("a.bin"), first))) {
      d.upload("0", "a.bin", s, UploadOptions.DEFAULT);
      assertEquals(3L * first.length, s.bytesRead());
    }
    byte[] data = bytes(25 * SLICE + 77, 10);
    try (UploadSource s = UploadSource.ofFile(Files.write(tmp.resolve("b.bin"), data))) {
      Entry e = d.upload("0", "b.bin", s, UploadOptions.DEFAULT);
      assertEquals(2L * data.length, s.bytesRead(), "whole MD5 and slice MD5s in one pass, then the send");
      assertArrayEquals(data, download(d, e.id()));
    }
    assertEquals(4 + 26, slices().size());
  }

  /**
   * The provider starts, before any driver exists, the very pass a fresh driver's prepare and
   * upload ask for: asking for it reads nothing on the caller's thread, and the file is read once.
   */
  @Test
  void providerPrepareUpload_startsThePassTheDriverAsksFor(@TempDir Path tmp) throws IOException {
    byte[] data = bytes((17 << 20) + 5, 12); // above a megabyte (prefetched) and above one 16 MiB slice
    try (UploadSource s = UploadSource.ofFile(Files.write(tmp.resolve("early.bin"), data))) {
      Open123Provider provider = new Open123Provider();
      provider.prepareUpload(provider.parse(options(SLICES_ONLY)), s);
      driver(SLICES_ONLY).prepare(s); // a fresh driver asks for the same pass: the one under way is kept
      List<Thread> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
      s.hashes(new io.github.pan4j.core.UploadListener() {
        @Override
        public void progressed(io.github.pan4j.core.UploadProgress p) {
          readers.add(Thread.currentThread());
        }
      }, false, Open123Uploads.SLICE_HINT);
      assertTrue(!readers.contains(Thread.currentThread()), "the pass ran ahead on its own thread, not when asked");
      assertEquals(data.length, s.bytesRead(), "read once, for whole MD5 and slice MD5s together");
      assertEquals(2, s.sliceMd5s(Open123Uploads.SLICE_HINT).orElseThrow().size());
    }
  }
  /** For v1 uploads (parts without a slice MD5) the provider's early pass computes the whole MD5 alone, as v1's prepare does. */
  @Test
  void providerPrepareUpload_forV1_hashesNoSlices(@TempDir Path tmp) throws IOException {
    byte[] data = bytes((17 << 20) + 5, 13);
    try (UploadSource s = UploadSource.ofFile(Files.write(tmp.resolve("early-v1.bin"), data))) {
      Open123Provider provider = new Open123Provider();
      provider.prepareUpload(provider.parse(options("uploadApi", "v1")), s);
      s.hashes(io.github.pan4j.core.UploadListener.NONE, false, 0);
      assertEquals(data.length, s.bytesRead(), "the file was read by the pass");
      assertTrue(s.sliceMd5s(Open123Uploads.SLICE_HINT).isEmpty(), "no slice MD5s for v1");
    }
  }


  @Test
  void upload_ofBytes_computesNoSha1AndSkipsSha1Reuse(@TempDir Path tmp) throws IOException {
    byte[] data = bytes(3 * SLICE + 9, 11);
    try (UploadSource s = UploadSource.ofFile(Files.write(tmp.resolve("c.bin"), data))) {
      Entry e = driver(SLICES_ONLY).upload("0", "c.bin", s, UploadOptions.DEFAULT);
      assertEquals(data.length, e.size());
      assertEquals(null, s.knownHashes().sha1(), "create matches by MD5: no SHA-1 is computed");
      assertEquals(hex(data), s.knownHashes().md5());
    }
    assertTrue(cloud.requests("open", "/upload/v2/file/sha1_reuse").isEmpty(), "no SHA-1 known, so no sha1_reuse");
    assertEquals(1, cloud.requests("open", "/upload/v2/file/create").size());
  }

  static String hex(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void upload_completionPolls_startAt50msAndBackOff_withinTheEndpointsQps() {
    door.verifyingReplies(5);
    byte[] data = bytes(SLICE + 1, 8);
    driver(SLICES_ONLY).upload("0", "polled.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    List<LoggedRequest> polls = cloud.requests("open", "/upload/v2/file/upload_complete");
    assertEquals(6, polls.size());
    List<Long> at = new java.util.ArrayList<>();
    for (LoggedRequest r : polls) at.add(java.time.Duration.between(polls.get(0).at(), r.at()).toMillis());
    // 50 ms first, ×1.5 after each "still verifying"; the free tier's 5 QPS for upload_complete
    // admits five polls per sliding second (counted from each answer; the fake clock answers at
    // once), so the sixth waits for the first one's second to pass.
    List<Long> expected = new java.util.ArrayList<>(List.of(0L));
    long wait = 50;
    for (int i = 1; i < 6; i++) {
      long t = expected.get(i - 1) + wait;
      if (i >= 5) t = Math.max(t, expected.get(i - 5) + 1000);
      expected.add(t);
      wait = wait * 3 / 2;
    }
    assertEquals(List.of(0L, 50L, 125L, 237L, 405L, 1000L), expected);
    assertEquals(expected, at);
  }

  @Test
  void upload_completionPollSchedule_isCappedAt5s() {
    java.time.Duration d = Open123Uploads.FIRST_POLL;
    long total = 0;
    int inFirstMinute = 0;
    for (int i = 0; i < 40; i++) {
      if (total < 60_000) inFirstMinute++;
      total += d.toMillis();
      d = Open123Uploads.nextPoll(d);
    }
    assertEquals(5000, d.toMillis());
    // 50, 75, 112, ... ms reach the 5 s cap after about 13 s: a slow verification costs about 22
    // polls in its first minute, then 12 a minute.
    assertTrue(inFirstMinute <= 22, "polls in the first minute: " + inFirstMinute);
  }

  @Test
  void upload_interrupted_isCancelledAndNothingStored() {
    byte[] data = bytes(40 * SLICE, 7);
    Thread caller = Thread.currentThread();
    AtomicBoolean once = new AtomicBoolean();
    Recorder rec = new Recorder(p -> {
      if (once.compareAndSet(false, true)) caller.interrupt();
    });
    DriveException e = assertThrows(DriveException.class,
        () -> driver("uploadThreads", "2", "singleUploadMax", "0").upload("0", "cancel.bin", UploadSource.ofBytes(data),
            UploadOptions.DEFAULT.withListener(rec)));
    assertTrue(Thread.interrupted(), "interrupt flag kept");
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertTrue(rec.completed.isEmpty());
    assertTrue(store.child(demo.uid(), 0, "cancel.bin").isEmpty());
    assertTrue(slices().size() < 40, "stopped early");
  }
}
