package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The host over the real 123 drivers, loaded as plugins from target/plugins (built by Maven's
 * dependency:copy; the drivers are not on the test class path), against an in-process fake 123
 * cloud with the demo data ({@link DemoCloud}). Mounts:
 * <ul>
 *   <li>/123open: download mode redirect (download_info URLs need no Referer);
 *   <li>/123open-proxy: proxy; /123open-signed: proxy_url to {@link #PROXY_PREFIX};
 *   <li>/123pan and /123share: auto, which proxies (their links prefer it and need the relay's Referer);
 *   <li>/123link: auto, which redirects (signed direct links need nothing more).
 * </ul>
 */
final class FakeCloudFixture implements AutoCloseable {
  static final Path PLUGINS = Path.of("target/plugins");
  static final String PROXY_PREFIX = "https://dl.example.com/pan";
  static final String USER = "admin";
  static final String PASSWORD = "fake cloud admin password";
  private static String passwordHash;

  final DemoCloud demo;
  Host host;
  final HostConfig config;
  final Path mountsFile;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final ObjectMapper mapper = Json.mapper();

  FakeCloudFixture(Path dir) throws IOException {
    this(dir, (demo, mounts) -> {});
  }

  /** The fixture with more mounts, added by {@code extra} after the standard ones (the cloud runs, the host does not yet). */
  FakeCloudFixture(Path dir, java.util.function.BiConsumer<DemoCloud, ArrayNode> extra) throws IOException {
    this(dir, extra, c -> c);
  }

  /** The fixture with more mounts, on the host config {@code tune} makes of the standard one. */
  FakeCloudFixture(Path dir, java.util.function.BiConsumer<DemoCloud, ArrayNode> extra,
      java.util.function.UnaryOperator<HostConfig> tune) throws IOException {
    assertTrue(Files.isDirectory(PLUGINS.resolve("123open")),
        "no plugin folders in " + PLUGINS.toAbsolutePath() + ": Maven's process-test-resources builds them (run the tests with mvn)");
    demo = new DemoCloud(0);
    try {
      ObjectNode root = mapper.createObjectNode();
      ArrayNode mounts = root.putArray("mounts");
      demo.mount(mounts, "/123open", "123open", DownloadMode.REDIRECT);
      demo.mount(mounts, "/123open-proxy", "123open", DownloadMode.PROXY);
      demo.mount(mounts, "/123open-signed", "123open", DownloadMode.PROXY_URL).put("proxyUrl", PROXY_PREFIX);
      demo.mount(mounts, "/123pan", "123pan", DownloadMode.AUTO);
      demo.mount(mounts, "/123share", "123share", DownloadMode.AUTO);
      demo.mount(mounts, "/123link", "123link", DownloadMode.AUTO);
      extra.accept(demo, mounts);
      mountsFile = dir.resolve("mounts.json");
      mapper.writeValue(mountsFile.toFile(), root);
      config = tune.apply(HostConfig.defaults(dir).withPort(0).withDirs(PLUGINS, mountsFile)
          .withAdmin(USER, hash()).withSignKey(Secret.of("fake-cloud-sign-key")));
      host = new Host(config, Clock.systemUTC()).start();
    } catch (IOException | RuntimeException | Error e) {
      demo.close();
      throw e;
    }
  }

  /** Stops the host and starts a new one on the same config and state folder (the fake cloud keeps running). */
  void restart() throws IOException {
    host.close();
    host = new Host(config, Clock.systemUTC()).start();
  }

  private static synchronized String hash() {
    if (passwordHash == null) passwordHash = Auth.hash(PASSWORD.toCharArray());
    return passwordHash;
  }

  String base() {
    return "http://127.0.0.1:" + host.port();
  }

  /** The bytes of a demo file as the fake cloud stores them. */
  byte[] bytes(String path) {
    return demo.blob(path).bytes();
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET();
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String url, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base() + url)).GET();
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** POSTs {@code form} as the page's forms are sent (see {@link HostFixture#post(HttpClient, String, String, Map)}). */
  HttpResponse<String> post(String path, String cookie, Map<String, String> form) throws IOException, InterruptedException {
    return HostFixture.post(http, base() + path, cookie, form);
  }

  /** Logs in as the admin; returns the Cookie header value. */
  String login() throws IOException, InterruptedException {
    HttpResponse<String> r = post("/login", null, Map.of("user", USER, "password", PASSWORD));
    assertEquals(303, r.statusCode(), r.body());
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** The admin's HTTP Basic credentials, for WebDAV writes. */
  static String basic() {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex MD5 of {@code b}. */
  static String md5(byte[] b) throws java.security.NoSuchAlgorithmException {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
  }

  /**
   * A hold for {@link io.github.pan4j.testkit.fake.Fault#hold} or {@code holdMidBody}: counts
   * {@code holding} down, then waits for {@code release} (30 s at most, so a failed test does not hang).
   */
  static Runnable holdUntil(java.util.concurrent.CountDownLatch holding, java.util.concurrent.CountDownLatch release) {
    return () -> {
      holding.countDown();
      try {
        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Override
  public void close() {
    try {
      host.close();
    } finally {
      demo.close();
    }
  }
}
