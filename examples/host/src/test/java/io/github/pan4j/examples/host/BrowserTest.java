package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages in a real browser ({@link Chromium}) over the test driver plugin and its test CDN.
 * The same flows over the real 123 drivers and the fake 123 cloud are in {@link FakeCloudBrowserTest}.
 */
class BrowserTest {
  @TempDir static Path dir;
  static HostFixture f;
  static Chromium b;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assumeInstalled();
    f = new HostFixture(dir, null, false);
    Files.write(f.data.resolve("photo.png"), DemoCloud.picture(new Color(0x0969da), new Color(0x8250df), new Color(0x1f883d)));
    b = Chromium.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (b != null) b.close();
    if (f != null) f.close();
  }

  private static String sha256(Path p) throws Exception {
    return Chromium.sha256(Files.readAllBytes(p));
  }

  @Test
  void listFolder_openFile_downloadBy302_bytesMatch() throws Exception {
    b.open(f.base() + "/b/");
    b.click(b.linkByText("disk"));
    assertTrue(b.currentUrl().endsWith("/b/disk"), b.currentUrl());
    assertEquals(List.of("..", "docs", "a.txt", "big.bin", "m.png", "photo.png"), b.listedNames());
    assertTrue(b.text(b.find("#crumbs")).contains("disk"));
    b.screenshot("testdisk-listing.png");

    b.click(b.linkByText("big.bin"));
    assertTrue(b.currentUrl().endsWith("/b/disk/big.bin"), b.currentUrl());
    String href = b.attribute(b.find("#download"), "href");
    JsonNode got = b.fetchInPage(href);
    assertEquals(200, got.path("status").asInt(), got.toString());
    assertTrue(got.path("redirected").asBoolean(), "302 mode: the browser fetched from the CDN: " + got);
    assertTrue(got.path("url").asText().startsWith(f.cdn.baseUrl()), got.toString());
    assertEquals(sha256(f.data.resolve("big.bin")), got.path("sha256").asText());
  }

  @Test
  void openFile_downloadByProxy_bytesMatch() throws Exception {
    b.open(f.base() + "/b/proxied/big.bin");
    String href = b.attribute(b.find("#download"), "href");
    JsonNode got = b.fetchInPage(href);
    assertEquals(200, got.path("status").asInt(), got.toString());
    assertTrue(!got.path("redirected").asBoolean() && got.path("url").asText().startsWith(f.base()), "proxied through the host: " + got);
    assertEquals(sha256(f.data.resolve("big.bin")), got.path("sha256").asText());
  }

  @Test
  void guardedLink_autoProxiesWithReferer_bytesMatch() throws Exception {
    b.open(f.base() + "/b/guarded/big.bin");
    JsonNode got = b.fetchInPage(b.attribute(b.find("#download"), "href"));
    assertEquals(200, got.path("status").asInt(), got.toString());
    assertEquals(sha256(f.data.resolve("big.bin")), got.path("sha256").asText());
  }

  @Test
  void imagePreview_isRendered() throws Exception {
    b.open(f.base() + "/b/proxied/photo.png");
    var img = b.find("#preview img");
    JsonNode size = b.imageSize("#preview img");
    assertEquals(480, size.path("w").asInt(), size.toString());
    assertTrue(b.attribute(img, "src").endsWith("/d/proxied/photo.png"));
    b.screenshot("testdisk-preview.png");
  }
}
