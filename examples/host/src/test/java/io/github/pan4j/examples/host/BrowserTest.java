package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.http.Json;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages in a real browser: headless Chromium driven by chromedriver over the W3C WebDriver
 * HTTP API (spoken here with java.net.http, no Selenium). Install with
 * {@code apt-get install -y chromium chromium-driver}; without them the tests are skipped.
 * Screenshots go to target/screenshots (copied to docs/images by hand when the pages change).
 */
class BrowserTest {
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
  @TempDir static Path dir;
  static HostFixture f;
  static Process driver;
  static String session;
  static String wd;
  static Path profile;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper json = Json.mapper();

  private static Path which(String... names) {
    for (String n : names) {
      for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
        Path p = Path.of(d, n);
        if (Files.isExecutable(p)) return p;
      }
    }
    return null;
  }

  @BeforeAll
  static void start() throws Exception {
    Path chromedriver = which("chromedriver");
    Path chromium = which("chromium", "chromium-browser", "google-chrome");
    Assumptions.assumeTrue(chromedriver != null && chromium != null,
        "headless browser tests skipped: chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver)");
    f = new HostFixture(dir, null, false);
    writePhoto(f.data.resolve("photo.png"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.contains("started successfully")) {
      // chromedriver prints its banner first; the line above means it listens.
    }
    Assumptions.assumeTrue(line != null, "chromedriver did not start");
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) { /* keep the pipe empty */ }
      } catch (IOException ignored) {
        // process ended
      }
    }, "chromedriver-output");
    drain.setDaemon(true);
    drain.start();
    wd = "http://127.0.0.1:" + port;
    profile = Files.createTempDirectory("pan4j-chromium");
    ObjectNode caps = json.createObjectNode();
    ObjectNode opts = caps.putObject("capabilities").putObject("alwaysMatch").putObject("goog:chromeOptions");
    opts.put("binary", chromium.toString());
    var args = opts.putArray("args");
    for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1200,800", "--user-data-dir=" + profile)) {
      args.add(a);
    }
    JsonNode r = call("POST", "/session", caps);
    session = r.at("/value/sessionId").asText();
    call("POST", "/session/" + session + "/timeouts", json.createObjectNode().put("script", 20000).put("pageLoad", 20000));
  }

  @AfterAll
  static void stop() throws Exception {
    if (session != null) call("DELETE", "/session/" + session, null);
    if (driver != null) {
      driver.destroy();
      driver.waitFor();
    }
    if (f != null) f.close();
    if (profile != null) {
      try (var s = Files.walk(profile)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Chromium may still hold a lock file; it lives in the temp folder.
      }
    }
  }

  private static JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(wd + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode n = json.readTree(r.body());
    if (r.statusCode() != 200) throw new AssertionError("WebDriver " + method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    return n;
  }

  private static void open(String url) throws Exception {
    call("POST", "/session/" + session + "/url", json.createObjectNode().put("url", url));
  }

  private static String find(String css) throws Exception {
    JsonNode r = call("POST", "/session/" + session + "/element", json.createObjectNode().put("using", "css selector").put("value", css));
    return r.path("value").path(ELEMENT).asText();
  }

  private static String linkByText(String text) throws Exception {
    JsonNode r = call("POST", "/session/" + session + "/element", json.createObjectNode().put("using", "link text").put("value", text));
    return r.path("value").path(ELEMENT).asText();
  }

  private static void click(String element) throws Exception {
    call("POST", "/session/" + session + "/element/" + element + "/click", json.createObjectNode());
  }

  private static String text(String element) throws Exception {
    return call("GET", "/session/" + session + "/element/" + element + "/text", null).path("value").asText();
  }

  private static String attribute(String element, String name) throws Exception {
    return call("GET", "/session/" + session + "/element/" + element + "/attribute/" + name, null).path("value").asText();
  }

  private static String currentUrl() throws Exception {
    return call("GET", "/session/" + session + "/url", null).path("value").asText();
  }

  private static JsonNode async(String script, String arg) throws Exception {
    ObjectNode body = json.createObjectNode().put("script", script);
    body.putArray("args").add(arg);
    return call("POST", "/session/" + session + "/execute/async", body).path("value");
  }

  private static void screenshot(String name) throws Exception {
    String png = call("GET", "/session/" + session + "/screenshot", null).path("value").asText();
    Path out = Files.createDirectories(Path.of("target/screenshots")).resolve(name);
    Files.write(out, Base64.getDecoder().decode(png));
  }

  /** Fetches a URL inside the page and returns {status, sha256, length} as the browser saw them. */
  private static JsonNode fetchInPage(String href) throws Exception {
    return async("const done = arguments[arguments.length - 1];"
        + "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => crypto.subtle.digest('SHA-256', b).then(h => done({"
        + "status: r.status, redirected: r.redirected, url: r.url, length: b.byteLength,"
        + "sha256: Array.from(new Uint8Array(h)).map(x => x.toString(16).padStart(2, '0')).join('')}))))"
        + ".catch(e => done({error: String(e)}));", href);
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private static List<String> listedNames() throws Exception {
    JsonNode r = call("POST", "/session/" + session + "/elements",
        json.createObjectNode().put("using", "css selector").put("value", "#listing td.name a"));
    List<String> names = new ArrayList<>();
    for (JsonNode e : r.path("value")) names.add(text(e.path(ELEMENT).asText()));
    return names;
  }

  @Test
  void listFolder_openFile_downloadBy302_bytesMatch() throws Exception {
    open(f.base() + "/b/");
    click(linkByText("disk"));
    assertTrue(currentUrl().endsWith("/b/disk"), currentUrl());
    assertEquals(List.of("..", "docs", "a.txt", "big.bin", "m.png", "photo.png"), listedNames());
    assertTrue(text(find("#crumbs")).contains("disk"));
    screenshot("host-listing.png");

    click(linkByText("big.bin"));
    assertTrue(currentUrl().endsWith("/b/disk/big.bin"), currentUrl());
    String href = attribute(find("#download"), "href");
    JsonNode got = fetchInPage(href);
    assertEquals(200, got.path("status").asInt(), got.toString());
    assertTrue(got.path("redirected").asBoolean(), "302 mode: the browser fetched from the CDN: " + got);
    assertTrue(got.path("url").asText().startsWith(f.cdn.baseUrl()), got.toString());
    assertEquals(sha256(f.data.resolve("big.bin")), got.path("sha256").asText());
  }

  @Test
  void openFile_downloadByProxy_bytesMatch() throws Exception {
    open(f.base() + "/b/proxied/big.bin");
    String href = attribute(find("#download"), "href");
    JsonNode got = fetchInPage(href);
    assertEquals(200, got.path("status").asInt(), got.toString());
    assertTrue(!got.path("redirected").asBoolean() && got.path("url").asText().startsWith(f.base()), "proxied through the host: " + got);
    assertEquals(sha256(f.data.resolve("big.bin")), got.path("sha256").asText());
  }

  @Test
  void guardedLink_autoProxiesWithReferer_bytesMatch() throws Exception {
    open(f.base() + "/b/guarded/big.bin");
    JsonNode got = fetchInPage(attribute(find("#download"), "href"));
    assertEquals(200, got.path("status").asInt(), got.toString());
    assertEquals(sha256(f.data.resolve("big.bin")), got.path("sha256").asText());
  }

  @Test
  void imagePreview_isRendered() throws Exception {
    open(f.base() + "/b/proxied/photo.png");
    String img = find("#preview img");
    JsonNode size = async("const done = arguments[arguments.length - 1]; const i = document.querySelector(arguments[0]);"
        + "const report = () => done({w: i.naturalWidth, h: i.naturalHeight});"
        + "if (i.complete) report(); else { i.onload = report; i.onerror = () => done({w: -1, h: -1}); }", "#preview img");
    assertEquals(480, size.path("w").asInt(), size.toString());
    assertTrue(attribute(img, "src").endsWith("/d/proxied/photo.png"));
    screenshot("host-preview.png");
  }

  /** A small gradient picture, so the preview screenshot shows something. */
  private static void writePhoto(Path file) throws IOException {
    BufferedImage img = new BufferedImage(480, 270, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(0x0969da), 480, 270, new Color(0x8250df)));
    g.fillRect(0, 0, 480, 270);
    g.setColor(new Color(255, 255, 255, 200));
    g.fillOval(300, 40, 120, 120);
    g.setColor(new Color(0x1f883d));
    g.fillPolygon(new int[] {0, 160, 300, 480, 480, 0}, new int[] {270, 150, 210, 120, 270, 270}, 6);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
