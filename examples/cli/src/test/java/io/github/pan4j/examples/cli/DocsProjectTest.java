package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/testing.md's example as a user runs it: a separate Maven project (docs/examples/fake-cloud-test)
 * that depends on pan4j through the BOM, built with {@code mvn -o verify} against a local
 * repository holding this build's artifacts. The artifacts are "installed" the way {@code mvn
 * install} lays them out (groupId/artifactId/version/artifactId-version.jar and .pom), made from
 * this reactor's pom.xml files and compiled classes; every other artifact (JUnit, plugins) comes
 * from the build's own local repository, linked in read-only fashion, so the run is offline.
 */
class DocsProjectTest {
  @TempDir Path tmp;

  @Test
  void testingDocExample_buildsAndPasses_asASeparateMavenProject() throws Exception {
    Path root = DocsTestRoot.find();
    Path outerRepo = Path.of(System.getProperty("pan4j.localRepository", System.getProperty("user.home") + "/.m2/repository"));
    assertTrue(Files.isDirectory(outerRepo), "the build's local repository " + outerRepo);
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    linkAllBut(outerRepo, repo, List.of("io", "github", "pan4j"));

    String version = null;
    String rootPom = Files.readString(root.resolve("pom.xml"));
    install(repo, root.resolve("pom.xml"), null);
    // The default reactor's modules (profiles such as "bench" add modules users never depend on).
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom.replaceAll("(?s)<profiles>.*?</profiles>", ""));
    List<String> installed = new ArrayList<>();
    while (modules.find()) {
      Path dir = root.resolve(modules.group(1));
      if (modules.group(1).startsWith("examples")) continue;
      installed.add(install(repo, dir.resolve("pom.xml"), dir.resolve("target/classes")));
    }
    assertTrue(installed.contains("pan4j-bom") && installed.contains("pan4j-core"), installed.toString());

    Path project = tmp.resolve("project");
    copyTree(root.resolve("docs/examples/fake-cloud-test"), project);
    // Where the default token store would write: the example must leave it alone.
    Path state = Files.createDirectories(tmp.resolve("state"));
    String log = mavenOffline(project, repo, tmp.resolve("mvn.log"), 300,
        Map.of("XDG_STATE_HOME", state.toString(), "HOME", tmp.toString()), "verify");
    assertEquals(List.of(1, 0), ran(log, "example.DemoCloudTest"), "DemoCloudTest's one test ran:\n" + log);
    assertEquals(List.of(5, 0), ran(log, "example.FolderBackupTest"), "FolderBackupTest's five tests ran:\n" + log);
    // The example's own driver under the contract suite: surefire reports the suite's nested
    // classes under DriverContract's name. A read-only driver lists and links; it writes nothing.
    for (String suite : List.of("Links", "Capabilities", "Close")) {
      List<Integer> counts = ran(log, "io.github.pan4j.testkit.DriverContract$" + suite);
      assertTrue(counts.get(0) > 0 && counts.get(1) == 0, suite + " of the contract ran, none skipped: " + counts + "\n" + log);
    }
    // It lists a folder in one page (listsInOnePage()): only the cursor test is skipped.
    List<Integer> listing = ran(log, "io.github.pan4j.testkit.DriverContract$Listing");
    assertTrue(listing.get(0) > 1 && listing.get(1) == 1, "Listing ran, its cursor test skipped: " + listing + "\n" + log);
    List<Integer> upload = ran(log, "io.github.pan4j.testkit.DriverContract$Upload");
    assertEquals(upload.get(0), upload.get(1), "a read-only driver skips every upload test");
    try (Stream<Path> written = Files.walk(state)) {
      assertEquals(List.of(state), written.toList(), "the example's tokens stay in memory");
    }
  }

  /** Tests run and skipped, from surefire's line for {@code testClass}; fails when the class did not run cleanly. */
  static List<Integer> ran(String log, String testClass) {
    Matcher m = Pattern.compile("Tests run: (\\d+), Failures: 0, Errors: 0, Skipped: (\\d+), Time elapsed: [^\\n]*-- in "
        + Pattern.quote(testClass) + "\\s*$", Pattern.MULTILINE).matcher(log);
    assertTrue(m.find(), testClass + " did not run, or failed:\n" + log);
    return List.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /**
   * Runs {@code mvn -o} with {@code args} in {@code project} against the local repository
   * {@code repo}, with {@code env} added to the environment; asserts it ended within
   * {@code seconds} and succeeded, and returns its output.
   */
  static String mavenOffline(Path project, Path repo, Path logFile, int seconds, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(System.getProperty("pan4j.mvn", "mvn"), "-o", "-B", "-ntp",
        "-Dmaven.repo.local=" + repo));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    pb.environment().remove("MAVEN_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!done) p.destroyForcibly();
    String log = Files.readString(logFile);
    assertTrue(done, "mvn " + String.join(" ", args) + " still running after " + seconds + " s:\n" + log);
    assertEquals(0, p.exitValue(), log);
    return log;
  }

  /** Lays out {@code pom} (and a jar of {@code classes}, if given) as mvn install would; returns the artifactId. */
  static String install(Path repo, Path pom, Path classes) throws IOException {
    String text = Files.readString(pom);
    String own = text.replaceFirst("(?s)<parent>.*?</parent>", "");
    String artifactId = first(own, "artifactId");
    String version = first(own, "version");
    if (version == null) version = first(text.substring(text.indexOf("<parent>")), "version");
    Path dir = Files.createDirectories(repo.resolve("io/github/pan4j").resolve(artifactId).resolve(version));
    Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"));
    String packaging = first(own, "packaging");
    if (classes != null && (packaging == null || packaging.equals("jar"))) {
      assertTrue(Files.isDirectory(classes), classes + " is not compiled (run the reactor build)");
      try (OutputStream out = Files.newOutputStream(dir.resolve(artifactId + "-" + version + ".jar"));
           JarOutputStream jar = new JarOutputStream(out);
           Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, jar);
          jar.closeEntry();
        }
      }
    }
    return artifactId;
  }

  private static String first(String xml, String tag) {
    Matcher m = Pattern.compile("<" + tag + ">\\s*([^<\\s]+)\\s*</" + tag + ">").matcher(xml);
    return m.find() ? m.group(1) : null;
  }

  /** Links every entry of {@code from} into {@code to}, descending along {@code path} instead of linking it. */
  static void linkAllBut(Path from, Path to, List<String> path) throws IOException {
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (!path.isEmpty() && name.equals(path.get(0))) {
          if (path.size() > 1) linkAllBut(p, Files.createDirectories(to.resolve(name)), path.subList(1, path.size()));
          else Files.createDirectories(to.resolve(name));
        } else {
          Files.createSymbolicLink(to.resolve(name), p);
        }
      }
    }
    if (!path.isEmpty() && !Files.exists(to.resolve(path.get(0)))) {
      Path d = to;
      for (String part : path) d = Files.createDirectories(d.resolve(part));
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else if (!p.toString().contains("/target/")) Files.copy(p, t);
      }
    }
  }

  /** The repository root, above the working folder. */
  static final class DocsTestRoot {
    static Path find() {
      Path p = Path.of("").toAbsolutePath();
      while (p != null && !(Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) p = p.getParent();
      if (p == null) throw new IllegalStateException("no repository root");
      return p;
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
