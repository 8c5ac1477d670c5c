package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The open platform's answers that the protocol notes leave open and that only Java tests could
 * choose before (the two 401 texts, download_info of a folder, a file outside direct-link space,
 * a cap on infos ids, the 20103 window after an upload, a permanent share's expiration): each is
 * flipped over {@code POST /_fake/settings} and seen to change what a raw HTTP client gets, as a
 * client in another language running against {@code pan4j fake-cloud} would.
 */
class OpenUnknownSettingsTest {
  private final DemoCloud demo = DemoCloud.start(0, 0);
  private final FakeCloud cloud = demo.cloud();
  private final FakeStore store = cloud.store();
  private final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void tearDown() {
    demo.close();
  }

  private JsonNode call(String method, String path, String json, String token) throws IOException {
    return SettingsOverHttp.open(cloud, method, path, json, token);
  }

  private JsonNode set(String json) {
    return SettingsOverHttp.set(cloud, "open", json);
  }

  private int setStatus(String json) {
    return SettingsOverHttp.status(cloud, "open", json);
  }

  private String token() throws IOException {
    JsonNode r = call("POST", "/api/v1/access_token", "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}", null);
    assertEquals(0, r.get("code").asInt(), r.toString());
    return r.get("data").get("accessToken").asText();
  }

  private Node file(long parent, String name) {
    return store.createFile(demo.account().uid(), parent, name, store.putBlob(name.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertReply(int code, String message, JsonNode r) {
    assertEquals(code, r.get("code").asInt(), r.toString());
    if (message != null) assertEquals(message, r.get("message").asText(), r.toString());
  }

  @Test
  void tokenTexts_unknownAndExpired_areSettings() throws IOException {
    set("{\"open.qps\": false, \"open.tokenLifetime\": 60}");
    assertReply(401, "access_token无效", call("GET", "/api/v1/user/info", null, "nope"));
    assertEquals("access_token已失效", set("{\"open.invalidTokenMessage\": \"access_token已失效\"}")
        .get("open.invalidTokenMessage").asText());
    assertReply(401, "access_token已失效", call("GET", "/api/v1/user/info", null, "nope"));
    assertReply(401, "access_token已失效", call("GET", "/api/v1/user/info", null, null));

    String token = token();
    assertReply(0, null, call("GET", "/api/v1/user/info", null, token));
    call("POST", "/_fake/clock/advance", "{\"seconds\": 61}", null);
    assertReply(401, "access_token已过期", call("GET", "/api/v1/user/info", null, token));
    set("{\"open.expiredTokenMessage\": \"access_token无效\"}");
    assertReply(401, "access_token无效", call("GET", "/api/v1/user/info", null, token));
    assertEquals(400, setStatus("{\"open.expiredTokenMessage\": \"\"}"), "an empty text");
    assertEquals(400, setStatus("{\"open.invalidTokenMessage\": 401}"), "not a string");
  }

  @Test
  void downloadInfoOfAFolder_5066ByDefault_orAnotherCode() throws IOException {
    String token = token();
    long dir = store.mkdir(demo.account().uid(), FakeStore.ROOT, "dir").id();
    assertReply(5066, null, call("GET", "/api/v1/file/download_info?fileId=" + dir, null, token));
    set("{\"open.qps\": false, \"open.folderDownloadInfoCode\": 1}");
    assertReply(1, "不支持下载文件夹", call("GET", "/api/v1/file/download_info?fileId=" + dir, null, token));
    long f = file(FakeStore.ROOT, "a.txt").id();
    assertReply(0, null, call("GET", "/api/v1/file/download_info?fileId=" + f, null, token));
    assertEquals(400, setStatus("{\"open.folderDownloadInfoCode\": 0}"), "0 is success, not a refusal");
  }

  @Test
  void directLinkOfAFileOutsideTheSpace_code1ByDefault_orAnotherCode() throws IOException {
    set("{\"open.qps\": false, \"account." + demo.account().uid() + ".vip\": true}");
    String token = token();
    long f = file(FakeStore.ROOT, "outside.txt").id();
    assertReply(1, "该文件不在直链空间内，请先开启直链空间", call("GET", "/api/v1/direct-link/url?fileID=" + f, null, token));
    set("{\"open.outsideDirectLinkSpaceCode\": 5066}");
    assertReply(5066, "该文件不在直链空间内，请先开启直链空间", call("GET", "/api/v1/direct-link/url?fileID=" + f, null, token));
  }

  @Test
  void infosIds_noCapByDefault_orACap() throws IOException {
    set("{\"open.qps\": false}");
    String token = token();
    String ids = file(0, "a").id() + "," + file(0, "b").id() + "," + file(0, "c").id();
    JsonNode all = call("POST", "/api/v1/file/infos", "{\"fileIds\":[" + ids + "]}", token);
    assertEquals(3, all.get("data").get("fileList").size(), all.toString());
    set("{\"open.infosMaxIds\": 2}");
    assertReply(1, "fileIds最多支持2个", call("POST", "/api/v1/file/infos", "{\"fileIds\":[" + ids + "]}", token));
    String two = ids.substring(0, ids.lastIndexOf(','));
    assertEquals(2, call("POST", "/api/v1/file/infos", "{\"fileIds\":[" + two + "]}", token).get("data").get("fileList").size());
    assertEquals(400, setStatus("{\"open.infosMaxIds\": -1}"));

    set("{\"open.infosMaxIds\": 0}");
    String withUnknown = "{\"fileIds\":[" + two + ",987654321]}";
    assertEquals(2, call("POST", "/api/v1/file/infos", withUnknown, token).get("data").get("fileList").size(), "left out");
    set("{\"open.infosRefuseUnknownIds\": true}");
    assertReply(5066, null, call("POST", "/api/v1/file/infos", withUnknown, token));
    assertEquals(2, call("POST", "/api/v1/file/infos", "{\"fileIds\":[" + two + "]}", token).get("data").get("fileList").size());
  }

  @Test
  void verifyingWindowAfterUpload_offByDefault_orSomeSeconds() throws IOException {
    set("{\"open.qps\": false}");
    String token = token();
    long f = file(FakeStore.ROOT, "fresh.txt").id();
    assertReply(0, null, call("GET", "/api/v1/file/download_info?fileId=" + f, null, token));
    set("{\"open.verifyingAfterUpload\": 30}");
    assertReply(20103, "文件正在校验中,请间隔1秒后再试", call("GET", "/api/v1/file/download_info?fileId=" + f, null, token));
    set("{\"open.verifyingAfterUploadRate\": 0}");
    assertReply(0, null, call("GET", "/api/v1/file/download_info?fileId=" + f, null, token));
    set("{\"open.verifyingAfterUploadRate\": 1}");
    call("POST", "/_fake/clock/advance", "{\"seconds\": 31}", null);
    assertReply(0, null, call("GET", "/api/v1/file/download_info?fileId=" + f, null, token));
  }

  @Test
  void permanentShareExpiration_emptyByDefault_orAFarDate() throws IOException {
    set("{\"open.qps\": false}");
    String token = token();
    long f = file(FakeStore.ROOT, "shared.txt").id();
    assertReply(0, null, call("POST", "/api/v1/share/create",
        "{\"shareName\":\"s\",\"shareExpire\":0,\"fileIDList\":\"" + f + "\"}", token));
    JsonNode listed = call("GET", "/api/v1/share/list?limit=10", null, token);
    assertEquals("", listed.get("data").get("shareList").get(0).get("expiration").asText(), listed.toString());
    set("{\"open.permanentShareExpiration\": \"2099-12-31 23:59:59\"}");
    listed = call("GET", "/api/v1/share/list?limit=10", null, token);
    assertEquals("2099-12-31 23:59:59", listed.get("data").get("shareList").get(0).get("expiration").asText());
    assertTrue(setStatus("{\"open.permanentShareExpiration\": 0}") == 400, "a string");
  }

  @Test
  void tooFrequentText_uploadFailedCode_invalidNameCode_areSettings() throws IOException {
    set("{\"open.qps\": false}");
    String token = token();
    String fault = "{\"server\":\"open\",\"path\":\"/api/v1/user/info\",\"kind\":\"429\",\"times\":1}";
    call("POST", "/_fake/faults", fault, null);
    assertReply(429, "请求太频繁", call("GET", "/api/v1/user/info", null, token));
    set("{\"open.tooFrequentMessage\": \"请求过于频繁\"}");
    call("POST", "/_fake/faults", fault, null);
    assertReply(429, "请求过于频繁", call("GET", "/api/v1/user/info", null, token));

    assertReply(1, null, call("POST", "/upload/v1/file/mkdir", "{\"name\":\"a|b\",\"parentID\":0}", token));
    set("{\"open.invalidNameCode\": 5064}");
    JsonNode bad = call("POST", "/upload/v1/file/mkdir", "{\"name\":\"a|b\",\"parentID\":0}", token);
    assertReply(5064, null, bad);
    assertTrue(bad.get("message").asText().startsWith("文件名要小于256个字符"), bad.toString());

    assertReply(1, "文件上传失败", singleWithWrongEtag(token, "x1.bin"));
    set("{\"open.uploadFailedCode\": 5000}");
    assertReply(5000, "文件上传失败", singleWithWrongEtag(token, "x2.bin"));
    assertEquals(400, setStatus("{\"open.uploadFailedCode\": 0}"));
  }

  @Test
  void nameClashAndIntoItselfCodes_1ByDefault_orAnother() throws IOException {
    set("{\"open.qps\": false}");
    String token = token();
    long a = file(FakeStore.ROOT, "a.txt").id();
    file(FakeStore.ROOT, "b.txt");
    String rename = "{\"fileId\":" + a + ",\"fileName\":\"b.txt\"}";
    assertReply(1, "当前目录有重名文件", call("PUT", "/api/v1/file/name", rename, token));
    set("{\"open.nameClashCode\": 5060}");
    assertReply(5060, "当前目录有重名文件", call("PUT", "/api/v1/file/name", rename, token));
    long dir = store.mkdir(demo.account().uid(), FakeStore.ROOT, "d").id();
    long inDir = file(dir, "a.txt").id();
    assertReply(5060, "目标目录下存在同名文件", call("POST", "/api/v1/file/move",
        "{\"fileIDs\":[" + inDir + "],\"toParentFileID\":0}", token));

    long sub = store.mkdir(demo.account().uid(), dir, "sub").id();
    String intoItself = "{\"fileIDs\":[" + dir + "],\"toParentFileID\":" + sub + "}";
    assertReply(1, "不能将文件夹移动到自身或其子文件夹下", call("POST", "/api/v1/file/move", intoItself, token));
    set("{\"open.intoItselfCode\": 400}");
    assertReply(400, "不能将文件夹移动到自身或其子文件夹下", call("POST", "/api/v1/file/move", intoItself, token));
  }

  @Test
  void sliceRefusalCode_1ByDefault_orAnother() throws IOException {
    set("{\"open.qps\": false}");
    String token = token();
    String v2 = "{\"parentFileID\":0,\"filename\":\"s.bin\",\"etag\":\"0cc175b9c0f1b6a831c399e269772661\",\"size\":1}";
    String pre = call("POST", "/upload/v2/file/create", v2, token).get("data").get("preuploadID").asText();
    assertReply(1, "分片MD5校验失败", slice(token, pre, "92eb5ffee6ae2fec3ad71c777531578f"));
    assertReply(1, "分片未全部上传，请检查后重试", call("POST", "/upload/v2/file/upload_complete", "{\"preuploadID\":\"" + pre + "\"}", token));
    set("{\"open.sliceRefusalCode\": 400}");
    assertReply(400, "分片MD5校验失败", slice(token, pre, "92eb5ffee6ae2fec3ad71c777531578f"));
    assertReply(400, "preuploadID不存在", slice(token, "nope", "0cc175b9c0f1b6a831c399e269772661"));
    assertReply(400, "分片未全部上传，请检查后重试", call("POST", "/upload/v2/file/upload_complete", "{\"preuploadID\":\"" + pre + "\"}", token));
    assertReply(0, null, slice(token, pre, "0cc175b9c0f1b6a831c399e269772661"));
  }

  @Test
  void accountSpace_uploadsPastItAreRefused_codeTextTotalAndCheckAreSettings() throws Exception {
    set("{\"open.qps\": false}");
    String token = token();
    long used = call("GET", "/api/v1/user/info", null, token).get("data").get("spaceUsed").asLong();
    long uid = demo.account().uid();
    assertEquals(used + 10, set("{\"account." + uid + ".spacePermanent\": " + (used + 10) + "}")
        .get("account." + uid + ".spacePermanent").asLong());
    assertEquals(used + 10, call("GET", "/api/v1/user/info", null, token).get("data").get("spacePermanent").asLong());

    byte[] eleven = "eleven byte".getBytes(StandardCharsets.UTF_8);
    String md5 = md5(eleven);
    String create = "{\"parentFileID\":0,\"filename\":\"big.bin\",\"etag\":\"" + md5 + "\",\"size\":11,\"duplicate\":1}";
    assertReply(1, "存储空间不足", call("POST", "/upload/v2/file/create", create, token));
    assertReply(1, "存储空间不足", call("POST", "/upload/v1/file/create", create, token));
    assertReply(1, "存储空间不足", single(token, "big.bin", eleven, md5));
    // An instant upload makes a file that counts in spaceUsed like any other: refused too.
    Blob known = store.putBlob(eleven);
    assertReply(1, "存储空间不足", call("POST", "/upload/v2/file/create", create, token));
    assertReply(1, "存储空间不足", call("POST", "/upload/v2/file/sha1_reuse", "{\"parentFileID\":0,\"filename\":\"big.bin\","
        + "\"sha1\":\"" + known.sha1() + "\",\"size\":11}", token));
    assertTrue(store.child(uid, FakeStore.ROOT, "big.bin").isEmpty(), "nothing stored");
    assertEquals(used, call("GET", "/api/v1/user/info", null, token).get("data").get("spaceUsed").asLong());
    byte[] ten = "ten bytes!".getBytes(StandardCharsets.UTF_8);
    assertReply(0, null, single(token, "fits.bin", ten, md5(ten)));
    assertReply(1, "存储空间不足", single(token, "one.bin", "a".getBytes(StandardCharsets.UTF_8), "0cc175b9c0f1b6a831c399e269772661"));

    set("{\"open.spaceFullCode\": 5054, \"open.spaceFullMessage\": \"空间不足，请扩容\"}");
    assertReply(5054, "空间不足，请扩容", call("POST", "/upload/v2/file/create", create, token));
    assertFalse(set("{\"store.checkSpace\": false}").get("store.checkSpace").asBoolean());
    JsonNode r = call("POST", "/upload/v2/file/create", create, token);
    assertReply(0, null, r);
    assertTrue(r.get("data").get("reuse").asBoolean(), r.toString());
    assertEquals(400, setStatus("{\"open.spaceFullCode\": 0}"));
    assertEquals(400, setStatus("{\"account." + uid + ".spacePermanent\": -1}"));
  }

  @Test
  void defaultSpace_isFarAboveWhatSuitesAndTheBenchUpload() throws IOException {
    // The bench puts files of 1 GiB (and several rounds of them); the demo account has 2 TiB.
    set("{\"open.qps\": false}");
    String token = token();
    String create = "{\"parentFileID\":0,\"filename\":\"g.bin\",\"etag\":\"" + "0".repeat(32) + "\",\"size\":" + (10L << 30) + "}";
    assertReply(0, null, call("POST", "/upload/v2/file/create", create, token));
    assertEquals(2L << 40, call("GET", "/api/v1/user/info", null, token).get("data").get("spacePermanent").asLong());
  }

  @Test
  void duplicateOneAndTwo_asDocumentedByDefault_orSwapped() throws IOException {
    set("{\"open.qps\": false}");
    String token = token();
    long uid = demo.account().uid();
    Node old = file(FakeStore.ROOT, "d.txt");
    byte[] b = "new".getBytes(StandardCharsets.UTF_8);
    JsonNode kept = single(token, "d.txt", b, md5(b), 1);
    assertReply(0, null, kept);
    assertEquals("d(1).txt", store.node(uid, kept.get("data").get("fileID").asLong()).orElseThrow().name(), "1 keeps both");
    assertFalse(store.isTrashed(old));
    assertTrue(set("{\"open.duplicateSwapped\": true}").get("open.duplicateSwapped").asBoolean());
    JsonNode over = single(token, "d.txt", b, md5(b), 1);
    assertReply(0, null, over);
    assertEquals("d.txt", store.node(uid, over.get("data").get("fileID").asLong()).orElseThrow().name());
    assertTrue(store.isTrashed(old), "swapped: 1 overwrites");
    JsonNode both = call("POST", "/upload/v2/file/create", "{\"parentFileID\":0,\"filename\":\"d.txt\",\"etag\":\""
        + md5(b) + "\",\"size\":3,\"duplicate\":2}", token);
    assertReply(0, null, both);
    assertEquals("d(2).txt", store.node(uid, both.get("data").get("fileID").asLong()).orElseThrow().name(), "swapped: 2 keeps both");
  }

  @Test
  void oauthRefusal_envelopeByDefault_orRfc6749Shape() throws IOException {
    demo.open().oauthApp("app-1", "app-secret");
    String refresh = "/api/v1/oauth2/access_token?client_id=app-1&client_secret=app-secret&grant_type=refresh_token&refresh_token=nope";
    JsonNode r = call("POST", refresh, "{}", null);
    assertEquals(200, r.get("_status").asInt());
    assertReply(401, "refresh_token无效", r);
    assertEquals("OAUTH", set("{\"open.oauthErrorShape\": \"OAUTH\"}").get("open.oauthErrorShape").asText());
    r = call("POST", refresh, "{}", null);
    assertEquals(400, r.get("_status").asInt(), r.toString());
    assertEquals("invalid_grant", r.get("error").asText(), r.toString());
    assertEquals("refresh_token无效", r.get("error_description").asText());
    assertTrue(r.path("code").isMissingNode(), r.toString());
    r = call("POST", refresh.replace("app-secret", "wrong"), "{}", null);
    assertEquals(401, r.get("_status").asInt(), r.toString());
    assertEquals("invalid_client", r.get("error").asText());
    r = call("POST", refresh.replace("refresh_token&", "password&"), "{}", null);
    assertEquals("unsupported_grant_type", r.get("error").asText(), r.toString());
    r = call("POST", "/api/v1/oauth2/access_token?client_secret=x", "{}", null);
    assertEquals(400, r.get("_status").asInt(), r.toString());
    assertEquals("invalid_request", r.get("error").asText());
    assertEquals(400, setStatus("{\"open.oauthErrorShape\": \"XML\"}"));
  }

  private static String md5(byte[] b) throws IOException {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }

  private JsonNode single(String token, String name, byte[] bytes, String md5) throws IOException {
    return single(token, name, bytes, md5, -1);
  }

  /** single/create of {@code bytes} as {@code name} in the root, with {@code duplicate} unless it is -1. */
  private JsonNode single(String token, String name, byte[] bytes, String md5, int duplicate) throws IOException {
    okhttp3.MultipartBody.Builder b = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
        .addFormDataPart("parentFileID", "0").addFormDataPart("filename", name)
        .addFormDataPart("etag", md5).addFormDataPart("size", Integer.toString(bytes.length));
    if (duplicate >= 0) b.addFormDataPart("duplicate", Integer.toString(duplicate));
    b.addFormDataPart("file", name, RequestBody.create(bytes, MediaType.get("application/octet-stream")));
    Request req = new Request.Builder().url(cloud.baseUrl("upload") + "/upload/v2/file/single/create")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + token).post(b.build()).build();
    try (Response r = http.newCall(req).execute()) {
      return Json.mapper().readTree(r.body().string());
    }
  }

  /** Slice 1 of {@code preuploadID} holding "a", declared with {@code md5}. */
  private JsonNode slice(String token, String preuploadId, String md5) throws IOException {
    okhttp3.MultipartBody body = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
        .addFormDataPart("preuploadID", preuploadId).addFormDataPart("sliceNo", "1").addFormDataPart("sliceMD5", md5)
        .addFormDataPart("slice", "s.part1", RequestBody.create("a", MediaType.get("application/octet-stream"))).build();
    Request req = new Request.Builder().url(cloud.baseUrl("upload") + "/upload/v2/file/slice")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + token).post(body).build();
    try (Response r = http.newCall(req).execute()) {
      return Json.mapper().readTree(r.body().string());
    }
  }

  /** single/create of one byte declared with the MD5 of another. */
  private JsonNode singleWithWrongEtag(String token, String name) throws IOException {
    okhttp3.MultipartBody body = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
        .addFormDataPart("parentFileID", "0").addFormDataPart("filename", name)
        .addFormDataPart("etag", "0cc175b9c0f1b6a831c399e269772661").addFormDataPart("size", "1")
        .addFormDataPart("file", name, RequestBody.create("b", MediaType.get("application/octet-stream"))).build();
    Request req = new Request.Builder().url(cloud.baseUrl("upload") + "/upload/v2/file/single/create")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + token).post(body).build();
    try (Response r = http.newCall(req).execute()) {
      return Json.mapper().readTree(r.body().string());
    }
  }
}
