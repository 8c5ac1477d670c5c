package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven with Selenium through the system's chromedriver ({@code apt-get install
 * -y chromium chromium-driver}; Selenium Manager is not used). Without them the calling test class
 * fails in CI ({@code CI} set) and is skipped elsewhere.
 */
final class Chromium implements AutoCloseable {
  private static final ObjectMapper JSON = Json.mapper();

  final ChromeDriver web;
  private final Path profile;

  private Chromium(ChromeDriver web, Path profile) {
    this.web = web;
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
      if (System.getenv("CI") != null) Assertions.fail(why + ", and CI must run them");
      Assumptions.abort(why);
    }
  }

  /** Starts chromedriver and one headless browser with the standard flags plus {@code extraArgs}. */
  static Chromium start(String... extraArgs) throws IOException {
    assumeInstalled();
    Path profile = Files.createTempDirectory("pan4j-chromium");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(which("chromedriver").toFile()).usingAnyFreePort().build();
    ChromeOptions o = new ChromeOptions();
    o.setBinary(which("chromium", "chromium-browser", "google-chrome").toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1200,800", "--user-data-dir=" + profile);
    o.addArguments(extraArgs);
    ChromeDriver web = new ChromeDriver(service, o);
    web.manage().timeouts().scriptTimeout(Duration.ofSeconds(20)).pageLoadTimeout(Duration.ofSeconds(20));
    return new Chromium(web, profile);
  }

  void open(String url) {
    web.get(url);
  }

  WebElement find(String css) {
    return web.findElement(By.cssSelector(css));
  }

  WebElement linkByText(String text) {
    return web.findElement(By.linkText(text));
  }

  void click(WebElement e) {
    e.click();
  }

  String text(WebElement e) {
    return e.getText();
  }

  String attribute(WebElement e, String name) {
    return e.getDomProperty(name);
  }

  String currentUrl() {
    return web.getCurrentUrl();
  }

  WebDriverWait waitUpTo(Duration d) {
    return new WebDriverWait(web, d);
  }

  JsonNode async(String script, String arg) {
    return JSON.valueToTree(web.executeAsyncScript(script, arg));
  }

  /** Saves a screenshot of the window to target/screenshots/{@code name}. */
  Path screenshot(String name) throws IOException {
    byte[] png = web.getScreenshotAs(OutputType.BYTES);
    Path out = Files.createDirectories(Path.of("target/screenshots")).resolve(name);
    Files.write(out, png);
    return out;
  }

  /** Fetches a URL inside the page and returns {status, redirected, url, length, sha256} as the browser saw them. */
  JsonNode fetchInPage(String href) {
    return async("const done = arguments[arguments.length - 1];"
        + "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => crypto.subtle.digest('SHA-256', b).then(h => done({"
        + "status: r.status, redirected: r.redirected, url: r.url, length: b.byteLength,"
        + "sha256: Array.from(new Uint8Array(h)).map(x => x.toString(16).padStart(2, '0')).join('')}))))"
        + ".catch(e => done({error: String(e)}));", href);
  }

  /** The natural size of the image matched by {@code css} once it has loaded ({w: -1} when it failed). */
  JsonNode imageSize(String css) {
    return async("const done = arguments[arguments.length - 1]; const i = document.querySelector(arguments[0]);"
        + "const report = () => done({w: i.naturalWidth, h: i.naturalHeight});"
        + "if (i.complete) report(); else { i.onload = report; i.onerror = () => done({w: -1, h: -1}); }", css);
  }

  /** The names in the listing table, in page order. */
  List<String> listedNames() {
    // One script call, so a page that reloads meanwhile cannot leave stale element references.
    Object r = web.executeScript("return Array.from(document.querySelectorAll('#listing td.name > a')).map(a => a.textContent.trim());");
    List<String> names = new ArrayList<>();
    if (r instanceof List<?> l) for (Object o : l) names.add(String.valueOf(o));
    return names;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Override
  public void close() {
    try {
      web.quit();
    } finally {
      try (var s = Files.walk(profile)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Chromium may still hold a lock file; it lives in the temp folder.
      }
    }
  }
}
