package io.github.pan4j.testkit.fake.open;

import io.github.pan4j.testkit.fake.TestBytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.util.Arrays;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

class OpenUploadV2Test extends OpenFixture {
  private static final MediaType OCTET = MediaType.get("application/octet-stream");

  @Override
  OpenApiFrontDoor newDoor() {
    return super.newDoor().qpsEnabled(false);
  }

  private Reply create(long parent, String name, byte[] content, String extra) {
    return post("/upload/v2/file/create", "{\"parentFileID\":" + parent + ",\"filename\":\"" + name + "\",\"etag\":\""
        + md5(content) + "\",\"size\":" + content.length + (extra == null ? "" : "," + extra) + "}");
  }

  private Reply slice(String server, String preuploadId, int no, byte[] part, String partMd5, boolean chunked) {
    RequestBody file = chunked ? new RequestBody() {
      @Override public MediaType contentType() { return OCTET; }
      @Override public long contentLength() { return -1; }
      @Override public void writeTo(BufferedSink sink) throws java.io.IOException { sink.write(part); }
    } : RequestBody.create(part, OCTET);
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("preuploadID", preuploadId)
        .addFormDataPart("sliceNo", Integer.toString(no))
        .addFormDataPart("sliceMD5", partMd5)
        .addFormDataPart("slice", "f.part" + no, file)
        .build();
    return send(new Request.Builder().url(server + "/upload/v2/file/slice").header("Platform", "open_platform")
        .header("Authorization", "Bearer " + token).post(body).build());
  }

  private Reply complete(String preuploadId) {
    return post("/upload/v2/file/upload_complete", "{\"preuploadID\":\"" + preuploadId + "\"}");
  }

  private long uploadAll(byte[] content, JsonNode created) {
    String id = created.get("preuploadID").asText();
    int sliceSize = created.get("sliceSize").asInt();
    String server = created.get("servers").get(0).asText();
    for (int off = 0, no = 1; off < content.length; off += sliceSize, no++) {
      byte[] part = Arrays.copyOfRange(content, off, Math.min(content.length, off + sliceSize));
      Reply r = slice(server, id, no, part, md5(part), false);
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.data().isNull());
    }
    Reply first = complete(id);
    assertEquals(0, first.code());
    assertFalse(first.data().get("completed").asBoolean());
    Reply second = complete(id);
    assertEquals(20103, second.code());
    assertEquals("文件正在校验中,请间隔1秒后再试", second.message());
    Reply done = complete(id);
    assertEquals(0, done.code(), done.toString());
    assertTrue(done.data().get("completed").asBoolean());
    long fileId = done.data().get("fileID").asLong();
    assertEquals(fileId, complete(id).data().get("fileID").asLong());
    return fileId;
  }

  @Test
  void create_slices_verifyingPolls_thenCompleted() {
    byte[] content = TestBytes.random(2500, 1);
    Reply c = create(0, "a.bin", content, "\"duplicate\":1");
    assertEquals(0, c.code(), c.toString());
    assertFalse(c.data().get("reuse").asBoolean());
    assertEquals(0, c.data().get("fileID").asLong());
    assertEquals(1024, c.data().get("sliceSize").asLong());
    assertEquals(cloud.baseUrl("upload"), c.data().get("servers").get(0).asText());
    long id = uploadAll(content, c.data());
    Node n = store.node(demo.uid(), id).orElseThrow();
    assertArrayEquals(content, n.blob().bytes());
    assertEquals("a.bin", n.name());
    assertEquals("COMPLETED", door.uploadSessions().get(0).state());
  }

  @Test
  void sameContentAgain_isInstantUpload() {
    byte[] content = TestBytes.random(1500, 2);
    uploadAll(content, create(0, "a.bin", content, null).data());
    Reply again = create(0, "b.bin", content, null);
    assertTrue(again.data().get("reuse").asBoolean());
    assertFalse(again.data().has("preuploadID"));
    long id = again.data().get("fileID").asLong();
    assertEquals("b.bin", store.node(demo.uid(), id).orElseThrow().name());
  }

  @Test
  void duplicate_keepBothAndOverwriteAndOmitted() {
    byte[] one = TestBytes.random(10, 3);
    Node old = store.createFile(demo.uid(), 0, "x.txt", store.putBlob(one));
    assertEquals(1, create(0, "x.txt", one, null).code());
    long kept = create(0, "x.txt", one, "\"duplicate\":1").data().get("fileID").asLong();
    assertEquals("x(1).txt", store.node(demo.uid(), kept).orElseThrow().name());
    long over = create(0, "x.txt", one, "\"duplicate\":2").data().get("fileID").asLong();
    assertTrue(store.node(demo.uid(), old.id()).orElseThrow().trashed());
    assertEquals("x.txt", store.node(demo.uid(), over).orElseThrow().name());
  }

  @Test
  void create_validatesNameSizeAndParent() {
    byte[] c = TestBytes.random(10, 4);
    assertTrue(create(0, "a?b", c, null).message().startsWith("文件名要小于256个字符"));
    assertEquals("parentFileID不存在", create(777, "a", c, null).message());
    assertEquals(1, post("/upload/v2/file/create", "{\"parentFileID\":0,\"filename\":\"e\",\"etag\":\""
        + md5(new byte[0]) + "\",\"size\":0}").code());
    assertEquals(1, post("/upload/v2/file/create", "{\"parentFileID\":0,\"filename\":\"e\",\"etag\":\""
        + md5(c) + "\",\"size\":" + (10L * 1024 * 1024 * 1024 + 1) + "}").code());
    // lower-case key spelling used by real clients works too
    assertEquals(0, post("/upload/v2/file/create", "{\"parentFileId\":\"0\",\"filename\":\"ok\",\"etag\":\""
        + md5(c) + "\",\"size\":10}").code());
  }

  @Test
  void containDir_createsFolders() {
    byte[] c = TestBytes.random(10, 5);
    store.createFile(demo.uid(), 0, "seed", store.putBlob(c));
    Reply r = create(0, "/p/q/file.txt", c, "\"containDir\":true");
    Node n = store.node(demo.uid(), r.data().get("fileID").asLong()).orElseThrow();
    assertEquals("/p/q/file.txt", store.pathOf(n));
  }

  @Test
  void slice_md5Mismatch_wrongLength_andChunked_areRefused() {
    byte[] content = TestBytes.random(2048, 6);
    JsonNode c = create(0, "a.bin", content, null).data();
    String id = c.get("preuploadID").asText();
    String server = c.get("servers").get(0).asText();
    byte[] part = Arrays.copyOf(content, 1024);
    assertEquals(1, slice(server, id, 1, part, md5(new byte[1]), false).code());
    assertEquals(1, slice(server, id, 1, Arrays.copyOf(content, 1000), md5(Arrays.copyOf(content, 1000)), false).code());
    assertEquals(1, slice(server, id, 3, part, md5(part), false).code());
    assertEquals(1, complete(id).code()); // slices missing
  }

  @Test
  void chunkedSlice_isServedByDefault_andRefusedAboveTheLimitWhenTurnedOn() {
    byte[] content = TestBytes.random(3 << 20, 6);
    door.sliceSize(2 << 20);
    JsonNode c = create(0, "a.bin", content, null).data();
    String id = c.get("preuploadID").asText();
    String server = c.get("servers").get(0).asText();
    byte[] first = Arrays.copyOf(content, 2 << 20);
    Reply big = slice(server, id, 1, first, md5(first), true);
    assertEquals(200, big.status(), "a 2 MiB chunked slice is taken by default, as OpenList's are");
    assertEquals(0, big.code());
    door.rejectChunkedUploads(true);
    assertEquals(500, slice(server, id, 1, first, md5(first), true).status());
    byte[] small = Arrays.copyOf(content, 1024);
    JsonNode c2 = create(0, "b.bin", small, null).data();
    Reply below = slice(c2.get("servers").get(0).asText(), c2.get("preuploadID").asText(), 1, small, md5(small), true);
    assertEquals(0, below.code(), "a 1 KiB chunked body is below the default 1 MiB limit");
    door.chunkedUploadLimit(512);
    assertEquals(500, slice(server, id, 1, first, md5(first), true).status());
    byte[] second = Arrays.copyOfRange(content, 2 << 20, 3 << 20);
    assertEquals(0, slice(server, id, 2, second, md5(second), false).code(), "Content-Length bodies are never refused");
  }

  @Test
  void verifyingReplies_dependOnSize() {
    door.verifyingReplies(0).verifyingRepliesFrom(2048, 3);
    byte[] small = TestBytes.random(1024, 11);
    Reply c = create(0, "small.bin", small, null);
    String id = c.data().get("preuploadID").asText();
    assertEquals(0, slice(c.data().get("servers").get(0).asText(), id, 1, small, md5(small), false).code());
    assertTrue(complete(id).data().get("completed").asBoolean(), "below 2048 bytes: no verifying replies");
    byte[] big = TestBytes.random(2048, 12);
    c = create(0, "big.bin", big, null);
    id = c.data().get("preuploadID").asText();
    String server = c.data().get("servers").get(0).asText();
    for (int no = 1; no <= 2; no++) {
      byte[] p = Arrays.copyOfRange(big, (no - 1) * 1024, no * 1024);
      assertEquals(0, slice(server, id, no, p, md5(p), false).code());
    }
    assertFalse(complete(id).data().get("completed").asBoolean());
    assertEquals(20103, complete(id).code());
    assertFalse(complete(id).data().get("completed").asBoolean());
    assertTrue(complete(id).data().get("completed").asBoolean());
  }

  private Reply completeUntilDone(String id) {
    door.verifyingReplies(0);
    Reply r;
    int polls = 0;
    do {
      r = complete(id);
    } while (r.code() == 20103 || (r.code() == 0 && !r.data().get("completed").asBoolean()) && ++polls < 10);
    return r;
  }

  @Test
  void slicesOutOfOrder_areHashedInOrder_andTheFileIsIdentical() {
    byte[] content = TestBytes.random(5 * 1024 + 300, 11);
    Reply c = create(0, "shuffled.bin", content, null);
    String id = c.data().get("preuploadID").asText();
    String server = c.data().get("servers").get(0).asText();
    for (int no : new int[] {3, 1, 6, 2, 5, 4}) {
      byte[] part = Arrays.copyOfRange(content, (no - 1) * 1024, Math.min(content.length, no * 1024));
      assertEquals(0, slice(server, id, no, part, md5(part), false).code());
    }
    Reply done = completeUntilDone(id);
    assertEquals(0, done.code(), done.toString());
    Node n = store.node(demo.uid(), done.data().get("fileID").asLong()).orElseThrow();
    assertArrayEquals(content, n.blob().bytes());
    assertEquals(md5(content), n.blob().md5());
  }

  @Test
  void sliceResentWithOtherBytes_afterItWasHashed_isCheckedAgainstTheWholeFile() {
    byte[] content = TestBytes.random(2 * 1024, 12);
    Reply c = create(0, "resent.bin", content, null);
    String id = c.data().get("preuploadID").asText();
    String server = c.data().get("servers").get(0).asText();
    byte[] first = Arrays.copyOfRange(content, 0, 1024);
    byte[] second = Arrays.copyOfRange(content, 1024, 2048);
    byte[] other = TestBytes.random(1024, 13);
    assertEquals(0, slice(server, id, 1, first, md5(first), false).code());
    assertEquals(0, slice(server, id, 2, second, md5(second), false).code());
    // Slice 1 again with different (self-consistent) bytes: the stored file no longer has the declared MD5.
    assertEquals(0, slice(server, id, 1, other, md5(other), false).code());
    Reply r = completeUntilDone(id);
    assertEquals("文件上传失败", r.message());
    assertTrue(store.child(demo.uid(), 0, "resent.bin").isEmpty());
    // And sent back correctly, a fresh upload of the same content completes.
    Reply again = create(0, "resent.bin", content, null);
    String id2 = again.data().get("preuploadID").asText();
    assertEquals(0, slice(server, id2, 2, second, md5(second), false).code());
    assertEquals(0, slice(server, id2, 1, first, md5(first), false).code());
    Reply done = completeUntilDone(id2);
    assertEquals(0, done.code(), done.toString());
    assertArrayEquals(content, store.node(demo.uid(), done.data().get("fileID").asLong()).orElseThrow().blob().bytes());
  }

  @Test
  void complete_md5Mismatch_isUploadFailed() {
    byte[] content = TestBytes.random(1024, 7);
    byte[] declared = TestBytes.random(1024, 8);
    Reply c = create(0, "a.bin", declared, null);
    String id = c.data().get("preuploadID").asText();
    assertEquals(0, slice(c.data().get("servers").get(0).asText(), id, 1, content, md5(content), false).code());
    door.verifyingReplies(0);
    complete(id);
    complete(id);
    Reply r = complete(id);
    assertEquals("文件上传失败", r.message());
    assertTrue(r.code() != 0);
    assertTrue(store.child(demo.uid(), 0, "a.bin").isEmpty());
    assertEquals("FAILED", door.uploadSessions().get(0).state());
  }

  @Test
  void failHooks_sliceAndComplete() {
    byte[] content = TestBytes.random(100, 9);
    Reply c = create(0, "a.bin", content, null);
    String id = c.data().get("preuploadID").asText();
    String server = c.data().get("servers").get(0).asText();
    door.failSlices(1).failUploadCompletes(1);
    assertEquals(500, slice(server, id, 1, content, md5(content), false).status());
    assertEquals(0, slice(server, id, 1, content, md5(content), false).code());
    complete(id);
    complete(id);
    assertEquals("文件上传失败", complete(id).message());
  }

  @Test
  void sliceWithoutAuth_is401() {
    byte[] content = TestBytes.random(100, 10);
    Reply c = create(0, "a.bin", content, null);
    token = "bad";
    Reply r = slice(c.data().get("servers").get(0).asText(), c.data().get("preuploadID").asText(), 1, content,
        md5(content), false);
    assertEquals(401, r.code());
  }

  @Test
  void domain_single_andSha1Reuse() {
    Reply d = get("/upload/v2/file/domain", null);
    String server = d.data().get(0).asText();
    assertEquals(cloud.baseUrl("upload"), server);
    byte[] content = TestBytes.random(300, 11);
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("parentFileID", "0").addFormDataPart("filename", "s.bin")
        .addFormDataPart("etag", md5(content)).addFormDataPart("size", "300")
        .addFormDataPart("file", "s.bin", RequestBody.create(content, OCTET)).build();
    Reply r = send(new Request.Builder().url(server + "/upload/v2/file/single/create").header("Platform", "open_platform")
        .header("Authorization", "Bearer " + token).post(body).build());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.data().get("completed").asBoolean());
    Node n = store.node(demo.uid(), r.data().get("fileID").asLong()).orElseThrow();
    String sha1 = n.blob().sha1();
    Reply reuse = post("/upload/v2/file/sha1_reuse", "{\"parentFileID\":0,\"filename\":\"t.bin\",\"sha1\":\"" + sha1
        + "\",\"size\":300}");
    assertTrue(reuse.data().get("reuse").asBoolean(), reuse.toString());
    Reply miss = post("/upload/v2/file/sha1_reuse", "{\"parentFileID\":0,\"filename\":\"u.bin\",\"sha1\":\""
        + "0".repeat(40) + "\",\"size\":300}");
    assertFalse(miss.data().get("reuse").asBoolean());
  }

  @Test
  void single_checksDuplicateAsCreateDoes() {
    byte[] content = TestBytes.random(30, 12);
    for (String bad : new String[] {"3", "-1", "x"}) {
      MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
          .addFormDataPart("parentFileID", "0").addFormDataPart("filename", "d" + bad + ".bin")
          .addFormDataPart("etag", md5(content)).addFormDataPart("size", "30").addFormDataPart("duplicate", bad)
          .addFormDataPart("file", "d.bin", RequestBody.create(content, OCTET)).build();
      Reply r = send(new Request.Builder().url(cloud.baseUrl("upload") + "/upload/v2/file/single/create")
          .header("Platform", "open_platform").header("Authorization", "Bearer " + token).post(body).build());
      assertEquals(1, r.code(), r.raw());
      assertEquals("duplicate参数错误", r.message(), "as create answers it");
      assertEquals(1, create(0, "c" + bad + ".bin", content, "\"duplicate\":\"" + bad + "\"").code());
      assertTrue(store.resolve(demo.uid(), "/d" + bad + ".bin").isEmpty(), "nothing stored");
    }
  }

  @Test
  void complete_withoutOrWithAnUnknownPreuploadId_isRefused() {
    Reply missing = post("/upload/v2/file/upload_complete", "{}");
    assertEquals(1, missing.code());
    assertEquals("preuploadID不能为空", missing.message());
    Reply unknown = post("/upload/v2/file/upload_complete", "{\"preuploadID\":\"nope\"}");
    assertEquals(1, unknown.code());
    assertEquals("preuploadID不存在", unknown.message());
  }
}
