/**
 * pan4j testkit: the in-memory {@code memory} driver, the driver contract suite, a fake 123 cloud
 * on MockWebServer, and test helpers (fake clock, recording listener).
 */
module io.github.pan4j.testkit {
  requires transitive io.github.pan4j.core;
  requires transitive mockwebserver3;
  requires transitive okio;
  requires transitive org.junit.jupiter.api;

  exports io.github.pan4j.testkit.fake;
}
