/**
 * pan4j driver {@code 123pan}: a personal 123云盘 account through the web API (phone or e-mail
 * and password). The web protocol pieces it shares with {@code 123share} live in
 * {@code driver-123common}.
 */
module io.github.pan4j.driver.pan123 {
  requires com.fasterxml.jackson.databind;
  requires io.github.pan4j.core;
  requires io.github.pan4j.driver.common123;
  requires java.xml;
  requires org.slf4j;

  exports io.github.pan4j.driver.pan123;

  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.driver.pan123.Pan123Provider;
}
