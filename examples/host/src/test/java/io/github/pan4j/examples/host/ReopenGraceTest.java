package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.testkit.fake.Fault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving a mount while a download runs through it: the demo share mounted as {@code /dependant},
 * streamed by the host (proxy) through the 123open mount {@code /mine}, while the fake CDN holds the
 * second half of the file. Saving {@code /mine} reopens both mounts; the running download must
 * finish whole on the old drives, and a download stuck longer than {@code reopenGrace} is cut.
 */
class ReopenGraceTest {
  static final Duration GRACE = Duration.ofSeconds(3);

  @TempDir static Path dir;
  static FakeCloudFixture f;
  static byte[] poster;

  @BeforeAll
  static void start() throws Exception {
    f = new FakeCloudFixture(dir, (demo, mounts) -> {
      ThroughMountTest.shareNeedsSignInAndIHaveAnAccount(demo);
      ThroughMountTest.share(demo, mounts, "/dependant", DownloadMode.PROXY, "/mine", null, "always");
      ThroughMountTest.mine(demo, mounts, "/mine");
    }, c -> c.withReopenGrace(GRACE));
    poster = f.bytes("/Demo/Shared/poster.png");
  }

  @AfterAll
  static void stop() {
    if (f != null) f.close();
  }

  /** A download held by the CDN half-way when {@code /mine} was saved, on the drives it replaced. */
  private record Held(CompletableFuture<HttpResponse<byte[]>> running, CountDownLatch release, Drive oldMine,
      Drive oldDependant, long savedAt) {}

  /**
   * Starts a download of the poster from {@code /dependant}, waits until the CDN holds the second
   * half of it (until {@code release}, at most 30 s), then saves {@code /mine} as it is, as the admin
   * form does: it and {@code /dependant} are reopened. The caller counts {@code release} down.
   */
  private static Held saveMidDownload() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    f.demo.cloud.inject("cdn", r -> r.path().startsWith("/open-dl/"), Fault.holdMidBody(FakeCloudFixture.holdUntil(holding, release)), 1);
    CompletableFuture<HttpResponse<byte[]>> running = f.http.sendAsync(
        HttpRequest.newBuilder(URI.create(f.base() + "/d/dependant/poster.png")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (!holding.await(20, TimeUnit.SECONDS)) {
      release.countDown();
      throw new AssertionError("the download never got under way");
    }
    Drive oldMine = f.host.mounts().get("/mine").drive();
    Drive oldDependant = f.host.mounts().get("/dependant").drive();
    long savedAt = System.nanoTime();
    try {
      f.host.mounts().put(f.host.mounts().get("/mine").spec());
    } catch (RuntimeException | java.io.IOException e) {
      release.countDown();
      throw e;
    }
    return new Held(running, release, oldMine, oldDependant, savedAt);
  }

  @Test
  void savingTheReferencedMount_midDownload_letsTheDownloadFinishWhole_andNewRequestsUseTheNewDrives() throws Exception {
    Held held = saveMidDownload();
    try {
      assertNotSame(held.oldMine(), f.host.mounts().get("/mine").drive());
      assertNotSame(held.oldDependant(), f.host.mounts().get("/dependant").drive());
      assertFalse(held.running().isDone(), "the first download still waits for the rest of the file");
      assertFalse(held.oldMine().toString().contains("closed"), "the replaced drive stays open for it: " + held.oldMine());
    } finally {
      held.release().countDown();
    }
    HttpResponse<byte[]> r = held.running().get(20, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), () -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(poster.length, r.body().length);
    assertEquals(FakeCloudFixture.md5(poster), FakeCloudFixture.md5(r.body()), "the download finished whole");
    // And the new drives serve the next one.
    HttpResponse<byte[]> next = f.getBytes("/d/dependant/poster.png");
    assertEquals(200, next.statusCode());
    assertArrayEquals(poster, next.body());
  }

  @Test
  void aDownloadStillRunningAfterTheGrace_isCut_andItsDrivesClosed() throws Exception {
    Held held = saveMidDownload();
    try {
      // Cut: a 503 saying why while nothing was sent yet (half the poster fits the host's output
      // buffer), else a connection cut short.
      String outcome;
      try {
        HttpResponse<byte[]> r = held.running().get(GRACE.toSeconds() + 20, TimeUnit.SECONDS);
        outcome = r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (ExecutionException e) {
        outcome = "cut: " + e.getCause();
      }
      long took = System.nanoTime() - held.savedAt();
      assertTrue(outcome.startsWith("cut: ") || outcome.startsWith("503 ") && outcome.contains("the driver was closed"),
          outcome);
      assertEquals(1, held.release().getCount(), "cut while the CDN still held the rest, not ended by it");
      assertTrue(took >= GRACE.toNanos() - TimeUnit.MILLISECONDS.toNanos(100),
          "cut after the grace, not at the save: " + took / 1_000_000 + " ms");
      assertTrue(held.oldMine().toString().contains("closed") && held.oldDependant().toString().contains("closed"),
          held.oldMine() + ", " + held.oldDependant());
    } finally {
      held.release().countDown();
    }
  }
}
