package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.fake.FakeClock;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import io.github.pan4j.testkit.fake.RequestGate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request engine and part uploader under the 123pan driver, over loopback against the fake:
 * a huge Retry-After, a trickling server, real upload concurrency and cancellation.
 */
class Pan123EngineTest {
  static final int SLICE = 64 * 1024;
  static final String LIST_PATH = "/b/api/file/list/new";
  // Set up here rather than through a shared harness: a fake with the web door on one FakeClock.
  private final FakeClock clock = new FakeClock();
  private final WebFrontDoor web = new WebFrontDoor();
  private final FakeCloud cloud = FakeCloud.builder().clock(clock).door(web).build().start();
  private final Account demo = WebFrontDoor.demoAccount(cloud.store());

  @AfterEach
  void stop() {
    cloud.close();
  }

  private DriverContext context() {
    return DriverContext.builder().clock(clock).sleeper(clock).tokenStore(new InMemoryTokenStore()).build();
  }

  private Map<String, String> options() {
    Map<String, String> o = new HashMap<>();
    o.put("username", WebFrontDoor.DEMO_PHONE);
    o.put("password", WebFrontDoor.DEMO_PASSWORD);
    o.put("apiBaseUrl", cloud.baseUrl("web"));
    o.put("loginBaseUrl", cloud.baseUrl("login"));
    return o;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static boolean isPart(io.github.pan4j.testkit.fake.FakeRequest r) {
    return r.method().equals("PUT") && r.path().startsWith("/web-s3/");
  }

  private Driver open(int uploadThreads) {
    Map<String, String> o = options();
    o.put("uploadThreads", Integer.toString(uploadThreads));
    return new Pan123Provider().openWith(o, context());
  }

  @Test
  void retryAfterOfMoreThanADay_waitsOnlyTheCap() {
    try (Driver d = new Pan123Provider().openWith(options(), context())) {
      d.list("0", null); // sign in first
      cloud.inject("web", r -> r.path().equals(LIST_PATH), Fault.response("429 for a day",
          new MockResponse.Builder().code(429).setHeader("Retry-After", "100000").body("").build()), 1);
      Duration before = clock.totalSlept();
      d.list("0", null);
      Duration waited = clock.totalSlept().minus(before);
      System.out.println("measured: Retry-After 100000 s -> waited " + waited + " on the FakeClock");
      assertTrue(waited.compareTo(Duration.ofSeconds(60)) >= 0, "Retry-After honoured: " + waited);
      assertTrue(waited.compareTo(Duration.ofSeconds(62)) < 0, "but capped at 60 s (plus list pacing): " + waited);
    }
  }

  @Test
  void tricklingServer_failsAsNetworkWithinTheDeadline() {
    try (Driver d = new Pan123Provider().openWith(options(),
        context().toBuilder().callDeadline(Duration.ofMillis(1500)).build())) {
      d.list("0", null);
      int before = cloud.requests("web", LIST_PATH).size();
      String body = "{\"code\":0,\"message\":\"ok\",\"data\":{\"Next\":\"-1\",\"Total\":0,\"InfoList\":[]}}";
      cloud.inject("web", r -> r.path().equals(LIST_PATH), Fault.response("trickle",
          new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body)
              .throttleBody(1, 1, TimeUnit.SECONDS).build()), 1);
      long start = System.nanoTime();
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println("measured: 1 byte/s trickle -> " + ms + " ms real time to the typed failure");
      assertEquals(ErrorKind.NETWORK, e.kind());
      assertTrue(e.getMessage().contains("deadline"), e.getMessage());
      assertEquals("123pan", e.driverId().orElseThrow());
      assertTrue(ms < 2500, "failed after " + ms + " ms (deadline 1500 ms, the body needs " + body.length() + " s)");
      assertEquals(before + 1, cloud.requests("web", LIST_PATH).size(), "not repeated after the deadline");
    }
  }

  @Test
  void upload_readsTheSourceTwice_md5OnlyThenTheParts() throws Exception {
    web.sliceSize(SLICE);
    byte[] data = bytes(5 * SLICE + 9, 23);
    try (Driver d = open(3); UploadSource src = UploadSource.ofBytes(data)) {
      Entry e = ((Driver.Upload) d).upload("0", "twice.bin", src, UploadOptions.DEFAULT);
      assertEquals(2L * data.length, src.bytesRead(), "one hashing pass (spooling the stream) and one send");
      assertEquals(null, src.knownHashes().sha1(), "the web protocol needs no SHA-1, so none was computed");
      try (Link.Content c = d.link(e.id()).open()) {
        assertArrayEquals(data, c.body().readAllBytes());
      }
    }
  }

  @Test
  void eightUploadThreads_areEightConcurrentPartRequestsAtTheFake() throws Exception {
    web.sliceSize(SLICE);
    byte[] data = bytes(8 * SLICE, 21);
    RequestGate gate = RequestGate.untilInFlight(8); // released only when eight are held at once
    cloud.inject("cdn", Pan123EngineTest::isPart, Fault.hold(gate::hold), Integer.MAX_VALUE);
    try (Driver d = open(8); UploadSource src = UploadSource.ofBytes(data)) {
      Entry e = ((Driver.Upload) d).upload("0", "eight.bin", src, UploadOptions.DEFAULT);
      System.out.println("measured: 8 upload threads -> peak " + gate.peak() + " part requests held at the fake");
      assertEquals(8, gate.peak(), "part requests in flight at the fake at once");
      assertEquals(data.length, e.size());
      try (Link.Content c = d.link(e.id()).open()) {
        assertArrayEquals(data, c.body().readAllBytes());
      }
    }
  }

  @Test
  void cancelMidUpload_stopsEveryWorkerBeforeReturning_andStoresNothing() throws Exception {
    DriveException e = stopMidUpload("cancel.bin", 22, (d, caller) -> caller.interrupt());
    assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
    assertEquals(0, cloud.requests("web", "/b/api/user/logout").size(), "no sign-out without close");
  }

  @Test
  void closeMidUpload_cancelsThePartsInFlight_storesNothing_andStillSignsOut() throws Exception {
    DriveException e = stopMidUpload("closed.bin", 23, (d, caller) -> d.close());
    assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
    assertEquals(1, cloud.requests("web", "/b/api/user/logout").size(), "close still signed out");
  }

  /**
   * Uploads 40 parts on four threads while the fake holds every part, stops the upload with
   * {@code stop} once four are in flight, and checks that it returned at once, started no other
   * part and stored nothing; returns what the upload threw. The driver signs out when closed.
   */
  private DriveException stopMidUpload(String name, long seed, java.util.function.BiConsumer<Driver, Thread> stop)
      throws Exception {
    web.sliceSize(SLICE);
    byte[] data = bytes(40 * SLICE, seed);
    RequestGate gate = RequestGate.closed();
    cloud.inject("cdn", Pan123EngineTest::isPart, Fault.hold(gate::hold), Integer.MAX_VALUE);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Map<String, String> o = options();
    o.put("uploadThreads", "4");
    o.put("logoutOnClose", "true");
    Driver d = new Pan123Provider().openWith(o, context());
    Thread caller = new Thread(() -> {
      try (UploadSource src = UploadSource.ofBytes(data)) {
        ((Driver.Upload) d).upload("0", name, src, UploadOptions.DEFAULT);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    try {
      caller.start();
      assertTrue(gate.awaitArrived(4, Duration.ofSeconds(20)), "four parts in flight");
      stop.accept(d, caller);
      caller.join(10_000);
      assertFalse(caller.isAlive(), "the upload must return while the fake still holds the four parts");
      assertEquals(4, gate.arrived(), "no worker started another part after the stop");
      assertTrue(cloud.store().child(demo.uid(), 0, name).isEmpty(), "nothing stored");
    } finally {
      gate.release();
    }
    assertTrue(cloud.requests("web", "/b/api/file/upload_request").size() > 0, "the upload was started");
    assertEquals(0, cloud.requests("web", "/b/api/file/upload_complete/v2").size(), "never completed");
    return (DriveException) thrown.get();
  }
}
