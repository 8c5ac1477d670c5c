package io.github.pan4j.core.internal.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * A driver whose downloads are no HTTP calls (the in-memory driver) puts each body under
 * {@link #track(InputStream, String)} instead, with the same effect on its reader.
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
   * {@code body} as a download in flight until it is read to its end or closed, for a driver whose
   * downloads are no HTTP calls: after {@link #close()} its next read fails as an HTTP download's
   * does (an {@link IOException} whose cause is the CANCELLED {@link DriveException}).
   *
   * @param target the file's id or path, named in the error
   * @throws DriveException CANCELLED, {@code body} closed, when this is closed already
   */
  public InputStream track(InputStream body, String target) {
    Tracked t = new Tracked(body, target);
    if (add(t)) return t;
    try {
      body.close();
    } catch (IOException ignored) {
      // nothing was read from it
    }
    throw closedError(target, false);
  }

  /** The failure of a read of a body whose download {@code closedBy} ended (see {@link #close()}). */
  static IOException readFailure(DriveException closedBy) {
    return new IOException(closedBy.getMessage(), closedBy);
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

  /** A body of {@link #track}: leaves the set at its end or close; fails every read once the driver closed. */
  private final class Tracked extends FilterInputStream implements InFlight {
    private final String target;
    private volatile DriveException closedBy;

    Tracked(InputStream in, String target) {
      super(in);
      this.target = target;
    }

    @Override
    public void driverClosed() {
      closedBy = closedError(target, true);
      remove(this);
    }

    private void refuseIfClosed() throws IOException {
      DriveException e = closedBy;
      if (e != null) throw readFailure(e);
    }

    private int ended(int n) {
      if (n < 0) remove(this);
      return n;
    }

    @Override
    public int read() throws IOException {
      refuseIfClosed();
      return ended(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      refuseIfClosed();
      return ended(super.read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
      refuseIfClosed();
      return super.skip(n);
    }

    @Override
    public int available() throws IOException {
      refuseIfClosed();
      return super.available();
    }

    @Override
    public void close() throws IOException {
      remove(this);
      super.close();
    }
  }
}
