package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.RealisticProfile;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver contract under the fake's realistic profile: listing lag after writes, 20103 on
 * fresh files' download links, the doc's inclusive list cursor (on the shared FakeClock).
 */
class RealisticContractTest extends Open123ContractTest {
  @BeforeEach
  void realistic() {
    RealisticProfile.seeded(7).applyTo(fake.cloud());
  }

  /** Seeded files stand for old content: let the listing catch up with them. */
  @Override
  protected String seedFolderWithFiles(io.github.pan4j.core.Drive drive, String scratch, int count) {
    String path = super.seedFolderWithFiles(drive, scratch, count);
    fake.clock().advance(java.time.Duration.ofSeconds(10));
    return path;
  }

  /** A file the cloud fetched itself is not among this driver's recent writes: let the listing catch up. */
  @Override
  protected void afterOfflineDownload(io.github.pan4j.core.Drive drive) {
    fake.clock().advance(java.time.Duration.ofSeconds(10));
  }

  @Test
  void freshUpload_linkWaitsOutVerifying_andListsAtOnce() {
    fake.cloud().door(OpenApiFrontDoor.class).verifyingAfterUpload(Duration.ofSeconds(2), 1.0).listingLag(Duration.ofSeconds(30), 1.0);
    try (Drive d = openDrive()) {
      Entry e = d.put("/fresh.bin", new byte[] {1, 2, 3});
      assertEquals("fresh.bin", d.ls("/").stream().filter(x -> x.id().equals(e.id())).findFirst().orElseThrow().name(),
          "read-after-write although the listing lags 30 s");
      assertTrue(d.link("/fresh.bin").url().contains("/open-dl/"));
    }
    assertTrue(fake.cloud().requests("open", "/api/v1/file/download_info").size() >= 2, "20103 was answered and retried");
  }
}
