package io.github.pan4j.core.spi.http;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The "bytes sent" figure of one {@link PartUploader#upload} call, counted as request bodies are
 * written to the connection and reported at a bounded rate.
 *
 * <ul>
 *   <li>Counting: each part has a {@link PartMeter}, whose share is the most bytes any attempt of
 *       that part has written (at most the part's length); the figure is the sum of the shares.
 *       So it only grows and never passes the total: an attempt sent again after a failure counts
 *       from 0, and its part's share stands still until the new attempt passes where the failed
 *       one stopped.
 *   <li>Rate: a report when the figure moved at least {@link #STEP} bytes <em>and</em> at least
 *       {@link #INTERVAL_MS} ms passed since the last one (the first needs only the bytes), and
 *       once at the end with the total: at most 10 a second whatever the line's speed.
 *   <li>Reports come from whichever thread writes when one is due (OkHttp's, or a worker's), never
 *       two at once (a writer that finds another reporting goes on without waiting), in
 *       increasing order, and none after {@link #close}.
 * </ul>
 *
 * <p>The hot path (one call per buffer written, 64 KiB) is a compare-and-set and an add; the clock
 * is read only once a step of bytes is due.
 */
final class SendMeter {
  /** Bytes between two reports, at least. */
  static final long STEP = 1L << 20;
  /** Milliseconds between two reports, at least. */
  static final long INTERVAL_MS = 100;

  private final Clock clock;
  private final LongConsumer report;
  private final AtomicLong sent = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  /** The figure from which a report may be due; moved on by each report (read without the lock). */
  private volatile long dueAt = STEP;
  // Guarded by lock.
  private long reported;
  private long reportedAtMillis;
  private boolean any;
  private boolean closed;

  SendMeter(Clock clock, LongConsumer report) {
    this.clock = clock;
    this.report = report;
  }

  /** A meter for one part of {@code length} bytes (shared by all its attempts). */
  PartMeter part(long length) {
    return new PartMeter(this, length);
  }

  private void add(long delta) {
    long now = sent.addAndGet(delta);
    if (now >= dueAt) maybeReport(false);
  }

  /**
   * Reports the figure when due; {@code last}: the upload's end, reported whatever the rate (and
   * waited for, should a writer be reporting).
   */
  private void maybeReport(boolean last) {
    if (last) lock.lock();
    else if (!lock.tryLock()) return; // another thread reports; the next write looks again
    try {
      if (closed) return;
      long now = sent.get();
      if (now <= reported) return;
      long millis = clock.millis();
      if (!last) {
        if (now - reported < STEP) return;
        // A clock set back counts as time passed, rather than holding reports back until it catches up.
        if (any && millis >= reportedAtMillis && millis - reportedAtMillis < INTERVAL_MS) return;
      }
      reported = now;
      reportedAtMillis = millis;
      any = true;
      dueAt = now + STEP;
      try {
        report.accept(now);
      } catch (RuntimeException ignored) {
        // A listener must not throw (UploadListener); here it would break the request's body.
      }
    } finally {
      lock.unlock();
    }
  }

  /** The end of a successful upload: reports the figure (the total) unless it was the last report. */
  void finish() {
    maybeReport(true);
    close();
  }

  /** No reports from now on (a failed or cancelled upload, or its end). */
  void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /** One part's share of the figure: the most bytes one of its attempts has written. */
  static final class PartMeter {
    private final SendMeter meter;
    private final long length;
    private final AtomicLong share = new AtomicLong();

    private PartMeter(SendMeter meter, long length) {
      this.meter = meter;
      this.length = length;
    }

    /**
     * An attempt of this part has written {@code bytes} of it so far (from its start); moves the
     * figure when that is more than any attempt wrote before. Safe from several threads (a
     * cancelled attempt's writer may not have stopped yet when the next one begins).
     */
    void reached(long bytes) {
      long b = Math.min(bytes, length);
      long s;
      while ((s = share.get()) < b) {
        if (share.compareAndSet(s, b)) {
          meter.add(b - s);
          return;
        }
      }
    }

    /** The part was sent (or found already there): its whole length counts. */
    void done() {
      reached(length);
    }
  }
}
