package io.github.pan4j.core.internal.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.internal.CancellableBody;
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
 * {@link #track(InputStream, String)} instead, with the same effect on its reader. A drive that
 * downloads with another driver's links (its reference's) puts each of them under
 * {@link #relay(Link.Opener, String)}, so that closing it ends those too, leaving the other driver
 * open.
 * Thread-safe.
 */
public final class OpenDownloads {
  /** One download in flight. */
  interface InFlight {
    /** Ends the download because its driver closed: from any thread, at most once. */
    void driverClosed();
  }

  private final String driverId;
  /** Said after the reason in the errors (where the bytes came from); null when nothing. */
  private final String note;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<InFlight> running = ConcurrentHashMap.newKeySet();

  /** @param driverId the driver whose downloads these are, named in the errors */
  public OpenDownloads(String driverId) {
    this(driverId, null);
  }

  /**
   * @param driverId the driver (or drive) whose downloads these are, named in the errors
   * @param note said in the errors after the reason (e.g. which other drive served the bytes); null: nothing
   */
  public OpenDownloads(String driverId, String note) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
    this.note = note;
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

  /**
   * {@code opener} (another driver's: the downloads are sent by it, and stay in its own
   * {@link OpenDownloads} as well) with each download it opens counted among these while in flight:
   * {@link #close()} aborts its body ({@link CancellableBody#cancel()}, so a read blocked on it
   * returns at once; the other driver stays open) and makes its next read fail as an HTTP
   * download's does. A download is refused without being sent once this is closed; one whose
   * response had not arrived when this closed is cut as soon as it does.
   *
   * @param target the file's path or id, named in the error
   */
  public Link.Opener relay(Link.Opener opener, String target) {
    Objects.requireNonNull(opener, "opener");
    return (link, offset, length) -> {
      Relayed r = new Relayed(target);
      if (!add(r)) throw closedError(target, false);
      Link.Content c;
      try {
        c = opener.open(link, offset, length);
      } catch (RuntimeException | Error e) {
        remove(r);
        DriveException closedBy = r.closedBy;
        if (closedBy != null && e instanceof DriveException) throw closedBy.toBuilder().cause(e).build();
        throw e;
      }
      return r.attach(c);
    };
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
            + (note == null ? "" : " (" + note + ")") + "; reopen the driver to download again")
        .driver(driverId).operation("download").target(target).build();
  }

  /**
   * A download of {@link #relay}: counted from before it is sent; its body, once there, is read as a
   * {@link Tracked} one, and {@link #close()} also aborts the other driver's body.
   */
  private final class Relayed extends Tracked {
    /** The other driver's body, to abort; null until its response arrived or when it cannot be aborted. */
    private volatile CancellableBody abortable;

    Relayed(String target) {
      super(InputStream.nullInputStream(), target);
    }

    /** Wraps {@code c}'s body, or aborts it and throws when this closed while it was being opened. */
    Link.Content attach(Link.Content c) {
      in = c.body();
      abortable = c.body() instanceof CancellableBody b ? b : null;
      if (closedBy != null) { // closed while the response was on its way: driverClosed may not have seen the body
        if (abortable != null) abortable.cancel();
        c.close();
        remove(this);
        throw closedBy;
      }
      InputStream body = abortable == null ? this : new CancellableBody(this, abortable::cancel);
      return new Link.Content(body, c.status(), c.offset(), c.length(), c.totalLength(), c.contentType());
    }

    @Override
    public void driverClosed() {
      super.driverClosed();
      CancellableBody b = abortable;
      if (b != null) b.cancel(); // the other driver's connection is closed: a blocked read returns
    }
  }

  /**
   * A body of {@link #track} (and of {@link #relay}): leaves the set at its end or close; once the
   * driver closed, fails every read, and a read that fails because the close cut it says so.
   */
  private class Tracked extends FilterInputStream implements InFlight {
    private final String target;
    volatile DriveException closedBy;

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

    /** A failed read: the close's error when the close cut it, else the failure as it was. */
    private IOException failed(IOException e) {
      DriveException d = closedBy;
      return d == null ? e : readFailure(d.toBuilder().cause(e).build());
    }

    private int ended(int n) {
      if (n < 0) remove(this);
      return n;
    }

    @Override
    public int read() throws IOException {
      refuseIfClosed();
      try {
        return ended(in.read());
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      refuseIfClosed();
      try {
        return ended(in.read(b, off, len));
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      refuseIfClosed();
      try {
        return in.skip(n);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public int available() throws IOException {
      refuseIfClosed();
      return in.available();
    }

    @Override
    public void close() throws IOException {
      remove(this);
      in.close();
    }
  }
}
