package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestEvent.Outcome;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TokenRenewalEvent;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.testkit.fake.Fault;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/** A host's {@link RequestListener} hears the real endpoints a 123open drive calls on the fake. */
class Open123EventsTest extends Open123Fixture {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;
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

  private Open123Driver driverHeard() {
    return (Open123Driver) new Open123Provider().openWith(options(), context().toBuilder().requestListener(recorder).build());
  }

  private List<RequestEvent> at(String endpoint) {
    return heard.stream().filter(RequestEvent.class::isInstance).map(RequestEvent.class::cast)
        .filter(e -> e.endpoint().equals(endpoint)).toList();
  }

  @Test
  void signInAndAThrottledList_arriveWithTheRealEndpoints() {
    Open123Driver d = driverHeard();
    door.failNext("/api/v2/file/list", 1);
    d.list("0", null);

    RequestEvent signIn = assertInstanceOf(RequestEvent.class, heard.get(0), heard.toString());
    assertEquals("/api/v1/access_token", signIn.endpoint());
    assertEquals("123open", signIn.driverId());
    assertEquals("POST", signIn.method());
    assertEquals(Outcome.OK, signIn.outcome());
    TokenRenewalEvent renewal = assertInstanceOf(TokenRenewalEvent.class, heard.get(1), heard.toString());
    assertEquals(TokenRenewalEvent.Trigger.SIGN_IN, renewal.trigger());
    assertTrue(renewal.succeeded());

    List<RequestEvent> lists = at("/api/v2/file/list");
    assertEquals(2, lists.size(), heard.toString());
    RequestEvent throttled = lists.get(0);
    assertEquals(1, throttled.attempt());
    assertEquals("list", throttled.operation());
    assertEquals(OptionalInt.of(200), throttled.status(), "123 says 'too frequent' in an HTTP 200 envelope");
    assertEquals(Optional.of("429"), throttled.providerCode());
    assertTrue(throttled.throttled());
    assertEquals(Outcome.RETRYING, throttled.outcome());
    assertEquals(Optional.of(ErrorKind.RATE_LIMITED), throttled.error());
    assertTrue(throttled.traceId().isPresent(), "the fake sends x-traceID");
    RequestEvent listed = lists.get(1);
    assertEquals(2, listed.attempt());
    assertEquals(Outcome.OK, listed.outcome());
    assertFalse(listed.rateLimitWait().isZero(), "the repeat waited for the endpoint's next turn: " + listed);

    String everything = heard.toString();
    assertFalse(everything.contains(options().get("clientSecret")), everything);
    for (String token : door.issuedTokens()) assertFalse(everything.contains(token), everything);
  }

  @Test
  void revokedToken_isRenewed_andTheListRepeated() {
    Open123Driver d = driverHeard();
    d.list("0", null);
    door.issuedTokens().forEach(door::revokeToken);
    heard.clear();
    d.list("0", null);

    assertTrue(heard.stream().anyMatch(e -> e instanceof TokenRenewalEvent r && r.trigger() == TokenRenewalEvent.Trigger.REJECTED
        && r.succeeded()), heard.toString());
    List<RequestEvent> lists = at("/api/v2/file/list");
    assertEquals(List.of(Outcome.RETRYING, Outcome.OK), lists.stream().map(RequestEvent::outcome).toList(), heard.toString());
    assertEquals(Optional.of(ErrorKind.UNAUTHENTICATED), lists.get(0).error());
  }
  private List<RequestEvent> downloads() {
    return at(RequestEvent.DOWNLOAD);
  }

  @Test
  void downloads_throughGetAndLinkOpen_wholeAndRanged_areReportedWithTheirBytes() throws Exception {
    byte[] small = new byte[100_000];
    byte[] large = new byte[5 * 1024 * 1024 + 7]; // read on a helper thread (pipelined)
    new java.util.Random(3).nextBytes(small);
    new java.util.Random(4).nextBytes(large);
    store.createFile(demo.uid(), 0, "quarterly-report.bin", store.putBlob(small));
    store.createFile(demo.uid(), 0, "holiday-video.bin", store.putBlob(large));
    try (Drive d = Drive.of(driverHeard())) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      d.get("/quarterly-report.bin", out);
      d.get("/holiday-video.bin", new java.io.ByteArrayOutputStream());
      Link link = d.link("/quarterly-report.bin");
      try (Link.Content c = link.open()) {
        c.body().readAllBytes();
      }
      try (Link.Content c = link.open(1000, 500)) {
        assertEquals(500, c.body().readAllBytes().length);
      }
      List<RequestEvent> downloads = downloads();
      assertEquals(4, downloads.size(), heard.toString());
      assertEquals(List.of(200, 200, 200, 206), downloads.stream().map(e -> e.status().getAsInt()).toList());
      assertEquals(List.of(100_000L, (long) large.length, 100_000L, 500L),
          downloads.stream().map(e -> e.bytes().getAsLong()).toList());
      for (RequestEvent e : downloads) {
        assertEquals("123open", e.driverId());
        assertEquals(Outcome.OK, e.outcome());
        assertEquals("GET", e.method());
        assertEquals(RequestEvent.DOWNLOAD, e.operation());
      }

      // Nothing of the signed URL, its host, its per-user path, the file's name or a token.
      okhttp3.HttpUrl url = okhttp3.HttpUrl.get(link.url());
      String everything = heard.toString() + downloads.stream().map(RequestEvent::endpoint).toList();
      List<String> secrets = new java.util.ArrayList<>(List.of("quarterly", "holiday", url.host() + ":" + url.port(),
          options().get("clientSecret")));
      secrets.addAll(door.issuedTokens());
      url.pathSegments().stream().filter(p -> p.length() > 3).forEach(secrets::add);
      if (url.query() != null) secrets.add(url.query());
      for (String secret : secrets) assertFalse(everything.contains(secret), secret + " in " + everything);
      // The API calls that found the link are still their own endpoints.
      assertFalse(at("/api/v1/file/download_info").isEmpty(), heard.toString());
    }
  }

  @Test
  void refusedAndBrokenDownloads_endFailed_withTheirKind() {
    byte[] bytes = new byte[200_000];
    store.createFile(demo.uid(), 0, "f.bin", store.putBlob(bytes));
    try (Drive d = Drive.of(driverHeard())) {
      cloud.inject("cdn", r -> true, Fault.response("403", new MockResponse.Builder().code(403).body("denied").build()), 1);
      DriveException refused = assertThrows(DriveException.class, () -> d.get("/f.bin", new java.io.ByteArrayOutputStream()));
      assertEquals(ErrorKind.EXPIRED, refused.kind());
      cloud.inject("cdn", r -> true, Fault.response("drop", new MockResponse.Builder().code(200)
          .body(new okio.Buffer().write(bytes)).onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build()), 1);
      DriveException broke = assertThrows(DriveException.class, () -> d.get("/f.bin", new java.io.ByteArrayOutputStream()));
      assertEquals(ErrorKind.NETWORK, broke.kind());
    }
    List<RequestEvent> downloads = downloads();
    assertEquals(2, downloads.size(), heard.toString());
    assertEquals(List.of(Optional.of(ErrorKind.EXPIRED), Optional.of(ErrorKind.NETWORK)),
        downloads.stream().map(RequestEvent::error).toList());
    assertEquals(List.of(Outcome.FAILED, Outcome.FAILED), downloads.stream().map(RequestEvent::outcome).toList());
    assertEquals(OptionalInt.of(403), downloads.get(0).status());
    assertTrue(downloads.get(1).bytes().getAsLong() < bytes.length, downloads.get(1).toString());
  }
  @Test
  void interruptedGet_endsItsDownloadCancelled() {
    byte[] bytes = new byte[5 * 1024 * 1024]; // pipelined: read on a helper thread the interrupt does not reach
    store.createFile(demo.uid(), 0, "big.bin", store.putBlob(bytes));
    io.github.pan4j.core.UploadListener interruptAtOneMiB = new io.github.pan4j.core.UploadListener() {
      @Override
      public void progressed(io.github.pan4j.core.UploadProgress progress) {
        if (progress.bytesDone() >= (1 << 20)) Thread.currentThread().interrupt();
      }
    };
    try (Drive d = Drive.of(driverHeard())) {
      DriveException e = assertThrows(DriveException.class,
          () -> d.get("/big.bin", dir.resolve("big.bin"), interruptAtOneMiB));
      assertEquals(ErrorKind.CANCELLED, e.kind());
      assertTrue(Thread.interrupted());
    }
    List<RequestEvent> downloads = downloads();
    assertEquals(1, downloads.size(), heard.toString());
    assertEquals(Optional.of(ErrorKind.CANCELLED), downloads.get(0).error());
    assertTrue(downloads.get(0).bytes().getAsLong() < bytes.length, downloads.get(0).toString());
  }
}
