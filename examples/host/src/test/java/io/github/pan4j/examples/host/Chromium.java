package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.http.Json;
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
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven by chromedriver over the W3C WebDriver HTTP API (spoken here with
 * java.net.http, no Selenium). Install with {@code apt-get install -y chromium chromium-driver};
 * without them {@link #start} skips the calling test class.
 */
final class Chromium implements AutoCloseable {
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper JSON = Json.mapper();

  private final Process driver;
  private final String wd;
  private final Path profile;
  private String session;

  private Chromium(Process driver, String wd, Path profile) {
    this.driver = driver;
    this.wd = wd;
    this.profile = profile;
  }

  private static Path which(String... names) {
    for (String n : names) {
      for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
        Path p = Path.of(d, n);
        if (Files.isExecutable(p)) return p;
      }
    }
    return null;
  }

  /** Fails in CI ({@code CI} set) and skips the test class elsewhere when Chromium or chromedriver is missing. */
  static void assumeInstalled() {
    if (which("chromedriver") == null || which("chromium", "chromium-browser", "google-chrome") == null) {
      String why = "headless browser tests need chromium and chromedriver (apt-get install -y chromium chromium-driver)";
      if (System.getenv("CI") != null) org.junit.jupiter.api.Assertions.fail(why + ", and CI must run them");
      Assumptions.abort(why);
    }
  }

  /** Starts chromedriver and one headless browser session with the standard flags plus {@code extraArgs}. */
  static Chromium start(String... extraArgs) throws Exception {
    assumeInstalled();
    Path chromedriver = which("chromedriver");
    Path chromium = which("chromium", "chromium-browser", "google-chrome");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.contains("started successfully")) {
      // chromedriver prints its banner first; the line above means it listens.
    }
    if (line == null) {
      driver.destroy();
      throw new IllegalStateException("chromedriver is installed but did not start");
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) { /* keep the pipe empty */ }
      } catch (IOException ignored) {
        // process ended
      }
    }, "chromedriver-output");
    drain.setDaemon(true);
    drain.start();
    Chromium c = new Chromium(driver, "http://127.0.0.1:" + port, Files.createTempDirectory("pan4j-chromium"));
    try {
      ObjectNode caps = JSON.createObjectNode();
      ObjectNode opts = caps.putObject("capabilities").putObject("alwaysMatch").putObject("goog:chromeOptions");
      opts.put("binary", chromium.toString());
      var args = opts.putArray("args");
      List<String> all = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
          "--window-size=1200,800", "--user-data-dir=" + c.profile));
      all.addAll(List.of(extraArgs));
      all.forEach(args::add);
      c.session = c.call("POST", "/session", caps).at("/value/sessionId").asText();
      c.call("POST", "/session/" + c.session + "/timeouts", JSON.createObjectNode().put("script", 20000).put("pageLoad", 20000));
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(wd + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode n = JSON.readTree(r.body());
    if (r.statusCode() != 200) throw new AssertionError("WebDriver " + method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    return n;
  }

  private String s() {
    return "/session/" + session;
  }

  void open(String url) throws Exception {
    call("POST", s() + "/url", JSON.createObjectNode().put("url", url));
  }

  String find(String css) throws Exception {
    JsonNode r = call("POST", s() + "/element", JSON.createObjectNode().put("using", "css selector").put("value", css));
    return r.path("value").path(ELEMENT).asText();
  }

  String linkByText(String text) throws Exception {
    JsonNode r = call("POST", s() + "/element", JSON.createObjectNode().put("using", "link text").put("value", text));
    return r.path("value").path(ELEMENT).asText();
  }

  void click(String element) throws Exception {
    call("POST", s() + "/element/" + element + "/click", JSON.createObjectNode());
  }

  String text(String element) throws Exception {
    return call("GET", s() + "/element/" + element + "/text", null).path("value").asText();
  }

  String attribute(String element, String name) throws Exception {
    return call("GET", s() + "/element/" + element + "/attribute/" + name, null).path("value").asText();
  }

  String currentUrl() throws Exception {
    return call("GET", s() + "/url", null).path("value").asText();
  }

  JsonNode async(String script, String arg) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("script", script);
    body.putArray("args").add(arg);
    return call("POST", s() + "/execute/async", body).path("value");
  }

  /** Saves a screenshot of the window to target/screenshots/{@code name}. */
  Path screenshot(String name) throws Exception {
    String png = call("GET", s() + "/screenshot", null).path("value").asText();
    Path out = Files.createDirectories(Path.of("target/screenshots")).resolve(name);
    Files.write(out, Base64.getDecoder().decode(png));
    return out;
  }

  /** Fetches a URL inside the page and returns {status, redirected, url, length, sha256} as the browser saw them. */
  JsonNode fetchInPage(String href) throws Exception {
    return async("const done = arguments[arguments.length - 1];"
        + "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => crypto.subtle.digest('SHA-256', b).then(h => done({"
        + "status: r.status, redirected: r.redirected, url: r.url, length: b.byteLength,"
        + "sha256: Array.from(new Uint8Array(h)).map(x => x.toString(16).padStart(2, '0')).join('')}))))"
        + ".catch(e => done({error: String(e)}));", href);
  }

  /** The natural size of the image matched by {@code css} once it has loaded ({w: -1} when it failed). */
  JsonNode imageSize(String css) throws Exception {
    return async("const done = arguments[arguments.length - 1]; const i = document.querySelector(arguments[0]);"
        + "const report = () => done({w: i.naturalWidth, h: i.naturalHeight});"
        + "if (i.complete) report(); else { i.onload = report; i.onerror = () => done({w: -1, h: -1}); }", css);
  }

  /** The names in the listing table, in page order. */
  List<String> listedNames() throws Exception {
    JsonNode r = call("POST", s() + "/elements", JSON.createObjectNode().put("using", "css selector").put("value", "#listing td.name a"));
    List<String> names = new ArrayList<>();
    for (JsonNode e : r.path("value")) names.add(text(e.path(ELEMENT).asText()));
    return names;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Override
  public void close() throws Exception {
    try {
      if (session != null) call("DELETE", s(), null);
    } finally {
      driver.destroy();
      driver.waitFor();
      try (var s = Files.walk(profile)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Chromium may still hold a lock file; it lives in the temp folder.
      }
    }
  }
}
