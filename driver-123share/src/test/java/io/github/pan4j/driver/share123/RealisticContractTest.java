package io.github.pan4j.driver.share123;

import io.github.pan4j.testkit.fake.RealisticProfile;

/**
 * The driver contract under the fake's realistic profile: share/get throttled as code 403,
 * throttling replies with a string code, 50002 on download info (on the shared FakeClock).
 */
class RealisticContractTest extends Share123ContractTest {
  @org.junit.jupiter.api.BeforeEach
  void realistic() {
    // Higher than the profile's plausible rates so that this short suite meets every quirk.
    RealisticProfile.seeded(7).webThrottling(0.15, 0.05).webDownloadErrors(0, 0.2).applyTo(fake.cloud());
  }
}
