package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.StorageDetails;
import org.junit.jupiter.api.Test;

/** Storage figures are either known and sane, or -1. */
public abstract class StorageContract extends ContractSupport {

  @Test
  void storage_reportsKnownOrMinusOneFigures() {
    assume(Capability.STORAGE_DETAILS);
    StorageDetails d = drive.storage();
    assertTrue(d.totalBytes() >= -1, () -> "totalBytes " + d.totalBytes());
    assertTrue(d.usedBytes() >= -1, () -> "usedBytes " + d.usedBytes());
    if (d.totalBytes() >= 0 && d.usedBytes() >= 0) {
      assertEquals(Math.max(0, d.totalBytes() - d.usedBytes()), d.freeBytes().orElseThrow());
    } else {
      assertTrue(d.freeBytes().isEmpty(), "free space is unknown when a figure is");
    }
  }
}
