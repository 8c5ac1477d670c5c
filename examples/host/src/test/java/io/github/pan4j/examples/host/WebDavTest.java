package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebDAV at /dav/ over the real 123 drivers on the fake cloud, checked with litmus and rclone. */
class WebDavTest {
  @TempDir static Path dir;
  static FakeCloudFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new FakeCloudFixture(dir);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static HttpResponse<String> dav(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String run(List<String> cmd, Path cwd, String... env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    for (int i = 0; i < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + cmd);
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), cmd + " failed:\n" + text);
    return text;
  }

  @Test
  void litmus_basicCopymoveProps_allPass() throws Exception {
    Path litmus = ExternalTool.require("litmus", "litmus");
    Path work = Files.createDirectories(dir.resolve("litmus"));
    ProcessBuilder pb = new ProcessBuilder(litmus.toString(), "-k", f.base() + "/dav/123open-proxy/",
        FakeCloudFixture.USER, FakeCloudFixture.PASSWORD).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("TESTS", "basic copymove props");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    // "<- summary for `basic': of 16 tests run: 16 passed, 0 failed. 100.0%"
    Matcher m = Pattern.compile("summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed").matcher(out);
    List<String> suites = new ArrayList<>();
    while (m.find()) {
      suites.add(m.group(1));
      assertEquals("0", m.group(4), m.group(1) + " had failures:\n" + out);
      assertEquals(m.group(2), m.group(3), out);
      assertTrue(Integer.parseInt(m.group(2)) >= 10, out);
    }
    assertEquals(List.of("basic", "copymove", "props"), suites, out);
    assertEquals(0, p.exitValue(), out);
  }

  @Test
  void rclone_copiesA100MiBFileUpAndDown_checkFindsNoDifference() throws Exception {
    Path rclone = ExternalTool.require("rclone", "rclone");
    Path up = Files.createDirectories(dir.resolve("rclone-up"));
    Path down = Files.createDirectories(dir.resolve("rclone-down"));
    byte[] chunk = new byte[1 << 20];
    Random random = new Random(13);
    try (var out = Files.newOutputStream(up.resolve("big-100MiB.bin"))) {
      for (int i = 0; i < 100; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    String obscured = run(List.of(rclone.toString(), "obscure", FakeCloudFixture.PASSWORD), dir).trim();
    String remote = ":webdav,url='" + f.base() + "/dav/123open-proxy',user=" + FakeCloudFixture.USER + ",pass='" + obscured + "':rc";
    List<String> base = List.of(rclone.toString(), "--config", "/dev/null");
    run(concat(base, "copy", up.toString(), remote), dir);
    assertEquals("big-100MiB.bin", run(concat(base, "lsf", remote), dir).trim());
    run(concat(base, "copy", remote, down.toString()), dir);
    String check = run(concat(base, "check", "--download", up.toString(), remote), dir);
    assertTrue(check.contains("0 differences found"), check);
    assertEquals(-1, Files.mismatch(up.resolve("big-100MiB.bin"), down.resolve("big-100MiB.bin")));
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> l = new ArrayList<>(base);
    l.addAll(Arrays.asList(more));
    return l;
  }

  @Test
  void get_onARedirectMount_is302ToTheDriversLink_likeThePage() throws Exception {
    HttpResponse<String> r = dav("GET", "/dav/123open/Demo/big.bin", null);
    assertEquals(302, r.statusCode(), r.body());
    String url = r.headers().firstValue("Location").orElseThrow();
    assertTrue(url.startsWith(f.demo.cloud.baseUrl("cdn") + "/open-dl/"), url);
    assertArrayEquals(f.bytes("/Demo/big.bin"), f.getBytes(url).body());
  }

  @Test
  void get_onAProxyMount_streamsWithRange() throws Exception {
    byte[] big = f.bytes("/Demo/big.bin");
    HttpResponse<byte[]> r = f.getBytes("/dav/123open-proxy/Demo/big.bin", "Range", "bytes=100-199");
    RangeAsserts.assertPart(r, big, 100, 199);
  }

  @Test
  void propfind_depth1_listsTheFolder_asMultistatus() throws Exception {
    HttpResponse<String> r = dav("PROPFIND", "/dav/123open-proxy/Demo/", null, "Depth", "1");
    assertEquals(207, r.statusCode(), r.body());
    Document xml = Jsoup.parse(r.body(), "", Parser.xmlParser());
    List<String> hrefs = xml.select("D|href").eachText();
    assertTrue(hrefs.contains("/dav/123open-proxy/Demo/"), hrefs.toString());
    assertTrue(hrefs.contains("/dav/123open-proxy/Demo/big.bin"), hrefs.toString());
    assertTrue(hrefs.contains("/dav/123open-proxy/Demo/photos/"), hrefs.toString());
    assertEquals(String.valueOf(f.bytes("/Demo/big.bin").length),
        xml.select("D|response:has(D|href:containsOwn(big.bin)) D|getcontentlength").text());
    HttpResponse<String> root = dav("PROPFIND", "/dav/", null, "Depth", "1");
    assertTrue(root.body().contains("<D:href>/dav/123link/</D:href>"), root.body());
  }

  @Test
  void writes_needTheLogin_andReadOnlyDriversAnswer403() throws Exception {
    assertEquals(401, dav("MKCOL", "/dav/123open-proxy/nologin", null).statusCode());
    assertEquals(401, dav("PUT", "/dav/123open-proxy/nologin.txt", "x").statusCode());
    assertEquals(404, dav("PROPFIND", "/dav/123open-proxy/nologin", null, "Depth", "0").statusCode());
    HttpResponse<String> wrong = dav("PUT", "/dav/123open-proxy/x.txt", "x", "Authorization",
        "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8)));
    assertEquals(401, wrong.statusCode());
    HttpResponse<String> ro = dav("PUT", "/dav/123link/new.txt", "x", "Authorization", FakeCloudFixture.basic());
    assertEquals(403, ro.statusCode(), ro.body());
    assertTrue(ro.body().contains("123link"), ro.body());
    assertEquals(403, dav("DELETE", "/dav/123link/photos/mountain.png", null, "Authorization", FakeCloudFixture.basic()).statusCode());
    assertEquals(302, f.getBytes("/dav/123link/photos/mountain.png").statusCode()); // auto: 123link redirects
  }
  // ------------------------------------------------------------------ COPY: the provider's copy within a mount

  private static int requests(String server, String pathPrefix) {
    return f.demo.cloud.requests(server, pathPrefix).size();
  }

  /** Async copy tasks submitted (not their polls). */
  private static int copyTasks() {
    return (int) f.demo.cloud.requests("open", "/api/v1/file/async/copy").stream()
        .filter(q -> q.method().equals("POST") && q.path().equals("/api/v1/file/async/copy")).count();
  }

  /** Requests of the open platform's upload path (creating a file from content; mkdir aside, which shares the prefix) and the upload host. */
  private static int uploads() {
    return (int) f.demo.cloud.requests("open", "/upload/").stream().filter(q -> !q.path().endsWith("/mkdir")).count()
        + requests("upload", "/");
  }

  private static HttpResponse<String> davCopy(String from, String to, String... more) throws Exception {
    List<String> headers = new ArrayList<>(List.of("Authorization", FakeCloudFixture.basic(), "Destination", f.base() + to));
    headers.addAll(Arrays.asList(more));
    return dav("COPY", from, null, headers.toArray(String[]::new));
  }

  private static boolean stored(String path) {
    return f.demo.cloud.store().resolve(f.demo.account.uid(), path).isPresent();
  }

  @Test
  void copy_withinA123openMount_intoAnotherFolder_isTheProvidersCopy_andNoByteGoesThroughTheHost() throws Exception {
    assertEquals(201, dav("MKCOL", "/dav/123open-proxy/copy-into", null, "Authorization", FakeCloudFixture.basic()).statusCode());
    int copies = requests("open", "/api/v1/file/copy");
    int up = uploads();
    int down = requests("cdn", "/");
    HttpResponse<String> r = davCopy("/dav/123open-proxy/Demo/big.bin", "/dav/123open-proxy/copy-into/big.bin");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(copies + 1, requests("open", "/api/v1/file/copy"), "one file/copy");
    assertEquals(up, uploads(), "nothing uploaded");
    assertEquals(down, requests("cdn", "/"), "nothing downloaded");
    assertArrayEquals(f.bytes("/Demo/big.bin"), f.bytes("/copy-into/big.bin"));
  }

  @Test
  void copy_withinA123openMount_underAnotherName_isACopyAndARename() throws Exception {
    assertEquals(201, dav("MKCOL", "/dav/123open-proxy/copy-renamed", null, "Authorization", FakeCloudFixture.basic()).statusCode());
    int copies = requests("open", "/api/v1/file/copy");
    int up = uploads();
    HttpResponse<String> r = davCopy("/dav/123open-proxy/Demo/readme.txt", "/dav/123open-proxy/copy-renamed/welcome.txt");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(copies + 1, requests("open", "/api/v1/file/copy"), "one file/copy");
    assertEquals(up, uploads(), "nothing uploaded");
    assertArrayEquals(f.bytes("/Demo/readme.txt"), f.bytes("/copy-renamed/welcome.txt"));
    assertFalse(stored("/copy-renamed/readme.txt"), "renamed after the copy");
    assertTrue(stored("/Demo/readme.txt"), "the source stays");
  }

  @Test
  void copy_ofAFolderWithinA123openMount_isOneAsyncCopy_withEverythingInIt() throws Exception {
    assertEquals(201, dav("MKCOL", "/dav/123open-proxy/copy-folder", null, "Authorization", FakeCloudFixture.basic()).statusCode());
    int tasks = copyTasks();
    int up = uploads();
    HttpResponse<String> r = davCopy("/dav/123open-proxy/Demo/photos/", "/dav/123open-proxy/copy-folder/photos/");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(tasks + 1, copyTasks(), "the provider's folder copy, one task");
    assertEquals(up, uploads(), "nothing uploaded");
    assertArrayEquals(f.bytes("/Demo/photos/mountain.png"), f.bytes("/copy-folder/photos/mountain.png"));
    // Depth 0 still creates the folder only.
    r = davCopy("/dav/123open-proxy/Demo/photos/", "/dav/123open-proxy/copy-folder/empty/", "Depth", "0");
    assertEquals(201, r.statusCode(), r.body());
    assertTrue(stored("/copy-folder/empty"));
    assertFalse(stored("/copy-folder/empty/mountain.png"));
  }

  @Test
  void copy_ofAFolderToAnotherNameInItsOwnFolder_createsItAndCopiesWhatItHoldsInOneAsyncCopy() throws Exception {
    int tasks = copyTasks();
    int copies = requests("open", "/api/v1/file/copy");
    int up = uploads();
    HttpResponse<String> r = davCopy("/dav/123open-proxy/Demo/docs/", "/dav/123open-proxy/Demo/docs-copy/");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(tasks + 1, copyTasks(), "one task for what the folder holds");
    assertEquals(copies, requests("open", "/api/v1/file/copy"), "no file/copy per entry");
    assertEquals(up, uploads(), "nothing uploaded");
    assertArrayEquals(f.bytes("/Demo/docs/notes.md"), f.bytes("/Demo/docs-copy/notes.md"));
  }

  @Test
  void copy_acrossMounts_stillStreamsThroughTheHost() throws Exception {
    assertEquals(201, dav("MKCOL", "/dav/123open/copy-across", null, "Authorization", FakeCloudFixture.basic()).statusCode());
    int copies = requests("open", "/api/v1/file/copy");
    int up = uploads();
    HttpResponse<String> r = davCopy("/dav/123open-proxy/Demo/readme.txt", "/dav/123open/copy-across/readme.txt");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(copies, requests("open", "/api/v1/file/copy"), "another mount: not the provider's copy");
    assertTrue(uploads() > up, "uploaded by the host");
    assertArrayEquals(f.bytes("/Demo/readme.txt"), f.bytes("/copy-across/readme.txt"));
  }

  // ------------------------------------------------------------------ COPY within a 123pan mount: the web API's copy

  private static final String PAN_COPY = "/b/api/restful/goapi/v1/file/copy/async";

  /** 123pan copy tasks submitted (not their polls). */
  private static int panCopyTasks() {
    return (int) f.demo.cloud.requests("web", PAN_COPY).stream().filter(q -> q.path().equals(PAN_COPY)).count();
  }

  @Test
  void copy_withinA123panMount_intoAnotherFolder_isTheWebCopy_andNoByteGoesThroughTheHost() throws Exception {
    assertEquals(201, dav("MKCOL", "/dav/123pan/pan-copy-into", null, "Authorization", FakeCloudFixture.basic()).statusCode());
    int tasks = panCopyTasks();
    int up = requests("web", "/b/api/file/upload_request");
    int cdn = requests("cdn", "/");
    HttpResponse<String> r = davCopy("/dav/123pan/Demo/big.bin", "/dav/123pan/pan-copy-into/big.bin");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(tasks + 1, panCopyTasks(), "one copy/async");
    assertEquals(up, requests("web", "/b/api/file/upload_request"), "nothing uploaded");
    assertEquals(cdn, requests("cdn", "/"), "no byte downloaded or uploaded");
    assertArrayEquals(f.bytes("/Demo/big.bin"), f.bytes("/pan-copy-into/big.bin"));
  }

  @Test
  void copy_ofAFolderToAnotherNameInItsOwnFolder_within123pan_copiesWhatItHoldsInOneTask() throws Exception {
    int tasks = panCopyTasks();
    int cdn = requests("cdn", "/");
    HttpResponse<String> r = davCopy("/dav/123pan/Demo/Shared/", "/dav/123pan/Demo/Shared-copy/");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(tasks + 1, panCopyTasks(), "one task for both entries the folder holds");
    assertEquals(cdn, requests("cdn", "/"), "no byte downloaded or uploaded");
    assertArrayEquals(f.bytes("/Demo/Shared/poster.png"), f.bytes("/Demo/Shared-copy/poster.png"));
    assertArrayEquals(f.bytes("/Demo/Shared/handbook.txt"), f.bytes("/Demo/Shared-copy/handbook.txt"));
  }
}
