package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run registers only the command it names (start-up time); what it prints and returns must be
 * exactly what the command line with every command gives, for plain runs, help, usage errors and
 * arguments picocli reads in unusual ways.
 */
class CommandsTest {
  @TempDir Path dir;

  private static final List<List<String>> ARGS = List.of(
      List.of(), List.of("help"), List.of("help", "put"), List.of("help", "nosuch"), List.of("--help"), List.of("-h"),
      List.of("-V"), List.of("--version"), List.of("version"), List.of("version", "extra"), List.of("--verbose", "version"),
      List.of("put", "--help"), List.of("ls", "-h"), List.of("trash", "--help"), List.of("trash"), List.of("share", "--help"),
      List.of("offline", "--help"), List.of("offline"), List.of("fake-cloud", "--help"), List.of("demo", "--help"),
      List.of("get", "--help"), List.of("completion", "bash"), List.of("completion", "fish"), List.of("drivers", "--bogus"),
      List.of("ls", "--colour"), List.of("ls", "--driver"), List.of("ls", "-lz"), List.of("ls", "--json=yes"), List.of("lss"),
      List.of("pt", "a", "b"), List.of("--driver", "memory", "ls", "-l", "/"), List.of("ls", "/"), List.of("ls", "--json"),
      List.of("ls", "help"), List.of("put"), List.of("put", "a"), List.of("put", "--size", "x", "--hash", "md5:00", "/a"),
      List.of("mv", "x"), List.of("rm", "/"), List.of("-q", "stat", "/nope"), List.of("--bogus", "ls"), List.of("stat"),
      List.of("--driver", "x", "--driver", "y", "ls"), List.of("--driver", "a", "ls", "--driver", "b"), List.of("--", "ls"),
      List.of("--driver=memory", "quota"), List.of("-q", "mkdir", "/a"), List.of("mkdir", "-p", "/a/b"), List.of("tree", "/"),
      List.of("--opt", "a=1", "ls", "--opt=b=2"), List.of("--state-dir", "x", "version"), List.of("-qh"), List.of("-qV"),
      List.of("--driver", "-q", "ls"), List.of("--profile", "ls", "put"), List.of("--profile"), List.of("link", "/x"),
      List.of("-q", "--no-progress", "--config", "c.properties", "ls"), List.of("rename", "/a"), List.of("get", "/a", "-"),
      List.of("trash", "ls"), List.of("share", "ls"), List.of("offline", "ls"), List.of("@args", "ls"), List.of("ls", "@x"),
      List.of("-h", "put"), List.of("--help", "ls", "/"), List.of("-V", "put"), List.of("--version", "ls"), List.of("-q", "-h", "rm"));

  @Test
  void everyRun_sameAsWithEveryCommand() {
    for (List<String> argv : ARGS) {
      String[] args = argv.toArray(String[]::new);
      Run all = run(args, false);
      Run one = run(args, true);
      String what = String.join(" ", argv) + "\n" + all;
      assertEquals(all.code, one.code, what);
      assertEquals(all.err, one.err, what);
      assertArrayEquals(all.out, one.out, what);
    }
  }

  @Test
  void named_onlyPlainRuns() {
    assertEquals(Cli.Put.class, Commands.named(new String[] {"-q", "--driver", "memory", "--opt=a=b", "put", "x", "/y"}));
    assertEquals(TrashCommand.class, Commands.named(new String[] {"trash", "ls"}));
    assertNull(Commands.named(new String[] {}));
    assertNull(Commands.named(new String[] {"help", "put"}));
    assertNull(Commands.named(new String[] {"completion", "bash"}));
    assertNull(Commands.named(new String[] {"--colour", "ls"}));
    assertNull(Commands.named(new String[] {"--driver", "ls", "put"}));
    assertNull(Commands.named(new String[] {"--driver", "-q", "ls"}));
    assertNull(Commands.named(new String[] {"-qh", "ls"}));
    assertNull(Commands.named(new String[] {"-h", "ls"}));
    assertNull(Commands.named(new String[] {"--", "ls"}));
    assertNull(Commands.named(new String[] {"lss"}));
  }

  private record Run(int code, byte[] out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + new String(out, StandardCharsets.UTF_8) + "--- stderr\n" + err;
    }
  }

  private Run run(String[] args, boolean lazy) {
    try (Drive drive = Drives.open("memory")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      Env env = new Env(java.util.Map.of(), dir, dir, false, () -> 0, drive, false);
      int code = Main.commandLine(new ByteArrayInputStream(new byte[0]), o, e, env, lazy ? args : null).execute(args);
      return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
  }
}
