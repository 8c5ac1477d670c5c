/**
 * pan4j testkit: the in-memory driver ({@code memory}), the driver contract suite every driver
 * module runs, a fake 123 cloud on MockWebServer, and test helpers
 * ({@link io.github.pan4j.testkit.FakeClock}, {@link io.github.pan4j.testkit.RecordingUploadListener}).
 */
module io.github.pan4j.testkit {
  requires transitive io.github.pan4j.core;
  requires transitive mockwebserver3;
  requires transitive okio;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;

  exports io.github.pan4j.testkit;
  exports io.github.pan4j.testkit.memory;
  exports io.github.pan4j.testkit.fake;

  // JUnit calls the contract suite's lifecycle and test methods reflectively.
  opens io.github.pan4j.testkit to org.junit.platform.commons;

  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.testkit.memory.MemoryDriverProvider;
}
