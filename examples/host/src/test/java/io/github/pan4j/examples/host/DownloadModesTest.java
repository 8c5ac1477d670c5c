package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadModesTest {
  @TempDir static Path dir;
  static HostFixture f;
  static byte[] big;

  @BeforeAll
  static void start() throws Exception {
    f = new HostFixture(dir, null, false);
    big = Files.readAllBytes(f.data.resolve("big.bin"));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void redirect_sends302ToTheDriversLink() throws Exception {
    HttpResponse<String> r = f.get("/d/disk/big.bin");
    assertEquals(302, r.statusCode());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertEquals(f.cdn.baseUrl() + "/big.bin", location);
    HttpResponse<byte[]> cdn = f.http.send(java.net.http.HttpRequest.newBuilder(URI.create(location)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(big, cdn.body());
  }

  @Test
  void proxy_streamsTheBytes() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/proxied/big.bin");
    assertEquals(200, r.statusCode());
    assertArrayEquals(big, r.body());
    assertEquals("3000", r.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
  }

  @Test
  void proxy_range_returns206WithContentRange() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/proxied/big.bin", "Range", "bytes=100-199");
    RangeAsserts.assertPart(r, big, 100, 199);
    assertEquals("100", r.headers().firstValue("Content-Length").orElseThrow());
    assertTrue(f.cdn.hits.stream().anyMatch(h -> "bytes=100-199".equals(h.range())), "the range went upstream: " + f.cdn.hits);
  }

  @Test
  void proxy_openAndSuffixRanges() throws Exception {
    HttpResponse<byte[]> open = f.getBytes("/d/proxied/big.bin", "Range", "bytes=2990-");
    RangeAsserts.assertPart(open, big, 2990, 2999);
    RangeAsserts.assertPart(f.getBytes("/d/proxied/big.bin", "Range", "bytes=-5"), big, 2995, 2999);
  }

  @Test
  void proxy_unsatisfiableRange_is416() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/proxied/big.bin", "Range", "bytes=5000-");
    assertEquals(416, r.statusCode());
    assertEquals("bytes */3000", r.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void auto_followsDriverPreference_proxyForwardsReferer() throws Exception {
    HttpResponse<byte[]> r = f.getBytes("/d/guarded/big.bin", "Range", "bytes=0-9");
    RangeAsserts.assertPart(r, big, 0, 9, "auto must proxy a link that prefers proxy");
    assertTrue(f.guardedCdn.hits.stream().allMatch(h -> HostFixture.REFERER.equals(h.referer())), f.guardedCdn.hits.toString());
  }

  @Test
  void proxyUrl_redirectsToPrefixWithVerifiableSign() throws Exception {
    HttpResponse<String> r = f.get("/d/signed/big.bin");
    assertEquals(302, r.statusCode());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith(HostFixture.PROXY_PREFIX + "/signed/big.bin?sign="), location);
    String sign = URLDecoder.decode(location.substring(location.indexOf("sign=") + 5), StandardCharsets.UTF_8);
    // What an external proxy does: recompute the HMAC with the shared key.
    long expires = Long.parseLong(sign.substring(sign.indexOf(':') + 1));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("test-sign-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(("/signed/big.bin:" + expires).getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected + ":" + expires, sign);
    // ... and then fetches from the host's signed proxy route.
    HttpResponse<byte[]> bytes = f.getBytes("/p/signed/big.bin?sign=" + java.net.URLEncoder.encode(sign, StandardCharsets.UTF_8));
    assertEquals(200, bytes.statusCode());
    assertArrayEquals(big, bytes.body());
  }

  @Test
  void signedProxy_wrongOrMissingSign_is403() throws Exception {
    assertEquals(403, f.get("/p/signed/big.bin").statusCode());
    String otherFile = f.host.signer().sign("/signed/a.txt");
    assertEquals(403, f.get("/p/signed/big.bin?sign=" + java.net.URLEncoder.encode(otherFile, StandardCharsets.UTF_8)).statusCode());
    assertEquals(403, f.get("/p/signed/big.bin?sign=abc:1").statusCode());
  }

  @Test
  void folder_cannotBeDownloaded() throws Exception {
    assertEquals(400, f.get("/d/disk/docs").statusCode());
  }

  @Test
  void proxy_activeContent_isServedAsSandboxedAttachment() throws Exception {
    Files.writeString(f.data.resolve("evil.html"), "<script>alert(1)</script>");
    HttpResponse<String> r = f.get("/d/proxied/evil.html");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
    assertEquals("sandbox", r.headers().firstValue("Content-Security-Policy").orElseThrow());
  }

  @Test
  void proxy_ofAFileWithoutAKnownSize_servesRangesAndTheWholeFile() throws Exception {
    assertEquals("", org.jsoup.Jsoup.parse(f.get("/b/nosize").body()).select("tr[data-path=/nosize/big.bin] td.num").text(),
        "the listing knows no size");
    HttpResponse<byte[]> part = f.getBytes("/d/nosize/big.bin", "Range", "bytes=10-19");
    RangeAsserts.assertPart(part, big, 10, 19);
    RangeAsserts.assertPart(f.getBytes("/d/nosize/big.bin", "Range", "bytes=-5"), big, big.length - 5, big.length - 1);
    HttpResponse<byte[]> whole = f.getBytes("/d/nosize/big.bin");
    assertEquals(200, whole.statusCode());
    assertArrayEquals(big, whole.body(), "never 0 bytes");
  }
}
