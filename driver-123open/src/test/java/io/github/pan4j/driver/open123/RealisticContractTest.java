package io.github.pan4j.driver.open123;

import io.github.pan4j.testkit.fake.RealisticProfile;
import org.junit.jupiter.api.BeforeEach;

/**
 * The driver contract under the fake's realistic profile: listing lag after writes, 20103 on
 * fresh files' download links, the doc's inclusive list cursor (on the shared FakeClock).
 */
class RealisticContractTest extends Open123ContractTest {
  @BeforeEach
  void realistic() {
    RealisticProfile.seeded(7).applyTo(cloud);
  }

  /** Seeded files stand for old content: let the listing catch up with them. */
  @Override
  protected String seedFolderWithFiles(io.github.pan4j.core.Drive drive, String scratch, int count) {
    String path = super.seedFolderWithFiles(drive, scratch, count);
    clock.advance(java.time.Duration.ofSeconds(10));
    return path;
  }
}
