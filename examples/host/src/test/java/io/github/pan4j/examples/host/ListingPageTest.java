package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    Matcher m = Pattern.compile("<td class=\"name\"><a href=\"[^\"]*\">([^<]*)</a>").matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) if (!m.group(1).equals("..")) out.add(m.group(1));
    return out;
  }

  @Test
  void root_listsMountsAsFolders() throws Exception {
    HttpResponse<String> r = f.get("/b/");
    assertEquals(200, r.statusCode());
    assertEquals(List.of("disk", "guarded", "proxied", "signed"), names(r.body()));
    // The page's own small script only: no inline scripts, nothing from elsewhere.
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self';"));
  }

  @Test
  void folder_listsAllPages_withSizesTimesAndIcons() throws Exception {
    String html = f.get("/b/disk").body(); // the driver pages by 2: three pages
    assertEquals(List.of("docs", "a.txt", "big.bin", "m.png"), names(html));
    assertTrue(html.contains("2.9 KB"), "human size of big.bin");
    assertTrue(html.contains("2024-06-01 10:00"), "modified time of big.bin");
    assertTrue(html.contains("class=\"ic ic-folder\""), "folder icon");
    assertTrue(html.contains("class=\"ic ic-image\""), "image icon");
    assertTrue(html.contains("href=\"/b/disk/docs\""));
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
    String html = f.get("/b/disk?sort=modified").body();
    assertTrue(html.contains("?sort=modified&amp;order=desc\">Modified (UTC) ▲"), "the current column links to the reverse order");
  }

  @Test
  void sort_unknownKey_fallsBackToName() throws Exception {
    assertEquals(List.of("docs", "a.txt", "big.bin", "m.png"), names(f.get("/b/disk?sort=%3Cscript%3E").body()));
  }

  @Test
  void breadcrumbs_linkEveryAncestor() throws Exception {
    String html = f.get("/b/disk/docs").body();
    Matcher m = Pattern.compile("<nav class=\"crumbs\" id=\"crumbs\">(.*?)</nav>").matcher(html);
    assertTrue(m.find());
    String crumbs = m.group(1);
    assertTrue(crumbs.contains("<a href=\"/b/\">"), crumbs);
    assertTrue(crumbs.contains("<a href=\"/b/disk\">disk</a>"), crumbs);
    assertTrue(crumbs.contains("<a href=\"/b/disk/docs\">docs</a>"), crumbs);
    assertEquals(List.of("readme.md"), names(html));
  }

  @Test
  void filePage_textPreview_isEscaped() throws Exception {
    String html = f.get("/b/disk/docs/readme.md").body();
    assertTrue(html.contains("<pre id=\"text\"># Hello &lt;b&gt;world&lt;/b&gt;"), html);
    assertFalse(html.contains("<b>world</b>"));
    assertTrue(html.contains("href=\"/d/disk/docs/readme.md\""));
  }

  @Test
  void filePage_image_pointsAtDownloadUrl() throws Exception {
    String html = f.get("/b/disk/m.png").body();
    assertTrue(html.contains("<img src=\"/d/disk/m.png\""), html);
  }

  @Test
  void missingPath_is404() throws Exception {
    assertEquals(404, f.get("/b/disk/nope").statusCode());
    assertEquals(404, f.get("/b/nomount").statusCode());
  }

  @Test
  void storagePage_showsQuotaFromTheDriver() throws Exception {
    String html = f.get("/storage").body();
    assertTrue(html.contains("1.0 GB"), html);
    assertTrue(html.contains("Test plan"));
  }
}
