package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} over real HTTP: the host's drives (real 123 drivers as plugins, on the fake 123
 * cloud) report through pan4j-micrometer into the Prometheus registry the route scrapes.
 */
class FakeCloudMetricsTest {
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

  /** The value of every sample of {@code name} whose labels contain all of {@code labels}. */
  static List<Double> samples(String body, String name, String... labels) {
    List<Double> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(body);
    while (m.find()) {
      boolean all = true;
      for (String l : labels) all &= m.group(1).contains(l);
      if (all) out.add(Double.parseDouble(m.group(2)));
    }
    return out;
  }

  private static double sum(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sum();
  }

  @Test
  void afterBrowsing_metricsCountTheListRequests_inPrometheusTextFormat_withoutLogin() throws Exception {
    HttpResponse<String> page = f.get("/b/123open/Demo");
    assertEquals(200, page.statusCode(), page.body());
    HttpResponse<String> pan = f.get("/b/123pan/Demo");
    assertEquals(200, pan.statusCode(), pan.body());

    HttpResponse<String> r = f.get("/metrics");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    String body = r.body();
    List<Double> lists = samples(body, "pan4j_requests_seconds_count", "driver=\"123open\"", "endpoint=\"/api/v2/file/list\"",
        "method=\"GET\"", "outcome=\"OK\"", "status=\"200\"");
    assertFalse(lists.isEmpty(), body);
    assertTrue(sum(lists) > 0, body);
    assertTrue(sum(samples(body, "pan4j_requests_seconds_sum", "driver=\"123open\"", "endpoint=\"/api/v2/file/list\"")) >= 0, body);
    assertTrue(sum(samples(body, "pan4j_token_renewals_seconds_count", "driver=\"123open\"", "trigger=\"SIGN_IN\"", "outcome=\"OK\"")) >= 1,
        "the 123open mount signed in: " + body);
    assertTrue(sum(samples(body, "pan4j_requests_seconds_count", "driver=\"123pan\"", "endpoint=\"/b/api/file/list/new\"")) > 0, body);
    assertFalse(samples(body, "pan4j_rate_limit_wait_seconds_count", "driver=\"123open\"", "endpoint=\"/api/v2/file/list\"").isEmpty(),
        body);
    assertTrue(body.contains("# HELP pan4j_requests_seconds "), "meters carry their description: " + body);
    assertTrue(body.contains("jvm_memory_used_bytes{"), "the JVM's meters are there too");

    // A second listing adds to the same series.
    double before = sum(lists);
    f.get("/b/123open/Demo/photos");
    double after = sum(samples(f.get("/metrics").body(), "pan4j_requests_seconds_count", "driver=\"123open\"",
        "endpoint=\"/api/v2/file/list\"", "outcome=\"OK\""));
    assertTrue(after > before, before + " then " + after);
  }

  @Test
  void aProxiedDownload_isTimedUnderTheDownloadEndpoint_andItsBytesCounted() throws Exception {
    String before = f.get("/metrics").body();
    double bytesBefore = sum(samples(before, "pan4j_download_bytes_total", "driver=\"123open\"", "outcome=\"OK\""));
    HttpResponse<String> file = f.get("/d/123open-proxy/Demo/readme.txt");
    assertEquals(200, file.statusCode(), file.body());
    String body = f.get("/metrics").body();
    assertTrue(sum(samples(body, "pan4j_requests_seconds_count", "driver=\"123open\"", "endpoint=\"download\"",
        "method=\"GET\"", "outcome=\"OK\"", "status=\"200\"")) >= 1, body);
    double bytes = sum(samples(body, "pan4j_download_bytes_total", "driver=\"123open\"", "outcome=\"OK\""));
    assertEquals(file.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, bytes - bytesBefore, body);
  }

  @Test
  void metrics_holdNoSecretTokenOrFileName() throws Exception {
    f.get("/b/123open/Demo");
    f.get("/b/123pan/Demo");
    f.get("/b/123share/");
    f.get("/b/123link/");
    f.get("/d/123open-proxy/Demo/readme.txt");
    String body = f.get("/metrics").body();

    List<String> secrets = new ArrayList<>(List.of(FakeCloudFixture.PASSWORD, "fake-cloud-sign-key", DemoCloud.URL_AUTH_KEY,
        DemoCloud.SHARE_KEY, DemoCloud.SHARE_PASSWORD, OpenApiFrontDoor.DEMO_CLIENT_SECRET, WebFrontDoor.DEMO_PASSWORD,
        WebFrontDoor.DEMO_PHONE));
    for (Map<String, String> options : f.demo.options().values()) {
      secrets.add(options.getOrDefault("tree", "no tree"));
    }
    secrets.addAll(f.demo.cloud.door(OpenApiFrontDoor.class).issuedTokens());
    secrets.addAll(f.demo.cloud.door(WebFrontDoor.class).liveTokens());
    assertTrue(secrets.size() > 9, "tokens were issued: " + secrets.size());
    for (String s : secrets) assertFalse(body.contains(s), "a secret in /metrics");
    for (String name : List.of("readme.txt", "Demo", "photos", "/123open", "mountain")) {
      assertFalse(body.contains(name), name + " in /metrics:\n" + body);
    }
  }
}
