/**
 * What the 123云盘 drivers share, so that no driver depends on another: the {@code auth_key}
 * direct-link signer ({@code 123open}, {@code 123link}) and the web request signature (public API
 * for hosts), and the web protocol pieces of {@code 123pan} and {@code 123share} (envelope,
 * profile, listing, items, download chain), which are not public API.
 */
module io.github.pan4j.driver.common123 {
  requires com.fasterxml.jackson.databind;
  requires transitive io.github.pan4j.core;

  exports io.github.pan4j.driver.common123;
  exports io.github.pan4j.driver.common123.web to io.github.pan4j.driver.pan123, io.github.pan4j.driver.share123;
  exports io.github.pan4j.driver.common123.internal
      to io.github.pan4j.driver.open123, io.github.pan4j.driver.pan123, io.github.pan4j.driver.share123;
}
