package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.testkit.MidDownloadClose;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a driver's close does to its downloads in flight: cancels them at once (their connections
 * closed), tells each one's final event, and refuses downloads of links handed out before it.
 */
class Open123CloseDownloadTest extends Open123Fixture {
  private final List<RequestEvent> heard = new CopyOnWriteArrayList<>();

  private Open123Driver listenedDriver() {
    RequestListener recorder = new RequestListener() {
      @Override
      public void requestEnded(RequestEvent event) {
        heard.add(event);
      }
    };
    return (Open123Driver) new Open123Provider().openWith(options(), context().toBuilder().requestListener(recorder).build());
  }

  private List<RequestEvent> downloads() {
    return heard.stream().filter(e -> e.operation().equals(RequestEvent.DOWNLOAD)).toList();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /**
   * A body half read when the driver closes: the next read fails CANCELLED at once (the rest still
   * held by the server), naming the driver and the file, and the download's one final event is told
   * by the close itself, though the reader has not read on yet.
   */
  @Test
  void linkOpen_driverClosedMidBody_nextReadFailsCancelled_andTheCloseTellsTheOneFinalEvent() throws Exception {
    byte[] content = bytes(64 * 1024);
    Node f = store.createFile(demo.uid(), 0, "a.bin", store.putBlob(content));
    Open123Driver d = listenedDriver();
    Link link = d.link(Long.toString(f.id()));
    List<List<RequestEvent>> atClose = new CopyOnWriteArrayList<>();
    DriveException e = MidDownloadClose.run(cloud, "cdn", content, link::open, () -> {
      d.close();
      atClose.add(downloads());
    });
    assertEquals("123open", e.driverId().orElseThrow(), e::toString);
    assertEquals(Long.toString(f.id()), e.target().orElseThrow(), e::toString);
    List<RequestEvent> told = atClose.get(0);
    assertEquals(1, told.size(), "the close told the download's event: " + told);
    assertEquals(ErrorKind.CANCELLED, told.get(0).error().orElseThrow());
    assertTrue(told.get(0).bytes().getAsLong() >= content.length / 2, told::toString);
    assertEquals(told, downloads(), "exactly one final event: the reads that failed after it and the close told none");
    assertEquals(0, http.connectionPool().connectionCount() - http.connectionPool().idleConnectionCount(),
        "no connection left in use");
  }

  /**
   * Drive.get of a large file (read on helper threads) whose drive is closed from another thread
   * while the server holds the second half: CANCELLED at once, not a NETWORK failure after the read
   * timeout nor a download that goes on once the server sends the rest.
   */
  @Test
  void driveGet_closedFromAnotherThreadMidBody_failsCancelledAtOnce() throws Exception {
    byte[] content = bytes(5 * 1024 * 1024);
    store.createFile(demo.uid(), 0, "big.bin", store.putBlob(content));
    CountDownLatch firstBytes = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    cloud.inject("cdn", r -> r.method().equals("GET"), Fault.holdMidBody(() -> {
      try {
        release.await(MidDownloadClose.HOLD_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }), 10);
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        firstBytes.countDown();
      }

      @Override
      public void write(byte[] b, int off, int len) {
        firstBytes.countDown();
      }
    };
    Drive drive = Drive.of(listenedDriver());
    Future<?> closer = executor.submit(() -> {
      firstBytes.await(MidDownloadClose.HOLD_SECONDS, TimeUnit.SECONDS);
      drive.close();
      return null;
    });
    DriveException e;
    boolean stillHeld;
    try {
      e = assertThrows(DriveException.class, () -> drive.get("/big.bin", out));
    } finally {
      stillHeld = release.getCount() == 1;
      release.countDown();
    }
    closer.get(5, TimeUnit.SECONDS);
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(stillHeld, "the get ended while the rest of the body was still held");
    assertEquals("/big.bin", e.target().orElseThrow(), e::toString);
    assertTrue(e.getMessage().contains("driver was closed") && e.getMessage().contains("reopen the driver"), e.getMessage());
    List<RequestEvent> told = downloads();
    assertEquals(1, told.size(), told::toString);
    assertEquals(ErrorKind.CANCELLED, told.get(0).error().orElseThrow());
  }

  /** A link handed out before the close, opened after it: refused CANCELLED without a request to the CDN. */
  @Test
  void linkFromBeforeTheClose_openedAfterIt_isRefusedWithoutARequest() {
    Node f = store.createFile(demo.uid(), 0, "a.bin", store.putBlob(bytes(100)));
    Open123Driver d = listenedDriver();
    Link link = d.link(Long.toString(f.id()));
    d.close();
    int before = cloud.requests("cdn", "/").size();
    DriveException e = assertThrows(DriveException.class, link::open);
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(e.getMessage().contains("123open") && e.getMessage().contains(Long.toString(f.id()))
        && e.getMessage().contains("not started"), e.getMessage());
    assertEquals(before, cloud.requests("cdn", "/").size(), "nothing was sent");
    assertEquals(1, downloads().size(), "its one event: " + downloads());
  }
}
