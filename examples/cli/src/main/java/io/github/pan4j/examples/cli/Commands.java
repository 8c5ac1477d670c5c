package io.github.pan4j.examples.cli;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Registers the subcommands a run needs with picocli. Building a command's model (its options,
 * mixins and inherited options, by reflection) is most of the command line's own start-up time,
 * and a run executes one command: when the arguments name it plainly (only the top-level options
 * before it), only that command is registered. Everything else (no command, help, completion, an
 * unknown command or option, anything unusual before the command name) registers all of them, so
 * that help (also -h before the command name), completion scripts, suggestions and errors are
 * exactly what the full model gives.
 */
final class Commands {
  /** Commands that show or walk the other commands. */
  private static final Set<String> NEED_ALL = Set.of("help", "completion");

  private Commands() {}

  /** Adds to {@code cl} the command {@code args} names, or every command; null args: every command. */
  static void register(CommandLine cl, String[] args) {
    Class<?> one = args == null ? null : named(args);
    if (one != null) {
      cl.addSubcommand(one);
    } else {
      for (Class<?> c : Cli.COMMANDS) cl.addSubcommand(c);
    }
  }

  /** The command class {@code args} run, when that is plain from the top-level options alone; else null. */
  static Class<?> named(String[] args) {
    // -h/--help and -V/--version are left out: help asked for before the command name shows the
    // top-level usage, which lists every command.
    Set<String> flags = new HashSet<>();
    Set<String> valued = new HashSet<>();
    for (Class<?> mixin : List.of(Options.Storage.class, Options.Output.class)) {
      for (Field f : mixin.getDeclaredFields()) {
        Option o = f.getAnnotation(Option.class);
        if (o == null) continue;
        (f.getType() == boolean.class ? flags : valued).addAll(List.of(o.names()));
      }
    }
    Map<String, Class<?>> byName = new HashMap<>();
    for (Class<?> c : Cli.COMMANDS) {
      Command command = c.getAnnotation(Command.class);
      byName.put(command.name(), c);
      for (String alias : command.aliases()) byName.put(alias, c);
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("-")) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        if (flags.contains(name) && eq < 0) continue;
        if (!valued.contains(name)) return null; // "--", clustered flags, unknown options: picocli decides
        if (eq >= 0) continue;
        // The value must be plain too: one that looks like an option or a command is picocli's call.
        if (++i >= args.length || args[i].startsWith("-") || byName.containsKey(args[i])) return null;
        continue;
      }
      Class<?> c = byName.get(a);
      return c == null || NEED_ALL.contains(a) ? null : c;
    }
    return null;
  }
}
