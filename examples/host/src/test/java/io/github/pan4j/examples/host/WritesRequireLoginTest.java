package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritesRequireLoginTest {
  @TempDir static Path dir;
  static HostFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new HostFixture(dir, null, false);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void mkdir_withoutLogin_is401_andNothingIsCreated() throws Exception {
    HttpResponse<String> r = f.post("/op/mkdir", null, Map.of("dir", "/disk", "name", "anon"));
    assertEquals(401, r.statusCode());
    assertFalse(Files.exists(f.data.resolve("anon")));
  }

  @Test
  void mkdir_withSessionButWithoutCsrf_is403() throws Exception {
    HostFixture.Login l = f.login();
    HttpResponse<String> r = f.post("/op/mkdir", l.cookie(), Map.of("dir", "/disk", "name", "nocsrf"));
    assertEquals(403, r.statusCode());
    HttpResponse<String> wrong = f.post("/op/mkdir", l.cookie(), Map.of("dir", "/disk", "name", "nocsrf", "csrf", "forged"));
    assertEquals(403, wrong.statusCode());
    assertFalse(Files.exists(f.data.resolve("nocsrf")));
  }

  @Test
  void login_setsHttpOnlyStrictCookie_wrongPasswordIs401() throws Exception {
    HostFixture.Login l = f.login();
    assertTrue(l.setCookie().contains("HttpOnly"), l.setCookie());
    assertTrue(l.setCookie().contains("SameSite=Strict"), l.setCookie());
    HttpResponse<String> bad = f.post("/login", null, Map.of("user", HostFixture.USER, "password", "nope"));
    assertEquals(401, bad.statusCode());
    assertTrue(bad.headers().firstValue("Set-Cookie").isEmpty());
  }

  @Test
  void folderOperations_withLoginAndCsrf_work() throws Exception {
    HostFixture.Login l = f.login();
    assertEquals(303, f.post("/op/mkdir", l.cookie(), l.form("dir", "/disk", "name", "made")).statusCode());
    assertTrue(Files.isDirectory(f.data.resolve("made")));
    Files.writeString(f.data.resolve("tomove.txt"), "x");
    assertEquals(303, f.post("/op/rename", l.cookie(), l.form("path", "/disk/tomove.txt", "name", "moved.txt")).statusCode());
    assertEquals(303, f.post("/op/move", l.cookie(), l.form("path", "/disk/moved.txt", "to", "/disk/made")).statusCode());
    assertTrue(Files.exists(f.data.resolve("made/moved.txt")));
    assertEquals(303, f.post("/op/remove", l.cookie(), l.form("path", "/disk/made")).statusCode());
    assertFalse(Files.exists(f.data.resolve("made")));
  }

  @Test
  void put_uploadNeedsCsrfHeader() throws Exception {
    HostFixture.Login l = f.login();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base() + "/d/disk/put.txt")).header("Cookie", l.cookie())
        .PUT(HttpRequest.BodyPublishers.ofString("put body"));
    assertEquals(403, f.http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpRequest anon = HttpRequest.newBuilder(URI.create(f.base() + "/d/disk/put.txt")).PUT(HttpRequest.BodyPublishers.ofString("x")).build();
    assertEquals(401, f.http.send(anon, HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpResponse<String> ok = f.http.send(b.header("X-CSRF-Token", l.csrf()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, ok.statusCode(), ok.body());
    assertEquals("put body", Files.readString(f.data.resolve("put.txt")));
  }

  @Test
  void multipartUpload_storesTheFile() throws Exception {
    HttpResponse<String> r = f.upload(f.login(), "/disk/docs", false, "up.txt", "line one\r\n--not the boundary\r\nline two");
    assertEquals(303, r.statusCode(), r.body());
    assertEquals("line one\r\n--not the boundary\r\nline two", Files.readString(f.data.resolve("docs/up.txt")));
  }

  @Test
  void multipartUpload_ofANameThatExists_saysToTickOverwrite_andWhatWasStoredBeforeIt() throws Exception {
    HostFixture.Login l = f.login();
    assertEquals(303, f.upload(l, "/disk", false, "dup.txt", "first").statusCode());
    HttpResponse<String> r = f.upload(l, "/disk", false, "fresh.txt", "new", "dup.txt", "second");
    assertEquals(409, r.statusCode(), r.body());
    String error = org.jsoup.Jsoup.parse(r.body()).select("#error").text();
    assertTrue(error.contains("an entry with this name already exists in the folder; tick \"overwrite\" to replace it, or"
        + " upload it under another name (the 1 file before it was uploaded)"), error);
    assertFalse(error.contains("KEEP_BOTH"), "the SDK's policy names mean nothing on the page: " + error);
    assertEquals("first", Files.readString(f.data.resolve("dup.txt")));
    assertEquals("new", Files.readString(f.data.resolve("fresh.txt")));
    assertEquals(303, f.upload(l, "/disk", true, "dup.txt", "second").statusCode(), "ticked, it replaces");
    assertEquals("second", Files.readString(f.data.resolve("dup.txt")));
  }

  @Test
  void adminPage_withoutLogin_is401() throws Exception {
    assertEquals(401, f.get("/admin").statusCode());
  }
}
