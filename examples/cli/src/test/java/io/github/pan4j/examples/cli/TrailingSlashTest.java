package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ls} prints folders as {@code photos/} and shells complete folders with a '/', so the
 * commands that take a folder take it written so ({@code put} and {@code mv} already did); a file
 * written with a '/' is not a folder.
 */
class TrailingSlashTest {
  @TempDir Path dir;
  Drive drive;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    drive = Drives.open("memory");
    cli = new CliRunner(dir);
    cli.drive = drive;
    drive.mkdirs("/Demo/photos");
    drive.put("/Demo/readme.txt", "read me\n".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    drive.close();
  }

  @Test
  void folderWithTrailingSlash_worksLikeWithout() {
    assertEquals(cli.run("ls", "/Demo").out(), cli.run("ls", "/Demo/").out());
    assertEquals(0, cli.run("ls", "/Demo/").code());
    assertEquals(cli.run("tree", "/Demo").out(), cli.run("tree", "/Demo/").out());
    assertEquals(cli.run("stat", "/Demo").out(), cli.run("stat", "/Demo/").out());
    var mkdir = cli.run("mkdir", "-p", "/Demo/a/b/");
    assertEquals(0, mkdir.code(), mkdir::toString);
    assertEquals("/Demo/a/b\n", mkdir.out());
    assertEquals(0, cli.run("mkdir", "/Demo/c/").code());
    assertTrue(drive.exists("/Demo/c"));
    var rm = cli.run("rm", "-r", "/Demo/a/");
    assertEquals(0, rm.code(), rm::toString);
    assertFalse(drive.exists("/Demo/a"));
  }

  @Test
  void fileWithTrailingSlash_isNotAFolder() {
    for (String command : new String[] {"ls", "tree", "stat", "rm"}) {
      var r = cli.run(command, "/Demo/readme.txt/");
      assertEquals(1, r.code(), r::toString);
      assertTrue(r.err().contains("/Demo/readme.txt is a file, not a folder"), r::toString);
    }
    assertTrue(drive.exists("/Demo/readme.txt"));
  }
}
