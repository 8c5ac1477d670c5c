package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The driver against each answer the fake offers where the web protocol is not known (the
 * wrong-password reply, a download of a file refused by review, the risk-control codes 1010 and
 * 50001, {@code Next} on a page that is not the last), over HTTP.
 */
class Pan123UnknownAnswersTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  /** Whatever code 123 gives a wrong password, a text that says so is a refused sign-in, never retried. */
  @ParameterizedTest
  @CsvSource({"401, 账号或密码错误", "1, 账号或密码错误", "403, 密码错误", "400, 账号或密码错误", "5001, 用户名或密码不正确"})
  void wrongPassword_anyCode_isUnauthenticated_andSignedInOnce(int code, String text) {
    fake.web().wrongPassword(code, text);
    Map<String, String> o = fake.options();
    o.put("password", "not-the-password");
    try (Driver d = fake.open(o)) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind(), e.toString());
      assertFalse(e.retryable(), e.toString());
      assertTrue(e.getMessage().contains("password"), e.getMessage());
      assertEquals(String.valueOf(code), e.providerCode().orElseThrow());
      assertEquals(text, e.providerMessage().orElseThrow());
      assertThrows(DriveException.class, () -> d.list("0", null));
    }
    assertEquals(1, fake.web().loginAttempts(), "signed in once");
  }

  /** The sign-in walls are read from their texts: whatever code 123 gives them, the kind stays. */
  @ParameterizedTest
  @CsvSource({"SECURITY_RISK, 1, VERIFICATION_REQUIRED", "SECURITY_RISK, 400, VERIFICATION_REQUIRED",
      "CAPTCHA_REQUIRED, 401, VERIFICATION_REQUIRED", "DEVICE_LIMIT, 1, DEVICE_LIMIT", "BLOCKED, 400, DEVICE_LIMIT",
      "TOO_FREQUENT, 1, RATE_LIMITED", "TOO_FREQUENT, 403, RATE_LIMITED"})
  void signInWalls_anyCode_keepTheirKind_andAreNotRetried(WebFrontDoor.LoginFailure failure, int code, ErrorKind kind) {
    fake.web().failAllLogins(failure).loginFailureCode(code);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(kind, e.kind(), e.toString());
      assertFalse(e.retryable(), e.toString());
    }
    assertEquals(1, fake.web().loginAttempts(), "signed in once");
  }

  private Node file(String name, String content) {
    Blob b = fake.store().putBlob(content.getBytes(StandardCharsets.UTF_8));
    return fake.store().createFile(fake.demo().uid(), 0, name, b);
  }

  private static byte[] read(Link link) throws Exception {
    try (var c = link.open()) {
      return c.body().readAllBytes();
    }
  }

  /** A file refused by review: served as any file by default; refused (any code) as a blocked file, not retried. */
  @Test
  void fileRefusedByReview_downloadsByDefault_andIsPermissionDeniedWhenRefused() throws Exception {
    Node blocked = file("blocked.txt", "blocked");
    fake.store().setReviewStatus(blocked, 104);
    try (Driver d = fake.open()) {
      assertArrayEquals("blocked".getBytes(StandardCharsets.UTF_8), read(d.link(Long.toString(blocked.id()))));
      for (int code : new int[] {5066, 400, 1}) {
        fake.web().reviewRefusedDownloadCode(code);
        DriveException e = assertThrows(DriveException.class, () -> read(d.link(Long.toString(blocked.id()))));
        assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), code + ": " + e);
        assertFalse(e.retryable(), code + ": " + e);
        assertTrue(e.getMessage().contains("review"), e.getMessage());
        assertEquals("文件已失效", e.providerMessage().orElseThrow());
      }
    }
  }

  /** 1010 and 50001 are risk control, as 50002: the driver asks again and gets the file. */
  @Test
  void riskControl1010And50001_areRetried() throws Exception {
    Node f = file("a.txt", "content");
    try (Driver d = fake.open()) {
      fake.web().downloadRiskControlRates(1, 0);
      assertArrayEquals("content".getBytes(StandardCharsets.UTF_8), read(d.link(Long.toString(f.id()))));
      fake.web().downloadRiskControlRates(0, 1);
      assertArrayEquals("content".getBytes(StandardCharsets.UTF_8), read(d.link(Long.toString(f.id()))));
    }
  }

  /** Pages are read by number until Next is "-1", whatever Next holds on the pages before. */
  @Test
  void listing_isComplete_whateverNextHolds() {
    long folder = fake.store().mkdir(fake.demo().uid(), 0, "bulk").id();
    Blob b = fake.store().putBlob(new byte[] {7});
    for (int i = 0; i < 250; i++) fake.store().createFile(fake.demo().uid(), folder, "f" + i, b);
    for (WebFrontDoor.ListNext mode : WebFrontDoor.ListNext.values()) {
      fake.web().listNext(mode);
      try (Driver d = fake.open()) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
          Page p = d.list(Long.toString(folder), cursor);
          for (Entry e : p.entries()) assertTrue(ids.add(e.id()), mode + " listed " + e.id() + " twice");
          cursor = p.nextCursor();
        } while (cursor != null);
        assertEquals(250, ids.size(), mode.name());
      }
    }
  }
}
