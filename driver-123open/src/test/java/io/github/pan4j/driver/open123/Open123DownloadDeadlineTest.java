package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call deadline bounds the wait for a download's response head: a CDN that holds its answer
 * fails the download in time (before the held answer comes), naming the driver, the file, the host
 * and the deadline; a body that takes longer than the deadline is not cut.
 */
class Open123DownloadDeadlineTest extends Open123Fixture {
  private static final byte[] CONTENT = "the bytes behind the held answer".getBytes();

  @TempDir
  Path dir;

  /** The CDN holds the head of its next download answer until {@code release} (at most 5 s: then it answers). */
  private void holdTheNextDownload(CountDownLatch release) {
    cloud.inject("cdn", r -> r.method().equals("GET") && r.path().startsWith("/open-dl/"), Fault.hold(() -> {
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }), 1);
  }

  private Drive drive(Duration deadline) {
    store.createFile(demo.uid(), 0, "a.bin", store.putBlob(CONTENT));
    return Drive.of(new Open123Provider().openWith(options(), context().toBuilder().callDeadline(deadline).build()));
  }

  private static void assertDeadlineFailure(DriveException e, String host) {
    assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
    assertTrue(e.retryable(), "a download is a read: safe to try again");
    assertFalse(e.mayHaveTakenEffect());
    assertEquals("123open", e.driverId().orElseThrow());
    assertTrue(e.getMessage().contains("download host " + host), e::getMessage);
    assertTrue(e.getMessage().contains("call deadline of 1000 ms"), e::getMessage);
    assertTrue(e.getMessage().contains("download it again later, or raise callDeadline"), e::getMessage);
  }

  @Test
  void get_cdnHoldsItsAnswerPastTheCallDeadline_failsBeforeTheAnswer_namingPathHostAndDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Path target = dir.resolve("a.bin");
    try (Drive drive = drive(Duration.ofMillis(1000))) {
      holdTheNextDownload(release);
      DriveException e;
      boolean held;
      try {
        e = assertThrows(DriveException.class, () -> drive.get("/a.bin", target));
      } finally {
        held = release.getCount() == 1;
        release.countDown();
      }
      assertTrue(held, "failed while the answer was still held");
      assertDeadlineFailure(e, okhttp3.HttpUrl.get(cloud.baseUrl("cdn")).host());
      assertEquals("/a.bin", e.target().orElseThrow());
      assertFalse(Files.exists(target), "nothing written");
      assertEquals(0, cloud.pendingFaults());
      // The next try (the answer comes at once) downloads it.
      drive.get("/a.bin", target);
      assertArrayEquals(CONTENT, Files.readAllBytes(target));
    }
  }

  @Test
  void linkOpen_cdnHoldsItsAnswerPastTheCallDeadline_failsBeforeTheAnswer() {
    CountDownLatch release = new CountDownLatch(1);
    try (Drive drive = drive(Duration.ofMillis(1000))) {
      Link link = drive.link("/a.bin");
      String fileId = drive.stat("/a.bin").id();
      holdTheNextDownload(release);
      DriveException e;
      boolean held;
      try {
        e = assertThrows(DriveException.class, link::open);
      } finally {
        held = release.getCount() == 1;
        release.countDown();
      }
      assertTrue(held, "failed while the answer was still held");
      assertDeadlineFailure(e, okhttp3.HttpUrl.get(cloud.baseUrl("cdn")).host());
      assertEquals(fileId, e.target().orElseThrow());
    }
  }

  /** The deadline is on the head only: a body held mid-way for longer than the deadline arrives whole. */
  @Test
  void get_bodyTakingLongerThanTheCallDeadline_isNotCut() {
    try (Drive drive = drive(Duration.ofMillis(500))) {
      CountDownLatch never = new CountDownLatch(1);
      cloud.inject("cdn", r -> r.method().equals("GET") && r.path().startsWith("/open-dl/"), Fault.holdMidBody(() -> {
        try {
          never.await(900, TimeUnit.MILLISECONDS); // the second half comes after the deadline has passed
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }), 1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      drive.get("/a.bin", out);
      assertArrayEquals(CONTENT, out.toByteArray());
      assertEquals(0, cloud.pendingFaults());
    }
  }
}
