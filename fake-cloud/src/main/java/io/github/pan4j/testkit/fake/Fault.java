package io.github.pan4j.testkit.fake;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/**
 * A failure the fake cloud serves instead of (or around) the real answer, for fault tests.
 * Install with {@link FakeCloud#inject}.
 */
public final class Fault {
  private final String label;
  private final MockResponse response;
  private final Duration delay;
  private final Runnable hold;
  /** Sent in place of the real answer once the request was handled, or null. */
  private MockResponse afterHandling;
  /** Rewrites the real answer (its body held part-way), or null. */
  private java.util.function.UnaryOperator<MockResponse> midBody;

  private Fault(String label, MockResponse response, Duration delay) {
    this(label, response, delay, null);
  }

  private Fault(String label, MockResponse response, Duration delay, Runnable hold) {
    this.label = label;
    this.response = response;
    this.delay = delay;
    this.hold = hold;
  }

  /** A bare HTTP status with a plain-text body. */
  public static Fault status(int code, String body) {
    return new Fault("HTTP " + code, new MockResponse.Builder().code(code)
        .setHeader("Content-Type", "text/plain; charset=utf-8").body(body).build(), null);
  }

  /** An HTML error page, as a gateway in front of 123's API sends. */
  public static Fault html(int code) {
    return new Fault("HTML " + code, new MockResponse.Builder().code(code)
        .setHeader("Content-Type", "text/html").body(FakeCloud.gatewayPage(code)).build(), null);
  }

  /** A JSON body that is cut off mid-way. */
  public static Fault malformedJson() {
    return new Fault("malformed JSON", new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json").body("{\"code\":0,\"message\":\"ok\",\"data\":{\"fileL").build(), null);
  }

  /**
   * The connection is dropped before any response byte. (A request-start effect would fire before
   * the dispatcher chooses a response, so the socket is closed when the response would start.)
   */
  public static Fault disconnect() {
    return new Fault("disconnect", new MockResponse.Builder()
        .onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build(), null);
  }

  /** The real answer, but only after {@code delay} (real time). */
  public static Fault slow(Duration delay) {
    return new Fault("slow " + delay, null, delay);
  }

  /**
   * The real answer (the request is handled, so an uploaded part is stored), sent only once
   * {@code hold} returns. {@code hold} runs on the thread serving the request, outside the
   * cloud's lock, so a test can keep several requests in flight at once: to count how many the
   * client runs concurrently (a latch), or to cancel the client mid-transfer.
   */
  public static Fault hold(Runnable hold) {
    return new Fault("hold", null, null, java.util.Objects.requireNonNull(hold, "hold"));
  }

  /**
   * The request never gets to the service: the fake holds it for {@code wait} (real time) without
   * handling it, then drops the connection before any byte of an answer. A client whose timeout is
   * shorter gives up first; either way nothing was done, so a write did not happen. The opposite of
   * {@link #slow}, which carries the request out and answers late. Keep {@code wait} small.
   */
  public static Fault unanswered(Duration wait) {
    java.util.Objects.requireNonNull(wait, "wait");
    return new Fault("unanswered " + wait, disconnect().response, null, () -> pause(wait));
  }

  /**
   * As {@link #hold}, but {@code hold} runs before the request is handled, and then the request is
   * not handled at all: the connection is dropped with no answer. With
   * {@link RequestGate#interrupting} the client is cancelled while its request waits in front of
   * the service, and the write never happens.
   */
  public static Fault holdUnhandled(Runnable hold) {
    return new Fault("held, not handled", disconnect().response, null, java.util.Objects.requireNonNull(hold, "hold"));
  }

  /**
   * The real answer, with its body cut in two: the head and the first half of the body are sent
   * (and flushed), then {@code hold} runs on the thread serving the request, then the rest
   * follows. An answer of fewer than two body bytes is sent as it is and {@code hold} is not run,
   * so the fault can be armed on every download request of an operation (redirects too) and
   * strikes only where a body is in transit; it holds once. With
   * {@link RequestGate#interrupting} the client is interrupted while it reads a download body.
   * The body is buffered: meant for small answers.
   */
  public static Fault holdMidBody(Runnable hold) {
    java.util.Objects.requireNonNull(hold, "hold");
    java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
    Fault f = new Fault("held mid-body", null, null, () -> { });
    f.midBody = real -> {
      mockwebserver3.MockResponseBody body = real.getBody();
      if (body == null || body.getContentLength() < 2) return real;
      okio.Buffer all = new okio.Buffer();
      try {
        body.writeTo(all);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      byte[] bytes = all.readByteArray();
      return real.newBuilder().body(new mockwebserver3.MockResponseBody() {
        @Override
        public long getContentLength() {
          return bytes.length;
        }

        @Override
        public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
          int half = bytes.length / 2;
          sink.write(bytes, 0, half);
          sink.flush();
          if (held.compareAndSet(false, true)) hold.run();
          sink.write(bytes, half, bytes.length - half);
          sink.flush();
        }
      }).build();
    };
    return f;
  }

  private static void pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is shutting down: drop the connection now
    }
  }

  /**
   * The request is handled (a delete really deletes), then its reply is lost: the client gets
   * the gateway's HTML 502 page instead. For testing what a client's retry does after a write
   * that went through.
   */
  public static Fault lostReply() {
    return afterHandling("lost reply", html(502).response);
  }

  /**
   * The request is handled (a rename really renames), then answered with a complete HTTP 200
   * whose JSON ends mid-way (the client sees a reply it cannot parse, not a broken connection;
   * {@link #droppedReply} is the broken connection). For testing that a client which cannot read
   * the answer of a write looks whether it took effect.
   */
  public static Fault cutReply() {
    return afterHandling("cut reply", malformedJson().response);
  }

  /**
   * The request is handled, then the connection is dropped before any byte of the answer: the
   * write happened and the client sees only a broken connection.
   */
  public static Fault droppedReply() {
    return afterHandling("dropped reply", disconnect().response);
  }

  /**
   * The reply is cut off as by {@link #cutReply} (a complete HTTP 200 whose JSON ends mid-way),
   * but the request is carried out only {@code lag} later on the fake's clock, as 123 does when its
   * reads lag behind a write it is still carrying out: a look right after the cut reply finds the
   * write not done, a look once the fake's clock has passed {@code lag} finds it done. The write
   * takes effect just before the first request the fake serves (on any server) at or after that
   * time, through the same handler, so it passes the door's checks (token, QPS) then; nothing is
   * done until such a request comes. For API calls with small bodies (JSON), not uploads.
   */
  public static Fault cutReplyCarriedOutLater(Duration lag) {
    java.util.Objects.requireNonNull(lag, "lag");
    if (lag.isNegative() || lag.isZero()) throw new IllegalArgumentException("lag must be positive but was " + lag);
    Fault f = new Fault("cut reply, carried out " + lag + " later", malformedJson().response, null);
    f.carriedOutAfter = lag;
    return f;
  }

  /**
   * The fake stops reading the request's body after {@code afterBytes} bytes until {@code hold}
   * returns (it runs on the thread that reads the connection), then reads the rest and serves the
   * request as usual. The client's writes block once the socket buffers between the two are full,
   * so a client whose write timeout is shorter than the hold gives up part-way through the body;
   * its connection is closed then, and the request never reaches the service: nothing is stored.
   * For bodies of 64 KiB or more sent with a {@code Content-Length} (the parts and slices of an
   * upload), which the fake's sockets read themselves; smaller or chunked bodies are not held
   * back. The match sees the request's head only (method, path, query, headers): its body has not
   * been read when the fault is chosen. Make the body larger than {@code afterBytes} plus the
   * socket buffers (a few MiB on loopback), or the client finishes writing before the fake stops.
   */
  public static Fault stopReadingBody(long afterBytes, Runnable hold) {
    if (afterBytes < 0) throw new IllegalArgumentException("afterBytes must not be negative but was " + afterBytes);
    Fault f = new Fault("body read stopped after " + afterBytes + " bytes", null, null,
        java.util.Objects.requireNonNull(hold, "hold"));
    f.stopReadingAfter = afterBytes;
    return f;
  }

  /** For {@link #stopReadingBody}: after how many body bytes the fake stops reading; -1 for other faults. */
  private long stopReadingAfter = -1;

  /** Whether this fault acts while the request's body is read ({@link #stopReadingBody}), before any handler. */
  boolean readsBody() {
    return stopReadingAfter >= 0;
  }

  long stopReadingAfter() {
    return stopReadingAfter;
  }

  /** The hook of {@link #hold}, {@link #stopReadingBody} and the other holding faults. */
  Runnable holdHook() {
    return hold;
  }

  /** How long after the request a {@link #cutReplyCarriedOutLater} fault carries it out, or null. */
  private Duration carriedOutAfter;

  /** For {@link #cutReplyCarriedOutLater}: when (after its request) the request is carried out; null for other faults. */
  Duration carriedOutAfter() {
    return carriedOutAfter;
  }

  /** A fault whose request is handled first (the real handler runs), then {@code answer} is sent instead. */
  private static Fault afterHandling(String label, MockResponse answer) {
    Fault f = new Fault(label, null, null, () -> { });
    f.afterHandling = answer;
    return f;
  }

  /** A fully custom response. */
  public static Fault response(String label, MockResponse response) {
    return new Fault(label, response, null);
  }

  /** Applies this fault: replaces {@code real} or delays it. */
  MockResponse apply(MockResponse real) {
    if (response != null) {
      if (hold != null) hold.run(); // unanswered, holdUnhandled: waits, then answers in place of the fake
      return response;
    }
    if (afterHandling != null) return afterHandling;
    if (midBody != null) return midBody.apply(real);
    if (hold != null) {
      hold.run();
      return real;
    }
    return real.newBuilder().headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS).build();
  }

  /** Whether the real handler must still run (delays) or not (replacements). */
  boolean needsRealResponse() {
    return response == null;
  }

  @Override
  public String toString() {
    return "Fault{" + label + "}";
  }
}
