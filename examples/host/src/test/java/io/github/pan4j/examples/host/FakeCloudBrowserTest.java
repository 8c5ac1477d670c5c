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
    var img = b.find("#preview img");
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

  @Test
  void grid_showsTheProviderThumbnails_byTheMountsDownloadMode() throws Exception {
    // redirect mount: the thumbnail is a 302 to the provider's (fake CDN's) image
    b.open(f.base() + "/b/123open/Demo?view=grid");
    String src = b.attribute(b.find("#grid li[data-path='/123open/Demo/sunset.png'] img"), "src");
    assertTrue(src.endsWith("/t/123open/Demo/sunset.png"), src);
    assertEquals(70, loaded("#grid li[data-path='/123open/Demo/sunset.png'] img").path("w").asInt());
    JsonNode got = b.fetchInPage(src);
    assertTrue(got.path("redirected").asBoolean(), got.toString());
    assertTrue(got.path("url").asText().startsWith(f.demo.cloud.baseUrl("cdn") + "/123-4/"), got.toString());
    assertTrue(b.web.findElements(org.openqa.selenium.By.cssSelector("#grid li[data-path='/123open/Demo/readme.txt'] img")).isEmpty(), "no thumbnail for text");

    // auto mount of 123pan: proxied by the host, the page never names the provider's URL
    b.open(f.base() + "/b/123pan/Demo?view=grid");
    String panSrc = b.attribute(b.find("#grid li[data-path='/123pan/Demo/sunset.png'] img"), "src");
    assertEquals(70, loaded("#grid li[data-path='/123pan/Demo/sunset.png'] img").path("h").asInt());
    JsonNode proxied = b.fetchInPage(panSrc);
    assertFalse(proxied.path("redirected").asBoolean(), proxied.toString());
    assertTrue(proxied.path("url").asText().startsWith(f.base() + "/t/123pan/"), proxied.toString());
    assertFalse(b.web.getPageSource().contains(f.demo.cloud.baseUrl("cdn")), "no provider URL in the page");
    b.screenshot("host-grid-thumbnails.png");

    // 123link lists no thumbnails: pictures show the file itself, as before
    b.open(f.base() + "/b/123link/photos?view=grid");
    assertEquals(480, loaded("#grid img[src$='/d/123link/photos/mountain.png']").path("w").asInt());
  }

  /** The natural size of a (lazy) image once the browser has loaded it. */
  private static JsonNode loaded(String css) {
    return b.waitUpTo(java.time.Duration.ofSeconds(10)).until(d -> {
      JsonNode size = b.imageSize(css);
      return size.path("w").asInt() > 0 ? size : null;
    });
  }

  /** Logs the browser in through the login form. */
  private static void logIn() {
    b.open(f.base() + "/login");
    b.find("input[name=user]").sendKeys(FakeCloudFixture.USER);
    b.find("input[name=password]").sendKeys(FakeCloudFixture.PASSWORD);
    b.find("form[action='/login'] button").click();
    b.waitUpTo(java.time.Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/b/"));
  }

  @Test
  void loggedIn_gridSearchUploadWithProgress_deleteWithConfirmation_admin() throws Exception {
    logIn();
    b.open(f.base() + "/b/123open/Demo?view=grid");
    assertEquals(70, b.imageSize("#grid img.thumbnail[src$='/t/123open/Demo/sunset.png']").path("w").asInt(),
        "thumbnails load");
    b.screenshot("host-grid.png");

    b.open(f.base() + "/b/123open-proxy/Demo");
    b.find("#search input[name=q]").sendKeys("png");
    new org.openqa.selenium.support.ui.Select(b.find("#search select[name=scope]")).selectByValue("mount");
    b.find("#search button").click();
    b.waitUpTo(java.time.Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("q=png"));
    List<String> found = b.listedNames();
    assertTrue(found.containsAll(List.of("Demo/sunset.png", "Demo/photos/mountain.png", "Demo/Shared/poster.png")), found.toString());
    b.screenshot("host-search.png");

    // Upload two files through the page's script: a progress bar, then the listing shows them.
    Path up = java.nio.file.Files.createDirectories(dir.resolve("upload"));
    byte[] big = new byte[24 << 20];
    new java.util.Random(7).nextBytes(big);
    java.nio.file.Files.write(up.resolve("upload-24MiB.bin"), big);
    java.nio.file.Files.writeString(up.resolve("note.txt"), "uploaded from the browser");
    b.open(f.base() + "/b/123open-proxy/Demo/docs");
    b.find("#file").sendKeys(up.resolve("upload-24MiB.bin") + "\n" + up.resolve("note.txt"));
    b.find("#upload button[type=submit]").click();
    // The bar shows progress, then "done", and the page reloads a second later.
    String progress = b.waitUpTo(java.time.Duration.ofSeconds(120))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> {
          String t = (String) b.web.executeScript("var e = document.getElementById('progress-text'); return e ? e.textContent : '';");
          return t.startsWith("done") ? t : null;
        });
    b.screenshot("host-upload.png");
    assertEquals("done: uploaded 2", progress);
    b.waitUpTo(java.time.Duration.ofSeconds(20)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> b.listedNames().contains("upload-24MiB.bin"));
    assertTrue(b.listedNames().contains("note.txt"));
    assertEquals(Chromium.sha256(big), Chromium.sha256(f.bytes("/Demo/docs/upload-24MiB.bin")));
    b.screenshot("host-listing-admin.png");

    // Delete one with the row menu: the page asks first.
    var row = b.find("tr[data-path='/123open-proxy/Demo/docs/note.txt']");
    row.findElement(org.openqa.selenium.By.cssSelector("summary")).click();
    row.findElement(org.openqa.selenium.By.cssSelector("form.remove button")).click();
    var alert = b.waitUpTo(java.time.Duration.ofSeconds(5)).until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
    assertTrue(alert.getText().contains("Delete note.txt?"), alert.getText());
    alert.accept();
    b.waitUpTo(java.time.Duration.ofSeconds(20)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> !b.listedNames().contains("note.txt"));

    b.open(f.base() + "/admin");
    assertTrue(b.listedNames().isEmpty());
    assertTrue(b.find("#mounts").getText().contains("/123open-proxy"));
    b.screenshot("host-admin.png");
  }
}
