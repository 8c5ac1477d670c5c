/**
 * pan4j fake cloud: a fake 123 cloud on MockWebServer that speaks the open platform, web, share
 * and direct-link protocols over one in-memory store, plus the {@link io.github.pan4j.testkit.fake.FakeClock}
 * it and the drivers can share. A plain library with no test framework, so the command line, the
 * host demo and tests in any framework (or language, through {@code ./pan4j fake-cloud}) can use it.
 */
module io.github.pan4j.testkit.fake {
  requires transitive io.github.pan4j.core;
  requires transitive mockwebserver3;
  requires transitive okio;
  requires transitive com.fasterxml.jackson.databind;
  requires java.xml; // the part list of an S3 CompleteMultipartUpload (WebStsStorage)
  requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT for upload session files

  exports io.github.pan4j.testkit.fake;
}
