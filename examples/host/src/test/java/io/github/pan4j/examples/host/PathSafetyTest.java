package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathSafetyTest {
  @TempDir static Path dir;
  static HostFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new HostFixture(dir, null, false);
    Files.writeString(dir.resolve("secret.txt"), "outside the mount");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** Sends a request line exactly as given (HttpClient would refuse or normalise some of these). */
  private static String raw(String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.host.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  @Test
  void traversal_dotDot_rejected() throws Exception {
    for (String t : new String[] {"/d/disk/../secret.txt", "/b/disk/../../secret.txt", "/d/disk/docs/../../secret.txt"}) {
      String r = raw(t);
      assertEquals(400, status(r), t + " -> " + r);
      assertFalse(r.contains("outside the mount"));
    }
  }

  @Test
  void traversal_encodedDots_rejected() throws Exception {
    for (String t : new String[] {"/d/disk/%2e%2e/secret.txt", "/d/disk/%2E%2E/secret.txt", "/b/disk/.%2e/x", "/d/disk/%2e"}) {
      assertEquals(400, status(raw(t)), t);
    }
  }

  @Test
  void backslashesEncodedSlashesAndNul_rejected() throws Exception {
    for (String t : new String[] {"/d/disk/..\\secret.txt", "/d/disk/%5c..%5csecret.txt", "/d/disk/..%2fsecret.txt",
        "/d/disk/a.txt%00.png", "/d/disk/%c0%ae%c0%ae/secret.txt"}) {
      assertEquals(400, status(raw(t)), t);
    }
  }

  @Test
  void headerInjection_crlfInRequestedName_rejected() throws Exception {
    String r = raw("/d/proxied/a.txt%0d%0aSet-Cookie:%20pwned=1");
    assertEquals(400, status(r));
    assertFalse(r.toLowerCase().contains("set-cookie: pwned"), r);
  }

  @Test
  void headerInjection_crlfInNewNames_rejected() throws Exception {
    HostFixture.Login l = f.login();
    assertEquals(400, f.post("/op/mkdir", l.cookie(), l.form("dir", "/disk", "name", "x\r\nSet-Cookie: a=b")).statusCode());
    assertEquals(400, f.post("/op/rename", l.cookie(), l.form("path", "/disk/a.txt", "name", "b\n.txt")).statusCode());
    assertEquals(400, f.post("/op/rename", l.cookie(), l.form("path", "/disk/a.txt", "name", "..")).statusCode());
    assertEquals(400, f.post("/op/mkdir", l.cookie(), l.form("dir", "/disk", "name", "a/b")).statusCode());
    assertTrue(Files.exists(f.data.resolve("a.txt")));
  }

  @Test
  void contentDisposition_oddNames_cannotBreakTheHeader() {
    String v = SafePaths.contentDisposition("inline", "a\"; b=\\c\u00e9.txt");
    assertEquals("inline; filename=\"a__ b=_c_.txt\"; filename*=UTF-8''a%22%3B%20b%3D%5Cc%C3%A9.txt", v);
    assertTrue(SafePaths.headerSafe(v));
    assertFalse(SafePaths.headerSafe("x\r\nSet-Cookie: a=b"));
  }

  @Test
  void decodePath_unitRules() {
    assertEquals("/a/b c", SafePaths.decodePath("/a//b%20c/"));
    assertEquals("/", SafePaths.decodePath("/"));
    assertThrows(SafePaths.BadRequest.class, () -> SafePaths.decodePath("/a/%zz"));
    assertThrows(SafePaths.BadRequest.class, () -> SafePaths.decodePath("/a/%0a"));
  }

  @Test
  void loginForm_wrongMethodOnDownload_is405() throws Exception {
    assertEquals(405, f.post("/d/disk/a.txt", null, Map.of()).statusCode());
  }
}
