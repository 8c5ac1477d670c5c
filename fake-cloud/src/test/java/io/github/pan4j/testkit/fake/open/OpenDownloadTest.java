package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class OpenDownloadTest extends OpenFixture {

  @Override
  OpenApiFrontDoor newDoor() {
    return super.newDoor().qpsEnabled(false).downloadUrlLifetime(Duration.ofMinutes(10));
  }

  private Node file(long parent, String name, String text) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(text.getBytes(StandardCharsets.UTF_8)));
  }

  private Response fetch(String url, String range) throws IOException {
    Request.Builder b = new Request.Builder().url(url);
    if (range != null) b.header("Range", range);
    return http.newCall(b.build()).execute();
  }

  /** A client in production use asks download_info with {@code platform: android}; elsewhere only open_platform passes. */
  @Test
  void platformAndroid_isTakenByDownloadInfo_only() {
    Node f = file(0, "a.txt", "abc");
    Request info = new Request.Builder().url(cloud.baseUrl("open") + "/api/v1/file/download_info?fileId=" + f.id())
        .header("Authorization", "Bearer " + token).header("platform", "android").build();
    Reply r = send(info);
    assertEquals(0, r.code(), r.raw());
    assertTrue(r.data().get("downloadUrl").asText().startsWith(cloud.baseUrl("cdn")));
    Request detail = new Request.Builder().url(cloud.baseUrl("open") + "/api/v1/file/detail?fileID=" + f.id())
        .header("Authorization", "Bearer " + token).header("platform", "android").build();
    assertEquals(1, send(detail).code(), "other endpoints still want open_platform");
    Request other = new Request.Builder().url(cloud.baseUrl("open") + "/api/v1/file/download_info?fileId=" + f.id())
        .header("Authorization", "Bearer " + token).header("platform", "web").build();
    assertEquals(1, send(other).code(), "only the value seen in use is taken");
  }

  @Test
  void downloadInfo_servesBytesWithRange_andExpires() throws IOException {
    Node f = file(0, "hello world.txt", "hello, world");
    Reply r = get("/api/v1/file/download_info", Map.of("fileId", Long.toString(f.id())));
    String url = r.data().get("downloadUrl").asText();
    assertTrue(url.startsWith(cloud.baseUrl("cdn")), url);
    try (Response resp = fetch(url, null)) {
      assertEquals(200, resp.code());
      assertEquals("hello, world", resp.body().string());
    }
    try (Response resp = fetch(url, "bytes=7-")) {
      assertEquals(206, resp.code());
      assertEquals("bytes 7-11/12", resp.header("Content-Range"));
      assertEquals("world", resp.body().string());
    }
    clock.advance(Duration.ofMillis(10 * 60_000));
    try (Response resp = fetch(url, null)) {
      assertEquals(403, resp.code());
    }
  }

  @Test
  void downloadInfo_unknownFolderOrWrongParamName_is5066OrError() {
    Reply r = get("/api/v1/file/download_info", Map.of("fileId", "4242"));
    assertEquals(5066, r.code());
    assertEquals("文件不存在，检查传入fileId是否正确", r.message());
    assertEquals(1, get("/api/v1/file/download_info", Map.of("fileID", "4242")).code());
    long d = mkdir(0, "d");
    assertEquals(5066, get("/api/v1/file/download_info", Map.of("fileId", Long.toString(d))).code());
  }

  @Test
  void downloadInfo_quotaExceeded_is5113() {
    Node f = file(0, "a.txt", "0123456789");
    demo.downloadQuota(15);
    assertEquals(0, get("/api/v1/file/download_info", Map.of("fileId", Long.toString(f.id()))).code());
    Reply r = get("/api/v1/file/download_info", Map.of("fileId", Long.toString(f.id())));
    assertEquals(5113, r.code());
    assertEquals("您今日自用下载流量已超出1GB上限，升级VIP会员可无限流量下载", r.message());
  }

  @Test
  void downloadInfo_quotaIsPerChinaDay_andVipHasNone() {
    Node f = file(0, "a.txt", "0123456789");
    Map<String, String> q = Map.of("fileId", Long.toString(f.id()));
    demo.downloadQuota(10);
    assertEquals(0, downloadCode(q));
    assertEquals(5113, downloadCode(q));
    // The fixture's clock stood at 12:00 in China (04:00 UTC); each call moves it a second (the
    // free tier allows two download_info calls per second): 11:59 later it is still that day.
    clock.advance(Duration.ofHours(11).plusMinutes(59));
    assertEquals(5113, downloadCode(q), "23:59 in China: still today");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(0, downloadCode(q), "a new day in China");
    assertEquals(5113, downloadCode(q));
    demo.vip(true);
    assertEquals(0, downloadCode(q), "VIP downloads without a quota");
  }

  /** download_info's code, a second after the previous call. */
  private int downloadCode(Map<String, String> q) {
    clock.advance(Duration.ofSeconds(1));
    return get("/api/v1/file/download_info", q).code();
  }

  @Test
  void directLink_bytesServed_comeOffDirectTraffic() throws IOException {
    demo.vip(true);
    long space = mkdir(0, "pub");
    Node f = file(space, "a.txt", "direct!");
    assertEquals(0, post("/api/v1/direct-link/enable", "{\"fileID\":" + space + "}").code());
    String url = get("/api/v1/direct-link/url", Map.of("fileID", Long.toString(f.id()))).data().get("url").asText();
    long before = get("/api/v1/user/info", Map.of()).data().get("directTraffic").asLong();
    assertEquals(1L << 40, before);
    try (Response whole = fetch(url, null); Response part = fetch(url, "bytes=0-1")) {
      assertEquals("direct!", whole.body().string());
      assertEquals(206, part.code());
    }
    assertEquals(before - 7 - 2, get("/api/v1/user/info", Map.of()).data().get("directTraffic").asLong());
    assertEquals(before - 9, demo.directTraffic());
  }

  @Test
  void directLink_enableThenUrl_servedByVipCdn() throws IOException {
    demo.vip(true);
    long space = mkdir(0, "pub");
    Node f = file(space, "a b.txt", "direct!");
    assertEquals(1, get("/api/v1/direct-link/url", Map.of("fileID", Long.toString(f.id()))).code());
    Reply en = post("/api/v1/direct-link/enable", "{\"fileID\":" + space + "}");
    assertEquals("pub", en.data().get("filename").asText());
    Reply u = get("/api/v1/direct-link/url", Map.of("fileID", Long.toString(f.id())));
    String url = u.data().get("url").asText();
    assertTrue(url.startsWith(cloud.baseUrl("vip") + "/" + demo.uid() + "/pub/"), url);
    try (Response resp = fetch(url, null)) {
      assertEquals("direct!", resp.body().string());
    }
    assertEquals(0, post("/api/v1/direct-link/disable", "{\"fileID\":" + space + "}").code());
    assertEquals(1, get("/api/v1/direct-link/url", Map.of("fileID", Long.toString(f.id()))).code());
    assertEquals(1, post("/api/v1/direct-link/enable", "{\"fileID\":0}").code());
  }

  @Test
  void directLink_enableOrDisable_ofAFolderInTheRecycleBin_is5066() {
    demo.vip(true);
    long outer = mkdir(0, "outer");
    long inner = mkdir(outer, "inner");
    assertEquals(0, post("/api/v1/file/trash", "{\"fileIDs\":[" + outer + "]}").code());
    for (long id : new long[] {outer, inner}) {
      for (String call : new String[] {"enable", "disable"}) {
        Reply r = post("/api/v1/direct-link/" + call, "{\"fileID\":" + id + "}");
        assertEquals(5066, r.code(), call + " " + r.raw());
      }
      assertTrue(!store.node(demo.uid(), id).orElseThrow().directLinkSpace(), "no space switched on in the bin");
    }
  }

  @Test
  void directLink_requiresVip() {
    long space = mkdir(0, "pub");
    assertEquals(1, post("/api/v1/direct-link/enable", "{\"fileID\":" + space + "}").code());
  }
}
