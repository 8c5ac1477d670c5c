package io.github.pan4j.testkit.fake.open;

import io.github.pan4j.testkit.fake.TestBytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.util.Arrays;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * Slices and parts large enough to be read by the fake's own sockets (64 KiB and more, see
 * ReceivedBodies) are checked and stored exactly as the small ones: same bytes, same checks,
 * same log entries.
 */
class OpenUploadHeldBodiesTest extends OpenFixture {
  private static final MediaType OCTET = MediaType.get("application/octet-stream");
  private static final int SLICE = 256 * 1024;

  @Override
  OpenApiFrontDoor newDoor() {
    return new OpenApiFrontDoor().sliceSize(SLICE).qpsEnabled(false);
  }

  private Reply slice(String server, String id, int no, byte[] part, String partMd5) {
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("preuploadID", id)
        .addFormDataPart("sliceNo", Integer.toString(no))
        .addFormDataPart("sliceMD5", partMd5)
        .addFormDataPart("slice", "f.part" + no, RequestBody.create(part, OCTET))
        .build();
    return send(new Request.Builder().url(server + "/upload/v2/file/slice").header("Platform", "open_platform")
        .header("Authorization", "Bearer " + token).post(body).build());
  }

  private JsonNode create(String name, byte[] content, int version) {
    Reply c = post("/upload/v" + version + "/file/create", "{\"parentFileID\":0,\"filename\":\"" + name
        + "\",\"etag\":\"" + md5(content) + "\",\"size\":" + content.length + "}");
    assertEquals(0, c.code(), c.toString());
    return c.data();
  }

  /** Calls {@code path} until it answers anything but "still verifying" (at most 10 times). */
  private Reply completeUntilDone(String path, String id) {
    Reply r = null;
    for (int i = 0; i < 10; i++) {
      r = post(path, "{\"preuploadID\":\"" + id + "\"}");
      boolean pending = r.code() == 20103 || (r.code() == 0 && !r.data().get("completed").asBoolean());
      if (!pending || (r.code() == 0 && r.data().path("async").asBoolean(false))) return r;
    }
    return r;
  }

  @Test
  void v2Slices_areCheckedStoredAndLoggedWithTheirRealLength() {
    byte[] content = TestBytes.random(2 * SLICE + 100_000, 1); // every slice above the 64 KiB threshold
    JsonNode created = create("big.bin", content, 2);
    String id = created.get("preuploadID").asText();
    String server = created.get("servers").get(0).asText();
    byte[] first = Arrays.copyOfRange(content, 0, SLICE);

    // Every check still applies: a wrong sliceMD5 and a wrong length are refused, nothing is stored.
    Reply badMd5 = slice(server, id, 1, first, md5(new byte[1]));
    assertEquals(1, badMd5.code(), badMd5.toString());
    assertEquals("分片MD5校验失败", badMd5.message());
    byte[] shortSlice = Arrays.copyOf(first, SLICE - 1);
    Reply badLength = slice(server, id, 1, shortSlice, md5(shortSlice));
    assertEquals("分片大小与sliceSize不一致", badLength.message());
    assertEquals(0, door.uploadSessions().get(0).slicesReceived());

    for (int off = 0, no = 1; off < content.length; off += SLICE, no++) {
      byte[] part = Arrays.copyOfRange(content, off, Math.min(content.length, off + SLICE));
      Reply r = slice(server, id, no, part, md5(part));
      assertEquals(0, r.code(), r.toString());
    }
    Reply done = completeUntilDone("/upload/v2/file/upload_complete", id);
    assertEquals(0, done.code(), done.toString());
    Node n = store.node(demo.uid(), done.data().get("fileID").asLong()).orElseThrow();
    assertArrayEquals(content, n.blob().bytes());

    List<FakeCloud.LoggedRequest> slices = cloud.requests("upload", "/upload/v2/file/slice");
    assertEquals(5, slices.size());
    for (FakeCloud.LoggedRequest r : slices) {
      assertTrue(r.bodySize() > 100_000, "logged body size " + r.bodySize());
      assertEquals(Long.toString(r.bodySize()), r.header("Content-Length"));
      assertEquals(null, r.header("X-Pan4j-Fake-Held-Body"));
      assertTrue(!r.chunked());
    }
  }

  @Test
  void v1PresignedParts_areCheckedAndStored() throws Exception {
    byte[] content = TestBytes.random(SLICE + 70_000, 2);
    JsonNode created = create("v1.bin", content, 1);
    String id = created.get("preuploadID").asText();
    for (int off = 0, no = 1; off < content.length; off += SLICE, no++) {
      byte[] part = Arrays.copyOfRange(content, off, Math.min(content.length, off + SLICE));
      Reply u = post("/upload/v1/file/get_upload_url", "{\"preuploadID\":\"" + id + "\",\"sliceNo\":" + no + "}");
      String url = u.data().get("presignedURL").asText();
      if (no == 1) {
        // One byte short of the slice size: S3's refusal, nothing stored.
        try (var r = http.newCall(new Request.Builder().url(url).put(RequestBody.create(Arrays.copyOf(part, SLICE - 1), OCTET))
            .build()).execute()) {
          assertEquals(400, r.code());
          assertTrue(r.body().string().contains("EntityTooSmall"));
        }
      }
      try (var r = http.newCall(new Request.Builder().url(url).put(RequestBody.create(part, OCTET)).build()).execute()) {
        assertEquals(200, r.code());
        assertEquals("\"" + md5(part) + "\"", r.header("ETag"));
      }
    }
    Reply listed = post("/upload/v1/file/list_upload_parts", "{\"preuploadID\":\"" + id + "\"}");
    assertEquals(2, listed.data().get("parts").size());
    assertEquals(SLICE, listed.data().get("parts").get(0).get("size").asLong());
    assertEquals(md5(Arrays.copyOf(content, SLICE)), listed.data().get("parts").get(0).get("etag").asText());
    Reply done = completeUntilDone("/upload/v1/file/upload_complete", id);
    if (done.data().has("async") && done.data().get("async").asBoolean()) {
      done = completeUntilDone("/upload/v1/file/upload_async_result", id);
    }
    assertEquals(0, done.code(), done.toString());
    Node n = store.node(demo.uid(), done.data().get("fileID").asLong()).orElseThrow();
    assertArrayEquals(content, n.blob().bytes());
  }
}
