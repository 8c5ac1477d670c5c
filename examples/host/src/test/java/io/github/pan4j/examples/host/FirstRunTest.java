package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.internal.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.StringJoiner;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first run writes a config with an admin, and the admin adds a mount on the page. */
class FirstRunTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private HttpResponse<String> post(String url, String cookie, Map<String, String> form) throws Exception {
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (cookie != null) b.header("Cookie", cookie);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void createdConfig_isOwnerOnly_hasTheAdmin_andMountsCanBeAddedFromThePage() throws Exception {
    Path file = dir.resolve("host.json");
    HostConfig c = HostConfig.create(file, "admin", "first-run-password".toCharArray(), "plugins", Json.mapper()).withPort(0);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(c.loginEnabled());
    assertTrue(Files.isDirectory(dir.resolve("plugins")));
    TestPlugins.testDiskJar(dir.resolve("plugins"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("hello.txt"), "hi");
    try (Host host = new Host(c, Clock.systemUTC()).start()) {
      String base = "http://127.0.0.1:" + host.port();
      HttpResponse<String> login = post(base + "/login", null, Map.of("user", "admin", "password", "first-run-password"));
      assertEquals(303, login.statusCode(), login.body());
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      Document form = Jsoup.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/admin?driver=testdisk"))
          .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body());
      String csrf = form.selectFirst("#settings input[name=csrf]").val();
      HttpResponse<String> saved = post(base + "/admin/mount", cookie, Map.of("csrf", csrf, "driver", "testdisk",
          "mountPath", "/files", "download", "proxy", "opt.root", data.toString(), "opt.baseUrl", "http://127.0.0.1:9"));
      assertEquals(303, saved.statusCode(), saved.body());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("mounts.json"))));
      Document listing = Jsoup.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/b/files")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(java.util.List.of("..", "hello.txt"), listing.select("#listing td.name > a").eachText());
    }
  }
}
