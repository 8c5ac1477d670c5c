/**
 * pan4j testkit: the driver contract suite every driver module runs
 * ({@link io.github.pan4j.testkit.DriverContract}), the JUnit 5 extension that runs the fake 123
 * cloud for a test ({@link io.github.pan4j.testkit.FakeCloudExtension}), and test helpers
 * ({@link io.github.pan4j.testkit.RecordingUploadListener}). The fake cloud itself lives in
 * {@code io.github.pan4j.testkit.fake} (artifact {@code pan4j-fake-cloud}, no JUnit); the
 * {@code memory} driver lives in core.
 */
module io.github.pan4j.testkit {
  requires transitive io.github.pan4j.core;
  requires transitive io.github.pan4j.testkit.fake;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;

  exports io.github.pan4j.testkit;

  // JUnit calls the contract suite's lifecycle and test methods reflectively.
  opens io.github.pan4j.testkit to org.junit.platform.commons;
}
