package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full account, and {@code duplicate} read the other way round, over HTTP against the fake web
 * API: an upload past the account's space is refused once, clearly, with nothing stored; the
 * conflict policies send the duplicate values most clients send.
 */
class Pan123AccountSpaceTest {
  private static final String UPLOAD_REQUEST = "/b/api/file/upload_request";

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Whatever code comes with a text of 空间不足 (the default 400, or 1, which would otherwise be retried). */
  @ParameterizedTest
  @ValueSource(ints = {400, 1, 5054})
  void uploadPastTheSpace_quotaExceeded_sentOnce_nothingStored(int code) {
    fake.web().spaceFull(code, "存储空间不足");
    long used = fake.store().spaceUsed(fake.demo().uid());
    fake.demo().spacePermanent(used + 1000);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> ((Driver.Upload) d).upload("0", "big.bin",
          UploadSource.ofBytes(bytes(2000, 1)), UploadOptions.DEFAULT));
      assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("the account's space is full: " + used + " of " + (used + 1000)
          + " bytes used, this file needs 2000"), e.getMessage());
      assertTrue(e.getMessage().contains("free space"), e.getMessage());
      assertEquals(String.valueOf(code), e.providerCode().orElseThrow());
      assertEquals("存储空间不足", e.providerMessage().orElseThrow());
      assertEquals(1, fake.cloud().requests("web", UPLOAD_REQUEST).size(), "not retried");
      assertTrue(fake.store().child(fake.demo().uid(), FakeStore.ROOT, "big.bin").isEmpty(), "nothing stored");

      Entry fits = ((Driver.Upload) d).upload("0", "fits.bin", UploadSource.ofBytes(bytes(1000, 2)), UploadOptions.DEFAULT);
      assertEquals(1000, fits.size(), "what is left is usable");
    }
  }

  /**
   * The figures are a courtesy: when user/info is rate-limited (HTTP 429 with a Retry-After), the
   * refusal comes at once without them, not after waiting out the limit.
   */
  @Test
  void uploadPastTheSpace_userInfoRateLimited_refusalAtOnce_withoutFigures() {
    long used = fake.store().spaceUsed(fake.demo().uid());
    fake.demo().spacePermanent(used + 1000);
    java.util.concurrent.atomic.AtomicInteger looksAfter = new java.util.concurrent.atomic.AtomicInteger();
    fake.cloud().inject("web", r -> r.path().equals("/b/api/user/info")
            && !fake.cloud().requests("web", UPLOAD_REQUEST).isEmpty() && looksAfter.incrementAndGet() > 0,
        io.github.pan4j.testkit.fake.Fault.response("429", new mockwebserver3.MockResponse.Builder().code(429)
            .setHeader("Retry-After", "30").setHeader("Content-Type", "application/json")
            .body("{\"code\":429,\"message\":\"请求太频繁\"}").build()), Integer.MAX_VALUE);
    try (Driver d = fake.open()) {
      java.time.Duration sleptBefore = fake.clock().totalSlept();
      DriveException e = assertThrows(DriveException.class, () -> ((Driver.Upload) d).upload("0", "big.bin",
          UploadSource.ofBytes(bytes(2000, 5)), UploadOptions.DEFAULT));
      assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("the account's space is full; free space"), e.getMessage());
      assertEquals(java.time.Duration.ZERO, fake.clock().totalSlept().minus(sleptBefore), "no wait for the figures");
      assertEquals(1, looksAfter.get(), "user/info asked once after the refusal");
    }
  }

  @Test
  void instantUploadPastTheSpace_isRefusedToo() {
    byte[] known = bytes(2000, 3);
    fake.store().putBlob(known);
    fake.demo().spacePermanent(fake.store().spaceUsed(fake.demo().uid()) + 1000);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> ((Driver.Upload) d).upload("0", "copy.bin",
          UploadSource.ofBytes(known), UploadOptions.DEFAULT));
      assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
      assertTrue(fake.store().child(fake.demo().uid(), FakeStore.ROOT, "copy.bin").isEmpty());
    }
  }

  /**
   * OVERWRITE sends 2 and KEEP_BOTH 1: right against the default fake, visibly wrong against one that
   * reads them swapped (so a driver relying on the swapped reading would fail the first half).
   */
  @Test
  void conflictPolicies_followTheMajorityDuplicate_notTheSwappedOne() {
    try (Driver d = fake.open()) {
      Driver.Upload up = (Driver.Upload) d;
      up.upload("0", "a.txt", UploadSource.ofBytes("old".getBytes(StandardCharsets.UTF_8)), UploadOptions.DEFAULT);
      byte[] newer = "newer".getBytes(StandardCharsets.UTF_8);
      Entry over = up.upload("0", "a.txt", UploadSource.ofBytes(newer), UploadOptions.of(ConflictPolicy.OVERWRITE));
      assertEquals("a.txt", over.name());
      assertArrayEquals(newer, fake.store().node(fake.demo().uid(), Long.parseLong(over.id())).orElseThrow().blob().bytes());
      Entry both = up.upload("0", "a.txt", UploadSource.ofBytes("both".getBytes(StandardCharsets.UTF_8)),
          UploadOptions.of(ConflictPolicy.KEEP_BOTH));
      assertNotEquals("a.txt", both.name());
      assertEquals(2, fake.store().children(fake.demo().uid(), FakeStore.ROOT, false).size());

      fake.web().duplicateSwapped(true);
      Entry swapped = up.upload("0", "a.txt", UploadSource.ofBytes("swapped".getBytes(StandardCharsets.UTF_8)),
          UploadOptions.of(ConflictPolicy.OVERWRITE));
      assertNotEquals("a.txt", swapped.name(), "a swapped server keeps both where the driver asked to overwrite");
    }
  }
}
