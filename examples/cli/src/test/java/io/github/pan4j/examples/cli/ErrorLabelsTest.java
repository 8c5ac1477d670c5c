package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An error names the command the user typed, not the drive call the command began with. */
class ErrorLabelsTest {
  @TempDir Path dir;

  @Test
  void getAndRmOfAMissingPath_nameGetAndRm() {
    try (Drive drive = Drives.open("memory")) {
      CliRunner cli = new CliRunner(dir);
      cli.drive = drive;
      drive.mkdirs("/x");
      for (String command : new String[] {"get", "rm", "ls", "tree"}) {
        var r = cli.run(command, "/x/nope.txt");
        assertEquals(3, r.code(), r::toString);
        assertEquals("pan4j: memory: " + command + " /x/nope.txt: no entry 'nope.txt' in '/x'\n", r.err(), command);
      }
    }
  }
}
