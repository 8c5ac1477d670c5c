package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mounts with {@code "through"}: the demo share mounted again, downloading through a 123open mount
 * of another account ("me") on the fake cloud, where files of the share over {@link #THRESHOLD}
 * bytes need a signed-in downloader. The dependants come before their reference in the mounts
 * file, and the file also holds bad references (missing, itself, a cycle, a 123link mount).
 */
class ThroughMountTest {
  static final long THRESHOLD = 1024;
  static final String CREATE = "/upload/v2/file/create";
  static final String SHARE_DOWNLOAD = "/b/api/share/download/info";

  @TempDir static Path dir;
  static FakeCloudFixture f;
  static byte[] poster;

  @BeforeAll
  static void start() throws Exception {
    f = new FakeCloudFixture(dir, (demo, mounts) -> {
      shareNeedsSignInAndIHaveAnAccount(demo);
      share(demo, mounts, "/shared-always", DownloadMode.PROXY, "/mine", "/cache", "always");
      share(demo, mounts, "/shared-signin", DownloadMode.REDIRECT, "/mine", null, null);
      share(demo, mounts, "/no-ref", DownloadMode.AUTO, "/missing", null, null);
      share(demo, mounts, "/self", DownloadMode.AUTO, "/self", null, null);
      share(demo, mounts, "/loop-a", DownloadMode.AUTO, "/loop-b", null, null);
      share(demo, mounts, "/loop-b", DownloadMode.AUTO, "/loop-a", null, null);
      share(demo, mounts, "/via-link", DownloadMode.AUTO, "/123link", null, null);
      share(demo, mounts, "/dependant", DownloadMode.PROXY, "/mine2", null, "always");
      mine(demo, mounts, "/mine");
      mine(demo, mounts, "/mine2");
    });
    poster = f.bytes("/Demo/Shared/poster.png");
    assertTrue(poster.length > THRESHOLD, "the poster must need a sign-in at the share");
  }

  @AfterAll
  static void stop() {
    if (f != null) f.close();
  }

  /** The share refuses files over {@link #THRESHOLD} bytes without a sign-in; "me" is a 123open account with a client. */
  static void shareNeedsSignInAndIHaveAnAccount(DemoCloud demo) {
    demo.cloud.door(ShareFrontDoor.class).loginThreshold(THRESHOLD);
    demo.cloud.store().createAccount("me").client("my-client", "my-secret");
  }

  static void share(DemoCloud demo, ArrayNode mounts, String path, DownloadMode mode, String ref, String folder, String when) {
    ObjectNode t = demo.mount(mounts, path, "123share", mode).putObject("through").put("mount", ref);
    if (folder != null) t.put("folder", folder);
    if (when != null) t.put("when", when);
  }

  private static Map<String, String> myOptions(DemoCloud demo) {
    return Map.of("clientId", "my-client", "clientSecret", "my-secret", "apiBaseUrl", demo.cloud.baseUrl("open"));
  }

  static void mine(DemoCloud demo, ArrayNode mounts, String path) {
    ObjectNode o = mounts.addObject().put("path", path).put("driver", "123open").put("download", "redirect").putObject("options");
    myOptions(demo).forEach(o::put);
  }

  private static long me() {
    return f.demo.cloud.store().accountByClientId("my-client").orElseThrow().uid();
  }

  private static int requests(String server, String prefix) {
    return f.demo.cloud.requests(server, prefix).size();
  }

  @Test
  void always_proxy_downloadsTheFileTheShareRefuses_throughMyAccount_withoutAskingTheShare() throws Exception {
    assertNotEquals(200, f.getBytes("/d/123share/poster.png").statusCode(), "without through the share refuses it");
    f.demo.cloud.clearRequests();
    HttpResponse<byte[]> r = f.getBytes("/d/shared-always/poster.png");
    assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
    assertArrayEquals(poster, r.body());
    assertEquals(1, requests("open", CREATE), "one instant upload into my account");
    assertEquals(0, requests("web", SHARE_DOWNLOAD), "the share was never asked for a download");
    assertTrue(f.demo.cloud.store().resolve(me(), "/cache/" + FakeCloudFixture.md5(poster) + "/poster.png").isPresent(),
        "the copy stays in the cache folder of my account");
    // WebDAV GET of the same mount takes the same way (the copy is reused: no second instant upload).
    HttpResponse<byte[]> dav = f.http.send(HttpRequest.newBuilder(URI.create(f.base() + "/dav/shared-always/poster.png")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, dav.statusCode());
    assertArrayEquals(poster, dav.body());
    // So does the signed route an external proxy of download mode proxy_url fetches from.
    String sign = URLEncoder.encode(f.host.signer().sign("/shared-always/poster.png"), StandardCharsets.UTF_8);
    HttpResponse<byte[]> signed = f.getBytes("/p/shared-always/poster.png?sign=" + sign, "Range", "bytes=0-99");
    RangeAsserts.assertPart(signed, poster, 0, 99);
    assertEquals(1, requests("open", CREATE));
    assertEquals(0, requests("web", SHARE_DOWNLOAD));
  }

  @Test
  void whenSignInRequired_redirect_asksTheShareFirst_thenRedirectsToMyAccountsLink() throws Exception {
    f.demo.cloud.clearRequests();
    HttpResponse<String> r = f.get("/d/shared-signin/poster.png");
    assertEquals(302, r.statusCode(), r.body());
    String url = r.headers().firstValue("Location").orElseThrow();
    assertTrue(url.startsWith(f.demo.cloud.baseUrl("cdn") + "/open-dl/"), url);
    assertArrayEquals(poster, f.getBytes(url).body());
    assertTrue(requests("web", SHARE_DOWNLOAD) >= 1, "the share was asked first");
    assertTrue(f.demo.cloud.store().resolve(me(), "/pan4j-cache/" + FakeCloudFixture.md5(poster) + "/poster.png").isPresent(),
        "the default cache folder");

    f.demo.cloud.clearRequests();
    HttpResponse<String> small = f.get("/d/shared-signin/handbook.txt");
    assertEquals(302, small.statusCode(), small.body());
    assertFalse(small.headers().firstValue("Location").orElseThrow().contains("/open-dl/"), "a file the share serves is not copied");
    assertEquals(0, requests("open", CREATE));
  }

  @Test
  void badReferences_disableOnlyTheirMount_withTheReason() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("/no-ref", "its through mount /missing does not exist");
    expected.put("/self", "it names itself as its through mount");
    expected.put("/loop-a", "through mounts form a cycle (/loop-a -> /loop-b -> /loop-a)");
    expected.put("/loop-b", "through mounts form a cycle (/loop-b -> /loop-a -> /loop-b)");
    expected.put("/via-link", "its through mount /123link (123link) lacks INSTANT_UPLOAD");
    for (var e : expected.entrySet()) {
      Mounts.Mount m = f.host.mounts().get(e.getKey());
      assertFalse(m.ok(), e.getKey());
      assertTrue(m.problem().startsWith("mount " + e.getKey() + " is disabled: " + e.getValue()), m.problem());
    }
    for (String ok : List.of("/shared-always", "/shared-signin", "/mine", "/123share", "/123link", "/123open")) {
      Mounts.Mount m = f.host.mounts().get(ok);
      assertTrue(m.ok(), ok + ": " + m.problem());
    }
    HttpResponse<String> page = f.get("/b/no-ref");
    assertTrue(Jsoup.parse(page.body()).select(".problem").text().contains("mount /no-ref is disabled: its through mount /missing does not exist"),
        page.body());
    HttpResponse<String> download = f.get("/d/no-ref/poster.png");
    assertEquals(503, download.statusCode());
    assertTrue(download.body().contains("its through mount /missing does not exist"), download.body());
    Document admin = Jsoup.parse(f.get("/admin", "Cookie", f.login()).body());
    assertTrue(admin.select("#mounts tr:contains(/via-link) .problem").text().contains("lacks INSTANT_UPLOAD"), admin.select("#mounts").outerHtml());
    assertTrue(admin.select("#mounts tr:contains(/shared-always)").text().contains("proxy, through /mine (always)"));
  }

  private static HttpResponse<String> post(String cookie, Map<String, String> form) throws Exception {
    return f.post("/admin/mount", cookie, form);
  }

  /** The fields of the settings form on {@code page} as a browser would send them back. */
  private static Map<String, String> formOf(Document page) {
    Map<String, String> m = new LinkedHashMap<>();
    for (var e : page.select("#settings input, #settings select, #settings textarea")) {
      if (e.attr("type").equals("checkbox") && !e.hasAttr("checked")) continue;
      String v = e.tagName().equals("select")
          ? e.select("option[selected]").isEmpty() ? e.select("option").first().val() : e.select("option[selected]").first().val()
          : e.tagName().equals("textarea") ? e.wholeText() : e.val();
      m.put(e.attr("name"), v);
    }
    return m;
  }

  @Test
  void adminForm_showsTheReference_andSavesANewOne_refusingBadOnes() throws Exception {
    String cookie = f.login();
    Document edit = Jsoup.parse(f.get("/admin?edit=%2Fshared-always", "Cookie", cookie).body());
    var through = edit.selectFirst("#settings #through");
    assertEquals("/mine", through.selectFirst("select[name=throughMount] option[selected]").val());
    assertEquals("/cache", through.selectFirst("input[name=throughFolder]").val());
    assertEquals("always", through.selectFirst("select[name=throughWhen] option[selected]").val());
    List<String> offered = through.select("select[name=throughMount] option").eachAttr("value");
    assertTrue(offered.containsAll(List.of("", "/123open", "/mine", "/mine2")), offered.toString());
    assertFalse(offered.contains("/123link") || offered.contains("/123share") || offered.contains("/shared-always"),
        "only other mounts that store files by hash: " + offered);

    Map<String, String> form = formOf(Jsoup.parse(f.get("/admin?driver=123share", "Cookie", cookie).body()));
    f.demo.options().get("123share").forEach((k, v) -> form.put("opt." + k, v));
    form.put("mountPath", "/form-share");
    form.put("download", "proxy");
    form.put("throughMount", "/123link");
    HttpResponse<String> refused = post(cookie, form);
    assertEquals(400, refused.statusCode());
    assertTrue(Jsoup.parse(refused.body()).select("#form-error").text().contains("lacks INSTANT_UPLOAD"), refused.body());
    assertEquals("/123link", Jsoup.parse(refused.body()).selectFirst("select[name=throughMount] option[selected]").val(),
        "the entered choice is kept");
    form.put("throughMount", "/nowhere");
    assertTrue(post(cookie, form).body().contains("its through mount /nowhere does not exist"));
    form.put("throughMount", "/form-share");
    assertTrue(post(cookie, form).body().contains("it names itself"));
    form.put("throughMount", "/mine");
    form.put("throughFolder", "/");
    HttpResponse<String> rootFolder = post(cookie, form);
    assertEquals(400, rootFolder.statusCode(), "the cache folder cannot be the root");
    String said = Jsoup.parse(rootFolder.body()).select("#form-error").text();
    // The form's own label, not mounts.json's key path ("through"."folder"), which the form never shows.
    assertTrue(said.startsWith("Cache folder must be a folder below the root"), said);
    assertFalse(Files.readString(f.mountsFile).contains("/form-share"), "nothing refused was saved");
    form.put("throughFolder", "cache/x");
    HttpResponse<String> relative = post(cookie, form);
    assertEquals(400, relative.statusCode(), "a relative cache folder is refused, as by the CLI and the Java API");
    assertTrue(Jsoup.parse(relative.body()).select("#form-error").text().startsWith("Cache folder must be an absolute path"),
        relative.body());

    form.put("throughFolder", "/from-form");
    form.put("throughWhen", "always");
    HttpResponse<String> saved = post(cookie, form);
    assertEquals(303, saved.statusCode(), saved.body());
    JsonNode n = null;
    for (JsonNode m : f.mapper.readTree(f.mountsFile.toFile()).get("mounts")) if (m.get("path").asText().equals("/form-share")) n = m;
    assertEquals("{\"mount\":\"/mine\",\"folder\":\"/from-form\",\"when\":\"always\"}", n.get("through").toString());
    HttpResponse<byte[]> r = f.getBytes("/d/form-share/poster.png");
    assertEquals(200, r.statusCode());
    assertArrayEquals(poster, r.body());
    assertTrue(f.demo.cloud.store().resolve(me(), "/from-form/" + FakeCloudFixture.md5(poster) + "/poster.png").isPresent());

    // Choosing "none" removes the reference.
    form.put("throughMount", "");
    assertEquals(303, post(cookie, form).statusCode());
    for (JsonNode m : f.mapper.readTree(f.mountsFile.toFile()).get("mounts")) {
      if (m.get("path").asText().equals("/form-share")) assertNull(m.get("through"), m.toString());
    }
    assertNotEquals(200, f.getBytes("/d/form-share/poster.png").statusCode(), "the share alone refuses it again");
  }

  @Test
  void editingOrRemovingTheReference_reopensItsDependants() throws Exception {
    String cookie = f.login();
    assertEquals(200, f.getBytes("/d/dependant/poster.png").statusCode());
    // Save /mine2 again as it is (its secret left empty = unchanged): its drive is replaced and the old one closed.
    Map<String, String> form = formOf(Jsoup.parse(f.get("/admin?edit=%2Fmine2", "Cookie", cookie).body()));
    assertEquals(303, post(cookie, form).statusCode());
    HttpResponse<byte[]> again = f.getBytes("/d/dependant/poster.png");
    assertEquals(200, again.statusCode(), () -> new String(again.body(), StandardCharsets.UTF_8));
    assertArrayEquals(poster, again.body());

    Document admin = Jsoup.parse(f.get("/admin", "Cookie", cookie).body());
    String csrf = admin.selectFirst("input[name=csrf]").val();
    assertTrue(admin.selectFirst("#mounts tr:has(td:matchesOwn(^/mine2$)) form").attr("data-confirm").contains("/dependant downloads through it"));
    HttpResponse<String> un = f.http.send(HttpRequest.newBuilder(URI.create(f.base() + "/admin/unmount"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&mountPath=%2Fmine2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(303, un.statusCode(), un.body());
    assertEquals("mount /dependant is disabled: its through mount /mine2 does not exist; add that mount or change \"through\"",
        f.host.mounts().get("/dependant").problem());

    // Mounting it again brings the dependant back.
    form.put("opt.clientSecret", "my-secret");
    assertEquals(303, post(cookie, form).statusCode());
    assertTrue(f.host.mounts().get("/dependant").ok(), f.host.mounts().get("/dependant").problem());
    assertArrayEquals(poster, f.getBytes("/d/dependant/poster.png").body());
  }
}
