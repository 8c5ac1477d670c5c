package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.memory.MemoryDriver;
import io.github.pan4j.core.spi.Driver;
import org.junit.jupiter.api.Test;

/** The offline download value types and the URL check every driver and the facade share. */
class OfflineTaskTest {

  @Test
  void checkUrl_acceptsHttpAndHttpsInAnyCase_trimmed() {
    assertEquals("https://example.com/a.iso", Driver.OfflineDownload.checkUrl("  https://example.com/a.iso "));
    assertEquals("HTTP://EXAMPLE.com/a", Driver.OfflineDownload.checkUrl("HTTP://EXAMPLE.com/a"));
  }

  @Test
  void checkUrl_refusals_sayWhatToGive_neverEchoTheUrl() {
    for (String bad : new String[] {"ftp://h/x?token=s3cr3t", "magnet:?xt=urn:btih:s3cr3t", "example.com/s3cr3t", "https:///s3cr3t",
        "http://exa mple.com/s3cr3t", "", null}) {
      DriveException e = assertThrows(DriveException.class, () -> Driver.OfflineDownload.checkUrl(bad), String.valueOf(bad));
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
      assertTrue(e.getMessage().contains("http"), e.getMessage());
      assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }
  }

  @Test
  void task_clampsPercent_andToStringLeavesTheUrlOut() {
    OfflineTask t = new OfflineTask("7", "https://h/x?key=s3cr3t", OfflineState.RETRYING, 140, null, null, null);
    assertEquals(100, t.percent());
    assertEquals(0, new OfflineTask("7", null, OfflineState.FAILED, Double.NaN, null, null, "gone").percent());
    assertFalse(t.finished());
    assertTrue(new OfflineTask("7", null, OfflineState.SUCCEEDED, 100, null, null, null).finished());
    assertFalse(t.toString().contains("s3cr3t"), t.toString());
  }

  @Test
  void facade_refusesBadUrlBeforeTheDriverIsAsked_andMemoryCountsNoCall() {
    MemoryDriver memory = new MemoryDriver();
    try (Drive drive = Drive.of(memory)) {
      drive.mkdirs("/in");
      DriveException e = assertThrows(DriveException.class, () -> drive.addOffline("file:///etc/passwd", "/in"));
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
      assertEquals("offline", e.operation().orElse(null));
      assertEquals(0, memory.calls("offline"));
      assertThrows(NotFoundException.class, () -> drive.offlineTask("99"));
    }
  }
}
