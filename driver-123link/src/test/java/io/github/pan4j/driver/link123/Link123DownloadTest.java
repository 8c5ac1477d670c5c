package io.github.pan4j.driver.link123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.driver.common123.AuthKeySigner;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.fake.FakeClock;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import io.github.pan4j.testkit.MidDownloadClose;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Links of a tree that points at files of the fake 123 store, fetched over real HTTP from the
 * fake direct-link CDN, which verifies auth_key against the same clock the driver signs with.
 */
class Link123DownloadTest {
  private static final byte[] HELLO = "hello, world".getBytes(StandardCharsets.UTF_8);

  private final FakeClock clock = new FakeClock();
  private FakeCloud cloud;
  private VipCdnFrontDoor vip;
  private Account alice;
  private Node hello;
  private DriverContext context;
  private final Link123Provider provider = new Link123Provider();

  @BeforeEach
  void setUp() {
    vip = new VipCdnFrontDoor().requireDirectLinkSpace(false);
    cloud = FakeCloud.builder().clock(clock).door(vip).build().start();
    FakeStore store = cloud.store();
    alice = store.createAccount("alice").urlAuth("mykey");
    Node docs = store.mkdir(alice.uid(), FakeStore.ROOT, "docs");
    hello = store.createFile(alice.uid(), docs.id(), "a b 我.txt", store.putBlob(HELLO));
    store.createFile(alice.uid(), FakeStore.ROOT, "empty.bin", store.putBlob(new byte[0]));
    context = DriverContext.builder().clock(clock).sleeper(clock).build();
  }

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  private Driver signed() {
    return provider.open(Link123Config.signed(vip.treeOf(alice.uid(), FakeStore.ROOT), Secret.of("mykey"), alice.uid())
        .withValidity(Duration.ofMinutes(30)), context);
  }

  /**
   * A tree line without a size lists the file as 0 bytes (as OpenList does) and its link states no
   * length: Drive.get downloads the bytes the CDN serves instead of refusing every byte as "more
   * than the 0 bytes the file has".
   */
  @Test
  void driveGet_fileListedWithoutASize_downloadsItsBytes() throws IOException {
    String tree = vip.treeOf(alice.uid(), FakeStore.ROOT).replaceAll("(?m)^( *)\\d+:(\\d+:)?", "$1");
    assertFalse(tree.matches("(?s).*\\d+:http.*"), tree);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("link123-get");
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(provider.open(
        Link123Config.signed(tree, Secret.of("mykey"), alice.uid()).withValidity(Duration.ofMinutes(30)), context))) {
      assertEquals(0, drive.stat("/docs/a b 我.txt").size(), "listed as 0, as OpenList lists it");
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      drive.get("/docs/a b 我.txt", out);
      assertArrayEquals(HELLO, out.toByteArray());
      java.nio.file.Path target = dir.resolve("a.txt");
      drive.get("/docs/a b 我.txt", target);
      assertArrayEquals(HELLO, java.nio.file.Files.readAllBytes(target));
      out.reset();
      drive.get("/empty.bin", out);
      assertEquals(0, out.size());
    } finally {
      try (var files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : files.toList()) java.nio.file.Files.delete(f);
      }
      java.nio.file.Files.delete(dir);
    }
  }

  /**
   * A file listed without a size: Drive.get's listener ends on the bytes actually received, not on
   * the listed 0 (which read as "0 of 0 bytes" after 12 bytes came in).
   */
  @Test
  void driveGet_fileListedWithoutASize_reportsTheBytesReceived() throws IOException {
    String tree = vip.treeOf(alice.uid(), FakeStore.ROOT).replaceAll("(?m)^( *)\\d+:(\\d+:)?", "$1");
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("link123-get");
    java.nio.file.Path target = dir.resolve("a.txt");
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(provider.open(
        Link123Config.signed(tree, Secret.of("mykey"), alice.uid()).withValidity(Duration.ofMinutes(30)), context))) {
      io.github.pan4j.testkit.RecordingUploadListener l = new io.github.pan4j.testkit.RecordingUploadListener();
      drive.get("/docs/a b 我.txt", target, l);
      l.assertCompletedOnce();
      io.github.pan4j.core.UploadProgress last = l.events().get(l.events().size() - 1).progress();
      assertEquals(io.github.pan4j.core.UploadPhase.DONE, last.phase(), l::toString);
      assertEquals(HELLO.length, last.bytesDone(), l::toString);
      assertEquals(HELLO.length, last.totalBytes(), l::toString);
      assertEquals(1.0, last.fraction(), l::toString);
      assertEquals(HELLO.length, l.bytesDone(io.github.pan4j.core.UploadPhase.TRANSFERRING), l::toString);
    } finally {
      java.nio.file.Files.deleteIfExists(target);
      java.nio.file.Files.delete(dir);
    }
  }

  /**
   * A download open but not read yet when the driver closes: the close cuts it, and the first read
   * fails CANCELLED, naming the driver and the file, instead of reading on.
   */
  @Test
  void linkOpen_driverClosedBeforeTheBodyIsRead_readFailsCancelled() throws IOException {
    Driver d = signed();
    Link link = d.link("/docs/a b 我.txt");
    try (Link.Content c = link.open()) {
      d.close();
      IOException e = assertThrows(IOException.class, () -> c.body().read());
      DriveException cause = (DriveException) e.getCause();
      assertEquals(ErrorKind.CANCELLED, cause.kind(), cause::toString);
      assertEquals("123link", cause.driverId().orElseThrow(), cause::toString);
      assertEquals("/docs/a b 我.txt", cause.target().orElseThrow(), cause::toString);
      assertTrue(cause.getMessage().contains("reopen the driver"), cause.getMessage());
    }
  }

  /**
   * The driver closed halfway through a body, while the fake CDN holds the rest: the next read
   * fails CANCELLED at once, naming the driver and the file, as on the other drivers.
   */
  @Test
  void linkOpen_driverClosedHalfwayThroughTheBody_readFailsCancelled() throws IOException {
    byte[] content = new byte[64 * 1024];
    java.util.Arrays.fill(content, (byte) 7);
    cloud.store().createFile(alice.uid(), FakeStore.ROOT, "a.bin", cloud.store().putBlob(content));
    Driver d = signed();
    Link link = d.link("/a.bin");
    DriveException e = MidDownloadClose.run(cloud, "vip", content, link::open, d::close);
    assertEquals("123link", e.driverId().orElseThrow(), e::toString);
    assertEquals("/a.bin", e.target().orElseThrow(), e::toString);
  }

  /**
   * The CDN holds its answer past the call deadline: the open fails in time, while the answer is
   * still held, as a retryable NETWORK naming the driver, the file, the host and the deadline; the
   * next open, answered at once, reads the bytes.
   */
  @Test
  void linkOpen_cdnHoldsItsAnswerPastTheCallDeadline_failsBeforeTheAnswer() throws IOException {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    cloud.inject("vip", r -> r.method().equals("GET"), Fault.hold(() -> {
      try {
        release.await(5, java.util.concurrent.TimeUnit.SECONDS); // then it answers
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }), 1);
    try (Driver d = provider.open(Link123Config.signed(vip.treeOf(alice.uid(), FakeStore.ROOT), Secret.of("mykey"),
        alice.uid()).withValidity(Duration.ofMinutes(30)), context.toBuilder().callDeadline(Duration.ofMillis(1000)).build())) {
      Link link = d.link("/docs/a b 我.txt");
      DriveException e;
      boolean held;
      try {
        e = assertThrows(DriveException.class, link::open);
      } finally {
        held = release.getCount() == 1;
        release.countDown();
      }
      assertTrue(held, "failed while the answer was still held");
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertEquals("123link", e.driverId().orElseThrow());
      assertEquals("/docs/a b 我.txt", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("download host " + okhttp3.HttpUrl.get(cloud.baseUrl("vip")).host()), e::getMessage);
      assertTrue(e.getMessage().contains("call deadline of 1000 ms"), e::getMessage);
      assertTrue(e.getMessage().contains("raise callDeadline"), e::getMessage);
      assertEquals(0, cloud.pendingFaults());
      try (Link.Content c = link.open()) {
        assertArrayEquals(HELLO, c.body().readAllBytes());
      }
    }
  }

  @Test
  void link_signed_servesBytesAndRanges() throws IOException {
    try (Driver d = signed()) {
      Link link = d.link("/docs/a b 我.txt");
      assertEquals(HELLO.length, link.contentLength().getAsLong());
      try (Link.Content c = link.open()) {
        assertEquals(200, c.status());
        assertArrayEquals(HELLO, c.body().readAllBytes());
      }
      try (Link.Content c = link.open(7, 5)) {
        assertEquals(206, c.status());
        assertEquals(7, c.offset());
        assertEquals(HELLO.length, c.totalLength());
        assertEquals("world", new String(c.body().readAllBytes(), StandardCharsets.UTF_8));
      }
      try (Link.Content c = link.open(5, -1)) {
        assertEquals(", world", new String(c.body().readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void link_emptyFile_servesNothing() throws IOException {
    try (Driver d = signed(); Link.Content c = d.link("/empty.bin").open()) {
      assertEquals(0, c.body().readAllBytes().length);
    }
  }

  @Test
  void link_afterExpiry_isRefusedAsExpired() {
    try (Driver d = signed()) {
      Link link = d.link("/docs/a b 我.txt");
      assertEquals(clock.instant().plus(Duration.ofMinutes(30)), link.expiresAt().orElseThrow());
      clock.advance(Duration.ofMinutes(30));
      link.open(0, 1).close(); // still valid at the expiry second itself
      clock.advance(Duration.ofSeconds(1));
      DriveException e = assertThrows(DriveException.class, link::open);
      assertEquals(ErrorKind.EXPIRED, e.kind());
      assertEquals("403", e.providerCode().orElseThrow());
      assertTrue(e.getMessage().contains("request a new link"), e.getMessage());
      assertTrue(e.getMessage().startsWith("123link: download /docs/a b 我.txt: download refused with HTTP 403"), e.getMessage());
      try (Link.Content fresh = d.link("/docs/a b 我.txt").open()) {
        assertEquals(200, fresh.status());
      }
    }
  }

  @Test
  void link_wrongKeyOrUnsignedWhileAuthOn_isRefused() {
    String tree = vip.treeOf(alice.uid(), FakeStore.ROOT);
    try (Driver wrong = provider.open(Link123Config.signed(tree, Secret.of("not-the-key"), alice.uid()), context)) {
      DriveException e = assertThrows(DriveException.class, () -> wrong.link("/docs/a b 我.txt").open());
      assertEquals(ErrorKind.EXPIRED, e.kind());
      assertEquals("403", e.providerCode().orElseThrow());
      assertTrue(e.getMessage().startsWith("123link: download /docs/a b 我.txt: the CDN refused the signed link (HTTP 403):"
          + " directLinkPrivateKey or directLinkUid does not match"), e.getMessage());
      assertFalse(e.getMessage().contains("not-the-key"), e.getMessage());
    }
    try (Driver unsigned = provider.open(Link123Config.unsigned(tree), context)) {
      DriveException e = assertThrows(DriveException.class, () -> unsigned.link("/docs/a b 我.txt").open());
      assertEquals(ErrorKind.EXPIRED, e.kind());
      assertTrue(e.getMessage().contains("the CDN refused the unsigned link (HTTP 403): URL authentication is on"
          + " for this direct-link space; set directLinkPrivateKey and directLinkUid"), e.getMessage());
    }
  }

  @Test
  void link_unsignedWhileAuthOff_servesBytes() throws IOException {
    alice.urlAuth(null);
    try (Driver d = provider.open(Link123Config.unsigned(vip.treeOf(alice.uid(), FakeStore.ROOT)), context);
        Link.Content c = d.link("/docs/a b 我.txt").open()) {
      assertArrayEquals(HELLO, c.body().readAllBytes());
    }
  }

  @Test
  void strictCdn_refusesSignatureOverEncodedPath_acceptsOurs() {
    // Vector B's negative on the wire: a signer that hashes the percent-encoded path is rejected by
    // a CDN that checks only the decoded path (the fake's default, set here to say so; pan4j signs
    // the decoded path, the form both kinds of CDN accept).
    vip.acceptEncodedPathSignatures(false);
    String url = vip.urlOf(hello);
    long ts = clock.instant().plusSeconds(600).getEpochSecond();
    String encodedPath = url.substring(cloud.baseUrl("vip").length());
    String bad = url + "?auth_key=" + ts + "-1-" + alice.uid() + "-" + AuthKeySigner.digest(encodedPath, ts, "1", alice.uid(), "mykey");
    Link link = Link.builder(bad).opener(io.github.pan4j.core.internal.http.HttpLinks.opener(context.httpClient())).build();
    assertEquals(ErrorKind.EXPIRED, assertThrows(DriveException.class, link::open).kind());
    String good = AuthKeySigner.sign(url, Secret.of("mykey"), alice.uid(), Instant.ofEpochSecond(ts), 1L);
    Link.builder(good).opener(io.github.pan4j.core.internal.http.HttpLinks.opener(context.httpClient())).build().open().close();
  }

  @Test
  void link_fileGoneFromCdn_isNotFound() {
    try (Driver d = signed()) {
      Link link = d.link("/docs/a b 我.txt");
      cloud.store().trash(hello);
      assertEquals(ErrorKind.NOT_FOUND, assertThrows(DriveException.class, link::open).kind());
    }
  }

  @Test
  void link_cdnFailures_areTypedAndRetryable() {
    try (Driver d = signed()) {
      Link link = d.link("/docs/a b 我.txt");
      cloud.inject("vip", req -> true, Fault.html(502), 1);
      DriveException e502 = assertThrows(DriveException.class, link::open);
      assertEquals(ErrorKind.PROVIDER_ERROR, e502.kind());
      assertTrue(e502.retryable());
      // Fault.disconnect() closes the socket "on request start", which MockWebServer only honours
      // for queued responses, not for a dispatcher's; drop the connection at response start instead.
      // OkHttp retries a dropped GET once on its own, hence more than one.
      cloud.inject("vip", req -> true, Fault.response("drop", new MockResponse.Builder()
          .onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build()), 3);
      DriveException dropped = assertThrows(DriveException.class, link::open);
      cloud.clearFaults();
      assertEquals(ErrorKind.NETWORK, dropped.kind());
      assertTrue(dropped.retryable());
    }
  }

  @Test
  void link_cdnGatewayPage_namesDriverAndFile_andKeepsTheStatus() {
    try (Driver d = signed()) {
      Link link = d.link("/docs/a b 我.txt");
      cloud.inject("vip", req -> true, Fault.html(503), 1);
      DriveException e = assertThrows(DriveException.class, link::open);
      assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
      assertTrue(e.retryable());
      assertEquals("123link", e.driverId().orElseThrow());
      assertEquals("download", e.operation().orElseThrow());
      assertEquals("/docs/a b 我.txt", e.target().orElseThrow());
      assertEquals("503", e.providerCode().orElseThrow());
      assertTrue(e.providerMessage().orElseThrow().contains("<title>503 Service Temporarily Unavailable</title>"),
          e::getMessage);
      assertFalse(e.getMessage().contains("\n"), "the gateway's page is told on one line: " + e.getMessage());
    }
  }

  @Test
  void link_cdnThrottles_isRateLimitedAndRetryable_namingTheFile() {
    try (Driver d = signed()) {
      Link link = d.link("/docs/a b 我.txt");
      cloud.inject("vip", req -> true, Fault.response("429", new MockResponse.Builder().code(429)
          .setHeader("Retry-After", "5").body("Too Many Requests").build()), 1);
      DriveException e = assertThrows(DriveException.class, link::open);
      assertEquals(ErrorKind.RATE_LIMITED, e.kind());
      assertTrue(e.retryable());
      assertEquals("/docs/a b 我.txt", e.target().orElseThrow());
      assertEquals("429", e.providerCode().orElseThrow());
    }
  }

  @Test
  void get_cdnStallsMidBody_failsOnTheReadTimeout_andLeavesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    // The CDN sends the head and then nothing: the socket's read timeout must end the download.
    okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().readTimeout(Duration.ofMillis(500)).build();
    DriverContext ctx = context.toBuilder().httpClient(http).build();
    java.nio.file.Path target = dir.resolve("a.txt");
    try (io.github.pan4j.core.Drive d = io.github.pan4j.core.Drive.of(provider.open(Link123Config.signed(
        vip.treeOf(alice.uid(), FakeStore.ROOT), Secret.of("mykey"), alice.uid()).withValidity(Duration.ofMinutes(30)), ctx))) {
      cloud.inject("vip", req -> true, Fault.response("stall mid-body", new MockResponse.Builder().code(200)
          .body(new String(HELLO, StandardCharsets.UTF_8)).onResponseBody(SocketEffect.Stall.INSTANCE).build()), 1);
      long start = System.nanoTime();
      DriveException e = assertThrows(DriveException.class, () -> d.get("/docs/a b 我.txt", target));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertTrue(ms < 30_000, "gave up after " + ms + " ms");
    } finally {
      http.dispatcher().cancelAll();
      http.connectionPool().evictAll();
    }
    try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
      assertEquals(java.util.List.of(), left.toList(), "no partial file");
    }
  }

  // ------------------------------------------------------------------ holes of the fault matrix (docs/testing.md)

  /** The CDN drops the connection half-way through the body: NETWORK, retryable, naming the path, no partial file. */
  @Test
  void get_cdnDropsTheConnectionMidBody_isRetryableNetwork_namingThePath_andLeavesNothing(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    byte[] content = new byte[200_000];
    new java.util.Random(4).nextBytes(content);
    Node docs = cloud.store().child(alice.uid(), FakeStore.ROOT, "docs").orElseThrow();
    cloud.store().createFile(alice.uid(), docs.id(), "big.bin", cloud.store().putBlob(content));
    java.nio.file.Path target = dir.resolve("big.bin");
    try (io.github.pan4j.core.Drive d = io.github.pan4j.core.Drive.of(signed())) {
      cloud.inject("vip", req -> true, Fault.response("drop mid-body", new MockResponse.Builder().code(200)
          .body(new okio.Buffer().write(content)).onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build()), 1);
      DriveException e = assertThrows(DriveException.class, () -> d.get("/docs/big.bin", target));
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertFalse(e.mayHaveTakenEffect());
      assertEquals("123link", e.driverId().orElseThrow());
      assertEquals("/docs/big.bin", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("broke off after 100000 of 200000 bytes")
          && e.getMessage().contains("download it again"), e::getMessage);
    }
    assertEquals(1, cloud.requests("vip", "/").size(), "one request: the caller decides about a new one");
    try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
      assertEquals(java.util.List.of(), left.toList(), "no partial file");
    }
  }

  /**
   * A network's sign-in page answering the direct link with HTTP 200 in the CDN's place: the size
   * known from the tree tells it is not the file, so the get fails as INTEGRITY, says to download
   * again, and leaves no file.
   */
  @Test
  void get_answeredByANetworksSignInPage_isIntegrity_sayingWhatToDo_andLeavesNothing(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    java.nio.file.Path target = dir.resolve("a.txt");
    try (io.github.pan4j.core.Drive d = io.github.pan4j.core.Drive.of(signed())) {
      cloud.inject("vip", req -> true, Fault.response("sign-in page", new MockResponse.Builder().code(200)
          .setHeader("Content-Type", "text/html").body("<html><head><title>Hotel WiFi sign-in</title></head></html>").build()), 1);
      DriveException e = assertThrows(DriveException.class, () -> d.get("/docs/a b 我.txt", target));
      assertEquals(ErrorKind.INTEGRITY, e.kind(), e::getMessage);
      assertEquals("123link", e.driverId().orElseThrow());
      assertEquals("/docs/a b 我.txt", e.target().orElseThrow());
      assertTrue(e.getMessage().contains(HELLO.length + " bytes") && e.getMessage().contains("the file has"), e::getMessage);
      assertTrue(e.getMessage().contains("download it again"), e::getMessage);
    }
    try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
      assertEquals(java.util.List.of(), left.toList(), "no partial file");
    }
  }
}
