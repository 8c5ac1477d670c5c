package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three download modes over the real 123 drivers (plugins) and the fake 123 cloud, over HTTP. */
class FakeCloudDownloadTest {
  @TempDir static Path dir;
  static FakeCloudFixture f;
  static byte[] big;

  @BeforeAll
  static void start() throws Exception {
    f = new FakeCloudFixture(dir);
    big = f.bytes("/Demo/big.bin");
  }

  @AfterAll
  static void stop() {
    if (f != null) f.close();
  }

  private static String location(HttpResponse<?> r) {
    return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + r.statusCode()));
  }

  @Test
  void redirect_123open_sends302ToDownloadInfoUrl_fetchableWithoutReferer() throws Exception {
    HttpResponse<String> r = f.get("/d/123open/Demo/big.bin");
    assertEquals(302, r.statusCode(), r.body());
    String url = location(r);
    assertTrue(url.startsWith(f.demo.cloud.baseUrl("cdn") + "/open-dl/"), url);
    HttpResponse<byte[]> cdn = f.getBytes(url);
    assertEquals(200, cdn.statusCode());
    assertArrayEquals(big, cdn.body());
  }

  @Test
  void proxy_123open_streamsTheWholeFile() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/123open-proxy/Demo/big.bin");
    assertEquals(200, r.statusCode());
    assertEquals(String.valueOf(big.length), r.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
    assertArrayEquals(big, r.body());
  }

  @Test
  void proxy_text_saysItsCharset_soABrowserShowsTheUtf8TheFilePagePreviews() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/123open-proxy/Demo/readme.txt");
    assertEquals(200, r.statusCode());
    assertEquals("text/plain;charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());
    assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("123云盘"), "the demo text holds non-ASCII characters");
    assertTrue(Jsoup.parse(f.get("/b/123open-proxy/Demo/readme.txt").body()).select("#text").text().contains("123云盘"),
        "the preview reads it as UTF-8");
    assertEquals("image/png", f.getBytes("/d/123open-proxy/Demo/sunset.png").headers().firstValue("Content-Type").orElseThrow(),
        "no charset on bytes that are not text");
  }

  @Test
  void proxy_123open_range_isForwardedAndAnswered206() throws Exception {
    f.demo.cloud.clearRequests();
    HttpResponse<byte[]> r = f.getBytes("/d/123open-proxy/Demo/big.bin", "Range", "bytes=1000-1999");
    RangeAsserts.assertPart(r, big, 1000, 1999);
    List<FakeCloud.LoggedRequest> cdn = f.demo.cloud.requests("cdn", "/open-dl/");
    assertEquals(List.of("bytes=1000-1999"), cdn.stream().map(q -> q.header("Range")).toList(), "only the range went upstream");
  }

  @Test
  void proxy_123open_suffixAndUnsatisfiableRanges() throws Exception {
    RangeAsserts.assertPart(f.getBytes("/d/123open-proxy/Demo/big.bin", "Range", "bytes=-10"), big, big.length - 10, big.length - 1);
    HttpResponse<byte[]> past = f.getBytes("/d/123open-proxy/Demo/big.bin", "Range", "bytes=" + big.length + "-");
    assertEquals(416, past.statusCode());
    assertEquals("bytes */" + big.length, past.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void proxyUrl_123open_redirectsToPrefix_andTheSignedRouteServesRanges() throws Exception {
    HttpResponse<String> r = f.get("/d/123open-signed/Demo/big.bin");
    assertEquals(302, r.statusCode());
    String url = location(r);
    assertTrue(url.startsWith(FakeCloudFixture.PROXY_PREFIX + "/123open-signed/Demo/big.bin?sign="), url);
    String sign = URLDecoder.decode(url.substring(url.indexOf("sign=") + 5), StandardCharsets.UTF_8);
    // What the external proxy then asks of the host:
    HttpResponse<byte[]> bytes = f.getBytes("/p/123open-signed/Demo/big.bin?sign=" + URLEncoder.encode(sign, StandardCharsets.UTF_8),
        "Range", "bytes=0-99");
    RangeAsserts.assertPart(bytes, big, 0, 99);
    assertEquals(403, f.get("/p/123open-signed/Demo/readme.txt?sign=" + URLEncoder.encode(sign, StandardCharsets.UTF_8)).statusCode(),
        "a sign is bound to its path");
  }

  @Test
  void auto_123pan_proxies_sendingTheRelayReferer_withRange() throws Exception {
    f.demo.cloud.clearRequests();
    HttpResponse<byte[]> r = f.getBytes("/d/123pan/Demo/big.bin", "Range", "bytes=5000-5099");
    RangeAsserts.assertPart(r, big, 5000, 5099, "auto must proxy: the 123pan link prefers it");
    List<FakeCloud.LoggedRequest> edge = f.demo.cloud.requests("cdn", "/web-edge/");
    assertFalse(edge.isEmpty(), "the bytes came from the fake's edge CDN");
    String relay = f.demo.cloud.door(WebFrontDoor.class).relayOrigin();
    for (FakeCloud.LoggedRequest q : edge) {
      assertEquals(relay, q.header("Referer"), "the host forwards the Referer the link requires");
      assertEquals(200 / 100, q.status() / 100);
    }
  }

  @Test
  void auto_123pan_wholeFile_bytesMatch() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/123pan/Demo/sunset.png");
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(f.bytes("/Demo/sunset.png"), r.body());
  }

  @Test
  void pan_edgeUrlWithoutReferer_isRefused_whichIsWhyAutoProxies() throws Exception {
    f.demo.cloud.clearRequests();
    assertEquals(200, f.getBytes("/d/123pan/Demo/readme.txt").statusCode());
    String edgeUrl = f.demo.cloud.requests("cdn", "/web-edge/").get(0).url();
    assertEquals(403, f.getBytes(edgeUrl).statusCode(), "a browser sent there by a 302 carries no such Referer");
  }

  @Test
  void auto_123share_proxies_bytesMatch() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/123share/poster.png");
    assertEquals(200, r.statusCode());
    assertArrayEquals(f.bytes("/Demo/Shared/poster.png"), r.body());
  }

  @Test
  void auto_123link_redirectsToTheSignedDirectLink() throws Exception {
    HttpResponse<String> r = f.get("/d/123link/photos/mountain.png");
    assertEquals(302, r.statusCode(), "123link links do not prefer proxy");
    String url = location(r);
    assertTrue(url.startsWith(f.demo.cloud.baseUrl("vip") + "/" + f.demo.account.uid() + "/Demo/photos/mountain.png?auth_key="), url);
    HttpResponse<byte[]> cdn = f.getBytes(url);
    assertEquals(200, cdn.statusCode());
    assertArrayEquals(f.bytes("/Demo/photos/mountain.png"), cdn.body());
  }
}
