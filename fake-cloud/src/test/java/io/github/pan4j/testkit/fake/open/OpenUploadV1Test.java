package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class OpenUploadV1Test extends OpenFixture {

  @Override
  OpenApiFrontDoor newDoor() {
    return super.newDoor().qpsEnabled(false);
  }

  private int put(String url, byte[] part, boolean withAuth) throws IOException {
    Request.Builder b = new Request.Builder().url(url).put(RequestBody.create(part, MediaType.get("application/octet-stream")));
    if (withAuth) b.header("Authorization", "Bearer " + token);
    try (Response r = http.newCall(b.build()).execute()) {
      if (r.code() == 200) assertEquals("", r.body().string());
      return r.code();
    }
  }

  @Test
  void v1Flow_multipart_asyncResult() throws IOException {
    byte[] content = new byte[2100];
    new Random(1).nextBytes(content);
    Reply c = post("/upload/v1/file/create", "{\"parentFileID\":0,\"filename\":\"v1.bin\",\"etag\":\"" + md5(content)
        + "\",\"size\":2100}");
    assertEquals(0, c.code(), c.toString());
    assertFalse(c.data().has("servers"));
    String id = c.data().get("preuploadID").asText();
    for (int no = 1; no <= 3; no++) {
      Reply u = post("/upload/v1/file/get_upload_url", "{\"preuploadID\":\"" + id + "\",\"sliceNo\":" + no + "}");
      assertTrue(u.data().get("isMultipart").asBoolean());
      String url = u.data().get("presignedURL").asText();
      byte[] part = Arrays.copyOfRange(content, (no - 1) * 1024, Math.min(2100, no * 1024));
      assertEquals(400, put(url, part, true));
      assertEquals(200, put(url, part, false));
    }
    Reply parts = post("/upload/v1/file/list_upload_parts", "{\"preuploadID\":\"" + id + "\"}");
    assertEquals(3, parts.data().get("parts").size());
    assertEquals("1", parts.data().get("parts").get(0).get("partNumber").asText());
    Reply done = post("/upload/v1/file/upload_complete", "{\"preuploadID\":\"" + id + "\"}");
    assertTrue(done.data().get("async").asBoolean());
    Reply poll1 = post("/upload/v1/file/upload_async_result", "{\"preuploadID\":\"" + id + "\"}");
    assertFalse(poll1.data().get("completed").asBoolean());
    Reply poll2 = post("/upload/v1/file/upload_async_result", "{\"preuploadID\":\"" + id + "\"}");
    assertTrue(poll2.data().get("completed").asBoolean());
    long fileId = poll2.data().get("fileID").asLong();
    assertArrayEquals(content, store.node(demo.uid(), fileId).orElseThrow().blob().bytes());
  }

  @Test
  void v1PartUrl_expiresAfterTheLifetimeItStates() throws IOException {
    byte[] content = {4, 5, 6};
    String id = create("e.bin", content);
    String url = partUrl(id);
    assertTrue(url.contains("X-Amz-Expires=3600"), url);
    clock.advance(java.time.Duration.ofSeconds(3600));
    assertEquals(403, put(url, content, false), "an hour later the URL has expired");
    String fresh = partUrl(id);
    clock.advance(java.time.Duration.ofSeconds(3599));
    assertEquals(200, put(fresh, content, false));
  }

  /** The part URL is presigned as a whole: a changed signature or a dropped query is refused, as object storage refuses it. */
  @Test
  void v1PartUrl_withItsQueryChanged_isRefused() throws IOException {
    byte[] content = {7, 8, 9};
    String id = create("sig.bin", content);
    String url = partUrl(id);
    String tampered = url.replaceAll("X-Amz-Signature=[^&]*", "X-Amz-Signature=bogus");
    assertTrue(!tampered.equals(url), url);
    assertEquals(403, put(tampered, content, false));
    assertEquals(403, put(url.substring(0, url.indexOf('?')), content, false), "no query: unsigned");
    assertEquals(200, put(url, content, false));
  }

  /**
   * The part PUT carries neither of the API's headers (123's docs): one with {@code Platform} is
   * refused, with the object storage's XML error rather than the API's envelope, and stores nothing.
   */
  @Test
  void v1PartPut_withThePlatformHeader_isRefused_andStoresNothing() throws IOException {
    byte[] content = {5, 6, 7};
    String id = create("platform.bin", content);
    String url = partUrl(id);
    Request withPlatform = new Request.Builder().url(url).header("Platform", "open_platform")
        .put(RequestBody.create(content, MediaType.get("application/octet-stream"))).build();
    try (Response r = http.newCall(withPlatform).execute()) {
      assertEquals(403, r.code());
      String body = r.body().string();
      assertTrue(body.contains("<Code>AccessDenied</Code>"), body);
      // S3's error form, as the other storage servers of the fake write it.
      assertTrue(body.contains("<Resource>" + okhttp3.HttpUrl.get(url).encodedPath() + "</Resource>"), body);
      assertTrue(body.contains("<RequestId>" + r.header("x-amz-request-id") + "</RequestId><HostId>"), body);
    }
    assertEquals(0, door.uploadSessions().stream().filter(s -> s.preuploadId().equals(id)).findFirst().orElseThrow()
        .slicesReceived(), "the refused part is not stored");
    assertEquals(200, put(url, content, false), "the same URL without the header is taken");
  }

  @Test
  void v1Flow_singlePart_completesSynchronously() throws IOException {
    byte[] content = {1, 2, 3};
    Reply c = post("/upload/v1/file/create", "{\"parentFileID\":0,\"filename\":\"s.bin\",\"etag\":\"" + md5(content)
        + "\",\"size\":3}");
    String id = c.data().get("preuploadID").asText();
    Reply u = post("/upload/v1/file/get_upload_url", "{\"preuploadId\":\"" + id + "\",\"sliceNo\":1}");
    assertEquals(200, put(u.data().get("presignedURL").asText(), content, false));
    assertEquals(0, post("/upload/v1/file/list_upload_parts", "{\"preuploadID\":\"" + id + "\"}").data().get("parts").size());
    Reply done = post("/upload/v1/file/upload_complete", "{\"preuploadID\":\"" + id + "\"}");
    assertFalse(done.data().get("async").asBoolean());
    assertTrue(done.data().get("completed").asBoolean());
    assertTrue(done.data().get("fileID").asLong() > 0);
  }

  /** The presigned URL of part 1 of session {@code id}. */
  private String partUrl(String id) {
    return post("/upload/v1/file/get_upload_url", "{\"preuploadID\":\"" + id + "\",\"sliceNo\":1}").data()
        .get("presignedURL").asText();
  }

  private String create(String name, byte[] content) {
    Reply c = post("/upload/v1/file/create", "{\"parentFileID\":0,\"filename\":\"" + name + "\",\"etag\":\"" + md5(content)
        + "\",\"size\":" + content.length + "}");
    assertEquals(0, c.code(), c.toString());
    return c.data().get("preuploadID").asText();
  }

  @Test
  void repeatedCreate_ofTheSameFile_answersTheOpenSession_withinItsValidity() throws IOException {
    byte[] content = new byte[2100];
    new Random(2).nextBytes(content);
    String first = create("r.bin", content);
    Reply u = post("/upload/v1/file/get_upload_url", "{\"preuploadID\":\"" + first + "\",\"sliceNo\":1}");
    assertEquals(200, put(u.data().get("presignedURL").asText(), Arrays.copyOfRange(content, 0, 1024), false));
    assertEquals(first, create("r.bin", content), "same file, session still open: the same preuploadID");
    Reply parts = post("/upload/v1/file/list_upload_parts", "{\"preuploadID\":\"" + first + "\"}");
    assertEquals(1, parts.data().get("parts").size(), "the part sent before is still there");
    assertTrue(parts.data().get("parts").get(0).get("partNumber").isTextual(), "partNumber as a string");
    assertEquals(md5(Arrays.copyOfRange(content, 0, 1024)), parts.data().get("parts").get(0).get("etag").asText());
    assertFalse(first.equals(create("other-name.bin", content)), "another name: another session");
    clock.advance(java.time.Duration.ofDays(1).plusSeconds(1));
    assertFalse(first.equals(create("r.bin", content)), "past the validity window: a new session");
    door.v1SameSessionOnRepeat(false);
    String a = create("s.bin", content);
    assertFalse(a.equals(create("s.bin", content)), "setting off: every create is a new session");
  }
}
