package io.github.pan4j.driver.open123;

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
import org.junit.jupiter.api.Test;

/**
 * A full account, and {@code duplicate} read the other way round: the fake refuses an upload that
 * does not fit into the account's space (as a real account does), and the driver must say so
 * plainly, once, with nothing stored; and it must send the documented {@code duplicate} values.
 */
class Open123AccountSpaceTest extends Open123Fixture {
  private static final String CREATE = "/upload/v2/file/create";
  private static final String SINGLE = "/upload/v2/file/single/create";

  private long leaveRoomFor(long bytes) {
    long used = store.spaceUsed(demo.uid());
    demo.spacePermanent(used + bytes);
    return used;
  }

  private void assertSpaceFull(DriveException e, long used, long size) {
    assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("the account's space is full: " + used + " of " + (used + 1000) + " bytes used"),
        e.getMessage());
    assertTrue(e.getMessage().contains("this file needs " + size), e.getMessage());
    assertTrue(e.getMessage().contains("free space"), e.getMessage());
    assertEquals("1", e.providerCode().orElseThrow());
    assertEquals("存储空间不足", e.providerMessage().orElseThrow());
    assertTrue(e.traceId().isPresent(), "123's trace id is kept");
  }

  @Test
  void smallFile_pastTheSpace_quotaExceeded_sentOnce_nothingStored() {
    long used = leaveRoomFor(1000);
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "big.txt", UploadSource.ofBytes(Open123UploadTest.bytes(2000, 1)), UploadOptions.DEFAULT));
    assertSpaceFull(e, used, 2000);
    assertEquals(1, calls("upload", SINGLE), "not retried");
    assertTrue(store.child(demo.uid(), 0, "big.txt").isEmpty(), "nothing stored");
    assertEquals(used, store.spaceUsed(demo.uid()));

    Entry fits = d.upload("0", "fits.txt", UploadSource.ofBytes(Open123UploadTest.bytes(1000, 2)), UploadOptions.DEFAULT);
    assertEquals(1000, fits.size(), "what is left is usable");
  }

  /**
   * The figures of a space-full error are a courtesy: when user/info is rate-limited (HTTP 429 with
   * a Retry-After), the refusal comes at once without them, not after waiting out the limit.
   */
  @Test
  void spaceFull_userInfoRateLimited_refusalAtOnce_withoutFigures() {
    long used = leaveRoomFor(1000);
    Open123Driver d = driver();
    // Only the look after the refusal: the upload's own user/info before it is answered as usual.
    java.util.concurrent.atomic.AtomicInteger looksAfter = new java.util.concurrent.atomic.AtomicInteger();
    cloud.inject("open", r -> r.path().equals("/api/v1/user/info") && calls("upload", SINGLE) > 0
        && looksAfter.incrementAndGet() > 0, io.github.pan4j.testkit.fake.Fault.response("429",
        new mockwebserver3.MockResponse.Builder().code(429).setHeader("Retry-After", "30")
            .setHeader("Content-Type", "application/json").body("{\"code\":429,\"message\":\"请求太频繁\"}").build()),
        Integer.MAX_VALUE);
    java.time.Duration sleptBefore = clock.totalSlept();
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "big.txt", UploadSource.ofBytes(Open123UploadTest.bytes(2000, 5)), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
    assertTrue(e.getMessage().contains("the account's space is full; free space"), e.getMessage());
    assertEquals(java.time.Duration.ZERO, clock.totalSlept().minus(sleptBefore), "no wait for the courtesy figures");
    assertEquals(1, looksAfter.get(), "user/info asked once after the refusal");
    assertTrue(store.child(demo.uid(), 0, "big.txt").isEmpty(), "nothing stored");
    assertEquals(used, store.spaceUsed(demo.uid()));
  }

  @Test
  void slicedFile_pastTheSpace_refusedAtCreate_noSliceSent() {
    long used = leaveRoomFor(1000);
    Open123Driver d = driver();
    int size = (1 << 20) + 1; // above the single-request limit: create, then slices
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "big.bin", UploadSource.ofBytes(Open123UploadTest.bytes(size, 3)), UploadOptions.DEFAULT));
    assertSpaceFull(e, used, size);
    assertEquals(1, calls("open", CREATE), "not retried");
    assertEquals(0, calls("upload", "/upload/v2/file/slice"));
    assertTrue(store.child(demo.uid(), 0, "big.bin").isEmpty());
  }

  @Test
  void instantUpload_pastTheSpace_isRefusedToo() {
    byte[] known = Open123UploadTest.bytes(2000, 4);
    store.putBlob(known);
    long used = leaveRoomFor(1000);
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class, () -> d.upload("0", "copy.bin",
        UploadSource.ofHashes(known.length, Open123HashUploadTest.hex("MD5", known), null), UploadOptions.DEFAULT));
    assertSpaceFull(e, used, known.length);
    assertTrue(store.child(demo.uid(), 0, "copy.bin").isEmpty());
  }

  /**
   * The driver sends 2 to overwrite and 1 to keep both, as documented: right against the default
   * fake, and visibly wrong against one that reads them the other way round (so a driver that relied
   * on the swapped reading would fail the first half).
   */
  @Test
  void conflictPolicies_followTheDocumentedDuplicate_notTheSwappedOne() {
    door.qpsEnabled(false);
    Open123Driver d = driver();
    int sliced = (1 << 20) + 7;
    for (int size : new int[] {100, sliced}) {
      String name = "f" + size + ".bin";
      d.upload("0", name, UploadSource.ofBytes(Open123UploadTest.bytes(size, 10)), UploadOptions.DEFAULT);
      byte[] newer = Open123UploadTest.bytes(size, 11);
      Entry over = d.upload("0", name, UploadSource.ofBytes(newer), UploadOptions.of(ConflictPolicy.OVERWRITE));
      assertEquals(name, over.name());
      assertArrayEquals(newer, Open123UploadTest.download(d, over.id()));
      Entry both = d.upload("0", name, UploadSource.ofBytes(Open123UploadTest.bytes(size, 12)),
          UploadOptions.of(ConflictPolicy.KEEP_BOTH));
      assertNotEquals(name, both.name());
    }
    long live = store.children(demo.uid(), 0, false).size();
    assertEquals(4, live);

    door.duplicateSwapped(true);
    Entry swapped = d.upload("0", "f100.bin", UploadSource.ofBytes(Open123UploadTest.bytes(100, 13)),
        UploadOptions.of(ConflictPolicy.OVERWRITE));
    assertNotEquals("f100.bin", swapped.name(), "a swapped server keeps both where the driver asked to overwrite");
  }
}
