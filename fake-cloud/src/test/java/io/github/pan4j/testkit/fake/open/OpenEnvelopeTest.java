package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class OpenEnvelopeTest extends OpenFixture {

  @Test
  void success_hasEnvelopeInKeyOrderAndTraceHeader() {
    Reply r = get("/api/v1/user/info", null);
    assertEquals(200, r.status());
    List<String> keys = new ArrayList<>();
    r.body().fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("code", "message", "data", "x-traceID"), keys);
    assertEquals(0, r.code());
    assertEquals("ok", r.message());
    assertNotNull(r.traceHeader());
    assertEquals(r.traceHeader(), r.body().get("x-traceID").asText());
    assertTrue(r.raw().startsWith("{\"code\":0,\"message\":\"ok\",\"data\":{"), r.raw());
  }

  @Test
  void businessError_isHttp200WithNullData() {
    Reply r = get("/api/v1/file/detail", Map.of("fileID", "999"));
    assertEquals(200, r.status());
    assertEquals(5066, r.code());
    assertTrue(r.data().isNull());
    assertFalse(r.traceHeader().isEmpty());
  }

  @Test
  void userInfo_hasFullFieldSet() {
    Reply r = get("/api/v1/user/info", null);
    for (String f : List.of("uid", "nickname", "headImage", "passport", "mail", "spaceUsed", "spacePermanent",
        "spaceTemp", "spaceTempExpr", "vip", "directTraffic", "isHideUID", "httpsCount", "vipInfo", "developerInfo")) {
      assertTrue(r.data().has(f), f);
    }
    assertEquals(demo.uid(), r.data().get("uid").asLong());
    assertTrue(r.data().get("spaceTempExpr").isNumber());
    assertTrue(r.data().get("vipInfo").isNull());
    demo.vip(true);
    JsonNodeCheck.vip(get("/api/v1/user/info", null).data().get("vipInfo"));
  }

  @Test
  void missingPlatformHeader_isRefused() {
    Request req = new Request.Builder().url(cloud.baseUrl("open") + "/api/v1/user/info")
        .header("Authorization", "Bearer " + token).build();
    Reply r = send(req);
    assertEquals(200, r.status());
    assertEquals(1, r.code());
  }

  private Reply postRaw(String path, String body, String contentType) {
    Request req = new Request.Builder().url(cloud.baseUrl("open") + path).header("Authorization", "Bearer " + token)
        .header("Platform", "open_platform").post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get(contentType))).build();
    return send(req);
  }

  @Test
  void formEncodedBodies_areReadLikeJson_unlessTurnedOff() {
    Reply form = postRaw("/upload/v1/file/mkdir", "name=f%20orm&parentID=0", "application/x-www-form-urlencoded");
    assertEquals(0, form.code(), form.raw());
    assertEquals("f orm", store.node(demo.uid(), form.data().get("dirID").asLong()).orElseThrow().name());
    // 123's PHP example: form-encoded data under a JSON content type
    Reply labelled = postRaw("/upload/v1/file/mkdir", "name=php&parentID=0", "application/json");
    assertEquals(0, labelled.code(), labelled.raw());
    assertEquals(1, postRaw("/upload/v1/file/mkdir", "not a form", "application/json").code());
    door.formBodies(false);
    assertEquals(1, postRaw("/upload/v1/file/mkdir", "name=json-only&parentID=0", "application/x-www-form-urlencoded").code());
  }

  @Test
  void queryNames_areCaseSensitive_andEmptyValuesAbsent() {
    long dir = mkdir(0, "d");
    assertEquals(0, get("/api/v1/file/detail", Map.of("fileID", Long.toString(dir))).code());
    assertEquals(1, get("/api/v1/file/detail", Map.of("fileId", Long.toString(dir))).code());
    Reply list = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "10", "searchData", "",
        "searchMode", "", "lastFileId", "0", "trashed", "false"));
    assertEquals(0, list.code(), list.toString());
    assertEquals(1, list.data().get("fileList").size());
  }

  @Test
  void bodyKeys_caseInsensitive_andNumericStringsAccepted() {
    Reply r = post("/upload/v1/file/mkdir", "{\"Name\":\"x\",\"parentid\":\"0\"}");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.data().get("dirID").isNumber());
  }

  /**
   * A JSON number past the 64-bit range names no id (the servers decode ids and sizes as 64-bit
   * integers and refuse what does not fit); it must not wrap round onto an existing one.
   */
  @Test
  void idsAndSizesBeyond64Bits_areRefused_notWrappedOntoExistingIds() {
    long folder = mkdir(0, "target");
    java.math.BigInteger wrap = java.math.BigInteger.ONE.shiftLeft(64);
    Reply made = post("/upload/v1/file/mkdir", "{\"name\":\"wrapped\",\"parentID\":" + wrap.add(java.math.BigInteger.valueOf(folder)) + "}");
    assertEquals(1, made.code(), made.toString());
    assertEquals("parentID参数格式错误", made.message());
    assertTrue(store.children(demo.uid(), folder, true).isEmpty(), "nothing was made in the folder the number wraps to");

    long child = mkdir(0, "child");
    Reply moved = post("/api/v1/file/move", "{\"fileIDs\":[" + wrap.add(java.math.BigInteger.valueOf(child)) + "],\"toParentFileID\":" + folder + "}");
    assertEquals(1, moved.code(), moved.toString());
    assertEquals("fileIDs参数格式错误", moved.message());
    assertEquals(0L, store.node(demo.uid(), child).get().parentId(), "the entry the number wraps to stayed put");

    Reply created = post("/upload/v2/file/create", "{\"parentFileID\":" + folder + ",\"filename\":\"f.bin\",\"etag\":\""
        + "0".repeat(32) + "\",\"size\":" + wrap.add(java.math.BigInteger.valueOf(5)) + "}");
    assertEquals(1, created.code(), created.toString());
    assertEquals("size参数格式错误", created.message());
  }

  static final class JsonNodeCheck {
    static void vip(com.fasterxml.jackson.databind.JsonNode info) {
      assertTrue(info.isArray() && info.size() == 1, String.valueOf(info));
      assertTrue(info.get(0).get("vipLevel").asInt() > 0);
    }
  }
}
