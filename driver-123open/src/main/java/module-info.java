/** pan4j driver for the 123云盘 open platform ({@code 123open}). */
module io.github.pan4j.driver.open123 {
  requires com.fasterxml.jackson.databind;
  requires io.github.pan4j.core;
  requires io.github.pan4j.driver.common123;

  exports io.github.pan4j.driver.open123;

  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.driver.open123.Open123Provider;
}
