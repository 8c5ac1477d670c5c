package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.FakeRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving a mount while other requests than downloads run on it: a WebDAV PUT, a browser upload and
 * a WebDAV listing of the 123open mount {@code /123open-proxy}, each held by the fake cloud while
 * its call to the cloud is in flight, when the admin saves that mount. Each must finish on the
 * replaced drive, which is closed when the request ends (the grace is the default 10 minutes).
 */
class SaveMidRequestTest {
  static final String MOUNT = "/123open-proxy";
  static final int SIZE = 3 * 1024 * 1024;

  @TempDir static Path dir;
  static FakeCloudFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new FakeCloudFixture(dir);
  }

  @AfterAll
  static void stop() {
    if (f != null) f.close();
  }

  private static byte[] random(long seed) {
    byte[] b = new byte[SIZE];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * Sends {@code request}, waits until the fake cloud holds its call matching {@code match} on
   * {@code server} (answered only once released), saves {@link #MOUNT} as it is, as the admin form
   * does, then lets the call go on. Checks that the request answers {@code status}, that the
   * replaced drive stayed open for it and is closed once it ended; returns the answer.
   */
  private static HttpResponse<String> saveWhileHeld(String server, Predicate<FakeRequest> match, HttpRequest request,
      int status) throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    f.demo.cloud.inject(server, match, Fault.hold(FakeCloudFixture.holdUntil(holding, release)), 1);
    CompletableFuture<HttpResponse<String>> running = f.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    Drive old = f.host.mounts().get(MOUNT).drive();
    String oldAfterSave;
    try {
      assertTrue(holding.await(20, TimeUnit.SECONDS), "the request never reached the cloud");
      f.host.mounts().put(f.host.mounts().get(MOUNT).spec());
      assertNotSame(old, f.host.mounts().get(MOUNT).drive(), "saving opened a new drive");
      oldAfterSave = old.toString();
    } finally {
      release.countDown();
    }
    HttpResponse<String> r = running.get(20, TimeUnit.SECONDS);
    assertEquals(status, r.statusCode(), r.body());
    assertFalse(oldAfterSave.contains("closed"), "the replaced drive stayed open for the request: " + oldAfterSave);
    assertTrue(old.toString().contains("closed"), "the replaced drive is closed once its last request ended: " + old);
    return r;
  }

  @Test
  void webDavPut_runningWhenTheMountIsSaved_storesTheWholeFile() throws Exception {
    byte[] body = random(11);
    HttpResponse<String> r = saveWhileHeld("upload", req -> true,
        HttpRequest.newBuilder(URI.create(f.base() + "/dav" + MOUNT + "/Demo/dav-held.bin")).header("Authorization", FakeCloudFixture.basic())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), 201);
    assertEquals(FakeCloudFixture.md5(body), FakeCloudFixture.md5(f.demo.blob("/Demo/dav-held.bin").bytes()), "the file in the cloud is the one sent");
  }

  @Test
  void browserUpload_runningWhenTheMountIsSaved_storesTheWholeFile() throws Exception {
    byte[] file = random(12);
    String cookie = f.login();
    String csrf = Jsoup.parse(f.get("/b" + MOUNT + "/Demo", "Cookie", cookie).body()).selectFirst("input[name=csrf]").val();
    String boundary = "----pan4jheld";
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"dir\"\r\n\r\n" + MOUNT + "/Demo\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"form-held.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    HttpResponse<String> r = saveWhileHeld("upload", req -> true,
        HttpRequest.newBuilder(URI.create(f.base() + "/op/upload")).header("Cookie", cookie)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("X-Requested-With", "fetch")
            .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                HttpRequest.BodyPublishers.ofByteArray(file), HttpRequest.BodyPublishers.ofString(tail))).build(), 200);
    assertEquals(FakeCloudFixture.md5(file), FakeCloudFixture.md5(f.demo.blob("/Demo/form-held.bin").bytes()), "the file in the cloud is the one sent");
  }

  @Test
  void webDavListing_runningWhenTheMountIsSaved_listsTheFolder() throws Exception {
    HttpResponse<String> r = saveWhileHeld("open", req -> req.path().equals("/api/v2/file/list"),
        HttpRequest.newBuilder(URI.create(f.base() + "/dav" + MOUNT + "/Demo/")).header("Depth", "1")
            .method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build(), 207);
    assertTrue(r.body().contains("/dav" + MOUNT + "/Demo/readme.txt"), r.body());
  }
}
