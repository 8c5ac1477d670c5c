package io.github.pan4j.core.spi.http;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TokenRenewalEvent;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.internal.RenewalWatch;
import io.github.pan4j.core.internal.http.HttpLinks;
import io.github.pan4j.core.internal.http.OpenDownloads;
import io.github.pan4j.core.internal.http.HttpLog;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.http.Redactor;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.internal.http.Failures;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The request engine of a driver: runs {@link ApiCall}s against one API and owns everything that
 * is the same for every call. Build one per driver instance with {@link #builder}.
 *
 * <p>For each call:
 * <ol>
 *   <li>the endpoint's slot is taken from the {@link RateLimiter} (waiting, never spinning);
 *   <li>the token from the {@link TokenSource} is sent as {@code Authorization: Bearer …};
 *   <li>HTTP 429 becomes a retryable {@link ErrorKind#RATE_LIMITED} carrying the reply's
 *       {@code Retry-After}; any other reply goes to the call's {@link EnvelopeDecoder};
 *   <li>a {@link TokenRejected} renews the token once and repeats the call once; a failure to get
 *       a token at all (the sign-in or renewal failed) fails the call without repeating it, since
 *       a repeat would sign in or spend a refresh token again;
 *   <li>a {@link ErrorKind#RATE_LIMITED} failure that is retryable is repeated whatever the call,
 *       up to {@code rateLimitedAttempts} attempts, after pushing the endpoint's next slot out by
 *       the {@link RetryPolicy}'s delay (which honours {@code Retry-After} up to its cap), so every
 *       caller of the endpoint backs off together;
 *   <li>other retryable failures are repeated only for idempotent calls, within the policy's
 *       attempts and back-off; the body of a call that is not idempotent is one-shot, so OkHttp
 *       does not quietly resend it either when its connection breaks after the request was written;
 *   <li>everything above fits into the call's overall deadline ({@link DriverContext#callDeadline()}
 *       unless the call sets its own): each attempt gets the time left as its OkHttp call timeout,
 *       which covers connecting, sending and reading the whole reply, so a server trickling one
 *       byte a second fails the call as {@link ErrorKind#NETWORK} in time; a wait that would end
 *       after the deadline is not started; a server that stops taking the request's body fails
 *       the attempt on the HTTP client's write timeout, as a retryable {@link ErrorKind#NETWORK}
 *       saying the request was not sent whole and so changed nothing;
 *   <li>an interrupt cancels the HTTP call and throws {@link ErrorKind#CANCELLED} with the
 *       interrupt flag kept; for a call that is not a read (an idempotent GET or HEAD, or one marked
 *       {@link ApiCall.Builder#readOnly()}) the message says it may have reached the server and taken
 *       effect (its request may have been carried out before the interrupt) unless its request was
 *       not yet written whole (a server acts on whole requests only: an upload stopped mid-body
 *       changed nothing) and no earlier attempt of it was sent, and so does an
 *       interrupt while such a call waits to be repeated after a failure that may have come after
 *       the server acted (a gateway page, a dropped connection);
 *   <li>{@link DriveException#mayHaveTakenEffect()} is set on the failure of a call that is not a
 *       read when its request was written whole and the answer does not tell (a dropped connection,
 *       a cut or garbled reply, a 5xx, the deadline, a cancel in flight), and the message says it
 *       may have taken effect and to look before repeating it; the flag is kept when a later
 *       attempt fails otherwise; never for a refusal (a decoded business error, a 4xx, a 429), a
 *       request not written whole, or a read;
 *   <li>{@link #close()} cancels the calls running and refuses later ones, both as
 *       {@link ErrorKind#CANCELLED}, so an operation in flight when its driver closes stops at its
 *       next request instead of running on;
 *   <li>every error leaves with the driver id, operation and target of the call, and the
 *       provider's code, message and trace id where the decoder or the reply had them;
 *   <li>every attempt, and every token renewal the client ran, is reported to the context's
 *       {@link RequestListener} when one is set (see {@link RequestEvent} for what is measured);
 *       a call ends in exactly one event that is not {@code RETRYING}, also when an exception
 *       other than a {@link DriveException} ends it (reported as {@link ErrorKind#PROTOCOL} and
 *       rethrown as it was).
 * </ol>
 *
 * <p>Calls run on OkHttp's asynchronous dispatcher (so that an interrupt can cancel them), with a
 * dispatcher of this client's own whose per-host limit is lifted: the number of calls a driver
 * starts in parallel is the number that run. Thread-safe.
 */
public final class ApiClient {
  /** Replies larger than this are refused as a protocol error (an API reply is never this big). */
  public static final int MAX_API_BODY = 32 * 1024 * 1024;

  /** Builds the error for a call refused for lack of a valid token. */
  @FunctionalInterface
  public interface Rejections {
    /**
     * @param rejection the server's last refusal
     * @param renewed whether the token had been renewed before that refusal
     * @param renewFailure why renewing failed, or null
     * @return the error to throw; the engine adds the call's context where it is missing
     */
    DriveException rejected(TokenRejected rejection, boolean renewed, DriveException renewFailure);
  }

  private static final ExecutorService DISPATCH = Executors.newCachedThreadPool(daemon("pan4j-http"));

  private final String driverId;
  private final OkHttpClient client;
  private final OkHttpClient noRedirects;
  private final OkHttpClient sendOnce;
  private final OkHttpClient sendOnceNoRedirects;
  private final OkHttpClient freshConnection;
  private final String baseUrl;
  private final Map<String, String> headers;
  private final RateLimiter limiter;
  private final RetryPolicy retry;
  private final int rateLimitedAttempts;
  private final TokenSource tokens;
  private final Rejections rejections;
  private final UnaryOperator<String> urlSigner;
  private final Duration deadline;
  private final Clock clock;
  private final Sleeper sleeper;
  private final String traceHeader;
  /** The context's listener, or null when none was set (then nothing is measured). */
  private final RequestListener listener;
  /** The path of the base URL ("/" or "/b/api/"), put before an endpoint in events. */
  private final String basePath;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  /** Waits for the rate limiter's turn that {@link #close()} ends, as it ends retry pauses. */
  private final Sleeper untilClosed = d -> {
    if (!sleepUnlessClosed(d)) throw new ClosedWhileWaiting();
  };
  /** Opened by {@link #close()}: real-time waits end on it at once. */
  private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
  /** Calls in flight that {@link #close()} cancels. */
  private final java.util.Set<Call> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Downloads of {@link #linkOpener()} in flight, which {@link #close()} ends. */
  private final OpenDownloads downloads;

  private ApiClient(Builder b) {
    this.driverId = b.driverId;
    this.downloads = new OpenDownloads(b.driverId);
    Dispatcher dispatcher = new Dispatcher(DISPATCH);
    dispatcher.setMaxRequests(1024);
    dispatcher.setMaxRequestsPerHost(1024);
    this.client = b.context.httpClient().newBuilder().dispatcher(dispatcher)
        .addInterceptor(HttpLog.forDriver(b.driverId)).addNetworkInterceptor(MARK_SENT).build();
    this.noRedirects = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
    // OkHttp on its own resends a request whose connection failed after it was written (a dropped
    // or stale connection), body or no body. For a call that must not run twice (create a share, a
    // folder; renew with a single-use refresh token) that is a blind retry after the request may
    // have reached the server, so such calls go through clients that leave the failure to the
    // retry rules above, which never repeat them.
    this.sendOnce = client.newBuilder().retryOnConnectionFailure(false).build();
    this.sendOnceNoRedirects = noRedirects.newBuilder().retryOnConnectionFailure(false).build();
    // A call made exactly once (a token renewal) runs on a connection of its own: a pooled one may
    // have been closed by the server while idle, and without OkHttp's resend that would fail it.
    this.freshConnection = sendOnce.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    this.baseUrl = b.baseUrl;
    this.headers = Map.copyOf(b.headers);
    this.limiter = b.limiter;
    this.retry = (b.retry != null ? b.retry
        : RetryPolicy.of(4, Duration.ofMillis(500), Duration.ofSeconds(8), b.context.sleeper()))
        .withRetryAfterCap(b.retryAfterCap != null ? b.retryAfterCap : b.context.retryAfterCap());
    this.rateLimitedAttempts = b.rateLimitedAttempts;
    this.tokens = b.tokens;
    this.rejections = b.rejections;
    this.urlSigner = b.urlSigner;
    this.deadline = b.deadline != null ? b.deadline : b.context.callDeadline();
    this.clock = b.context.clock();
    this.sleeper = b.context.sleeper();
    this.traceHeader = b.traceHeader;
    RequestListener l = b.context.requestListener();
    this.listener = l == null || l == RequestListener.NONE ? null : l;
    HttpUrl base = baseUrl == null ? null : HttpUrl.parse(baseUrl);
    String path = base == null ? "/" : base.encodedPath();
    this.basePath = path.endsWith("/") ? path : path + "/";
  }

  /** A client for driver {@code driverId} on the context's HTTP client, clock and sleeper. */
  public static Builder builder(String driverId, DriverContext context) {
    return new Builder(driverId, context);
  }

  public String driverId() { return driverId; }
  /** The rate limiter, or null when calls are not paced. */
  public RateLimiter limiter() { return limiter; }
  /** The retry policy (with this client's {@code Retry-After} cap). */
  public RetryPolicy retry() { return retry; }
  /** The overall deadline of a call that sets none. */
  public Duration deadline() { return deadline; }

  /**
   * Closes this client for its driver (the driver's {@code close()} calls it): every call in
   * flight is cancelled and fails with {@link ErrorKind#CANCELLED}, and every call started
   * afterwards, or waiting for its turn at the rate limiter or for its next retry, fails the same
   * way without being sent, except calls marked
   * {@link ApiCall.Builder#survivesClose()}. Downloads of {@link #linkOpener()} in flight are
   * cancelled too: each one's reader's next read fails with an {@code IOException} whose cause is
   * a {@link DriveException} of kind {@link ErrorKind#CANCELLED} saying the driver was closed, and
   * each one tells its final {@link RequestEvent} (CANCELLED) now, read on or not; downloads opened
   * afterwards are refused. Returns at once, without waiting for the callers; idempotent. The
   * context's HTTP client, connection pool and threads are not touched.
   */
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    closing.countDown();
    for (Call c : running) c.cancel();
    downloads.close();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() { return closed.get(); }

  /** Runs {@code call} and returns what {@code decoder} made of the reply. */
  public <T> T call(ApiCall call, EnvelopeDecoder<T> decoder) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(decoder, "decoder");
    if (listener == null) return attempts(call, decoder, null);
    Trace trace = new Trace();
    try {
      return attempts(call, decoder, trace);
    } catch (RuntimeException | Error e) {
      // Whatever ended the call (a decoder's bug, a token source's own failure) ends its last
      // request too: the listener hears of it, and the caller gets the exception untouched.
      if (!trace.ended) unexpected(call, trace, e);
      throw e;
    }
  }

  /** {@link #call}'s attempts; {@code trace} is null when nothing is measured. */
  private <T> T attempts(ApiCall call, EnvelopeDecoder<T> decoder, Trace trace) {
    Duration limit = call.deadline() != null ? call.deadline() : deadline;
    Instant deadlineAt = clock.instant().plus(limit);
    int failures = 0;
    int throttled = 0;
    int attempts = 0;
    DriveException lastThrottle = null;
    boolean renewed = false;
    boolean actedBefore = false; // an attempt that failed earlier may have changed something at the server
    while (true) {
      if (closed.get() && !call.survivesClose()) {
        throw unsent(call, trace, attempts + 1,
            withContext(afterEarlier(closedBefore(failures + throttled > 0 || renewed), actedBefore), call));
      }
      Token token = null;
      if (call.authenticated() && tokens != null) {
        try {
          token = listener == null ? tokens.current() : RenewalWatch.watching(renewals(false), tokens::current);
        } catch (DriveException noToken) {
          // Not repeated: getting the token ran calls of its own (a sign-in, a renewal with a
          // single-use refresh token) under their own rules for repeats, and a repeat of this call
          // would send them again once the token manager's back-off is over, after one that may
          // have taken effect.
          // Whatever the token's own calls may have done, this call was not sent.
          throw unsent(call, trace, attempts + 1, withContext(afterEarlier(noToken, actedBefore), call));
        }
      }
      Probe probe = trace == null ? null : new Probe(trace, ++attempts, clock.instant());
      try {
        T result = attempt(call, decoder, token, deadlineAt, limit, probe);
        report(call, probe, RequestEvent.Outcome.OK, null);
        return result;
      } catch (ClosedWhileWaiting w) {
        throw report(call, probe, RequestEvent.Outcome.FAILED,
            withContext(afterEarlier(closedBefore(failures + throttled > 0 || renewed), actedBefore), call));
      } catch (TokenRejected r) {
        if (token != null && !renewed) {
          Token fresh;
          try {
            Token rejectedToken = token;
            fresh = listener == null ? tokens.renew(token)
                : RenewalWatch.watching(renewals(true), () -> tokens.renew(rejectedToken));
          } catch (DriveException failure) {
            throw rejected(call, probe, r, withContext(afterEarlier(rejections.rejected(r, false, failure), actedBefore), call));
          }
          if (fresh != null) {
            renewed = true;
            rejected(call, probe, r, null);
            continue;
          }
        }
        throw rejected(call, probe, r, withContext(afterEarlier(rejections.rejected(r, renewed, null), actedBefore), call));
      } catch (DriveException e) {
        if (lastThrottle != null && e.getCause() instanceof DeadlineExceeded d && d.getCause() instanceof PacedPastDeadline) {
          // The time went on waiting out the server's throttling: that is the failure to report.
          // This attempt was never sent (its turn came too late): the server throttled the one
          // before it, reported as such, and not this one.
          if (probe != null) {
            emit(call, trace, probe.attempt, -1, null, RequestEvent.Outcome.FAILED, ErrorKind.RATE_LIMITED, Duration.ZERO,
                probe.queued, false, null, null);
          }
          throw lastThrottle;
        }
        // Whether this attempt may have changed something at the server, as run() and attempt()
        // told it: else it was refused, throttled, or stopped before its request was sent whole.
        boolean acted = e.mayHaveTakenEffect();
        if (!acted) e = afterEarlier(e, actedBefore);
        DriveException failure = withContext(e, call);
        if (e.kind() == ErrorKind.RATE_LIMITED) lastThrottle = failure;
        if (call.once() || e.kind() == ErrorKind.CANCELLED || !e.retryable() || e.getCause() instanceof DeadlineExceeded) {
          throw report(call, probe, RequestEvent.Outcome.FAILED, failure);
        }
        Duration wait;
        if (e.kind() == ErrorKind.RATE_LIMITED) {
          if (++throttled >= rateLimitedAttempts) throw report(call, probe, RequestEvent.Outcome.FAILED, failure);
          wait = retry.delayAfter(throttled, e);
        } else {
          // A call that must not run twice may still be repeated when it never left: the
          // connection could not be opened or the host name did not resolve (OkHttp's own retry
          // is off for such calls).
          boolean neverSent = Failures.neverSent(e.getCause());
          actedBefore |= acted;
          if ((!call.idempotent() && !neverSent) || ++failures >= retry.maxAttempts()) {
            throw report(call, probe, RequestEvent.Outcome.FAILED, failure);
          }
          wait = retry.delayAfter(failures, e);
        }
        if (!clock.instant().plus(wait).isBefore(deadlineAt)) throw report(call, probe, RequestEvent.Outcome.FAILED, failure);
        report(call, probe, RequestEvent.Outcome.RETRYING, failure);
        if (e.kind() == ErrorKind.RATE_LIMITED && limiter != null && call.endpoint() != null) {
          // Every caller of the endpoint queues behind the pause, not just this one; the next
          // attempt's acquire() does the waiting.
          limiter.penalize(call.endpoint(), wait);
        } else {
          try {
            pause(wait, call, actedBefore);
          } catch (DriveException stopped) {
            throw unsent(call, trace, attempts + 1, stopped);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- events

  /** What the listener has been told of one call: whether its final event went out, and which attempts ended. */
  private static final class Trace {
    /** The last attempt reported (0: none yet). */
    int reported;
    /** The attempt under way, or null before the first. */
    Probe current;
    /** Whether an event with an outcome other than RETRYING was sent. */
    boolean ended;
  }

  /** What one attempt measured, for the listener; null throughout when there is none. */
  private static final class Probe {
    final Trace call;
    final int attempt;
    final Instant started;
    /** When the rate limiter let the request go (null until it did). */
    Instant sent;
    Duration queued = Duration.ZERO;
    int status = -1;
    String trace;
    /** When a reply refusing the token was decoded (the renewal runs after that). */
    Instant answered;

    Probe(Trace trace, int attempt, Instant started) {
      this.call = trace;
      this.attempt = attempt;
      this.started = started;
      trace.current = this;
    }
  }

  /** Reports how the attempt {@code probe} measured ended, and returns {@code failure} (to throw). */
  private DriveException report(ApiCall call, Probe probe, RequestEvent.Outcome outcome, DriveException failure) {
    if (probe == null) return failure;
    Instant end = clock.instant();
    Duration took = probe.sent == null ? Duration.ZERO : Duration.between(probe.sent, end);
    Duration queued = probe.sent == null ? Duration.between(probe.started, end) : probe.queued;
    String trace = failure != null && failure.traceId().isPresent() ? failure.traceId().get() : probe.trace;
    boolean throttledNow = failure != null && failure.kind() == ErrorKind.RATE_LIMITED;
    emit(call, probe.call, probe.attempt, probe.status, failure == null ? null : failure.providerCode().orElse(null), outcome,
        failure == null ? null : failure.kind(), took, queued, throttledNow,
        throttledNow ? failure.retryAfter().orElse(null) : null, trace);
    return failure;
  }

  /** Reports an attempt the server refused for its token; {@code failure} null when the call is repeated. */
  private DriveException rejected(ApiCall call, Probe probe, TokenRejected r, DriveException failure) {
    if (probe == null) return failure;
    // The renewal ran in between: the attempt itself ended when its reply was decoded.
    Instant answered = probe.answered != null ? probe.answered : clock.instant();
    emit(call, probe.call, probe.attempt, probe.status, r.providerCode(),
        failure == null ? RequestEvent.Outcome.RETRYING : RequestEvent.Outcome.FAILED,
        failure == null ? ErrorKind.UNAUTHENTICATED : failure.kind(),
        probe.sent == null ? Duration.ZERO : Duration.between(probe.sent, answered), probe.queued, false, null,
        r.traceId() != null ? r.traceId() : probe.trace);
    return failure;
  }

  /** Reports a call that ended before its next attempt was sent, and returns {@code failure}. */
  private DriveException unsent(ApiCall call, Trace trace, int attempt, DriveException failure) {
    if (trace == null) return failure;
    emit(call, trace, attempt, -1, failure.providerCode().orElse(null), RequestEvent.Outcome.FAILED, failure.kind(),
        Duration.ZERO, Duration.ZERO, false, null, failure.traceId().orElse(null));
    return failure;
  }

  /**
   * Reports a call that {@code thrown}, not one of the engine's own failures, ended before its
   * final event: as the failure of the attempt under way when that one was not reported yet (with
   * the status of its reply, if one came), else of an attempt that was never sent. A
   * {@link DriveException} keeps its kind; anything else is {@link ErrorKind#PROTOCOL}, as for a
   * reply the driver could not make sense of.
   */
  private void unexpected(ApiCall call, Trace trace, Throwable thrown) {
    ErrorKind kind = thrown instanceof DriveException d ? d.kind() : ErrorKind.PROTOCOL;
    Probe probe = trace.current;
    if (probe != null && probe.attempt > trace.reported) {
      Instant end = clock.instant();
      emit(call, trace, probe.attempt, probe.status, null, RequestEvent.Outcome.FAILED, kind,
          probe.sent == null ? Duration.ZERO : Duration.between(probe.sent, probe.answered != null ? probe.answered : end),
          probe.sent == null ? Duration.between(probe.started, end) : probe.queued, false, null, probe.trace);
    } else {
      emit(call, trace, trace.reported + 1, -1, null, RequestEvent.Outcome.FAILED, kind, Duration.ZERO, Duration.ZERO,
          false, null, null);
    }
  }

  private void emit(ApiCall call, Trace t, int attempt, int status, String providerCode, RequestEvent.Outcome outcome,
      ErrorKind error, Duration took, Duration queued, boolean throttled, Duration retryAfter, String trace) {
    t.reported = Math.max(t.reported, attempt);
    if (outcome != RequestEvent.Outcome.RETRYING) t.ended = true;
    listener.requestEnded(new RequestEvent(driverId, call.operation(), call.method(), endpointOf(call), attempt,
        status < 0 ? OptionalInt.empty() : OptionalInt.of(status), Optional.ofNullable(providerCode), outcome,
        Optional.ofNullable(error), took, queued, throttled, Optional.ofNullable(retryAfter), Optional.ofNullable(trace)));
  }

  /**
   * The endpoint as events show it: its path under the base URL; for an absolute URL that names
   * no endpoint (presigned or signed: its path and query hold ids and signatures), only its scheme
   * and host.
   */
  private String endpointOf(ApiCall call) {
    String e = call.endpoint();
    if (e != null) {
      int q = e.indexOf('?');
      if (q >= 0) e = e.substring(0, q);
      if (e.startsWith("/")) return e;
      return (call.url() != null ? "/" : basePath) + e;
    }
    HttpUrl u = call.url() == null ? null : HttpUrl.parse(call.url());
    if (u == null) return "?";
    return u.scheme() + "://" + u.host() + (u.port() == HttpUrl.defaultPort(u.scheme()) ? "" : ":" + u.port());
  }

  /** Reports the renewals a token source runs for this client; {@code rejected}: after a refusal. */
  private RenewalWatch.Watcher renewals(boolean rejected) {
    return (first, took, failure) -> listener.renewalEnded(new TokenRenewalEvent(driverId,
        rejected ? TokenRenewalEvent.Trigger.REJECTED : first ? TokenRenewalEvent.Trigger.SIGN_IN
            : TokenRenewalEvent.Trigger.EXPIRING, took, Optional.ofNullable(failure == null ? null : failure.kind())));
  }

  /**
   * Opens links' content (downloads) through this client's connections, logged like its calls.
   * A part is asked for with a {@code Range} header (a server that ignores it and answers 200 is
   * skipped forward); HTTP 403 fails as {@code EXPIRED} (ask for a new link), 404 as
   * {@code NOT_FOUND}. The call deadline bounds the wait for the response head (connecting,
   * sending, the host's answer): a host that has not answered by then fails the download as a
   * retryable {@link ErrorKind#NETWORK} naming the host and the deadline. The body is not
   * deadlined: a download may take as long as it takes (each read within the read timeout),
   * until {@link #close()} ends it. Each download is reported to the context's
   * {@link RequestListener} (endpoint {@value RequestEvent#DOWNLOAD}).
   */
  public Link.Opener linkOpener() {
    return HttpLinks.opener(client, driverId, listener == null ? RequestListener.NONE : listener, clock, downloads,
        deadline);
  }

  /** Runs {@code call} and returns the reply undecoded (still paced, retried on 429 and deadlined). */
  public ApiResponse exchange(ApiCall call) {
    return call(call, EnvelopeDecoder.raw());
  }

  private <T> T attempt(ApiCall call, EnvelopeDecoder<T> decoder, Token token, Instant deadlineAt, Duration limit,
      Probe probe) {
    // The permit is closed once the answer is in: the limiter counts the request's window from
    // there, since the server counted it somewhere between its start and its answer.
    ApiResponse response;
    // A call that survives close() waits its turn whatever happens; the others stop waiting
    // when the driver is closed (a Retry-After may have pushed the turn a minute out).
    try (RateLimiter.Permit permit = limiter == null || call.endpoint() == null ? RateLimiter.Permit.NONE
        : call.survivesClose() ? limiter.begin(call.endpoint()) : limiter.begin(call.endpoint(), untilClosed)) {
      Instant now = clock.instant();
      if (probe != null) {
        probe.sent = now;
        probe.queued = Duration.between(probe.started, now);
      }
      long left = Duration.between(now, deadlineAt).toNanos();
      if (left <= 0) throw timeout(call, limit, new PacedPastDeadline(), false);
      Request request = request(call, token);
      response = execute(call, request, left, limit);
    }
    String trace = response.header(traceHeader);
    if (probe != null) {
      probe.status = response.status();
      probe.trace = trace;
    }
    if (response.status() == 429) {
      throw DriveException.builder(ErrorKind.RATE_LIMITED, "the server answered HTTP 429 (too many requests); retry later")
          .retryable(true).providerCode(429).traceId(trace).retryAfter(retryAfter(response)).build();
    }
    try {
      return decoder.decode(response, call);
    } catch (TokenRejected r) {
      if (probe != null) probe.answered = clock.instant();
      throw r;
    } catch (DriveException e) {
      boolean addTrace = e.traceId().isEmpty() && trace != null;
      Duration after = e.kind() == ErrorKind.RATE_LIMITED && e.retryAfter().isEmpty() ? retryAfter(response) : null;
      // The server answered. A refusal (a business code, a 4xx) changed nothing; an answer that
      // does not tell (a gateway's 5xx page, a garbled or cut reply, "still working on it") may
      // come after the write was carried out.
      boolean acted = writes(call) && (response.status() < 400 || response.status() >= 500) && Failures.outcomeUnknown(e);
      if (!addTrace && after == null && acted == e.mayHaveTakenEffect()) throw e;
      DriveException.Builder b = e.toBuilder().cause(e.getCause());
      // Words the failure already has on what it may have done stay; else the engine's are given.
      if (acted && !e.mayHaveTakenEffect()) b.mayHaveTakenEffect(Failures.MAY_HAVE_ACTED);
      else b.mayHaveTakenEffect(acted);
      if (addTrace) b.traceId(trace);
      if (after != null) b.retryAfter(after);
      throw b.build();
    }
  }

  private Request request(ApiCall call, Token token) {
    String raw = call.url() != null ? call.url() : base() + call.endpoint();
    HttpUrl parsed = HttpUrl.parse(raw);
    if (parsed == null) {
      throw DriveException.builder(ErrorKind.PROTOCOL, "not an http(s) URL: " + Redactor.url(raw)).build();
    }
    HttpUrl.Builder u = parsed.newBuilder();
    call.query().forEach(u::addQueryParameter);
    String url = u.build().toString();
    if (call.url() == null && urlSigner != null) url = urlSigner.apply(url);
    Request.Builder rb = new Request.Builder().url(url);
    headers.forEach(rb::header);
    call.headers().forEach(rb::header);
    if (token != null) rb.header("Authorization", "Bearer " + token.accessToken().reveal());
    RequestBody body = call.body() != null ? call.body().toRequestBody()
        : requiresBody(call.method()) ? RequestBody.create(new byte[0], null) : null;
    rb.method(call.method(), body);
    rb.tag(SentMark.class, new SentMark());
    return rb.build();
  }

  private String base() {
    if (baseUrl == null) throw new IllegalStateException("this client has no base URL; give the call an absolute url");
    return baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private ApiResponse execute(ApiCall call, Request request, long timeoutNanos, Duration limit) {
    OkHttpClient via = call.idempotent() ? (call.followRedirects() ? client : noRedirects)
        : call.once() && call.followRedirects() ? freshConnection
        : call.followRedirects() ? sendOnce : sendOnceNoRedirects;
    Call http = via.newCall(request);
    http.timeout().timeout(timeoutNanos, TimeUnit.NANOSECONDS);
    boolean tracked = !call.survivesClose();
    if (tracked) {
      // Registered before the check: close() sets the flag before cancelling what is registered,
      // so a call is either cancelled by it or sees the flag here.
      running.add(http);
      if (closed.get()) {
        running.remove(http);
        throw closedBefore(false);
      }
    }
    try {
      return run(call, http, timeoutNanos, limit);
    } finally {
      if (tracked) running.remove(http);
    }
  }

  private ApiResponse run(ApiCall call, Call http, long timeoutNanos, Duration limit) {
    CompletableFuture<ApiResponse> future = new CompletableFuture<>();
    long started = System.nanoTime();
    http.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        future.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          ResponseBody body = response.body();
          long declared = body.contentLength();
          // Declared or not (a chunked reply has no length), no more than the cap is read.
          okio.BufferedSource source = body.source();
          if (declared > MAX_API_BODY || source.request(MAX_API_BODY + 1L)) {
            future.completeExceptionally(DriveException.builder(ErrorKind.PROTOCOL, call.describe() + " answered with "
                + (declared > 0 ? declared + " bytes" : "more than " + MAX_API_BODY + " bytes")
                + ", too large for an API reply; this is not the API server the driver expects")
                .traceId(traceHeader == null ? null : response.header(traceHeader)).mayHaveTakenEffect(writes(call)).build());
            return;
          }
          Map<String, java.util.List<String>> h = new LinkedHashMap<>();
          for (String name : response.headers().names()) h.put(name, response.headers(name));
          future.complete(new ApiResponse(response.code(), h, source.readByteArray()));
        } catch (IOException | RuntimeException e) {
          future.completeExceptionally(e);
        }
      }
    });
    try {
      return future.get();
    } catch (InterruptedException e) {
      http.cancel();
      Thread.currentThread().interrupt();
      // A write that is not idempotent may have reached the server before the interrupt: say so,
      // as for a close, so the caller looks before doing it again. One whose request was not
      // written whole (stopped while connecting, or mid-body) cannot have: a server acts on a
      // whole request only.
      boolean acted = writes(call) && sent(http);
      DriveException.Builder b = DriveException.builder(ErrorKind.CANCELLED, "cancelled by interrupt"
          + (!acted && writes(call) ? " before its request was sent whole" : ""));
      throw (acted ? b.mayHaveTakenEffect("it may have reached the server and taken effect") : b).build();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DriveException refused) throw refused;
      if (closed.get() && http.isCanceled() && !call.survivesClose()) {
        boolean acted = writes(call) && sent(http);
        DriveException.Builder b = DriveException.builder(ErrorKind.CANCELLED,
            "cancelled: the driver was closed while this call ran").cause(cause);
        throw (acted ? b.mayHaveTakenEffect("it may have reached the server and taken effect") : b).build();
      }
      boolean timedOut = cause instanceof InterruptedIOException && !(cause instanceof java.net.SocketTimeoutException)
          && System.nanoTime() - started >= timeoutNanos - TimeUnit.MILLISECONDS.toNanos(50);
      // A write whose request was sent whole may have been carried out before the answer was lost.
      boolean acted = writes(call) && sent(http);
      if (timedOut) throw timeout(call, limit, cause, acted);
      if (cause instanceof SourceReadFailure source) {
        // Our side could not read what it was sending: not the network's fault, and repeating the
        // call would read the same source again. The request was not sent whole.
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, call.describe() + " failed: " + source.getMessage()
                + "; the request was not sent whole and changed nothing; check the file or stream being uploaded"
                + " (it must not change or end while it is sent) and upload it again")
            .retryable(false).cause(cause).build();
      }
      if (cause instanceof java.net.SocketTimeoutException && stalledMidBody(http)) {
        // The server took part of the body and then no more (its buffers full, or it stopped
        // reading): the write timeout ended it. Not sent whole, so nothing was carried out.
        throw DriveException.builder(ErrorKind.NETWORK, call.describe() + " failed: the server stopped taking the"
                + " request's body part-way (nothing more went out within the HTTP client's write timeout), so the"
                + " request was not sent whole and changed nothing; retry later")
            .retryable(true).cause(cause).build();
      }
      DriveException.Builder b = DriveException.builder(ErrorKind.NETWORK,
              call.describe() + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                  + "; check the network and retry")
          .retryable(true).cause(cause);
      throw (acted ? b.mayHaveTakenEffect(Failures.MAY_HAVE_ACTED) : b).build();
    }
  }

  /** Set once a request (its head, and its body when it has one) was handed to the connection whole. */
  private static final class SentMark {
    volatile boolean whole;
    /** Set when the writing of the request's body began. */
    volatile boolean writing;
  }

  /** Marks each request written whole ({@link SentMark}); the last interceptor before the wire, so it sees the body sent. */
  private static final okhttp3.Interceptor MARK_SENT = chain -> {
    Request r = chain.request();
    // The mark of the call's own request: an interceptor of the program's client may have built the
    // request anew without its tags, and a request sent whole must not then pass for one cut short.
    SentMark mark = chain.call().request().tag(SentMark.class);
    RequestBody body = r.body();
    if (mark == null) return chain.proceed(r);
    if (body == null) {
      mark.whole = true; // a head alone goes out in one write
      return chain.proceed(r);
    }
    return chain.proceed(r.newBuilder().method(r.method(), new RequestBody() {
      @Override
      public okhttp3.MediaType contentType() { return body.contentType(); }

      @Override
      public long contentLength() throws IOException { return body.contentLength(); }

      @Override
      public boolean isOneShot() { return body.isOneShot(); }

      @Override
      public boolean isDuplex() { return body.isDuplex(); }

      @Override
      public void writeTo(okio.BufferedSink sink) throws IOException {
        mark.writing = true;
        body.writeTo(sink);
        mark.whole = true;
      }
    }).build());
  };

  /** Whether the writing of the body of {@code http}'s request began but did not end (known only for our own mark). */
  private static boolean stalledMidBody(Call http) {
    SentMark mark = http.request().tag(SentMark.class);
    return mark != null && mark.writing && !mark.whole;
  }

  /** Whether the request of {@code http} may have reached the server whole (unknown counts as yes). */
  private static boolean sent(Call http) {
    SentMark mark = http.request().tag(SentMark.class);
    return mark == null || mark.whole;
  }

  /**
   * Whether a call cancelled in flight may have changed something at the server: any call that is
   * not idempotent, and an idempotent one that is not a read (a rename is harmless to repeat at the
   * server, but the caller who thinks it did not happen renames a path that is gone). A call marked
   * {@linkplain ApiCall#readOnly() read-only} (a POST that only reads) changed nothing.
   */
  private static boolean writes(ApiCall call) {
    if (call.readOnly()) return false;
    return !call.idempotent() || !(call.method().equals("GET") || call.method().equals("HEAD"));
  }

  /**
   * {@code e}, the failure of an attempt that changed nothing at the server (refused, throttled,
   * stopped before it was sent whole, or never sent), told with whether an attempt before it may
   * have: said in words and {@linkplain DriveException#mayHaveTakenEffect() flagged} when one may
   * have ({@code actedBefore}), not flagged otherwise (not even when {@code e} is the failure of
   * another call, such as a token renewal, that may have taken effect itself).
   */
  private static DriveException afterEarlier(DriveException e, boolean actedBefore) {
    if (actedBefore) {
      return e.toBuilder().mayHaveTakenEffect("an earlier attempt may have reached the server and taken effect")
          .cause(e.getCause()).build();
    }
    return e.mayHaveTakenEffect() ? e.toBuilder().mayHaveTakenEffect(false).cause(e.getCause()).build() : e;
  }

  /** {@code repeat}: an earlier attempt of the call was sent. */
  private static DriveException closedBefore(boolean repeat) {
    return DriveException.builder(ErrorKind.CANCELLED, repeat
        ? "cancelled: the driver was closed before the call was repeated (an earlier attempt was sent)"
        : "cancelled: the driver was closed, so this call was not sent").build();
  }

  /** {@code acted}: the request was sent whole, so a write may have been carried out. */
  private DriveException timeout(ApiCall call, Duration limit, Throwable cause, boolean acted) {
    DeadlineExceeded marker = new DeadlineExceeded(limit);
    if (cause != null) marker.initCause(cause);
    DriveException.Builder b = DriveException.builder(ErrorKind.NETWORK, call.describe()
            + " did not complete within its deadline of " + limit.toMillis()
            + " ms (the server is slow or stalled); retry later, or raise the call deadline")
        .retryable(true).cause(marker);
    return (acted ? b.mayHaveTakenEffect(Failures.MAY_HAVE_ACTED) : b).build();
  }

  /** The deadline ran out while the call waited for its turn (a throttle's pause), before sending. */
  private static final class PacedPastDeadline extends Exception {
    private static final long serialVersionUID = 1L;

    PacedPastDeadline() {
      super("no time left after waiting for the endpoint's turn", null, false, false);
    }
  }

  /** Marks a failure that used up the call's deadline: never retried within the same call. */
  private static final class DeadlineExceeded extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    DeadlineExceeded(Duration limit) {
      super("deadline of " + limit + " exceeded");
    }
  }

  /** Thrown by {@link #untilClosed} through the rate limiter when the client was closed meanwhile. */
  private static final class ClosedWhileWaiting extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClosedWhileWaiting() {
      super("the driver was closed while the call waited for its turn", null, false, false);
    }
  }

  /** Waits before repeating {@code call}; {@code mayHaveActed}: an attempt that failed may have taken effect. */
  private void pause(Duration wait, ApiCall call, boolean mayHaveActed) {
    boolean whole;
    try {
      whole = sleepUnlessClosed(wait);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      DriveException.Builder b = DriveException.builder(ErrorKind.CANCELLED, "cancelled by interrupt while waiting to retry");
      if (mayHaveActed) b.mayHaveTakenEffect("an attempt that failed may have reached the server and taken effect");
      throw withContext(b.build(), call);
    }
    if (!whole) throw withContext(afterEarlier(closedBefore(true), mayHaveActed), call);
  }

  /** The longest stretch {@link #sleepUnlessClosed} sleeps before it looks whether the client was closed. */
  static final Duration CLOSE_CHECK = Duration.ofMillis(250);

  /**
   * Sleeps {@code wait} and stops early when this client is {@linkplain #close() closed}: for a
   * driver's own waits (polling), so that closing it does not leave an operation asleep. On the
   * real clock ({@link Sleeper#SYSTEM}) the wait ends the moment the client is closed and otherwise
   * lasts exactly {@code wait}; on another sleeper (a test's) it sleeps in stretches of at most
   * 250 ms and looks whether the client was closed between them.
   *
   * @return true when the whole wait passed with the client open, false when it was closed
   * @throws InterruptedException as the sleeper does
   */
  public boolean sleepUnlessClosed(Duration wait) throws InterruptedException {
    if (sleeper == Sleeper.SYSTEM) {
      // One timed wait, not a chain of sleeps whose lateness would add up: the rate limiter's
      // reserved starts rely on waits that end on time.
      if (wait.isNegative() || wait.isZero()) return !closed.get();
      return !closing.await(wait.toNanos(), TimeUnit.NANOSECONDS) && !closed.get();
    }
    Duration left = wait;
    while (left.compareTo(Duration.ZERO) > 0) {
      if (closed.get()) return false;
      Duration step = left.compareTo(CLOSE_CHECK) > 0 ? CLOSE_CHECK : left;
      sleeper.sleep(step);
      left = left.minus(step);
    }
    return !closed.get();
  }

  /**
   * {@code e} labelled with this driver and the call's operation and target where it has none;
   * the provider's fields, kind, retryability and subclass are kept.
   */
  public DriveException withContext(DriveException e, ApiCall call) {
    if (e.driverId().isPresent() && e.operation().isPresent()) return e;
    DriveException.Builder b = e.toBuilder().cause(e.getCause() != null ? e.getCause() : e);
    if (e.driverId().isEmpty()) b.driver(driverId);
    if (e.operation().isEmpty()) b.operation(call.operation());
    if (e.target().isEmpty() || call.target() != null) b.target(call.target() != null ? call.target() : e.target().orElse(null));
    return b.build();
  }

  /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  Duration retryAfter(ApiResponse response) {
    String h = response.header("Retry-After");
    if (h == null || h.isBlank()) return null;
    try {
      long s = Long.parseLong(h.trim());
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      try {
        Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(h.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "ApiClient{" + driverId + (baseUrl != null ? ", " + Redactor.url(baseUrl) : "") + "}";
  }

  /** Builder for {@link ApiClient}. */
  public static final class Builder {
    private final String driverId;
    private final DriverContext context;
    private String baseUrl;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private RateLimiter limiter;
    private RetryPolicy retry;
    private int rateLimitedAttempts = 5;
    private TokenSource tokens;
    private Rejections rejections = (r, renewed, failure) -> failure != null ? failure
        : DriveException.builder(ErrorKind.UNAUTHENTICATED, renewed
            ? "the server rejected the token again right after it was renewed; check the credentials"
            : "the server refused the request as unauthenticated; check the credentials")
            .providerCode(r.providerCode()).providerMessage(r.providerMessage()).traceId(r.traceId()).build();
    private UnaryOperator<String> urlSigner;
    private Duration deadline;
    private Duration retryAfterCap;
    private String traceHeader = "x-traceID";

    private Builder(String driverId, DriverContext context) {
      this.driverId = Objects.requireNonNull(driverId, "driverId");
      this.context = Objects.requireNonNull(context, "context");
    }

    /** The base URL endpoints are resolved against. */
    public Builder baseUrl(String url) { this.baseUrl = url; return this; }
    /** A header sent with every call. */
    public Builder header(String name, String value) { headers.put(name, value); return this; }
    /** The account's limiter (built by the driver, or shared per account); null: no pacing. */
    public Builder limiter(RateLimiter limiter) { this.limiter = limiter; return this; }
    /** Back-off and attempts for failures (default 4 attempts, 0.5 s to 8 s). */
    public Builder retry(RetryPolicy retry) { this.retry = retry; return this; }
    /** Attempts in all for a call that keeps being throttled (default 5). */
    public Builder rateLimitedAttempts(int n) {
      if (n < 1) throw new IllegalArgumentException("rateLimitedAttempts must be at least 1");
      this.rateLimitedAttempts = n;
      return this;
    }
    /** Where tokens come from; null: every call is anonymous. */
    public Builder tokens(TokenSource tokens) { this.tokens = tokens; return this; }
    /** The error for a call refused for lack of a valid token. */
    public Builder rejections(Rejections r) { this.rejections = Objects.requireNonNull(r, "rejections"); return this; }
    /** Rewrites the URL of each attempt on the base URL (request signatures that include the time). */
    public Builder urlSigner(UnaryOperator<String> signer) { this.urlSigner = signer; return this; }
    /** Overall deadline per call (default: the context's, two minutes). */
    public Builder deadline(Duration d) { this.deadline = d; return this; }
    /** Longest {@code Retry-After} honoured (default: the context's, 60 seconds). */
    public Builder retryAfterCap(Duration d) { this.retryAfterCap = d; return this; }
    /** The reply header holding the provider's trace id (default {@code x-traceID}). */
    public Builder traceHeader(String name) { this.traceHeader = Objects.requireNonNull(name); return this; }
    public ApiClient build() { return new ApiClient(this); }
  }
}
