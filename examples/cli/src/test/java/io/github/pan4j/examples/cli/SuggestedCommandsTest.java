package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command an error message suggests can be pasted into a shell as it stands, also for names
 * with spaces, quotes or Chinese characters (123's own names are often Chinese).
 */
class SuggestedCommandsTest {
  @TempDir Path dir;

  @Test
  void putIntoMissingFolder_suggestedMkdir_isOneShellWordPerArgument() throws Exception {
    try (Drive drive = Drives.open("memory")) {
      CliRunner cli = new CliRunner(dir);
      cli.drive = drive;
      Files.writeString(cli.cwd.resolve("a.txt"), "a");
      var r = cli.run("put", "a.txt", "/Demo/新 文件夹/it's/");
      assertEquals(3, r.code(), r::toString);
      String err = r.err();
      int at = err.indexOf("create it first: ");
      assertTrue(at >= 0, err);
      String suggestion = err.substring(at + "create it first: ".length(), err.lastIndexOf(')'));
      assertEquals(List.of("pan4j", "mkdir", "-p", "/Demo/新 文件夹/it's"), shellWords(suggestion), err);
    }
  }

  @Test
  void putAFolderWithASpace_suggestedLoop_globsThatFolder() throws Exception {
    try (Drive drive = Drives.open("memory")) {
      CliRunner cli = new CliRunner(dir);
      cli.drive = drive;
      Files.createDirectories(cli.cwd.resolve("my photos"));
      var r = cli.run("put", "my photos", "/新 相册");
      assertEquals(2, r.code(), r::toString);
      assertTrue(r.err().contains("for f in 'my photos/'*; do pan4j put \"$f\" '/新 相册/'; done"), r::toString);
    }
  }

  /** The words bash makes of {@code line}. */
  private List<String> shellWords(String line) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "for w in " + line + "; do printf '%s\\n' \"$w\"; done")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return out.lines().toList();
  }
}
