package io.github.pan4j.testkit.fake.open;

import io.github.pan4j.testkit.fake.TestBytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * v2 slices land at their offsets in one session file and the whole-file MD5 runs as they come:
 * out of order, in parallel, re-sent before and after the running digest passed them; the
 * completion check against the declared etag stays as strict as before.
 */
class OpenUploadSessionFileTest extends OpenFixture {
  private static final MediaType OCTET = MediaType.get("application/octet-stream");
  private static final int SLICE = 1024;

  @Override
  OpenApiFrontDoor newDoor() {
    return super.newDoor().qpsEnabled(false).verifyingReplies(0);
  }

  private String create(String name, String etag, long size) {
    Reply c = post("/upload/v2/file/create", "{\"parentFileID\":0,\"filename\":\"" + name + "\",\"etag\":\"" + etag
        + "\",\"size\":" + size + "}");
    assertEquals(0, c.code(), c.toString());
    assertEquals(SLICE, c.data().get("sliceSize").asInt());
    return c.data().get("preuploadID").asText();
  }

  private Reply slice(String id, int no, byte[] bytes) {
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("preuploadID", id)
        .addFormDataPart("sliceNo", Integer.toString(no))
        .addFormDataPart("sliceMD5", md5(bytes))
        .addFormDataPart("slice", "f.part" + no, RequestBody.create(bytes, OCTET))
        .build();
    return send(new Request.Builder().url(cloud.baseUrl("upload") + "/upload/v2/file/slice").header("Platform", "open_platform")
        .header("Authorization", "Bearer " + token).post(body).build());
  }

  private void sliceOk(String id, int no, byte[] bytes) {
    Reply r = slice(id, no, bytes);
    assertEquals(0, r.code(), "slice " + no + ": " + r);
  }

  private Reply complete(String id) {
    return post("/upload/v2/file/upload_complete", "{\"preuploadID\":\"" + id + "\"}");
  }

  private byte[] completedContent(String id) {
    Reply done = complete(id);
    assertEquals(0, done.code(), done.toString());
    assertTrue(done.data().get("completed").asBoolean(), done.toString());
    Node n = store.node(demo.uid(), done.data().get("fileID").asLong()).orElseThrow();
    return n.blob().bytes();
  }

  @Test
  void slicesOutOfOrder_areAssembledInPlace() {
    byte[] content = TestBytes.random(5 * SLICE - 100, 1);
    String id = create("ooo.bin", md5(content), content.length);
    for (int no : new int[] {3, 5, 1, 4, 2}) sliceOk(id, no, TestBytes.slice(content, no, SLICE));
    assertArrayEquals(content, completedContent(id));
    assertEquals(md5(content), store.blobByMd5(md5(content), content.length).orElseThrow().md5());
  }

  @Test
  void slicesFromSeveralConnectionsAtOnce() throws Exception {
    byte[] content = TestBytes.random(24 * SLICE + 7, 2);
    String id = create("parallel.bin", md5(content), content.length);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Reply>> sent = new ArrayList<>();
      for (int no = 25; no >= 1; no--) {
        int n = no;
        sent.add(pool.submit(() -> slice(id, n, TestBytes.slice(content, n, SLICE))));
      }
      for (Future<Reply> f : sent) assertEquals(0, f.get().code());
    } finally {
      pool.shutdownNow();
    }
    assertArrayEquals(content, completedContent(id));
  }

  @Test
  void resentSlice_overwritesItsRange() {
    byte[] content = TestBytes.random(3 * SLICE, 3);
    String id = create("resent.bin", md5(content), content.length);
    sliceOk(id, 3, TestBytes.slice(content, 3, SLICE));
    sliceOk(id, 2, TestBytes.random(SLICE, 99)); // wrong bytes (with their own MD5), not yet in the running digest
    sliceOk(id, 2, TestBytes.slice(content, 2, SLICE));
    sliceOk(id, 1, TestBytes.slice(content, 1, SLICE));
    assertArrayEquals(content, completedContent(id));
  }

  @Test
  void sliceResentAfterTheDigestPassedIt_rewindsTheDigest() {
    byte[] content = TestBytes.random(4 * SLICE, 4);
    String id = create("rewind.bin", md5(content), content.length);
    sliceOk(id, 1, TestBytes.slice(content, 1, SLICE));
    sliceOk(id, 2, TestBytes.random(SLICE, 98)); // hashed into the running MD5 in order
    sliceOk(id, 3, TestBytes.slice(content, 3, SLICE));
    sliceOk(id, 2, TestBytes.slice(content, 2, SLICE)); // the fix comes after the digest passed slice 2
    sliceOk(id, 4, TestBytes.slice(content, 4, SLICE));
    assertArrayEquals(content, completedContent(id));
  }

  @Test
  void goodFileThenOneSliceResentWithOtherBytes_isRefusedAtCompletion() {
    byte[] content = TestBytes.random(3 * SLICE, 5);
    String id = create("spoiled.bin", md5(content), content.length);
    for (int no = 1; no <= 3; no++) sliceOk(id, no, TestBytes.slice(content, no, SLICE));
    sliceOk(id, 2, TestBytes.random(SLICE, 97)); // overwrites slice 2: the file is no longer what the etag says
    Reply r = complete(id);
    assertEquals(1, r.code(), r.toString());
    assertEquals("文件上传失败", r.message());
    assertEquals("FAILED", door.uploadSessions().get(0).state());
    assertFalse(store.blobByMd5(md5(content), content.length).isPresent());
    assertEquals(1, complete(id).code(), "a failed upload stays failed");
  }

  @Test
  void md5MismatchWithTheDeclaredEtag_isRefusedAtCompletion() {
    byte[] content = TestBytes.random(2 * SLICE + 10, 6);
    byte[] declared = content.clone();
    declared[5] ^= 1;
    String id = create("mismatch.bin", md5(declared), content.length);
    for (int no = 1; no <= 3; no++) sliceOk(id, no, TestBytes.slice(content, no, SLICE));
    Reply r = complete(id);
    assertEquals(1, r.code(), r.toString());
    assertEquals("文件上传失败", r.message());
    assertTrue(store.allNodes(demo.uid()).stream().noneMatch(n -> n.name().equals("mismatch.bin")));
  }

  @Test
  void sliceAfterCompletion_isRefused() {
    byte[] content = TestBytes.random(2 * SLICE, 7);
    String id = create("closed.bin", md5(content), content.length);
    for (int no = 1; no <= 2; no++) sliceOk(id, no, TestBytes.slice(content, no, SLICE));
    byte[] stored = completedContent(id);
    Reply late = slice(id, 1, TestBytes.random(SLICE, 96));
    assertEquals(1, late.code(), late.toString());
    assertEquals("上传任务已结束", late.message());
    assertArrayEquals(stored, store.blobByMd5(md5(content), content.length).orElseThrow().bytes(), "the blob is untouched");
  }

  @Test
  void sha1Reuse_findsAnUploadedFileBySha1ComputedOnDemand() throws Exception {
    byte[] content = TestBytes.random(3 * SLICE + 1, 8);
    String id = create("big.bin", md5(content), content.length);
    for (int no = 1; no <= 4; no++) sliceOk(id, no, TestBytes.slice(content, no, SLICE));
    completedContent(id);
    String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
    Reply reuse = post("/upload/v2/file/sha1_reuse", "{\"parentFileID\":0,\"filename\":\"again.bin\",\"sha1\":\""
        + sha1.toUpperCase() + "\",\"size\":" + content.length + "}");
    assertTrue(reuse.data().get("reuse").asBoolean(), reuse.toString());
    Node again = store.node(demo.uid(), reuse.data().get("fileID").asLong()).orElseThrow();
    assertEquals("again.bin", again.name());
    assertArrayEquals(content, again.blob().bytes());
    Reply otherSize = post("/upload/v2/file/sha1_reuse", "{\"parentFileID\":0,\"filename\":\"x.bin\",\"sha1\":\""
        + sha1 + "\",\"size\":" + (content.length - 1) + "}");
    assertFalse(otherSize.data().get("reuse").asBoolean(), "the size is part of the key");
  }
}
