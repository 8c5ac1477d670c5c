package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving a mount on the admin page signs it in at once: a wrong client secret or extraction code is
 * said there, on the form, and not first by a 502 when someone browses the mount.
 */
class FakeCloudMountCheckTest {
  @TempDir Path dir;

  private static HttpResponse<String> save(FakeCloudFixture f, String cookie, String driver, String path,
      Map<String, String> options) throws Exception {
    Document page = Jsoup.parse(f.get("/admin?driver=" + driver, "Cookie", cookie).body());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", page.selectFirst("#settings input[name=csrf]").val());
    form.put("driver", driver);
    form.put("mountPath", path);
    form.put("download", "auto");
    options.forEach((k, v) -> form.put("opt." + k, v));
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return f.http.send(HttpRequest.newBuilder(URI.create(f.base() + "/admin/mount"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wrongClientSecret_andWrongExtractionCode_areSaidOnTheForm_andFixingThemSaves() throws Exception {
    try (FakeCloudFixture f = new FakeCloudFixture(dir)) {
      String cookie = f.login();
      Map<String, String> open = new LinkedHashMap<>(f.demo.options().get("123open"));
      open.put("clientSecret", "not-the-secret-42");
      HttpResponse<String> r = save(f, cookie, "123open", "/mine", open);
      assertEquals(200, r.statusCode(), r.body());
      String error = Jsoup.parse(r.body()).select("#form-error").text();
      assertTrue(error.startsWith("saved /mine, but the drive does not answer: 123open: list /: 123 refused the client"
          + " credentials; check clientId and clientSecret"), error);
      assertTrue(error.endsWith("; correct the settings below and save again"), error);
      assertFalse(r.body().contains("not-the-secret-42"), "the secret is never shown");
      assertTrue(Files.readString(f.mountsFile).contains("\"/mine\""), "saved all the same");

      open.put("clientSecret", f.demo.options().get("123open").get("clientSecret"));
      assertEquals(303, save(f, cookie, "123open", "/mine", open).statusCode());
      assertEquals(200, f.get("/b/mine/Demo").statusCode());

      Map<String, String> share = new LinkedHashMap<>(f.demo.options().get("123share"));
      share.put("password", "zz99");
      HttpResponse<String> s = save(f, cookie, "123share", "/their-share", share);
      assertEquals(200, s.statusCode(), s.body());
      String shareError = Jsoup.parse(s.body()).select("#form-error").text();
      assertTrue(shareError.startsWith("saved /their-share, but the drive does not answer: 123share: list /: the share's"
          + " extraction code is missing or wrong"), shareError);
      assertFalse(s.body().contains("zz99"), "the code is a secret too");
    }
  }
}
