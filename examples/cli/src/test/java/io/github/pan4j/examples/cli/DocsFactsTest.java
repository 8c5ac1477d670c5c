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
   * UTF-8 read as Latin-1 and written back as UTF-8 turns "§" into "Â§" and "–" into "â€“"; a
   * doc edited through such a tool reads as garbage. No doc should contain those sequences.
   */
  @Test
  void docs_haveNoDoubleEncodedUtf8() throws Exception {
    java.util.List<Path> docs;
    try (var s = Files.walk(root.resolve("docs"))) {
      docs = new java.util.ArrayList<>(s.filter(p -> p.toString().endsWith(".md")).toList());
    }
    docs.add(root.resolve("README.md"));
    assertTrue(docs.size() > 10, "found the docs: " + docs);
    java.util.regex.Pattern mojibake = java.util.regex.Pattern.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u0080");
    for (Path p : docs) {
      String text = Files.readString(p);
      var m = mojibake.matcher(text);
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
