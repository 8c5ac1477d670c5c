package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing, file, storage and admin pages over the real 123 drivers (plugins) and the fake 123 cloud. */
class FakeCloudPagesTest {
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

  @Test
  void drivers_areLoadedAsPlugins_notFromTheTestClassPath() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.github.pan4j.driver.open123.Open123Provider"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.github.pan4j.driver.pan123.Pan123Provider"));
    List<String> plugins = f.host.plugins().plugins().stream().map(p -> p.name() + "=" + p.ids() + p.problems()).toList();
    assertEquals(List.of("123link=[123link][]", "123open=[123open][]", "123pan=[123pan][]", "123share=[123share][]"), plugins,
        "each driver once; the shared driver-123common jar in each lib/ registers nothing");
    assertEquals(List.of(), f.host.plugins().problems());
    for (Mounts.Mount m : f.host.mounts().all()) assertTrue(m.ok(), m.spec().path() + ": " + m.problem());
  }

  @Test
  void listing_everyDriverShowsTheDemoFiles() throws Exception {
    assertEquals(List.of("..", "docs", "photos", "Shared", "big.bin", "readme.txt", "sunset.png"), names("/b/123open/Demo"));
    assertTrue(names("/b/123pan/Demo/photos").contains("mountain.png"));
    assertTrue(names("/b/123share").containsAll(List.of("poster.png", "handbook.txt")));
    assertTrue(names("/b/123link/docs").contains("notes.md"));
  }

  private static List<String> names(String page) throws Exception {
    return Jsoup.parse(f.get(page).body()).select("#listing td.name > a").eachText();
  }

  @Test
  void filePage_textPreview_readsThroughTheDriver() throws Exception {
    HttpResponse<String> r = f.get("/b/123open/Demo/readme.txt");
    assertEquals(200, r.statusCode());
    assertTrue(Jsoup.parse(r.body()).selectFirst("pre#text").text().startsWith("Welcome to the pan4j host."), r.body());
    assertTrue(f.get("/b/123share/handbook.txt").body().contains("The handbook: shared"));
  }

  @Test
  void storagePage_shows123openQuota() throws Exception {
    var row = Jsoup.parse(f.get("/storage").body()).select("#storage tr:has(a[href=/b/123open])").first();
    long used = f.demo.cloud.store().spaceUsed(f.demo.account.uid());
    long total = f.demo.account.spacePermanent();
    assertEquals(List.of(Html.size(used), Html.size(total)), row.select("td.num").eachText(), row.outerHtml());
  }

  @Test
  void adminPage_renders123openSchema_withSecretsWriteOnly() throws Exception {
    String cookie = f.login();
    var form = Jsoup.parse(f.get("/admin?driver=123open", "Cookie", cookie).body()).selectFirst("#settings");
    assertEquals("text", form.selectFirst("[name=opt.clientId]").attr("type"));
    assertEquals("password", form.selectFirst("[name=opt.clientSecret]").attr("type"));
    assertEquals("checkbox", form.selectFirst("[name=opt.directLink]").attr("type"));
    assertTrue(form.selectFirst("[name=opt.uploadThreads]") != null);

    String edit = f.get("/admin?edit=%2F123open", "Cookie", cookie).body();
    assertTrue(edit.contains(OpenApiFrontDoor.DEMO_CLIENT_ID), "a plain option is shown back");
    assertFalse(edit.contains(OpenApiFrontDoor.DEMO_CLIENT_SECRET), "the client secret is write-only");
    assertEquals("unchanged", Jsoup.parse(edit).selectFirst("#settings [name=opt.clientSecret]").attr("placeholder"));
    String pan = f.get("/admin?edit=%2F123pan", "Cookie", cookie).body();
    assertFalse(pan.contains(io.github.pan4j.testkit.fake.WebFrontDoor.DEMO_PASSWORD), "the 123pan password is write-only");
  }
}
