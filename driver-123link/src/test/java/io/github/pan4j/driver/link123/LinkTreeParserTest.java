package io.github.pan4j.driver.link123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict reading of tree texts ({@link LinkTree.Reading#STRICT}), line by line. */
class LinkTreeParserTest {
  private static LinkTree parse(String text) {
    return LinkTree.parse(text, LinkTree.Reading.STRICT, Instant.EPOCH);
  }

  private static final String BASE = "https://vip.123pan.cn/1812345678";

  @Test
  void parse_documentedExample_buildsTreeWithSummedFolderSize() {
    LinkTree tree = parse(String.join("\n",
        "folder1:",
        "  127451136:1694101621:" + BASE + "/a/linux%20qq.deb",
        "  134847488:" + BASE + "/a/b.deb",
        "  sub:",
        "    " + BASE + "/a/%E4%B8%AD%E6%96%87.mp4?x=1",
        "  " + BASE + "/a/c.iso",
        BASE + "/top.txt"));

    assertEquals(List.of("folder1", "top.txt"), names(tree, "/"));
    assertEquals(List.of("linux qq.deb", "b.deb", "sub", "c.iso"), names(tree, "/folder1"));
    Entry folder = tree.entry("/folder1").orElseThrow();
    assertTrue(folder.folder());
    assertEquals(262298624L, folder.size());
    assertNull(folder.modified());
    Entry qq = tree.entry("/folder1/linux qq.deb").orElseThrow();
    assertEquals(127451136L, qq.size());
    assertEquals(Instant.ofEpochSecond(1694101621), qq.modified());
    assertEquals("/folder1", qq.parentId());
    Entry b = tree.entry("/folder1/b.deb").orElseThrow();
    assertEquals(134847488L, b.size());
    assertNull(b.modified(), "a size-only line has no modification time (OpenList invents 'now')");
    assertEquals(List.of("中文.mp4"), names(tree, "/folder1/sub"));
    assertEquals(0, tree.entry("/folder1/c.iso").orElseThrow().size());
    assertEquals("false", tree.entry("/folder1/c.iso").orElseThrow().extras().get("sizeKnown"));
    assertEquals(5, tree.fileCount());
    assertEquals(2, tree.folderCount());
    assertEquals(262298624L, tree.totalSize());
  }

  @Test
  void parse_oddIndentation_namesLineNumber() {
    DriveException e = invalid("a:\n   " + BASE + "/x.bin");
    assertTrue(e.getMessage().contains("line 2: indented by 3 spaces, which is not a multiple of 2"), e.getMessage());
  }

  @Test
  void parse_nameBeforeUrl_isRejectedAsSizeNotANumber() {
    DriveException e = invalid("\nmyfile:" + BASE + "/x.bin");
    assertTrue(e.getMessage().contains("line 2: size 'myfile' is not a number of bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("takes its name from the URL"), e.getMessage());
  }

  @Test
  void parse_colonWithoutInfo_isRejected() {
    DriveException e = invalid(":" + BASE + "/x.bin");
    assertTrue(e.getMessage().contains("line 1: ':' before the URL but no size or timestamp"), e.getMessage());
  }

  @Test
  void parse_infoNotEndingInColon_isRejected() {
    DriveException e = invalid("123 " + BASE + "/x.bin");
    assertTrue(e.getMessage().contains("line 1: the text before the URL ('123 ') must end with ':'"), e.getMessage());
  }

  @Test
  void parse_fileLineWithoutUrl_isRejected() {
    DriveException e = invalid("folder:\n  just-a-name.txt");
    assertTrue(e.getMessage().contains("line 2: 'just-a-name.txt' is neither a folder"), e.getMessage());
  }

  @Test
  void parse_modifiedNotATimestamp_isRejected() {
    assertTrue(invalid("12:yesterday:" + BASE + "/x.bin").getMessage()
        .contains("line 1: modified 'yesterday' is not a Unix timestamp"));
    assertTrue(invalid("12:1694101621000:" + BASE + "/x.bin").getMessage()
        .contains("it looks like milliseconds"));
  }

  @Test
  void parse_negativeSizeOrTooManyFields_isRejected() {
    assertTrue(invalid("-5:" + BASE + "/x.bin").getMessage().contains("line 1: size '-5' is not a number of bytes"));
    assertTrue(invalid("1:2:3:" + BASE + "/x.bin").getMessage().contains("line 1: '1:2:3:' has 3 fields before the URL"));
  }

  @Test
  void parse_queryString_isNotPartOfName() {
    LinkTree tree = parse(BASE + "/v/movie.mp4?x=1&a=2");
    Entry e = tree.entry("/movie.mp4").orElseThrow();
    assertEquals("movie.mp4", e.name());
    assertEquals(BASE + "/v/movie.mp4?x=1&a=2", e.extras().get("originUrl"), "the URL keeps its query");
  }

  @Test
  void parse_percentEncodedName_isDecodedPlusKept() {
    LinkTree tree = parse(String.join("\n",
        BASE + "/d/a%20b+c.txt",
        BASE + "/d/%E6%88%91.txt",
        BASE + "/d/raw 中文 name.txt"));
    assertEquals(List.of("a b+c.txt", "我.txt", "raw 中文 name.txt"), names(tree, "/"));
  }

  @Test
  void parse_sizeOnlyLine_hasSizeAndNoModified() {
    Entry e = parse("1048576:" + BASE + "/x.bin").entry("/x.bin").orElseThrow();
    assertEquals(1048576L, e.size());
    assertNull(e.modified());
  }

  @Test
  void parse_loneTenDigitNumber_isTheDocumentedTimestampForm() {
    Entry e = parse("1694101621:" + BASE + "/x.AppImage").entry("/x.AppImage").orElseThrow();
    assertEquals(Instant.ofEpochSecond(1694101621), e.modified());
    assertEquals(0, e.size());
    assertEquals("false", e.extras().get("sizeKnown"));
  }

  @Test
  void parse_emptyFields_disambiguateSizeAndTimestamp() {
    LinkTree tree = parse(String.join("\n",
        "2147483648::" + BASE + "/big.mkv",
        ":1694101621:" + BASE + "/dated.txt",
        "999999999:" + BASE + "/nine-digits.bin",
        "12345678901:" + BASE + "/eleven-digits.bin"));
    Entry big = tree.entry("/big.mkv").orElseThrow();
    assertEquals(2147483648L, big.size());
    assertNull(big.modified());
    Entry dated = tree.entry("/dated.txt").orElseThrow();
    assertEquals(Instant.ofEpochSecond(1694101621), dated.modified());
    assertEquals(999999999L, tree.entry("/nine-digits.bin").orElseThrow().size());
    assertEquals(12345678901L, tree.entry("/eleven-digits.bin").orElseThrow().size());
    assertTrue(invalid("::" + BASE + "/x.bin").getMessage().contains("line 1: '::' before the URL gives neither"));
  }

  @Test
  void parse_levelJump_attachesToNearestFolderAbove() {
    LinkTree tree = parse(String.join("\n",
        "a:",
        "      " + BASE + "/deep.bin",
        "  b:",
        "    " + BASE + "/inb.bin",
        BASE + "/top.bin",
        "    " + BASE + "/jumped-at-root.bin"));
    assertEquals(List.of("deep.bin", "b"), names(tree, "/a"));
    assertEquals(List.of("inb.bin"), names(tree, "/a/b"));
    assertEquals(List.of("a", "top.bin", "jumped-at-root.bin"), names(tree, "/"));
  }

  @Test
  void parse_tabIndentation_isRefusedWithLineNumber() {
    DriveException e = invalid("a:\n\t" + BASE + "/x.bin");
    assertTrue(e.getMessage().contains("line 2: indentation contains a tab"), e.getMessage());
    DriveException e2 = invalid("a:\n  \t" + BASE + "/x.bin");
    assertTrue(e2.getMessage().contains("line 2: indentation contains a tab"), e2.getMessage());
    DriveException e3 = invalid("a:\n\u3000\u3000" + BASE + "/x.bin");
    assertTrue(e3.getMessage().contains("line 2: indentation contains a character other than a space (U+3000)"),
        e3.getMessage());
  }

  @Test
  void parse_crlfAndBomAndBlankLines_areAccepted() {
    LinkTree tree = parse("\uFEFFa:\r\n\r\n  12:" + BASE + "/x.bin\r\n  \t\r\n" + BASE + "/y.bin\r\n");
    assertEquals(List.of("a", "y.bin"), names(tree, "/"));
    assertEquals(12, tree.entry("/a/x.bin").orElseThrow().size());
  }

  @Test
  void parse_duplicateName_isRefusedWithBothLines() {
    DriveException e = invalid(String.join("\n",
        "a:",
        "  " + BASE + "/one/x.bin",
        "  " + BASE + "/two/x.bin"));
    assertTrue(e.getMessage().contains("line 3: 'x.bin' appears twice in folder /a (first on line 2)"), e.getMessage());
    DriveException f = invalid("a:\n  " + BASE + "/x.bin\na:\n  " + BASE + "/y.bin");
    assertTrue(f.getMessage().contains("line 3: 'a' appears twice in the root folder (first on line 1)"), f.getMessage());
    assertFalse(f.getMessage().contains("line 4"), "children of a rejected folder raise no follow-on errors");
  }

  @Test
  void parse_folderNameWithColon_keepsAllButTheLastColon() {
    LinkTree tree = parse("a:b:\n  " + BASE + "/x.bin");
    assertEquals(List.of("a:b"), names(tree, "/"));
    assertEquals(List.of("x.bin"), names(tree, "/a:b"));
  }

  @Test
  void parse_urlWithoutFileName_isRejected() {
    assertTrue(invalid(BASE + "/folder/").getMessage().contains("ends without a file name"));
    assertTrue(invalid("a/b:").getMessage().contains("line 1: the folder name 'a/b' contains '/'"));
    assertTrue(invalid(BASE + "/a%2Fb.txt").getMessage().contains("line 1: the file name 'a/b.txt' contains '/'"));
  }

  @Test
  void parse_emptyTree_isRejected() {
    assertTrue(invalid("\n  \n").getMessage().contains("the tree is empty"));
  }

  @Test
  void parse_manyProblems_areReportedTogether() {
    DriveException e = invalid(String.join("\n",
        "a:",
        "   " + BASE + "/odd.bin",
        "  x:" + BASE + "/bad-size.bin",
        "  " + BASE + "/fine.bin"));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertEquals("123link", e.driverId().orElseThrow());
    assertTrue(e.getMessage().contains("line 2:"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3:"), e.getMessage());
    assertFalse(e.getMessage().contains("line 4:"), e.getMessage());
  }

  @Test
  void parse_ids_areAbsolutePaths() {
    LinkTree tree = parse("a:\n  b:\n    " + BASE + "/x%20y.bin");
    Entry e = tree.entry("/a/b/x y.bin").orElseThrow();
    assertEquals("/a/b/x y.bin", e.id());
    assertEquals("/a/b", e.parentId());
    assertEquals("/", tree.entry("/a").orElseThrow().parentId());
    assertTrue(tree.entry("/").orElseThrow().folder());
    assertTrue(tree.entry("/nope").isEmpty());
    assertTrue(tree.children("/a/b/x y.bin").isEmpty());
  }

  private static List<String> names(LinkTree tree, String path) {
    return tree.children(path).stream().map(Entry::name).toList();
  }

  private static DriveException invalid(String text) {
    DriveException e = assertThrows(DriveException.class, () -> parse(text));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    return e;
  }
}
