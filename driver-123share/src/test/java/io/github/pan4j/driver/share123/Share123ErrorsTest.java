package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Share;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The share's typed failures, over HTTP against the fake share door. */
class Share123ErrorsTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new, ShareFrontDoor::new).driver("123share");

  private DriveException listFails(Map<String, String> options) {
    try (Driver d = fake.open(options)) {
      return assertThrows(DriveException.class, () -> d.list(d.rootId(), null));
    }
  }

  @Test
  void list_codeFromUrl_works_andPasswordOptionWins() {
    fake.file("", "a.txt", "A".getBytes());
    try (Driver d = fake.open()) {
      assertEquals(List.of("a.txt"), d.list("0", null).entries().stream().map(Entry::name).toList());
    }
    Map<String, String> o = fake.options();
    o.put("shareUrl", FakeCloudExtension.SHARE_KEY + " 提取码：zzzz");
    o.put("password", FakeCloudExtension.SHARE_PASSWORD.toUpperCase());
    try (Driver d = fake.open(o)) {
      assertEquals(1, d.list("0", null).entries().size());
    }
  }

  @Test
  void close_cancelsAListingInFlight() throws Exception {
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.closed();
    fake.cloud().inject("web", r -> r.path().equals("/b/api/share/get"),
        io.github.pan4j.testkit.fake.Fault.hold(gate::hold), Integer.MAX_VALUE);
    Driver d = fake.open();
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        d.list(d.rootId(), null);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    try {
      caller.start();
      assertTrue(gate.awaitArrived(1, Duration.ofSeconds(20)), "the listing reached the share server");
      d.close();
      caller.join(10_000);
      assertFalse(caller.isAlive(), "the listing must return while the server still holds it");
      DriveException e = (DriveException) thrown.get();
      assertEquals(ErrorKind.CANCELLED, e.kind(), String.valueOf(e));
      assertEquals(1, gate.arrived(), "not repeated after the close");
    } finally {
      gate.release();
    }
  }

  @Test
  void wrongCode_isPasswordRequired() {
    Map<String, String> o = fake.options();
    o.put("password", "nope");
    DriveException e = listFails(o);
    assertEquals(ErrorKind.PASSWORD_REQUIRED, e.kind());
    assertEquals("5103", e.providerCode().orElseThrow());
    assertFalse(e.getMessage().contains("nope"));
  }

  @Test
  void missingCode_isPasswordRequired() {
    Map<String, String> o = fake.options();
    o.put("shareUrl", FakeCloudExtension.SHARE_KEY);
    assertEquals(ErrorKind.PASSWORD_REQUIRED, listFails(o).kind());
  }

  /**
   * An expired share is EXPIRED whether 123 answers 5104 or {@code Expired: true} in a {@code code 0}
   * listing (the fake's share.expiredReply), never an empty folder.
   */
  @ParameterizedTest
  @EnumSource(ShareFrontDoor.ExpiredReply.class)
  void expiredShare_isExpired(ShareFrontDoor.ExpiredReply reply) {
    fake.shares().expiredReply(reply);
    fake.store().createShare(new Share("old-share", null, fake.demo().uid(), fake.shared().id(), fake.clock().instant().minusSeconds(1)));
    Map<String, String> o = fake.options();
    o.put("shareUrl", "https://www.123912.com/s/old-share.html");
    DriveException e = listFails(o);
    assertEquals(ErrorKind.EXPIRED, e.kind());
    assertTrue(e.getMessage().contains("new link"), e.getMessage());
  }

  @Test
  void malformedKey_isNotFound() {
    Map<String, String> o = fake.options();
    o.put("shareUrl", "https://www.123pan.com/s/bad~key");
    assertThrows(DriveException.class, () -> new Share123Provider().parse(o), "refused while parsing");
  }

  @Test
  void deletedShare_withoutCode_isPasswordRequiredNamingBothCauses() {
    fake.store().removeShare(FakeCloudExtension.SHARE_KEY);
    Map<String, String> o = fake.options();
    o.put("shareUrl", FakeCloudExtension.SHARE_KEY);
    DriveException e = listFails(o);
    // 123 answers 5103 for an unknown key and for a wrong code alike.
    assertEquals(ErrorKind.PASSWORD_REQUIRED, e.kind());
    assertTrue(e.getMessage().contains("share key"), e.getMessage());
  }

  @Test
  void folderOutsideShare_isNotFound() {
    long outside = fake.store().mkdir(fake.demo().uid(), 0, "private").id();
    try (Driver d = fake.open()) {
      assertEquals(ErrorKind.NOT_FOUND, assertThrows(DriveException.class, () -> d.list(Long.toString(outside), null)).kind());
    }
  }

  /** Whether 123 refuses with 5112 or 401 is open (the fake's share.loginRequiredCode): the same error either way. */
  @ParameterizedTest
  @ValueSource(ints = {5112, 401})
  void largeFile_withoutToken_isUnauthenticatedWithHint(int code) {
    fake.shares().loginThreshold(4).loginRequiredCode(code);
    fake.file("", "big.bin", "0123456789".getBytes());
    try (Driver d = fake.open()) {
      Entry big = d.list("0", null).entries().get(0);
      DriveException e = assertThrows(DriveException.class, () -> d.link(big.id()));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      assertEquals(String.valueOf(code), e.providerCode().orElseThrow());
      assertTrue(e.getMessage().contains("accessToken"), e.getMessage());
      // The way that needs no web sign-in at all is named too: a 123open drive of one's own account.
      assertTrue(e.getMessage().contains("download it through a 123open drive of your own account"), e.getMessage());
      assertTrue(e.getMessage().contains("--through-driver 123open"), e.getMessage());
    }
  }

  @Test
  void largeFile_withToken_downloads() throws IOException {
    fake.shares().loginThreshold(4);
    byte[] content = "0123456789".getBytes();
    fake.file("", "big.bin", content);
    String token = signIn();
    Map<String, String> o = fake.options();
    o.put("accessToken", token);
    try (Driver d = fake.open(o)) {
      Entry big = d.list("0", null).entries().get(0);
      Link link = d.link(big.id());
      assertTrue(link.preferProxy());
      assertEquals(fake.web().relayOrigin(), link.headers().get("Referer"));
      try (Link.Content c = link.open()) {
        assertArrayEquals(content, c.body().readAllBytes());
      }
      assertFalse(d.toString().contains(token));
    }
  }

  @Test
  void trafficLimit_isQuotaExceeded() {
    fake.demo().downloadQuota(3);
    fake.file("", "f.bin", "0123456789".getBytes());
    try (Driver d = fake.open()) {
      Entry f = d.list("0", null).entries().get(0);
      DriveException e = assertThrows(DriveException.class, () -> d.link(f.id()));
      assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind());
      assertEquals("5113", e.providerCode().orElseThrow());
      assertTrue(e.getMessage().contains("00:00 China time"), "says when the traffic comes back: " + e.getMessage());
      assertTrue(e.getMessage().contains("--through-driver 123open"), "names the way round it: " + e.getMessage());
      assertEquals("link", e.operation().orElseThrow());
      assertEquals(f.id(), e.target().orElseThrow());
    }
  }

  @Test
  void linkOpen_refusedByTheEdge_saysWhichDriverAndFile() {
    long id = fake.file("docs", "y.txt", "yes".getBytes()).id();
    try (Driver d = fake.open()) {
      Link link = d.link(Long.toString(id));
      fake.cloud().inject("cdn", r -> r.path().startsWith("/web-edge/"), io.github.pan4j.testkit.fake.Fault.response("503",
          new mockwebserver3.MockResponse.Builder().code(503).body("busy").build()), 1);
      DriveException e = assertThrows(DriveException.class, link::open);
      assertTrue(e.getMessage().startsWith("123share: download " + id + ": download refused with HTTP 503"), e.getMessage());
    }
  }

  @Test
  void link_idNeverListed_isFoundByWalkingTheShare() throws IOException {
    long id = fake.file("deep/er", "x.txt", "deep".getBytes()).id();
    try (Driver d = fake.open(); Link.Content c = d.link(Long.toString(id)).open()) {
      assertEquals("deep", new String(c.body().readAllBytes()));
    }
  }

  @Test
  void list_spacedByInterval() {
    fake.file("", "a.txt", "A".getBytes());
    try (Driver d = fake.open()) {
      Duration before = fake.clock().totalSlept();
      for (int i = 0; i < 4; i++) d.list("0", null);
      assertTrue(fake.clock().totalSlept().minus(before).compareTo(Duration.ofMillis(2000)) >= 0);
    }
  }

  /** A web token of the demo account, as a user would copy it from the browser. */
  private String signIn() {
    io.github.pan4j.core.spi.Driver pan = new io.github.pan4j.driver.pan123.Pan123Provider().openWith(Map.of(
        "username", io.github.pan4j.testkit.fake.WebFrontDoor.DEMO_PHONE,
        "password", io.github.pan4j.testkit.fake.WebFrontDoor.DEMO_PASSWORD,
        "apiBaseUrl", fake.cloud().baseUrl("web"), "loginBaseUrl", fake.cloud().baseUrl("login")), fake.context());
    pan.list("0", null);
    pan.close();
    return fake.web().liveTokens().get(0);
  }
}
