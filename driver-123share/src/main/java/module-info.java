/**
 * pan4j driver {@code 123share}: browses a public 123云盘 share (share link or key plus optional
 * extraction code), read-only. Speaks the web protocol from {@code driver-123common}, as
 * {@code 123pan} does; it does not depend on that driver.
 */
module io.github.pan4j.driver.share123 {
  requires com.fasterxml.jackson.databind;
  requires io.github.pan4j.core;
  requires io.github.pan4j.driver.common123;

  exports io.github.pan4j.driver.share123;

  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.driver.share123.Share123Provider;
}
