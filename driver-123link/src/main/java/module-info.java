/**
 * The {@code 123link} driver: a read-only tree of 123云盘 direct links (直链) written by hand,
 * with optional {@code auth_key} URL signing.
 */
module io.github.pan4j.driver.link123 {
  requires io.github.pan4j.core;
  requires org.slf4j;
  requires io.github.pan4j.driver.common123;

  exports io.github.pan4j.driver.link123;

  provides io.github.pan4j.core.spi.DriverProvider with io.github.pan4j.driver.link123.Link123Provider;
}
