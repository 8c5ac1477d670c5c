package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.testkit.fake.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pan4j trash ls|restore|purge} as a user types them, against the fake cloud over HTTP (123open and 123pan). */
class TrashCommandTest {
  @TempDir Path dir;
  DemoCloud dc;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    dc = new DemoCloud(0);
    cli = new CliRunner(dir);
  }

  @AfterEach
  void tearDown() {
    dc.close();
  }

  private CliRunner.Result open(String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--driver", "123open", "--opt", "clientId=demo-client", "--opt", "clientSecret=demo-secret",
        "--opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--state-dir", dir.resolve("state").toString()));
    return cli.run(a.toArray(String[]::new));
  }

  private CliRunner.Result web(String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--driver", "123pan", "--state-dir", dir.resolve("state-web").toString()));
    for (Map.Entry<String, String> o : dc.options().get("123pan").entrySet()) a.addAll(List.of("--opt", o.getKey() + "=" + o.getValue()));
    return cli.run(a.toArray(String[]::new));
  }

  private Node node(String path) {
    return dc.cloud.store().resolve(dc.account.uid(), path).orElseThrow(() -> new AssertionError("no " + path));
  }

  @Test
  void ls_showsRemovedEntries_textAndJson() throws Exception {
    long readme = node("/Demo/readme.txt").id();
    assertEquals(0, open("rm", "/Demo/readme.txt").code());
    var r = open("trash", "ls");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith(readme + " "), r::toString);
    assertTrue(r.out().trim().endsWith("readme.txt"), r::toString);
    assertTrue(r.err().contains("1 entry in the trash"), r::toString);

    r = open("trash", "ls", "--json");
    assertEquals(0, r.code(), r::toString);
    JsonNode a = Json.mapper().readTree(r.out());
    assertEquals(1, a.size());
    assertEquals(Long.toString(readme), a.get(0).get("id").asText());
    assertEquals("readme.txt", a.get(0).get("name").asText());
    assertEquals("file", a.get(0).get("type").asText());
    assertEquals(Long.toString(dc.demoFolder.id()), a.get(0).get("originalParentId").asText());
    assertTrue(a.get(0).get("trashedAt").isNull(), "the open API gives no trashed time");
  }

  @Test
  void restore_byName_putsItBack() {
    open("rm", "/Demo/readme.txt");
    var r = open("trash", "restore", "readme.txt");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("restored  "), r::toString);
    assertEquals(0, open("stat", "/Demo/readme.txt").code());
  }

  @Test
  void restore_orphan_withoutTo_exits1AndSaysUseTo_thenWithToJson() throws Exception {
    assertEquals(0, open("mkdir", "/keep").code());
    long photos = node("/Demo/photos").id();
    Node inside = dc.cloud.store().children(dc.account.uid(), photos, false).get(0);
    open("rm", "/Demo/photos/" + inside.name());
    open("rm", "-r", "/Demo/photos");
    var r = open("trash", "restore", Long.toString(inside.id()));
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.err().contains("not restored") && r.err().contains("--to FOLDER"), r::toString);

    r = open("trash", "restore", Long.toString(inside.id()), "--to", "/keep", "--json");
    assertEquals(0, r.code(), r::toString);
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(Long.toString(inside.id()), j.get("relocated").get(0).asText());
    assertEquals(0, j.get("notRestored").size());
    assertEquals(0, open("stat", "/keep/" + inside.name()).code());
  }

  @Test
  void restore_unknownName_isUsageError() {
    var r = open("trash", "restore", "no-such-thing");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("nothing named 'no-such-thing' in the trash"), r::toString);
  }

  @Test
  void purge_withoutForce_refusesAndDeletesNothing() {
    long readme = node("/Demo/readme.txt").id();
    open("rm", "/Demo/readme.txt");
    var r = open("trash", "purge", Long.toString(readme), "99999999");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("add --force to confirm (would purge: " + readme + " readme.txt); not in the trash"
        + " (see pan4j trash ls): 99999999"), r::toString);
    assertTrue(dc.cloud.store().node(dc.account.uid(), readme).isPresent());
    assertTrue(dc.cloud.requests("open", "/api/v1/file/delete").isEmpty(), "nothing sent");
  }

  @Test
  void purge_force_deletesForGood_andLiveEntryIsRefusedWithExit2() {
    long readme = node("/Demo/readme.txt").id();
    long photos = node("/Demo/photos").id();
    open("rm", "/Demo/readme.txt");
    var r = open("trash", "purge", "--force", Long.toString(readme), Long.toString(photos));
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("not in the trash"), r::toString);
    assertTrue(dc.cloud.store().node(dc.account.uid(), readme).isPresent(), "nothing deleted");

    r = open("trash", "purge", "-f", Long.toString(readme), "--json");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("\"purged\""), r::toString);
    assertFalse(dc.cloud.store().node(dc.account.uid(), readme).isPresent());
    assertEquals("", open("trash", "ls").out());
  }

  @Test
  void unknownAction_isUsage() {
    var r = open("trash", "empty");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("use ls, restore or purge"), r::toString);
  }

  @Test
  void web_lsRestorePurge() throws Exception {
    long readme = node("/Demo/readme.txt").id();
    assertEquals(0, web("rm", "/Demo/readme.txt").code());
    var r = web("trash", "ls", "--json");
    assertEquals(0, r.code(), r::toString);
    JsonNode a = Json.mapper().readTree(r.out());
    assertEquals(Long.toString(readme), a.get(0).get("id").asText());
    assertFalse(a.get(0).get("trashedAt").isNull(), "the web API gives the trashed time");
    assertEquals(0, web("trash", "restore", Long.toString(readme)).code());
    assertEquals(0, web("stat", "/Demo/readme.txt").code());
    web("rm", "/Demo/readme.txt");
    r = web("trash", "purge", "--force", Long.toString(readme));
    assertEquals(0, r.code(), r::toString);
    assertFalse(dc.cloud.store().node(dc.account.uid(), readme).isPresent());
  }

  @Test
  void memory_lsIsEmptyThenListsFolder() {
    cli.drive = io.github.pan4j.core.Drives.open("memory");
    try {
      cli.drive.mkdirs("/a/b");
      assertEquals("", cli.run("trash", "ls").out());
      cli.drive.remove("/a/b");
      var r = cli.run("trash", "ls");
      assertEquals(0, r.code(), r::toString);
      assertTrue(r.out().trim().endsWith("b/"), r::toString);
    } finally {
      cli.drive.close();
    }
  }
}
