package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class RecordingUploadListenerTest {
  private final RecordingUploadListener rec = new RecordingUploadListener();

  private static UploadProgress p(UploadPhase phase, long done) {
    return new UploadProgress(phase, done, 100, false);
  }

  @Test
  void assertPhasesInOrder_backwardsPhase_fails() {
    rec.phase(p(UploadPhase.TRANSFERRING, 0));
    rec.phase(p(UploadPhase.HASHING, 0));
    assertThrows(AssertionFailedError.class, rec::assertPhasesInOrder);
  }

  @Test
  void assertPhasesInOrder_progressGoingBackwards_fails() {
    rec.phase(p(UploadPhase.TRANSFERRING, 0));
    rec.progressed(p(UploadPhase.TRANSFERRING, 50));
    rec.progressed(p(UploadPhase.TRANSFERRING, 40));
    assertThrows(AssertionFailedError.class, rec::assertPhasesInOrder);
  }

  @Test
  void assertCompletedOnce_twoCompletions_fails() {
    Entry e = Entry.folder("1", "0", "a", null);
    rec.completed(e);
    assertEquals(e, rec.assertCompletedOnce());
    rec.completed(e);
    assertThrows(AssertionFailedError.class, rec::assertCompletedOnce);
  }

  @Test
  void assertFailedOnce_checksKind() {
    rec.failed(DriveException.of(ErrorKind.NETWORK, "x"));
    rec.assertFailedOnce(ErrorKind.NETWORK);
    assertThrows(AssertionFailedError.class, () -> rec.assertFailedOnce(ErrorKind.INTEGRITY));
  }

  @Test
  void record_fromManyThreads_keepsEveryEvent() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 4; t++) {
      pool.execute(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < 1000; i++) rec.progressed(p(UploadPhase.TRANSFERRING, i));
      });
    }
    start.countDown();
    pool.shutdown();
    assertEquals(true, pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(4000, rec.progress(UploadPhase.TRANSFERRING).size());
    assertEquals(List.of(), rec.phases());
  }
}
