package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingPageTest {
  @TempDir static Path dir;
  static HostFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new HostFixture(dir, null, false);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static List<String> names(String html) {
    List<String> out = new ArrayList<>(Jsoup.parse(html).select("#listing tbody td.name > a").eachText());
    out.remove("..");
    return out;
  }

  private static Document page(String pathAndQuery, String... headers) throws Exception {
    HttpResponse<String> r = f.get(pathAndQuery, headers);
    assertEquals(200, r.statusCode(), r.body());
    return Jsoup.parse(r.body());
  }

  @Test
  void root_listsMountsAsFolders() throws Exception {
    HttpResponse<String> r = f.get("/b/");
    assertEquals(200, r.statusCode());
    assertEquals(List.of("disk", "guarded", "nosize", "proxied", "signed"), names(r.body()));
    // The page's own small script only: no inline scripts, nothing from elsewhere.
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self';"));
  }

  @Test
  void folder_listsAllPages_withSizesTimesAndIcons() throws Exception {
    String html = f.get("/b/disk").body(); // the driver pages by 2: three pages
    assertEquals(List.of("docs", "a.txt", "big.bin", "m.png"), names(html));
    Document d = Jsoup.parse(html);
    var big = d.selectFirst("#listing tr[data-path=/disk/big.bin]");
    assertEquals("2.9 KiB", big.select("td.num").text(), "human size of big.bin, in binary units labelled as such");
    assertTrue(big.text().contains("2024-06-01 10:00"), "modified time of big.bin");
    assertEquals(1, d.select("tr[data-path=/disk/docs] svg.ic-folder").size(), "folder icon");
    assertEquals(1, d.select("tr[data-path=/disk/m.png] svg.ic-image").size(), "image icon");
    assertEquals("/b/disk/docs", d.selectFirst("tr[data-path=/disk/docs] td.name a").attr("href"));
    assertTrue(d.select("script[src=/assets/host.js]").size() == 1 && d.select("script:not([src])").isEmpty(), "no inline script");
    assertEquals("4 entries", d.selectFirst("#count").text());
    String sub = f.get("/b/disk/docs").body();
    int n = names(sub).size();
    assertEquals(n + (n == 1 ? " entry" : " entries"), Jsoup.parse(sub).selectFirst("#count").text());
  }

  @Test
  void sort_bySizeDescending_foldersStayFirst() throws Exception {
    assertEquals(List.of("docs", "big.bin", "m.png", "a.txt"), names(f.get("/b/disk?sort=size&order=desc").body()));
    assertEquals(List.of("docs", "a.txt", "m.png", "big.bin"), names(f.get("/b/disk?sort=size&order=asc").body()));
  }

  @Test
  void sort_byModified_andByNameDescending() throws Exception {
    assertEquals(List.of("docs", "a.txt", "big.bin", "m.png"), names(f.get("/b/disk?sort=modified").body()));
    assertEquals(List.of("docs", "m.png", "big.bin", "a.txt"), names(f.get("/b/disk?sort=name&order=desc").body()));
    var header = page("/b/disk?sort=modified").select("#listing th a").stream()
        .filter(a -> a.text().startsWith("Modified")).findFirst().orElseThrow();
    assertEquals("Modified (UTC) ▲", header.text());
    assertEquals("/b/disk?sort=modified&order=desc", header.attr("href"), "the current column links to the reverse order");
  }

  @Test
  void sort_unknownKey_fallsBackToName() throws Exception {
    assertEquals(List.of("docs", "a.txt", "big.bin", "m.png"), names(f.get("/b/disk?sort=%3Cscript%3E").body()));
  }

  @Test
  void breadcrumbs_linkEveryAncestor() throws Exception {
    String html = f.get("/b/disk/docs").body();
    var crumbs = Jsoup.parse(html).select("#crumbs a");
    assertEquals(List.of("/b/", "/b/disk", "/b/disk/docs"), crumbs.eachAttr("href"));
    assertEquals(List.of("root", "disk", "docs"), crumbs.eachText());
    assertEquals(List.of("readme.md"), names(html));
  }

  @Test
  void filePage_textPreview_isEscaped() throws Exception {
    String html = f.get("/b/disk/docs/readme.md").body();
    Document d = Jsoup.parse(html);
    assertEquals("# Hello <b>world</b>", d.selectFirst("pre#text").text(), "the markup is shown as text");
    assertTrue(d.select("pre#text b").isEmpty());
    assertFalse(html.contains("<b>world</b>"));
    assertEquals("/d/disk/docs/readme.md", d.selectFirst("a#download").attr("href"));
  }

  @Test
  void filePage_image_pointsAtDownloadUrl() throws Exception {
    assertEquals("/d/disk/m.png", page("/b/disk/m.png").selectFirst("#preview img").attr("src"));
  }

  @Test
  void missingPath_is404() throws Exception {
    assertEquals(404, f.get("/b/disk/nope").statusCode());
    assertEquals(404, f.get("/b/nomount").statusCode());
  }

  @Test
  void storagePage_showsQuotaFromTheDriver() throws Exception {
    Document d = page("/storage");
    assertTrue(d.select("#storage td.num").eachText().contains("1.0 GiB"), d.select("#storage").outerHtml());
    assertTrue(d.select("#storage").text().contains("Test plan"));
  }

  @Test
  void search_inTheFolder_andInTheWholeMount() throws Exception {
    assertEquals(List.of("big.bin"), names(f.get("/b/disk?q=BIG").body()), "case-insensitive, this folder only");
    Document whole = page("/b/disk?q=read&scope=mount");
    assertEquals(List.of("docs/readme.md"), whole.select("#listing td.name > a").eachText());
    assertEquals("/b/disk/docs/readme.md", whole.selectFirst("#listing td.name > a").attr("href"));
    assertTrue(whole.selectFirst("#search-note").text().contains("whole mount /disk"));
    assertEquals(List.of(), names(f.get("/b/disk?q=nothing-like-this").body()));
    assertEquals("read", whole.selectFirst("#search input[name=q]").val(), "the search box keeps the query");
  }

  @Test
  void gridView_showsThumbnailsForPictures() throws Exception {
    Document d = page("/b/disk?view=grid");
    assertTrue(d.select("#listing").isEmpty());
    assertEquals(4, d.select("#grid li.card").size());
    assertEquals(List.of("/d/disk/m.png"), d.select("#grid img").eachAttr("src"), "only pictures get a thumbnail");
    assertTrue(d.selectFirst("#view-grid").hasClass("on"));
  }

  @Test
  void loggedIn_rowsHaveActions_andTheBulkFormDeletesAndMovesSelections() throws Exception {
    HostFixture.Login l = f.login();
    Files.writeString(f.data.resolve("x1.txt"), "1");
    Files.writeString(f.data.resolve("x2.txt"), "2");
    Files.writeString(f.data.resolve("x3.txt"), "3");
    Document d = page("/b/disk", "Cookie", l.cookie());
    var row = d.selectFirst("tr[data-path=/disk/x1.txt]");
    assertEquals(List.of("/op/rename", "/op/move", "/op/remove"), row.select("td.actions form").eachAttr("action"));
    assertTrue(row.selectFirst("form.remove").hasAttr("data-confirm"), "delete asks first");
    assertEquals("/disk/x1.txt", row.selectFirst("input.pick").val());
    assertTrue(d.selectFirst("#upload #progress") != null && d.selectFirst("#upload input[type=file][multiple]") != null);
    // What the page's script posts for two checked rows:
    HttpResponse<String> del = f.post("/op/remove", l.cookie(), l.form("paths", "/disk/x1.txt\n/disk/x2.txt", "back", "/disk"));
    assertEquals(303, del.statusCode(), del.body());
    assertEquals("/b/disk", del.headers().firstValue("Location").orElseThrow());
    assertFalse(Files.exists(f.data.resolve("x1.txt")) || Files.exists(f.data.resolve("x2.txt")));
    HttpResponse<String> mv = f.post("/op/move", l.cookie(), l.form("paths", "/disk/x3.txt", "to", "/disk/docs", "back", "/disk"));
    assertEquals(303, mv.statusCode(), mv.body());
    assertTrue(Files.exists(f.data.resolve("docs/x3.txt")));
    Files.delete(f.data.resolve("docs/x3.txt"));
  }

  @Test
  void withoutLogin_noActionsNoBulkForm_butDownloadsWork() throws Exception {
    Document d = page("/b/disk");
    assertTrue(d.select("#bulk, td.actions, #upload").isEmpty());
    assertEquals(200, f.getBytes("/d/proxied/a.txt").statusCode());
  }
}
