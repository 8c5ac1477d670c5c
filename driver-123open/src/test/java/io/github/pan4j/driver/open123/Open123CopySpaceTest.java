package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.testkit.fake.FakeOffline;
import io.github.pan4j.testkit.fake.Node;
import java.io.IOException;
import java.net.InetAddress;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Copies and offline downloads into a full account, over HTTP against the fake: a copy refused for
 * space is QUOTA_EXCEEDED in the words of an upload refused for space, sent once, nothing copied;
 * an offline task whose file does not fit ends FAILED with nothing stored.
 */
class Open123CopySpaceTest extends Open123Fixture {
  private static final String COPY = "/api/v1/file/copy";
  private static final String ASYNC_COPY = "/api/v1/file/async/copy";
  private final MockWebServer source = new MockWebServer();
  private Node dir;
  private Node file;
  private Node target;
  private long used;

  @BeforeEach
  void fill() throws IOException {
    source.start(InetAddress.getLoopbackAddress(), 0);
    dir = store.mkdir(demo.uid(), 0, "dir");
    file = store.createFile(demo.uid(), dir.id(), "big.bin", store.putBlob(Open123UploadTest.bytes(2000, 1)));
    target = store.mkdir(demo.uid(), 0, "target");
    used = store.spaceUsed(demo.uid());
    demo.spacePermanent(used + 1000);
  }

  @AfterEach
  void stopSource() {
    source.close();
  }

  private void assertSpaceFull(DriveException e, String needs) {
    assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
    assertFalse(e.retryable());
    assertFalse(e.mayHaveTakenEffect(), "refused before anything was copied");
    assertEquals("copy", e.operation().orElseThrow());
    assertTrue(e.getMessage().contains("the account's space is full: " + used + " of " + (used + 1000) + " bytes used"
        + needs + "; free space (delete files and empty the recycle bin, whose files count too) or get more space, then"
        + " copy again. Nothing was copied"), e.getMessage());
    assertFalse(e.getMessage().contains("download"), "not the daily download quota's advice: " + e.getMessage());
    assertEquals("1", e.providerCode().orElseThrow());
    assertEquals("存储空间不足", e.providerMessage().orElseThrow());
    assertTrue(e.traceId().isPresent(), "123's trace id is kept");
    assertTrue(store.children(demo.uid(), target.id(), false).isEmpty(), "nothing copied");
    assertEquals(used, store.spaceUsed(demo.uid()));
  }

  @Test
  void fileCopy_pastTheSpace_quotaExceeded_sentOnce() {
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class, () -> d.copy(Long.toString(file.id()), Long.toString(target.id())));
    assertSpaceFull(e, ", the copy needs 2000");
    assertEquals(1, calls("open", COPY), "not retried");
  }

  @Test
  void folderCopy_throughTheDrive_pastTheSpace_refusedAtSubmit_noTask() {
    try (Drive drive = fake.drive()) {
      DriveException e = assertThrows(DriveException.class, () -> drive.copy("/dir", "/target"));
      assertSpaceFull(e, "");
    }
    assertEquals(1, calls("open", ASYNC_COPY), "not retried");
    assertEquals(0, door.asyncCopy().taskCount());
  }

  @Test
  void offlineDownload_pastTheSpace_endsFailed_nothingStored() {
    source.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[1001])).build());
    Open123Driver d = driver();
    OfflineTask t = d.addOffline(source.url("/big.iso").toString(), Long.toString(target.id()));
    for (int i = 0; i < 10 && !t.finished(); i++) t = d.offlineTask(t.id());
    assertEquals(OfflineState.FAILED, t.state(), t.toString());
    assertEquals(0, t.percent());
    assertNull(t.fileId());
    assertEquals("存储空间不足", FakeOffline.of(cloud).tasks().get(0).failReason(), "what the callback would carry");
    assertTrue(store.children(demo.uid(), target.id(), false).isEmpty(), "nothing stored");
  }
}
