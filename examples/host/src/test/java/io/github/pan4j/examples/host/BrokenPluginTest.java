package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.pan4j.core.internal.http.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad service entry, a jar missing a class and a mount of an unknown driver disable only themselves. */
class BrokenPluginTest {
  @TempDir static Path dir;
  static HostFixture f;

  @BeforeAll
  static void start() throws Exception {
    ArrayNode extra = Json.mapper().createArrayNode();
    extra.addObject().put("path", "/ghost").put("driver", "123open").putObject("options").put("clientId", "x");
    f = new HostFixture(dir, extra, true);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void pluginProblems_areReported_goodPluginStillLoads() {
    Plugins p = f.host.plugins();
    assertEquals(java.util.List.of("testdisk"), p.drives().ids().stream().toList());
    Plugins.Plugin bad = p.plugins().stream().filter(x -> x.name().equals("bad-service.jar")).findFirst().orElseThrow();
    assertTrue(bad.problems().get(0).contains("com.example.missing.NoSuchProvider"), bad.problems().toString());
    Plugins.Plugin missing = p.plugins().stream().filter(x -> x.name().equals("missing-class.jar")).findFirst().orElseThrow();
    assertEquals(1, missing.problems().size(), missing.toString());
    assertTrue(missing.problems().get(0).contains("TestDiskDriver"), missing.problems().toString());
  }

  @Test
  void rootPage_showsEveryProblem_andStillListsGoodMounts() throws Exception {
    HttpResponse<String> r = f.get("/b/");
    assertEquals(200, r.statusCode());
    var page = org.jsoup.Jsoup.parse(r.body());
    String problems = String.join("\n", page.select(".problem").eachText());
    assertTrue(problems.contains("bad-service.jar"), problems);
    assertTrue(problems.contains("missing-class.jar"), problems);
    assertTrue(problems.contains("mount /ghost is disabled: "), problems);
    assertTrue(problems.contains("unknown driver id '123open'; known ids: testdisk"), problems);
    assertTrue(page.select("#listing td.name > a").eachAttr("href").contains("/b/disk"));
  }

  @Test
  void disabledMount_explainsItself_otherMountsWork() throws Exception {
    HttpResponse<String> ghost = f.get("/b/ghost");
    assertEquals(200, ghost.statusCode());
    assertTrue(org.jsoup.Jsoup.parse(ghost.body()).select(".problem").text().startsWith("mount /ghost is disabled"), ghost.body());
    assertEquals(503, f.get("/d/ghost/x").statusCode());
    assertEquals(200, f.get("/b/disk").statusCode());
    assertEquals(200, f.getBytes("/d/proxied/a.txt").statusCode());
  }
  @Test
  void disabledMount_download_offersTheSignedInAdminAnEditLink_andTheVisitorNone() throws Exception {
    HttpResponse<String> visitor = f.get("/d/ghost/x");
    assertEquals(503, visitor.statusCode());
    assertTrue(org.jsoup.Jsoup.parse(visitor.body()).select("a[href^=/admin]").isEmpty(), visitor.body());
    HttpResponse<String> admin = f.get("/d/ghost/x", "Cookie", f.login().cookie());
    assertEquals(503, admin.statusCode());
    assertEquals("/admin?edit=%2Fghost", org.jsoup.Jsoup.parse(admin.body()).select("#edit-mount a").attr("href"), admin.body());
  }

  @Test
  void disabledMount_listing_offersTheSignedInAdminAnEditLink_andTheVisitorNone() throws Exception {
    HttpResponse<String> visitor = f.get("/b/ghost");
    assertEquals(200, visitor.statusCode());
    var vp = org.jsoup.Jsoup.parse(visitor.body());
    assertTrue(vp.select("#edit-mount").isEmpty(), visitor.body());
    assertTrue(vp.select("a[href^=/admin]").isEmpty(), "no way into the admin page for a visitor: " + visitor.body());
    String cookie = f.login().cookie();
    HttpResponse<String> admin = f.get("/b/ghost", "Cookie", cookie);
    assertEquals(200, admin.statusCode());
    var ap = org.jsoup.Jsoup.parse(admin.body());
    assertTrue(ap.select(".problem").text().startsWith("mount /ghost is disabled"), admin.body());
    assertEquals("/admin?edit=%2Fghost", ap.select("#edit-mount a").attr("href"), admin.body());
    assertEquals("Edit mount /ghost on the admin page to correct its settings.", ap.select("#edit-mount").text());
    // Its driver is not loaded, so there is no form: the admin page says why and what to do instead.
    HttpResponse<String> edit = f.get(ap.select("#edit-mount a").attr("href"), "Cookie", cookie);
    assertEquals(200, edit.statusCode());
    String said = org.jsoup.Jsoup.parse(edit.body()).select(".problem").eachText().toString();
    assertTrue(said.contains("mount /ghost cannot be edited here: its driver 123open is not loaded; put the driver's plugin in "
        + f.plugins + " and restart the host, or unmount /ghost"), said);
    assertTrue(org.jsoup.Jsoup.parse(f.get("/b/disk", "Cookie", cookie).body()).select("#edit-mount").isEmpty(),
        "a mount that works needs no edit link");
  }
}
