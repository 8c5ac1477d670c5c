package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.open.HttpSemanticsTest.Answer;
import io.github.pan4j.testkit.fake.open.HttpSemanticsTest.Conn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edges clients other than ours meet, as the nginx in front of 123's services and its
 * CDN answer them: several ranges in one header, the validators of a download and the conditions
 * on them, a trailing slash on an API path, the case of the bearer scheme, multipart bodies with
 * LF line ends, and a body framed by both a length and chunks.
 */
class GatewayEdgesTest extends OpenFixture {
  private static final String CLIENT = "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}";
  /** The fixture's clock, when every file here is stored. */
  private static final String STORED = "Sun, 01 Mar 2026 04:00:00 GMT";

  private Node file(String name, String text) {
    return store.createFile(demo.uid(), 0, name, store.putBlob(text.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpUrl downloadUrl(Node f) {
    return HttpUrl.get(get("/api/v1/file/download_info", Map.of("fileId", Long.toString(f.id()))).data().get("downloadUrl").asText());
  }

  private static String target(HttpUrl u) {
    return u.encodedPath() + (u.encodedQuery() == null ? "" : "?" + u.encodedQuery());
  }

  private static Answer fetch(HttpUrl u, String headers) throws IOException {
    try (Conn c = new Conn(u)) {
      c.send("GET " + target(u) + " HTTP/1.1\r\nHost: " + u.host() + "\r\n" + headers + "\r\n", null);
      return c.read(true);
    }
  }

  // ------------------------------------------------------------------ 1. several ranges

  @Test
  void severalRanges_areOneMultipartByteranges_asNginxWritesIt() throws IOException {
    HttpUrl u = downloadUrl(file("a.txt", "0123456789"));
    Answer a = fetch(u, "Range: bytes=0-1, 5-6,-2\r\n");
    assertEquals(206, a.status());
    String type = a.headers().get("content-type");
    assertTrue(type.matches("multipart/byteranges; boundary=\\d{20}"), type);
    assertNull(a.headers().get("content-range"), "the ranges are named in the parts");
    String b = type.substring(type.indexOf('=') + 1);
    String part = "\r\n--" + b + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes ";
    assertEquals(part + "0-1/10\r\n\r\n01" + part + "5-6/10\r\n\r\n56" + part + "8-9/10\r\n\r\n89\r\n--" + b + "--\r\n",
        a.text(), "parts in the order asked, framed with CRLF");
    assertEquals(Integer.toString(a.body().length), a.headers().get("content-length"));
  }

  @Test
  void severalRanges_askingForMoreThanTheFile_getTheWholeFile_andUnsatisfiableOnesAreDropped() throws IOException {
    HttpUrl u = downloadUrl(file("a.txt", "0123456789"));
    Answer overlap = fetch(u, "Range: bytes=0-7,2-9\r\n"); // 16 bytes of a 10-byte file
    assertEquals(200, overlap.status());
    assertEquals("0123456789", overlap.text());
    Answer oneLeft = fetch(u, "Range: bytes=20-30,3-4\r\n"); // the first lies past the end: skipped
    assertEquals(206, oneLeft.status());
    assertEquals("bytes 3-4/10", oneLeft.headers().get("content-range"));
    assertEquals("34", oneLeft.text());
    Answer none = fetch(u, "Range: bytes=20-30,40-\r\n");
    assertEquals(416, none.status());
    assertEquals("bytes */10", none.headers().get("content-range"));
    assertEquals(416, fetch(u, "Range: bytes=1-2,x\r\n").status(), "a syntax error anywhere");
  }

  @Test
  void severalRanges_headAnswersTheSameLength_andTheConnectionStaysInStep() throws IOException {
    HttpUrl u = downloadUrl(file("a.txt", "0123456789"));
    try (Conn c = new Conn(u)) {
      String host = "Host: " + u.host() + "\r\n";
      c.send("HEAD " + target(u) + " HTTP/1.1\r\n" + host + "Range: bytes=0-0,9-9\r\n\r\n", null);
      Answer head = c.read(false);
      assertEquals(206, head.status());
      c.send("GET " + target(u) + " HTTP/1.1\r\n" + host + "Range: bytes=0-0,9-9\r\n\r\n", null);
      Answer get = c.read(true);
      assertEquals(head.headers().get("content-length"), get.headers().get("content-length"));
      assertTrue(get.text().endsWith("--\r\n"), get.text());
    }
  }

  /** nginx's range filter adds {@code Accept-Ranges} only to the whole file it lets through, never to a 206. */
  @Test
  void acceptRanges_isOnTheWholeFileOnly_asNginxSendsIt() throws IOException {
    HttpUrl u = downloadUrl(file("a.txt", "0123456789"));
    Answer whole = fetch(u, "");
    assertEquals(200, whole.status());
    assertEquals("bytes", whole.headers().get("accept-ranges"));
    assertEquals("bytes", fetch(u, "Range: bytes=0-7,2-9\r\n").headers().get("accept-ranges"), "a range header it declined");
    Answer one = fetch(u, "Range: bytes=0-1\r\n");
    assertEquals(206, one.status());
    assertFalse(one.headers().containsKey("accept-ranges"), one.headers().toString());
    Answer two = fetch(u, "Range: bytes=0-1,5-6\r\n");
    assertEquals(206, two.status());
    assertFalse(two.headers().containsKey("accept-ranges"), two.headers().toString());
  }

  /** How many ranges 123's CDN takes is unknown: nginx's max_ranges is a setting. */
  @Test
  void maxRanges_isAStoreSetting_likeNginxsDirective() throws IOException {
    HttpUrl u = downloadUrl(file("a.txt", "0123456789"));
    settings("{\"store.cdnMaxRanges\":1}");
    Answer two = fetch(u, "Range: bytes=0-1,5-6\r\n");
    assertEquals(200, two.status());
    assertEquals("0123456789", two.text());
    assertEquals("bytes 0-1/10", fetch(u, "Range: bytes=0-1\r\n").headers().get("content-range"));
    settings("{\"store.cdnMaxRanges\":0}");
    Answer off = fetch(u, "Range: bytes=0-1\r\n");
    assertEquals(200, off.status());
    assertFalse(off.headers().containsKey("accept-ranges"), off.headers().toString());
    settings("{\"store.cdnMaxRanges\":-1}");
    assertEquals(206, fetch(u, "Range: bytes=0-1,5-6\r\n").status());
  }

  // ------------------------------------------------------------------ 2. validators

  @Test
  void downloads_carryLastModified_andNginxsEtag() throws IOException {
    Node f = file("a.txt", "0123456789");
    Answer a = fetch(downloadUrl(f), "");
    assertEquals(STORED, a.headers().get("last-modified"));
    long seconds = clock.instant().getEpochSecond();
    assertEquals("\"" + Long.toHexString(seconds) + "-a\"", a.headers().get("etag"), "\"<hex mtime>-<hex length>\"");
    // The same bytes stored again later are the same object: the first time stays.
    clock.advance(Duration.ofHours(5));
    Node again = file("b.txt", "0123456789");
    assertEquals(STORED, fetch(downloadUrl(again), "").headers().get("last-modified"));
  }

  @Test
  void ifModifiedSince_isNotModifiedOnlyForTheExactDate_andWithIfNoneMatchBothMustHold() throws IOException {
    HttpUrl u = downloadUrl(file("a.txt", "0123456789"));
    String etag = fetch(u, "").headers().get("etag");
    Answer same = fetch(u, "If-Modified-Since: " + STORED + "\r\n");
    assertEquals(304, same.status());
    assertEquals(STORED, same.headers().get("last-modified"));
    assertEquals(etag, same.headers().get("etag"));
    assertFalse(same.headers().containsKey("accept-ranges"), same.headers().toString());
    assertFalse(same.headers().containsKey("content-type"), same.headers().toString());
    // nginx's default "if_modified_since exact": a later date is no match either.
    assertEquals(200, fetch(u, "If-Modified-Since: Mon, 02 Mar 2026 04:00:00 GMT\r\n").status());
    assertEquals(200, fetch(u, "If-Modified-Since: Sat, 28 Feb 2026 04:00:00 GMT\r\n").status());
    assertEquals(200, fetch(u, "If-Modified-Since: " + STORED + "\r\nIf-None-Match: \"other\"\r\n").status());
    assertEquals(304, fetch(u, "If-Modified-Since: " + STORED + "\r\nIf-None-Match: W/" + etag + "\r\n").status());
  }

  @Test
  void ifRange_withADate_andPreconditions_412() throws IOException {
    HttpUrl u = downloadUrl(file("a.txt", "0123456789"));
    String etag = fetch(u, "").headers().get("etag");
    assertEquals("23", fetch(u, "Range: bytes=2-3\r\nIf-Range: " + STORED + "\r\n").text());
    Answer later = fetch(u, "Range: bytes=2-3\r\nIf-Range: Mon, 02 Mar 2026 04:00:00 GMT\r\n");
    assertEquals(200, later.status());
    assertEquals("0123456789", later.text());
    assertEquals("23", fetch(u, "Range: bytes=2-3\r\nIf-Range: " + etag + "\r\n").text());
    assertEquals(200, fetch(u, "Range: bytes=2-3\r\nIf-Range: W/" + etag + "\r\n").status(), "a weak tag never matches If-Range");
    assertEquals(412, fetch(u, "If-Unmodified-Since: Sat, 28 Feb 2026 04:00:00 GMT\r\n").status());
    assertEquals(200, fetch(u, "If-Unmodified-Since: " + STORED + "\r\n").status());
    assertEquals(412, fetch(u, "If-Match: \"other\"\r\n").status());
    assertEquals(200, fetch(u, "If-Match: \"other\", " + etag + "\r\n").status());
  }

  /** What 123's CDN sends as its tag is unknown: the object-store form (the MD5) is a setting. */
  @Test
  void etagAsTheMd5_isAStoreSetting() throws IOException {
    Node f = file("a.txt", "0123456789");
    HttpUrl u = downloadUrl(f);
    settings("{\"store.cdnMd5Etag\":true}");
    String md5 = "\"" + f.md5() + "\"";
    assertEquals(md5, fetch(u, "").headers().get("etag"));
    assertEquals(304, fetch(u, "If-None-Match: " + md5 + "\r\n").status());
    assertEquals("23", fetch(u, "Range: bytes=2-3\r\nIf-Range: " + md5 + "\r\n").text());
    settings("{\"store.cdnMd5Etag\":false}");
    assertEquals(200, fetch(u, "If-None-Match: " + md5 + "\r\n").status(), "back to nginx's tag");
  }

  // ------------------------------------------------------------------ 3. trailing slash

  /** Routes are exact paths: a trailing slash is another path (this was already so). */
  @Test
  void trailingSlash_onApiAndUploadPaths_isTheGatewaysNotFound() throws IOException {
    for (String server : new String[] {"open", "upload"}) {
      String path = server.equals("open") ? "/api/v2/file/list/?parentFileId=0&limit=10" : "/upload/v2/file/slice/";
      try (okhttp3.Response r = http.newCall(new Request.Builder().url(cloud.baseUrl(server) + path)
          .header("Platform", "open_platform").header("Authorization", "Bearer " + token).build()).execute()) {
        assertEquals(404, r.code(), path);
        assertEquals("text/plain", r.header("Content-Type"));
        assertEquals("404 page not found", r.body().string());
      }
    }
    assertEquals(0, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "10")).code(), "without it: served");
  }

  // ------------------------------------------------------------------ 4. bearer scheme

  private int userInfoWith(String authorization) throws IOException {
    HttpUrl open = HttpUrl.get(cloud.baseUrl("open"));
    try (Conn c = new Conn(open)) {
      c.send("GET /api/v1/user/info HTTP/1.1\r\nHost: x\r\nPlatform: open_platform\r\nAuthorization: "
          + authorization + "\r\n\r\n", null);
      Answer a = c.read(true);
      assertEquals(200, a.status());
      return io.github.pan4j.core.internal.http.Json.mapper().readTree(a.body()).get("code").asInt();
    }
  }

  @Test
  void bearerScheme_byDefault_onlyAsDocumented() throws IOException {
    assertEquals(0, userInfoWith("Bearer " + token));
    assertEquals(0, userInfoWith("Bearer " + token + "  "), "trailing blanks are no part of a header value");
    for (String other : new String[] {"bearer " + token, "BEARER " + token, "Bearer  " + token, "Bearer\t" + token}) {
      assertEquals(401, userInfoWith(other), other);
    }
  }

  @Test
  void bearerScheme_anyCase_isASetting() throws IOException {
    settings("{\"open.bearerScheme\":\"ANY_CASE\"}");
    for (String form : new String[] {"Bearer " + token, "bearer " + token, "BEARER " + token, "bEaReR   " + token}) {
      assertEquals(0, userInfoWith(form), form);
    }
    for (String other : new String[] {"Bearer" + token, "Basic " + token, "Bearer ", "Token " + token}) {
      assertEquals(401, userInfoWith(other), other);
    }
    settings("{\"open.bearerScheme\":\"EXACT\"}");
    assertEquals(401, userInfoWith("bearer " + token));
  }

  private void settings(String json) {
    io.github.pan4j.testkit.fake.SettingsOverHttp.set(cloud, "open", json);
  }

  // ------------------------------------------------------------------ 5. LF-only multipart

  /** A multipart body of text fields and one file part, every line ending in {@code nl}. */
  private static byte[] form(String nl, String boundary, Map<String, String> fields, String fileField, byte[] content) {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append("--").append(boundary).append(nl)
        .append("Content-Disposition: form-data; name=\"").append(k).append('"').append(nl).append(nl).append(v).append(nl));
    b.append("--").append(boundary).append(nl).append("Content-Disposition: form-data; name=\"").append(fileField)
        .append("\"; filename=\"f.bin\"").append(nl).append("Content-Type: application/octet-stream").append(nl).append(nl);
    byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = (nl + "--" + boundary + "--" + nl).getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(content, 0, all, head.length, content.length);
    System.arraycopy(tail, 0, all, head.length + content.length, tail.length);
    return all;
  }

  private Reply upload(String path, byte[] body, String boundary) {
    return send(new Request.Builder().url(cloud.baseUrl("upload") + path).header("Platform", "open_platform")
        .header("Authorization", "Bearer " + token)
        .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("multipart/form-data; boundary=" + boundary))).build());
  }

  @Test
  void singleUpload_withLfOnlyLines_isReadAsGoReadsIt() {
    byte[] content = "line one\r\nline two\n".getBytes(StandardCharsets.UTF_8);
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("parentFileID", "0");
    fields.put("filename", "lf.txt");
    fields.put("etag", md5(content));
    fields.put("size", Integer.toString(content.length));
    Reply r = upload("/upload/v2/file/single/create", form("\n", "XyZ", fields, "file", content), "XyZ");
    assertEquals(0, r.code(), r.raw());
    assertTrue(r.data().get("completed").asBoolean());
    assertEquals(md5(content), store.resolve(demo.uid(), "/lf.txt").orElseThrow().md5(), "the CR inside the content is kept");
  }

  @Test
  void lfOnlyLines_canBeRefused_byASetting() throws IOException {
    byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("parentFileID", "0");
    fields.put("filename", "lf.txt");
    fields.put("etag", md5(content));
    fields.put("size", Integer.toString(content.length));
    settings("{\"open.multipartBareLf\":false}");
    Reply lf = upload("/upload/v2/file/single/create", form("\n", "XyZ", fields, "file", content), "XyZ");
    assertEquals(1, lf.code(), lf.raw());
    assertEquals(0, upload("/upload/v2/file/single/create", form("\r\n", "XyZ", fields, "file", content), "XyZ").code(),
        "CRLF as RFC 2046 asks");
  }

  @Test
  void slice_withLfOnlyLines_isTaken_butAMixOfLineEndsIsNot() {
    byte[] content = io.github.pan4j.testkit.fake.TestBytes.random(1500, 7);
    Reply c = post("/upload/v2/file/create", "{\"parentFileID\":0,\"filename\":\"s.bin\",\"etag\":\"" + md5(content)
        + "\",\"size\":" + content.length + ",\"duplicate\":1}");
    String id = c.data().get("preuploadID").asText();
    for (int no = 1; no <= 2; no++) {
      byte[] part = java.util.Arrays.copyOfRange(content, (no - 1) * 1024, Math.min(content.length, no * 1024));
      Map<String, String> fields = new java.util.LinkedHashMap<>();
      fields.put("preuploadID", id);
      fields.put("sliceNo", Integer.toString(no));
      fields.put("sliceMD5", md5(part));
      byte[] body = form("\n", "b0und", fields, "slice", part);
      if (no == 2) {
        // First delimiter line with CRLF fixes CRLF for the body: the later LF-only delimiters are content.
        byte[] mixed = new byte[body.length + 1];
        int firstLf = new String(body, StandardCharsets.ISO_8859_1).indexOf('\n');
        System.arraycopy(body, 0, mixed, 0, firstLf);
        mixed[firstLf] = '\r';
        System.arraycopy(body, firstLf, mixed, firstLf + 1, body.length - firstLf);
        assertEquals(1, upload("/upload/v2/file/slice", mixed, "b0und").code());
      }
      Reply r = upload("/upload/v2/file/slice", body, "b0und");
      assertEquals(0, r.code(), r.raw());
    }
    Reply done = post("/upload/v2/file/upload_complete", "{\"preuploadID\":\"" + id + "\"}");
    for (int i = 0; i < 5 && (done.code() == 20103 || !done.data().get("completed").asBoolean()); i++) { // "still verifying" first
      done = post("/upload/v2/file/upload_complete", "{\"preuploadID\":\"" + id + "\"}");
    }
    assertEquals(0, done.code(), done.raw());
    assertTrue(done.data().get("completed").asBoolean(), done.raw());
  }

  private static byte[] concat(String head, byte[] rest) {
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] all = java.util.Arrays.copyOf(h, h.length + rest.length);
    System.arraycopy(rest, 0, all, h.length, rest.length);
    return all;
  }

  private Map<String, String> singleFields(String filename, byte[] content) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("parentFileID", "0");
    fields.put("filename", filename);
    fields.put("etag", md5(content));
    fields.put("size", Integer.toString(content.length));
    return fields;
  }

  @Test
  void partsWithoutAFormName_areSkipped_asGoSkipsThem() {
    byte[] content = "named parts only".getBytes(StandardCharsets.UTF_8);
    byte[] body = concat("--XyZ\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n"
        + "--XyZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n"
        + "--XyZ\r\nContent-Disposition: attachment; name=\"file\"; filename=\"x.bin\"\r\n\r\nnot form-data\r\n",
        form("\r\n", "XyZ", singleFields("nameless.txt", content), "file", content));
    Reply r = upload("/upload/v2/file/single/create", body, "XyZ");
    assertEquals(0, r.code(), r.raw());
    assertEquals(md5(content), store.resolve(demo.uid(), "/nameless.txt").orElseThrow().md5(), "the form-data file part");
  }

  @Test
  void anEmptyPartEndedByTheDelimiterRightAfterItsHeaders_isTaken_aBrokenDelimiterLineIsNot() {
    byte[] content = "after an empty part".getBytes(StandardCharsets.UTF_8);
    String empty = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n";
    Reply ok = upload("/upload/v2/file/single/create",
        concat(empty, form("\r\n", "XyZ", singleFields("empty-part.txt", content), "file", content)), "XyZ");
    assertEquals(0, ok.code(), ok.raw());
    assertTrue(store.resolve(demo.uid(), "/empty-part.txt").isPresent());
    byte[] lf = concat(empty.replace("\r\n", "\n"), form("\n", "XyZ", singleFields("empty-part-lf.txt", content), "file", content));
    assertEquals(0, upload("/upload/v2/file/single/create", lf, "XyZ").code(), "LF-only lines");
    Reply broken = upload("/upload/v2/file/single/create",
        concat(empty + "--XyZ junk\r\n", form("\r\n", "XyZ", singleFields("broken.txt", content), "file", content)), "XyZ");
    assertEquals(1, broken.code(), broken.raw());
    assertFalse(store.resolve(demo.uid(), "/broken.txt").isPresent());
  }

  // ------------------------------------------------------------------ 6. Content-Length with chunked

  private Answer tokenWithFraming(String version, String framing, String body) throws IOException {
    HttpUrl open = HttpUrl.get(cloud.baseUrl("open"));
    try (Conn c = new Conn(open)) {
      c.send("POST /api/v1/access_token " + version + "\r\nHost: x\r\nPlatform: open_platform\r\n"
          + "Content-Type: application/json\r\n" + framing + "\r\n", body.getBytes(StandardCharsets.ISO_8859_1));
      Answer a = c.read(true);
      if (a.status() >= 400) {
        assertEquals("close", a.headers().get("connection"));
        assertEquals(-1, c.in.read(), "the connection is closed after the refusal");
      }
      return a;
    }
  }

  private static String chunked(String text) {
    return Integer.toHexString(text.length()) + "\r\n" + text + "\r\n0\r\n\r\n";
  }

  @Test
  void contentLengthWithChunked_isNginxs400_andNeverReachesTheService() throws IOException {
    cloud.clearRequests();
    Answer a = tokenWithFraming("HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", chunked(CLIENT));
    assertEquals(400, a.status());
    assertEquals("Bad Request", a.reason());
    assertTrue(a.headers().get("content-type").startsWith("text/html"), a.headers().toString());
    assertTrue(a.text().contains("<h1>400 Bad Request</h1>"), a.text());
    Answer reversed = tokenWithFraming("HTTP/1.1", "Transfer-Encoding: chunked\r\nContent-Length: " + CLIENT.length() + "\r\n",
        chunked(CLIENT));
    assertEquals(400, reversed.status(), "in either order");
    assertTrue(cloud.requests("open", "/api/v1/access_token").isEmpty(), "the service saw neither");
  }

  @Test
  void otherFramingsNginxRefuses_andTheOnesItTakes() throws IOException {
    assertEquals(501, tokenWithFraming("HTTP/1.1", "Transfer-Encoding: gzip, chunked\r\n", chunked(CLIENT)).status());
    assertEquals(400, tokenWithFraming("HTTP/1.0", "Transfer-Encoding: chunked\r\n", chunked(CLIENT)).status());
    assertEquals(400, tokenWithFraming("HTTP/1.1", "Content-Length: " + CLIENT.length() + "\r\nContent-Length: "
        + CLIENT.length() + "\r\n", CLIENT).status(), "a length given twice");
    assertEquals(400, tokenWithFraming("HTTP/1.1", "Content-Length: +" + CLIENT.length() + "\r\n", CLIENT).status());
    Answer ok = tokenWithFraming("HTTP/1.1", "Transfer-Encoding: Chunked\r\n", chunked(CLIENT));
    assertEquals(200, ok.status());
    assertTrue(ok.text().contains("\"accessToken\""), ok.text());
  }
}
