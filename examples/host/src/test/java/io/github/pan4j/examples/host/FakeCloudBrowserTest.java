package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host in headless Chromium over the real 123 drivers (plugins) and the fake 123 cloud: list,
 * open a file, download by 302 (123open, 123link) and by proxy (123pan, 123share), and compare
 * the bytes the browser received (SHA-256 computed in the page) with the stored ones. Writes the
 * screenshots docs/images/host-listing.png and host-preview.png are copied from
 * (target/screenshots).
 *
 * <p>The in-page {@code fetch()} of a 302 ends on the fake CDN's origin, which sends no CORS
 * headers (whether 123's CDNs do is UNKNOWN, and a user's download is a navigation, which needs
 * none), so this browser runs with {@code --disable-web-security} to let the page read those
 * bytes. The host's own pages and the proxy are same-origin and unaffected.
 */
class FakeCloudBrowserTest {
  @TempDir static Path dir;
  static FakeCloudFixture f;
  static Chromium b;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assumeInstalled();
    f = new FakeCloudFixture(dir);
    b = Chromium.start("--disable-web-security");
  }

  @AfterAll
  static void stop() throws Exception {
    if (b != null) b.close();
    if (f != null) f.close();
  }

  private static void assertSameBytes(String storedPath, JsonNode got) throws Exception {
    assertEquals(200, got.path("status").asInt(), got.toString());
    assertEquals(Chromium.sha256(f.bytes(storedPath)), got.path("sha256").asText(), "bytes of " + storedPath + ": " + got);
  }

  @Test
  void open123_listFolder_openFile_downloadBy302_bytesMatch() throws Exception {
    b.open(f.base() + "/b/");
    b.click(b.linkByText("123open"));
    b.click(b.linkByText("Demo"));
    assertTrue(b.currentUrl().endsWith("/b/123open/Demo"), b.currentUrl());
    assertEquals(List.of("..", "docs", "photos", "Shared", "big.bin", "readme.txt", "sunset.png"), b.listedNames());
    assertTrue(b.text(b.find("#crumbs")).contains("Demo"));
    b.screenshot("host-listing.png");

    b.click(b.linkByText("big.bin"));
    assertTrue(b.currentUrl().endsWith("/b/123open/Demo/big.bin"), b.currentUrl());
    JsonNode got = b.fetchInPage(b.attribute(b.find("#download"), "href"));
    assertTrue(got.path("redirected").asBoolean(), "302 mode: the browser fetched from the fake CDN: " + got);
    assertTrue(got.path("url").asText().startsWith(f.demo.cloud.baseUrl("cdn") + "/open-dl/"), got.toString());
    assertSameBytes("/Demo/big.bin", got);
  }

  @Test
  void open123_imagePreview_isRenderedFromTheCdn() throws Exception {
    b.open(f.base() + "/b/123open/Demo/sunset.png");
    String img = b.find("#preview img");
    assertTrue(b.attribute(img, "src").endsWith("/d/123open/Demo/sunset.png"));
    JsonNode size = b.imageSize("#preview img");
    assertEquals(480, size.path("w").asInt(), size.toString());
    assertEquals(270, size.path("h").asInt(), size.toString());
    b.screenshot("host-preview.png");
  }

  @Test
  void pan123_auto_downloadsByProxy_bytesMatch() throws Exception {
    b.open(f.base() + "/b/123pan/Demo");
    b.click(b.linkByText("big.bin"));
    assertTrue(b.text(b.find("#download + .muted")).contains("auto"));
    JsonNode got = b.fetchInPage(b.attribute(b.find("#download"), "href"));
    assertFalse(got.path("redirected").asBoolean(), "auto picks proxy for 123pan: " + got);
    assertTrue(got.path("url").asText().startsWith(f.base() + "/d/123pan/"), got.toString());
    assertSameBytes("/Demo/big.bin", got);
  }

  @Test
  void pan123_imagePreview_throughTheProxy() throws Exception {
    b.open(f.base() + "/b/123pan/Demo/photos/mountain.png");
    assertEquals(480, b.imageSize("#preview img").path("w").asInt());
  }

  @Test
  void share123_auto_downloadsByProxy_bytesMatch() throws Exception {
    b.open(f.base() + "/b/123share");
    b.click(b.linkByText("poster.png"));
    assertEquals(480, b.imageSize("#preview img").path("w").asInt());
    JsonNode got = b.fetchInPage(b.attribute(b.find("#download"), "href"));
    assertFalse(got.path("redirected").asBoolean(), got.toString());
    assertSameBytes("/Demo/Shared/poster.png", got);
  }

  @Test
  void link123_auto_downloadsBy302ToTheSignedDirectLink_bytesMatch() throws Exception {
    b.open(f.base() + "/b/123link/photos/mountain.png");
    assertEquals(480, b.imageSize("#preview img").path("w").asInt());
    JsonNode got = b.fetchInPage(b.attribute(b.find("#download"), "href"));
    assertTrue(got.path("redirected").asBoolean(), got.toString());
    assertTrue(got.path("url").asText().contains("auth_key="), got.toString());
    assertSameBytes("/Demo/photos/mountain.png", got);
  }
}
