package io.github.pan4j.driver.link123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenList-style trees through both readings: the default one mounts them as OpenList does (same
 * names, sizes, times) and warns with the line number wherever the strict one differs; the strict
 * one keeps pan4j's earlier reading.
 */
class LinkTreeReadingsTest {
  private static final String BASE = "https://vip.123pan.cn/1812345678";
  private static final Instant LOAD = Instant.parse("2026-05-01T08:00:00Z");

  private static LinkTree openList(String text) {
    return LinkTree.parse(text, LinkTree.Reading.OPENLIST, LOAD);
  }

  private static LinkTree strict(String text) {
    return LinkTree.parse(text, LinkTree.Reading.STRICT, LOAD);
  }

  private static Entry entry(LinkTree t, String path) {
    return t.entry(path).orElseThrow(() -> new AssertionError("no " + path + " in " + t));
  }

  @Test
  void documentedExample_sameAsOpenList() {
    String text = String.join("\n",
        "folder1:",
        "  127451136:1694101621:" + BASE + "/a/linux%20qq.deb",
        "  134847488:" + BASE + "/a/b.deb",
        "  sub:",
        "    " + BASE + "/a/%E4%B8%AD%E6%96%87.mp4?x=1",
        "  " + BASE + "/a/c.iso",
        BASE + "/top.txt");
    LinkTree ol = openList(text);
    assertEquals(Instant.ofEpochSecond(1694101621), entry(ol, "/folder1/linux qq.deb").modified());
    assertEquals(134847488L, entry(ol, "/folder1/b.deb").size());
    assertEquals(LOAD, entry(ol, "/folder1/b.deb").modified(), "size only: the load time");
    Entry q = entry(ol, "/folder1/sub/中文.mp4?x=1");
    assertEquals(0, q.size());
    assertEquals(Instant.EPOCH, q.modified(), "no prefix: size 0, time 1970 as OpenList shows");
    assertEquals(262298624L, entry(ol, "/folder1").size());
    assertEquals(List.of("line 5: the file is named '中文.mp4?x=1' (OpenList, the query string stays in the name);"
        + " the strict reading names it '中文.mp4'"), ol.warnings());

    LinkTree st = strict(text);
    assertNull(entry(st, "/folder1/b.deb").modified());
    assertTrue(st.entry("/folder1/sub/中文.mp4").isPresent());
    assertTrue(st.warnings().isEmpty());
  }

  @Test
  void aSignatureInTheTree_staysOutOfWarningsAndErrors() {
    String sig = "1700001800-123456-1812345678-e9eba91864dd4818c3e2ed94e25fc993";
    LinkTree ol = openList(BASE + "/a.mp4?auth_key=" + sig + "&x=1");
    assertEquals(0, entry(ol, "/a.mp4?auth_key=" + sig + "&x=1").size(), "OpenList keeps the query in the name");
    assertEquals(List.of("line 1: the file is named 'a.mp4?auth_key=****&x=1' (OpenList, the query string stays in the name);"
        + " the strict reading names it 'a.mp4'"), ol.warnings());
    DriveException e = assertThrows(DriveException.class, () -> openList("http://cdn example/b.mp4?auth_key=" + sig));
    assertTrue(e.getMessage().contains("'http://cdn example/b.mp4?auth_key=****' is not a valid URL"), e.getMessage());
  }

  @Test
  void loneTenDigitNumber_isASizeByDefault_aTimestampWhenStrict() {
    String text = "1694101621:" + BASE + "/big.iso";
    LinkTree ol = openList(text);
    assertEquals(1694101621L, entry(ol, "/big.iso").size());
    assertEquals(LOAD, entry(ol, "/big.iso").modified());
    assertEquals(1, ol.warnings().size());
    assertTrue(ol.warnings().get(0).startsWith("line 1: the lone number 1694101621 is the size in bytes"), ol.warnings().toString());
    LinkTree st = strict(text);
    assertEquals(0, entry(st, "/big.iso").size());
    assertEquals(Instant.ofEpochSecond(1694101621), entry(st, "/big.iso").modified());
  }

  @Test
  void tabIndentation_isTrimmedByDefault_refusedWhenStrict() {
    String text = "a:\n  \t" + BASE + "/y.bin\n\t" + BASE + "/x.bin";
    LinkTree ol = openList(text);
    assertTrue(ol.entry("/x.bin").isPresent(), "a tab is no indentation: level 0, at the root");
    assertTrue(ol.entry("/a/y.bin").isPresent(), "two spaces then a tab: level 1");
    assertEquals(2, ol.warnings().size());
    assertTrue(ol.warnings().get(0).startsWith("line 2: indentation contains a tab"), ol.warnings().toString());
    assertTrue(ol.warnings().get(1).startsWith("line 3: indentation contains a tab"), ol.warnings().toString());
    DriveException e = assertThrows(DriveException.class, () -> strict(text));
    assertTrue(e.getMessage().contains("line 3: indentation contains a tab"), e.getMessage());
  }

  @Test
  void extraFields_trailingSlash_folderEndingInColon_duplicates() {
    String text = String.join("\n",
        "5:1700000000:junk:" + BASE + "/x.bin",
        BASE + "/dir/",
        "x:",
        "7:" + BASE + "/x.bin");
    LinkTree ol = openList(text);
    assertEquals(5, entry(ol, "/x.bin").size(), "the first x.bin wins");
    assertEquals(Instant.ofEpochSecond(1700000000), entry(ol, "/x.bin").modified());
    assertTrue(ol.entry("/dir").isPresent(), "path.Base ignores the trailing slash");
    List<String> w = ol.warnings();
    assertTrue(w.stream().anyMatch(s -> s.startsWith("line 1: 1 field(s) after size and modified are ignored")), w.toString());
    assertTrue(w.stream().anyMatch(s -> s.startsWith("line 2: the URL ends in '/'")), w.toString());
    assertTrue(w.stream().anyMatch(s -> s.startsWith("line 4: 'x.bin' appears again")), w.toString());
    DriveException e = assertThrows(DriveException.class, () -> strict(text));
    assertTrue(e.getMessage().contains("line 1: '5:1700000000:junk:' has 3 fields"), e.getMessage());
    assertTrue(e.getMessage().contains("line 2: the URL"), e.getMessage());
  }

  @Test
  void linesOpenListRefuses_areRefusedInBothReadings() {
    for (String bad : List.of("a:\n   " + BASE + "/x", "myfile:" + BASE + "/x.bin", ":" + BASE + "/x.bin",
        "123 " + BASE + "/x.bin", "just-a-name.txt")) {
      assertThrows(DriveException.class, () -> openList(bad), bad);
      assertThrows(DriveException.class, () -> strict(bad), bad);
    }
  }

  @Test
  void providerOption_strict() {
    Link123Provider p = new Link123Provider();
    assertEquals(LinkTree.Reading.OPENLIST, p.parse(Map.of("tree", "1694101621:" + BASE + "/big.iso")).reading());
    Link123Config c = p.parse(Map.of("tree", "1694101621:" + BASE + "/big.iso", "strict", "true"));
    assertEquals(LinkTree.Reading.STRICT, c.reading());
    assertThrows(DriveException.class, () -> p.parse(Map.of("tree", "a:\n\t" + BASE + "/x.bin", "strict", "true")));
    assertEquals(LinkTree.Reading.OPENLIST, p.parse(Map.of("tree", "a:\n\t" + BASE + "/x.bin")).reading());
  }
}
