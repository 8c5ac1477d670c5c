package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements in the docs that no block can run (a real account would be needed) but that the code
 * can check: each is asserted against the behaviour, or the doc against what the code does.
 */
class DocsFactsTest {
  @TempDir Path dir;
  final Path root = DocsProjectTest.DocsTestRoot.find();

  private String doc(String path) throws Exception {
    return Files.readString(root.resolve(path));
  }

  /**
   * A UTF-8 continuation byte (0x80 to 0xBF) as a misreading shows it: Latin-1 gives U+0080 to
   * U+00BF, Windows-1252 (what most Windows tools assume) gives its own characters for 0x80 to 0x9F
   * ({@code \u20ac}, the curly quotes, the dashes, …).
   */
  private static final String CONTINUATION = "[\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
      + "\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]";
  /**
   * Double-encoded UTF-8: a C1 control, or the lead byte of a 2-byte (U+0080 to U+00FF) or 3-byte
   * (U+2000 to U+9FFF: punctuation and CJK) sequence followed by its continuation bytes, misread
   * as Latin-1 or as Windows-1252.
   */
  static final java.util.regex.Pattern MOJIBAKE = java.util.regex.Pattern.compile(
      "[\u0080-\u009f]|[\u00c2\u00c3]" + CONTINUATION + "|[\u00e2-\u00e9]" + CONTINUATION + "{2}");

  /** Both misreadings of UTF-8 are caught, and the characters they come from are not. */
  @Test
  void mojibakeCheck_catchesLatin1AndWindows1252Misreadings_notTheTextItself() {
    String text = "\u00a7 \u2013 \u2014 \u201c\u201d \u79d2\u4f20 caf\u00e9 \u00fcber \u00d7 \u00b7 \u2026";
    assertFalse(MOJIBAKE.matcher(text).find(), text);
    for (java.nio.charset.Charset misread : java.util.List.of(java.nio.charset.StandardCharsets.ISO_8859_1,
        java.nio.charset.Charset.forName("windows-1252"))) {
      for (String s : new String[] {"\u00a7", "\u2013", "\u201c", "\u79d2\u4f20", "\u00e9"}) {
        String bad = new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), misread);
        assertTrue(MOJIBAKE.matcher(bad).find(), s + " misread as " + misread + ": " + bad);
      }
    }
  }

  /**
   * UTF-8 read as Latin-1 and written back as UTF-8 turns "\u00a7" into "\u00c2\u00a7", "\u2013" into
   * "\u00e2\u0080\u0093" and "\u79d2" into "\u00e7\u00a7\u0092"; a doc or a Javadoc edited through such
   * a tool reads as garbage; read as Windows-1252 instead, "\u2013" becomes "\u00e2\u20ac\u201c" and
   * "\u79d2" "\u00e7\u00a7\u2019". No doc and no source file should contain those sequences
   * ({@link #MOJIBAKE}), nor any C1 control character (U+0080 to U+009F), which only such a round
   * trip puts into text.
   */
  @Test
  void docsAndSources_haveNoDoubleEncodedUtf8() throws Exception {
    java.util.List<Path> files;
    java.util.Set<String> kinds = java.util.Set.of("md", "java", "jte", "jsh", "properties", "html", "js", "css", "sh", "xml");
    try (var s = Files.walk(root)) {
      files = new java.util.ArrayList<>(s.filter(Files::isRegularFile)
          .filter(p -> {
            String rel = root.relativize(p).toString().replace('\\', '/');
            String name = p.getFileName().toString();
            String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
            return kinds.contains(ext) && !rel.startsWith(".git/") && !rel.contains("/target/")
                && !rel.startsWith("target/") && !rel.contains("node_modules/");
          }).toList());
    }
    assertTrue(files.stream().anyMatch(p -> p.endsWith("README.md")), "found the README: " + files.size() + " files");
    assertTrue(files.stream().anyMatch(p -> p.toString().endsWith("Capability.java")), "found the sources");
    for (Path p : files) {
      String text = Files.readString(p);
      var m = MOJIBAKE.matcher(text);
      assertFalse(m.find(), () -> p + " has double-encoded UTF-8 near: " + text.substring(Math.max(0, m.start() - 30),
          Math.min(text.length(), m.end() + 30)));
    }
  }

  @Test
  void readme_listsPrerequisites_andEmbedsWithAPersistentTokenStore() throws Exception {
    String readme = doc("README.md");
    String top = readme.substring(0, readme.indexOf("```"));
    assertTrue(top.contains("JDK 17") && top.contains("Maven 3.8") && top.contains("network"), top);
    String embedding = readme.substring(readme.indexOf("## Embedding"), readme.indexOf("## The file-browser host"));
    assertTrue(embedding.contains("FileTokenStore") && embedding.contains(", context)"),
        "the embedding example keeps tokens on disk (123 allows 3 live tokens per client id)");
  }

  @Test
  void share123_statWorks_asTheDocNowSays() throws Exception {
    assertFalse(doc("docs/drivers/123share.md").contains("No stat"));
    try (DemoCloud dc = new DemoCloud(0)) {
      Map<String, String> o = dc.options().get("123share");
      CliRunner cli = new CliRunner(dir);
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("stat", "/notes.md", "--driver", "123share"));
      o.forEach((k, v) -> args.addAll(java.util.List.of("--opt", k + "=" + v)));
      var r = cli.run(args.toArray(String[]::new));
      assertEquals(0, r.code(), r::toString);
      assertTrue(r.out().contains("path:     /notes.md"), r::toString);
    }
  }

  @Test
  void open123_memoryClaim_isTheStreamedOne_andTokenSourcesAreDocumented() throws Exception {
    String open = doc("docs/drivers/123open.md");
    assertFalse(open.contains("Heap used by an upload is about"), "slices are streamed; heap does not grow with threads × slice");
    assertTrue(open.contains("Where to get one") && open.contains("To find it"), "accessToken and rootFolderId sources");
    assertTrue(doc("docs/drivers/123share.md").contains("tokens.json"), "where 123share's web token comes from");
    String fake = doc("docs/testing/fake-123open.md");
    assertTrue(fake.contains("Where they differ"), "the fake's rate table says how it differs from the driver's");
  }
}
