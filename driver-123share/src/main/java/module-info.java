/**
 * pan4j driver {@code 123share}: browses a public 123云盘 share (share link or key plus optional
 * extraction code), read-only. Reuses the web protocol of the {@code 123pan} driver.
 */
module io.github.pan4j.driver.share123 {
  requires io.github.pan4j.core;
  requires io.github.pan4j.driver.pan123;

  exports io.github.pan4j.driver.share123;

  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.driver.share123.Share123Provider;
}
