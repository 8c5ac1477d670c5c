package io.github.pan4j.core.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.TestClock;
import io.github.pan4j.core.http.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartUploaderTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newCachedThreadPool();
  private final RetryPolicy retry = RetryPolicy.of(3, Duration.ofSeconds(1), Duration.ofSeconds(4), clock);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void configuredThreads_runConcurrently_andProgressOnlyGrows() throws Exception {
    CountDownLatch allIn = new CountDownLatch(8);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<Long> progress = new ArrayList<>();
    Set<Integer> sent = ConcurrentHashMap.newKeySet();
    PartUploader.of("t", pool, 8, retry).upload("f", 16 * 10 + 3, 10, part -> {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      allIn.countDown();
      try {
        assertTrue(allIn.await(10, TimeUnit.SECONDS), "8 parts were in flight together");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      inFlight.decrementAndGet();
      sent.add(part.number());
    }, done -> progress.add(done));
    assertEquals(8, peak.get());
    assertEquals(17, sent.size());
    for (int i = 1; i < progress.size(); i++) assertTrue(progress.get(i) > progress.get(i - 1), progress.toString());
    assertEquals(163L, progress.get(progress.size() - 1));
  }

  @Test
  void retryableFailure_isRetriedBoundedly_thenTheFirstFailureIsThrown() {
    AtomicInteger attempts = new AtomicInteger();
    DriveException e = assertThrows(DriveException.class, () -> PartUploader.of("t", pool, 1, retry).upload("f", 30, 10,
        part -> {
          if (part.number() == 2) {
            attempts.incrementAndGet();
            throw DriveException.builder(ErrorKind.NETWORK, "reset").build();
          }
        }, done -> {}));
    assertEquals(ErrorKind.NETWORK, e.kind());
    assertEquals(3, attempts.get());
  }

  @Test
  void interrupt_stopsAndWaitsForEveryWorker() throws Exception {
    CountDownLatch started = new CountDownLatch(4);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicInteger running = new AtomicInteger();
    Thread caller = new Thread(() -> {
      try {
        PartUploader.of("t", pool, 4, retry).upload("f", 100, 10, part -> {
          running.incrementAndGet();
          try {
            started.countDown();
            new CountDownLatch(1).await(); // until interrupted
          } catch (InterruptedException e) {
            throw DriveException.builder(ErrorKind.CANCELLED, "cancelled").build();
          } finally {
            running.decrementAndGet();
          }
        }, done -> {});
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    caller.start();
    assertTrue(started.await(10, TimeUnit.SECONDS));
    caller.interrupt();
    caller.join(10_000);
    assertEquals(ErrorKind.CANCELLED, ((DriveException) thrown.get()).kind());
    assertEquals(0, running.get(), "no worker still sending when upload() returned");
  }

  /**
   * A part whose request may have reached the server (a gateway page, a dropped connection) is
   * still only a part: the upload fails without saying it may have taken effect, and says that no
   * file was stored. A cancel is passed on as it came.
   */
  @Test
  void failedPart_isNoStoredFile_evenWhenThePartMayHaveReachedTheServer() {
    DriveException e = assertThrows(DriveException.class, () -> PartUploader.of("t", pool, 2, retry).upload("f", 30, 10,
        part -> {
          throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "part answered HTTP 502").driver("t").operation("put")
              .target("/f").providerCode(502).traceId("tr").retryable(false).mayHaveTakenEffect(true).build();
        }, done -> {}));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
    assertFalse(e.mayHaveTakenEffect(), e::getMessage);
    assertEquals("/f", e.target().orElseThrow());
    assertEquals("502", e.providerCode().orElseThrow());
    assertEquals("tr", e.traceId().orElseThrow());
    // Two workers, every part failing: the part named is the one whose failure came first.
    assertTrue(java.util.regex.Pattern.compile("part answered HTTP 502; part (1 of 3 \\(bytes 0 to 9\\)|2 of 3 \\(bytes 10"
        + " to 19\\)) failed; the upload stopped before it was completed, so no file was stored: upload it again")
        .matcher(e.getMessage()).find(), e::getMessage);

    DriveException cancelled = DriveException.builder(ErrorKind.CANCELLED, "closed").mayHaveTakenEffect(true).build();
    assertSame(cancelled, assertThrows(DriveException.class, () -> PartUploader.of("t", pool, 1, retry).upload("f", 10, 10,
        part -> { throw cancelled; }, done -> {})));
  }
}
