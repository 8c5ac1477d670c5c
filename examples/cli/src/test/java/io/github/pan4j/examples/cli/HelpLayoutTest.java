package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** What {@code pan4j help COMMAND} shows reads as written: no hand-aligned line broken, no picocli placeholder. */
class HelpLayoutTest {
  @TempDir Path dir;

  private List<CommandSpec> everyCommand() {
    Env env = new Env(Map.of(), dir, dir, false, () -> 0, null, false);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    List<CommandSpec> all = new ArrayList<>();
    collect(Main.commandLine(new ByteArrayInputStream(new byte[0]), sink, sink, env), all);
    return all;
  }

  private static void collect(CommandLine cl, List<CommandSpec> into) {
    into.add(cl.getCommandSpec());
    cl.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
  }

  /** Prose is wrapped well; a line laid out by hand (indented, in columns) is broken by wrapping. */
  @Test
  void handAlignedDescriptionLines_fitTheHelpWidth() {
    List<String> tooLong = new ArrayList<>();
    for (CommandSpec spec : everyCommand()) {
      int width = spec.usageMessage().width();
      for (String line : spec.usageMessage().description()) {
        if (line.startsWith(" ") && line.length() > width) tooLong.add(spec.qualifiedName() + ": " + line.length() + " > " + width + ": " + line);
      }
    }
    assertEquals(List.of(), tooLong, "picocli wraps these lines and breaks their alignment");
  }

  @Test
  void optionValues_haveALabel() {
    List<String> placeholders = new ArrayList<>();
    for (CommandSpec spec : everyCommand()) {
      for (OptionSpec o : spec.options()) {
        if (o.arity().max() > 0 && o.paramLabel().startsWith("<")) placeholders.add(spec.qualifiedName() + " " + o.longestName() + "=" + o.paramLabel());
      }
    }
    assertEquals(List.of(), placeholders, "label the value like the other options (NAME, PATH, ...)");
  }

  /** help put listed "LOCAL|-" and "[REMOTE]" with nothing beside them: what may REMOTE be, and LOCAL with --hash? */
  @Test
  void everyArgument_saysWhatItIs() {
    List<String> bare = new ArrayList<>();
    for (CommandSpec spec : everyCommand()) {
      for (PositionalParamSpec p : spec.positionalParameters()) {
        if (String.join("", p.description()).isBlank()) bare.add(spec.qualifiedName() + " " + p.paramLabel());
      }
    }
    assertEquals(List.of(), bare, "give these a description: help shows the argument with nothing beside it");
  }
}
