package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A running host over real HTTP for the tests: a plugins folder with the test driver jar, a data
 * folder served by a {@link TestCdn}, and mounts
 * <ul>
 *   <li>/disk: download mode redirect (302 to the CDN);
 *   <li>/proxied: proxy (through the host, no Referer needed);
 *   <li>/guarded: auto over a CDN that wants a Referer (the driver prefers proxy);
 *   <li>/signed: proxy_url to an external proxy prefix;
 *   <li>/nosize: proxy, over a driver that reports no file sizes.
 * </ul>
 */
final class HostFixture implements AutoCloseable {
  static final String USER = "admin";
  static final String PASSWORD = "correct horse battery staple";
  static final String REFERER = "https://www.123pan.com/";
  static final String PROXY_PREFIX = "https://dl.example.com/pan";
  private static String passwordHash;

  final Path dir;
  final Path data;
  final Path plugins;
  final TestCdn cdn;
  final TestCdn guardedCdn;
  final Host host;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final ObjectMapper mapper = Json.mapper();

  /** A host with the standard mounts plus {@code extraMounts} (each {path, driver, download, options...}). */
  HostFixture(Path dir, ArrayNode extraMounts, boolean brokenPlugins) throws IOException {
    this(dir, extraMounts, brokenPlugins, Clock.systemUTC(), c -> c);
  }

  /** As above, on {@code clock} and with {@code tweak} applied to the host config. */
  HostFixture(Path dir, ArrayNode extraMounts, boolean brokenPlugins, Clock clock,
      java.util.function.UnaryOperator<HostConfig> tweak) throws IOException {
    this.dir = dir;
    this.data = Files.createDirectories(dir.resolve("data"));
    this.plugins = Files.createDirectories(dir.resolve("plugins"));
    seed(data);
    TestPlugins.testDiskJar(plugins);
    if (brokenPlugins) {
      TestPlugins.badServiceEntryJar(plugins);
      TestPlugins.missingClassJar(plugins);
    }
    this.cdn = new TestCdn(data, null);
    this.guardedCdn = new TestCdn(data, REFERER);
    ObjectNode root = mapper.createObjectNode();
    ArrayNode mounts = root.putArray("mounts");
    mount(mounts, "/disk", "redirect", cdn.baseUrl(), null);
    mount(mounts, "/proxied", "proxy", cdn.baseUrl(), null);
    mount(mounts, "/guarded", "auto", guardedCdn.baseUrl(), REFERER);
    ObjectNode signed = mount(mounts, "/signed", "proxy_url", cdn.baseUrl(), null);
    signed.put("proxyUrl", PROXY_PREFIX);
    ((ObjectNode) mount(mounts, "/nosize", "proxy", cdn.baseUrl(), null).get("options")).put("unknownSizes", "true");
    if (extraMounts != null) mounts.addAll(extraMounts);
    Path mountsFile = dir.resolve("mounts.json");
    mapper.writeValue(mountsFile.toFile(), root);
    HostConfig config = tweak.apply(HostConfig.defaults(dir).withPort(0).withDirs(plugins, mountsFile)
        .withAdmin(USER, hash()).withSignKey(Secret.of("test-sign-key")));
    this.host = new Host(config, clock).start();
  }

  private ObjectNode mount(ArrayNode mounts, String path, String mode, String baseUrl, String referer) {
    ObjectNode m = mounts.addObject();
    m.put("path", path).put("driver", "testdisk").put("download", mode);
    ObjectNode o = m.putObject("options").put("root", data.toString()).put("baseUrl", baseUrl).put("pageSize", "2");
    if (referer != null) o.put("referer", referer);
    return m;
  }

  private static synchronized String hash() {
    if (passwordHash == null) passwordHash = Auth.hash(PASSWORD.toCharArray());
    return passwordHash;
  }

  /** Files with known sizes and times: docs/ (folder), a.txt (5 B, oldest), big.bin (3000 B), m.png (67 B, newest). */
  static void seed(Path data) throws IOException {
    Files.createDirectories(data.resolve("docs"));
    Files.writeString(data.resolve("docs/readme.md"), "# Hello <b>world</b>\n");
    Files.writeString(data.resolve("a.txt"), "hello");
    byte[] big = new byte[3000];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
    Files.write(data.resolve("big.bin"), big);
    Files.write(data.resolve("m.png"), java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));
    Files.setLastModifiedTime(data.resolve("a.txt"), FileTime.from(Instant.parse("2024-01-01T10:00:00Z")));
    Files.setLastModifiedTime(data.resolve("big.bin"), FileTime.from(Instant.parse("2024-06-01T10:00:00Z")));
    Files.setLastModifiedTime(data.resolve("m.png"), FileTime.from(Instant.parse("2025-03-01T10:00:00Z")));
  }

  String base() {
    return "http://127.0.0.1:" + host.port();
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET();
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET();
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> post(String path, String cookie, Map<String, String> form) throws IOException, InterruptedException {
    return post(http, base() + path, cookie, form);
  }

  /** POSTs {@code form} as a browser sends a form (application/x-www-form-urlencoded), with the Cookie header unless null. */
  static HttpResponse<String> post(HttpClient http, String url, String cookie, Map<String, String> form)
      throws IOException, InterruptedException {
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (cookie != null) b.header("Cookie", cookie);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The page's upload form, sent as the browser does (multipart/form-data): {@code files} are
   * file name and content pairs, in order; the file name goes into the part header as given.
   */
  HttpResponse<String> upload(Login l, String dir, boolean overwrite, String... files) throws IOException, InterruptedException {
    String boundary = "----pan4jtest";
    StringBuilder body = new StringBuilder();
    Map<String, String> fields = l.form("dir", dir);
    if (overwrite) fields.put("overwrite", "true");
    fields.forEach((k, v) -> body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(k)
        .append("\"\r\n\r\n").append(v).append("\r\n"));
    for (int i = 0; i < files.length; i += 2) {
      body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"").append(files[i])
          .append("\"\r\nContent-Type: text/plain\r\n\r\n").append(files[i + 1]).append("\r\n");
    }
    body.append("--").append(boundary).append("--\r\n");
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/op/upload")).header("Cookie", l.cookie())
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Logs in; returns the Cookie header value and the page's CSRF token. */
  Login login() throws IOException, InterruptedException {
    HttpResponse<String> r = post("/login", null, Map.of("user", USER, "password", PASSWORD));
    assertEquals(303, r.statusCode(), r.body());
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String page = get("/b/disk", "Cookie", cookie).body();
    int i = page.indexOf("name=\"csrf\" value=\"");
    assertNotNull(i >= 0 ? "" : null, "no csrf field on the listing page");
    String csrf = page.substring(i + 19, page.indexOf('"', i + 19));
    return new Login(cookie, csrf, setCookie);
  }

  record Login(String cookie, String csrf, String setCookie) {
    Map<String, String> form(String... kv) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("csrf", csrf);
      for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
      return m;
    }
  }

  @Override
  public void close() {
    host.close();
    cdn.close();
    guardedCdn.close();
  }
}
