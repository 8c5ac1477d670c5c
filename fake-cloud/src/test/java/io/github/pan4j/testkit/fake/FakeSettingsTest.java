package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /_fake/settings} and {@code /_fake/clock} on the cloud {@code pan4j fake-cloud} runs (real
 * time, every door), driven over HTTP as a client in another language would.
 */
class FakeSettingsTest {
  private final DemoCloud demo = DemoCloud.start(0, 0);
  private final FakeCloud cloud = demo.cloud();
  private final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void tearDown() {
    demo.close();
  }

  private JsonNode call(String method, String path, String json, String token) throws IOException {
    return SettingsOverHttp.open(cloud, method, path, json, token);
  }

  private JsonNode settings() throws IOException {
    JsonNode r = call("GET", "/_fake/settings", null, null);
    assertEquals(200, r.get("_status").asInt());
    return r.get("settings");
  }

  private JsonNode set(String json) throws IOException {
    return call("POST", "/_fake/settings", json, null);
  }

  /** Applies {@code json} (all of it, HTTP 200) and signs the demo account in: the token. */
  private String tokenAfter(String json) throws IOException {
    JsonNode r = set(json);
    assertEquals(200, r.get("_status").asInt(), r.toString());
    return token().get("accessToken").asText();
  }

  private JsonNode token() throws IOException {
    JsonNode r = call("POST", "/api/v1/access_token", "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}", null);
    assertEquals(0, r.get("code").asInt(), r.toString());
    return r.get("data");
  }

  /** The help says what the code does: files larger than the threshold need a login, not "this size or more". */
  @Test
  void helpText_shareLoginThreshold_saysLargerThan() throws IOException {
    String threshold = settings().get("share.loginThreshold").get("help").asText();
    assertTrue(threshold.contains("larger than"), threshold);
    assertFalse(threshold.contains("size or more"), threshold);
  }

  /** The help says what the code does: only the download CDN checks Referer, never the API. */
  @Test
  void helpText_requireReferer_isAboutTheDownloadCdn_notApiCalls() throws IOException {
    String referer = settings().get("web.requireReferer").get("help").asText();
    assertFalse(referer.contains("API calls need"), referer);
    assertTrue(referer.contains("download CDN") && referer.contains("API calls never need"), referer);
  }

  @Test
  void everySwitch_isListedWithItsValueAndType_andTakesItsOwnValueBack() throws IOException {
    JsonNode s = settings();
    assertEquals(true, s.get("open.qps").get("value").asBoolean());
    assertEquals("boolean", s.get("open.qps").get("type").asText());
    assertEquals(30L * 24 * 3600, s.get("open.tokenLifetime").get("value").asLong());
    assertEquals(16L << 20, s.get("open.sliceSize").get("value").asLong());
    assertEquals("FOUND_302", s.get("web.redirectMode").get("value").asText());
    assertEquals("one of FOUND_302|JSON_200|JSON_210", s.get("web.redirectMode").get("type").asText());
    assertEquals(true, s.get("cdn.requireDirectLinkSpace").get("value").asBoolean(), "the demo cloud's CDN is as strict as 123's");
    assertEquals(100L << 20, s.get("share.loginThreshold").get("value").asLong());
    long uid = demo.account().uid();
    assertEquals(-1, s.get("account." + uid + ".downloadQuota").get("value").asLong());
    for (String door : List.of("open.", "web.", "cdn.", "share.", "account.")) {
      List<String> names = new ArrayList<>();
      s.fieldNames().forEachRemaining(n -> { if (n.startsWith(door)) names.add(n); });
      assertFalse(names.isEmpty(), door);
    }
    // Every setter parses what its getter shows: posting all values back changes nothing.
    ObjectNode all = Json.mapper().createObjectNode();
    s.fields().forEachRemaining(e -> all.set(e.getKey(), e.getValue().get("value")));
    JsonNode r = set(all.toString());
    assertEquals(200, r.get("_status").asInt(), r.toString());
    assertEquals(all, r.get("settings"));
    assertEquals(s, settings());
  }

  @Test
  void settings_changeWhatTheDoorsDo_andTheJavaSideSeesIt() throws IOException {
    long uid = demo.account().uid();
    JsonNode r = set("{\"open.qps\": false, \"web.redirectMode\": \"json_210\", \"open.tokenLifetime\": 1.5,"
        + " \"account." + uid + ".downloadQuota\": 0, \"open.verifyingReplies\": 0}");
    assertEquals(200, r.get("_status").asInt(), r.toString());
    assertEquals("JSON_210", r.get("settings").get("web.redirectMode").asText());
    assertEquals(1.5, r.get("settings").get("open.tokenLifetime").asDouble());
    assertFalse(demo.open().qps.enabled);
    assertEquals(WebFrontDoor.RedirectMode.JSON_210, demo.web().redirectMode);
    assertEquals(0, demo.account().downloadQuota());
    assertEquals(Duration.ofMillis(1500), demo.open().tokenLifetime);
    // QPS off: a burst over the free tier's 8 access_token calls per second all get tokens; the
    // counters show it was over the limit.
    for (int i = 0; i < 40; i++) assertTrue(token().hasNonNull("accessToken"), "no 429 with limits off");
    JsonNode counters = call("GET", "/_fake/counters", null, null);
    assertEquals(0, counters.get("served429").asInt());
    assertTrue(counters.get("overLimit").toString().contains("access_token"), counters.get("overLimit").toString());
    Instant issued = Instant.now();
    String expiredAt = token().get("expiredAt").asText();
    Instant at = java.time.OffsetDateTime.parse(expiredAt).toInstant();
    assertTrue(Duration.between(issued, at).toMillis() < 3000, expiredAt);
  }

  /**
   * The open API's answers the protocol leaves open and says should be configurable (limit over
   * 100, duplicate omitted, the codes for a missing Platform header and for wrong credentials) are
   * settings over HTTP too, not only in Java: a client in another language can pick them.
   */
  @Test
  void openUnknowns_theNotesCallConfigurable_areSettings() throws IOException {
    String token = tokenAfter("{\"open.qps\": false, \"open.rejectLimitOver100\": false, \"open.duplicateWhenOmitted\": 1,"
        + " \"open.missingPlatformCode\": 401, \"open.badCredentialsCode\": 1, \"open.listUnknownParentError\": true,"
        + " \"open.formBodies\": false}");
    JsonNode list = call("GET", "/api/v2/file/list?parentFileId=0&limit=500", null, token);
    assertEquals(0, list.get("code").asInt(), "clamped to 100, not refused: " + list);
    assertEquals(1, call("GET", "/api/v2/file/list?parentFileId=987654321&limit=10", null, token).get("code").asInt());
    String create = "{\"parentFileID\":0,\"filename\":\"dup.bin\",\"etag\":\"0cc175b9c0f1b6a831c399e269772661\",\"size\":1}";
    cloud.store().createFile(demo.account().uid(), FakeStore.ROOT, "dup.bin", cloud.store().putBlob("a".getBytes()));
    JsonNode kept = call("POST", "/upload/v2/file/create", create, token);
    assertEquals(0, kept.get("code").asInt(), kept.toString());
    assertEquals("dup(1).bin", cloud.store().node(demo.account().uid(), kept.get("data").get("fileID").asLong()).orElseThrow().name());
    Request noPlatform = new Request.Builder().url(cloud.baseUrl("open") + "/api/v1/user/info")
        .header("Authorization", "Bearer " + token).build();
    try (Response resp = http.newCall(noPlatform).execute()) {
      assertEquals(401, Json.mapper().readTree(resp.body().string()).get("code").asInt());
    }
    JsonNode wrong = call("POST", "/api/v1/access_token", "{\"clientID\":\"demo-client\",\"clientSecret\":\"nope\"}", null);
    assertEquals(1, wrong.get("code").asInt(), wrong.toString());
    Request form = new Request.Builder().url(cloud.baseUrl("open") + "/upload/v1/file/mkdir").header("Platform", "open_platform")
        .header("Authorization", "Bearer " + token)
        .post(RequestBody.create("name=f&parentID=0", MediaType.get("application/x-www-form-urlencoded"))).build();
    try (Response resp = http.newCall(form).execute()) {
      assertEquals(1, Json.mapper().readTree(resp.body().string()).get("code").asInt(), "a form body is not read");
    }
    assertEquals(400, set("{\"open.duplicateWhenOmitted\": 3}").get("_status").asInt());
  }

  /**
   * The open platform's remaining UNKNOWN choices that only Java tests could make before (the
   * chunked-upload threshold, the servers list of create, repeated v1 creates, the v1 part URL's
   * lifetime, delete of a live entry, offline dirID 0) are settings too, and change what a raw
   * client sees.
   */
  @Test
  void openUploadAndTrashUnknowns_areSettingsToo() throws IOException {
    String token = tokenAfter("{\"open.qps\": false, \"open.v2CreateNamesServers\": false, \"open.v1SameSessionOnRepeat\": false,"
        + " \"open.v1PartUrlLifetime\": 60, \"open.deleteNotTrashedCode\": 5066, \"open.offlineRefuseRootDirId\": true,"
        + " \"open.rejectChunkedUploads\": true, \"open.chunkedUploadLimit\": 0}");
    assertEquals(0, settings().get("open.chunkedUploadLimit").get("value").asLong());
    String v2 = "{\"parentFileID\":0,\"filename\":\"s.bin\",\"etag\":\"0cc175b9c0f1b6a831c399e269772661\",\"size\":1}";
    JsonNode created = call("POST", "/upload/v2/file/create", v2, token).get("data");
    assertEquals(0, created.get("servers").size(), created.toString());
    String v1 = "{\"parentFileID\":0,\"filename\":\"v1.bin\",\"etag\":\"92eb5ffee6ae2fec3ad71c777531578f\",\"size\":1}";
    String first = call("POST", "/upload/v1/file/create", v1, token).get("data").get("preuploadID").asText();
    String second = call("POST", "/upload/v1/file/create", v1, token).get("data").get("preuploadID").asText();
    assertFalse(first.equals(second), "a new session for each create");
    String url = call("POST", "/upload/v1/file/get_upload_url", "{\"preuploadID\":\"" + second + "\",\"sliceNo\":1}", token)
        .get("data").get("presignedURL").asText();
    assertTrue(url.contains("X-Amz-Expires=60&"), url);
    long live = cloud.store().mkdir(demo.account().uid(), FakeStore.ROOT, "live").id();
    JsonNode del = call("POST", "/api/v1/file/delete", "{\"fileIDs\":[" + live + "]}", token);
    assertEquals(5066, del.get("code").asInt(), del.toString());
    JsonNode offline = call("POST", "/api/v1/offline/download", "{\"url\":\"http://127.0.0.1:9/a.bin\",\"dirID\":0}", token);
    assertEquals(1, offline.get("code").asInt(), offline.toString());
    RequestBody chunkedPart = new RequestBody() {
      @Override public MediaType contentType() { return MediaType.get("application/octet-stream"); }
      @Override public long contentLength() { return -1; }
      @Override public void writeTo(okio.BufferedSink sink) throws IOException { sink.writeUtf8("a"); }
    };
    okhttp3.MultipartBody slice = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
        .addFormDataPart("preuploadID", created.get("preuploadID").asText()).addFormDataPart("sliceNo", "1")
        .addFormDataPart("sliceMD5", "0cc175b9c0f1b6a831c399e269772661").addFormDataPart("slice", "s.part1", chunkedPart).build();
    Request chunked = new Request.Builder().url(cloud.baseUrl("upload") + "/upload/v2/file/slice")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + token).post(slice).build();
    try (Response resp = http.newCall(chunked).execute()) {
      assertEquals(500, resp.code(), "a one-byte chunked body is over a limit of 0");
    }
  }

  /**
   * The fake's ids have 13 digits from the start, as 123's do; {@code store.nextId} moves them
   * further, here past 2^53 where a double is no longer exact, and the fake still writes them as
   * exact JSON integers. Ids only grow.
   */
  @Test
  void storeNextId_movesIdsFurther_andNeverGoesBack() throws IOException {
    assertEquals(FakeStore.FIRST_ID, settings().get("store.nextId").get("value").asLong(), "13 digits by default");
    long big = (1L << 53) + 1;
    String token = tokenAfter("{\"open.qps\": false, \"store.nextId\": " + big + "}");
    assertEquals(big, settings().get("store.nextId").get("value").asLong());
    JsonNode made = call("POST", "/upload/v1/file/mkdir", "{\"name\":\"wide\",\"parentID\":0}", token);
    assertEquals(big, made.get("data").get("dirID").asLong(), made.toString());
    assertTrue(made.get("data").get("dirID").isIntegralNumber());
    JsonNode detail = call("GET", "/api/v1/file/detail?fileID=" + big, null, token);
    assertEquals("wide", detail.get("data").get("filename").asText(), detail.toString());
    JsonNode inside = call("POST", "/upload/v1/file/mkdir", "{\"name\":\"in\",\"parentID\":\"" + big + "\"}", token);
    JsonNode list = call("GET", "/api/v2/file/list?parentFileId=" + big + "&limit=10", null, token);
    assertEquals(big, list.get("data").get("fileList").get(0).get("parentFileId").asLong(), list.toString());
    assertEquals(inside.get("data").get("dirID").asLong(), list.get("data").get("fileList").get(0).get("fileId").asLong());
    assertEquals(400, set("{\"store.nextId\": " + big + "}").get("_status").asInt(), "ids handed out are never given again");
    assertEquals(big + 2, settings().get("store.nextId").get("value").asLong());
  }

  /** The web API's UNKNOWN choices that Java tests had are reachable from any client too. */
  @Test
  void webUnknownChoices_areSettingsToo() throws IOException {
    JsonNode r = set("{\"web.signatureErrorCode\": 1, \"web.folderReplyExtraKey\": \"BOTH\","
        + " \"web.missingFolderListsEmpty\": true, \"web.folderReuseUnlessNotReuse\": false,"
        + " \"web.trashOrphanRestore\": \"REFUSE\"}");
    assertEquals(200, r.get("_status").asInt(), r.toString());
    WebFrontDoor web = demo.web();
    assertEquals(1, web.signatureErrorCode);
    assertEquals(WebFrontDoor.FolderReplyExtraKey.BOTH, web.folderReplyExtraKey);
    assertTrue(web.missingFolderListsEmpty);
    assertFalse(web.folderReuseUnlessNotReuse);
    assertEquals(WebTrash.OrphanRestore.REFUSE, web.trashBin().orphanRestore);
    assertEquals("one of ROOT|IN_PLACE|REFUSE", settings().get("web.trashOrphanRestore").get("type").asText());
  }

  @Test
  void accountSwitches_reachBothApis() throws IOException {
    long uid = demo.account().uid();
    JsonNode r = set("{\"account." + uid + ".vip\": true, \"account." + uid + ".vipLevel\": 3,"
        + " \"account." + uid + ".directTraffic\": 1000, \"open.qps\": false}");
    assertEquals(200, r.get("_status").asInt(), r.toString());
    JsonNode info = call("GET", "/api/v1/user/info", null, token().get("accessToken").asText()).get("data");
    assertEquals(1000, info.get("directTraffic").asLong());
    JsonNode v = info.get("vipInfo").get(0);
    assertEquals(3, v.get("vipLevel").asInt());
    assertEquals("长期VIP", v.get("vipLabel").asText());
    assertEquals(WebJson.VIP_EXPIRE, v.get("endTime").asText(), "the end the web API's VipExpire gives");
    assertEquals(3, demo.account().vipLevel());
    assertEquals(500, set("{\"web.forceListLimit\": 500}").get("settings").get("web.forceListLimit").asInt());
    assertEquals(500, demo.web().forcedListLimit);
    set("{\"web.forceListLimit\": 0}");
    assertEquals(null, demo.web().forcedListLimit, "0: limit honoured again");
  }

  @Test
  void badInput_changesNothing_andSaysWhy() throws IOException {
    JsonNode r = set("{\"open.qps\": false, \"open.maxLiveTokens\": 0}");
    assertEquals(400, r.get("_status").asInt());
    assertTrue(r.get("error").asText().startsWith("open.maxLiveTokens takes a whole number of at least 1"), r.toString());
    assertTrue(demo.open().qps.enabled, "all or nothing: open.qps was not turned off");
    assertEquals(400, set("{\"open.qps\": \"no\"}").get("_status").asInt());
    assertEquals(400, set("{\"web.redirectMode\": \"MOVED\"}").get("_status").asInt());
    assertEquals(400, set("{\"open.tokenLifetime\": -1}").get("_status").asInt());
    long uid = demo.account().uid();
    JsonNode level = set("{\"account." + uid + ".vip\": true, \"account." + uid + ".vipLevel\": 4}");
    assertEquals(400, level.get("_status").asInt());
    assertTrue(level.get("error").asText().contains("from 1 to 3"), level.toString());
    assertEquals(1, demo.account().vipLevel(), "all or nothing");
    JsonNode unknown = set("{\"open.nothing\": 1}");
    assertEquals(400, unknown.get("_status").asInt());
    assertTrue(unknown.get("error").asText().contains("no setting 'open.nothing'"));
    assertEquals(400, set("{}").get("_status").asInt());
    assertEquals(400, set("[1]").get("_status").asInt());
  }

  @Test
  void clockAdvance_expiresTokens_onARealTimeCloud() throws IOException {
    String token = token().get("accessToken").asText();
    assertEquals(0, call("GET", "/api/v1/user/info", null, token).get("code").asInt());
    JsonNode before = call("GET", "/_fake/clock", null, null);
    assertEquals(0.0, before.get("advancedSeconds").asDouble());
    Instant now = Instant.parse(before.get("now").asText());
    JsonNode after = call("POST", "/_fake/clock/advance", "{\"seconds\": 2592001}", null);
    assertEquals(200, after.get("_status").asInt());
    assertEquals(2592001.0, after.get("advancedSeconds").asDouble());
    assertTrue(Instant.parse(after.get("now").asText()).isAfter(now.plusSeconds(2592000)));
    JsonNode expired = call("GET", "/api/v1/user/info", null, token);
    assertEquals(401, expired.get("code").asInt());
    assertEquals("access_token已过期", expired.get("message").asText());
    assertEquals(400, call("POST", "/_fake/clock/advance", "{\"seconds\": -5}", null).get("_status").asInt());
    assertEquals(400, call("POST", "/_fake/clock/advance", "{}", null).get("_status").asInt());
  }

  @Test
  void clockAdvance_movesAFakeClockItself() throws IOException {
    FakeClock clock = new FakeClock(Instant.parse("2026-03-01T04:00:00Z"));
    try (FakeCloud c = FakeCloud.builder().clock(clock).door(new OpenApiFrontDoor()).build().start()) {
      Request req = new Request.Builder().url(c.baseUrl("open") + "/_fake/clock/advance")
          .post(RequestBody.create("{\"seconds\": 90}", MediaType.get("application/json"))).build();
      try (Response r = http.newCall(req).execute()) {
        assertEquals(200, r.code());
        assertEquals("2026-03-01T04:01:30Z", Json.mapper().readTree(r.body().string()).get("now").asText());
      }
      assertEquals(Instant.parse("2026-03-01T04:01:30Z"), clock.instant());
    }
  }
}
