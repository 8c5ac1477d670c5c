package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
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
    String open = f.get("/b/123open/Demo").body();
    for (String name : List.of("docs", "photos", "Shared", "big.bin", "readme.txt", "sunset.png")) {
      assertTrue(open.contains(">" + name + "</a>"), "123open lists " + name);
    }
    assertTrue(f.get("/b/123pan/Demo/photos").body().contains(">mountain.png</a>"));
    String share = f.get("/b/123share").body();
    assertTrue(share.contains(">poster.png</a>") && share.contains(">handbook.txt</a>"), share);
    assertTrue(f.get("/b/123link/docs").body().contains(">notes.md</a>"));
  }

  @Test
  void filePage_textPreview_readsThroughTheDriver() throws Exception {
    HttpResponse<String> r = f.get("/b/123open/Demo/readme.txt");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<pre id=\"text\">Welcome to the pan4j host."), r.body());
    assertTrue(f.get("/b/123share/handbook.txt").body().contains("The handbook: shared"));
  }

  @Test
  void storagePage_shows123openQuota() throws Exception {
    String html = f.get("/storage").body();
    int row = html.indexOf("<td>123open</td>");
    assertTrue(row > 0, html);
    String cells = html.substring(row, html.indexOf("</tr>", row));
    long used = f.demo.cloud.store().spaceUsed(f.demo.account.uid());
    long total = f.demo.account.spacePermanent();
    assertTrue(cells.contains("<td class=\"num\">" + Html.size(used) + "</td>"), "used " + Html.size(used) + ": " + cells);
    assertTrue(cells.contains("<td class=\"num\">" + Html.size(total) + "</td>"), "total " + Html.size(total) + ": " + cells);
  }

  @Test
  void adminPage_renders123openSchema_withSecretsWriteOnly() throws Exception {
    String cookie = f.login();
    String form = f.get("/admin?driver=123open", "Cookie", cookie).body();
    assertTrue(form.contains("<input type=\"text\" name=\"opt.clientId\""), form);
    assertTrue(form.contains("<input type=\"password\" autocomplete=\"new-password\" name=\"opt.clientSecret\""), form);
    assertTrue(form.contains("<input type=\"checkbox\" name=\"opt.directLink\""), form);
    assertTrue(form.contains("name=\"opt.uploadThreads\""), form);

    String edit = f.get("/admin?edit=%2F123open", "Cookie", cookie).body();
    assertTrue(edit.contains(OpenApiFrontDoor.DEMO_CLIENT_ID), "a plain option is shown back");
    assertFalse(edit.contains(OpenApiFrontDoor.DEMO_CLIENT_SECRET), "the client secret is write-only");
    assertTrue(edit.contains("name=\"opt.clientSecret\" placeholder=\"unchanged\""), edit);
    String pan = f.get("/admin?edit=%2F123pan", "Cookie", cookie).body();
    assertFalse(pan.contains(io.github.pan4j.testkit.fake.WebFrontDoor.DEMO_PASSWORD), "the 123pan password is write-only");
  }
}
