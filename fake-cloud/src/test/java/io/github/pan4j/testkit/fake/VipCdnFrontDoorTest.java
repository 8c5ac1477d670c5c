package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VipCdnFrontDoorTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  private FakeCloud cloud;
  private VipCdnFrontDoor vip;
  private Account alice;
  private Node file;
  private final OkHttpClient http = new OkHttpClient();

  @BeforeEach
  void setUp() {
    vip = new VipCdnFrontDoor();
    cloud = FakeCloud.builder().clock(clock).door(vip).build().start();
    FakeStore store = cloud.store();
    alice = store.createAccount("alice").urlAuth("mykey");
    Node space = store.mkdir(alice.uid(), FakeStore.ROOT, "direct");
    store.setDirectLinkSpace(space, true);
    file = store.createFile(alice.uid(), space.id(), "a b 我.txt", store.putBlob("hello, world".getBytes(StandardCharsets.UTF_8)));
  }

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  @Test
  void signedUrl_servesBytesAndRanges() throws Exception {
    String signed = sign(vip.urlOf(file), "mykey", alice.uid(), clock.instant().plusSeconds(60));
    try (Response r = get(signed, null)) {
      assertEquals(200, r.code());
      assertEquals("hello, world", r.body().string());
    }
    try (Response r = get(signed, "bytes=7-11")) {
      assertEquals(206, r.code());
      assertEquals("bytes 7-11/12", r.header("Content-Range"));
      assertArrayEquals("world".getBytes(StandardCharsets.UTF_8), r.body().bytes());
    }
  }

  /**
   * Positions too large for a long: nginx's range parser refuses them with 416 (it stops at the
   * largest file offset), although HTTP sets no bound; never a server failure.
   */
  @Test
  void rangeNumbersBeyondALong_are416_asNginxAnswers_notAServerFailure() throws Exception {
    String signed = sign(vip.urlOf(file), "mykey", alice.uid(), clock.instant().plusSeconds(60));
    for (String range : new String[] {"bytes=7-99999999999999999999", "bytes=-99999999999999999999", "bytes=99999999999999999999-"}) {
      try (Response r = get(signed, range)) {
        assertEquals(416, r.code(), range);
        assertEquals("bytes */12", r.header("Content-Range"));
        assertEquals("text/html", r.header("Content-Type"));
        assertTrue(r.body().string().contains("<title>416 Requested Range Not Satisfiable</title>"), "nginx's error page");
      }
    }
    try (Response r = get(signed, "bytes=7-9223372036854775807")) { // the largest long: past the end, to the end
      assertEquals(206, r.code());
      assertEquals("bytes 7-11/12", r.header("Content-Range"));
    }
  }

  @Test
  void unsignedWrongKeyOrExpired_are403() throws Exception {
    try (Response r = get(vip.urlOf(file), null)) {
      assertEquals(403, r.code());
    }
    try (Response r = get(sign(vip.urlOf(file), "wrong", alice.uid(), clock.instant().plusSeconds(60)), null)) {
      assertEquals(403, r.code());
    }
    String signed = sign(vip.urlOf(file), "mykey", alice.uid(), clock.instant().plusSeconds(60));
    clock.advance(Duration.ofSeconds(61));
    try (Response r = get(signed, null)) {
      assertEquals(403, r.code());
    }
  }

  @Test
  void graceAfterTheExpiry_noneByDefault_aSetting() throws Exception {
    String signed = sign(vip.urlOf(file), "mykey", alice.uid(), clock.instant().plusSeconds(60));
    clock.advance(Duration.ofSeconds(60));
    try (Response r = get(signed, null)) {
      assertEquals(200, r.code(), "valid through its expiry second");
    }
    clock.advance(Duration.ofSeconds(30));
    try (Response r = get(signed, null)) {
      assertEquals(403, r.code(), "no grace by default");
    }
    new FakeSettings(cloud).apply(io.github.pan4j.core.internal.http.Json.mapper().readTree("{\"cdn.authKeyGrace\": 60}"));
    try (Response r = get(signed, null)) {
      assertEquals(200, r.code(), "30 s past its expiry, within a grace of 60 s");
    }
    clock.advance(Duration.ofSeconds(31));
    try (Response r = get(signed, null)) {
      assertEquals(403, r.code(), "past the grace");
    }
  }

  @Test
  void fileOutsideDirectLinkSpace_is404() throws Exception {
    alice.urlAuth(null);
    Node outside = cloud.store().createFile(alice.uid(), FakeStore.ROOT, "x.txt", cloud.store().putBlob(new byte[] {1}));
    try (Response r = get(vip.urlOf(outside), null)) {
      assertEquals(404, r.code());
    }
  }

  @Test
  void injectedFault_isServedOnceThenRealAnswer() throws Exception {
    alice.urlAuth(null);
    cloud.inject("vip", req -> true, Fault.html(502), 1);
    try (Response r = get(vip.urlOf(file), null)) {
      assertEquals(502, r.code());
      assertEquals("text/html", r.header("Content-Type"));
    }
    try (Response r = get(vip.urlOf(file), null)) {
      assertEquals(200, r.code());
    }
    assertEquals(2, cloud.requests("vip", "/").size());
  }

  /**
   * {@link Fault#holdMidBody} on this server: the client has the head and the first half of the
   * body (6 of the 12 bytes, far less than a socket buffer) while the hold runs, and the rest once
   * it returns. Read on a raw socket, so no client's buffering decides what "arrived" means; a
   * byte the fake does not send fails the read after 5 s instead of hanging.
   */
  @Test
  void holdMidBody_sendsTheFirstHalfBeforeTheHold_andTheRestOnceItReturns() throws Exception {
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    cloud.inject("vip", r -> true, Fault.holdMidBody(() -> {
      holding.countDown();
      try {
        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }), 1);
    okhttp3.HttpUrl url = okhttp3.HttpUrl.get(sign(vip.urlOf(file), "mykey", alice.uid(), clock.instant().plusSeconds(60)));
    try (java.net.Socket s = new java.net.Socket(url.host(), url.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + url.encodedPath() + "?" + url.encodedQuery() + " HTTP/1.1\r\nHost: " + url.host()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      java.io.InputStream in = s.getInputStream();
      java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        assertTrue(b >= 0, "the answer ended in its head: " + head);
        head.write(b);
      }
      assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 "), head.toString(StandardCharsets.ISO_8859_1));
      assertArrayEquals("hello,".getBytes(StandardCharsets.UTF_8), in.readNBytes(6), "the first half arrived");
      // The fake flushes the first half and then enters the hold: the reader may be quicker than
      // the server thread's next step, so it waits for the hold rather than looking at an instant.
      // Nothing releases the hold before this line, so the first half arrived while the rest was held.
      assertTrue(holding.await(5, java.util.concurrent.TimeUnit.SECONDS), "and the hold runs");
      release.countDown();
      assertArrayEquals(" world".getBytes(StandardCharsets.UTF_8), in.readNBytes(6), "the rest followed the hold");
    } finally {
      release.countDown();
    }
  }

  private Response get(String url, String range) throws Exception {
    Request.Builder b = new Request.Builder().url(url);
    if (range != null) b.header("Range", range);
    return http.newCall(b.build()).execute();
  }

  /** The CDN's rule written out here, independently of the drivers' signer. */
  private static String sign(String url, String key, long uid, java.time.Instant expires) {
    okhttp3.HttpUrl u = okhttp3.HttpUrl.get(url);
    String path = "/" + String.join("/", u.pathSegments());
    long ts = expires.getEpochSecond();
    String md5 = Digests.md5((path + "-" + ts + "-n1-" + uid + "-" + key).getBytes(StandardCharsets.UTF_8));
    return u.newBuilder().addQueryParameter("auth_key", ts + "-n1-" + uid + "-" + md5).build().toString();
  }

  /**
   * RFC 3986 allows {@code [} and {@code ]} only around an IPv6 host: java.net.URI (and so
   * java.net.http) refuses a link with them raw in its path, as a Go server's
   * {@code url.PathEscape} would never write it.
   */
  @Test
  void urlOf_isAValidUri_forStrictClients_evenWithBracketsInTheName() throws Exception {
    Node photo = cloud.store().createFile(alice.uid(), file.parentId(), "photo[1] {x}.jpg",
        cloud.store().putBlob("jpeg".getBytes(StandardCharsets.UTF_8)));
    String url = vip.urlOf(photo);
    // java.net.http.HttpRequest.newBuilder takes a java.net.URI: this is the parse it makes.
    java.net.URI uri = java.net.URI.create(sign(url, "mykey", alice.uid(), clock.instant().plusSeconds(60)));
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) uri.toURL().openConnection();
    try {
      assertEquals(200, c.getResponseCode());
      assertEquals("jpeg", new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      c.disconnect();
    }
  }
}
