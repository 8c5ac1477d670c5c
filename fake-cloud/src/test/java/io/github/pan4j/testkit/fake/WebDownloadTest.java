package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** download_info and the relay → inner → edge chain of §5.4. */
class WebDownloadTest {
  private final WebFixture f = new WebFixture();
  private Node file;

  @BeforeEach
  void setUp() {
    f.login();
    file = f.store.createFile(f.demo.uid(), FakeStore.ROOT, "hello world.txt", f.store.putBlob("hello, world".getBytes(StandardCharsets.UTF_8)));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private String downloadUrl() {
    JsonNode r = f.post("/file/download_info", "{\"driveId\":0,\"etag\":\"" + file.md5() + "\",\"fileId\":" + file.id()
        + ",\"fileName\":\"hello world.txt\",\"s3keyFlag\":\"" + f.demo.uid() + "-0\",\"size\":12,\"type\":0}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals("ok", r.get("message").asText());
    return r.get("data").get("DownloadUrl").asText();
  }

  /** OL's algorithm: decode params, GET inner with the web Referer, take Location or redirect_url. */
  private String follow(String outer) throws Exception {
    HttpUrl ou = HttpUrl.get(outer);
    String params = ou.queryParameter("params");
    String inner = params == null ? outer : new String(Base64.getDecoder().decode(params), StandardCharsets.UTF_8);
    try (Response r = f.raw(new Request.Builder().url(inner).header("Referer", f.web.webOrigin()).build())) {
      if (r.code() == 302) return r.header("Location");
      assertTrue(r.code() < 300, "inner status " + r.code());
      return Json.mapper().readTree(r.body().string()).get("data").get("redirect_url").asText();
    }
  }

  @Test
  void downloadInfo_relayShape_302_edgeServesBytesAndRanges() throws Exception {
    String outer = downloadUrl();
    HttpUrl ou = HttpUrl.get(outer);
    assertEquals("/download-v2/", ou.encodedPath());
    assertEquals("0", ou.queryParameter("is_s3"));
    String inner = new String(Base64.getDecoder().decode(ou.queryParameter("params")), StandardCharsets.UTF_8);
    HttpUrl iu = HttpUrl.get(inner);
    assertEquals("0", iu.queryParameter("auto_redirect"));
    assertNotNull(iu.queryParameter("t"));
    assertTrue(iu.encodedPath().contains("/" + f.demo.uid() + "-0/" + file.md5()));
    String edge = follow(outer);
    String referer = ou.scheme() + "://" + ou.host() + ":" + ou.port() + "/";
    assertEquals(f.web.relayOrigin(), referer);
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", referer).build())) {
      assertEquals(200, r.code());
      assertEquals("hello, world", r.body().string());
    }
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", referer).header("Range", "bytes=7-").build())) {
      assertEquals(206, r.code());
      assertEquals("world", r.body().string());
    }
  }

  @Test
  void jsonRedirectModes_200And210() throws Exception {
    for (WebFrontDoor.RedirectMode m : new WebFrontDoor.RedirectMode[] {WebFrontDoor.RedirectMode.JSON_200, WebFrontDoor.RedirectMode.JSON_210}) {
      f.web.redirectMode(m);
      String outer = downloadUrl();
      String inner = new String(Base64.getDecoder().decode(HttpUrl.get(outer).queryParameter("params")), StandardCharsets.UTF_8);
      try (Response r = f.raw(new Request.Builder().url(inner).header("Referer", f.web.webOrigin()).build())) {
        assertEquals(m == WebFrontDoor.RedirectMode.JSON_200 ? 200 : 210, r.code());
        JsonNode j = Json.mapper().readTree(r.body().string());
        assertEquals(0, j.get("code").asInt());
        assertEquals("ok", j.get("message").asText());
        assertTrue(j.get("data").get("redirect_url").asText().startsWith("http"));
      }
    }
  }

  @Test
  void edgeWithoutReferer_servedWhenNotRequired_innerStillChecked() throws Exception {
    f.web.requireEdgeReferer(false);
    String outer = downloadUrl();
    String edge = follow(outer);
    try (Response r = f.raw(new Request.Builder().url(edge).build())) {
      assertEquals(200, r.code());
      assertEquals("hello, world", r.body().string());
    }
    String inner = new String(Base64.getDecoder().decode(HttpUrl.get(downloadUrl()).queryParameter("params")), StandardCharsets.UTF_8);
    try (Response r = f.raw(new Request.Builder().url(inner).build())) {
      assertEquals(403, r.code(), "the redirect probe still needs the web origin");
    }
  }

  @Test
  void referers_areChecked() throws Exception {
    String outer = downloadUrl();
    String inner = new String(Base64.getDecoder().decode(HttpUrl.get(outer).queryParameter("params")), StandardCharsets.UTF_8);
    try (Response r = f.raw(new Request.Builder().url(inner).build())) {
      assertEquals(403, r.code());
    }
    try (Response r = f.raw(new Request.Builder().url(inner).header("Referer", f.web.relayOrigin()).build())) {
      assertEquals(403, r.code(), "inner wants the web origin");
    }
    String edge = follow(outer);
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", f.web.webOrigin()).build())) {
      assertEquals(403, r.code(), "edge wants the relay origin");
    }
    assertEquals(f.web.webOrigin(), f.cloud.requests("cdn", "/123-web/").get(2).header("Referer"));
  }

  private String innerOf(String outer) {
    return new String(Base64.getDecoder().decode(HttpUrl.get(outer).queryParameter("params")), StandardCharsets.UTF_8);
  }

  private int status(String url, String referer) {
    Request.Builder b = new Request.Builder().url(url);
    if (referer != null) b.header("Referer", referer);
    try (Response r = f.raw(b.build())) {
      return r.code();
    }
  }

  /** OpenList: probe with https://yun.123pan.com/, fetch the edge with the outer DownloadUrl's origin. */
  @Test
  void openListReferers_hardCodedYunOrigin_thenOuterOrigin() throws Exception {
    String outer = downloadUrl();
    String edge;
    try (Response r = f.raw(new Request.Builder().url(innerOf(outer)).header("Referer", "https://yun.123pan.com/").build())) {
      assertEquals(302, r.code());
      edge = r.header("Location");
    }
    HttpUrl ou = HttpUrl.get(outer);
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", ou.scheme() + "://" + ou.host() + ":" + ou.port() + "/").build())) {
      assertEquals(200, r.code());
      assertEquals("hello, world", r.body().string());
    }
  }

  /** alist: https://www.123pan.com/ on both the probe and the final link. */
  @Test
  void alistReferers_wwwOriginOnProbeAndEdge() throws Exception {
    String edge;
    try (Response r = f.raw(new Request.Builder().url(innerOf(downloadUrl())).header("Referer", "https://www.123pan.com/").build())) {
      assertEquals(302, r.code());
      edge = r.header("Location");
    }
    assertEquals(200, status(edge, "https://www.123pan.com/"));
  }

  @Test
  void every123WebOrigin_isTaken_othersAreNot() throws Exception {
    for (String o : new String[] {"https://www.123pan.com/", "https://yun.123pan.com/", "https://www.123pan.cn/", "https://yun.123pan.cn/",
        "https://yun.123pan.cn", "https://yun.123pan.cn/s/page.html"}) {
      assertEquals(302, status(innerOf(downloadUrl()), o), o);
    }
    for (String o : new String[] {"https://evil.example/", "http://yun.123pan.com/", "https://yun.123pan.com.evil.example/", "not a url", ""}) {
      assertEquals(403, status(innerOf(downloadUrl()), o), o);
    }
    assertEquals(302, status(innerOf(downloadUrl()), "https://www.123912.com/"), "one of 123's other web hosts");
    String edge = follow(downloadUrl());
    assertEquals(200, status(edge, "https://yun.123pan.cn/"));
    assertEquals(200, status(edge, "https://web-pro2.123952.com/"), "123's real relay host, as a capture shows it");
    assertEquals(403, status(edge, "https://evil.example/"));
    assertEquals(403, status(edge, null));
  }

  @Test
  void refererOrigins_setting_narrowsToTheFakesOwn() throws Exception {
    f.web.refererOrigins(java.util.List.of());
    assertEquals(403, status(innerOf(downloadUrl()), "https://yun.123pan.com/"));
    assertEquals(403, status(follow(downloadUrl()), "https://web-pro2.123952.com/"), "narrowed: no real relay host either");
    assertEquals(302, status(innerOf(downloadUrl()), f.web.webOrigin()));
    f.web.refererOrigins(java.util.List.of("https://mirror.example"));
    assertEquals(302, status(innerOf(downloadUrl()), "https://mirror.example/"));
    assertEquals(403, status(innerOf(downloadUrl()), "https://www.123pan.com/"));
  }

  @Test
  void expiredTicket_403() throws Exception {
    String outer = downloadUrl();
    String edge = follow(outer);
    f.clock.advance(Duration.ofSeconds(24 * 3600 + 1));
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", f.web.relayOrigin()).build())) {
      assertEquals(403, r.code());
    }
    String inner = new String(Base64.getDecoder().decode(HttpUrl.get(outer).queryParameter("params")), StandardCharsets.UTF_8);
    try (Response r = f.raw(new Request.Builder().url(inner).header("Referer", f.web.webOrigin()).build())) {
      assertEquals(403, r.code());
    }
  }

  @Test
  void withoutParamsKnob_downloadUrlIsTheInnerUrl() throws Exception {
    f.web.downloadUrlWithoutParams(true);
    String outer = downloadUrl();
    assertFalse(outer.contains("params="));
    String edge = follow(outer);
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", f.web.relayOrigin()).build())) {
      assertEquals(200, r.code());
    }
  }

  @Test
  void trafficQuota_5113_missing_5066_folder_400() {
    f.demo.downloadQuota(5);
    JsonNode r = f.post("/file/download_info", "{\"fileId\":" + file.id() + "}");
    assertEquals(5113, r.get("code").asInt());
    f.demo.downloadQuota(-1);
    assertEquals(5066, f.post("/file/download_info", "{\"fileId\":\"999\"}").get("code").asInt());
    Node dir = f.store.mkdir(f.demo.uid(), FakeStore.ROOT, "d");
    assertEquals(400, f.post("/file/download_info", "{\"fileId\":" + dir.id() + "}").get("code").asInt());
  }

  @Test
  void trafficQuota_isPerChinaDay_andVipHasNone() {
    String body = "{\"fileId\":" + file.id() + "}";
    f.demo.downloadQuota(file.size());
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt());
    assertEquals(5113, f.post("/file/download_info", body).get("code").asInt(), "the day's traffic is spent");
    f.demo.vip(true);
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt(), "VIP downloads without a quota");
    f.demo.vip(false);
    assertEquals(5113, f.post("/file/download_info", body).get("code").asInt());
    // The fixture's clock began at 08:00 in China and each call moved it one second; 16 hours on
    // it is past midnight there, and the day's traffic is whole again.
    f.clock.advance(Duration.ofHours(16));
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt());
    assertEquals(5113, f.post("/file/download_info", body).get("code").asInt());
  }

  /**
   * The edge URL ends in a ticket and names the file only in its query: a browser (the web app's
   * own downloads) or a download manager saves it under the name Content-Disposition gives.
   */
  @Test
  void edge_namesTheFile_inContentDisposition() throws Exception {
    file = f.store.createFile(f.demo.uid(), FakeStore.ROOT, "季度 报告.pdf", f.store.putBlob("pdf".getBytes(StandardCharsets.UTF_8)));
    String edge = follow(downloadUrl());
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", f.web.relayOrigin()).build())) {
      assertEquals(200, r.code());
      assertEquals("attachment; filename=\"%E5%AD%A3%E5%BA%A6%20%E6%8A%A5%E5%91%8A.pdf\"; "
          + "filename*=UTF-8''%E5%AD%A3%E5%BA%A6%20%E6%8A%A5%E5%91%8A.pdf", r.header("Content-Disposition"));
    }
  }
}
