package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TRANSFERRING progress while the slices' bytes are written, over HTTP to the fake: 48 MiB in
 * 16 MiB slices used to report three times (once per finished slice); now about once a MiB, at
 * most every 100 ms of the driver's clock, and once more at the end.
 */
class Open123UploadProgressTest extends Open123Fixture {
  static final int MIB = 1 << 20;
  static final int SIZE = 48 * MIB;

  /** The TRANSFERRING updates, with the driver clock's millis at each; the clock moves {@code step} per update. */
  final class Bar implements UploadListener {
    final List<Long> at = new ArrayList<>();
    final List<UploadProgress> sent = new ArrayList<>();
    private final Duration step;

    Bar(Duration step) {
      this.step = step;
    }

    @Override
    public synchronized void progressed(UploadProgress p) {
      if (p.phase() != UploadPhase.TRANSFERRING) return;
      sent.add(p);
      at.add(clock.millis());
      clock.advance(step); // a repaint that takes the driver's time
    }
  }

  private Entry upload(Bar bar, byte[] data) {
    door.sliceSize(16L * MIB);
    Open123Driver d = driver("uploadThreads", "3");
    return d.upload("0", "big.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT.withListener(bar));
  }

  @Test
  void upload_48MiBIn16MiBSlices_reportsAsBytesAreSent() {
    byte[] data = Open123UploadTest.bytes(SIZE, 41);
    Bar bar = new Bar(Duration.ofMillis(100));
    Entry e = upload(bar, data);
    assertEquals(SIZE, e.size());
    assertEquals(3, cloud.requests("upload", "/upload/v2/file/slice").size());
    List<UploadProgress> p = bar.sent;
    assertTrue(p.size() >= 20, p.size() + " updates: " + p);
    assertTrue(p.size() <= SIZE / MIB + 1, p.size() + " updates: more than one a MiB");
    assertTrue(p.get(0).bytesDone() < 16L * MIB, "the first update came before any slice was done: " + p.get(0));
    for (int i = 0; i < p.size(); i++) {
      assertEquals(SIZE, p.get(i).totalBytes());
      if (i > 0) assertTrue(p.get(i).bytesDone() > p.get(i - 1).bytesDone(), "increasing: " + p);
      if (i > 0 && i < p.size() - 1) {
        assertTrue(p.get(i).bytesDone() - p.get(i - 1).bytesDone() >= MIB, "a MiB apart: " + p);
        assertTrue(bar.at.get(i) - bar.at.get(i - 1) >= 100, "100 ms apart: " + bar.at);
      }
    }
    assertEquals(SIZE, p.get(p.size() - 1).bytesDone(), "the last update is the size");
    assertArrayEquals(data, Open123UploadTest.download(driver(), e.id()));
  }

  /** The driver's clock stands still (a listener that takes no time): the figure moves once, then ends. */
  @Test
  void upload_clockStandsStill_rateCapHolds() {
    byte[] data = Open123UploadTest.bytes(SIZE, 42);
    Bar bar = new Bar(Duration.ZERO);
    upload(bar, data);
    List<UploadProgress> p = bar.sent;
    // Only the driver's own waits move its clock meanwhile (none are expected): each allows one more.
    long moved = bar.at.get(bar.at.size() - 1) - bar.at.get(0);
    assertTrue(p.size() <= 2 + moved / 100, "the first MiB, then the end: " + p + " over " + moved + " ms");
    assertTrue(p.get(0).bytesDone() >= MIB && p.get(0).bytesDone() < SIZE, p.toString());
    assertEquals(SIZE, p.get(1).bytesDone());
  }

  /**
   * A slice whose connection drops after its bytes were sent is sent again: the figure stays
   * within [0, size], never goes back, and ends at the size.
   */
  @Test
  void upload_sliceSentAgain_figureStaysWithinTheSizeAndEndsThere() {
    cloud.inject("upload", r -> r.path().equals("/upload/v2/file/slice"), Fault.disconnect(), 1);
    byte[] data = Open123UploadTest.bytes(SIZE, 43);
    Bar bar = new Bar(Duration.ofMillis(100));
    Entry e = upload(bar, data);
    assertEquals(4, cloud.requests("upload", "/upload/v2/file/slice").size(), "one slice sent twice");
    List<UploadProgress> p = bar.sent;
    assertTrue(p.size() >= 20, p.size() + " updates: " + p);
    for (int i = 0; i < p.size(); i++) {
      assertTrue(p.get(i).bytesDone() >= 0 && p.get(i).bytesDone() <= SIZE, p.toString());
      if (i > 0) assertTrue(p.get(i).bytesDone() > p.get(i - 1).bytesDone(), "increasing: " + p);
    }
    assertEquals(SIZE, p.get(p.size() - 1).bytesDone());
    assertArrayEquals(data, Open123UploadTest.download(driver(), e.id()));
  }

  /** An interrupt at the first update, a MiB into the first slices: the upload stops there, CANCELLED, nothing stored. */
  @Test
  void upload_interruptedMidSlice_isCancelledAndNothingStored() {
    byte[] data = Open123UploadTest.bytes(SIZE, 44);
    Thread caller = Thread.currentThread();
    List<UploadProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    UploadListener l = new UploadListener() {
      @Override
      public void progressed(UploadProgress p) {
        if (p.phase() != UploadPhase.TRANSFERRING) return;
        if (seen.isEmpty()) caller.interrupt();
        seen.add(p);
      }
    };
    door.sliceSize(16L * MIB);
    Open123Driver d = driver("uploadThreads", "3");
    io.github.pan4j.core.DriveException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.github.pan4j.core.DriveException.class,
        () -> d.upload("0", "cancel.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT.withListener(l)));
    assertTrue(Thread.interrupted(), "interrupt flag kept");
    assertEquals(io.github.pan4j.core.ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(seen.get(0).bytesDone() < 16L * MIB, "interrupted before any slice was done: " + seen);
    assertTrue(seen.stream().allMatch(p -> p.bytesDone() < SIZE), "never reported the end: " + seen);
    assertTrue(store.child(demo.uid(), 0, "cancel.bin").isEmpty(), "nothing stored");
  }
}
