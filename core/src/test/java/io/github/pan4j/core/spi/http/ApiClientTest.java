package io.github.pan4j.core.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.TestClock;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiClientTest {
  private MockWebServer server;
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  /** "ok:<body>" for a 200, a typed error for "fail:<code>", a rejection for "401". */
  private static final EnvelopeDecoder<String> TEXT = (r, call) -> {
    String t = r.text();
    if (t.equals("401")) throw new TokenRejected("401", "expired", r.header("x-traceID"));
    if (t.startsWith("fail:")) {
      boolean retry = t.equals("fail:1");
      throw DriveException.builder(retry ? ErrorKind.PROVIDER_ERROR : ErrorKind.NOT_FOUND, "failed").providerCode(t.substring(5))
          .retryable(retry).build();
    }
    return t;
  };

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    http.dispatcher().cancelAll();
    http.connectionPool().evictAll();
    server.close();
  }

  private DriverContext.Builder context() {
    return DriverContext.builder().clock(clock).sleeper(clock).httpClient(http);
  }

  private ApiClient.Builder client(DriverContext c) {
    return ApiClient.builder("test", c).baseUrl(server.url("/api/").toString());
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).body(body).build();
  }

  @Test
  void retryAfterOfADay_waitsOnlyTheCap_thenSucceeds() throws Exception {
    RateLimiter limiter = RateLimiter.of(Map.of(), clock, clock);
    ApiClient api = client(context().build()).limiter(limiter).build();
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "100000").body("slow down").build());
    server.enqueue(ok("done"));
    Instant before = clock.instant();
    // Not idempotent: a 429 is repeatable anyway, because the server did nothing.
    assertEquals("done", api.call(ApiCall.post("create", "file/create").target("/a").build(), TEXT));
    Duration waited = Duration.between(before, clock.instant());
    assertEquals(Duration.ofSeconds(60), waited, "Retry-After is honoured up to the 60 s cap");
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void throttlingThatOutlastsTheDeadline_isRateLimited_notASlowServer() {
    RateLimiter limiter = RateLimiter.of(Map.of(), clock, clock);
    ApiClient api = client(context().callDeadline(Duration.ofSeconds(120)).build()).limiter(limiter).build();
    for (int i = 0; i < 5; i++) {
      server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "60").setHeader("x-traceID", "t" + i).build());
    }
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.RATE_LIMITED, e.kind(), e.getMessage());
    assertEquals(Duration.ofSeconds(60), e.retryAfter().orElseThrow());
    assertEquals("429", e.providerCode().orElseThrow());
    assertEquals(2, server.getRequestCount(), "the third try would start at the deadline");
  }

  @Test
  void retryAfterCap_isConfigurable() {
    ApiClient api = client(context().retryAfterCap(Duration.ofSeconds(5)).build()).build();
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "100000").build());
    server.enqueue(ok("done"));
    Instant before = clock.instant();
    assertEquals("done", api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(Duration.ofSeconds(5), Duration.between(before, clock.instant()));
  }

  @Test
  void endless429_givesUpAfterTheConfiguredAttempts_withTraceId() {
    ApiClient api = client(context().build()).rateLimitedAttempts(3).build();
    for (int i = 0; i < 5; i++) {
      server.enqueue(new MockResponse.Builder().code(429).setHeader("x-traceID", "t" + i).build());
    }
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").target("/d").build(), TEXT));
    assertEquals(ErrorKind.RATE_LIMITED, e.kind());
    assertEquals("test", e.driverId().orElseThrow());
    assertEquals("list", e.operation().orElseThrow());
    assertEquals("/d", e.target().orElseThrow());
    assertEquals("t2", e.traceId().orElseThrow());
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void trickledReply_failsAsNetworkWithinTheDeadline() {
    ApiClient api = client(context().callDeadline(Duration.ofMillis(1500)).build()).build();
    server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(60)).throttleBody(1, 1, TimeUnit.SECONDS).build());
    long start = System.nanoTime();
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(ErrorKind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    assertTrue(ms < 5_000, "failed after " + ms + " ms");
    assertEquals(1, server.getRequestCount(), "a call that used up its deadline is not repeated");
  }

  @Test
  void rejectedToken_isRenewedOnce_andTheCallRepeatedOnce() throws Exception {
    AtomicInteger minted = new AtomicInteger();
    TokenManager tokens = TokenManager.builder("k", new InMemoryTokenStore(),
        prev -> new Token(Secret.of("tok" + minted.incrementAndGet()), null, null, Map.of())).clock(clock).build();
    ApiClient api = client(context().build()).tokens(TokenSource.of(tokens)).build();
    server.enqueue(ok("401"));
    server.enqueue(ok("fine"));
    assertEquals("fine", api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals("Bearer tok1", server.takeRequest().getHeaders().get("Authorization"));
    assertEquals("Bearer tok2", server.takeRequest().getHeaders().get("Authorization"));

    server.enqueue(ok("401"));
    server.enqueue(ok("401"));
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
    assertEquals("401", e.providerCode().orElseThrow());
    assertEquals(3, minted.get(), "one renewal per call");
  }

  @Test
  void nonIdempotentCall_isNotRepeatedAfterA5xx_butIdempotentOneIs() {
    ApiClient api = client(context().build()).build();
    server.enqueue(ok("fail:1"));
    assertThrows(DriveException.class, () -> api.call(ApiCall.post("mkdir", "file/mkdir").build(), TEXT));
    assertEquals(1, server.getRequestCount());
    server.enqueue(ok("fail:1"));
    server.enqueue(ok("second"));
    assertEquals("second", api.call(ApiCall.get("list", "file/list").build(), TEXT));
    server.enqueue(ok("fail:2"));
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals("2", e.providerCode().orElseThrow());
  }

  @Test
  void droppedConnection_isRetriedForIdempotentCalls() {
    ApiClient api = client(context().build()).build();
    server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket(true, true, true)).build());
    server.enqueue(ok("back"));
    assertEquals("back", api.call(ApiCall.get("list", "file/list").build(), TEXT));
  }

  @Test
  void callThatMustNotRunTwice_isNotResentByOkHttp_whenItsConnectionDrops() throws Exception {
    // A renewal with a single-use refresh token: GET, no body. The server drops the connection it
    // would have answered on. OkHttp on its own sends such a request again on a new connection when
    // the failed one had served a request before; the second copy would get the reply queued behind.
    assertNotResent(ApiCall.get("renew", "token").idempotent(false).once().build(), new MockResponse.Builder()
        .onRequestStart(new SocketEffect.CloseSocket()).body("acted on").build());
    // Calls that create something, with and without a body: the connection drops after the server
    // read the request.
    MockResponse readThenDropped = new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    assertNotResent(ApiCall.post("mkdir", "file/mkdir").build(), readThenDropped);
    assertNotResent(ApiCall.post("mkdir", "file/mkdir").body(RequestContent.json("{}")).build(), readThenDropped);
  }

  @Test
  void callThatMustNotRunTwice_isRepeated_whenItsConnectionCouldNotBeOpened() throws Exception {
    int port = server.getPort();
    server.close();   // nothing listens there now: the connection is refused, the request never leaves
    MockWebServer later = new MockWebServer();
    ApiClient api = ApiClient.builder("test", DriverContext.builder().clock(clock).httpClient(http).sleeper(d -> {
          try {
            if (!later.getStarted()) later.start(port);   // back after the first pause
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          later.enqueue(ok("made"));
        }).build())
        .baseUrl("http://127.0.0.1:" + port + "/api/").build();
    try (later) {
      assertEquals("made", api.call(ApiCall.post("mkdir", "file/mkdir").body(RequestContent.json("{}")).build(), TEXT));
      assertEquals(1, later.getRequestCount());
    }
  }

  @Test
  void callThatMustNotRunTwice_isRepeated_whenItsHostNameDidNotResolve() throws Exception {
    java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
    OkHttpClient flakyDns = http.newBuilder().dns(host -> {
      if (lookups.incrementAndGet() == 1) throw new java.net.UnknownHostException(host + ": temporary failure in name resolution");
      return okhttp3.Dns.SYSTEM.lookup(host);
    }).build();
    server.enqueue(ok("made"));
    ApiClient api = client(context().httpClient(flakyDns).build()).baseUrl("http://localhost:" + server.getPort() + "/api/").build();
    assertEquals("made", api.call(ApiCall.post("mkdir", "file/mkdir").body(RequestContent.json("{}")).build(), TEXT));
    assertEquals(2, lookups.get());
    assertEquals(1, server.getRequestCount(), "sent once, after the name resolved");
  }

  private void assertNotResent(ApiCall once, MockResponse dropped) throws Exception {
    server.close();
    server = new MockWebServer();
    server.start();
    ApiClient api = client(context().build()).build();
    // Queued up front: MockWebServer picks a connection's next reply before the request arrives.
    server.enqueue(ok("warm"));
    server.enqueue(dropped);
    server.enqueue(ok("bait"));
    assertEquals("warm", api.call(ApiCall.get("list", "file/list").build(), TEXT));
    DriveException e = assertThrows(DriveException.class, () -> api.call(once, TEXT), once.describe());
    assertEquals(ErrorKind.NETWORK, e.kind());
    assertEquals("bait", api.call(ApiCall.get("list", "file/list").build(), TEXT), once.describe() + " was sent again");
  }

  @Test
  void replyOverTheCap_isAProtocolError_notRetried_declaredOrChunked() {
    ApiClient api = client(context().build()).build();
    String big = "x".repeat(ApiClient.MAX_API_BODY + 1);
    server.enqueue(new MockResponse.Builder().code(200).body(big).build());
    server.enqueue(new MockResponse.Builder().code(200).chunkedBody(big, 1 << 20).build());
    server.enqueue(new MockResponse.Builder().code(200).chunkedBody("x".repeat(ApiClient.MAX_API_BODY), 1 << 20).build());
    for (String how : List.of("declared", "chunked")) {
      DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT), how);
      assertEquals(ErrorKind.PROTOCOL, e.kind(), how);
      assertTrue(e.getMessage().contains("too large for an API reply"), e.getMessage());
    }
    assertEquals(2, server.getRequestCount(), "not repeated");
    assertEquals(ApiClient.MAX_API_BODY, api.call(ApiCall.get("list", "file/list").build(), TEXT).length(), "up to the cap is fine");
  }

  @Test
  void interrupt_cancelsTheCall() throws Exception {
    ApiClient api = client(context().build()).build();
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).body("late").build());
    Stopped stopped = interruptedOnceReady(api, ApiCall.get("list", "file/list").build(), () -> server.takeRequest(5, TimeUnit.SECONDS));
    assertEquals(ErrorKind.CANCELLED, stopped.error().kind());
  }

  @Test
  void interrupt_ofAPostThatOnlyReads_claimsNoWrite_unlikeAnIdempotentPost() throws Exception {
    ApiClient api = client(context().build()).build();
    ApiCall read = ApiCall.post("stat", "file/info").body(RequestContent.json(new byte[0])).readOnly().build();
    ApiCall restore = ApiCall.post("restore", "file/recover").body(RequestContent.json(new byte[0])).idempotent(true).build();
    assertTrue(read.idempotent(), "a read is safe to repeat");
    for (ApiCall call : List.of(read, restore)) {
      server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).body("late").build());
      Stopped stopped = interruptedOnceReady(api, call, () -> server.takeRequest(5, TimeUnit.SECONDS));
      DriveException e = stopped.error();
      assertEquals(ErrorKind.CANCELLED, e.kind());
      assertTrue(stopped.interruptFlagKept(), "the interrupt flag is kept");
      assertEquals(call == restore, e.getMessage().contains("may have reached the server"), e.getMessage());
      assertEquals(call == restore, e.mayHaveTakenEffect(), e.getMessage());
    }
  }

  /**
   * The upload's own source failing mid-body (here a caller's network stream timing out, or a file
   * that ends early) is the source's failure: not a network fault the engine retries, and never
   * "the server stopped taking the body", which a write timeout of the same class used to be told as.
   */
  @Test
  void uploadSourceFailingMidBody_isToldAsTheSource_notRetried_notTheServer() {
    ApiClient api = client(context().build()).build();
    for (java.io.IOException failure : List.of(new java.net.SocketTimeoutException("Read timed out"),
        new java.io.IOException("Stale file handle"))) {
      AtomicInteger opened = new AtomicInteger();
      RequestContent body = RequestContent.stream("application/octet-stream", 8, () -> {
        opened.incrementAndGet();
        return new java.io.InputStream() {
          int read;

          @Override
          public int read() throws java.io.IOException {
            if (read == 4) throw failure;
            read++;
            return 'x';
          }
        };
      });
      server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
      ApiCall put = ApiCall.builder("put", "PUT", "file/slice").body(body).idempotent(true).build();
      DriveException e = assertThrows(DriveException.class, () -> api.call(put, TEXT));
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("reading the upload source failed: " + failure.getClass().getSimpleName()),
          e.getMessage());
      assertFalse(e.getMessage().contains("server stopped"), e.getMessage());
      assertFalse(e.retryable(), e.getMessage());
      assertFalse(e.mayHaveTakenEffect(), e.getMessage());
      assertEquals(1, opened.get(), "the source is read once: repeating would read the same failing source");
    }
  }

  /**
   * A body of 8 bytes whose stream, on the attempts in {@code stallOn}, gives 4, then counts
   * {@code halfSent} down and stalls until {@code release}, then fails: the request never reaches
   * the server whole.
   */
  private static RequestContent stallingBody(java.util.Set<Integer> stallOn, CountDownLatch halfSent, CountDownLatch release) {
    AtomicInteger opened = new AtomicInteger();
    return RequestContent.stream("application/octet-stream", 8, () -> {
      boolean stall = stallOn.contains(opened.incrementAndGet());
      return new java.io.InputStream() {
        int read;

        @Override
        public int read() throws java.io.IOException {
          if (read == 4 && stall) {
            halfSent.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new java.io.IOException("stalled");
          }
          if (read == 8) return -1;
          read++;
          return 'x';
        }
      };
    });
  }

  /** Runs {@code call} on a thread of its own, interrupts it once {@code halfSent} opens, and returns what it threw. */
  private static DriveException interruptedMidBody(ApiClient api, ApiCall call, CountDownLatch halfSent, CountDownLatch release)
      throws Exception {
    Stopped stopped;
    try {
      stopped = interruptedOnceReady(api, call, () -> assertTrue(halfSent.await(5, TimeUnit.SECONDS), "the body got half way"));
    } finally {
      release.countDown();
    }
    assertTrue(stopped.interruptFlagKept(), "the interrupt flag is kept");
    return stopped.error();
  }

  /** What a call interrupted by {@link #interruptedOnceReady} threw, and whether its thread kept the interrupt flag. */
  private record Stopped(DriveException error, boolean interruptFlagKept) {}

  /** A step a test waits for; may throw what the test would. */
  @FunctionalInterface
  private interface Ready {
    void await() throws Exception;
  }

  /**
   * Runs {@code call} on a thread of its own, interrupts that thread once {@code ready} has
   * returned, waits (at most 5 s) for the call to end, and returns what it threw.
   */
  private static Stopped interruptedOnceReady(ApiClient api, ApiCall call, Ready ready) throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        api.call(call, TEXT);
      } catch (Throwable e) {
        thrown.set(e);
      } finally {
        flag.set(Thread.currentThread().isInterrupted());
        done.countDown();
      }
    });
    t.start();
    ready.await();
    t.interrupt();
    assertTrue(done.await(5, TimeUnit.SECONDS));
    return new Stopped((DriveException) thrown.get(), flag.get());
  }

  /**
   * A write interrupted while its body is half sent: the server never had the whole request, so
   * the cancel does not say the write may have taken effect (it did say so before).
   */
  @Test
  void interrupt_whileTheBodyIsHalfSent_doesNotSayTheWriteMayHaveTakenEffect() throws Exception {
    ApiClient api = client(context().build()).build();
    CountDownLatch halfSent = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ApiCall create = ApiCall.post("share", "share/create").body(stallingBody(java.util.Set.of(1), halfSent, release)).build();
    DriveException e = interruptedMidBody(api, create, halfSent, release);
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertFalse(e.getMessage().contains("may have"), e.getMessage());
    assertFalse(e.mayHaveTakenEffect(), e.getMessage());
    assertTrue(e.getMessage().contains("before its request was sent whole"), e.getMessage());
  }

  /**
   * The program's own HTTP client may carry an interceptor that builds each request anew (signing
   * it, say) and keeps none of its tags: a write sent whole and interrupted while the server holds
   * its answer must still say it may have taken effect.
   */
  @Test
  void interrupt_afterAWriteWasSentWhole_saysItMayHaveTakenEffect_evenWhenAnInterceptorDroppedTheTags() throws Exception {
    okhttp3.OkHttpClient rebuilding = http.newBuilder().addInterceptor(chain -> {
      okhttp3.Request r = chain.request();
      return chain.proceed(new okhttp3.Request.Builder().url(r.url()).headers(r.headers()).method(r.method(), r.body())
          .build());
    }).build();
    ApiClient api = client(context().httpClient(rebuilding).build()).build();
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).body("late").build());
    ApiCall create = ApiCall.post("share", "share/create").body(RequestContent.json("{}".getBytes())).build();
    DriveException e = interruptedOnceReady(api, create,
        () -> assertNotNull(server.takeRequest(5, TimeUnit.SECONDS), "the server has the whole request")).error();
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertTrue(e.getMessage().contains("it may have reached the server and taken effect"), e.getMessage());
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
  }

  /** The same for a repeat of an idempotent write whose first attempt was sent and failed: that one may have acted. */
  @Test
  void interrupt_whileARepeatsBodyIsHalfSent_saysTheEarlierAttemptMayHaveTakenEffect() throws Exception {
    ApiClient api = client(context().build()).build();
    server.enqueue(ok("fail:1")); // the first attempt reached the server; its answer is a retryable failure
    CountDownLatch halfSent = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ApiCall put = ApiCall.builder("put", "PUT", "file/slice").body(stallingBody(java.util.Set.of(2), halfSent, release))
        .idempotent(true).build();
    DriveException e = interruptedMidBody(api, put, halfSent, release);
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertTrue(e.getMessage().contains("an earlier attempt may have reached the server"), e.getMessage());
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
  }

  /**
   * An idempotent write (a rename) that met a 502 and is interrupted while waiting to repeat: the
   * 502 may have come after the server renamed, so the cancel says so; a read's cancel does not.
   */
  @Test
  void interrupt_whileWaitingToRepeatAWrite_saysTheFailedAttemptMayHaveTakenEffect() {
    io.github.pan4j.core.spi.Sleeper interrupted = d -> {
      throw new InterruptedException("stop");
    };
    ApiClient api = client(context().sleeper(interrupted).build()).build();
    ApiCall rename = ApiCall.builder("rename", "PUT", "file/name").body(RequestContent.json(new byte[0]))
        .idempotent(true).build();
    ApiCall list = ApiCall.get("list", "file/list").build();
    for (ApiCall call : List.of(rename, list)) {
      server.enqueue(new MockResponse.Builder().code(502).body("fail:1").build()); // a retryable error the engine repeats
      DriveException e = assertThrows(DriveException.class, () -> api.call(call, TEXT));
      assertTrue(Thread.interrupted(), "the interrupt flag is kept");
      assertEquals(ErrorKind.CANCELLED, e.kind());
      assertEquals(call == rename, e.getMessage().contains("may have reached the server"), e.getMessage());
      assertEquals(call == rename, e.mayHaveTakenEffect(), e.getMessage());
    }
  }

  @Test
  void close_cancelsTheCallsInFlight_refusesLaterOnes_andLetsSurvivorsRun() throws Exception {
    ApiClient api = client(context().build()).build();
    // Two calls held at the server: one the close cancels, one marked to survive it.
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("late").build());
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("late").build());
    AtomicReference<Object> cancelled = new AtomicReference<>();
    AtomicReference<Object> survivor = new AtomicReference<>();
    Thread a = callInThread(api, ApiCall.get("list", "file/list").target("/Demo").build(), cancelled);
    server.takeRequest(5, TimeUnit.SECONDS);
    Thread b = callInThread(api, ApiCall.get("token", "token").survivesClose().build(), survivor);
    server.takeRequest(5, TimeUnit.SECONDS);
    api.close();
    a.join(1_000);
    assertFalse(a.isAlive(), "the cancelled call returned before the server answered");
    DriveException e = (DriveException) cancelled.get();
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertFalse(e.retryable());
    assertEquals("test", e.driverId().orElseThrow());
    assertEquals("/Demo", e.target().orElseThrow());
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    b.join(10_000);
    assertEquals("late", survivor.get(), "a call marked survivesClose runs to its answer");
    assertEquals(2, server.getRequestCount(), "the cancelled call was not repeated");

    // Later calls are refused without being sent; a survivor still goes through.
    DriveException refused = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.CANCELLED, refused.kind());
    assertEquals(2, server.getRequestCount(), "nothing sent after close");
    server.enqueue(ok("bye"));
    assertEquals("bye", api.call(ApiCall.post("close", "user/logout").survivesClose().build(), TEXT));
    assertTrue(api.isClosed());
    api.close(); // idempotent
  }

  @Test
  void close_duringARetryPause_endsTheWaitAtOnce() {
    AtomicReference<ApiClient> ref = new AtomicReference<>();
    List<Duration> slept = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.github.pan4j.core.spi.Sleeper closing = d -> {
      slept.add(d);
      clock.sleep(d);
      ref.get().close(); // the program closes the driver while the call waits to retry
    };
    ApiClient api = client(context().sleeper(closing).build())
        .retry(io.github.pan4j.core.http.RetryPolicy.of(4, Duration.ofSeconds(5), Duration.ofSeconds(8), closing)).build();
    ref.set(api);
    server.enqueue(ok("fail:1")); // retryable
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.CANCELLED, e.kind());
    assertTrue(e.getMessage().contains("repeated"), e.getMessage());
    assertEquals(1, server.getRequestCount(), "not repeated after the close");
    assertEquals(List.of(Duration.ofMillis(250)), slept, "one stretch of the 5 s pause, then the close was seen");
  }

  @Test
  void close_whileWaitingForTheRateLimit_endsTheWaitAtOnce_andSurvivorsStillWait() {
    AtomicReference<ApiClient> ref = new AtomicReference<>();
    List<Duration> slept = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.github.pan4j.core.spi.Sleeper closing = d -> {
      slept.add(d);
      clock.sleep(d);
      ref.get().close(); // the program closes the driver while the call waits for its turn
    };
    RateLimiter limiter = RateLimiter.of(Map.of("file/list", 1.0, "user/logout", 1.0), clock, closing);
    ApiClient api = client(context().sleeper(closing).build()).limiter(limiter).build();
    ref.set(api);
    limiter.penalize("file/list", Duration.ofSeconds(60)); // as after a 429 with Retry-After: 60
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.CANCELLED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("not sent"), e.getMessage());
    assertEquals(0, server.getRequestCount(), "the call never left");
    assertEquals(List.of(Duration.ofMillis(250)), slept, "one stretch of the minute, then the close was seen");

    // A call that survives close() (a sign-out) waits for its turn in full and is sent.
    limiter.penalize("user/logout", Duration.ofSeconds(3));
    slept.clear();
    server.enqueue(ok("bye"));
    assertEquals("bye", api.call(ApiCall.post("logout", "user/logout").survivesClose().build(), TEXT));
    assertEquals(Duration.ofSeconds(3), slept.stream().reduce(Duration.ZERO, Duration::plus));
  }

  @Test
  void onTheRealClock_closeEndsALimiterWaitAtOnce() throws Exception {
    // The context's real sleeper: the wait is one timed wait that the close ends.
    DriverContext real = context().clock(java.time.Clock.systemUTC()).sleeper(io.github.pan4j.core.spi.Sleeper.SYSTEM).build();
    RateLimiter limiter = RateLimiter.of(Map.of("file/list", 1.0), java.time.Clock.systemUTC(), io.github.pan4j.core.spi.Sleeper.SYSTEM);
    ApiClient api = client(real).limiter(limiter).build();
    limiter.penalize("file/list", Duration.ofSeconds(60));
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread t = callInThread(api, ApiCall.get("list", "file/list").build(), outcome);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) Thread.onSpinWait();
    assertEquals(Thread.State.TIMED_WAITING, t.getState(), "the call waits for its turn");
    long closedAt = System.nanoTime();
    api.close();
    t.join(10_000);
    long tookMs = (System.nanoTime() - closedAt) / 1_000_000;
    assertTrue(outcome.get() instanceof DriveException e && e.kind() == ErrorKind.CANCELLED, String.valueOf(outcome.get()));
    assertTrue(tookMs < 5_000, "ended " + tookMs + " ms after the close, not after the minute");
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void onTheRealClock_sleepUnlessClosed_sleepsTheWholeWait() throws Exception {
    ApiClient api = client(context().sleeper(io.github.pan4j.core.spi.Sleeper.SYSTEM).build()).build();
    long start = System.nanoTime();
    assertTrue(api.sleepUnlessClosed(Duration.ofMillis(60)));
    assertTrue(System.nanoTime() - start >= 60_000_000L, "slept at least the wait");
    api.close();
    assertFalse(api.sleepUnlessClosed(Duration.ofMillis(60)), "closed: no sleep, false");
  }

  private static Thread callInThread(ApiClient api, ApiCall call, AtomicReference<Object> outcome) {
    Thread t = new Thread(() -> {
      try {
        outcome.set(api.call(call, TEXT));
      } catch (Throwable e) {
        outcome.set(e);
      }
    });
    t.start();
    return t;
  }

  @Test
  void callDescription_becomesTheRequest() throws Exception {
    ApiClient api = client(context().build()).header("Platform", "open_platform")
        .urlSigner(u -> u + "&sig=1").build();
    server.enqueue(ok("x"));
    api.call(ApiCall.post("mkdir", "file/mkdir").query("a", "b c").header("X-One", "1")
        .body(RequestContent.json("{\"n\":1}")).authenticated(false).build(), TEXT);
    RecordedRequest r = server.takeRequest();
    assertEquals("POST", r.getMethod());
    assertEquals("/api/file/mkdir?a=b%20c&sig=1", r.getTarget());
    assertEquals("open_platform", r.getHeaders().get("Platform"));
    assertEquals("1", r.getHeaders().get("X-One"));
    assertNull(r.getHeaders().get("Authorization"));
    assertEquals("{\"n\":1}", r.getBody().utf8());
    assertFalse(r.getHeaders().get("Content-Type").isEmpty());
  }

  // ---------------------------------------------------------------- whether a failed write may have taken effect

  /** Like {@link #TEXT}, as a 123 decoder reads replies: a 5xx page is retryable, a body it cannot read is PROTOCOL. */
  private static final EnvelopeDecoder<String> PAGES = (r, call) -> {
    if (r.status() >= 500) {
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "error page").providerCode(r.status()).retryable(true).build();
    }
    String t = r.text();
    if (!t.startsWith("ok") && !t.startsWith("fail:")) throw DriveException.of(ErrorKind.PROTOCOL, "not a reply: " + t);
    return TEXT.decode(r, call);
  };

  private DriveException failure(ApiClient api, ApiCall call, MockResponse reply) {
    server.enqueue(reply);
    return assertThrows(DriveException.class, () -> api.call(call, PAGES));
  }

  /**
   * A write sent once: the flag is set where the server may have carried it out (a gateway's 5xx,
   * a garbled 200, the connection dropped after the request was read), and not for a refusal (a
   * business code, a 4xx whatever its body, a 429).
   */
  @Test
  void mayHaveTakenEffect_ofAWrite_whenTheAnswerDoesNotTell_notWhenTheServerRefused() {
    ApiClient api = client(context().build()).rateLimitedAttempts(1).build();
    ApiCall create = ApiCall.post("mkdir", "file/mkdir").body(RequestContent.json("{}")).target("/a").build();
    assertTrue(failure(api, create, new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build())
        .mayHaveTakenEffect(), "a gateway's page");
    assertTrue(failure(api, create, ok("{\"code\":0,\"da")).mayHaveTakenEffect(), "a garbled 200");
    DriveException dropped = failure(api, create,
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    assertEquals(ErrorKind.NETWORK, dropped.kind(), dropped.getMessage());
    assertTrue(dropped.mayHaveTakenEffect(), "the connection dropped after the request was read");
    assertEquals("/a", dropped.target().orElseThrow(), "the flag survives the engine adding the call's context");

    DriveException refused = failure(api, create, ok("fail:2"));
    assertEquals(ErrorKind.NOT_FOUND, refused.kind());
    assertFalse(refused.mayHaveTakenEffect(), "a business refusal");
    DriveException invalid = failure(api, create, new MockResponse.Builder().code(400).body("bad request").build());
    assertEquals(ErrorKind.PROTOCOL, invalid.kind());
    assertFalse(invalid.mayHaveTakenEffect(), "a 4xx is a refusal, even with a body that is not a reply");
    DriveException throttled = failure(api, create, new MockResponse.Builder().code(429).build());
    assertEquals(ErrorKind.RATE_LIMITED, throttled.kind());
    assertFalse(throttled.mayHaveTakenEffect(), "throttled: the server did nothing");
  }

  /** A read never sets the flag, whatever happened to it. */
  @Test
  void mayHaveTakenEffect_isNeverSetForARead() {
    ApiClient api = client(context().build()).build();
    ApiCall list = ApiCall.get("list", "file/list").build();
    ApiCall info = ApiCall.post("info", "file/info").body(RequestContent.json("{}")).readOnly().build();
    for (ApiCall read : List.of(list, info)) {
      for (int i = 0; i < 4; i++) server.enqueue(new MockResponse.Builder().code(502).body("<html/>").build());
      DriveException gateway = assertThrows(DriveException.class, () -> api.call(read, PAGES));
      assertFalse(gateway.mayHaveTakenEffect(), read.describe() + ": " + gateway.getMessage());
      server.enqueue(ok("{\"code\":0,\"da"));
      assertFalse(assertThrows(DriveException.class, () -> api.call(read, PAGES)).mayHaveTakenEffect(), read.describe());
    }
  }

  /** A write whose connection could not be opened never left: it cannot have taken effect. */
  @Test
  void mayHaveTakenEffect_isNotSetForAWriteThatNeverLeft() {
    ApiClient api = client(context().build()).build();
    server.close(); // nothing listens: the connection is refused
    DriveException e = assertThrows(DriveException.class,
        () -> api.call(ApiCall.post("mkdir", "file/mkdir").body(RequestContent.json("{}")).once().build(), PAGES));
    assertEquals(ErrorKind.NETWORK, e.kind(), e.getMessage());
    assertFalse(e.mayHaveTakenEffect(), e.getMessage());
  }

  /**
   * An idempotent write repeated after a gateway's page (which may have come after the server
   * acted) whose repeat is then refused: the refusal is what the caller gets, but the first attempt
   * may still have taken effect, and the error says so, in words and in the flag.
   */
  @Test
  void aRepeatRefused_afterAnAttemptThatMayHaveActed_keepsSayingItMayHaveTakenEffect() {
    ApiClient api = client(context().build()).build();
    ApiCall rename = ApiCall.builder("rename", "PUT", "file/name").body(RequestContent.json("{}")).idempotent(true).build();
    server.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build());
    server.enqueue(ok("fail:2"));
    DriveException e = assertThrows(DriveException.class, () -> api.call(rename, PAGES));
    assertEquals(2, server.getRequestCount());
    assertEquals(ErrorKind.NOT_FOUND, e.kind(), "the repeat's refusal is reported");
    assertEquals("2", e.providerCode().orElseThrow(), "with its provider code");
    assertTrue(e.getMessage().contains("an earlier attempt may have reached the server"), e.getMessage());
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
  }
}
