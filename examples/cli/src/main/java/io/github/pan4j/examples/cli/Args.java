package io.github.pan4j.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line, parsed by hand: options may come before or after the command, {@code --}
 * ends options, {@code -} alone is a positional (stdin/stdout), single-letter flags combine
 * ({@code -lq}), and an option's value follows it or an {@code =} ({@code --driver=memory}).
 */
final class Args {
  /** Options that take a value; {@code --opt} may repeat. */
  static final Set<String> VALUED = Set.of("--driver", "--opt", "--profile", "--config", "--state-dir", "--port",
      "--url-auth", "--state", "--seed", "--realistic-seed");

  /** Flags, with their short forms mapped to the long one. */
  static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("-l", "--long"), Map.entry("--long", "--long"),
      Map.entry("--json", "--json"),
      Map.entry("-p", "--parents"), Map.entry("--parents", "--parents"),
      Map.entry("-r", "--recursive"), Map.entry("--recursive", "--recursive"),
      Map.entry("-q", "--quiet"), Map.entry("--quiet", "--quiet"),
      Map.entry("--overwrite", "--overwrite"), Map.entry("--keep-both", "--keep-both"),
      Map.entry("-h", "--help"), Map.entry("--help", "--help"),
      Map.entry("--version", "--version"),
      Map.entry("--no-progress", "--no-progress"),
      Map.entry("--once", "--once"),
      Map.entry("--vip", "--vip"), Map.entry("--realistic", "--realistic"));

  final String command;
  final List<String> positionals;
  final Set<String> flags;
  final Map<String, List<String>> values;

  private Args(String command, List<String> positionals, Set<String> flags, Map<String, List<String>> values) {
    this.command = command;
    this.positionals = positionals;
    this.flags = flags;
    this.values = values;
  }

  static Args parse(String[] argv) {
    List<String> pos = new ArrayList<>();
    Set<String> flags = new TreeSet<>();
    Map<String, List<String>> values = new LinkedHashMap<>();
    boolean onlyPositionals = false;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (onlyPositionals || a.equals("-") || !a.startsWith("-")) {
        pos.add(a);
        continue;
      }
      if (a.equals("--")) {
        onlyPositionals = true;
        continue;
      }
      String name = a;
      String inline = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        inline = a.substring(eq + 1);
      }
      if (VALUED.contains(name)) {
        String v = inline;
        if (v == null) {
          if (i + 1 >= argv.length) throw new UsageException(name + " needs a value");
          v = argv[++i];
        }
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
        continue;
      }
      if (inline != null) throw new UsageException(name + " takes no value");
      String flag = FLAGS.get(name);
      if (flag != null) {
        flags.add(flag);
        continue;
      }
      if (!a.startsWith("--") && a.length() > 2) { // combined short flags: -lq
        for (char c : a.substring(1).toCharArray()) {
          String f = FLAGS.get("-" + c);
          if (f == null) throw new UsageException("unknown option -" + c + " in " + a);
          flags.add(f);
        }
        continue;
      }
      throw new UsageException("unknown option " + a);
    }
    String command = pos.isEmpty() ? null : pos.remove(0);
    return new Args(command, List.copyOf(pos), flags, values);
  }

  boolean has(String flag) {
    return flags.contains(flag);
  }

  /** The single value of {@code option}, or null; given twice is a usage error. */
  String value(String option) {
    List<String> v = values.get(option);
    if (v == null) return null;
    if (v.size() > 1) throw new UsageException(option + " given more than once");
    return v.get(0);
  }

  List<String> all(String option) {
    return values.getOrDefault(option, List.of());
  }

  /** Positional {@code i}, required. */
  String arg(int i, String what) {
    if (i >= positionals.size()) throw new UsageException(command + ": missing " + what);
    return positionals.get(i);
  }

  String argOr(int i, String fallback) {
    return i < positionals.size() ? positionals.get(i) : fallback;
  }

  /** Fails when more than {@code max} positionals were given. */
  void atMost(int max) {
    if (positionals.size() > max) {
      throw new UsageException(command + ": unexpected argument '" + positionals.get(max) + "'");
    }
  }

  /** Fails on any flag not in {@code allowed} (the global ones are always allowed). */
  void onlyFlags(String... allowed) {
    Set<String> ok = new TreeSet<>(Set.of("--quiet", "--help", "--no-progress"));
    ok.addAll(List.of(allowed));
    for (String f : flags) {
      if (!ok.contains(f)) throw new UsageException(command + " does not take " + f);
    }
  }
}
