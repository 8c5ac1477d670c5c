package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local name Java cannot turn into a path (in a POSIX locale: any Chinese name) is the user's
 * to fix, not a bug: a usage error that says why, not "unexpected error: InvalidPathException".
 */
class LocalNameTest {
  @TempDir Path dir;

  @Test
  void localNameThatCannotBeAPath_usageError_sayingWhy() {
    try (Drive drive = Drives.open("memory")) {
      CliRunner cli = new CliRunner(dir);
      cli.drive = drive;
      var r = cli.run("put", "bad\0name.txt", "/x.txt"); // a NUL is what this JVM refuses in any locale
      assertEquals(ExitCode.USAGE, r.code(), r::toString);
      assertFalse(r.err().contains("unexpected error"), r::toString);
      assertTrue(r.err().startsWith("pan4j: cannot use 'bad?name.txt' as a local file name: "), r::toString);
    }
  }

  @Test
  void inAPosixLocale_theMessageSaysToUseUtf8() {
    InvalidPathException e = new InvalidPathException("\uFFFD\uFFFD.txt", "Malformed input or input contains unmappable characters");
    String posix = Main.localNameProblem(e, "ANSI_X3.4-1968");
    assertTrue(posix.contains("because the locale is not UTF-8") && posix.contains("export LC_ALL=C.UTF-8"), posix);
    assertFalse(Main.localNameProblem(e, "UTF-8").contains("LC_ALL"));
  }
}
