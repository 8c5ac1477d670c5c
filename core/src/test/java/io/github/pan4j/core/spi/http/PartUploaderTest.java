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

  /**
   * A part body that writes itself into memory as OkHttp would into the connection, from a source
   * whose every 64 KiB read takes {@code msPerRead} of the clock; the first attempt of part
   * {@code failingPart} breaks off after {@code failAfter} bytes (a dropped connection).
   */
  private PartUploader.PartSender writing(long msPerRead, int failingPart, long failAfter) {
    AtomicInteger failures = new AtomicInteger();
    return part -> {
      boolean fail = part.number() == failingPart && failures.getAndIncrement() == 0;
      RequestContent body = RequestContent.stream(null, part.length(), () -> new java.io.InputStream() {
        long read;

        @Override
        public int read() {
          throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
          if (fail && read >= failAfter) throw new java.io.IOException("connection dropped");
          clock.advance(Duration.ofMillis(msPerRead));
          read += len;
          return len;
        }
      });
      try {
        body.toRequestBody().writeTo(new okio.Buffer());
      } catch (java.io.IOException e) {
        throw DriveException.builder(ErrorKind.NETWORK, "dropped").retryable(true).build();
      }
    };
  }

  private static final long MIB = 1 << 20;

  @Test
  void progress_countsBodyBytesAsWritten_aMiBApartWhenTheLineIsSlow() {
    List<Long> progress = new ArrayList<>();
    // 10 ms per 64 KiB: a MiB takes 160 ms, so the MiB is what holds each update back.
    PartUploader.of("t", pool, 1, retry, clock).upload("f", 8 * MIB, 8 * MIB, writing(10, 0, 0), progress::add);
    assertEquals(List.of(1 * MIB, 2 * MIB, 3 * MIB, 4 * MIB, 5 * MIB, 6 * MIB, 7 * MIB, 8 * MIB), progress);
  }

  @Test
  void progress_onAFastLine_atMostEvery100Milliseconds_thenTheEnd() {
    List<Long> progress = new ArrayList<>();
    List<Long> at = new ArrayList<>();
    // 2 ms per 64 KiB: a MiB takes 32 ms, so the 100 ms hold each update back (50 reads, 3.125 MiB).
    PartUploader.of("t", pool, 1, retry, clock).upload("f", 8 * MIB, 8 * MIB, writing(2, 0, 0), done -> {
      progress.add(done);
      at.add(clock.millis());
    });
    long k = 64 << 10;
    assertEquals(List.of(16 * k, 66 * k, 116 * k, 8 * MIB), progress);
    for (int i = 1; i < at.size() - 1; i++) assertTrue(at.get(i) - at.get(i - 1) >= 100, at.toString());
  }

  @Test
  void progress_partSentAgain_holdsStillUntilTheNewAttemptPassesTheOld() {
    List<Long> progress = new ArrayList<>();
    // Part 1 (4 MiB) breaks off after 3 MiB, is retried and sent whole; part 2 (1 MiB) follows.
    PartUploader.of("t", pool, 1, retry, clock).upload("f", 5 * MIB, 4 * MIB, writing(10, 1, 3 * MIB), progress::add);
    assertEquals(List.of(1 * MIB, 2 * MIB, 3 * MIB, 4 * MIB, 5 * MIB), progress);
  }

  @Test
  void progress_aPartSentWithoutAStreamedBody_countsWholeWhenDone() {
    List<Long> progress = new ArrayList<>();
    PartUploader.of("t", pool, 1, retry, clock).upload("f", 3 * MIB, MIB, part -> {}, progress::add);
    assertEquals(List.of(1 * MIB, 3 * MIB), progress, "a MiB each, the clock standing still: the first, then the end");
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

  /** The failure of the one part of an empty upload names it without a byte range that runs backwards. */
  @Test
  void failedEmptyPart_isNamedWithoutABackwardRange() {
    DriveException e = assertThrows(DriveException.class, () -> PartUploader.of("t", pool, 1, retry).upload("f", 0, 10,
        part -> {
          throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "part answered HTTP 502").retryable(false).build();
        }, done -> {}));
    assertTrue(e.getMessage().contains("part 1 of 1 (no bytes) failed"), e::getMessage);
    assertFalse(e.getMessage().contains("to -1"), e::getMessage);
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
