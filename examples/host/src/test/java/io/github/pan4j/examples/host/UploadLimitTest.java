package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maxUploadMb} bounds every way in (the page's form, {@code PUT /d/}, WebDAV PUT with and
 * without a length), and a refusal is a 413 that names the setting, not a "malformed" upload.
 * A request with a length is refused from its headers alone, so these tests send only the headers
 * on a plain socket: the answer cannot race a body still being written.
 */
class UploadLimitTest {
  @TempDir static Path dir;
  static HostFixture f;
  static HostFixture.Login l;
  static final long OVER = 1024 * 1024 + 4096;
  static final String REASON = "is larger than this host accepts: \"maxUploadMb\" is 1 in the host's config;"
      + " raise it there and restart the host to allow larger files";

  @BeforeAll
  static void start() throws Exception {
    f = new HostFixture(dir, null, false, Clock.systemUTC(), c -> c.withMaxUploadMb(1));
    l = f.login();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString((HostFixture.USER + ":" + HostFixture.PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code head} (request line and headers) and {@code body} on a new connection; the whole answer. */
  private static String exchange(String head, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", f.host.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((head + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      s.getInputStream().transferTo(answer); // to the end: a 413 closes the connection
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static void assertRefused(String answer, String size) {
    assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), answer);
    assertTrue(answer.contains("the upload" + size + " " + REASON.replace("\"", "&#34;"))
        || answer.contains("the upload" + size + " " + REASON), answer);
    assertFalse(answer.contains("malformed"), answer);
  }

  @Test
  void pageUpload_overTheLimit_is413NamingMaxUploadMb() throws Exception {
    String answer = exchange("POST /op/upload HTTP/1.1\r\nCookie: " + l.cookie() + "\r\n"
        + "Content-Type: multipart/form-data; boundary=----pan4jlimit\r\nContent-Length: " + OVER + "\r\n", new byte[0]);
    assertRefused(answer, " (" + OVER + " bytes)");
  }

  @Test
  void putUpload_overTheLimit_is413_andStoresNothing() throws Exception {
    String answer = exchange("PUT /d/disk/big-put.bin HTTP/1.1\r\nCookie: " + l.cookie() + "\r\nX-CSRF-Token: " + l.csrf()
        + "\r\nContent-Length: " + OVER + "\r\n", new byte[0]);
    assertRefused(answer, " (" + OVER + " bytes)");
    assertFalse(Files.exists(f.data.resolve("big-put.bin")));
  }

  @Test
  void webDavPut_overTheLimit_withOrWithoutALength_is413_andStoresNothing() throws Exception {
    String sized = exchange("PUT /dav/disk/big-dav.bin HTTP/1.1\r\nAuthorization: " + basic()
        + "\r\nContent-Length: " + OVER + "\r\n", new byte[0]);
    assertRefused(sized, " (" + OVER + " bytes)");

    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    for (long sent = 0; sent < OVER; sent += chunk.length) {
      chunks.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunks.write(chunk);
      chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String chunked = exchange("PUT /dav/disk/big-chunked.bin HTTP/1.1\r\nAuthorization: " + basic()
        + "\r\nTransfer-Encoding: chunked\r\n", chunks.toByteArray());
    assertRefused(chunked, "");
    assertFalse(Files.exists(f.data.resolve("big-dav.bin")));
    assertFalse(Files.exists(f.data.resolve("big-chunked.bin")));

    HttpResponse<String> small = f.http.send(HttpRequest.newBuilder(URI.create(f.base() + "/dav/disk/small.bin"))
        .header("Authorization", basic()).PUT(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(new byte[1000]))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, small.statusCode(), small.body());
    assertEquals(1000, Files.size(f.data.resolve("small.bin")));
  }
}
