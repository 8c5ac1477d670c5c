package io.github.pan4j.core.spi.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.http.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Sends the parts of a multipart upload: {@code threads} workers take parts in order, each part
 * is retried through the {@link RetryPolicy} (retryable failures only, a bounded number of times,
 * with the same bytes), and the driver's {@link PartSender} does the actual sending.
 *
 * <ul>
 *   <li>Concurrency: exactly {@code min(threads, parts)} parts are in flight at once (the
 *       {@link ApiClient} lifts OkHttp's per-host limit, so all of them reach the server).
 *   <li>Progress: {@code progress} receives the bytes sent so far, counted as the parts' bodies
 *       are written to the connection: the bytes of every {@link RequestContent#stream streamed
 *       body} the {@link PartSender} builds on its thread, summed over the parts in flight. It is
 *       called when the figure moved at least 1 MiB and 100 ms passed since the last call (the
 *       first call needs only the MiB), and once more with {@code size} when every part is sent:
 *       at most 10 calls a second however fast the line, never from two threads at once (a
 *       sending thread that finds a call running goes on without it), always with a higher
 *       figure than the last, never after {@code upload} returns or throws. A part's share is the
 *       most bytes one of its attempts wrote (at most its length), so the figure never passes
 *       {@code size} and never goes back: while a part is sent again after a failure, its share
 *       stands still until the new attempt passes where the failed one stopped. A part the sender
 *       completes without a streamed body (one the server already holds) counts whole when the
 *       sender returns.
 *   <li>Failure: the first failure stops the other workers (their in-flight calls are cancelled)
 *       and is thrown once every worker has stopped. A part is not a file: the upload's completion
 *       is never sent, so a failure other than a cancel does not {@linkplain DriveException#mayHaveTakenEffect()
 *       say it may have taken effect} (even when the part itself may have been stored) and its
 *       message names the part (number, of how many, which bytes) and says that no file was stored.
 *   <li>Cancellation: interrupting the calling thread stops and waits for every worker, then
 *       throws {@link ErrorKind#CANCELLED} with the interrupt flag kept. When {@link #upload}
 *       returns or throws, no worker of it is running.
 * </ul>
 */
public final class PartUploader {
  /**
   * One part: 1-based number, offset in the source and length.
   */
  public record Part(int number, long offset, long length) {}

  /**
   * Sends one part (the same part may be sent again after a retryable failure). A
   * {@link RequestContent#stream} body built on the calling thread during {@code send} counts its
   * bytes towards the upload's progress as they are written, so build the part's body there.
   */
  @FunctionalInterface
  public interface PartSender {
    void send(Part part);
  }

  /**
   * A deadline for one part request, longer than an API call's: a part of many megabytes on a
   * slow line takes minutes, and the deadline is there to end a stalled transfer, not a slow one.
   */
  public static final java.time.Duration PART_DEADLINE = java.time.Duration.ofMinutes(30);

  private final String driverId;
  private final ExecutorService executor;
  private final int threads;
  private final RetryPolicy retry;
  private final java.time.Clock clock;

  /**
   * The part meter of the part the current thread is sending, while its {@link PartSender} runs;
   * {@link RequestContent#stream} bodies built meanwhile count into it.
   */
  static final ThreadLocal<SendMeter.PartMeter> SENDING = new ThreadLocal<>();

  private PartUploader(String driverId, ExecutorService executor, int threads, RetryPolicy retry,
      java.time.Clock clock) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
    this.driverId = Objects.requireNonNull(driverId, "driverId");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.threads = threads;
    this.retry = Objects.requireNonNull(retry, "retry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * An uploader running up to {@code threads} workers on {@code executor} (which must be able to
   * run that many tasks at once, as {@link io.github.pan4j.core.spi.DriverContext#executor()} can).
   */
  public static PartUploader of(String driverId, ExecutorService executor, int threads, RetryPolicy retry) {
    return of(driverId, executor, threads, retry, java.time.Clock.systemUTC());
  }

  /**
   * As {@link #of(String, ExecutorService, int, RetryPolicy)}, pacing progress by {@code clock}
   * (the {@link io.github.pan4j.core.spi.DriverContext#clock()}, so that tests can drive it).
   */
  public static PartUploader of(String driverId, ExecutorService executor, int threads, RetryPolicy retry,
      java.time.Clock clock) {
    return new PartUploader(driverId, executor, threads, retry, clock);
  }

  public int threads() { return threads; }

  /** The number of parts of {@code partSize} bytes that cover {@code size} bytes (at least one). */
  public static int partCount(long size, long partSize) {
    if (partSize <= 0) throw new IllegalArgumentException("partSize must be positive but was " + partSize);
    long n = Math.max(1, (size + partSize - 1) / partSize);
    if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too many parts: " + n);
    return (int) n;
  }

  /**
   * Sends {@code size} bytes as parts of {@code partSize} bytes.
   *
   * @param target the path or name being uploaded, for errors
   * @param progress receives the bytes sent so far, as the class comment says
   */
  public void upload(String target, long size, long partSize, PartSender sender, LongConsumer progress) {
    int parts = partCount(size, partSize);
    int workers = Math.min(threads, parts);
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<DriveException> failure = new AtomicReference<>();
    AtomicReference<Part> failedPart = new AtomicReference<>(); // the part of that failure
    CountDownLatch stopped = new CountDownLatch(workers);
    SendMeter meter = new SendMeter(clock, progress);
    List<Future<?>> futures = new ArrayList<>(workers);
    List<AtomicBoolean> claimed = new ArrayList<>(workers);
    Runnable cancelAll = () -> {
      stop.set(true);
      meter.close();
      synchronized (futures) {
        for (int i = 0; i < futures.size(); i++) {
          // A worker that never started is counted down here; a running one is interrupted and
          // counts itself down when it stops.
          if (claimed.get(i).compareAndSet(false, true)) stopped.countDown();
          else futures.get(i).cancel(true);
        }
      }
    };
    synchronized (futures) {
      for (int w = 0; w < workers; w++) {
        AtomicBoolean mine = new AtomicBoolean();
        claimed.add(mine);
        futures.add(executor.submit(() -> {
          if (!mine.compareAndSet(false, true)) return;
          Part[] current = {null};
          try {
            while (!stop.get() && !Thread.currentThread().isInterrupted()) {
              int i = next.getAndIncrement();
              if (i >= parts) return;
              long offset = i * partSize;
              Part part = new Part(i + 1, offset, Math.min(partSize, size - offset));
              current[0] = part;
              SendMeter.PartMeter sent = meter.part(part.length());
              retry.execute(true, () -> {
                if (stop.get() || Thread.currentThread().isInterrupted()) throw cancelled(target);
                SENDING.set(sent);
                try {
                  sender.send(part);
                } finally {
                  SENDING.remove();
                }
                return null;
              });
              sent.done();
            }
          } catch (RuntimeException e) {
            DriveException d = e instanceof DriveException de ? de
                : DriveException.builder(ErrorKind.PROVIDER_ERROR, "a part failed: " + e).driver(driverId)
                    .operation("upload").target(target).cause(e).build();
            if (failure.compareAndSet(null, d)) {
              failedPart.set(current[0]);
              cancelAll.run();
            }
          } finally {
            stopped.countDown();
          }
        }));
      }
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      cancelAll.run();
      awaitUninterruptibly(stopped);
      meter.close();
      Thread.currentThread().interrupt();
      throw cancelled(target);
    }
    DriveException e = failure.get();
    if (e != null) {
      meter.close();
      throw notStored(e, failedPart.get(), parts);
    }
    meter.finish();
  }

  /**
   * The failure of a part as the upload's: a part that may have reached the server is only a
   * part, and the upload is completed by a later call that was never made, so no file was stored.
   */
  private static DriveException notStored(DriveException e, Part part, int parts) {
    if (e.kind() == ErrorKind.CANCELLED) return e; // told by whoever cancelled it
    String bytes = part == null ? "" : part.length() == 0 ? "no bytes"
        : "bytes " + part.offset() + " to " + (part.offset() + part.length() - 1);
    String which = part == null ? "" : "; part " + part.number() + " of " + parts + " (" + bytes + ") failed";
    // Clearing the flag drops the words on a part that may have been stored along with it.
    return e.toBuilder().reason(e.reason() + which
            + "; the upload stopped before it was completed, so no file was stored: upload it again")
        .mayHaveTakenEffect(false).cause(e.getCause() != null ? e.getCause() : e).build();
  }

  private DriveException cancelled(String target) {
    return DriveException.builder(ErrorKind.CANCELLED, "upload cancelled by interrupt; nothing was stored")
        .driver(driverId).operation("upload").target(target).build();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  @Override
  public String toString() {
    return "PartUploader{" + driverId + ", threads=" + threads + "}";
  }
}
