package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.testkit.RecordingUploadListener;
import io.github.pan4j.testkit.fake.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large downloads over real HTTP from the fake's CDN: read on a helper thread, hashed on another,
 * written by the caller. Every fault (a dropped connection, a short or long body, wrong bytes, a
 * stalled server, an interrupt) fails the get with the right kind, leaves no file or part file
 * behind, and leaves no helper thread running.
 */
class Open123DownloadTest extends Open123Fixture {
  /** Above the size from which a download is pipelined (4 MiB) and not a multiple of the 256 KiB chunks. */
  private static final int SIZE = 6 * 1024 * 1024 + 12_345;

  @TempDir
  Path dir;

  private final byte[] content = bytes(SIZE, 7);

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A drive whose {@code /big.bin} holds {@link #content}, stored straight into the fake. */
  private Drive drive() {
    store.createFile(demo.uid(), 0, "big.bin", store.putBlob(content));
    return Drive.of(driver());
  }

  /** The CDN answers the next download with {@code response} instead of the stored bytes. */
  private void cdnServes(String label, MockResponse response) {
    cloud.inject("cdn", r -> true, Fault.response(label, response), 1);
  }

  private static MockResponse body(byte[] bytes) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/octet-stream")
        .body(new Buffer().write(bytes)).build();
  }

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static List<String> downloadThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("pan4j-download")).toList();
  }

  @Test
  void get_largeFile_toFileAndToStream_sameBytesWithProgressToTheEnd() throws IOException {
    Path target = dir.resolve("big.bin");
    RecordingUploadListener rec = new RecordingUploadListener();
    try (Drive d = drive()) {
      d.get("/big.bin", target, rec);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      d.get("/big.bin", out);
      assertArrayEquals(content, out.toByteArray());
    }
    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals(List.of(target), filesInDir(), "no part file left");
    assertEquals(List.of(UploadPhase.TRANSFERRING, UploadPhase.VERIFYING, UploadPhase.DONE), rec.phases());
    List<UploadProgress> steps = rec.progress(UploadPhase.TRANSFERRING);
    assertTrue(steps.size() >= SIZE / (256 * 1024), "progress per chunk, not only at the end: " + steps.size());
    long last = -1;
    for (UploadProgress p : steps) {
      assertTrue(p.bytesDone() > last, "progress only grows");
      last = p.bytesDone();
    }
    assertEquals(SIZE, last);
    assertEquals(List.of(), downloadThreads(), "helpers end with the get");
  }

  @Test
  void get_helpersOnlyForLargeFiles() {
    store.createFile(demo.uid(), 0, "small.bin", store.putBlob(Arrays.copyOf(content, 1 << 20)));
    List<List<String>> seen = new java.util.ArrayList<>();
    UploadListener watch = new UploadListener() {
      @Override
      public void progressed(UploadProgress progress) {
        seen.add(downloadThreads());
      }
    };
    try (Drive d = drive()) {
      d.get("/small.bin", dir.resolve("small.bin"), watch);
      assertTrue(seen.stream().allMatch(List::isEmpty), "1 MiB: read, hashed and written on the caller's thread");
      seen.clear();
      d.get("/big.bin", dir.resolve("big.bin"), watch);
      assertTrue(seen.stream().anyMatch(t -> t.containsAll(List.of("pan4j-download-reader", "pan4j-download-md5"))),
          "6 MiB: a reader and a hasher beside the caller: " + seen);
    }
    assertEquals(List.of(), downloadThreads());
  }

  @Test
  void get_connectionDroppedMidBody_isNetworkAndLeavesNothing() throws IOException {
    Path target = dir.resolve("big.bin");
    try (Drive d = drive()) {
      cdnServes("drop mid-body", body(content).newBuilder().onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build());
      DriveException e = assertThrows(DriveException.class, () -> d.get("/big.bin", target));
      assertEquals(ErrorKind.NETWORK, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("broke off after"), e.getMessage());
      assertTrue(e.retryable(), "a dropped download may be retried");
    }
    assertEquals(List.of(), filesInDir());
    assertEquals(List.of(), downloadThreads());
  }

  @Test
  void get_bodyEndsBeforeItsContentLength_isNetwork() throws IOException {
    Path target = dir.resolve("big.bin");
    try (Drive d = drive()) {
      // Announces every byte, sends 1 MiB and closes: OkHttp sees the stream end early.
      cdnServes("short of its Content-Length", body(Arrays.copyOf(content, 1 << 20)).newBuilder()
          .setHeader("Content-Length", SIZE).onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
      DriveException e = assertThrows(DriveException.class, () -> d.get("/big.bin", target));
      assertEquals(ErrorKind.NETWORK, e.kind(), e.getMessage());
    }
    assertEquals(List.of(), filesInDir());
  }

  @Test
  void get_shorterFileThanTheEntry_isIntegrityAndKeepsTheTarget() throws IOException {
    Path target = Files.write(dir.resolve("big.bin"), new byte[] {9, 9, 9});
    try (Drive d = drive()) {
      cdnServes("shorter", body(Arrays.copyOf(content, SIZE - 1)));
      DriveException e = assertThrows(DriveException.class, () -> d.get("/big.bin", target));
      assertEquals(ErrorKind.INTEGRITY, e.kind());
      assertTrue(e.getMessage().contains("received " + (SIZE - 1) + " bytes but the file has " + SIZE), e.getMessage());
    }
    assertArrayEquals(new byte[] {9, 9, 9}, Files.readAllBytes(target), "previous content untouched");
    assertEquals(List.of(target), filesInDir());
  }

  @Test
  void get_longerBodyThanTheEntry_isIntegrityWithoutReadingItAll() throws IOException {
    Path target = dir.resolve("big.bin");
    byte[] longer = Arrays.copyOf(content, SIZE + 4 * 1024 * 1024);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Drive d = drive()) {
      cdnServes("longer", body(longer));
      DriveException e = assertThrows(DriveException.class, () -> d.get("/big.bin", target));
      assertEquals(ErrorKind.INTEGRITY, e.kind());
      assertTrue(e.getMessage().contains("more than the " + SIZE + " bytes"), e.getMessage());
      cdnServes("longer", body(longer));
      assertEquals(ErrorKind.INTEGRITY, assertThrows(DriveException.class, () -> d.get("/big.bin", out)).kind());
    }
    assertEquals(List.of(), filesInDir());
    assertEquals(SIZE + 1, out.size(), "one byte past the file's size tells; the remaining 4 MiB are not read");
  }

  @Test
  void get_wrongBytes_isIntegrityByMd5AndKeepsTheTarget() throws IOException {
    Path target = Files.write(dir.resolve("big.bin"), new byte[] {9, 9, 9});
    byte[] flipped = content.clone();
    flipped[SIZE - 10] ^= 1; // in the last chunk: the MD5 helper must have seen every chunk
    try (Drive d = drive()) {
      cdnServes("one bit flipped", body(flipped));
      DriveException e = assertThrows(DriveException.class, () -> d.get("/big.bin", target));
      assertEquals(ErrorKind.INTEGRITY, e.kind());
      assertTrue(e.getMessage().contains("MD5"), e.getMessage());
      // The same bytes served honestly pass: the check is the MD5, not the pipeline.
      d.get("/big.bin", target);
    }
    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals(List.of(target), filesInDir());
  }

  @Test
  void linkOpen_checksSizeAndMd5InTheCallersRead() throws IOException {
    byte[] flipped = content.clone();
    flipped[SIZE / 2] ^= 1;
    try (Drive d = drive()) {
      io.github.pan4j.core.Link link = d.link("/big.bin");
      try (io.github.pan4j.core.Link.Content c = link.open()) {
        assertArrayEquals(content, c.body().readAllBytes(), "the honest bytes read to the end without complaint");
      }
      cdnServes("one bit flipped", body(flipped));
      try (io.github.pan4j.core.Link.Content c = link.open()) {
        IOException e = assertThrows(IOException.class, () -> c.body().readAllBytes());
        DriveException cause = (DriveException) e.getCause();
        assertEquals(ErrorKind.INTEGRITY, cause.kind());
        assertTrue(e.getMessage().contains("MD5"), e.getMessage());
      }
    }
  }

  @Test
  void linkOpen_refused_saysWhichDriverAndFile() {
    try (Drive d = drive()) {
      io.github.pan4j.core.Link link = d.link("/big.bin");
      String id = d.stat("/big.bin").id();
      cdnServes("500", new MockResponse.Builder().code(500).body("internal error").build());
      DriveException e = assertThrows(DriveException.class, link::open);
      assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
      assertTrue(e.getMessage().startsWith("123open: download " + id + ": download refused with HTTP 500"), e.getMessage());
      assertEquals("123open", e.driverId().orElseThrow());
    }
  }

  @Test
  void get_serverStallsMidBody_failsOnTheReadTimeout() throws IOException {
    // okio's per-read watchdog is switched off for HTTP/1 bodies; the socket's read timeout
    // (OkHttp's readTimeout) must still end a stalled download. Real time: 500 ms.
    http = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(500)).build();
    Path target = dir.resolve("big.bin");
    try (Drive d = drive()) {
      cdnServes("stall mid-body", body(content).newBuilder().onResponseBody(SocketEffect.Stall.INSTANCE).build());
      long start = System.nanoTime();
      DriveException e = assertThrows(DriveException.class, () -> d.get("/big.bin", target));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ErrorKind.NETWORK, e.kind(), e.getMessage());
      assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out"), e.getMessage());
      assertTrue(ms < 30_000, "gave up after " + ms + " ms");
    } finally {
      http.dispatcher().cancelAll();
      http.connectionPool().evictAll();
    }
    assertEquals(List.of(), filesInDir());
    assertEquals(List.of(), downloadThreads());
  }

  @Test
  void get_interruptedMidDownload_isCancelledAndLeavesNothing() throws IOException {
    Path target = dir.resolve("big.bin");
    UploadListener interruptAtOneMiB = new UploadListener() {
      @Override
      public void progressed(UploadProgress progress) {
        if (progress.bytesDone() >= (1 << 20)) Thread.currentThread().interrupt();
      }
    };
    try (Drive d = drive()) {
      DriveException e = assertThrows(DriveException.class, () -> d.get("/big.bin", target, interruptAtOneMiB));
      assertEquals(ErrorKind.CANCELLED, e.kind(), e.getMessage());
      assertTrue(Thread.interrupted(), "the interrupt stays set for the caller");
      assertEquals(List.of(), downloadThreads(), "both helpers stopped before get returned");
      // The drive still works after a cancelled download.
      d.get("/big.bin", target);
    }
    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals(List.of(target), filesInDir());
  }

  /** The CDN's 416 for a range past the end is content, not an error, and keeps the size it states. */
  @Test
  void rangeStartingAtTheEnd_is416WithTheSizeTheCdnStated() throws IOException {
    try (Drive drive = drive(); var c = drive.link("/big.bin").open(SIZE, 10)) {
      assertEquals(416, c.status());
      assertEquals(0, c.body().readAllBytes().length);
      assertEquals(SIZE, c.totalLength(), "from the CDN's Content-Range: bytes */" + SIZE);
    }
  }
}
