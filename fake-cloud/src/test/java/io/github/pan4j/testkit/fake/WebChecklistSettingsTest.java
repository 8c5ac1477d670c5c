package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The knobs the web protocol notes ask a faithful fake to have (scripted sign-in refusals,
 * throttling replies, download refusals, a disagreeing {@code Total}, larger slices for large files)
 * and the web API's open answers (user/info's keys, an expired share, the code of a share download
 * that needs a login), set over {@code POST /_fake/settings} and observed over raw HTTP, as a client
 * or test suite in another language running against {@code pan4j fake-cloud} would.
 */
class WebChecklistSettingsTest {
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

  private JsonNode signIn() {
    return f.postTo(f.web.loginUrl(), "{\"passport\":\"13800000000\",\"password\":\"demo-password\",\"remember\":true}", null);
  }

  @Test
  void loginFailure_isASetting_theSecurityRiskTextUntilNone() {
    assertEquals("SECURITY_RISK", settings("{\"web.loginFailure\": \"security_risk\"}").get("web.loginFailure").asText());
    for (int i = 0; i < 2; i++) {
      JsonNode r = signIn();
      assertEquals(403, r.get("code").asInt(), r.toString());
      assertEquals("当前账号存在安全风险，请使用短信验证码或者微信进行登录。", r.get("message").asText());
    }
    settings("{\"web.loginFailure\": \"WRONG_PASSWORD\"}");
    assertEquals("账号或密码错误", signIn().get("message").asText());
    settings("{\"web.loginFailure\": \"NONE\"}");
    JsonNode ok = signIn();
    assertEquals(200, ok.get("code").asInt(), ok.toString());
    assertEquals(400, settingsStatus("{\"web.loginFailure\": \"LOCKED\"}"));
  }

  @Test
  void throttlingAndDownloadRefusals_areSettings() {
    f.login();
    Node file = f.store.createFile(f.demo.uid(), FakeStore.ROOT, "a.bin", f.store.putBlob("abc".getBytes(StandardCharsets.UTF_8)));
    settings("{\"web.listThrottle403Rate\": 1}");
    JsonNode listed = f.get("/file/list/new", WebFixture.listQuery(0, 1, 100));
    assertEquals(403, listed.get("code").asInt(), listed.toString());
    settings("{\"web.listThrottle403Rate\": 0, \"web.totalSkew\": 1}");
    JsonNode d = f.get("/file/list/new", WebFixture.listQuery(0, 1, 100)).get("data");
    assertEquals(1, d.get("Len").asInt());
    assertEquals(2, d.get("Total").asInt(), "Total disagrees with the rows, as alist #6814 saw");

    settings("{\"web.download50002Rate\": 1}");
    String body = "{\"driveId\":0,\"fileId\":" + file.id() + "}";
    JsonNode refused = f.post("/file/download_info", body);
    assertEquals(50002, refused.get("code").asInt(), refused.toString());
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt(), "never twice in a row for a file");
    settings("{\"web.download50002Rate\": 0, \"web.download5114Rate\": 1}");
    assertEquals(5114, f.post("/file/download_info", body).get("code").asInt());

    settings("{\"web.download5114Rate\": 0, \"web.stringCodeThrottleRate\": 1}");
    JsonNode stringCode = f.get("/user/info", Map.of());
    assertTrue(stringCode.get("code").isTextual(), stringCode.toString());
    assertEquals("429", stringCode.get("code").asText());
    assertEquals(400, settingsStatus("{\"web.stringCodeThrottleRate\": 1.5}"));
  }

  @Test
  void largeFiles_getTheLargeSliceSize_aboveTheThreshold() {
    f.login();
    settings("{\"web.largeSliceThreshold\": 10, \"web.largeSliceSize\": 64}");
    String small = "{\"driveId\":0,\"duplicate\":2,\"etag\":\"0cc175b9c0f1b6a831c399e269772661\",\"fileName\":\"s.bin\","
        + "\"parentFileId\":0,\"size\":10,\"type\":0}";
    String large = small.replace("s.bin", "l.bin").replace("\"size\":10", "\"size\":11");
    assertEquals("16777216", f.post("/file/upload_request", small).get("data").get("SliceSize").asText());
    assertEquals("64", f.post("/file/upload_request", large).get("data").get("SliceSize").asText());
    assertEquals(400, settingsStatus("{\"web.largeSliceSize\": 0}"), "a SliceSize of 0 bytes cannot be announced");
  }

  /** user/info: the later object by default (22 keys and six more); exactly the 22 of 2023 as a choice. */
  @Test
  void userInfo_laterKeysByDefault_exactlyTheWlist22AsASetting() {
    f.login();
    List<String> wlist = List.of("UID", "Nickname", "SpaceUsed", "SpacePermanent", "SpaceTemp", "FileCount", "SpaceTempExpr",
        "Mail", "Passport", "HeadImage", "BindWechat", "StraightLink", "OpenLink", "Vip", "VipExpire", "SpaceBuy", "VipExplain",
        "SignType", "ContinuousPayment", "ContinuousPaymentDate", "ContinuousPaymentAmount", "ContinuousPaymentDuration");
    List<String> later = List.of("IsShowAdvertisement", "UserVipDetailInfos", "IsAuthentication", "VipLevel",
        "GrowSpaceAddCount", "IsBeforeBuyVipProduct");
    JsonNode d = f.get("/user/info", Map.of()).get("data");
    List<String> expected = new ArrayList<>(wlist);
    expected.addAll(later);
    assertEquals(expected, names(d));
    assertTrue(d.get("UserVipDetailInfos").isArray());
    assertTrue(d.get("IsShowAdvertisement").isBoolean());
    assertTrue(d.get("VipLevel").isIntegralNumber());
    assertEquals("WLIST_2023", settings("{\"web.userInfoKeys\": \"WLIST_2023\"}").get("web.userInfoKeys").asText());
    assertEquals(wlist, names(f.get("/user/info", Map.of()).get("data")));
  }

  @Test
  void expiredShare_5104ByDefault_orTheExpiredFlagInAListing() {
    long uid = f.demo.uid();
    Node shared = f.store.mkdir(uid, 0, "shared");
    Node file = f.store.createFile(uid, shared.id(), "a.txt", f.store.putBlob("x".getBytes(StandardCharsets.UTF_8)));
    f.store.createShare(new Share("old-Share22", "Ab1x", uid, shared.id(), f.clock.instant().plusSeconds(60)));
    f.clock.advance(Duration.ofSeconds(120));
    assertEquals(5104, f.get("/share/get", WebFixture.shareQuery("old-Share22", "ab1x", 0, 1)).get("code").asInt());
    settings("{\"share.expiredReply\": \"EXPIRED_FLAG\"}");
    JsonNode r = f.get("/share/get", WebFixture.shareQuery("old-Share22", "ab1x", 0, 1));
    assertEquals(0, r.get("code").asInt(), r.toString());
    JsonNode d = r.get("data");
    assertEquals(List.of("Next", "Len", "IsFirst", "Expired", "InfoList"), names(d));
    assertTrue(d.get("Expired").asBoolean());
    assertEquals("-1", d.get("Next").asText());
    assertEquals(0, d.get("InfoList").size(), "nothing of an expired share is listed");
    assertEquals(5103, f.get("/share/get", WebFixture.shareQuery("nope-nope12", null, 0, 1)).get("code").asInt(), "unknown keys still 5103");
    JsonNode dl = f.post("/share/download/info", "{\"shareKey\":\"old-Share22\",\"SharePwd\":\"ab1x\",\"fileId\":" + file.id() + "}");
    assertEquals(5104, dl.get("code").asInt(), "a download has no flag to carry: " + dl);
  }

  @Test
  void shareDownloadNeedingALogin_5112ByDefault_401AsASetting() {
    long uid = f.demo.uid();
    Node shared = f.store.mkdir(uid, 0, "shared");
    Node file = f.store.createFile(uid, shared.id(), "a.txt", f.store.putBlob("12345".getBytes(StandardCharsets.UTF_8)));
    f.store.createShare(new Share("open-Share1", null, uid, shared.id(), null));
    String body = "{\"shareKey\":\"open-Share1\",\"fileId\":" + file.id() + "}";
    settings("{\"share.loginThreshold\": 4}");
    assertEquals(5112, f.post("/share/download/info", body).get("code").asInt());
    settings("{\"share.loginRequiredCode\": 401}");
    JsonNode r = f.post("/share/download/info", body);
    assertEquals(401, r.get("code").asInt(), r.toString());
    assertEquals("文件超过100M，请登录后下载", r.get("message").asText());
    f.login();
    assertEquals(0, f.post("/share/download/info", body).get("code").asInt());
    assertEquals(400, settingsStatus("{\"share.loginRequiredCode\": 0}"));
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    assertFalse(out.isEmpty());
    return out;
  }
}
