package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A GET that carries a body (some HTTP clients send one) is answered, not left hanging: the fake
 * serves it as the real gateway does, and the connection stays usable for the next request.
 */
class GetWithBodyTest {
  private final FakeCloud cloud = FakeCloud.builder().door(new OpenApiFrontDoor()).build().start();

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  @Test
  void getWithContentLengthBody_thenAnotherRequestOnTheSameConnection() throws Exception {
    int port = cloud.url("open", "/").port();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      String body = "{\"parentFileId\":0}";
      out.write(("GET /api/v2/file/list?parentFileId=0&limit=10 HTTP/1.1\r\nHost: x\r\nPlatform: open_platform\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
          + "GET /api/v1/user/info HTTP/1.1\r\nHost: x\r\nPlatform: open_platform\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      String replies = readResponses(s.getInputStream(), 2);
      assertTrue(replies.startsWith("HTTP/1.1 200"), replies);
      assertEquals(2, replies.split("access_token", -1).length - 1, "both requests answered: " + replies);
    }
    assertEquals("GET", cloud.requests("open", "/api/v2/file/list").get(0).method());
    assertEquals(null, cloud.requests("open", "/api/v2/file/list").get(0).header(BodyOnGetSockets.ORIGINAL_METHOD));
  }

  @Test
  void getWithChunkedBody() throws Exception {
    int port = cloud.url("open", "/").port();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /api/v1/user/info HTTP/1.1\r\nHost: x\r\nPlatform: open_platform\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
          + "GET /api/v1/user/info HTTP/1.1\r\nHost: x\r\nPlatform: open_platform\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      String replies = readResponses(s.getInputStream(), 2);
      assertEquals(2, replies.split("HTTP/1.1 200", -1).length - 1, replies);
    }
    assertEquals(2, cloud.requests("open", "/api/v1/user/info").size());
  }

  /** Reads until {@code n} JSON bodies have arrived (each reply's body is one JSON object). */
  private static String readResponses(InputStream in, int n) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (true) {
      String s = got.toString(StandardCharsets.UTF_8);
      if (s.split("x-traceID\":", -1).length - 1 >= n) return s;
      int r = in.read(buf);
      if (r < 0) return s;
      got.write(buf, 0, r);
    }
  }
}
