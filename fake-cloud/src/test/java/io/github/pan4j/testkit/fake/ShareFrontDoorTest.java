package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** share/get and share/download/info (§7.2, §7.3), anonymous and with a bearer. */
class ShareFrontDoorTest {
  private final WebFixture f = new WebFixture();
  private Node shared;
  private Node sub;
  private Node file;
  private Node outside;

  @BeforeEach
  void setUp() {
    FakeStore st = f.store;
    long uid = f.demo.uid();
    shared = st.mkdir(uid, 0, "shared");
    sub = st.mkdir(uid, shared.id(), "sub");
    file = st.createFile(uid, shared.id(), "a.txt", st.putBlob("share me".getBytes(StandardCharsets.UTF_8)));
    st.createFile(uid, sub.id(), "b.txt", st.putBlob("b".getBytes(StandardCharsets.UTF_8)));
    outside = st.mkdir(uid, 0, "private");
    st.createShare(new Share("vj8eVv-QQ413", "Ab1x", uid, shared.id(), null));
    st.createShare(new Share("open-Share1", null, uid, shared.id(), null));
    st.createShare(new Share("old-Share22", null, uid, shared.id(), f.clock.instant().plusSeconds(60)));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void list_root_shapeWithoutTotal_codeCaseInsensitive() {
    JsonNode r = f.get("/share/get", WebFixture.shareQuery("vj8eVv-QQ413", "aB1X", 0, 1));
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals("ok", r.get("message").asText());
    JsonNode d = r.get("data");
    List<String> names = new ArrayList<>();
    d.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("Next", "Len", "IsFirst", "Expired", "InfoList"), names);
    assertEquals("-1", d.get("Next").asText());
    assertFalse(d.get("Expired").asBoolean());
    assertEquals(2, d.get("Len").asInt());
    assertEquals(file.id(), d.get("InfoList").get(0).get("FileId").asLong(), "file_id desc");
    assertEquals(shared.id(), d.get("InfoList").get(0).get("ParentFileId").asLong());
    assertEquals(15, d.get("InfoList").get(0).size());
  }

  @Test
  void list_pageFarPastTheEnd_isAnEmptyLastPage() {
    Map<String, String> q = WebFixture.shareQuery("open-Share1", null, 0, 1);
    q.put("Page", "99999999999999999");
    JsonNode r = f.get("/share/get", q); // a business reply in HTTP 200, whatever the number
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals("-1", r.get("data").get("Next").asText());
    assertEquals(0, r.get("data").get("Len").asInt());
  }

  @Test
  void list_subfolder_withPascalCaseQuery_andBearer() {
    f.login();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ShareKey", "open-Share1");
    m.put("ParentFileId", Long.toString(sub.id()));
    m.put("Page", "1");
    m.put("limit", "100");
    JsonNode d = f.get("/share/get", m).get("data");
    assertEquals("b.txt", d.get("InfoList").get(0).get("FileName").asText());
  }

  @Test
  void list_withoutPage_400_unlessPageRequiredOff() {
    Map<String, String> m = WebFixture.shareQuery("open-Share1", null, 0, 1);
    m.remove("Page");
    assertEquals(400, f.get("/share/get", m).get("code").asInt());
    f.web.pageRequired(false);
    JsonNode r = f.get("/share/get", m);
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertTrue(r.get("data").get("IsFirst").asBoolean());
  }

  @Test
  void list_folderOutsideShare_5066() {
    assertEquals(5066, f.get("/share/get", WebFixture.shareQuery("open-Share1", null, outside.id(), 1)).get("code").asInt());
  }

  @Test
  void errors_5103_400_5104() {
    JsonNode wrong = f.get("/share/get", WebFixture.shareQuery("vj8eVv-QQ413", "zzzz", 0, 1));
    assertEquals(5103, wrong.get("code").asInt());
    assertEquals("分享码错误或者分享地址错误", wrong.get("message").asText());
    assertEquals(5103, f.get("/share/get", WebFixture.shareQuery("vj8eVv-QQ413", null, 0, 1)).get("code").asInt());
    assertEquals(5103, f.get("/share/get", WebFixture.shareQuery("nope-nope12", null, 0, 1)).get("code").asInt());
    JsonNode bad = f.get("/share/get", WebFixture.shareQuery("bad key!", null, 0, 1));
    assertEquals(400, bad.get("code").asInt());
    assertEquals("ShareKey格式异常", bad.get("message").asText());
    f.clock.advance(Duration.ofSeconds(120));
    JsonNode expired = f.get("/share/get", WebFixture.shareQuery("old-Share22", null, 0, 1));
    assertEquals(5104, expired.get("code").asInt());
    assertEquals("分享已过期", expired.get("message").asText());
  }

  @Test
  void keys_exactByDefault_settingIgnoresTheirCase_codesAlwaysDo() throws Exception {
    assertEquals(5103, f.get("/share/get", WebFixture.shareQuery("VJ8EVV-qq413", "ab1x", 0, 1)).get("code").asInt(), "keys exactly by default");
    new FakeSettings(f.cloud).apply(io.github.pan4j.core.internal.http.Json.mapper().readTree("{\"share.keysIgnoreCase\": true}"));
    JsonNode r = f.get("/share/get", WebFixture.shareQuery("VJ8EVV-qq413", "ab1x", 0, 1));
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals(2, r.get("data").get("Len").asInt());
    assertEquals(5103, f.get("/share/get", WebFixture.shareQuery("VJ8EVV-qq413", "xxxx", 0, 1)).get("code").asInt(), "the code still counts");
  }

  @Test
  void downloadInfo_DownloadURL_success_sameChain() throws Exception {
    JsonNode r = f.post("/share/download/info", "{\"shareKey\":\"vj8eVv-QQ413\",\"SharePwd\":\"Ab1x\",\"etag\":\"" + file.md5()
        + "\",\"fileId\":" + file.id() + ",\"s3keyFlag\":\"" + f.demo.uid() + "-0\",\"size\":8}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals("success", r.get("message").asText());
    assertFalse(r.get("data").has("DownloadUrl"));
    String outer = r.get("data").get("DownloadURL").asText();
    String inner = new String(Base64.getDecoder().decode(HttpUrl.get(outer).queryParameter("params")), StandardCharsets.UTF_8);
    String edge;
    try (Response res = f.raw(new Request.Builder().url(inner).header("Referer", f.web.webOrigin()).build())) {
      assertEquals(302, res.code());
      edge = res.header("Location");
    }
    try (Response res = f.raw(new Request.Builder().url(edge).header("Referer", f.web.relayOrigin()).build())) {
      assertEquals("share me", res.body().string());
    }
  }

  /** OpenList's 123_share driver sends its hard-coded https://yun.123pan.com/ to the inner URL. */
  @Test
  void downloadInfo_chainTakesOpenListsHardCodedReferer() throws Exception {
    JsonNode r = f.post("/share/download/info", "{\"shareKey\":\"vj8eVv-QQ413\",\"SharePwd\":\"Ab1x\",\"fileId\":" + file.id() + "}");
    String outer = r.get("data").get("DownloadURL").asText();
    String inner = new String(Base64.getDecoder().decode(HttpUrl.get(outer).queryParameter("params")), StandardCharsets.UTF_8);
    String edge;
    try (Response res = f.raw(new Request.Builder().url(inner).header("Referer", "https://yun.123pan.com/").build())) {
      assertEquals(302, res.code());
      edge = res.header("Location");
    }
    HttpUrl ou = HttpUrl.get(outer);
    try (Response res = f.raw(new Request.Builder().url(edge).header("Referer", ou.scheme() + "://" + ou.host() + ":" + ou.port() + "/").build())) {
      assertEquals("share me", res.body().string());
    }
  }

  @Test
  void downloadInfo_largeFileNeedsLogin_5112() {
    f.share.loginThreshold(4);
    String body = "{\"shareKey\":\"open-Share1\",\"fileId\":\"" + file.id() + "\"}";
    JsonNode anon = f.post("/share/download/info", body);
    assertEquals(5112, anon.get("code").asInt());
    f.login();
    assertEquals(0, f.post("/share/download/info", body).get("code").asInt());
  }

  @Test
  void downloadInfo_fileOfExactlyTheThreshold_needsNoLogin() {
    f.share.loginThreshold(file.size());
    String body = "{\"shareKey\":\"open-Share1\",\"fileId\":" + file.id() + "}";
    assertEquals(0, f.post("/share/download/info", body).get("code").asInt(), "≤ threshold: anonymous");
    f.share.loginThreshold(file.size() - 1);
    assertEquals(5112, f.post("/share/download/info", body).get("code").asInt(), "> threshold: login");
  }

  @Test
  void downloadInfo_deletedSource400_traffic5113() {
    String body = "{\"shareKey\":\"open-Share1\",\"fileId\":" + file.id() + "}";
    f.demo.downloadQuota(0);
    assertEquals(5113, f.post("/share/download/info", body).get("code").asInt());
    f.demo.downloadQuota(-1);
    f.store.trash(file);
    JsonNode gone = f.post("/share/download/info", body);
    assertEquals(400, gone.get("code").asInt());
    assertEquals("源文件不存在", gone.get("message").asText());
  }

  @Test
  void shareGet_isRateLimitedLikeList_perShareKey_refusedCallsSpendNothing() {
    f.web.rateLimiting(true);
    Request.Builder unknown = new Request.Builder().url(f.url("/share/get", WebFixture.shareQuery("no-suchKey1", null, 0, 1)));
    Request.Builder noCode = new Request.Builder().url(f.url("/share/get", WebFixture.shareQuery("vj8eVv-QQ413", null, 0, 1)));
    for (int i = 0; i < 3; i++) {
      assertEquals(5103, f.call(unknown, null).get("code").asInt());
      assertEquals(5103, f.call(noCode, null).get("code").asInt());
    }
    Request.Builder req = new Request.Builder().url(f.url("/share/get", WebFixture.shareQuery("open-Share1", null, 0, 1)));
    assertEquals(0, f.call(req, null).get("code").asInt());
    assertEquals(0, f.call(req, null).get("code").asInt());
    assertEquals(429, f.call(req, null).get("code").asInt());
    Request.Builder other = new Request.Builder().url(f.url("/share/get", WebFixture.shareQuery("vj8eVv-QQ413", "Ab1x", 0, 1)));
    assertEquals(0, f.call(other, null).get("code").asInt(), "another share's anonymous visitors have their own bucket");
    f.login();
    assertEquals(0, f.call(req, f.token).get("code").asInt(), "a signed-in visitor is counted by token");
  }

  @Test
  void shareGet_notRateLimitedByDefault() {
    Request.Builder req = new Request.Builder().url(f.url("/share/get", WebFixture.shareQuery("open-Share1", null, 0, 1)));
    for (int i = 0; i < 5; i++) assertEquals(0, f.call(req, null).get("code").asInt(), "call " + i);
  }
}
