package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Docs as tests: every fenced {@code bash}, {@code java} and {@code jshell} block in README.md and
 * docs/**.md runs here, or carries {@code <!-- not-run: reason -->} on the line directly before
 * its opening fence. One dynamic test per block, named {@code file:line}.
 *
 * <ul>
 *   <li>{@code bash}: run by bash ({@code set -euo pipefail}) in a scratch folder that holds the
 *       repository's files (symbolic links) and, as {@code ./pan4j}, a launcher of this build's
 *       command line (the real script would start Maven inside Maven). HOME is a scratch home
 *       whose {@code ~/.config/pan4j/profiles.properties} has the profiles {@code work} (123open,
 *       the default) and {@code home} (123pan) on a fake 123 cloud started for the test, and
 *       {@code PAN4J_SECRET} is its client secret; {@code target/jshell.classpath} is this build's
 *       core and testkit with their dependencies (what getting-started.md's first step builds). The block must exit 0 within two minutes. When a {@code text} block follows
 *       (with at most one line of prose between), stdout must equal it, timestamps aside.
 *   <li>{@code java}: the blocks of one file run in order in one JShell session (a later block may
 *       use what an earlier one declared) on this build's class path, with the jshell tool's
 *       default imports ({@code java.util.*}, {@code java.nio.file.*}, ...); a snippet that does not
 *       compile, refers to something undefined or throws fails its block.
 *   <li>{@code jshell}: a transcript. {@code examples/jshell/pan4j.jsh} is loaded first (as
 *       {@code ./pan4j jshell} does); each {@code jshell> } line is evaluated, and the lines
 *       under it are its expected output: {@code $N ==> value} and {@code name ==> value} lines
 *       are compared with the snippet's value (a value cut as JShell cuts it, {@code head ... tail},
 *       by its ends), other lines with what it printed, timestamps aside.
 * </ul>
 */
class DocsTest {
  static final Pattern FENCE = Pattern.compile("^(```+)([A-Za-z0-9_-]*)\\s*$");
  static final Pattern NOT_RUN = Pattern.compile("^\\s*<!--\\s*not-run:\\s*(\\S.*?)\\s*-->\\s*$");
  /** {@code <!-- same-as: PATH -->}: the block is the file at PATH verbatim (a project DocsProjectTest builds and runs). */
  static final Pattern SAME_AS = Pattern.compile("^\\s*<!--\\s*same-as:\\s*(\\S+)\\s*-->\\s*$");
  static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z|(?<=JShell -- Version )\\S+");
  static final List<String> RUN = List.of("bash", "java", "jshell");

  static Path root;
  static DemoCloud cloud;
  static Path scratch;

  record Block(Path file, int line, String lang, String body, String notRun, String shownOutput, String sameAs) {
    String where() {
      return root.relativize(file) + ":" + line;
    }
  }

  @BeforeAll
  static void findRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) p = p.getParent();
    if (p == null) throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    root = p;
  }

  @AfterAll
  static void stopCloud() throws IOException {
    if (cloud != null) cloud.close();
    if (scratch != null) deleteTree(scratch);
  }

  /** Every fenced block of README.md and docs/**.md, in file order. */
  static List<Block> blocks() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
      s.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Block> out = new ArrayList<>();
    for (Path f : files) out.addAll(parse(f, Files.readAllLines(f, StandardCharsets.UTF_8)));
    return out;
  }

  static List<Block> parse(Path file, List<String> lines) {
    record Raw(int line, String lang, String body, String notRun, int end, String sameAs) {}
    List<Raw> raws = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = FENCE.matcher(lines.get(i));
      if (!m.matches()) continue;
      String fence = m.group(1);
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals(fence)) j++;
      String notRun = null;
      String sameAs = null;
      if (i > 0) {
        Matcher n = NOT_RUN.matcher(lines.get(i - 1));
        if (n.matches()) notRun = n.group(1);
        Matcher a = SAME_AS.matcher(lines.get(i - 1));
        if (a.matches()) sameAs = a.group(1);
      }
      raws.add(new Raw(i + 1, m.group(2), String.join("\n", lines.subList(i + 1, Math.min(j, lines.size()))) + "\n", notRun, j + 1,
          sameAs));
      i = j;
    }
    List<Block> out = new ArrayList<>();
    for (int k = 0; k < raws.size(); k++) {
      Raw r = raws.get(k);
      if (!RUN.contains(r.lang()) && r.sameAs() == null) continue;
      String shown = null;
      if (r.lang().equals("bash") && k + 1 < raws.size() && raws.get(k + 1).lang().equals("text")) {
        Raw next = raws.get(k + 1);
        long prose = lines.subList(r.end(), next.line() - 1).stream().filter(l -> !l.isBlank()).count();
        if (prose <= 1) shown = next.body();
      }
      out.add(new Block(file, r.line(), r.lang(), r.body(), r.notRun(), shown, r.sameAs()));
    }
    return out;
  }

  @Test
  void parse_findsMarkersAndShownOutput() {
    List<String> md = List.of("# t", "<!-- not-run: needs a real account -->", "```bash", "./pan4j ls", "```", "",
        "```bash", "echo hi", "```", "Output:", "```text", "hi", "```", "```java", "int x = 1;", "```", "```xml", "<a/>", "```");
    root = Path.of("/r");
    List<Block> b = parse(Path.of("/r/docs/t.md"), md);
    assertEquals(3, b.size());
    assertEquals("needs a real account", b.get(0).notRun());
    assertEquals("docs/t.md:3", b.get(0).where());
    assertEquals(null, b.get(1).notRun());
    assertEquals("hi\n", b.get(1).shownOutput());
    assertEquals("java", b.get(2).lang());
    findRoot();
  }

  @TestFactory
  List<DynamicTest> everyBlockRunsOrSaysWhyNot() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    Map<Path, JShellRun> sessions = new LinkedHashMap<>();
    for (Block b : blocks()) {
      tests.add(DynamicTest.dynamicTest(b.where() + " (" + b.lang() + ")", () -> {
        if (b.notRun() != null) return; // marked: the reason is in the doc
        try {
          if (b.sameAs() != null) {
            Path f = root.resolve(b.sameAs());
            assertTrue(Files.isRegularFile(f), "same-as names a missing file " + b.sameAs());
            assertEquals(Files.readString(f), b.body(), "the block must be " + b.sameAs() + " verbatim (DocsProjectTest runs that file)");
            return;
          }
          switch (b.lang()) {
            case "bash" -> runBash(b);
            case "java" -> sessions.computeIfAbsent(b.file(), f -> new JShellRun(false)).run(b);
            case "jshell" -> new JShellRun(true).transcript(b);
            default -> throw new IllegalStateException(b.lang());
          }
        } catch (AssertionError | RuntimeException e) {
          fail(b.where() + ": this ```" + b.lang() + " block failed: " + e.getMessage()
              + "\n(fix the doc or the code; if the block cannot run in the build, put <!-- not-run: reason --> on the line"
              + " directly before its opening fence)", e);
        }
      }));
    }
    tests.add(DynamicTest.dynamicTest("close JShell sessions", () -> sessions.values().forEach(JShellRun::close)));
    return tests;
  }

  // ---------------------------------------------------------------- bash

  static synchronized Path scratch() throws IOException {
    if (scratch != null) return scratch;
    cloud = new DemoCloud(0);
    Path dir = Files.createTempDirectory("pan4j-docs");
    Path work = Files.createDirectories(dir.resolve("work"));
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.equals("pan4j") || name.equals("target") || name.equals(".git")) continue;
        Files.createSymbolicLink(work.resolve(name), p);
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Path shim = work.resolve("pan4j");
    Files.writeString(shim, "#!/usr/bin/env bash\n# This build's command line (the real ./pan4j would start Maven).\nexec '" + java
        + "' -Duser.home=\"$HOME\" -cp '" + cp + "' io.github.pan4j.examples.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(work.resolve("target"));
    // What getting-started.md's step 1 builds: core, testkit and their dependencies (no drivers, no CLI).
    String coreAndTestkit = String.join(File.pathSeparator, Arrays.stream(cp.split(File.pathSeparator))
        .filter(e -> !e.contains("driver-123") && !e.contains("pan4j-driver-") && !e.contains("examples" + File.separator + "cli")
            && !e.contains("picocli") && !e.contains("slf4j-simple"))
        .toList());
    Files.writeString(work.resolve("target/jshell.classpath"), coreAndTestkit + "\n");
    Path home = dir.resolve("home");
    Path config = home.resolve(".config/pan4j/profiles.properties");
    Files.createDirectories(config.getParent());
    Map<String, Map<String, String>> o = cloud.options();
    StringBuilder p = new StringBuilder("default = work\n");
    o.get("123open").forEach((k, v) -> p.append("work.").append(k).append(" = ")
        .append(k.equals("clientSecret") ? "${env:PAN4J_SECRET}" : v).append('\n'));
    p.append("work.driver = 123open\n");
    o.get("123pan").forEach((k, v) -> p.append("home.").append(k).append(" = ").append(v).append('\n'));
    p.append("home.driver = 123pan\n");
    Files.writeString(config, p.toString());
    scratch = dir;
    return dir;
  }

  static void runBash(Block b) throws Exception {
    Path dir = scratch();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + b.body());
    pb.directory(dir.resolve("work").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("PAN4J_") || k.startsWith("XDG_"));
    env.put("HOME", dir.resolve("home").toString());
    env.put("PAN4J_SECRET", cloud.options().get("123open").get("clientSecret"));
    Path outFile = dir.resolve("stdout");
    Path errFile = dir.resolve("stderr");
    pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("still running after 120 s");
    }
    String out = Files.readString(outFile);
    String err = Files.readString(errFile);
    if (p.exitValue() != 0) {
      throw new AssertionError("exit " + p.exitValue() + "\n--- stdout\n" + tail(out) + "--- stderr\n" + tail(err));
    }
    if (b.shownOutput() != null) {
      assertEquals(normalize(b.shownOutput()), normalize(out), "the output shown in the doc");
    }
  }

  static String tail(String s) {
    return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
  }

  static String normalize(String s) {
    StringBuilder b = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      String visible = line.replaceAll("\\p{Cntrl}", ""); // a terminal program's \r and the like
      b.append(TIME.matcher(visible.stripTrailing()).replaceAll("<time>")).append('\n');
    }
    return b.toString().strip();
  }

  // ---------------------------------------------------------------- java and jshell

  /** One JShell session on this build's class path, run in this JVM. */
  static final class JShellRun {
    final JShell shell;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    JShellRun(boolean loadPan4jJsh) {
      // Snippets run on the calling thread (DirectExecutionControl), not on "local"'s thread of its
      // own: "local" then waits for every non-daemon thread started from that thread's group, and
      // a pool thread that happens to be created while a snippet runs (OkHttp's or MockWebServer's
      // TaskRunner grows on demand and keeps idle threads for a minute) belongs to that group and
      // never ends, so the build hung whenever the timing made a snippet grow such a pool.
      shell = JShell.builder().executionEngine(new ExecutionControlProvider() {
        @Override
        public String name() {
          return "direct";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
          return new DirectExecutionControl();
        }
      }, Map.of()).build();
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) shell.addToClasspath(e);
      // What the jshell tool imports at start-up (its DEFAULT script), so a block reads as pasted there.
      eval("import java.io.*; import java.math.*; import java.net.*; import java.nio.file.*; import java.util.*;"
          + " import java.util.concurrent.*; import java.util.function.*; import java.util.prefs.*; import java.util.regex.*;"
          + " import java.util.stream.*;", "jshell start-up");
      if (loadPan4jJsh) {
        try {
          eval(Files.readString(root.resolve("examples/jshell/pan4j.jsh")), "examples/jshell/pan4j.jsh");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    void run(Block b) {
      eval(b.body(), b.where());
    }

    /** Evaluates every snippet of {@code source}; returns the value of the last expression, if any. */
    String eval(String source, String where) {
      String value = null;
      String rest = source;
      SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
      PrintStream old = System.out;
      PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
      System.setOut(capture);
      try {
        while (!rest.isBlank()) {
          SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
          String snippet = info.source() != null ? info.source() : rest;
          if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
            throw new AssertionError("incomplete Java at the end: " + rest.strip());
          }
          for (SnippetEvent ev : shell.eval(snippet)) {
            if (ev.causeSnippet() != null) continue;
            Snippet s = ev.snippet();
            if (ev.status() == Snippet.Status.REJECTED) {
              StringBuilder m = new StringBuilder("does not compile: " + snippet.strip());
              shell.diagnostics(s).forEach(d -> m.append("\n  ").append(d.getMessage(java.util.Locale.ROOT)));
              throw new AssertionError(m.toString());
            }
            if (ev.status() == Snippet.Status.RECOVERABLE_DEFINED || ev.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
              List<String> missing = new ArrayList<>();
              if (s instanceof jdk.jshell.DeclarationSnippet d) shell.unresolvedDependencies(d).forEach(missing::add);
              throw new AssertionError("refers to something not defined " + missing + ": " + snippet.strip());
            }
            if (ev.exception() != null) {
              throw new AssertionError("threw " + ev.exception().getClass().getSimpleName() + " " + describe(ev.exception())
                  + " at: " + snippet.strip());
            }
            value = ev.value();
          }
          rest = info.remaining();
        }
      } finally {
        capture.flush();
        System.setOut(old);
      }
      return value;
    }

    private static String describe(Throwable t) {
      if (t instanceof jdk.jshell.EvalException e) return e.getExceptionClassName() + ": " + e.getMessage();
      return String.valueOf(t.getMessage());
    }

    /** A {@code jshell>} transcript: inputs evaluated, shown outputs compared. */
    void transcript(Block b) {
      List<String> lines = List.of(b.body().split("\n"));
      int i = 0;
      while (i < lines.size()) {
        String line = lines.get(i);
        if (!line.startsWith("jshell> ")) throw new AssertionError("expected a jshell> line but found: " + line);
        StringBuilder input = new StringBuilder(line.substring("jshell> ".length()));
        i++;
        while (i < lines.size() && lines.get(i).matches("^\\s*\\.\\.\\.> .*")) {
          input.append('\n').append(lines.get(i).replaceFirst("^\\s*\\.\\.\\.> ", ""));
          i++;
        }
        List<String> expected = new ArrayList<>();
        while (i < lines.size() && !lines.get(i).startsWith("jshell> ")) expected.add(lines.get(i++));
        printed.reset();
        String value = eval(input.toString(), b.where());
        String out = printed.toString(StandardCharsets.UTF_8);
        List<String> shownPrinted = new ArrayList<>();
        for (String e : expected) {
          // "$N ==> v" for an expression, "name ==> v" for a declaration; a long value is shown
          // as JShell cuts it, "head ... tail".
          Matcher m = Pattern.compile("^(?:\\$\\d+|[A-Za-z_][A-Za-z0-9_]*) ==> (.*)$").matcher(e);
          if (m.matches()) {
            String shown = normalize(m.group(1));
            String actual = normalize(String.valueOf(value));
            int cut = shown.indexOf(" ... ");
            if (cut < 0) {
              assertEquals(shown, actual, "value of: " + input);
            } else {
              String head = shown.substring(0, cut);
              String tail = shown.substring(cut + " ... ".length());
              assertTrue(actual.startsWith(head) && actual.endsWith(tail) && actual.length() > shown.length(),
                  "value of: " + input + ": " + actual + " is not shown as " + shown);
            }
          } else {
            shownPrinted.add(e);
          }
        }
        if (!shownPrinted.isEmpty() || !out.isBlank()) {
          assertEquals(normalize(String.join("\n", shownPrinted)), normalize(out), "printed by: " + input);
        }
      }
    }

    void close() {
      shell.close();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @Test
  void markers_haveAReason() throws IOException {
    for (Block b : blocks()) {
      if (b.notRun() != null) assertTrue(b.notRun().length() >= 8, b.where() + ": a not-run marker needs a real reason");
    }
  }
}
