package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * What HTTP/1.1 itself asks of every server, spoken over a raw socket the way clients other than
 * OkHttp speak it: HEAD answers without content, chunk extensions and trailers, {@code Expect:
 * 100-continue}, {@code Connection: close}, and conditional range requests (more in
 * {@link GatewayEdgesTest}).
 */
class HttpSemanticsTest extends OpenFixture {
  private static final String CLIENT = "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}";

  /** One answer: status, headers (lower-case names) and the content read by its length. */
  record Answer(int status, String reason, Map<String, String> headers, byte[] body) {
    String text() { return new String(body, StandardCharsets.UTF_8); }
  }

  /** A connection that writes raw requests and reads answers one by one. */
  static final class Conn implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Conn(HttpUrl base) throws IOException {
      socket = new Socket(base.host(), base.port());
      socket.setSoTimeout(5000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    void send(String head, byte[] body) throws IOException {
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) out.write(body);
      out.flush();
    }

    String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\n') b.write(c);
      if (c == -1 && b.size() == 0) return null;
      return b.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
    }

    /** Reads one answer; {@code withBody} false for HEAD, whose Content-Length has no content. */
    Answer read(boolean withBody) throws IOException {
      String status = line();
      if (status == null) throw new IOException("connection closed before an answer");
      // Content a HEAD answer should not have carried would show up here, before the status line.
      assertTrue(status.matches("HTTP/1\\.[01] \\d{3}( .*)?"), "not a status line: " + status);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String l = line(); l != null && !l.isEmpty(); l = line()) {
        int colon = l.indexOf(':');
        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
      int code = Integer.parseInt(status.split(" ")[1]);
      byte[] body = new byte[0];
      if (withBody && code != 304 && code / 100 != 1 && headers.containsKey("content-length")) {
        body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
      }
      String[] words = status.split(" ", 3);
      return new Answer(code, words.length > 2 ? words[2] : "", headers, body);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private HttpUrl base(String server) {
    return HttpUrl.get(cloud.baseUrl(server));
  }

  private HttpUrl downloadUrl(Node f) {
    return HttpUrl.get(get("/api/v1/file/download_info", Map.of("fileId", Long.toString(f.id()))).data().get("downloadUrl").asText());
  }

  private Node file(String text) {
    return store.createFile(demo.uid(), 0, "a.txt", store.putBlob(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The head of an access_token request whose body is framed by {@code framing} (header lines). */
  private static String tokenRequest(HttpUrl open, String framing) {
    return "POST /api/v1/access_token HTTP/1.1\r\nHost: " + open.host() + "\r\nPlatform: open_platform\r\n"
        + "Content-Type: application/json\r\n" + framing + "\r\n";
  }

  private static void assertToken(Answer a) {
    assertEquals(200, a.status());
    assertTrue(a.text().contains("\"accessToken\""), a.text());
  }

  private static String target(HttpUrl u) {
    return u.encodedPath() + (u.encodedQuery() == null ? "" : "?" + u.encodedQuery());
  }

  @Test
  void head_answersWithTheGetHead_andNoContent_soTheConnectionStaysUsable() throws IOException {
    Node f = file("0123456789");
    HttpUrl u = downloadUrl(f);
    try (Conn c = new Conn(u)) {
      String host = "Host: " + u.host() + ":" + u.port() + "\r\n";
      c.send("HEAD " + target(u) + " HTTP/1.1\r\n" + host + "\r\n", null);
      Answer head = c.read(false);
      assertEquals(200, head.status());
      assertEquals("10", head.headers().get("content-length"), "the length a GET would send");
      c.send("HEAD " + target(u) + " HTTP/1.1\r\n" + host + "Range: bytes=0-3\r\n\r\n", null);
      Answer part = c.read(false);
      assertEquals(206, part.status());
      assertEquals("4", part.headers().get("content-length"));
      // Had either HEAD carried content, this answer would start inside it.
      c.send("GET " + target(u) + " HTTP/1.1\r\n" + host + "\r\n", null);
      Answer get = c.read(true);
      assertEquals(200, get.status());
      assertEquals("0123456789", get.text());
    }
  }

  @Test
  void head_onAnApiGetRoute_andOnAnUnknownPath_hasNoContent() throws IOException {
    HttpUrl open = base("open");
    try (Conn c = new Conn(open)) {
      String host = "Host: " + open.host() + ":" + open.port() + "\r\n";
      c.send("HEAD /api/v1/user/info HTTP/1.1\r\n" + host + "Platform: open_platform\r\nAuthorization: Bearer " + token + "\r\n\r\n", null);
      Answer info = c.read(false);
      assertEquals(200, info.status());
      assertTrue(info.headers().get("content-type").contains("json"), info.headers().toString());
      c.send("HEAD /no/such/path HTTP/1.1\r\n" + host + "\r\n", null);
      assertEquals(404, c.read(false).status());
      c.send("GET /api/v1/user/info HTTP/1.1\r\n" + host + "Platform: open_platform\r\nAuthorization: Bearer " + token + "\r\n\r\n", null);
      Answer get = c.read(true);
      assertTrue(get.text().startsWith("{\"code\":0"), get.text());
    }
  }

  @Test
  void chunkedBody_withExtensionsAndTrailers_isAnswered() throws IOException {
    HttpUrl open = base("open");
    byte[] json = CLIENT.getBytes(StandardCharsets.UTF_8);
    int half = json.length / 2;
    String chunks = Integer.toHexString(half) + ";name=value\r\n" + new String(json, 0, half, StandardCharsets.ISO_8859_1) + "\r\n"
        + Integer.toHexString(json.length - half) + "\r\n" + new String(json, half, json.length - half, StandardCharsets.ISO_8859_1) + "\r\n"
        + "0;last\r\nX-Checksum: 1\r\n\r\n";
    try (Conn c = new Conn(open)) {
      c.send(tokenRequest(open, "Transfer-Encoding: chunked\r\n"), chunks.getBytes(StandardCharsets.ISO_8859_1));
      assertToken(c.read(true));
    }
  }

  @Test
  void expect100Continue_isAnsweredAtOnce() throws IOException {
    HttpUrl open = base("open");
    byte[] json = CLIENT.getBytes(StandardCharsets.UTF_8);
    try (Conn c = new Conn(open)) {
      c.socket.setSoTimeout(2000); // a client that waits for "100 Continue" gives up after about a second
      c.send(tokenRequest(open, "Content-Length: " + json.length + "\r\nExpect: 100-continue\r\n"), null);
      Answer interim;
      try {
        interim = c.read(false);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no 100 Continue: the client would wait for its own timeout", e);
      }
      assertEquals(100, interim.status());
      c.send("", json);
      assertToken(c.read(true));
    }
  }

  @Test
  void connectionClose_andHttp10_endTheConnectionAfterTheAnswer() throws IOException {
    HttpUrl open = base("open");
    for (String request : new String[] {
        "GET /api/v1/user/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n",
        "GET /api/v1/user/info HTTP/1.0\r\n"}) {
      try (Conn c = new Conn(open)) {
        c.send(request + "Platform: open_platform\r\nAuthorization: Bearer " + token + "\r\n\r\n", null);
        Answer a = c.read(true);
        assertEquals(200, a.status());
        assertEquals("close", a.headers().get("connection"), request);
        assertEquals(-1, c.in.read(), "the server closed the connection: " + request);
      }
    }
  }

  @Test
  void ifRange_andIfNoneMatch_followTheEtag() throws IOException {
    Node f = file("0123456789");
    HttpUrl u = downloadUrl(f);
    String etag = io.github.pan4j.testkit.fake.BlobResponses.etag(f.blob());
    try (Conn c = new Conn(u)) {
      String head = "GET " + target(u) + " HTTP/1.1\r\nHost: " + u.host() + "\r\nRange: bytes=0-1\r\n";
      c.send(head + "If-Range: " + etag + "\r\n\r\n", null);
      assertEquals("01", c.read(true).text(), "the validator matches: the range");
      c.send(head + "If-Range: \"0000\"\r\n\r\n", null);
      Answer stale = c.read(true);
      assertEquals(200, stale.status(), "another validator: the whole content");
      assertEquals("0123456789", stale.text());
      c.send("GET " + target(u) + " HTTP/1.1\r\nHost: " + u.host() + "\r\nIf-None-Match: " + etag + "\r\n\r\n", null);
      Answer same = c.read(true);
      assertEquals(304, same.status());
      assertEquals(etag, same.headers().get("etag"));
    }
  }

  @Test
  void notModified_carriesNoContentLength_evenToAHead() throws IOException {
    Node f = file("0123456789");
    HttpUrl u = downloadUrl(f);
    String etag = io.github.pan4j.testkit.fake.BlobResponses.etag(f.blob());
    try (Conn c = new Conn(u)) {
      for (String method : new String[] {"GET", "HEAD"}) {
        c.send(method + " " + target(u) + " HTTP/1.1\r\nHost: " + u.host() + "\r\nIf-None-Match: " + etag + "\r\n\r\n", null);
        Answer a = c.read(false);
        assertEquals(304, a.status());
        // RFC 9110 §8.6: a 304 may carry only the length a 200 would have; "0" would tell a cache
        // that its copy of the file is now empty.
        assertFalse(a.headers().containsKey("content-length"), method + " " + a.headers());
      }
      c.send("GET " + target(u) + " HTTP/1.1\r\nHost: " + u.host() + "\r\n\r\n", null);
      assertEquals("0123456789", c.read(true).text(), "the connection is still in step");
    }
  }

  @Test
  void everyAnswer_hasADateFromTheCloudClock_andTheStandardReasonPhrase() throws IOException {
    Node f = file("0123456789");
    HttpUrl u = downloadUrl(f);
    String date = "Sun, 01 Mar 2026 04:00:00 GMT"; // the fixture's clock
    try (Conn c = new Conn(u)) {
      String get = "GET " + target(u) + " HTTP/1.1\r\nHost: " + u.host() + "\r\n";
      c.send(get + "Range: bytes=2-3\r\n\r\n", null);
      Answer part = c.read(true);
      assertEquals("Partial Content", part.reason());
      assertEquals(date, part.headers().get("date"));
      c.send(get + "Range: bytes=20-\r\n\r\n", null);
      Answer none = c.read(true);
      assertEquals(416, none.status());
      assertEquals("Requested Range Not Satisfiable", none.reason());
      assertEquals(date, none.headers().get("date"));
      c.send("GET /no/such/path HTTP/1.1\r\nHost: x\r\n\r\n", null);
      Answer missing = c.read(true);
      assertEquals("Not Found", missing.reason());
      assertEquals(date, missing.headers().get("date"));
    }
    clock.advance(java.time.Duration.ofSeconds(61));
    try (okhttp3.Response r = http.newCall(new okhttp3.Request.Builder().url(base("open").resolve("/api/v1/user/info"))
        .header("Platform", "open_platform").header("Authorization", "Bearer " + token).build()).execute()) {
      assertEquals("OK", r.message());
      assertEquals("Sun, 01 Mar 2026 04:01:01 GMT", r.header("Date"));
    }
  }

  @Test
  void http10KeepAlive_isAnsweredWithKeepAlive_andTheConnectionServesTheNextRequest() throws IOException {
    HttpUrl open = base("open");
    try (Conn c = new Conn(open)) {
      for (int i = 0; i < 2; i++) {
        c.send("GET /api/v1/user/info HTTP/1.0\r\nConnection: Keep-Alive\r\nPlatform: open_platform\r\n"
            + "Authorization: Bearer " + token + "\r\n\r\n", null);
        Answer a = c.read(true);
        assertEquals(200, a.status());
        // Without it an HTTP/1.0 client takes the connection as closing after this answer.
        assertEquals("keep-alive", a.headers().get("connection"));
        assertTrue(a.text().startsWith("{\"code\":0"), a.text());
      }
    }
  }

  /**
   * curl sends {@code Expect: 100-continue} before an upload body above 1 MiB and waits for the
   * interim answer; a body that large is read by the fake's socket itself (not MockWebServer), so
   * this path is checked on its own.
   */
  @Test
  void expect100Continue_beforeALargeSingleUpload_isAnswered_andTheUploadStored() throws IOException {
    byte[] content = io.github.pan4j.testkit.fake.TestBytes.random((1 << 20) + 5, 46);
    okhttp3.MultipartBody form = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
        .addFormDataPart("parentFileID", "0").addFormDataPart("filename", "curl.bin")
        .addFormDataPart("etag", md5(content)).addFormDataPart("size", Integer.toString(content.length))
        .addFormDataPart("file", "curl.bin", okhttp3.RequestBody.create(content, okhttp3.MediaType.get("application/octet-stream")))
        .build();
    okio.Buffer body = new okio.Buffer();
    form.writeTo(body);
    HttpUrl upload = base("upload");
    try (Conn c = new Conn(upload)) {
      c.send("POST /upload/v2/file/single/create HTTP/1.1\r\nHost: " + upload.host() + "\r\nPlatform: open_platform\r\n"
          + "Authorization: Bearer " + token + "\r\nContent-Type: " + form.contentType() + "\r\nContent-Length: "
          + body.size() + "\r\nExpect: 100-continue\r\n\r\n", null);
      assertEquals(100, c.read(false).status());
      c.send("", body.readByteArray());
      Answer a = c.read(true);
      assertEquals(200, a.status());
      assertTrue(a.text().contains("\"completed\":true"), a.text());
    }
    assertEquals(content.length, store.resolve(demo.uid(), "/curl.bin").orElseThrow().size());
  }

  /** nginx refuses an HTTP/1.1 request without Host (RFC 9112 §3.2); HTTP/1.0 needs none. */
  @Test
  void http11WithoutHost_isABadRequest_http10IsServed() throws IOException {
    HttpUrl open = base("open");
    try (Conn c = new Conn(open)) {
      c.send("GET /api/v1/user/info HTTP/1.1\r\nPlatform: open_platform\r\nAuthorization: Bearer " + token + "\r\n\r\n", null);
      Answer a = c.read(true);
      assertEquals(400, a.status());
      assertEquals("close", a.headers().get("connection"));
      assertEquals(-1, c.in.read(), "the connection is closed");
    }
    assertTrue(cloud.requests("open", "/api/v1/user/info").isEmpty(), "never reached the API");
    try (Conn c = new Conn(open)) {
      c.send("GET /api/v1/user/info HTTP/1.0\r\nPlatform: open_platform\r\nAuthorization: Bearer " + token + "\r\n\r\n", null);
      assertEquals(200, c.read(true).status());
    }
  }
}
