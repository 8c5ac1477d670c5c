package io.github.pan4j.core.internal.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The downloads of one driver that are in flight (sent, or with a body not yet read to its end nor
 * closed), so that the driver's {@code close()} can end them: {@link #close()} cancels each one's
 * HTTP call (which closes its connection, so a read blocked on it returns at once), tells its one
 * final request event (CANCELLED), and makes its reader's next read fail with an
 * {@link java.io.IOException} whose cause is a {@link DriveException} of kind
 * {@link ErrorKind#CANCELLED} saying the driver was closed. Downloads opened afterwards are
 * refused the same way without being sent. Give one to
 * {@link HttpLinks#opener(okhttp3.OkHttpClient, String, io.github.pan4j.core.RequestListener, java.time.Clock, OpenDownloads)}.
 * Thread-safe.
 */
public final class OpenDownloads {
  /** One download in flight. */
  interface InFlight {
    /** Ends the download because its driver closed: from any thread, at most once. */
    void driverClosed();
  }

  private final String driverId;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<InFlight> running = ConcurrentHashMap.newKeySet();

  /** @param driverId the driver whose downloads these are, named in the errors */
  public OpenDownloads(String driverId) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
  }

  /** Ends every download in flight and refuses later ones (see above). Idempotent; returns at once. */
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    for (InFlight d : running) d.driverClosed();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /** How many downloads are in flight now. */
  public int running() {
    return running.size();
  }

  /**
   * Registers {@code d}; false (and not registered) once closed. Registered before the check, as
   * {@link #close()} sets the flag before it ends what is registered: a download is either ended
   * by it or refused here.
   */
  boolean add(InFlight d) {
    running.add(d);
    if (!closed.get()) return true;
    running.remove(d);
    return false;
  }

  void remove(InFlight d) {
    running.remove(d);
  }

  /**
   * The error of a download its driver's close ended ({@code started}: it had been sent) or
   * refused, naming the driver and {@code target} (the file's id or path; null when unknown).
   */
  DriveException closedError(String target, boolean started) {
    return DriveException.builder(ErrorKind.CANCELLED, (started
            ? "the driver was closed while this download ran; the bytes received are not the whole file"
            : "the driver was closed, so this download was not started")
            + "; reopen the driver to download again")
        .driver(driverId).operation("download").target(target).build();
  }
}
