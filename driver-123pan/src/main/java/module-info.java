/**
 * pan4j driver {@code 123pan}: a personal 123云盘 account through the web API (phone or e-mail
 * and password). The web protocol pieces in {@code io.github.pan4j.driver.pan123.web} are shared
 * with the {@code 123share} driver only; they are not public API.
 */
module io.github.pan4j.driver.pan123 {
  requires io.github.pan4j.core;
  requires okio;

  exports io.github.pan4j.driver.pan123;
  exports io.github.pan4j.driver.pan123.web to io.github.pan4j.driver.share123;

  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.driver.pan123.Pan123Provider;
}
