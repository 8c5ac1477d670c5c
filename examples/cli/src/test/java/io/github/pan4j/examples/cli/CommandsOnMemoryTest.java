package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.internal.http.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every storage command against the memory driver (one drive shared by the runs of a test). */
class CommandsOnMemoryTest {
  @TempDir Path dir;
  CliRunner cli;
  Drive drive;

  @BeforeEach
  void setUp() {
    drive = Drives.open("memory");
    cli = new CliRunner(dir);
    cli.drive = drive;
    drive.mkdirs("/docs/2024");
    drive.put("/docs/notes.txt", "hello notes\n".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    drive.close();
  }

  @Test
  void ls_root_namesWithSlashForFolders() {
    var r = cli.run("ls");
    assertEquals(0, r.code(), r::toString);
    assertEquals("docs/\n", r.out());
    assertEquals("2024/\nnotes.txt\n", cli.run("ls", "/docs").out());
  }

  @Test
  void ls_long_showsTypeSizeAndName() {
    var r = cli.run("ls", "-l", "/docs");
    assertEquals(0, r.code(), r::toString);
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].startsWith("d ") && lines[0].endsWith(" 2024/"), r::toString);
    assertTrue(lines[1].startsWith("- ") && lines[1].contains("12 B") && lines[1].endsWith(" notes.txt"), r::toString);
  }

  @Test
  void ls_json_isAnArrayOfEntries() throws Exception {
    var r = cli.run("ls", "--json", "/docs");
    assertEquals(0, r.code(), r::toString);
    JsonNode a = Json.mapper().readTree(r.out());
    assertTrue(a.isArray());
    assertEquals(2, a.size());
    JsonNode f = a.get(1);
    assertEquals("notes.txt", f.get("name").asText());
    assertEquals("/docs/notes.txt", f.get("path").asText());
    assertEquals("file", f.get("type").asText());
    assertEquals(12, f.get("size").asLong());
    assertEquals(32, f.get("md5").asText().length());
    for (String key : new String[] {"id", "parentId", "modified", "created", "sha1", "extras"}) assertTrue(f.has(key), key);
    assertEquals("folder", a.get(0).get("type").asText());
  }

  @Test
  void newUserMistakes_sayWhichCommandFailedAndWhatToDo() throws Exception {
    var ls = cli.run("ls", "/nope");
    assertTrue(ls.err().startsWith("pan4j: memory: ls /nope: "), ls::toString);
    var tree = cli.run("tree", "/nope");
    assertTrue(tree.err().startsWith("pan4j: memory: tree /nope: "), tree::toString);

    var file = cli.run("tree", "/docs/notes.txt");
    assertEquals(0, file.code(), file::toString);
    assertEquals("/docs/notes.txt  (12 B)\n0 folders, 1 file\n", file.out());

    Path local = Files.writeString(dir.resolve("up.txt"), "up");
    var put = cli.run("put", local.toString(), "/NoFolder/up.txt");
    assertEquals(3, put.code(), put::toString);
    assertTrue(put.err().contains("the folder /NoFolder does not exist (create it first: pan4j mkdir -p /NoFolder)"), put::toString);
    var intoFile = cli.run("put", local.toString(), "/docs/notes.txt/up.txt");
    assertTrue(intoFile.err().startsWith("pan4j: memory: put /docs/notes.txt/up.txt: '/docs/notes.txt' is a file, not a folder"),
        intoFile::toString);
    assertEquals("2024/\nnotes.txt\n", cli.run("ls", "/docs").out(), "nothing was stored");
  }

  @Test
  void ls_missing_exit3WithMessage() {
    var r = cli.run("ls", "/nope");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().startsWith("pan4j: memory: "), r::toString);
    assertTrue(r.err().contains("/nope"), r::toString);
    assertEquals("", r.out());
  }

  @Test
  void tree_showsEverythingIndented() {
    drive.put("/docs/2024/a.bin", new byte[3]);
    var r = cli.run("tree", "/docs");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/docs\n  2024/\n    a.bin  (3 B)\n  notes.txt  (12 B)\n1 folder, 2 files\n", r.out());
  }

  @Test
  void stat_plainAndJson() throws Exception {
    var r = cli.run("stat", "/docs/notes.txt");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("path:     /docs/notes.txt\n") && r.out().contains("type:     file\n"), r::toString);
    JsonNode j = Json.mapper().readTree(cli.run("stat", "--json", "/docs").out());
    assertEquals("folder", j.get("type").asText());
    assertEquals("/docs", j.get("path").asText());
  }

  @Test
  void link_printsUrl() {
    var r = cli.run("link", "/docs/notes.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals(1, r.out().lines().count(), r::toString);
    assertFalse(r.out().isBlank());
  }

  @Test
  void get_toFileInFolder_andToStdout() throws Exception {
    var r = cli.run("get", "/docs/notes.txt", ".");
    assertEquals(0, r.code(), r::toString);
    assertEquals("hello notes\n", Files.readString(cli.cwd.resolve("notes.txt")));
    r = cli.run("get", "/docs/notes.txt", "-");
    assertEquals(0, r.code(), r::toString);
    assertEquals("hello notes\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void get_folder_exit1() {
    var r = cli.run("get", "/docs");
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.err().contains("is a folder"), r::toString);
  }

  @Test
  void put_fileIntoFolder_thenClashExit4_thenOverwrite() throws Exception {
    Path f = cli.cwd.resolve("data.bin");
    Files.write(f, new byte[] {1, 2, 3, 4});
    var r = cli.run("put", "data.bin", "/docs/");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/docs/data.bin\n", r.out());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, read("/docs/data.bin"));
    assertEquals(4, cli.run("put", "data.bin", "/docs").code());
    Files.write(f, new byte[] {9});
    assertEquals(0, cli.run("put", "--overwrite", "data.bin", "/docs/data.bin").code());
    assertArrayEquals(new byte[] {9}, read("/docs/data.bin"));
  }

  @Test
  void put_stdin_storesBytes() {
    cli.stdin = "from stdin".getBytes(StandardCharsets.UTF_8);
    var r = cli.run("put", "-", "/docs/in.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals("from stdin", new String(read("/docs/in.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void put_missingLocalFile_exit3() {
    var r = cli.run("put", "nope.txt", "/docs/");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().contains("no such local file"), r::toString);
  }

  @Test
  void mkdir_withoutParents_needsParentAndRefusesExisting() {
    assertEquals(0, cli.run("mkdir", "/docs/new").code());
    assertTrue(drive.stat("/docs/new").folder());
    assertEquals(4, cli.run("mkdir", "/docs/new").code());
    assertEquals(3, cli.run("mkdir", "/a/b/c").code());
    var r = cli.run("mkdir", "-p", "/a/b/c");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/a/b/c\n", r.out());
    assertEquals(0, cli.run("mkdir", "-p", "/a/b/c").code());
  }

  @Test
  void mv_intoFolder_andToNewPath() {
    var r = cli.run("mv", "/docs/notes.txt", "/docs/2024");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/docs/2024/notes.txt\n", r.out());
    r = cli.run("mv", "/docs/2024/notes.txt", "/renamed.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/renamed.txt\n", r.out());
    assertTrue(drive.exists("/renamed.txt"));
    assertFalse(drive.exists("/docs/2024/notes.txt"));
  }

  @Test
  void rename_keepsFolder() {
    var r = cli.run("rename", "/docs/notes.txt", "readme.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/docs/readme.txt\n", r.out());
    assertEquals(4, cli.run("rename", "/docs/readme.txt", "2024").code());
  }

  @Test
  void rm_folderNeedsRecursive() {
    var r = cli.run("rm", "/docs");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("rm -r"), r::toString);
    assertEquals(0, cli.run("rm", "-r", "/docs").code());
    assertFalse(drive.exists("/docs"));
    assertEquals(3, cli.run("rm", "/docs/notes.txt").code());
  }

  @Test
  void quota_showsUsedAndJson() throws Exception {
    var r = cli.run("quota");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("used:  12 B (12 bytes)\n"), r::toString);
    JsonNode j = Json.mapper().readTree(cli.run("quota", "--json").out());
    assertEquals(12, j.get("usedBytes").asLong());
    assertTrue(j.get("freeBytes").isNull());
  }

  @Test
  void badPath_exit2() {
    var r = cli.run("ls", "docs");
    assertEquals(2, r.code(), r::toString);
  }

  @Test
  void unknownCommandOrFlag_exit2WithHint() {
    var r = cli.run("frobnicate");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown command 'frobnicate'") && r.err().contains("pan4j help"), r::toString);
    assertEquals(2, cli.run("ls", "--overwrite").code());
    assertEquals(2, cli.run("stat").code());
  }

  @Test
  void versionAndCompletion() {
    assertEquals("pan4j " + Cli.VERSION + "\n", cli.run("--version").out());
    assertEquals("pan4j " + Cli.VERSION + "\n", cli.run("version").out());
    var bash = cli.run("completion", "bash");
    assertEquals(0, bash.code(), bash::toString);
    assertTrue(bash.out().contains("complete -F") && bash.out().contains("mkdir") && bash.out().contains("--keep-both"), bash::toString);
    var zsh = cli.run("completion", "zsh");
    assertTrue(zsh.out().startsWith("autoload -U +X compinit") && zsh.out().contains("bashcompinit"), zsh::toString);
    assertEquals(2, cli.run("completion", "fish").code());
  }

  @Test
  void helpForACommand_isGenerated() {
    var r = cli.run("help", "put");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("Usage: pan4j put") && r.out().contains("--keep-both") && r.out().contains("--driver=ID"), r::toString);
    r = cli.run("put", "--help");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("Usage: pan4j put"), r::toString);
  }

  @Test
  void help_exit0() {
    var r = cli.run("help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Exit codes"));
    assertEquals(2, cli.run().code());
  }

  private byte[] read(String path) {
    var out = new java.io.ByteArrayOutputStream();
    drive.get(path, out);
    return out.toByteArray();
  }
}
