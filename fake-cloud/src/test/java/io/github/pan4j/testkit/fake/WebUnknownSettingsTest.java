package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The web API's answers that the protocol notes leave open and that had no setting before (a
 * download of a file refused by review, the risk-control codes 1010 and 50001, {@code Next} on a
 * page that is not the last, the wrong-password reply, a {@code mail} sign-in without {@code type}):
 * each is flipped over {@code POST /_fake/settings} and seen to change what a raw HTTP client gets.
 */
class WebUnknownSettingsTest {
  private final WebFixture f = new WebFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private JsonNode settings(String json) {
    return SettingsOverHttp.set(f.cloud, "web", json);
  }

  private int settingsStatus(String json) {
    return SettingsOverHttp.status(f.cloud, "web", json);
  }

  private Node file(long parent, String name) {
    return f.store.createFile(f.demo.uid(), parent, name, f.store.putBlob(name.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void downloadOfAFileRefusedByReview_servedByDefault_orRefusedWithACode() {
    f.login();
    Node shared = f.store.mkdir(f.demo.uid(), FakeStore.ROOT, "shared");
    Node blocked = file(shared.id(), "blocked.txt");
    f.store.setReviewStatus(blocked, 104);
    f.store.createShare(new Share("rev-Share01", null, f.demo.uid(), shared.id(), null));
    String body = "{\"driveId\":0,\"fileId\":" + blocked.id() + "}";
    String shareBody = "{\"shareKey\":\"rev-Share01\",\"fileId\":" + blocked.id() + "}";
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt());
    assertEquals(0, f.post("/share/download/info", shareBody).get("code").asInt());

    assertEquals(5066, settings("{\"web.reviewRefusedDownloadCode\": 5066}").get("web.reviewRefusedDownloadCode").asInt());
    JsonNode refused = f.post("/file/download_info", body);
    assertEquals(5066, refused.get("code").asInt(), refused.toString());
    assertEquals("文件已失效", refused.get("message").asText());
    assertEquals(5066, f.post("/file/download_info", body).get("code").asInt(), "every time, not now and then");
    assertEquals(5066, f.post("/share/download/info", shareBody).get("code").asInt());
    Node fine = file(shared.id(), "fine.txt");
    assertEquals(0, f.post("/file/download_info", "{\"driveId\":0,\"fileId\":" + fine.id() + "}").get("code").asInt(),
        "only files of Status above 100");
    assertEquals(400, settingsStatus("{\"web.reviewRefusedDownloadCode\": \"x\"}"));
  }

  @Test
  void riskControlCodes1010And50001_haveRates() {
    f.login();
    Node file = file(FakeStore.ROOT, "a.bin");
    String body = "{\"driveId\":0,\"fileId\":" + file.id() + "}";
    settings("{\"web.download1010Rate\": 1}");
    JsonNode refused = f.post("/file/download_info", body);
    assertEquals(1010, refused.get("code").asInt(), refused.toString());
    assertEquals("download err", refused.get("message").asText());
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt(), "never twice in a row for a file");
    settings("{\"web.download1010Rate\": 0, \"web.download50001Rate\": 1}");
    assertEquals(50001, f.post("/file/download_info", body).get("code").asInt());
    settings("{\"web.download50001Rate\": 0}");
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt());
    assertEquals(400, settingsStatus("{\"web.download1010Rate\": 2}"));
  }

  @Test
  void nextOnAPageThatIsNotTheLast_lastFileIdByDefault_orThePageNumber_orOpaque() {
    f.login();
    Node a = file(FakeStore.ROOT, "a");
    Node b = file(FakeStore.ROOT, "b");
    Node c = file(FakeStore.ROOT, "c");
    f.store.createShare(new Share("nxt-Share01", null, f.demo.uid(), FakeStore.ROOT, null));
    Map<String, String> shareQuery = new LinkedHashMap<>(WebFixture.shareQuery("nxt-Share01", null, 0, 1));
    shareQuery.put("limit", "1");
    // file_id desc: page 1 holds c, page 2 b, page 3 a.
    assertEquals(Long.toString(c.id()), next(f.get("/file/list/new", WebFixture.listQuery(0, 1, 1))));
    assertEquals(Long.toString(b.id()), next(f.get("/file/list/new", WebFixture.listQuery(0, 2, 1))));
    assertEquals("-1", next(f.get("/file/list/new", WebFixture.listQuery(0, 3, 1))));

    settings("{\"web.listNext\": \"NEXT_PAGE\"}");
    assertEquals("2", next(f.get("/file/list/new", WebFixture.listQuery(0, 1, 1))));
    assertEquals("3", next(f.get("/file/list/new", WebFixture.listQuery(0, 2, 1))));
    assertEquals("-1", next(f.get("/file/list/new", WebFixture.listQuery(0, 3, 1))));
    assertEquals("2", next(f.get("/share/get", shareQuery)));

    settings("{\"web.listNext\": \"opaque\"}");
    String opaque = next(f.get("/file/list/new", WebFixture.listQuery(0, 1, 1)));
    assertTrue(opaque.matches("[0-9a-f]{16}"), opaque);
    assertNotEquals(Long.toString(c.id()), opaque);
    assertFalse(opaque.equals(next(f.get("/file/list/new", WebFixture.listQuery(0, 2, 1)))), "not the same on every page");
    assertEquals("-1", next(f.get("/file/list/new", WebFixture.listQuery(0, 3, 1))), "the last page is still -1");
    assertEquals(Long.toString(a.id()), f.get("/file/list/new", WebFixture.listQuery(0, 3, 1)).get("data").get("InfoList")
        .get(0).get("FileId").asText(), "pages are still read by Page");
    assertEquals(400, settingsStatus("{\"web.listNext\": \"CURSOR\"}"));
  }

  private static String next(JsonNode reply) {
    assertEquals(0, reply.get("code").asInt(), reply.toString());
    return reply.get("data").get("Next").asText();
  }

  private JsonNode signIn(String json) {
    return f.postTo(f.web.loginUrl(), json, null);
  }

  @Test
  void wrongPasswordReply_401ByDefault_orAnyCodeAndText() {
    String wrong = "{\"passport\":\"13800000000\",\"password\":\"nope\",\"remember\":true}";
    JsonNode r = signIn(wrong);
    assertEquals(401, r.get("code").asInt(), r.toString());
    assertEquals("账号或密码错误", r.get("message").asText());
    JsonNode s = settings("{\"web.wrongPasswordCode\": 400, \"web.wrongPasswordMessage\": \"密码错误\"}");
    assertEquals(400, s.get("web.wrongPasswordCode").asInt());
    r = signIn(wrong);
    assertEquals(400, r.get("code").asInt(), r.toString());
    assertEquals("密码错误", r.get("message").asText());
    settings("{\"web.loginFailure\": \"WRONG_PASSWORD\"}");
    r = signIn("{\"passport\":\"13800000000\",\"password\":\"demo-password\",\"remember\":true}");
    assertEquals(400, r.get("code").asInt(), "a scripted wrong password answers the same: " + r);
    settings("{\"web.loginFailure\": \"NONE\"}");
    assertEquals(400, settingsStatus("{\"web.wrongPasswordCode\": 200}"), "200 is the sign-in's success");
    assertEquals(400, settingsStatus("{\"web.wrongPasswordCode\": 0}"));
    assertEquals(400, settingsStatus("{\"web.wrongPasswordMessage\": \"\"}"));
  }

  @Test
  void scriptedSignInRefusals_keepTheirCodesByDefault_orAllTakeOne() {
    String ok = "{\"passport\":\"13800000000\",\"password\":\"demo-password\",\"remember\":true}";
    settings("{\"web.loginFailure\": \"SECURITY_RISK\"}");
    assertEquals(403, signIn(ok).get("code").asInt());
    settings("{\"web.loginFailureCode\": 1}");
    JsonNode r = signIn(ok);
    assertEquals(1, r.get("code").asInt(), r.toString());
    assertEquals("当前账号存在安全风险，请使用短信验证码或者微信进行登录。", r.get("message").asText());
    settings("{\"web.loginFailure\": \"BLOCKED\"}");
    r = signIn(ok);
    assertEquals(1, r.get("code").asInt(), r.toString());
    assertTrue(r.get("data").isTextual(), r.toString());
    settings("{\"web.loginFailure\": \"WRONG_PASSWORD\"}");
    assertEquals(401, signIn(ok).get("code").asInt(), "a wrong password has its own settings");
    settings("{\"web.loginFailure\": \"NONE\", \"web.loginFailureCode\": 0}");
    assertEquals(200, signIn(ok).get("code").asInt());
    assertEquals(400, settingsStatus("{\"web.loginFailureCode\": 200}"));
  }

  @Test
  void passwordPrefix_andPassportType_areSettings() {
    f.demo.password("0123456789abcdefXYZ");
    String longer = "{\"passport\":\"13800000000\",\"password\":\"0123456789abcdef-other\",\"remember\":true}";
    assertEquals(200, signIn(longer).get("code").asInt(), "the first 16 characters decide");
    settings("{\"web.passwordCompareLength\": 0}");
    assertEquals(401, signIn(longer).get("code").asInt(), "the whole password decides");
    assertEquals(200, signIn(longer.replace("-other", "XYZ")).get("code").asInt());

    f.demo.password(WebFrontDoor.DEMO_PASSWORD);
    f.login();
    assertTrue(f.get("/user/info", Map.of()).get("data").get("Passport").isIntegralNumber());
    settings("{\"web.passportAsText\": true}");
    JsonNode passport = f.get("/user/info", Map.of()).get("data").get("Passport");
    assertTrue(passport.isTextual(), passport.toString());
    assertEquals("13800000000", passport.asText());
    assertEquals(400, settingsStatus("{\"web.passwordCompareLength\": -1}"));
  }

  @Test
  void mailSignInWithoutType_refusedByDefault_orReadAsMail() {
    String noType = "{\"mail\":\"demo@example.com\",\"password\":\"demo-password\"}";
    JsonNode r = signIn(noType);
    assertEquals(400, r.get("code").asInt(), r.toString());
    assertFalse(settings("{\"web.mailLoginNeedsType\": false}").get("web.mailLoginNeedsType").asBoolean());
    r = signIn(noType);
    assertEquals(200, r.get("code").asInt(), r.toString());
    assertEquals(2, r.get("data").get("login_type").asInt(), r.toString());
    assertEquals(400, signIn("{\"mail\":\"demo@example.com\",\"password\":\"demo-password\",\"type\":1}").get("code").asInt(),
        "a wrong type is still refused");
  }

  @Test
  void javaOnlyTexts_md5Mismatch_androidSession_deleteNotTrashed_areSettings() throws Exception {
    f.login();
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    String etag = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(hello));
    assertEquals(401, uploadWithWrongBytes(etag, "a.bin").get("code").asInt());
    assertEquals("上传文件大小无效", uploadWithWrongBytes(etag, "b.bin").get("message").asText());
    settings("{\"web.md5MismatchMessage\": \"上传文件校验失败\"}");
    JsonNode r = uploadWithWrongBytes(etag, "c.bin");
    assertEquals(401, r.get("code").asInt(), r.toString());
    assertEquals("上传文件校验失败", r.get("message").asText());

    Node live = file(FakeStore.ROOT, "live.txt");
    String delete = "{\"driveId\":0,\"fileIdList\":[{\"fileId\":" + live.id() + "}],\"event\":\"recycleDelete\"}";
    assertEquals(400, f.post("/file/delete", delete).get("code").asInt());
    settings("{\"web.deleteNotTrashedCode\": 1}");
    JsonNode refused = f.post("/file/delete", delete);
    assertEquals(1, refused.get("code").asInt(), refused.toString());
    assertEquals("文件不在回收站中", refused.get("message").asText());
    assertTrue(f.store.node(f.demo.uid(), live.id()).isPresent(), "nothing deleted");

    settings("{\"web.androidSessionExpiredMessage\": \"会话已过期\"}");
    f.platform = "android";
    f.appVersion = "61";
    f.token = "a.b.c";
    JsonNode gone = f.get("/user/info", Map.of());
    assertEquals(2, gone.get("code").asInt(), gone.toString());
    assertEquals("会话已过期", gone.get("message").asText());
  }

  @Test
  void accountSpace_uploadRequestsPastItAreRefused_codeTextTotalAndCheckAreSettings() throws Exception {
    f.login();
    long used = f.get("/user/info", Map.of()).get("data").get("SpaceUsed").asLong();
    String total = "account." + f.demo.uid() + ".spacePermanent";
    settings("{\"" + total + "\": " + (used + 10) + "}");
    assertEquals(used + 10, f.get("/user/info", Map.of()).get("data").get("SpacePermanent").asLong());
    byte[] eleven = "eleven byte".getBytes(StandardCharsets.UTF_8);
    String request = "{\"driveId\":0,\"duplicate\":1,\"etag\":\"" + md5(eleven)
        + "\",\"fileName\":\"big.bin\",\"parentFileId\":\"0\",\"size\":11,\"type\":0}";
    JsonNode r = f.post("/file/upload_request", request);
    assertEquals(400, r.get("code").asInt(), r.toString());
    assertEquals("存储空间不足", r.get("message").asText());
    f.store.putBlob(eleven); // an instant upload is refused too: the new file would count in SpaceUsed
    assertEquals(400, f.post("/file/upload_request", request).get("code").asInt());
    assertTrue(f.store.child(f.demo.uid(), FakeStore.ROOT, "big.bin").isEmpty(), "nothing stored");
    String ten = request.replace(md5(eleven), md5("ten bytes!".getBytes(StandardCharsets.UTF_8))).replace("\"size\":11", "\"size\":10");
    assertEquals(0, f.post("/file/upload_request", ten).get("code").asInt(), "exactly what is left fits");

    settings("{\"web.spaceFullCode\": 5054, \"web.spaceFullMessage\": \"空间不足，请扩容\"}");
    r = f.post("/file/upload_request", request);
    assertEquals(5054, r.get("code").asInt(), r.toString());
    assertEquals("空间不足，请扩容", r.get("message").asText());
    settings("{\"store.checkSpace\": false}");
    r = f.post("/file/upload_request", request);
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertTrue(r.get("data").get("Reuse").asBoolean(), r.toString());
    assertEquals(400, settingsStatus("{\"web.spaceFullCode\": 200}"));
  }

  @Test
  void duplicateOneAndTwo_keepBothAndOverwriteByDefault_orSwapped() throws Exception {
    f.login();
    Node old = file(FakeStore.ROOT, "d.txt");
    byte[] b = "d.txt".getBytes(StandardCharsets.UTF_8); // known content: instant uploads
    String one = "{\"driveId\":0,\"duplicate\":1,\"etag\":\"" + md5(b)
        + "\",\"fileName\":\"d.txt\",\"parentFileId\":\"0\",\"size\":5,\"type\":0}";
    JsonNode r = f.post("/file/upload_request", one).get("data");
    assertNotEquals(old.id(), r.get("FileId").asLong(), "1 keeps both");
    assertEquals("d(1).txt", r.get("Info").get("FileName").asText());
    assertTrue(settings("{\"web.duplicateSwapped\": true}").get("web.duplicateSwapped").asBoolean());
    r = f.post("/file/upload_request", one).get("data");
    assertEquals(old.id(), r.get("FileId").asLong(), "swapped: 1 overwrites");
    r = f.post("/file/upload_request", one.replace("\"duplicate\":1", "\"duplicate\":2")).get("data");
    assertEquals("d(2).txt", r.get("Info").get("FileName").asText(), "swapped: 2 keeps both");
  }

  @Test
  void malformedPhoneOrMail_refusedWithTheClientsTexts_codeAndCheckAreSettings() {
    String phone = "{\"passport\":\"12345\",\"password\":\"demo-password\",\"remember\":true}";
    String mail = "{\"mail\":\"not-a-mail\",\"password\":\"demo-password\",\"type\":2}";
    JsonNode r = signIn(phone);
    assertEquals(401, r.get("code").asInt(), r.toString());
    assertEquals("请输入正确的手机号码", r.get("message").asText());
    assertEquals("请输入正确的邮箱号", signIn(mail).get("message").asText());
    settings("{\"web.malformedLoginCode\": 400}");
    r = signIn(mail);
    assertEquals(400, r.get("code").asInt(), r.toString());
    assertEquals("请输入正确的邮箱号", r.get("message").asText());
    settings("{\"web.malformedLoginChecked\": false, \"web.wrongPasswordMessage\": \"密码错误\"}");
    for (String login : new String[] {phone, mail}) {
      r = signIn(login);
      assertEquals(401, r.get("code").asInt(), r.toString());
      assertEquals("密码错误", r.get("message").asText(), "looked up as any login: an unknown account");
    }
    assertEquals(400, settingsStatus("{\"web.malformedLoginCode\": 0}"));
  }

  private static String md5(byte[] b) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
  }

  /** A one-part upload of "hello" declared with {@code etag}, whose part holds "jello". */
  private JsonNode uploadWithWrongBytes(String etag, String name) {
    JsonNode s = f.post("/file/upload_request", "{\"driveId\":0,\"duplicate\":2,\"etag\":\"" + etag
        + "\",\"fileName\":\"" + name + "\",\"parentFileId\":\"0\",\"size\":5,\"type\":0}").get("data");
    String batch = "{\"bucket\":\"" + s.get("Bucket").asText() + "\",\"key\":\"" + s.get("Key").asText()
        + "\",\"partNumberEnd\":2,\"partNumberStart\":1,\"uploadId\":\"" + s.get("UploadId").asText()
        + "\",\"StorageNode\":\"" + s.get("StorageNode").asText() + "\"}";
    String url = f.post("/file/s3_repare_upload_parts_batch", batch).get("data").get("presignedUrls").get("1").asText();
    try (Response put = f.raw(new Request.Builder().url(url).put(RequestBody.create("jello".getBytes(StandardCharsets.UTF_8))).build())) {
      assertEquals(200, put.code());
    }
    return f.post("/file/upload_complete/v2", "{\"StorageNode\":\"" + s.get("StorageNode").asText() + "\",\"bucket\":\""
        + s.get("Bucket").asText() + "\",\"fileId\":" + s.get("FileId").asLong() + ",\"fileSize\":5,\"isMultipart\":false,"
        + "\"key\":\"" + s.get("Key").asText() + "\",\"uploadId\":\"" + s.get("UploadId").asText() + "\"}");
  }
}
