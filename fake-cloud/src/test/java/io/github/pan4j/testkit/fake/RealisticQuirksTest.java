package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each web quirk of the realistic profile, switched on alone at rate 1. */
class RealisticQuirksTest {
  private final WebFixture f = new WebFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private JsonNode uploadRequest(String name, long size, String etag) {
    return f.post("/file/upload_request", "{\"driveId\":0,\"duplicate\":2,\"etag\":\"" + etag + "\",\"fileName\":\"" + name
        + "\",\"parentFileId\":0,\"size\":" + size + ",\"type\":0}");
  }

  private static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  @Test
  void listThrottledAs403_andStringCode() {
    f.login();
    f.web.listThrottle403Rate(1);
    JsonNode r = f.get("/file/list/new", WebFixture.listQuery(0, 1, 100));
    assertEquals(403, r.get("code").asInt());
    f.web.listThrottle403Rate(0).stringCodeThrottleRate(1);
    r = f.get("/file/list/new", WebFixture.listQuery(0, 1, 100));
    assertTrue(r.get("code").isTextual(), r.toString());
    assertEquals("429", r.get("code").asText());
    f.web.stringCodeThrottleRate(0);
    assertEquals(0, f.get("/file/list/new", WebFixture.listQuery(0, 1, 100)).get("code").asInt());
  }

  @Test
  void downloadRefusals_neverTwiceInARowForAFile() {
    f.login();
    Node file = f.store.createFile(f.demo.uid(), 0, "a.txt", f.store.putBlob(new byte[] {1, 2}));
    String body = "{\"driveId\":0,\"etag\":\"" + file.md5() + "\",\"fileId\":" + file.id()
        + ",\"fileName\":\"a.txt\",\"s3keyFlag\":\"x\",\"size\":2,\"type\":0}";
    f.web.downloadErrorRates(0, 1);
    assertEquals(50002, f.post("/file/download_info", body).get("code").asInt());
    assertEquals(0, f.post("/file/download_info", body).get("code").asInt(), "the retry gets through");
    f.web.downloadErrorRates(1, 0);
    assertEquals(5114, f.post("/file/download_info", body).get("code").asInt());
  }

  @Test
  void largeFilesGetLargerSlices_andStsFieldsNull() {
    f.login();
    f.web.largeSliceSize(1000, 2048).sliceSize(1024).stsFieldsNull(true);
    JsonNode small = uploadRequest("s.bin", 1000, "0123456789abcdef0123456789abcdef").get("data");
    assertEquals("1024", small.get("SliceSize").asText());
    JsonNode big = uploadRequest("b.bin", 1001, "0123456789abcdef0123456789abcdee").get("data");
    assertEquals("2048", big.get("SliceSize").asText());
    assertTrue(big.get("AccessKeyId").isNull());
    assertTrue(big.get("SessionToken").isNull());
  }

  @Test
  void md5MismatchMessage() throws Exception {
    f.login();
    f.web.md5MismatchMessage("上传文件校验失败");
    byte[] content = {1, 2, 3};
    JsonNode s = uploadRequest("m.bin", 3, md5(new byte[] {9, 9, 9})).get("data");
    JsonNode urls = f.post("/file/s3_upload_object/auth", "{\"bucket\":\"" + s.get("Bucket").asText() + "\",\"key\":\""
        + s.get("Key").asText() + "\",\"partNumberEnd\":2,\"partNumberStart\":1,\"uploadId\":\"" + s.get("UploadId").asText()
        + "\",\"StorageNode\":\"" + s.get("StorageNode").asText() + "\"}").get("data").get("presignedUrls");
    try (okhttp3.Response r = f.http.newCall(new okhttp3.Request.Builder().url(urls.get("1").asText())
        .put(okhttp3.RequestBody.create(content)).build()).execute()) {
      assertEquals(200, r.code());
    }
    JsonNode done = f.post("/file/upload_complete/v2", "{\"StorageNode\":\"" + s.get("StorageNode").asText() + "\",\"bucket\":\""
        + s.get("Bucket").asText() + "\",\"fileId\":" + s.get("FileId").asLong() + ",\"fileSize\":3,\"isMultipart\":false,\"key\":\""
        + s.get("Key").asText() + "\",\"uploadId\":\"" + s.get("UploadId").asText() + "\"}");
    assertEquals(401, done.get("code").asInt());
    assertEquals("上传文件校验失败", done.get("message").asText(), "the other text stays available");
  }

  @Test
  void profileAppliesToBothDoors() {
    OpenApiFrontDoor open = new OpenApiFrontDoor();
    WebFrontDoor web = new WebFrontDoor();
    try (FakeCloud cloud = FakeCloud.builder().door(open).door(web).build().start()) {
      RealisticProfile.seeded(3).applyTo(cloud);
      assertTrue(open.listCursorInclusive);
      assertEquals(0.5, open.listingLagRate);
      assertTrue(!open.verifyingAfterUpload.isZero());
    }
  }
}
