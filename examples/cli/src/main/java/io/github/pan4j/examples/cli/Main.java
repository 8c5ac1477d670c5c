package io.github.pan4j.examples.cli;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.spi.DriverContext;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * The {@code pan4j} command line. Run it with {@code ./pan4j} at the repository root, or embed
 * it with {@link #run}: {@code Main.run(new String[] {"ls", "-l", "/"}, System.in, System.out,
 * System.err)} returns the exit code instead of exiting.
 *
 * <p>Exit codes: 0 ok, 1 other error, 2 usage or configuration, 3 not found, 4 already exists,
 * 5 authentication, 6 rate limited or quota, 7 unsupported by the driver, 130 interrupted.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    configureLogging(args, System.getenv());
    warmUpDriverContext(args);
    int code = run(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** The commands that open a drive, and so build {@link DriverContext#defaults()}. */
  static final Set<String> DRIVE_COMMANDS = Set.of("ls", "tree", "stat", "link", "get", "put", "mkdir", "cp", "mv", "rename",
      "rm", "rm-through-copies", "quota", "trash", "share", "offline");

  /**
   * Builds {@link DriverContext#defaults()} on a second thread when the command will open a drive.
   * Its HTTP client sets up TLS (the JDK's trust store and SSL context), some 0.25 CPU-seconds in a
   * fresh JVM that the command's own thread would otherwise spend before its first request; here it
   * runs while that thread parses the command line and starts the command. The command's own call
   * waits for it if it is not done, and gets the same context. A command named after options
   * ({@code pan4j --quiet ls}) only misses the head start.
   */
  static void warmUpDriverContext(String[] args) {
    if (!opensDrive(args)) return;
    Thread t = new Thread(DriverContext::defaults, "pan4j-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Whether the first argument that is not an option names a command that opens a drive. */
  static boolean opensDrive(String[] args) {
    return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().filter(DRIVE_COMMANDS::contains).isPresent();
  }

  /**
   * Sets slf4j-simple's level before the first logger exists: {@code warn}, or {@code PAN4J_LOG}
   * (error, warn, info, debug, trace), or debug with {@code --verbose}. Log lines go to stderr.
   */
  static void configureLogging(String[] args, Map<String, String> environment) {
    String level = "warn";
    String fromEnv = environment.get("PAN4J_LOG");
    if (fromEnv != null && !fromEnv.isBlank()) level = fromEnv.trim().toLowerCase(Locale.ROOT);
    if (Arrays.asList(args).contains("--verbose")) level = "debug";
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  /**
   * Runs one command line with the given streams and returns its exit code. Progress bars are
   * drawn only when {@code err} is the process's stderr and there is a console.
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Env env = Env.system();
    return run(args, in, out, err, env.withTerminal(env.terminal() && err == System.err));
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Env env) {
    try {
      return commandLine(in, out, err, env, args).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The picocli command line with every command, pan4j's error handling and exit codes. */
  static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err, Env env) {
    return commandLine(in, out, err, env, null);
  }

  /**
   * The command line for running {@code args}: with only the command they name when that is
   * plain (see {@link Commands}), else with every command; null: every command.
   */
  static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err, Env env, String[] args) {
    CommandLine cl = new CommandLine(new Cli(in, out, err, env));
    Commands.register(cl, args);
    cl.setExpandAtFiles(false); // "@name" is a file name, not an argument file
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler((ex, argv) -> {
      err.println("pan4j: " + maskValues(usageMessage(ex), argv));
      CommandLine sub = ex.getCommandLine();
      boolean top = sub.getParent() == null;
      err.println(top ? "Run 'pan4j help' for the commands and options."
          : "Usage: " + sub.getHelp().synopsis(0).strip() + "\nRun '" + helpCommand(sub) + "' for more.");
      return ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, command, parseResult) -> {
      if (ex instanceof UsageException) {
        err.println("pan4j: " + ex.getMessage());
        err.println("Run 'pan4j help' for the commands and options.");
        return ExitCode.USAGE;
      }
      if (ex instanceof DriveException d) {
        err.println("pan4j: " + Messages.forCli(d.getMessage()));
        return ExitCode.of(d.kind());
      }
      if (ex instanceof java.nio.file.InvalidPathException p) {
        err.println("pan4j: " + localNameProblem(p, System.getProperty("sun.jnu.encoding")));
        return ExitCode.USAGE;
      }
      // A bug, not a user error: say so, with the type (messages of foreign exceptions are ours to show).
      err.println("pan4j: unexpected error: " + ex);
      return ExitCode.OTHER;
    });
    return cl;
  }

  /**
   * {@code message} with the value of every {@code KEY=VALUE} word of {@code argv} masked. picocli
   * quotes unmatched words back ({@code Unknown options: '--optt', 'clientSecret=...'}), and a
   * mistyped or forgotten {@code --opt} leaves exactly such a word, often a secret's: the key and
   * the mistake stay readable, the value becomes {@code ****}.
   */
  static String maskValues(String message, String[] argv) {
    String m = message;
    for (String word : argv) {
      String masked = maskValue(word);
      if (!masked.equals(word)) m = m.replace(word, masked);
    }
    return m;
  }

  /** {@code key=****} for {@code key=value}, {@code --x=key=****} for {@code --x=key=value}, {@code --x=****} for {@code --x=value}. */
  private static String maskValue(String word) {
    int start = 0;
    if (word.startsWith("-")) {
      int eq = word.indexOf('=');
      if (eq < 0) return word;
      start = eq + 1;
    }
    int eq = word.indexOf('=', start);
    int from = eq > start ? eq + 1 : start;
    if (from == 0 || from >= word.length()) return word; // no '=', or nothing after it
    return word.substring(0, from) + "****";
  }

  /**
   * What to say when a local file name cannot be a path here. In a locale that is not UTF-8
   * (LANG unset, C or POSIX, as in many containers) Java cannot name files such as 123's Chinese
   * ones, and that is the usual cause: say how to run in a UTF-8 locale.
   */
  static String localNameProblem(java.nio.file.InvalidPathException e, String fileNameEncoding) {
    String s = "cannot use '" + e.getInput().replaceAll("\\p{Cntrl}", "?") + "' as a local file name: " + e.getReason();
    if (fileNameEncoding != null && !fileNameEncoding.replace("-", "").equalsIgnoreCase("UTF8")) {
      s += "; Java runs with file names in " + fileNameEncoding + " because the locale is not UTF-8, so names beyond"
          + " that (Chinese ones, for example) cannot be used: run in a UTF-8 locale, e.g. export LC_ALL=C.UTF-8";
    }
    return s;
  }

  /**
   * The help of {@code command} as one can ask for it: {@code pan4j help ls} for a command,
   * {@code pan4j offline add --help} for one of a group's (picocli's help command shows the group's).
   */
  static String helpCommand(CommandLine command) {
    CommandLine parent = command.getParent();
    return parent == null || parent.getParent() == null
        ? "pan4j help " + command.getCommandName()
        : command.getCommandSpec().qualifiedName(" ") + " --help";
  }

  /** picocli's message, with an unknown command (of pan4j, or of a group such as offline) called one. */
  private static String usageMessage(CommandLine.ParameterException ex) {
    CommandLine cl = ex.getCommandLine();
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !cl.getSubcommands().isEmpty()) {
      List<String> unmatched = u.getUnmatched();
      if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-") && cl.getParseResult().subcommand() == null) {
        if (cl.getParent() != null) {
          List<String> names = List.copyOf(cl.getSubcommands().keySet());
          return "unknown " + cl.getCommandName() + " command '" + unmatched.get(0) + "'; use "
              + String.join(", ", names.subList(0, names.size() - 1)) + (names.size() > 1 ? " or " : "")
              + names.get(names.size() - 1);
        }
        String word = unmatched.get(0);
        List<String> suggestions = u.getSuggestions().stream().filter(c -> near(word, c)).toList();
        return "unknown command '" + word + "'"
            + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)");
      }
    }
    return ex.getMessage();
  }

  /**
   * Whether {@code command} is worth suggesting for the mistyped {@code word}: one starts the other,
   * or they are at most two edits apart (a swap of neighbours counts as one) and that is less than
   * half the word. picocli's own list is looser ('frobnicate': did you mean stat?).
   */
  static boolean near(String word, String command) {
    if (word.length() >= 2 && (command.startsWith(word) || word.startsWith(command))) return true;
    int d = editDistance(word, command);
    return d <= 2 && d * 2 < word.length();
  }

  /** Edit distance with insert, delete, replace and the swap of two neighbouring characters. */
  private static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
