package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The share's listing and links under network faults, over HTTP against the fake share door:
 * gateway pages, dropped connections, cut JSON, throttling with and without {@code Retry-After},
 * a trickling server. The driver only reads, so every call it makes is safe to repeat.
 */
class Share123FaultTest {
  static final String LIST = "/b/api/share/get";
  static final String DOWNLOAD_INFO = "/b/api/share/download/info";

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new, ShareFrontDoor::new).driver("123share");

  private int served(String path) {
    return fake.cloud().requests("web", path).size();
  }

  private static List<String> names(Page p) {
    return p.entries().stream().map(Entry::name).toList();
  }

  @Test
  void list_gatewayPageOnce_isRepeated_andListsEverything() {
    fake.file("", "a.txt", "A".getBytes());
    fake.cloud().inject("web", r -> r.path().equals(LIST), Fault.html(502), 1);
    try (Driver d = fake.open()) {
      assertEquals(List.of("a.txt"), names(d.list("0", null)));
    }
    assertEquals(2, served(LIST));
  }

  @Test
  void list_gatewayPageEveryTime_givesUpBounded_namingDriverOperationAndFolder() {
    fake.file("", "a.txt", "A".getBytes());
    fake.cloud().inject("web", r -> r.path().equals(LIST), Fault.response("HTML 503 with trace",
        new MockResponse.Builder().code(503).setHeader("Content-Type", "text/html").setHeader("x-traceID", "share-gw-1")
            .body("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>").build()), 100);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("list", e.operation().orElseThrow());
      assertEquals("0", e.target().orElseThrow());
      assertEquals("503", e.providerCode().orElseThrow());
      assertEquals("share-gw-1", e.traceId().orElseThrow());
    }
    assertEquals(5, served(LIST), "the web API's five attempts, no more");
  }

  @Test
  void list_droppedConnection_isRepeated() {
    fake.file("", "a.txt", "A".getBytes());
    fake.cloud().inject("web", r -> r.path().equals(LIST), Fault.disconnect(), 1);
    try (Driver d = fake.open()) {
      assertEquals(List.of("a.txt"), names(d.list("0", null)));
    }
    assertEquals(2, served(LIST));
  }

  @Test
  void list_cutJson_isProtocolError_notRetried() {
    fake.file("", "a.txt", "A".getBytes());
    fake.cloud().inject("web", r -> r.path().equals(LIST), Fault.malformedJson(), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.PROTOCOL, e.kind(), e::getMessage);
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("list", e.operation().orElseThrow());
      assertEquals(List.of("a.txt"), names(d.list("0", null)), "the next listing is not affected");
    }
    assertEquals(2, served(LIST));
  }

  @Test
  void list_tooManyRequests_withAndWithoutRetryAfter_isWaitedOut() {
    fake.file("", "a.txt", "A".getBytes());
    try (Driver d = fake.open()) {
      d.list("0", null);
      fake.cloud().inject("web", r -> r.path().equals(LIST), Fault.response("429 Retry-After 7",
          new MockResponse.Builder().code(429).setHeader("Retry-After", "7").body("").build()), 1);
      Duration before = fake.clock().totalSlept();
      assertEquals(List.of("a.txt"), names(d.list("0", null)));
      Duration waited = fake.clock().totalSlept().minus(before);
      assertTrue(waited.compareTo(Duration.ofSeconds(7)) >= 0 && waited.compareTo(Duration.ofSeconds(10)) < 0,
          "Retry-After honoured: " + waited);

      fake.cloud().inject("web", r -> r.path().equals(LIST), WebFrontDoor.businessError(429, "操作频繁，请稍后再试"), 2);
      before = fake.clock().totalSlept();
      assertEquals(List.of("a.txt"), names(d.list("0", null)));
      waited = fake.clock().totalSlept().minus(before);
      assertTrue(waited.compareTo(Duration.ofSeconds(2)) >= 0 && waited.compareTo(Duration.ofSeconds(30)) < 0,
          "backed off without Retry-After: " + waited);
    }
    assertEquals(1 + 2 + 3, served(LIST));
  }

  @Test
  void list_bigFolder_gatewayPageOnPageTwo_listsEveryEntryOnce() {
    Node big = fake.folder("big");
    Blob one = fake.store().putBlob(new byte[] {1});
    for (int i = 0; i < 250; i++) fake.store().createFile(fake.demo().uid(), big.id(), String.format("f%03d", i), one);
    fake.cloud().inject("web", r -> r.path().equals(LIST) && "2".equals(r.query("Page")), Fault.html(502), 1);
    Set<String> ids = new HashSet<>();
    try (Driver d = fake.open()) {
      String folder = Long.toString(big.id());
      for (String cursor = null; ; ) {
        Page p = d.list(folder, cursor);
        p.entries().forEach(e -> assertTrue(ids.add(e.id()), "listed twice: " + e));
        cursor = p.nextCursor();
        if (cursor == null) break;
      }
    }
    assertEquals(250, ids.size());
  }

  @Test
  void list_tricklingServer_failsAsNetworkWithinTheDeadline() {
    fake.file("", "a.txt", "A".getBytes());
    String body = "{\"code\":0,\"message\":\"ok\",\"data\":{\"Next\":\"-1\",\"InfoList\":[]}}";
    fake.cloud().inject("web", r -> r.path().equals(LIST), Fault.response("trickle",
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body)
            .throttleBody(1, 1, TimeUnit.SECONDS).build()), 1);
    try (Driver d = new Share123Provider().openWith(fake.options(),
        fake.context().toBuilder().callDeadline(Duration.ofMillis(1500)).build())) {
      long start = System.nanoTime();
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.getMessage().contains("deadline"), e::getMessage);
      assertEquals("123share", e.driverId().orElseThrow());
      assertTrue(ms < 5000, "failed after " + ms + " ms (deadline 1500 ms, the body needs " + body.length() + " s)");
    }
    assertEquals(1, served(LIST), "not repeated after the deadline");
  }

  @Test
  void link_downloadInfoGatewayPageOnce_isRepeated_andServesTheBytes() throws IOException {
    long id = fake.file("", "y.txt", "yes".getBytes()).id();
    try (Driver d = fake.open()) {
      d.list("0", null);
      fake.cloud().inject("web", r -> r.path().equals(DOWNLOAD_INFO), Fault.html(502), 1);
      try (Link.Content c = d.link(Long.toString(id)).open()) {
        assertEquals("yes", new String(c.body().readAllBytes()));
      }
    }
    assertEquals(2, served(DOWNLOAD_INFO));
  }

  /**
   * The CDN answers the share's file with its headers and the first half of the body, then sends
   * nothing more (the connection stays open). A short read timeout, set on the context's HTTP
   * client, must end the download: the small body is read on the calling thread, the large one
   * (4 MiB and more) on a helper thread.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {64 * 1024, 5 << 20})
  void get_cdnBodyStallsMidWay_failsAsRetryableNetworkTimeout_namingDriverAndPath_andLeavesNoFile(int size,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    byte[] content = new byte[size];
    new java.util.Random(size).nextBytes(content);
    fake.file("docs", "big.bin", content);
    java.nio.file.Path target = dir.resolve("big.bin");
    java.nio.file.Files.writeString(target, "the copy from before"); // left as it was on failure
    okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
    try (io.github.pan4j.core.Drive d = io.github.pan4j.core.Drive.of(new Share123Provider().openWith(fake.options(),
        fake.context().toBuilder().httpClient(http).build()))) {
      d.list("/docs");
      fake.cloud().inject("cdn", r -> r.path().startsWith("/web-edge/"), Fault.response("half the body, then nothing",
          new MockResponse.Builder().code(200).setHeader("Content-Type", "application/octet-stream")
              .body(new okio.Buffer().write(content)).onResponseBody(mockwebserver3.SocketEffect.Stall.INSTANCE).build()), 2);
      long start = System.nanoTime();
      DriveException e = assertThrows(DriveException.class, () -> d.get("/docs/big.bin", target));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable(), e::getMessage);
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("get", e.operation().orElseThrow());
      assertEquals("/docs/big.bin", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("broke off after " + size / 2 + " of " + size + " bytes"), e::getMessage);
      assertTrue(e.getMessage().contains("read timeout") && e.getMessage().contains("download it again"), e::getMessage);
      assertTrue(ms < 20_000, "gave up after " + ms + " ms (read timeout 300 ms)");
      assertEquals("the copy from before", java.nio.file.Files.readString(target), "the target is not replaced");
      try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
        assertEquals(List.of(target), left.toList(), "no partial file left behind");
      }

      // Into a stream the bytes already written cannot be taken back: the call fails, it never returns the entry.
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      DriveException toStream = assertThrows(DriveException.class, () -> d.get("/docs/big.bin", out));
      assertEquals(ErrorKind.NETWORK, toStream.kind(), toStream::getMessage);
      assertTrue(toStream.retryable());
      assertEquals("/docs/big.bin", toStream.target().orElseThrow());
      assertTrue(out.size() < size, "only part of the file was written: " + out.size());
    } finally {
      http.dispatcher().cancelAll();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void link_downloadInfoDroppedConnection_isRepeated() throws IOException {
    long id = fake.file("", "y.txt", "yes".getBytes()).id();
    try (Driver d = fake.open()) {
      d.list("0", null);
      fake.cloud().inject("web", r -> r.path().equals(DOWNLOAD_INFO), Fault.disconnect(), 1);
      try (Link.Content c = d.link(Long.toString(id)).open()) {
        assertEquals("yes", new String(c.body().readAllBytes()));
      }
    }
    assertEquals(2, served(DOWNLOAD_INFO));
  }

  // ------------------------------------------------------------------ holes of the fault matrix (docs/testing.md)

  /**
   * A network's sign-in page (or a proxy's) answering the share's listing with HTTP 200 in 123's
   * place: PROTOCOL, not repeated, naming the driver and folder and saying that a page answered
   * instead of the API, and what to check.
   */
  @Test
  void list_answeredByANetworksSignInPage_isProtocol_notRepeated_sayingWhatAnswered() {
    fake.file("docs", "a.txt", "A".getBytes());
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(fake.open())) {
      drive.ls("/");
      int before = served(LIST);
      fake.cloud().inject("web", r -> r.path().equals(LIST), Fault.response("sign-in page",
          new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
              .body("<html><head><title>Hotel WiFi sign-in</title></head><body>accept the terms</body></html>").build()), 100);
      DriveException e = assertThrows(DriveException.class, () -> drive.ls("/docs"));
      assertEquals(ErrorKind.PROTOCOL, e.kind(), e::getMessage);
      assertEquals(false, e.retryable());
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("/docs", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("with an HTML page instead of an API reply: <html><head><title>Hotel WiFi sign-in"),
          e::getMessage);
      assertTrue(e.getMessage().contains("proxy") && e.getMessage().contains("check the network and the configured address"),
          e::getMessage);
      assertEquals(before + 1, served(LIST), "not repeated");
    }
  }

  /** Three throttled answers to download/info (code 429 in the JSON, or HTTP 429): waited out on the fake clock, then the bytes. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"code", "http"})
  void link_429Burst_isWaitedOut_andServesTheBytes(String form) throws IOException {
    long id = fake.file("", "y.txt", "yes".getBytes()).id();
    try (Driver d = fake.open()) {
      d.list("0", null);
      int before = served(DOWNLOAD_INFO);
      Duration slept = fake.clock().totalSlept();
      fake.cloud().inject("web", r -> r.path().equals(DOWNLOAD_INFO), form.equals("code")
          ? WebFrontDoor.businessError(429, "操作频繁，请稍后再试") : Fault.status(429, ""), 3);
      try (Link.Content c = d.link(Long.toString(id)).open()) {
        assertEquals("yes", new String(c.body().readAllBytes()));
      }
      assertEquals(before + 4, served(DOWNLOAD_INFO), "three throttled, then the one that answered");
      assertTrue(fake.clock().totalSlept().compareTo(slept) > 0, "backed off on the fake clock");
    }
  }

  /** download/info throttled without end: RATE_LIMITED after the web API's five attempts, naming the file. */
  @Test
  void link_throttledWithoutEnd_givesUpBounded_asRateLimited_namingTheFile() {
    fake.file("docs", "y.txt", "yes".getBytes());
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(fake.open())) {
      drive.ls("/docs");
      int before = served(DOWNLOAD_INFO);
      fake.cloud().inject("web", r -> r.path().equals(DOWNLOAD_INFO), WebFrontDoor.businessError(429, "操作频繁，请稍后再试"), 100);
      DriveException e = assertThrows(DriveException.class, () -> drive.link("/docs/y.txt"));
      assertEquals(ErrorKind.RATE_LIMITED, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("/docs/y.txt", e.target().orElseThrow());
      assertEquals("429", e.providerCode().orElseThrow());
      assertTrue(e.getMessage().contains("slow down and retry later"), e::getMessage);
      assertEquals(before + 5, served(DOWNLOAD_INFO), "five attempts, no more");
    }
  }

  @Test
  void link_cutJson_isProtocol_notRetried_andTheNextLinkWorks() throws IOException {
    long id = fake.file("", "y.txt", "yes".getBytes()).id();
    try (Driver d = fake.open()) {
      d.list("0", null);
      int before = served(DOWNLOAD_INFO);
      fake.cloud().inject("web", r -> r.path().equals(DOWNLOAD_INFO), Fault.malformedJson(), 1);
      DriveException e = assertThrows(DriveException.class, () -> d.link(Long.toString(id)));
      assertEquals(ErrorKind.PROTOCOL, e.kind(), e::getMessage);
      assertEquals(false, e.retryable());
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals(before + 1, served(DOWNLOAD_INFO));
      try (Link.Content c = d.link(Long.toString(id)).open()) {
        assertEquals("yes", new String(c.body().readAllBytes()));
      }
    }
  }

  /** download/info answering 2.5 s late while every call must end within 1 s: NETWORK in time, not repeated. */
  @Test
  void link_slowReplyPastTheCallDeadline_failsInTime_asNetwork() {
    long id = fake.file("", "y.txt", "yes".getBytes()).id();
    try (Driver d = new Share123Provider().openWith(fake.options(),
        fake.context().toBuilder().callDeadline(Duration.ofMillis(1000)).build())) {
      d.list("0", null);
      int before = served(DOWNLOAD_INFO);
      fake.cloud().inject("web", r -> r.path().equals(DOWNLOAD_INFO), Fault.slow(Duration.ofMillis(2500)), 1);
      long start = System.nanoTime();
      DriveException e = assertThrows(DriveException.class, () -> d.link(Long.toString(id)));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("link", e.operation().orElseThrow());
      assertTrue(e.getMessage().contains("deadline of 1000 ms") && e.getMessage().contains("raise the call deadline"),
          e::getMessage);
      assertTrue(ms < 2400, "gave up after " + ms + " ms, before the late reply");
      assertEquals(before + 1, served(DOWNLOAD_INFO), "not repeated");
    }
  }

  /**
   * The download edge holds its answer past the call deadline (1 s): the get fails in time, while
   * the answer is still held, as a retryable NETWORK naming the driver, the path, the edge's host
   * and the deadline, and leaves no file; the next get, answered at once, downloads the file.
   */
  @Test
  void get_edgeHoldsItsAnswerPastTheCallDeadline_failsBeforeTheAnswer_andLeavesNoFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    fake.file("docs", "y.txt", "yes".getBytes());
    java.nio.file.Path target = dir.resolve("y.txt");
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (io.github.pan4j.core.Drive d = io.github.pan4j.core.Drive.of(new Share123Provider().openWith(fake.options(),
        fake.context().toBuilder().callDeadline(Duration.ofMillis(1000)).build()))) {
      d.ls("/docs");
      fake.cloud().inject("cdn", r -> r.path().startsWith("/web-edge/"), Fault.hold(() -> {
        try {
          release.await(5, TimeUnit.SECONDS); // then it answers
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }), 1);
      DriveException e;
      boolean held;
      try {
        e = assertThrows(DriveException.class, () -> d.get("/docs/y.txt", target));
      } finally {
        held = release.getCount() == 1;
        release.countDown();
      }
      assertTrue(held, "failed while the answer was still held");
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("/docs/y.txt", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("download host " + okhttp3.HttpUrl.get(fake.cloud().baseUrl("cdn")).host()),
          e::getMessage);
      assertTrue(e.getMessage().contains("call deadline of 1000 ms") && e.getMessage().contains("raise callDeadline"),
          e::getMessage);
      try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
        assertEquals(List.of(), left.toList(), "no partial file");
      }
      assertEquals(0, fake.cloud().pendingFaults());
      d.get("/docs/y.txt", target);
      assertEquals("yes", java.nio.file.Files.readString(target));
    }
  }

  /**
   * The download edge drops the connection half-way through the body, or before it sent a head:
   * NETWORK, retryable, naming the driver and path and saying to download again, a bounded number
   * of requests, and no partial file next to the target.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"midBody", "beforeTheHead"})
  void get_edgeDropsTheConnection_isRetryableNetwork_namingThePath_andLeavesNoFile(String when,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    byte[] content = new byte[200_000];
    new java.util.Random(3).nextBytes(content);
    fake.file("docs", "big.bin", content);
    java.nio.file.Path target = dir.resolve("big.bin");
    try (io.github.pan4j.core.Drive d = io.github.pan4j.core.Drive.of(fake.open())) {
      d.ls("/docs");
      fake.cloud().inject("cdn", r -> r.path().startsWith("/web-edge/"), when.equals("midBody")
          ? Fault.response("drop mid-body", new MockResponse.Builder().code(200).body(new okio.Buffer().write(content))
              .onResponseBody(new mockwebserver3.SocketEffect.CloseSocket(true, true, true)).build())
          : Fault.disconnect(), 10);
      DriveException e = assertThrows(DriveException.class, () -> d.get("/docs/big.bin", target));
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertEquals(false, e.mayHaveTakenEffect());
      assertEquals("123share", e.driverId().orElseThrow());
      assertEquals("/docs/big.bin", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("download it again"), e::getMessage);
      if (when.equals("midBody")) assertTrue(e.getMessage().contains("broke off after 100000 of 200000 bytes"), e::getMessage);
    }
    long edge = fake.cloud().requests("cdn", "/web-edge/").size();
    assertTrue(edge >= 1 && edge <= 3, "bounded: " + edge + " requests to the edge");
    try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "no partial file");
    }
  }

  // ------------------------------------------------------------------ the last holes of the fault matrix

  /**
   * A session that expires between two pages of a listing (the mount's {@code accessToken}, or a
   * 123pan mount's published session): 123 answers a share listing with an expired or unknown
   * bearer as it answers an anonymous visitor, with no 401, so the listing goes on with the
   * same token, every entry once, each page asked for once, and nobody signs in.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"accessToken", "account"})
  void list_sessionExpiredBetweenPages_isServedAsAnonymous_everyEntryOnce_noSignIn(String mount) {
    Node big = fake.folder("big");
    Blob one = fake.store().putBlob(new byte[] {1});
    for (int i = 0; i < 250; i++) fake.store().createFile(fake.demo().uid(), big.id(), String.format("f%03d", i), one);
    java.util.Map<String, String> options = fake.options();
    String token;
    if (mount.equals("accessToken")) {
      token = fake.web().browserToken(fake.demo());
      options.put("accessToken", token);
    } else {
      // a 123pan mount of the account signs in and publishes its session in the shared token store
      java.util.Map<String, String> pan = new java.util.HashMap<>();
      pan.put("username", WebFrontDoor.DEMO_PHONE);
      pan.put("password", WebFrontDoor.DEMO_PASSWORD);
      pan.put("apiBaseUrl", fake.cloud().baseUrl("web"));
      pan.put("loginBaseUrl", fake.cloud().baseUrl("login"));
      try (Driver panMount = io.github.pan4j.core.Drives.create().provider("123pan").openWith(pan, fake.context())) {
        panMount.list("0", null);
      }
      token = fake.web().liveTokens().get(0);
      options.put("account", WebFrontDoor.DEMO_PHONE);
    }
    int logins = fake.web().loginAttempts();
    Set<String> ids = new HashSet<>();
    try (Driver d = fake.open(options)) {
      String folder = Long.toString(big.id());
      Page first = d.list(folder, null);
      first.entries().forEach(e -> assertTrue(ids.add(e.id()), "listed twice: " + e));
      fake.web().expireAllTokens();
      for (String cursor = first.nextCursor(); cursor != null; ) {
        Page p = d.list(folder, cursor);
        p.entries().forEach(e -> assertTrue(ids.add(e.id()), "listed twice: " + e));
        cursor = p.nextCursor();
      }
    }
    assertEquals(250, ids.size());
    assertEquals(3, served(LIST), "three pages, each asked for once");
    assertTrue(fake.cloud().requests("web", LIST).stream().allMatch(r -> ("Bearer " + token).equals(r.header("Authorization"))),
        "the same token on every page: nothing to renew it with, and 123 did not refuse it");
    assertEquals(logins, fake.web().loginAttempts(), "the share never signs in");
  }
}
