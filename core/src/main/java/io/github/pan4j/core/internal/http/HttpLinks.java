package io.github.pan4j.core.internal.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.internal.BoundedInputStream;
import io.github.pan4j.core.internal.CancellableBody;
import io.github.pan4j.core.internal.SafeRequestListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/** Builds {@link Link.Opener}s that fetch a link's bytes with OkHttp, honouring ranges. */
public final class HttpLinks {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

  private HttpLinks() {}

  /**
   * An opener that GETs the link's URL with its headers and a {@code Range} header when a part is
   * asked for. A server that ignores the range (200) is handled by skipping. HTTP 403 becomes
   * EXPIRED (ask for a new link), 404 NOT_FOUND, other failures PROVIDER_ERROR or NETWORK.
   */
  public static Link.Opener opener(OkHttpClient client) {
    return opener(client, null, RequestListener.NONE, Clock.systemUTC(), null);
  }

  /**
   * {@link #opener(OkHttpClient)} that tells {@code listener} of each download as a
   * {@link RequestEvent} of driver {@code driverId} (endpoint {@value RequestEvent#DOWNLOAD}, never
   * the URL), timed on {@code clock}: at once when it is refused, else when its body ends (read to
   * the end, broken off, aborted, or closed), or when {@code downloads} is closed first. Each
   * download is in {@code downloads} (null: none) while it is in flight, so that the driver's close
   * ends it (see {@link OpenDownloads}).
   */
  public static Link.Opener opener(OkHttpClient client, String driverId, RequestListener listener, Clock clock,
      OpenDownloads downloads) {
    return opener(client, driverId, listener, clock, downloads, null);
  }

  /**
   * {@link #opener(OkHttpClient, String, RequestListener, Clock, OpenDownloads)} whose downloads
   * must get their response head (status and headers) within {@code headDeadline} of being sent
   * (the driver's call deadline; null: no limit): connecting, sending the request and waiting for
   * the head all count, the body does not (a large file takes as long as it takes, each read
   * bounded by the client's read timeout). A host that has not answered by then fails the open
   * as {@link ErrorKind#NETWORK}, retryable, naming the host and the deadline; the connection is
   * cancelled.
   */
  public static Link.Opener opener(OkHttpClient client, String driverId, RequestListener listener, Clock clock,
      OpenDownloads downloads, Duration headDeadline) {
    Objects.requireNonNull(client, "client");
    if (headDeadline != null && (headDeadline.isNegative() || headDeadline.isZero())) {
      throw new IllegalArgumentException("headDeadline must be positive but was " + headDeadline);
    }
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    // A listener's exception must never reach the reader (the context's listener is wrapped already).
    RequestListener safe = SafeRequestListener.wrap(listener);
    if (safe != RequestListener.NONE) Objects.requireNonNull(driverId, "driverId");
    return new HttpOpener(client, driverId, safe, clock, downloads, headDeadline);
  }

  /**
   * {@code opener} whose failures name the driver and the file ({@code "123open: download 42: …"}),
   * so an error from {@link Link#open} (or from a read of its body after the driver closed) says
   * which drive and entry it was about.
   */
  public static Link.Opener labelled(Link.Opener opener, String driverId, String target) {
    Objects.requireNonNull(opener, "opener");
    Link.Opener inner = opener instanceof HttpOpener h ? (link, offset, length) -> h.open(link, offset, length, target) : opener;
    return (link, offset, length) -> {
      try {
        return inner.open(link, offset, length);
      } catch (DriveException e) {
        if (e.driverId().isPresent()) throw e;
        throw e.toBuilder().driver(driverId).operation(e.operation().orElse("download")).target(target).cause(e.getCause())
            .build();
      }
    };
  }

  /** The opener of {@link #opener}; {@code listener} is NONE when nobody listens, {@code downloads} null when none. */
  private record HttpOpener(OkHttpClient client, String driverId, RequestListener listener, Clock clock,
      OpenDownloads downloads, Duration headDeadline) implements Link.Opener {
    @Override
    public Link.Content open(Link link, long offset, long length) {
      return open(link, offset, length, null);
    }

    /** {@code target}: the file's id or path, named when the driver's close ends the download; null when unknown. */
    Link.Content open(Link link, long offset, long length, String target) {
      Report report = new Report(driverId, listener, clock, downloads, target);
      try {
        return send(client, link, offset, length, report, headDeadline);
      } catch (DriveException e) {
        report.ended(e.kind());
        throw e;
      } catch (RuntimeException | Error e) {
        report.ended(ErrorKind.PROTOCOL);
        throw e;
      }
    }
  }

  private static Link.Content send(OkHttpClient client, Link link, long offset, long length, Report report,
      Duration headDeadline) {
    Request.Builder rb = new Request.Builder().url(link.url());
    for (Map.Entry<String, String> h : link.headers().entrySet()) rb.header(h.getKey(), h.getValue());
    boolean ranged = offset > 0 || length >= 0;
    if (ranged) rb.header("Range", "bytes=" + offset + "-" + (length >= 0 ? String.valueOf(offset + length - 1) : ""));
    Response response;
    Call call = client.newCall(rb.build());
    report.call = call;
    if (!report.track()) throw report.downloads.closedError(report.target, false);
    HeadWatch watch = headDeadline == null ? null : HeadWatch.arm(call, headDeadline);
    try {
      response = call.execute();
    } catch (Exception e) {
      // Whatever ended the wait for the head ends its watch too: no timer task is left behind.
      boolean late = watch != null && !watch.headArrived();
      if (e instanceof RuntimeException re) throw re;
      if (report.closedBy != null) throw report.closedBy(e);
      // OkHttp throws InterruptedException, undeclared and with the flag cleared, when the thread
      // is interrupted while it waits for a new connection: a cancel like the others.
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      if (Thread.currentThread().isInterrupted()) {
        // OkHttp ends a blocked call of an interrupted thread with an InterruptedIOException
        // ("interrupted", or "timeout"): the caller stopped it, not the network.
        call.cancel();
        throw DriveException.builder(ErrorKind.CANCELLED, "download cancelled by interrupt").operation("download")
            .cause(e).build();
      }
      if (late) throw headTooLate(link, headDeadline, e);
      throw DriveException.builder(ErrorKind.NETWORK, "download failed before its first byte: "
              + e.getClass().getSimpleName() + ": " + e.getMessage() + "; check the network and download it again")
          .operation("download").retryable(true).cause(e).build();
    }
    if (watch != null && !watch.headArrived()) {
      // The head came in just as the deadline ran out (and the watch cancelled the call).
      response.close();
      throw headTooLate(link, headDeadline, null);
    }
    int code = response.code();
    report.status = code;
    if (code == 416) {
      // The range starts at or past the end: no bytes, and the file's size when the server gave
      // it ("Content-Range: bytes */size"), for a host that answers its own client with 416.
      Matcher unsatisfied = UNSATISFIED_RANGE.matcher(Objects.requireNonNullElse(response.header("Content-Range"), "").trim());
      long size = -1;
      if (unsatisfied.matches()) {
        try {
          size = Long.parseLong(unsatisfied.group(1));
        } catch (NumberFormatException tooLong) {
          size = -1;
        }
      }
      response.close();
      report.ended(null);
      return new Link.Content(InputStream.nullInputStream(), 416, offset, 0, size, null);
    }
    if (code != 200 && code != 206) {
      String body;
      try {
        body = response.peekBody(4096).string(); // the head is all the message keeps
      } catch (IOException e) {
        body = "";
      } finally {
        response.close();
      }
      body = Failures.snippet(body, 200);
      ErrorKind kind = switch (code) {
        case 403 -> ErrorKind.EXPIRED;
        case 404 -> ErrorKind.NOT_FOUND;
        case 429 -> ErrorKind.RATE_LIMITED;
        default -> ErrorKind.PROVIDER_ERROR;
      };
      String hint = code == 403 ? "; the link expired, was signed wrongly or is bound to another client — request a new link" : "";
      throw DriveException.builder(kind, "download refused with HTTP " + code + hint)
          .operation("download").providerCode(code).providerMessage(body.isBlank() ? null : body)
          .retryable(code >= 500 || code == 429).build();
    }
    if (response.protocol() == Protocol.HTTP_1_1 || response.protocol() == Protocol.HTTP_1_0) {
      // Over HTTP/1 the socket's own read timeout (OkHttp sets SO_TIMEOUT to the read timeout)
      // already bounds every read of the body. okio's timeout on top re-arms a shared watchdog
      // thread on each 8 KiB read: for a GiB that was ~130,000 lock, signal and wake-up rounds,
      // a fifth of the client's CPU. HTTP/2 streams have no socket of their own: keep theirs.
      response.body().source().timeout().clearTimeout().clearDeadline();
    }
    Counted counted = new Counted(response.body().byteStream(), report);
    InputStream in = counted;
    long total = -1;
    long start = 0;
    long bodyLength = response.body().contentLength();
    if (code == 206) {
      Matcher m = CONTENT_RANGE.matcher(Objects.requireNonNullElse(response.header("Content-Range"), ""));
      if (m.matches()) {
        try {
          start = Long.parseLong(m.group(1));
          if (!m.group(3).equals("*")) total = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
          response.close();
          throw DriveException.builder(ErrorKind.PROTOCOL, "download answered with a Content-Range out of range: '"
                  + m.group() + "'").operation("download").cause(e).build();
        }
      }
    } else {
      total = bodyLength;
      if (offset > 0) {
        try {
          // A body that ends before the offset is a failure, not a download read to its end.
          counted.skipping = true;
          in.skipNBytes(offset);
          counted.skipping = false;
          start = offset;
        } catch (IOException | RuntimeException e) {
          response.close();
          if (report.closedBy != null) throw report.closedBy(e);
          throw DriveException.builder(ErrorKind.NETWORK, "download failed while skipping to " + offset).retryable(true).cause(e).build();
        }
      }
      if (bodyLength >= 0) bodyLength = Math.max(0, bodyLength - offset);
      if (length >= 0) {
        in = new BoundedInputStream(in, length);
        bodyLength = bodyLength < 0 ? length : Math.min(length, bodyLength);
      }
    }
    // Cancelling the call closes the socket: a read blocked in another thread fails at once.
    Runnable cancel = () -> {
      counted.cancelled = true;
      call.cancel();
    };
    return new Link.Content(new CancellableBody(in, cancel), code, start, bodyLength, total,
        response.header("Content-Type"));
  }

  /** The failure of a download whose host sent no response head within {@code deadline}. */
  private static DriveException headTooLate(Link link, Duration deadline, Throwable cause) {
    okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(link.url());
    String host = url == null ? "the download host" : "download host " + url.host();
    return DriveException.builder(ErrorKind.NETWORK, host + " sent no answer within the call deadline of "
            + deadline.toMillis() + " ms (the host is slow or stalled; nothing was downloaded); download it again later,"
            + " or raise callDeadline")
        .operation("download").retryable(true).cause(cause).build();
  }

  /**
   * Cancels a download's call when its response head has not arrived within the deadline. Only
   * the head is watched: once it is in, the body is the reader's, bounded by the read timeout.
   */
  private static final class HeadWatch {
    /** 0: waiting for the head; 1: the head arrived; 2: the deadline ran out first. */
    private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
    private java.util.concurrent.ScheduledFuture<?> task;

    static HeadWatch arm(Call call, Duration deadline) {
      HeadWatch w = new HeadWatch();
      w.task = io.github.pan4j.core.internal.Watches.shared().schedule(() -> {
        if (w.state.compareAndSet(0, 2)) call.cancel();
      }, deadline.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      return w;
    }

    /** Ends the watch: true when the head (or a failure) came first, false when the deadline had run out. */
    boolean headArrived() {
      if (state.compareAndSet(0, 1)) {
        task.cancel(false);
        return true;
      }
      return state.get() == 1;
    }
  }

  /**
   * One download's measurements, told to the listener exactly once, and its place in its driver's
   * {@link OpenDownloads} while it is in flight.
   */
  private static final class Report implements OpenDownloads.InFlight {
    private final String driverId;
    private final RequestListener listener;
    private final Clock clock;
    private final Instant started;
    private final AtomicBoolean told = new AtomicBoolean();
    final OpenDownloads downloads;
    final String target;
    volatile int status = -1;
    final AtomicLong bytes = new AtomicLong();
    /** The HTTP call, once made. */
    volatile Call call;
    /** Set when the driver's close ended this download: what its reader is told. */
    volatile DriveException closedBy;

    Report(String driverId, RequestListener listener, Clock clock, OpenDownloads downloads, String target) {
      this.driverId = driverId;
      this.listener = listener;
      this.clock = clock;
      this.downloads = downloads;
      this.target = target;
      this.started = clock.instant();
    }

    /** Puts this download among its driver's in flight; false when the driver is closed already. */
    boolean track() {
      return downloads == null || downloads.add(this);
    }

    @Override
    public void driverClosed() {
      closedBy = downloads.closedError(target, true);
      ended(ErrorKind.CANCELLED); // its one final event, also when nobody reads or closes it any more
      Call c = call;
      if (c != null) c.cancel(); // closes the connection: a read blocked on it returns at once
    }

    /** The error of a download the driver's close ended, with {@code cause} (the broken read). */
    DriveException closedBy(Throwable cause) {
      return closedBy.toBuilder().cause(cause).build();
    }

    /** {@code error} null: the download succeeded. Ends its tracking either way. */
    void ended(ErrorKind error) {
      if (downloads != null) downloads.remove(this);
      if (!told.compareAndSet(false, true) || listener == RequestListener.NONE) return;
      listener.requestEnded(new RequestEvent(driverId, RequestEvent.DOWNLOAD, "GET", RequestEvent.DOWNLOAD, 1,
          status < 0 ? OptionalInt.empty() : OptionalInt.of(status), Optional.empty(),
          error == null ? RequestEvent.Outcome.OK : RequestEvent.Outcome.FAILED, Optional.ofNullable(error),
          Duration.between(started, clock.instant()), Duration.ZERO, status == 429, Optional.empty(), Optional.empty(),
          OptionalLong.of(bytes.get())));
    }
  }

  /**
   * The raw body, counting what arrives: the download's event goes out at its end, when a read
   * fails (CANCELLED after {@link CancellableBody#cancel()} or an interrupt, else NETWORK), or when
   * it is closed first (the reader took what it wanted: OK; CANCELLED after a cancel). Once the
   * driver's close ended the download, every read fails with an {@link IOException} whose cause is
   * the {@link DriveException} (CANCELLED) saying so, even one the bytes already buffered could serve.
   */
  private static final class Counted extends FilterInputStream {
    private final Report report;
    volatile boolean cancelled;
    /** Skipping to the offset of a server that ignored the range: its end there is no success. */
    boolean skipping;

    Counted(InputStream in, Report report) {
      super(in);
      this.report = report;
    }

    /** One read of the body: returns a count of bytes, or -1 at the end. */
    @FunctionalInterface
    private interface Step {
      long run() throws IOException;
    }

    /** Runs {@code step}, counting its bytes and telling the event at the end or on a failure. */
    private long step(Step step) throws IOException {
      if (report.closedBy != null) throw closed(null);
      long n;
      try {
        n = step.run();
      } catch (IOException | RuntimeException e) {
        if (report.closedBy != null) throw closed(e); // the close cut the connection under the read
        boolean stopped = cancelled || Thread.currentThread().isInterrupted();
        report.ended(stopped ? ErrorKind.CANCELLED : ErrorKind.NETWORK);
        throw e;
      }
      if (n >= 0) report.bytes.addAndGet(n);
      else if (!skipping) report.ended(null);
      return n;
    }

    private IOException closed(Throwable cause) {
      return OpenDownloads.readFailure(cause == null ? report.closedBy : report.closedBy(cause));
    }

    @Override
    public int read() throws IOException {
      int[] b = new int[1];
      long n = step(() -> (b[0] = in.read()) < 0 ? -1 : 1);
      return n < 0 ? -1 : b[0];
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      // A read of no bytes returns 0 at once (InputStream's contract). okio's stream waits for the
      // next byte instead when nothing is buffered, and readNBytes(n) ends with such a read: a
      // reader that had its n bytes waited until more came, or the body ended.
      if (len == 0) return (int) step(() -> 0);
      return (int) step(() -> in.read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
      return step(() -> in.skip(n));
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        // Closed before its end: the reader took what it wanted, unless the transfer was aborted
        // (a cancelled download, or one cut off for running longer than the file).
        report.ended(cancelled ? ErrorKind.CANCELLED : null);
      }
    }
  }
}
