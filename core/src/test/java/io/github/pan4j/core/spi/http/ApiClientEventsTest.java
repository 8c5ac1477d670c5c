package io.github.pan4j.core.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestEvent.Outcome;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TestClock;
import io.github.pan4j.core.TokenRenewalEvent;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the engine tells a {@link RequestListener}, over real HTTP on loopback. */
class ApiClientEventsTest {
  private static final String SECRET = "XYZZY-secret";

  private MockWebServer server;
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  /** Everything the listener heard, in order: RequestEvents and TokenRenewalEvents. */
  private final List<Object> heard = new CopyOnWriteArrayList<>();
  private final RequestListener recorder = new RequestListener() {
    @Override
    public void requestEnded(RequestEvent event) {
      heard.add(event);
    }

    @Override
    public void renewalEnded(TokenRenewalEvent event) {
      heard.add(event);
    }
  };

  private static final EnvelopeDecoder<String> TEXT = (r, call) -> {
    String t = r.text();
    if (t.equals("401")) throw new TokenRejected("401", "expired", r.header("x-traceID"));
    if (t.startsWith("fail:")) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "failed").providerCode(t.substring(5)).build();
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

  private ApiClient.Builder client(RequestListener listener) {
    DriverContext c = DriverContext.builder().clock(clock).sleeper(clock).httpClient(http).requestListener(listener).build();
    return ApiClient.builder("test", c).baseUrl(server.url("/api/").toString());
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).setHeader("x-traceID", "trace-" + body).body(body).build();
  }

  private List<RequestEvent> requests() {
    return heard.stream().filter(RequestEvent.class::isInstance).map(RequestEvent.class::cast).toList();
  }

  @Test
  void plainCall_endsInOneOkEvent_withEndpointPathAndTrace() {
    ApiClient api = client(recorder).build();
    server.enqueue(ok("fine"));
    assertEquals("fine", api.call(ApiCall.get("list", "file/list").query("parentFileId", "42").target("/a").build(), TEXT));

    assertEquals(1, heard.size(), heard.toString());
    RequestEvent e = requests().get(0);
    assertEquals("test", e.driverId());
    assertEquals("list", e.operation());
    assertEquals("GET", e.method());
    assertEquals("/api/file/list", e.endpoint(), "the base path and the endpoint, no query");
    assertEquals(1, e.attempt());
    assertEquals(OptionalInt.of(200), e.status());
    assertEquals(Outcome.OK, e.outcome());
    assertEquals(Optional.empty(), e.error());
    assertEquals(Optional.empty(), e.providerCode());
    assertEquals(Optional.of("trace-fine"), e.traceId());
    assertEquals(Duration.ZERO, e.rateLimitWait());
    assertFalse(e.throttled());
  }

  @Test
  void throttledThenOk_reportsBothAttempts_withRetryAfterAndTheLimitersWait() {
    ApiClient api = client(recorder).limiter(RateLimiter.of(Map.of(), clock, clock)).build();
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").setHeader("x-traceID", "t-429").build());
    server.enqueue(ok("done"));
    assertEquals("done", api.call(ApiCall.post("mkdir", "file/mkdir").build(), TEXT));

    List<RequestEvent> events = requests();
    assertEquals(2, events.size(), events.toString());
    RequestEvent first = events.get(0);
    assertEquals(1, first.attempt());
    assertEquals(OptionalInt.of(429), first.status());
    assertEquals(Outcome.RETRYING, first.outcome());
    assertEquals(Optional.of(ErrorKind.RATE_LIMITED), first.error());
    assertTrue(first.throttled());
    assertEquals(Optional.of(Duration.ofSeconds(7)), first.retryAfter());
    assertEquals(Optional.of("t-429"), first.traceId());
    RequestEvent second = events.get(1);
    assertEquals(2, second.attempt());
    assertEquals(Outcome.OK, second.outcome());
    assertFalse(second.throttled());
    assertEquals(Duration.ofSeconds(7), second.rateLimitWait(), "the limiter held the repeat for the Retry-After");
  }

  @Test
  void repeatOfAThrottledCall_whoseTurnCameAfterTheDeadline_isNotCountedAsThrottledAgain() {
    // One request per 10 s: the repeat's turn comes 10 s after the first answer, past the 5 s deadline.
    ApiClient api = client(recorder).limiter(RateLimiter.of(Map.of("file/list", 0.1), clock, clock))
        .deadline(Duration.ofSeconds(5)).build();
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1").setHeader("x-traceID", "t-429").build());
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.RATE_LIMITED, e.kind(), "the throttling is the failure to report");
    assertEquals(1, server.getRequestCount());

    List<RequestEvent> events = requests();
    assertEquals(2, events.size(), events.toString());
    assertTrue(events.get(0).throttled());
    assertEquals(Outcome.RETRYING, events.get(0).outcome());
    RequestEvent unsent = events.get(1);
    assertEquals(2, unsent.attempt());
    assertEquals(Outcome.FAILED, unsent.outcome());
    assertEquals(Optional.of(ErrorKind.RATE_LIMITED), unsent.error());
    assertEquals(OptionalInt.empty(), unsent.status(), "never sent");
    assertFalse(unsent.throttled(), "the server throttled one request, not two");
    assertEquals(Optional.empty(), unsent.retryAfter());
    assertEquals(Optional.empty(), unsent.providerCode(), "no reply, so no code of its own");
    assertEquals(Optional.empty(), unsent.traceId());
    assertEquals(Duration.ZERO, unsent.duration());
  }

  @Test
  void rejectedToken_reportsTheRenewal_thenTheRefusedAttempt_thenTheRepeat() {
    AtomicInteger minted = new AtomicInteger();
    TokenManager tokens = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      clock.advance(Duration.ofMillis(300)); // the renewal's round trip
      return new Token(Secret.of(SECRET + minted.incrementAndGet()), null, Secret.of(SECRET + "-refresh"), Map.of());
    }).clock(clock).build();
    ApiClient api = client(recorder).tokens(TokenSource.of(tokens)).build();
    server.enqueue(ok("fine")); // the first call signs in
    server.enqueue(ok("401"));
    server.enqueue(ok("again"));
    assertEquals("fine", api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals("again", api.call(ApiCall.get("list", "file/list").build(), TEXT));

    assertEquals(5, heard.size(), heard.toString());
    TokenRenewalEvent signIn = assertInstanceOf(TokenRenewalEvent.class, heard.get(0));
    assertEquals(TokenRenewalEvent.Trigger.SIGN_IN, signIn.trigger());
    assertTrue(signIn.succeeded());
    assertEquals(Outcome.OK, assertInstanceOf(RequestEvent.class, heard.get(1)).outcome());
    TokenRenewalEvent renewal = assertInstanceOf(TokenRenewalEvent.class, heard.get(2));
    assertEquals(TokenRenewalEvent.Trigger.REJECTED, renewal.trigger());
    assertEquals(Duration.ofMillis(300), renewal.duration());
    assertEquals(Optional.empty(), renewal.error());
    RequestEvent refused = assertInstanceOf(RequestEvent.class, heard.get(3));
    assertEquals(1, refused.attempt());
    assertEquals(Outcome.RETRYING, refused.outcome());
    assertEquals(Optional.of(ErrorKind.UNAUTHENTICATED), refused.error());
    assertEquals(Optional.of("401"), refused.providerCode());
    assertEquals(Optional.of("trace-401"), refused.traceId());
    assertEquals(Duration.ZERO, refused.duration(), "the renewal's time is not the refused request's");
    RequestEvent repeat = assertInstanceOf(RequestEvent.class, heard.get(4));
    assertEquals(2, repeat.attempt());
    assertEquals(Outcome.OK, repeat.outcome());
  }

  @Test
  void failedRenewal_isReportedFailed_andEndsTheCall() {
    TokenManager tokens = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      throw DriveException.builder(ErrorKind.UNAUTHENTICATED, "refresh token spent").build();
    }).initial(new Token(Secret.of(SECRET), null, null, Map.of())).clock(clock).build();
    ApiClient api = client(recorder).tokens(TokenSource.of(tokens)).build();
    server.enqueue(ok("401"));
    assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));

    assertEquals(2, heard.size(), heard.toString());
    TokenRenewalEvent renewal = assertInstanceOf(TokenRenewalEvent.class, heard.get(0));
    assertEquals(Optional.of(ErrorKind.UNAUTHENTICATED), renewal.error());
    RequestEvent refused = assertInstanceOf(RequestEvent.class, heard.get(1));
    assertEquals(Outcome.FAILED, refused.outcome());
    assertEquals(Optional.of(ErrorKind.UNAUTHENTICATED), refused.error());
  }

  @Test
  void networkFailureRetriedThenFailing_reportsNoStatus_andTheKind() {
    ApiClient api = client(recorder).retry(RetryPolicy.of(2, Duration.ofMillis(100), Duration.ofMillis(100), clock)).build();
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket(true, true, true)).build());
    }
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.NETWORK, e.kind());

    List<RequestEvent> events = requests();
    assertEquals(2, events.size(), events.toString());
    assertEquals(List.of(1, 2), events.stream().map(RequestEvent::attempt).toList());
    assertEquals(List.of(Outcome.RETRYING, Outcome.FAILED), events.stream().map(RequestEvent::outcome).toList());
    for (RequestEvent ev : events) {
      assertEquals(OptionalInt.empty(), ev.status());
      assertEquals(Optional.of(ErrorKind.NETWORK), ev.error());
    }
  }

  @Test
  void rateLimiterWait_isMeasuredOnTheInjectedClock() {
    ApiClient api = client(recorder).limiter(RateLimiter.of(Map.of("file/list", 1.0), clock, clock)).build();
    server.enqueue(ok("a"));
    server.enqueue(ok("b"));
    api.call(ApiCall.get("list", "file/list").build(), TEXT);
    Instant before = clock.instant();
    api.call(ApiCall.get("list", "file/list").build(), TEXT);
    Duration slept = Duration.between(before, clock.instant());

    List<RequestEvent> events = requests();
    assertEquals(Duration.ZERO, events.get(0).rateLimitWait());
    assertTrue(slept.compareTo(Duration.ZERO) > 0, "1 QPS makes the second call wait");
    assertEquals(slept, events.get(1).rateLimitWait());
    assertEquals(Duration.ZERO, events.get(1).duration(), "the wait is not counted as the request's time");
  }

  @Test
  void providerError_carriesItsCode_andFailsTheCall() {
    ApiClient api = client(recorder).build();
    server.enqueue(ok("fail:5066"));
    assertThrows(DriveException.class, () -> api.call(ApiCall.get("detail", "file/detail").build(), TEXT));
    RequestEvent e = requests().get(0);
    assertEquals(Outcome.FAILED, e.outcome());
    assertEquals(Optional.of(ErrorKind.NOT_FOUND), e.error());
    assertEquals(Optional.of("5066"), e.providerCode());
    assertEquals(OptionalInt.of(200), e.status());
  }

  @Test
  void callEndingBeforeItIsSent_reportsOneFailedEventWithoutStatus() {
    ApiClient api = client(recorder).build();
    api.close();
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.CANCELLED, e.kind());
    RequestEvent ev = requests().get(0);
    assertEquals(Outcome.FAILED, ev.outcome());
    assertEquals(Optional.of(ErrorKind.CANCELLED), ev.error());
    assertEquals(OptionalInt.empty(), ev.status());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void listenerThatThrows_neverBreaksTheCall() {
    AtomicInteger told = new AtomicInteger();
    ApiClient api = client(new RequestListener() {
      @Override
      public void requestEnded(RequestEvent event) {
        told.incrementAndGet();
        throw new IllegalStateException("broken metrics");
      }
    }).build();
    server.enqueue(ok("one"));
    server.enqueue(ok("fail:9"));
    assertEquals("one", api.call(ApiCall.get("list", "file/list").build(), TEXT));
    DriveException e = assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertEquals(ErrorKind.NOT_FOUND, e.kind(), "the call's own failure, not the listener's");
    assertEquals(2, told.get());
  }

  @Test
  void eventsNeverShowSecretsSignedUrlsOrTargets() {
    TokenManager tokens = TokenManager.builder("k", new InMemoryTokenStore(),
        prev -> new Token(Secret.of(SECRET + "-new"), null, Secret.of(SECRET + "-refresh"), Map.of()))
        .initial(new Token(Secret.of(SECRET), null, Secret.of(SECRET + "-refresh"), Map.of())).clock(clock).build();
    ApiClient api = client(recorder).tokens(TokenSource.of(tokens)).build();
    server.enqueue(ok("401"));
    server.enqueue(ok("fine"));
    server.enqueue(ok("fine"));
    server.enqueue(ok("fine"));
    api.call(ApiCall.post("token", "api/v1/access_token").query("clientSecret", SECRET).target("/private/" + SECRET)
        .build(), TEXT);
    // A presigned URL: its path and query are the signature.
    api.call(ApiCall.builder("upload", "PUT", null).url(server.url("/bucket/" + SECRET + "/part1?sig=" + SECRET).toString())
        .authenticated(false).build(), TEXT);
    // A call on an absolute URL that names its endpoint (the OAuth refresh).
    api.call(ApiCall.post("token", "api/v1/oauth2/access_token")
        .url(server.url("/api/v1/oauth2/access_token?client_secret=" + SECRET).toString()).authenticated(false).build(), TEXT);

    assertEquals(5, heard.size(), heard.toString());
    for (Object event : heard) assertFalse(event.toString().contains("XYZZY"), event.toString());
    List<String> endpoints = requests().stream().map(RequestEvent::endpoint).toList();
    String host = "http://" + server.getHostName() + ":" + server.getPort();
    assertEquals(List.of("/api/api/v1/access_token", "/api/api/v1/access_token", host, "/api/v1/oauth2/access_token"),
        endpoints);
  }
  @Test
  void decoderThatThrowsABug_endsTheCallWithOneFailedEvent_andTheExceptionUntouched() {
    ApiClient api = client(recorder).build();
    IllegalStateException bug = new IllegalStateException("mapper bug");
    server.enqueue(ok("fine"));
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> api.call(ApiCall.get("list", "file/list").build(), (r, call) -> {
          clock.advance(Duration.ofMillis(40)); // the reply was being mapped
          throw bug;
        }));
    assertSame(bug, thrown, "not wrapped, not swallowed");

    List<RequestEvent> events = requests();
    assertEquals(1, events.size(), heard.toString());
    RequestEvent e = events.get(0);
    assertEquals(1, e.attempt());
    assertEquals(Outcome.FAILED, e.outcome());
    assertEquals(Optional.of(ErrorKind.PROTOCOL), e.error(), "as for a reply the driver could not make sense of");
    assertEquals(OptionalInt.of(200), e.status(), "the reply that came");
    assertEquals(Optional.of("trace-fine"), e.traceId());
    assertEquals(Duration.ofMillis(40), e.duration());
  }

  @Test
  void bugOnTheRepeatOfAThrottledCall_endsItsSecondAttempt() {
    ApiClient api = client(recorder).limiter(RateLimiter.of(Map.of(), clock, clock)).build();
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build());
    server.enqueue(ok("boom"));
    assertThrows(NullPointerException.class, () -> api.call(ApiCall.get("list", "file/list").build(), (r, call) -> {
      throw new NullPointerException("no field");
    }));
    List<RequestEvent> events = requests();
    assertEquals(List.of(Outcome.RETRYING, Outcome.FAILED), events.stream().map(RequestEvent::outcome).toList(),
        heard.toString());
    assertEquals(List.of(1, 2), events.stream().map(RequestEvent::attempt).toList());
    assertEquals(Optional.of(ErrorKind.PROTOCOL), events.get(1).error());
  }

  @Test
  void tokenSourceThatThrowsOnRenewal_endsTheRefusedAttempt() {
    RuntimeException storeDown = new IllegalStateException("token store unreachable");
    ApiClient api = client(recorder).tokens(new TokenSource() {
      @Override
      public Token current() {
        return new Token(Secret.of(SECRET), null, null, Map.of());
      }

      @Override
      public Token renew(Token rejected) {
        throw storeDown;
      }
    }).build();
    server.enqueue(ok("401"));
    assertSame(storeDown, assertThrows(IllegalStateException.class,
        () -> api.call(ApiCall.get("list", "file/list").build(), TEXT)));
    List<RequestEvent> events = requests();
    assertEquals(1, events.size(), heard.toString());
    assertEquals(Outcome.FAILED, events.get(0).outcome());
    assertEquals(OptionalInt.of(200), events.get(0).status());
    assertEquals(1, events.get(0).attempt());
  }

  @Test
  void tokenSourceThatThrowsBeforeTheFirstRequest_reportsOneUnsentFailure() {
    ApiClient api = client(recorder).tokens(new TokenSource() {
      @Override
      public Token current() {
        throw new UnsupportedOperationException("not wired");
      }

      @Override
      public Token renew(Token rejected) {
        return null;
      }
    }).build();
    assertThrows(UnsupportedOperationException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    List<RequestEvent> events = requests();
    assertEquals(1, events.size(), heard.toString());
    assertEquals(Outcome.FAILED, events.get(0).outcome());
    assertEquals(OptionalInt.empty(), events.get(0).status());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void everyCallEndsInExactlyOneFinalEvent_whateverEndsIt() {
    ApiClient api = client(recorder).build();
    server.enqueue(ok("a"));
    server.enqueue(ok("fail:1"));
    server.enqueue(ok("c"));
    api.call(ApiCall.get("list", "file/list").build(), TEXT);
    assertThrows(DriveException.class, () -> api.call(ApiCall.get("list", "file/list").build(), TEXT));
    assertThrows(ArithmeticException.class, () -> api.call(ApiCall.get("list", "file/list").build(), (r, c) -> {
      throw new ArithmeticException("/ by zero");
    }));
    assertEquals(3, requests().stream().filter(e -> e.outcome() != Outcome.RETRYING).count(), heard.toString());
  }
  // ---------------------------------------------------------------- downloads through a Link

  /** A link as a driver makes it: a signed URL whose path holds the user's id and the file's name. */
  private Link link(ApiClient api) {
    return Link.builder(server.url("/1814442530/private/" + SECRET + "-report.pdf?auth_key=" + SECRET + "&token="
        + SECRET).toString()).opener(api.linkOpener()).build();
  }

  private static MockResponse body(int status, String text) {
    return new MockResponse.Builder().code(status).body(text).build();
  }

  @Test
  void download_isOneEventWhenItsBodyEnds_withStatusBytesAndItsTime() throws Exception {
    ApiClient api = client(recorder).build();
    server.enqueue(body(200, "0123456789"));
    try (Link.Content c = link(api).open(0, -1)) {
      assertEquals(List.of(), requests(), "the body has not been read yet");
      clock.advance(Duration.ofMillis(70));
      assertEquals("0123456789", new String(c.body().readAllBytes()));
    }
    assertEquals(1, requests().size(), heard.toString());
    RequestEvent e = requests().get(0);
    assertEquals("test", e.driverId());
    assertEquals(RequestEvent.DOWNLOAD, e.operation());
    assertEquals(RequestEvent.DOWNLOAD, e.endpoint());
    assertEquals("GET", e.method());
    assertEquals(1, e.attempt());
    assertEquals(OptionalInt.of(200), e.status());
    assertEquals(Outcome.OK, e.outcome());
    assertEquals(OptionalLong.of(10), e.bytes());
    assertEquals(Duration.ofMillis(70), e.duration(), "from sending to the body's end, on the context's clock");
    assertEquals(Duration.ZERO, e.rateLimitWait());
  }

  @Test
  void rangedDownload_countsTheRangesBytes() throws Exception {
    ApiClient api = client(recorder).build();
    server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "bytes 2-5/10").body("2345").build());
    try (Link.Content c = link(api).open(2, 4)) {
      assertEquals("2345", new String(c.body().readAllBytes()));
    }
    assertEquals("bytes=2-5", server.takeRequest().getHeaders().get("Range"));
    RequestEvent e = requests().get(0);
    assertEquals(OptionalInt.of(206), e.status());
    assertEquals(OptionalLong.of(4), e.bytes());
    assertEquals(Outcome.OK, e.outcome());
  }

  @Test
  void refusedDownload_isReportedAtOnce_withItsKind() {
    ApiClient api = client(recorder).build();
    server.enqueue(body(403, "expired"));
    DriveException thrown = assertThrows(DriveException.class, () -> link(api).open(0, -1));
    assertEquals(ErrorKind.EXPIRED, thrown.kind());
    RequestEvent e = requests().get(0);
    assertEquals(Outcome.FAILED, e.outcome());
    assertEquals(Optional.of(ErrorKind.EXPIRED), e.error());
    assertEquals(OptionalInt.of(403), e.status());
    assertEquals(OptionalLong.of(0), e.bytes(), "an error page is not the file's bytes");
  }

  @Test
  void downloadBrokenOffMidBody_isNetwork_withTheBytesThatCame() {
    ApiClient api = client(recorder).build();
    server.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(new byte[256 * 1024]))
        .onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build());
    Link.Content c = link(api).open(0, -1);
    assertThrows(java.io.IOException.class, () -> c.body().readAllBytes());
    c.close();
    assertEquals(1, requests().size(), "the close after the failure tells nothing more: " + heard);
    RequestEvent e = requests().get(0);
    assertEquals(Outcome.FAILED, e.outcome());
    assertEquals(Optional.of(ErrorKind.NETWORK), e.error());
    assertEquals(OptionalInt.of(200), e.status());
    assertTrue(e.bytes().getAsLong() < 256 * 1024, e.toString());
  }

  @Test
  void downloadClosedBeforeItsEnd_isOk_andCancelledOneIsCancelled() throws Exception {
    ApiClient api = client(recorder).build();
    server.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(new byte[64 * 1024])).build());
    server.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(new byte[64 * 1024])).build());
    try (Link.Content c = link(api).open(0, -1)) {
      c.body().readNBytes(100); // the reader took what it wanted
    }
    Link.Content c = link(api).open(0, -1);
    ((io.github.pan4j.core.internal.CancellableBody) c.body()).cancel();
    assertThrows(java.io.IOException.class, () -> c.body().readAllBytes());
    c.close();
    server.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(new byte[64 * 1024])).build());
    Link.Content aborted = link(api).open(0, -1);
    ((io.github.pan4j.core.internal.CancellableBody) aborted.body()).cancel(); // aborted while nobody reads
    aborted.close();

    List<RequestEvent> events = requests();
    assertEquals(3, events.size(), heard.toString());
    assertEquals(Outcome.OK, events.get(0).outcome());
    assertTrue(events.get(0).bytes().getAsLong() >= 100, events.get(0).toString());
    assertEquals(Optional.of(ErrorKind.CANCELLED), events.get(1).error());
    assertEquals(Optional.of(ErrorKind.CANCELLED), events.get(2).error());
  }

  @Test
  void downloadEvents_showNeitherTheSignedUrlNorItsPathHostFileOrToken() throws Exception {
    ApiClient api = client(recorder).build();
    server.enqueue(body(200, "whole"));
    server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "bytes 1-2/5").body("ho").build());
    server.enqueue(body(404, "no such file " + SECRET));
    Link link = link(api);
    try (Link.Content c = link.open()) {
      c.body().readAllBytes();
    }
    try (Link.Content c = link.open(1, 2)) {
      c.body().readAllBytes();
    }
    assertThrows(DriveException.class, () -> link.open(0, -1));

    assertEquals(3, requests().size(), heard.toString());
    for (RequestEvent e : requests()) {
      String all = e.toString() + e.endpoint() + e.operation() + e.providerCode() + e.traceId();
      for (String leak : List.of("XYZZY", "1814442530", "private", "report", "auth_key", "token", "?",
          server.getHostName() + ":" + server.getPort())) {
        assertFalse(all.contains(leak), leak + " in " + all);
      }
      assertEquals(RequestEvent.DOWNLOAD, e.endpoint());
    }
  }

  @Test
  void downloadsWithoutAListener_costNothingAndStillWork() throws Exception {
    ApiClient api = client(RequestListener.NONE).build();
    server.enqueue(body(200, "abc"));
    try (Link.Content c = link(api).open(0, -1)) {
      assertEquals("abc", new String(c.body().readAllBytes()));
    }
    assertEquals(List.of(), heard);
  }
}
