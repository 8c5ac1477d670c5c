package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.github.pan4j.testkit.fake.Fault;
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
    return f.post("/admin/mount", cookie, form);
  }

  /** The demo cloud's options for {@code driver}, with {@code key} set to {@code value} (a wrong secret). */
  private static Map<String, String> demoOptions(FakeCloudFixture f, String driver, String key, String value) {
    Map<String, String> options = new LinkedHashMap<>(f.demo.options().get(driver));
    options.put(key, value);
    return options;
  }

  private static int propfind(FakeCloudFixture f, String path) throws Exception {
    return f.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base() + path)).header("Depth", "1")
        .method("PROPFIND", java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The Status column of the admin page's mounts table for {@code path}. */
  private static String mountStatus(FakeCloudFixture f, String cookie, String path) throws Exception {
    Document admin = Jsoup.parse(f.get("/admin", "Cookie", cookie).body());
    for (var row : admin.select("#mounts tbody tr")) {
      if (row.child(0).text().equals(path)) return row.child(3).text();
    }
    throw new AssertionError("no row for " + path + " in " + admin.select("#mounts").outerHtml());
  }

  /**
   * A rule between options (123open: a client secret goes with a client id) is shown at every field
   * it names, before anything is saved or sent.
   */
  @Test
  void aRuleBetweenOptions_isShownAtEveryFieldItNames() throws Exception {
    try (FakeCloudFixture f = new FakeCloudFixture(dir)) {
      String cookie = f.login();
      HttpResponse<String> r = save(f, cookie, "123open", "/mine", Map.of("clientSecret", "s3cr3t-not-shown",
          "rootFolderId", "top"));
      assertEquals(400, r.statusCode(), r.body());
      Document page = Jsoup.parse(r.body());
      String rule = "option 'clientId' is required with 'clientSecret'";
      assertTrue(page.selectFirst("#form-error").text().contains(rule), "the whole message stays on top");
      var settings = page.selectFirst("#settings");
      assertEquals(List.of(rule), settings.select("label:has([name=opt.clientId]) .field-problem").eachText());
      assertEquals(List.of(rule), settings.select("label:has([name=opt.clientSecret]) .field-problem").eachText());
      assertEquals(1, settings.select("label:has([name=opt.rootFolderId]) .field-problem").size());
      assertEquals(List.of(), settings.select("label:has([name=opt.accessToken]) .field-problem").eachText());
      assertEquals(3, settings.select(".field-problem").size(), settings.select(".field-problem").eachText()::toString);
      assertFalse(r.body().contains("s3cr3t-not-shown"), "the secret is never shown");
      assertFalse(Files.readString(f.mountsFile).contains("\"/mine\""), "not saved");
    }
  }

  @Test
  void wrongClientSecret_andWrongExtractionCode_areSaidOnTheForm_andFixingThemSaves() throws Exception {
    try (FakeCloudFixture f = new FakeCloudFixture(dir)) {
      String cookie = f.login();
      Map<String, String> open = demoOptions(f, "123open", "clientSecret", "not-the-secret-42");
      HttpResponse<String> r = save(f, cookie, "123open", "/mine", open);
      assertEquals(200, r.statusCode(), r.body());
      String error = Jsoup.parse(r.body()).select("#form-error").text();
      assertTrue(error.startsWith("saved /mine, but the drive does not answer: 123open: list /: 123 refused the client"
          + " credentials; check clientId and clientSecret"), error);
      assertTrue(error.endsWith("; correct the settings below and save again"), error);
      assertFalse(r.body().contains("not-the-secret-42"), "the secret is never shown");
      assertTrue(Files.readString(f.mountsFile).contains("\"/mine\""), "saved all the same");
      assertTrue(mountStatus(f, cookie, "/mine").matches("failed at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: 123open: list /: 123"
          + " refused the client credentials; .*"), "the mounts table does not say ok: " + mountStatus(f, cookie, "/mine"));

      open.put("clientSecret", f.demo.options().get("123open").get("clientSecret"));
      assertEquals(303, save(f, cookie, "123open", "/mine", open).statusCode());
      assertEquals("ok", mountStatus(f, cookie, "/mine"), "saved right, the failure is gone");
      assertEquals(200, f.get("/b/mine/Demo").statusCode());

      Map<String, String> share = demoOptions(f, "123share", "password", "zz99");
      HttpResponse<String> s = save(f, cookie, "123share", "/their-share", share);
      assertEquals(200, s.statusCode(), s.body());
      String shareError = Jsoup.parse(s.body()).select("#form-error").text();
      assertTrue(shareError.startsWith("saved /their-share, but the drive does not answer: 123share: list /: the share's"
          + " extraction code is missing or wrong"), shareError);
      assertFalse(s.body().contains("zz99"), "the code is a secret too");
    }
  }

  @Test
  void aMountThatCannotList_offersTheSignedInAdminAnEditLink_andTheVisitorNone() throws Exception {
    try (FakeCloudFixture f = new FakeCloudFixture(dir)) {
      String cookie = f.login();
      Map<String, String> open = demoOptions(f, "123open", "clientSecret", "not-the-secret-42");
      assertEquals(200, save(f, cookie, "123open", "/mine", open).statusCode(), "saved, with the reason on the form");

      HttpResponse<String> visitor = f.get("/b/mine");
      assertEquals(502, visitor.statusCode(), visitor.body());
      Document vp = Jsoup.parse(visitor.body());
      assertTrue(vp.select("#error").text().contains("123 refused the client credentials"), visitor.body());
      assertTrue(vp.select("#edit-mount").isEmpty(), visitor.body());
      assertTrue(vp.select("a[href^=/admin]").isEmpty(), "no way into the admin page for a visitor: " + visitor.body());
      assertFalse(visitor.body().contains("not-the-secret-42"));

      HttpResponse<String> admin = f.get("/b/mine/Demo", "Cookie", cookie);
      assertEquals(502, admin.statusCode(), admin.body());
      Document ap = Jsoup.parse(admin.body());
      assertEquals("/admin?edit=%2Fmine", ap.select("#edit-mount a").attr("href"), admin.body());
      assertEquals("Edit mount /mine on the admin page to correct its settings.", ap.select("#edit-mount").text());
      assertFalse(admin.body().contains("not-the-secret-42"), "the secret is never shown");
      Document edit = Jsoup.parse(f.get(ap.select("#edit-mount a").attr("href"), "Cookie", cookie).body());
      assertEquals("/mine", edit.selectFirst("#settings [name=mountPath]").val(), "the link opens that mount's form");

      assertTrue(mountStatus(f, cookie, "/mine").contains("123open: stat /Demo: 123 refused the client credentials"),
          "the last failure is the browse's: " + mountStatus(f, cookie, "/mine"));

      assertEquals(404, f.get("/b/123open/no-such-folder", "Cookie", cookie).statusCode());
      assertEquals("ok", mountStatus(f, cookie, "/123open"), "a missing file is no failure of the mount");
      assertTrue(Jsoup.parse(f.get("/b/123open/no-such-folder", "Cookie", cookie).body()).select("#edit-mount").isEmpty(),
          "a missing file is no reason to edit the mount");
    }
  }

  @Test
  void aFailureOfTheProvider_showsInTheMountsTable_untilARequestOnTheMountWorks() throws Exception {
    try (FakeCloudFixture f = new FakeCloudFixture(dir)) {
      String cookie = f.login();
      assertEquals("ok", mountStatus(f, cookie, "/123open-proxy"));
      f.demo.cloud.inject("open", r -> r.path().startsWith("/api/v2/file/list"),
          Fault.status(200, "{\"code\":9999,\"message\":\"服务繁忙\",\"data\":null,\"x-traceID\":\"t-42\"}"), 1);
      HttpResponse<String> failed = f.get("/b/123open-proxy/Demo");
      assertEquals(502, failed.statusCode(), failed.body());
      String status = mountStatus(f, cookie, "/123open-proxy");
      assertTrue(status.startsWith("failed at ") && status.contains("123open: ") && status.contains("t-42"), status);
      assertEquals("ok", mountStatus(f, cookie, "/123open"), "only the mount that failed");
      assertEquals(200, f.get("/b/123open-proxy/Demo").statusCode());
      assertEquals("ok", mountStatus(f, cookie, "/123open-proxy"), "it works again");

      // WebDAV answers its own failures (a plain-text 502): they count the same, and do not clear.
      f.demo.cloud.inject("open", r -> r.path().startsWith("/api/v2/file/list"),
          Fault.status(200, "{\"code\":9999,\"message\":\"busy\",\"data\":null,\"x-traceID\":\"t-43\"}"), 1);
      assertEquals(502, propfind(f, "/dav/123open-proxy/Demo/"));
      assertTrue(mountStatus(f, cookie, "/123open-proxy").contains("t-43"), mountStatus(f, cookie, "/123open-proxy"));
      assertEquals(207, propfind(f, "/dav/123open-proxy/Demo/"));
      assertEquals("ok", mountStatus(f, cookie, "/123open-proxy"));
    }
  }
}
