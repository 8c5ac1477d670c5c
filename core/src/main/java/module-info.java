/**
 * pan4j core: the driver SPI, the driver registry, configuration schemas, errors, tokens, HTTP
 * plumbing for drivers, the path facade {@link io.github.pan4j.core.Drive}, and the {@code memory}
 * driver ({@link io.github.pan4j.core.memory.MemoryDriverProvider}), so {@code Drives.open("memory")}
 * works with nothing but core on the class path.
 */
module io.github.pan4j.core {
  requires transitive okhttp3;
  // OkHttp and Okio are automatic modules written in Kotlin: nothing else makes the module system
  // resolve the Kotlin standard library, and without it they fail at run time on the module path.
  requires kotlin.stdlib;
  requires okio; // streamed request bodies of the request engine
  requires com.fasterxml.jackson.databind; // no Jackson type in the API: drivers require it themselves
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports io.github.pan4j.core;
  exports io.github.pan4j.core.spi;
  exports io.github.pan4j.core.spi.http;
  exports io.github.pan4j.core.config;
  exports io.github.pan4j.core.auth;
  exports io.github.pan4j.core.http;
  exports io.github.pan4j.core.memory;
  // Plumbing shared by pan4j's own drivers and fake cloud (the shared JSON mapper, the request log,
  // link openers over OkHttp): not API, so exported to them alone.
  exports io.github.pan4j.core.internal.http to io.github.pan4j.driver.common123, io.github.pan4j.driver.open123,
      io.github.pan4j.driver.pan123, io.github.pan4j.driver.link123, io.github.pan4j.testkit.fake;

  uses io.github.pan4j.core.spi.DriverProvider;
  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.core.memory.MemoryDriverProvider;
}
