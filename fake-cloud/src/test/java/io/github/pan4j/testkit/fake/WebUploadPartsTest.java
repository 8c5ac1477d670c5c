package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Random;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 123pan's presigned parts land at their offsets in one upload file whose MD5 runs as they come:
 * out of order, sent again before and after the running digest passed them, an MD5 mismatch that
 * leaves the upload open for a fix, a part longer than SliceSize, and free part sizes.
 */
class WebUploadPartsTest {
  private static final int SLICE = 1000;
  private final WebFixture f = new WebFixture();
  private final byte[] content = new byte[4 * SLICE + 321];

  @BeforeEach
  void setUp() {
    new Random(1).nextBytes(content);
    f.web.sliceSize(SLICE);
    f.login();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private JsonNode request(String name, byte[] declared) {
    JsonNode r = f.post("/file/upload_request", "{\"driveId\":0,\"duplicate\":2,\"etag\":\"" + Digests.md5(declared)
        + "\",\"fileName\":\"" + name + "\",\"parentFileId\":\"0\",\"size\":" + declared.length + ",\"type\":0}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    return r.get("data");
  }

  private JsonNode urls(JsonNode s, int start, int end) {
    return f.post("/file/s3_repare_upload_parts_batch", "{\"bucket\":\"" + s.get("Bucket").asText() + "\",\"key\":\""
        + s.get("Key").asText() + "\",\"partNumberEnd\":" + end + ",\"partNumberStart\":" + start + ",\"uploadId\":\""
        + s.get("UploadId").asText() + "\",\"StorageNode\":\"" + s.get("StorageNode").asText() + "\"}")
        .get("data").get("presignedUrls");
  }

  private void put(JsonNode urls, int part, byte[] bytes) {
    try (Response r = f.raw(new Request.Builder().url(urls.get(Integer.toString(part)).asText()).put(RequestBody.create(bytes)).build())) {
      assertEquals(200, r.code(), "part " + part);
      assertEquals("\"" + Digests.md5(bytes) + "\"", r.header("ETag"));
    }
  }

  private byte[] part(int no) {
    return Arrays.copyOfRange(content, (no - 1) * SLICE, Math.min(content.length, no * SLICE));
  }

  private JsonNode complete(JsonNode s, long size) {
    return f.post("/file/upload_complete/v2", "{\"StorageNode\":\"" + s.get("StorageNode").asText() + "\",\"bucket\":\""
        + s.get("Bucket").asText() + "\",\"fileId\":" + s.get("FileId").asLong() + ",\"fileSize\":" + size
        + ",\"isMultipart\":true,\"key\":\"" + s.get("Key").asText() + "\",\"uploadId\":\"" + s.get("UploadId").asText() + "\"}");
  }

  private byte[] stored(JsonNode done) {
    assertEquals(0, done.get("code").asInt(), done.toString());
    return f.store.node(f.demo.uid(), done.get("data").get("file_info").get("FileId").asLong()).orElseThrow().blob().bytes();
  }

  private static byte[] noise(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void partsOutOfOrderAndResent_areAssembledInPlace() {
    JsonNode s = request("a.bin", content);
    JsonNode urls = urls(s, 1, 6);
    put(urls, 4, part(4));
    put(urls, 2, noise(SLICE, 7)); // wrong, before the digest reaches it
    put(urls, 1, part(1));
    put(urls, 3, noise(SLICE, 8)); // wrong, and the digest passes it (1, 2, 3, 4 are all there)
    put(urls, 2, part(2)); // fixed after the digest passed it
    put(urls, 5, part(5));
    put(urls, 3, part(3));
    assertArrayEquals(content, stored(complete(s, content.length)));
    assertEquals(0, f.web.openUploads());
  }

  @Test
  void md5Mismatch_isRefused_andTheUploadStaysOpenForAFix() {
    JsonNode s = request("b.bin", content);
    JsonNode urls = urls(s, 1, 6);
    for (int p = 1; p <= 5; p++) put(urls, p, p == 3 ? noise(SLICE, 9) : part(p));
    JsonNode bad = complete(s, content.length);
    assertEquals(401, bad.get("code").asInt(), bad.toString());
    assertEquals("上传文件大小无效", bad.get("message").asText());
    assertTrue(f.store.blobByMd5(Digests.md5(content), content.length).isEmpty());
    put(urls, 3, part(3));
    assertArrayEquals(content, stored(complete(s, content.length)));
  }

  @Test
  void partLongerThanSliceSize_isRefusedAtCompletion_andCanBeSentAgain() {
    JsonNode s = request("c.bin", content);
    JsonNode urls = urls(s, 1, 6);
    for (int p = 1; p <= 5; p++) put(urls, p, part(p));
    put(urls, 2, noise(SLICE + 5, 10)); // would overrun part 3's range: recorded, not written
    assertEquals("上传文件大小无效", complete(s, content.length).get("message").asText());
    put(urls, 2, part(2));
    assertArrayEquals(content, stored(complete(s, content.length)));
  }

  @Test
  void freePartSizes_whenSliceSizeIsNotEnforced() {
    f.web.enforceSliceSize(false);
    JsonNode s = request("d.bin", content);
    JsonNode urls = urls(s, 1, 4);
    put(urls, 1, Arrays.copyOfRange(content, 0, 1234));
    put(urls, 2, Arrays.copyOfRange(content, 1234, 1300));
    put(urls, 3, Arrays.copyOfRange(content, 1300, content.length));
    assertArrayEquals(content, stored(complete(s, content.length)));
  }
}
