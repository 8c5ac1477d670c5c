package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.TestBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * Requests as clients not written against pan4j's drivers put them on the wire (other languages'
 * HTTP stacks), which the fake must read as a Go server behind nginx does.
 */
class ForeignClientsTest extends OpenFixture {

  private static byte[] bytes(io.github.pan4j.testkit.fake.Blob blob) {
    try (java.io.InputStream in = blob.open(0, blob.size())) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A multipart body written by hand, with the Content-Disposition lines given. */
  private static byte[] multipart(String boundary, String[][] textFields, String fileDisposition, byte[] file) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String[] f : textFields) {
      b.writeBytes(("--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: " + f[0]
          + "\r\n\r\n" + f[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    b.writeBytes(("--" + boundary + "\r\nContent-Disposition: " + fileDisposition
        + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    b.writeBytes(file);
    b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  /**
   * .NET's HttpClient (MultipartFormDataContent) leaves parameter values unquoted and adds a
   * {@code filename*}: {@code form-data; name=etag} and
   * {@code form-data; name=file; filename=a.bin; filename*=utf-8''a.bin}. RFC 7578 allows a token
   * there, and Go's multipart reader, on which 123's upload host runs, takes it.
   */
  @Test
  void singleUpload_withUnquotedDispositionParameters_asDotNetWritesThem_isStored() {
    byte[] content = TestBytes.random(500, 41);
    String boundary = "5f0c2a3e-8d0b-4c59-9e43-0f2a7e1d9b11";
    String[][] fields = {
        {"form-data; name=parentFileID", "0"},
        {"form-data; name=filename", "来自dotnet.bin"},
        {"form-data; name=etag", md5(content)},
        {"form-data; name=size", "500"},
        {"form-data; name=duplicate", "1"}};
    byte[] body = multipart(boundary, fields,
        "form-data; name=file; filename=blob.bin; filename*=utf-8''blob.bin", content);
    Reply r = send(new Request.Builder().url(cloud.baseUrl("upload") + "/upload/v2/file/single/create")
        .header("Platform", "open_platform").header("Authorization", "Bearer " + token)
        // .NET quotes the boundary parameter of the content type
        .post(RequestBody.create(body, MediaType.get("multipart/form-data; boundary=\"" + boundary + "\""))).build());
    assertEquals(0, r.code(), r.raw());
    Node n = store.node(demo.uid(), r.data().get("fileID").asLong()).orElseThrow();
    assertEquals("来自dotnet.bin", n.name());
    assertArrayEquals(content, bytes(n.blob()));
  }

  /** Only {@code filename*} (RFC 5987) marks the part as a file, too, as Go reads it. */
  @Test
  void slice_whoseFilePartNamesItsFileOnlyWithFilenameStar_isTaken() {
    byte[] content = TestBytes.random(1500, 42); // two slices of 1024 and 476 bytes
    Reply c = post("/upload/v2/file/create", "{\"parentFileID\":0,\"filename\":\"star.bin\",\"etag\":\"" + md5(content)
        + "\",\"size\":1500}");
    assertEquals(0, c.code(), c.raw());
    String pre = c.data().get("preuploadID").asText();
    for (int no = 1; no <= 2; no++) {
      byte[] slice = TestBytes.slice(content, no, 1024);
      String[][] fields = {
          {"form-data; name=\"preuploadID\"", pre},
          {"form-data; name=sliceNo", Integer.toString(no)},
          {"form-data; name=\"sliceMD5\"", md5(slice)}};
      byte[] body = multipart("b-" + no, fields, "form-data; name=\"slice\"; filename*=UTF-8''%E5%88%86%E7%89%87." + no, slice);
      Reply r = send(new Request.Builder().url(c.data().get("servers").get(0).asText() + "/upload/v2/file/slice")
          .header("Platform", "open_platform").header("Authorization", "Bearer " + token)
          .post(RequestBody.create(body, MediaType.get("multipart/form-data; boundary=b-" + no))).build());
      assertEquals(0, r.code(), r.raw());
    }
    Reply done = null;
    for (int i = 0; i < 5 && (done == null || done.code() != 0 || !done.data().get("completed").asBoolean()); i++) {
      done = post("/upload/v2/file/upload_complete", "{\"preuploadID\":\"" + pre + "\"}");
    }
    assertTrue(done.data().get("completed").asBoolean(), done.raw());
    assertArrayEquals(content, bytes(store.resolve(demo.uid(), "/star.bin").orElseThrow().blob()));
  }

  private okhttp3.Response download(Node f, String range) throws java.io.IOException {
    clock.advance(java.time.Duration.ofSeconds(1)); // download_info's QPS limit
    String url = get("/api/v1/file/download_info", java.util.Map.of("fileId", Long.toString(f.id()))).data()
        .get("downloadUrl").asText();
    Request.Builder b = new Request.Builder().url(url);
    if (range != null) b.header("Range", range);
    return http.newCall(b.build()).execute();
  }

  /** The file name a Content-Disposition gives, as an RFC 6266 reader takes it (filename* first). */
  private static String savedAs(String disposition) {
    java.util.regex.Matcher star = java.util.regex.Pattern.compile("filename\\*=UTF-8''([^;]+)").matcher(disposition);
    if (star.find()) return java.net.URLDecoder.decode(star.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    java.util.regex.Matcher plain = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(disposition);
    return plain.find() ? plain.group(1) : null;
  }

  /**
   * A download manager, browser or {@code wget --content-disposition} names the saved file after
   * Content-Disposition; 123's download links carry the name only in their query (or not at all).
   */
  @Test
  void downloads_nameTheFile_inContentDisposition_withUtf8ForChineseNames() throws Exception {
    String name = "报告 2026(终版)+100%.pdf";
    Node f = store.createFile(demo.uid(), 0, name, store.putBlob(TestBytes.random(100, 43)));
    try (okhttp3.Response r = download(f, null)) {
      assertEquals(200, r.code());
      String d = r.header("Content-Disposition");
      assertTrue(d != null && d.startsWith("attachment;"), String.valueOf(d));
      assertEquals(name, savedAs(d));
      assertTrue(d.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "a header value of ASCII only: " + d);
    }
    try (okhttp3.Response r = download(f, "bytes=0-9")) {
      assertEquals(206, r.code());
      assertEquals(name, savedAs(r.header("Content-Disposition")), "a resumed download keeps the name");
    }
    Node plain = store.createFile(demo.uid(), 0, "notes.txt", store.putBlob(TestBytes.random(10, 44)));
    try (okhttp3.Response r = download(plain, null)) {
      assertEquals("attachment; filename=\"notes.txt\"", r.header("Content-Disposition"));
    }
  }

  /** Range units are case-insensitive (RFC 9110 §14.1); nginx honours {@code Bytes=} too. */
  @Test
  void range_withTheUnitInAnotherCase_isHonoured() throws Exception {
    byte[] content = TestBytes.random(100, 45);
    Node f = store.createFile(demo.uid(), 0, "r.bin", store.putBlob(content));
    try (okhttp3.Response r = download(f, "Bytes=10-19")) {
      assertEquals(206, r.code());
      assertEquals("bytes 10-19/100", r.header("Content-Range"));
      assertArrayEquals(java.util.Arrays.copyOfRange(content, 10, 20), r.body().bytes());
    }
  }
}
