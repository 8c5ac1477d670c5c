package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies the fake's sockets read themselves (see ReceivedBodies), on the wire: handlers get the
 * exact bytes, pipelined requests keep their framing, a forged held-body header is dropped, and a
 * body cut short leaves nothing held.
 */
class HeldBodiesSocketTest {
  private FakeCloud cloud;

  @BeforeEach
  void start() {
    cloud = FakeCloud.builder().build().start();
    // Answers "<md5 of the body> <its length> <Content-Length as the handler sees it>".
    cloud.route("cdn", null, "/echo", req -> new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "text/plain")
        .body(Digests.md5(req.body()) + " " + req.bodySize() + " " + req.header("Content-Length") + "\n").build());
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private static byte[] head(String method, int length, String extra) {
    return (method + " /echo HTTP/1.1\r\nHost: x\r\n" + extra + "Content-Length: " + length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void pipelinedLargeAndSmallBodies_eachReachItsHandlerWhole() throws Exception {
    byte[] big = TestBytes.random(300_000, 1);
    byte[] small = TestBytes.random(100, 2);
    byte[] big2 = TestBytes.random(65_536, 3); // exactly the threshold
    try (Socket s = new Socket("127.0.0.1", cloud.url("cdn", "/").port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(head("PUT", big.length, ""));
      out.write(big);
      out.write(head("POST", small.length, ""));
      out.write(small);
      out.write(head("GET", big2.length, "")); // a GET with a body, rewritten and held
      out.write(big2);
      out.flush();
      String replies = read(s.getInputStream(), 3);
      assertTrue(replies.contains(Digests.md5(big) + " 300000 300000\n"), replies);
      assertTrue(replies.contains(Digests.md5(small) + " 100 100\n"), replies);
      assertTrue(replies.contains(Digests.md5(big2) + " 65536 65536\n"), replies);
    }
    var logged = cloud.requests("cdn", "/echo");
    assertEquals(3, logged.size());
    assertEquals("PUT", logged.get(0).method());
    assertEquals(300_000, logged.get(0).bodySize());
    assertEquals("300000", logged.get(0).header("Content-Length"));
    assertNull(logged.get(0).header(ReceivedBodies.HEADER));
    assertEquals("GET", logged.get(2).method());
    assertEquals(2, cloud.receivedBodies().count(), "the two bodies of 64 KiB and more were read by the socket");
    assertEquals(0, cloud.receivedBodies().unclaimed());
  }

  @Test
  void aForgedHeldBodyHeader_isDropped() throws Exception {
    byte[] small = TestBytes.random(10, 4);
    try (Socket s = new Socket("127.0.0.1", cloud.url("cdn", "/").port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head("POST", small.length, ReceivedBodies.HEADER + ": 1\r\n"));
      s.getOutputStream().write(small);
      String replies = read(s.getInputStream(), 1);
      assertTrue(replies.contains(Digests.md5(small) + " 10 10\n"), replies);
    }
    assertNull(cloud.requests("cdn", "/echo").get(0).header(ReceivedBodies.HEADER));
  }

  @Test
  void aBodyCutShort_leavesNothingHeld_andTheServerServesOn() throws Exception {
    try (Socket s = new Socket("127.0.0.1", cloud.url("cdn", "/").port())) {
      s.getOutputStream().write(head("PUT", 200_000, ""));
      s.getOutputStream().write(TestBytes.random(1000, 5));
      s.getOutputStream().flush();
    } // closed mid-body
    byte[] big = TestBytes.random(100_000, 6);
    try (Socket s = new Socket("127.0.0.1", cloud.url("cdn", "/").port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head("PUT", big.length, ""));
      s.getOutputStream().write(big);
      assertTrue(read(s.getInputStream(), 1).contains(Digests.md5(big) + " 100000 100000\n"));
    }
    assertEquals(1, cloud.requests("cdn", "/echo").size());
    assertEquals(0, cloud.receivedBodies().unclaimed());
  }

  @Test
  void uploadBytes_areHashedWhileTheyArrive_andTheHandlersGetTheExactMd5() throws Exception {
    // As the upload handlers do: the slice part's MD5 from the lease, a PUT body's from UploadFile.
    cloud.route("cdn", "POST", "/slice", req -> {
      try (BodyBuffers.Lease body = new BodyBuffers(1).lease(req)) {
        OpenMultipart.Part p = OpenMultipart.parse(req.header("Content-Type"), body.buf, body.length).get("slice");
        return new MockResponse.Builder().code(200).body(body.md5(p.offset(), p.length()) + " " + p.length() + "\n").build();
      }
    });
    cloud.route("cdn", "PUT", "/part", req -> new MockResponse.Builder().code(200)
        .body(UploadFile.body(req).md5() + " " + req.bodySize() + "\n").build());
    byte[] content = TestBytes.random(700_000, 8);
    byte[] multipart = ("--xyz\r\nContent-Disposition: form-data; name=\"sliceNo\"\r\n\r\n3\r\n"
        + "--xyz\r\nContent-Disposition: form-data; name=\"slice\"; filename=\"a.part3\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] end = "\r\n--xyz--\r\n".getBytes(StandardCharsets.ISO_8859_1);
    long before = cloud.receivedBodies().finishedAhead();
    try (Socket s = new Socket("127.0.0.1", cloud.url("cdn", "/").port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      int length = multipart.length + content.length + end.length;
      out.write(("POST /slice HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
          + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(multipart);
      for (int off = 0; off < content.length; off += 50_000) { // in pieces, as a network delivers them
        out.write(content, off, Math.min(50_000, content.length - off));
        out.flush();
      }
      out.write(end);
      out.write(("PUT /part HTTP/1.1\r\nHost: x\r\nContent-Length: " + content.length + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      String replies = read(s.getInputStream(), 2);
      assertEquals(2, replies.split(Digests.md5(content) + " 700000\n", -1).length - 1, replies);
    }
    assertEquals(before + 2, cloud.receivedBodies().finishedAhead(), "both digests were finished from the running ones");
  }

  /** Reads until {@code n} replies (one line each) have arrived. */
  private static String read(InputStream in, int n) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (true) {
      String s = got.toString(StandardCharsets.ISO_8859_1);
      if (s.split("HTTP/1.1 200", -1).length - 1 >= n && s.endsWith("\n") && s.split(" \\d+\n", -1).length - 1 >= n) {
        return s;
      }
      int r = in.read(buf);
      if (r < 0) return s;
      got.write(buf, 0, r);
    }
  }
}
