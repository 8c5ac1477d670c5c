package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thumbnails in the grid view ({@code /t/<path>}) over the real 123 drivers (plugins) and the fake
 * cloud: which mount modes link the provider's URL and which proxy it, and what a proxied answer
 * carries (and does not).
 */
class FakeCloudThumbnailsTest {
  @TempDir static Path dir;
  static FakeCloudFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new FakeCloudFixture(dir);
  }

  @AfterAll
  static void stop() {
    if (f != null) f.close();
  }

  private Document grid(String folder) throws Exception {
    HttpResponse<String> r = f.get("/b" + folder + "?view=grid");
    assertEquals(200, r.statusCode(), r.body());
    return Jsoup.parse(r.body());
  }

  @Test
  void grid_usesThumbnailsForPicturesOnly_andNeverNamesTheProvider() throws Exception {
    for (String mount : new String[] {"/123open", "/123pan", "/123open-proxy"}) {
      Document d = grid(mount + "/Demo");
      assertEquals("/t" + mount + "/Demo/sunset.png",
          d.select("#grid li[data-path='" + mount + "/Demo/sunset.png'] img.thumbnail").attr("src"), mount);
      assertEquals("no-referrer", d.select("#grid img.thumbnail").attr("referrerpolicy"));
      assertTrue(d.select("#grid li[data-path='" + mount + "/Demo/readme.txt'] img").isEmpty(), mount);
      assertFalse(d.html().contains(f.demo.cloud.baseUrl("cdn")), "the page links only the host's /t/ URLs");
    }
  }

  @Test
  void redirectMount_302sToTheProviderThumbnail() throws Exception {
    assertEquals(200, f.get("/b/123open/Demo/sunset.png").statusCode()); // the file page stats it (no thumbnail there)
    HttpResponse<byte[]> r = f.getBytes("/t/123open/Demo/sunset.png");
    assertEquals(302, r.statusCode());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith(f.demo.cloud.baseUrl("cdn") + "/123-4/"), location);
    assertTrue(location.contains("w=70"), location);
    assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElseThrow());
  }

  @Test
  void proxyAndAutoMounts_streamThePngThemselves() throws Exception {
    for (String path : new String[] {"/t/123open-proxy/Demo/sunset.png", "/t/123pan/Demo/photos/mountain.png",
        "/t/123open-signed/Demo/sunset.png"}) {
      HttpResponse<byte[]> r = f.getBytes(path);
      assertEquals(200, r.statusCode(), path);
      assertEquals("image/png", r.headers().firstValue("Content-Type").orElseThrow(), path);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
      assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
      byte[] png = r.body();
      assertEquals(70, ByteBuffer.wrap(png, 16, 4).getInt(), path);
    }
    // The host fetched it without the account's session: no Authorization reached the CDN.
    for (var logged : f.demo.cloud.requests("cdn", "/123-4/")) {
      assertEquals(null, logged.header("Authorization"), logged.url());
      assertEquals(null, logged.header("Cookie"), logged.url());
    }
  }

  @Test
  void noThumbnail_is404_andFoldersToo() throws Exception {
    assertEquals(404, f.getBytes("/t/123pan/Demo/readme.txt").statusCode());
    assertEquals(404, f.getBytes("/t/123pan/Demo/photos").statusCode());
    assertEquals(404, f.getBytes("/t/123link/photos/mountain.png").statusCode(), "123link lists no thumbnails");
  }
}
