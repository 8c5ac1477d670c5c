package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.RequestGate;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * The request engine and part uploader under the 123open driver, over loopback against the fake:
 * a huge Retry-After, a trickling server, real upload concurrency and cancellation.
 */
class Open123EngineTest extends Open123Fixture {
  static final int SLICE = 64 * 1024;
  static final String SLICE_PATH = "/upload/v2/file/slice";

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void retryAfterOfMoreThanADay_waitsOnlyTheCap() {
    Open123Driver d = driver();
    d.list("0", null); // token and account first
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.LIST), Fault.response("429 for a day",
        new MockResponse.Builder().code(429).setHeader("Retry-After", "100000").body("").build()), 1);
    Duration before = clock.totalSlept();
    d.list("0", null);
    Duration waited = clock.totalSlept().minus(before);
    System.out.println("measured: Retry-After 100000 s -> waited " + waited + " on the FakeClock");
    assertTrue(waited.compareTo(Duration.ofSeconds(60)) >= 0, "Retry-After honoured: " + waited);
    assertTrue(waited.compareTo(Duration.ofSeconds(61)) < 0, "but capped at 60 s: " + waited);
  }

  @Test
  void closeWhileARetryAfterHoldsTheListing_endsTheWaitAtOnce() {
    AtomicReference<Open123Driver> driver = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicLong listsBefore = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    java.util.List<Duration> slept = new java.util.concurrent.CopyOnWriteArrayList<>();
    // The program closes the driver while the listing waits out a minute's Retry-After.
    io.github.pan4j.core.spi.Sleeper closing = d -> {
      slept.add(d);
      clock.sleep(d);
      if (calls("open", "/" + Open123Limits.LIST) > listsBefore.get()) driver.get().close();
    };
    Open123Driver d = (Open123Driver) new Open123Provider().openWith(options(), context().toBuilder().sleeper(closing).build());
    d.list("0", null); // token and account first
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.LIST), Fault.response("429 for a minute",
        new MockResponse.Builder().code(429).setHeader("Retry-After", "60").body("").build()), 1);
    driver.set(d);
    listsBefore.set(calls("open", "/" + Open123Limits.LIST));
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertEquals(listsBefore.get() + 1, calls("open", "/" + Open123Limits.LIST), "the throttled listing was not repeated");
    Duration afterThe429 = slept.get(slept.size() - 1);
    assertTrue(afterThe429.compareTo(Duration.ofMillis(250)) <= 0, "stopped waiting at the close, not after the minute: " + slept);
  }

  @Test
  void tricklingServer_failsAsNetworkWithinTheDeadline() {
    Open123Driver d = (Open123Driver) new Open123Provider().openWith(options(),
        context().toBuilder().callDeadline(Duration.ofMillis(1500)).build());
    d.list("0", null);
    long listsBefore = calls("open", "/" + Open123Limits.LIST);
    String body = "{\"code\":0,\"message\":\"ok\",\"data\":{\"lastFileId\":-1,\"fileList\":[]},\"x-traceID\":\"t\"}";
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.LIST), Fault.response("trickle",
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body)
            .throttleBody(1, 1, TimeUnit.SECONDS).build()), 1);
    long start = System.nanoTime();
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("measured: 1 byte/s trickle -> " + ms + " ms real time to the typed failure");
    assertEquals(ErrorKind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    assertEquals("123open", e.driverId().orElseThrow());
    // The deadline counts on the driver clock (pacing waits included), so the HTTP part gets at most 1.5 s.
    assertTrue(ms < 2500, "failed after " + ms + " ms (deadline 1500 ms, the body needs " + body.length() + " s)");
    assertEquals(listsBefore + 1, calls("open", "/" + Open123Limits.LIST), "not repeated after the deadline");
  }

  @Test
  void eightUploadThreads_areEightConcurrentSliceRequestsAtTheFake() {
    byte[] data = bytes(8 * SLICE, 11);
    RequestGate gate = RequestGate.untilInFlight(8); // released only when eight are held at once
    cloud.inject("upload", r -> r.path().equals(SLICE_PATH), Fault.hold(gate::hold), Integer.MAX_VALUE);
    Open123Driver d = driver("uploadThreads", "8", "singleUploadMax", "0"); // 512 KiB: slices, not one request
    Entry e = d.upload("0", "eight.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    System.out.println("measured: 8 upload threads -> peak " + gate.peak() + " part requests held at the fake");
    assertEquals(8, gate.peak(), "slice requests in flight at the fake at once");
    assertEquals(data.length, e.size());
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
  }

  @Test
  void cancelMidUpload_stopsEveryWorkerBeforeReturning_andStoresNothing() throws Exception {
    DriveException e = stopMidUpload("cancel.bin", 12, (d, caller) -> caller.interrupt());
    assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
  }

  @Test
  void closeMidUpload_cancelsTheSlicesInFlight_andStoresNothing() throws Exception {
    DriveException e = stopMidUpload("closed.bin", 13, (d, caller) -> d.close());
    assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void closeWhileVerifying_isCancelled_andSaysTheFileWasStored() {
    byte[] data = bytes(3 * SLICE, 14);
    Open123Driver d = driver("singleUploadMax", "0");
    io.github.pan4j.core.UploadListener closer = new io.github.pan4j.core.UploadListener() {
      @Override
      public void phase(io.github.pan4j.core.UploadProgress p) {
        if (p.phase() == io.github.pan4j.core.UploadPhase.VERIFYING) d.close();
      }
    };
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "verified.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT.withListener(closer)));
    assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
    assertTrue(e.getMessage().contains("has stored it"), e.getMessage());
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertTrue(store.child(demo.uid(), 0, "verified.bin").isPresent(), "123 stored the file before the close");
  }

  @Test
  void closeWhilePollingTheCompletion_endsTheWaitAtOnce() {
    byte[] data = bytes(3 * SLICE, 15);
    AtomicReference<Open123Driver> driver = new AtomicReference<>();
    java.util.List<Duration> slept = new java.util.concurrent.CopyOnWriteArrayList<>();
    // The program closes the driver while it waits between two completion polls.
    io.github.pan4j.core.spi.Sleeper closing = d -> {
      slept.add(d);
      clock.sleep(d);
      if (calls("open", "/" + Open123Limits.COMPLETE) > 0) driver.get().close();
    };
    Open123Driver d = (Open123Driver) new Open123Provider().openWith(options("singleUploadMax", "0"),
        context().toBuilder().sleeper(closing).build());
    driver.set(d);
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "polled.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
    assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("check the folder"), e.getMessage());
    assertEquals(1, calls("open", "/" + Open123Limits.COMPLETE), "no poll after the close");
    Duration last = slept.get(slept.size() - 1);
    assertTrue(last.compareTo(Duration.ofMillis(250)) <= 0, "the wait went on in stretches of at most 250 ms: " + slept);
  }

  /**
   * Uploads 40 slices on four threads while the fake holds every slice, stops the upload with
   * {@code stop} once four are in flight, and checks that it returned at once, started no other
   * slice and stored nothing; returns what the upload threw.
   */
  private DriveException stopMidUpload(String name, long seed, java.util.function.BiConsumer<Open123Driver, Thread> stop)
      throws Exception {
    byte[] data = bytes(40 * SLICE, seed);
    RequestGate gate = RequestGate.closed();
    cloud.inject("upload", r -> r.path().equals(SLICE_PATH), Fault.hold(gate::hold), Integer.MAX_VALUE);
    Open123Driver d = driver("uploadThreads", "4");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        d.upload("0", name, UploadSource.ofBytes(data), UploadOptions.DEFAULT);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    try {
      caller.start();
      assertTrue(gate.awaitArrived(4, Duration.ofSeconds(20)), "four slices in flight");
      stop.accept(d, caller);
      caller.join(10_000);
      assertFalse(caller.isAlive(), "the upload must return while the fake still holds the four slices");
      assertEquals(4, gate.arrived(), "no worker started another slice after the stop");
      assertTrue(store.child(demo.uid(), 0, name).isEmpty(), "nothing stored");
    } finally {
      gate.release();
    }
    assertEquals(0, calls("open", "/" + Open123Limits.COMPLETE), "the upload was never completed");
    return (DriveException) thrown.get();
  }
}
