package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** upload_request type 0, presigned parts, upload_complete/v2 (§5.9). */
class WebUploadTest {
  private final WebFixture f = new WebFixture();
  private final byte[] content = new byte[25];

  @BeforeEach
  void setUp() {
    for (int i = 0; i < content.length; i++) content[i] = (byte) i;
    f.web.sliceSize(10);
    f.login();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  private JsonNode request(String name, byte[] bytes, int duplicate) throws Exception {
    return f.post("/file/upload_request", "{\"driveId\":0,\"duplicate\":" + duplicate + ",\"etag\":\"" + md5(bytes)
        + "\",\"fileName\":\"" + name + "\",\"parentFileId\":\"0\",\"size\":" + bytes.length + ",\"type\":0}");
  }

  private String batchBody(JsonNode s, int start, int end) {
    return "{\"bucket\":\"" + s.get("Bucket").asText() + "\",\"key\":\"" + s.get("Key").asText() + "\",\"partNumberEnd\":" + end
        + ",\"partNumberStart\":" + start + ",\"uploadId\":\"" + s.get("UploadId").asText() + "\",\"StorageNode\":\""
        + s.get("StorageNode").asText() + "\"}";
  }

  private int put(String url, byte[] part) {
    try (Response r = f.raw(new Request.Builder().url(url).put(RequestBody.create(part)).build())) {
      return r.code();
    }
  }

  private JsonNode complete(JsonNode s, long size, boolean multipart) {
    return f.post("/file/upload_complete/v2", "{\"StorageNode\":\"" + s.get("StorageNode").asText() + "\",\"bucket\":\""
        + s.get("Bucket").asText() + "\",\"fileId\":" + s.get("FileId").asLong() + ",\"fileSize\":" + size + ",\"isMultipart\":"
        + multipart + ",\"key\":\"" + s.get("Key").asText() + "\",\"uploadId\":\"" + s.get("UploadId").asText() + "\"}");
  }

  @Test
  void multipart_batchUrls_putParts_complete() throws Exception {
    JsonNode s = request("a.bin", content, 2).get("data");
    assertEquals(false, s.get("Reuse").asBoolean());
    assertTrue(s.get("SliceSize").isTextual());
    assertEquals("10", s.get("SliceSize").asText());
    assertTrue(s.get("AccessKeyId").isNull(), "STS fields null by default");
    JsonNode urls = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    assertEquals(3, urls.size());
    assertTrue(f.post("/file/s3_list_upload_parts", batchBody(s, 1, 2)).get("data").get("Parts").isNull());
    for (int p = 1; p <= 3; p++) {
      assertEquals(200, put(urls.get(Integer.toString(p)).asText(), Arrays.copyOfRange(content, (p - 1) * 10, Math.min(25, p * 10))));
    }
    assertEquals(3, f.post("/file/s3_list_upload_parts", batchBody(s, 1, 2)).get("data").get("Parts").size());
    JsonNode done = complete(s, 25, true);
    assertEquals(0, done.get("code").asInt(), done.toString());
    JsonNode info = done.get("data").get("file_info");
    assertEquals("a.bin", info.get("FileName").asText());
    assertNotEquals(s.get("FileId").asLong(), info.get("FileId").asLong());
    assertArrayEquals(content, f.store.node(f.demo.uid(), info.get("FileId").asLong()).get().blob().bytes());
  }

  @Test
  void batch_isHalfOpen_andBounded() throws Exception {
    JsonNode s = request("a.bin", content, 2).get("data");
    assertEquals(400, f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 5)).get("code").asInt(), "only 3 parts");
    assertEquals(400, f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 2, 2)).get("code").asInt());
    assertEquals(400, f.post("/file/s3_upload_object/auth", batchBody(s, 1, 3)).get("code").asInt(), "auth: one part");
    JsonNode one = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 2, 3)).get("data").get("presignedUrls");
    assertEquals(1, one.size());
    assertTrue(one.has("2"));
  }

  @Test
  void singlePart_viaAuth() throws Exception {
    byte[] small = "tiny".getBytes();
    JsonNode s = request("t.txt", small, 0).get("data");
    String url = f.post("/file/s3_upload_object/auth", batchBody(s, 1, 2)).get("data").get("presignedUrls").get("1").asText();
    assertEquals(200, put(url, small));
    assertEquals(400, complete(s, 4, true).get("code").asInt(), "isMultipart must match");
    assertEquals(0, complete(s, 4, false).get("code").asInt());
  }

  /** Uploads the three parts of {@link #content} by presigned URLs. */
  private void putAllParts(JsonNode s) {
    JsonNode urls = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    for (int p = 1; p <= 3; p++) {
      assertEquals(200, put(urls.get(Integer.toString(p)).asText(), Arrays.copyOfRange(content, (p - 1) * 10, Math.min(25, p * 10))));
    }
  }

  @Test
  void legacyUploadComplete_fileIdOnly_finishesTheUpload_likeV2() throws Exception {
    JsonNode s = request("legacy.bin", content, 2).get("data");
    putAllParts(s);
    JsonNode done = f.post("/file/upload_complete", "{\"fileId\":" + s.get("FileId").asLong() + "}");
    assertEquals(0, done.get("code").asInt(), done.toString());
    assertEquals("ok", done.get("message").asText());
    assertEquals(java.util.Set.of("file_info"), keys(done.get("data")), "v2's reply shape");
    JsonNode info = done.get("data").get("file_info");
    assertEquals("legacy.bin", info.get("FileName").asText());
    assertEquals(25, info.get("Size").asLong());
    assertArrayEquals(content, f.store.node(f.demo.uid(), info.get("FileId").asLong()).get().blob().bytes());
    assertEquals(0, f.web.openUploads());
    JsonNode again = f.post("/file/upload_complete", "{\"fileId\":" + s.get("FileId").asLong() + "}");
    assertEquals(info.get("FileId").asLong(), again.get("data").get("file_info").get("FileId").asLong(), "a repeat names the same file");
    JsonNode unknown = f.post("/file/upload_complete", "{\"fileId\":987654321}");
    assertEquals(401, unknown.get("code").asInt());
    assertEquals("没有找到上传的文件", unknown.get("message").asText());
    assertEquals(401, f.post("/file/upload_complete", "{}").get("code").asInt());
  }

  @Test
  void legacyUploadComplete_checksSizeAndMd5_likeV2() throws Exception {
    JsonNode s = request("short.bin", content, 2).get("data");
    JsonNode urls = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    assertEquals(200, put(urls.get("1").asText(), Arrays.copyOfRange(content, 0, 10)));
    JsonNode partial = f.post("/file/upload_complete", "{\"fileId\":" + s.get("FileId").asLong() + "}");
    assertEquals(401, partial.get("code").asInt());
    assertEquals("上传文件大小无效", partial.get("message").asText());
  }

  @Test
  void s3CompleteMultipartUpload_thenUploadComplete_theOldClientsFlow() throws Exception {
    JsonNode s = request("old.bin", content, 2).get("data");
    putAllParts(s);
    String session = "{\"StorageNode\":\"" + s.get("StorageNode").asText() + "\",\"bucket\":\"" + s.get("Bucket").asText()
        + "\",\"key\":\"" + s.get("Key").asText() + "\",\"uploadId\":\"" + s.get("UploadId").asText() + "\"}";
    JsonNode assembled = f.post("/file/s3_complete_multipart_upload", session);
    assertEquals(0, assembled.get("code").asInt(), assembled.toString());
    assertEquals(java.util.Set.of("file_info"), keys(assembled.get("data")), "v2's reply shape");
    long id = assembled.get("data").get("file_info").get("FileId").asLong();
    assertArrayEquals(content, f.store.node(f.demo.uid(), id).get().blob().bytes());
    JsonNode done = f.post("/file/upload_complete", "{\"fileId\":" + s.get("FileId").asLong() + "}");
    assertEquals(0, done.get("code").asInt(), done.toString());
    assertEquals(id, done.get("data").get("file_info").get("FileId").asLong());
    assertEquals(1, f.store.children(f.demo.uid(), 0, false).stream().filter(n -> n.name().startsWith("old")).count(), "one file");
    JsonNode gone = f.post("/file/s3_complete_multipart_upload", session);
    assertEquals(401, gone.get("code").asInt(), "the session is finished");
  }

  @Test
  void singlePart_keepsTheUploadRequestFileId_multipartGetsANewOne() throws Exception {
    byte[] small = "tiny".getBytes();
    JsonNode s = request("t.txt", small, 0).get("data");
    String url = f.post("/file/s3_upload_object/auth", batchBody(s, 1, 2)).get("data").get("presignedUrls").get("1").asText();
    assertEquals(200, put(url, small));
    JsonNode info = complete(s, 4, false).get("data").get("file_info");
    assertEquals(s.get("FileId").asLong(), info.get("FileId").asLong(), "only multipart may change the id");
    assertEquals("t.txt", f.store.node(f.demo.uid(), s.get("FileId").asLong()).get().name());
    JsonNode m = request("m.bin", content, 0).get("data");
    putAllParts(m);
    assertNotEquals(m.get("FileId").asLong(), complete(m, 25, true).get("data").get("file_info").get("FileId").asLong());
  }

  @Test
  void singlePart_newFileIdWhenSetToAlwaysNew() throws Exception {
    f.web.completeAlwaysNewFileId(true);
    byte[] small = "tiny".getBytes();
    JsonNode s = request("t.txt", small, 0).get("data");
    String url = f.post("/file/s3_upload_object/auth", batchBody(s, 1, 2)).get("data").get("presignedUrls").get("1").asText();
    assertEquals(200, put(url, small));
    assertNotEquals(s.get("FileId").asLong(), complete(s, 4, false).get("data").get("file_info").get("FileId").asLong());
  }

  private static java.util.Set<String> keys(JsonNode o) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static final java.util.Set<String> FILE_REPLY_KEYS = new java.util.TreeSet<>(java.util.List.of("Reuse", "FileId", "Key", "Bucket",
      "UploadId", "StorageNode", "EndPoint", "SliceSize", "UploadFileStatus", "AccessKeyId", "SecretAccessKey", "SessionToken",
      "Expiration", "Info"));

  @Test
  void uploadRequestReply_fourteenKeys_stsNull_noDownloadUrl() throws Exception {
    JsonNode s = request("k.bin", content, 2).get("data");
    assertEquals(FILE_REPLY_KEYS, keys(s));
    for (String k : new String[] {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}) assertTrue(s.get(k).isNull(), k);
    f.store.createFile(f.demo.uid(), 0, "orig.bin", f.store.putBlob(content));
    JsonNode reused = request("k2.bin", content, 2).get("data");
    assertEquals(FILE_REPLY_KEYS, keys(reused));
    assertEquals(21, reused.get("Info").size());
    f.web.stsFieldsNull(false);
    assertEquals("", request("k3.bin", new byte[] {7, 7}, 2).get("data").get("SessionToken").asText());
  }

  @Test
  void reuse_byMd5AndSize_noSession() throws Exception {
    f.store.createFile(f.demo.uid(), 0, "orig.bin", f.store.putBlob(content));
    JsonNode d = request("copy.bin", content, 0).get("data");
    assertTrue(d.get("Reuse").asBoolean());
    long id = d.get("Info").get("FileId").asLong();
    assertEquals("copy.bin", f.store.node(f.demo.uid(), id).get().name());
    assertEquals(0, f.web.openUploads());
    f.web.reuseWithZeroFileId(true);
    JsonNode z = request("copy2.bin", content, 0).get("data");
    assertEquals(0, z.get("FileId").asLong());
    assertTrue(z.get("Info").isNull());
    assertTrue(!z.get("Key").asText().isEmpty());
  }

  @Test
  void duplicate_0clash_1renames_2overwrites() throws Exception {
    Node old = f.store.createFile(f.demo.uid(), 0, "a.bin", f.store.putBlob(new byte[] {9}));
    f.store.createFile(f.demo.uid(), 0, "other", f.store.putBlob(content));
    assertEquals(5060, request("a.bin", content, 0).get("code").asInt());
    assertEquals("a(1).bin", request("a.bin", content, 1).get("data").get("Info").get("FileName").asText());
    JsonNode over = request("a.bin", content, 2).get("data");
    assertEquals(old.id(), over.get("Info").get("FileId").asLong());
    assertArrayEquals(content, old.blob().bytes());
  }

  @Test
  void emptyEtag_400请输入Etag() {
    JsonNode r = f.post("/file/upload_request", "{\"driveId\":0,\"duplicate\":2,\"etag\":\"\",\"fileName\":\"x\",\"parentFileId\":0,\"size\":3,\"type\":0}");
    assertEquals(400, r.get("code").asInt());
    assertEquals("请输入Etag", r.get("message").asText());
  }

  @Test
  void expiredPartUrl_403_refreshedUrlWorks() throws Exception {
    f.web.partUrlTtl(Duration.ofMinutes(5));
    JsonNode s = request("a.bin", content, 2).get("data");
    JsonNode urls = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    f.clock.advance(Duration.ofSeconds(301));
    assertEquals(403, put(urls.get("1").asText(), Arrays.copyOfRange(content, 0, 10)));
    f.web.expireNextPartUrls(1);
    JsonNode fresh = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    assertEquals(403, put(fresh.get("1").asText(), Arrays.copyOfRange(content, 0, 10)), "knob");
    assertEquals(403, put(fresh.get("1").asText(), Arrays.copyOfRange(content, 0, 10)), "that URL stays dead");
    fresh = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    assertEquals(200, put(fresh.get("1").asText(), Arrays.copyOfRange(content, 0, 10)));
  }

  @Test
  void partPut_withAuthorization400_chunked411() throws Exception {
    JsonNode s = request("a.bin", content, 2).get("data");
    String url = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 2)).get("data").get("presignedUrls").get("1").asText();
    try (Response r = f.raw(new Request.Builder().url(url).header("Authorization", "Bearer " + f.token).put(RequestBody.create(new byte[10])).build())) {
      assertEquals(400, r.code());
    }
    RequestBody chunked = new RequestBody() {
      @Override public okhttp3.MediaType contentType() { return null; }
      @Override public long contentLength() { return -1; }
      @Override public void writeTo(okio.BufferedSink sink) throws java.io.IOException { sink.write(new byte[10]); }
    };
    try (Response r = f.raw(new Request.Builder().url(url).put(chunked).build())) {
      assertEquals(411, r.code());
    }
  }

  @Test
  void complete_wrongSize401_wrongMd5_missingKey() throws Exception {
    JsonNode s = request("a.bin", content, 2).get("data");
    JsonNode urls = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    put(urls.get("1").asText(), Arrays.copyOfRange(content, 0, 10));
    put(urls.get("2").asText(), Arrays.copyOfRange(content, 10, 20));
    JsonNode partial = complete(s, 25, true);
    assertEquals(401, partial.get("code").asInt());
    assertEquals("上传文件大小无效", partial.get("message").asText());
    byte[] wrong = Arrays.copyOfRange(content, 20, 25);
    wrong[0] = 99;
    put(urls.get("3").asText(), wrong);
    JsonNode badMd5 = complete(s, 25, true);
    assertEquals(401, badMd5.get("code").asInt());
    assertEquals("上传文件大小无效", badMd5.get("message").asText());
    JsonNode missing = f.post("/file/upload_complete/v2", "{\"fileId\":" + s.get("FileId").asLong() + "}");
    assertEquals(401, missing.get("code").asInt());
    assertEquals("没有找到上传的文件", missing.get("message").asText());
  }

  @Test
  void wrongPartSize_rejectedAtComplete() throws Exception {
    JsonNode s = request("a.bin", content, 2).get("data");
    JsonNode urls = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    put(urls.get("1").asText(), Arrays.copyOfRange(content, 0, 12));
    put(urls.get("2").asText(), Arrays.copyOfRange(content, 12, 20));
    put(urls.get("3").asText(), Arrays.copyOfRange(content, 20, 25));
    assertEquals("上传文件大小无效", complete(s, 25, true).get("message").asText());
  }
  /** Sends {@code body} to {@code endpoint} from {@code n} threads at once; the replies. */
  private java.util.List<JsonNode> atOnce(int n, String endpoint, String body) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.List<java.util.concurrent.Future<JsonNode>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(pool.submit(() -> {
          go.await();
          return f.call(new Request.Builder().url(f.url(endpoint, java.util.Map.of())).post(RequestBody.create(body, WebFixture.JSON)), f.token);
        }));
      }
      go.countDown();
      java.util.List<JsonNode> out = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<JsonNode> c : calls) out.add(c.get(30, java.util.concurrent.TimeUnit.SECONDS));
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** A new upload (keep both, duplicate 1) of 25 bytes unique to {@code round}, its three parts sent. */
  private JsonNode uploadedParts(String name, int round) throws Exception {
    byte[] bytes = content.clone();
    bytes[0] = (byte) (100 + round);
    JsonNode s = request(name, bytes, 1).get("data");
    assertEquals(false, s.get("Reuse").asBoolean());
    JsonNode urls = f.post("/file/s3_repare_upload_parts_batch", batchBody(s, 1, 4)).get("data").get("presignedUrls");
    for (int p = 1; p <= 3; p++) {
      assertEquals(200, put(urls.get(Integer.toString(p)).asText(), Arrays.copyOfRange(bytes, (p - 1) * 10, Math.min(25, p * 10))));
    }
    return s;
  }

  private long storedNamed(String prefix) {
    return f.store.children(f.demo.uid(), 0, false).stream().filter(n -> n.name().startsWith(prefix)).count();
  }

  @Test
  void concurrentV2Completions_storeOneFile_theOthersFindNoUpload() throws Exception {
    for (int round = 0; round < 5; round++) {
      String name = "race" + round;
      JsonNode s = uploadedParts(name + ".bin", round);
      String body = "{\"StorageNode\":\"" + s.get("StorageNode").asText() + "\",\"bucket\":\"" + s.get("Bucket").asText()
          + "\",\"fileId\":" + s.get("FileId").asLong() + ",\"fileSize\":25,\"isMultipart\":true,\"key\":\""
          + s.get("Key").asText() + "\",\"uploadId\":\"" + s.get("UploadId").asText() + "\"}";
      java.util.List<JsonNode> replies = atOnce(6, "/file/upload_complete/v2", body);
      assertEquals(1, replies.stream().filter(r -> r.get("code").asInt() == 0).count(), replies.toString());
      for (JsonNode r : replies) {
        if (r.get("code").asInt() == 0) continue;
        assertEquals(401, r.get("code").asInt(), r.toString());
        assertEquals("没有找到上传的文件", r.get("message").asText(), "as a completion sent after it");
      }
      assertEquals(1, storedNamed(name), "one file for one upload");
    }
  }

  @Test
  void concurrentLegacyCompletions_storeOneFile_allNameIt() throws Exception {
    for (int round = 0; round < 5; round++) {
      String name = "legacy-race" + round;
      JsonNode s = uploadedParts(name + ".bin", 10 + round);
      java.util.List<JsonNode> replies = atOnce(6, "/file/upload_complete", "{\"fileId\":" + s.get("FileId").asLong() + "}");
      long id = replies.get(0).path("data").path("file_info").path("FileId").asLong();
      for (JsonNode r : replies) {
        assertEquals(0, r.get("code").asInt(), r.toString());
        assertEquals(id, r.get("data").get("file_info").get("FileId").asLong(), "as a completion sent after it");
      }
      assertEquals(1, storedNamed(name), "one file for one upload");
    }
  }
}
