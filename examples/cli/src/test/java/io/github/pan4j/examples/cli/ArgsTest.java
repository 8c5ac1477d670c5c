package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line as picocli parses it: the same rules the hand-written parser had. */
class ArgsTest {
  @TempDir Path dir;

  private ParseResult parse(String... argv) {
    Env env = new Env(Map.of(), dir, dir, false, () -> 0, null, false);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    return Main.commandLine(new ByteArrayInputStream(new byte[0]), sink, sink, env).parseArgs(argv);
  }

  private static <T> T command(ParseResult r, Class<T> type) {
    return type.cast(r.subcommand().commandSpec().userObject());
  }

  @Test
  void parse_optionsBeforeAndAfterCommand_allCollected() {
    ParseResult r = parse("--driver", "memory", "ls", "-l", "/docs", "--opt", "a=1", "--opt=b=2");
    assertEquals("ls", r.subcommand().commandSpec().name());
    Cli.Ls ls = command(r, Cli.Ls.class);
    assertEquals("/docs", ls.path);
    assertTrue(ls.longFormat);
    Cli top = (Cli) r.commandSpec().userObject();
    Options.Storage merged = ls.storageOptions.merge(top.storage);
    assertEquals("memory", merged.driver);
    assertEquals(List.of("a=1", "b=2"), merged.opts);
  }

  @Test
  void parse_combinedShortFlags_eachSet() {
    Cli.Rm rm = command(parse("rm", "-rq", "/x"), Cli.Rm.class);
    assertTrue(rm.recursive);
    assertTrue(rm.outputOptions.quiet);
  }

  @Test
  void parse_dashAndDoubleDash_arePositionals() {
    Cli.Put put = command(parse("put", "-", "--", "-odd-name"), Cli.Put.class);
    assertEquals(List.of("-", "-odd-name"), List.of(put.local, put.remote));
  }

  @Test
  void parse_unknownOrIncomplete_usageError() {
    for (String[] argv : List.of(new String[] {"ls", "--colour"}, new String[] {"ls", "--driver"}, new String[] {"ls", "-lz"},
        new String[] {"ls", "--json=yes"})) {
      try {
        parse(argv);
        throw new AssertionError("accepted " + List.of(argv));
      } catch (CommandLine.ParameterException expected) {
        // picocli refuses it; Main turns that into exit 2
      }
    }
  }

  @Test
  void value_givenTwice_usageError() {
    try {
      parse("ls", "--driver", "a", "--driver", "b");
      throw new AssertionError("accepted --driver twice");
    } catch (CommandLine.ParameterException expected) {
      // exit 2
    }
    ParseResult r = parse("--driver", "a", "ls", "--driver", "b");
    Cli top = (Cli) r.commandSpec().userObject();
    Cli.Ls ls = command(r, Cli.Ls.class);
    try {
      ls.storageOptions.merge(top.storage);
      throw new AssertionError("accepted --driver before and after the command");
    } catch (UsageException expected) {
      assertTrue(expected.getMessage().contains("--driver given more than once"), expected.getMessage());
    }
  }
}
