package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's project that already has OkHttp 3 (through a library such as Retrofit) and adds pan4j
 * through the BOM. OkHttp 5 keeps its classes in {@code okhttp-jvm}, so without the BOM's
 * management both jars land on the classpath with the same {@code okhttp3} classes, and the older
 * okio and Kotlin win by nearness (pan4j then fails on its first request). Resolved as the user's
 * Maven resolves it, offline, against this build's artifacts laid out as {@link DocsProjectTest}
 * does.
 */
class BomClasspathTest {
  @TempDir Path tmp;

  @Test
  void projectWithOkHttp3_getsOneOkHttp_andTheOkioAndKotlinItNeeds() throws Exception {
    Path root = DocsProjectTest.DocsTestRoot.find();
    // What Retrofit 2.11 brings: OkHttp 3.14.9 and okio 1.17.2 (only their coordinates matter).
    List<Path> jars = resolve("""
        <dependency><groupId>com.squareup.okhttp3</groupId><artifactId>okhttp</artifactId><version>3.14.9</version></dependency>
        <dependency><groupId>com.squareup.okio</groupId><artifactId>okio</artifactId><version>1.17.2</version></dependency>
        <dependency><groupId>org.jetbrains.kotlin</groupId><artifactId>kotlin-stdlib-jdk8</artifactId><version>1.8.21</version></dependency>
        """);
    List<String> names = jars.stream().map(j -> j.getFileName().toString()).toList();
    List<String> withOkHttp = new ArrayList<>();
    for (Path jar : jars) {
      if (contains(jar, "okhttp3/OkHttpClient.class")) withOkHttp.add(jar.getFileName().toString());
    }
    String okhttp = property(root.resolve("pom.xml"), "okhttp.version");
    assertEquals(List.of("okhttp-jvm-" + okhttp + ".jar"), withOkHttp, "the jars holding OkHttp's classes, of " + names);

    // okio and Kotlin at the versions okhttp-jvm declares, and no older copy beside them.
    String okhttpPom = Files.readString(okhttpJvmPom());
    String okio = dependencyVersion(okhttpPom, "okio-jvm");
    String kotlin = dependencyVersion(okhttpPom, "kotlin-stdlib");
    assertTrue(names.contains("okio-jvm-" + okio + ".jar"), names.toString());
    assertTrue(names.contains("kotlin-stdlib-" + kotlin + ".jar"), names.toString());
    for (String name : names) {
      if (name.startsWith("okio")) assertTrue(name.endsWith("-" + okio + ".jar"), "an okio other than " + okio + ": " + name);
      if (name.startsWith("kotlin-stdlib")) assertTrue(name.endsWith("-" + kotlin + ".jar"), "a Kotlin other than " + kotlin + ": " + name);
    }
  }

  /**
   * On the module path the first jar of a module name wins. okio 3's Maven artifact {@code okio}
   * holds no classes (they are in {@code okio-jvm}), but as an automatic module it is named
   * {@code okio} all the same: where OkHttp 5's {@code okhttp} artifact brought it in, it could
   * come first and leave core's {@code requires okio} with an empty module (NoClassDefFoundError:
   * okio/Buffer on the first request). The BOM keeps it out of {@code okhttp}'s dependencies.
   */
  @Test
  void libraryUsingTheOkHttpArtifact_onTheModulePath_leavesOneOkio_withItsClasses() throws Exception {
    // A library that depends on the okhttp artifact alone, as Retrofit 2.11 does (3.14.9; okio comes through it).
    List<Path> jars = resolve("""
        <dependency><groupId>com.squareup.okhttp3</groupId><artifactId>okhttp</artifactId><version>3.14.9</version></dependency>
        """);
    List<String> okioJars = new ArrayList<>();
    for (Path jar : jars) {
      for (ModuleReference m : ModuleFinder.of(jar).findAll()) {
        if (m.descriptor().name().equals("okio")) okioJars.add(jar.getFileName().toString());
      }
    }
    String okio = dependencyVersion(Files.readString(okhttpJvmPom()), "okio-jvm");
    assertEquals(List.of("okio-jvm-" + okio + ".jar"), okioJars, "the jars that are module okio, of " + jars);

    // And the driver resolves there as the java launcher resolves --module-path, okio with its classes.
    Configuration config = ModuleLayer.boot().configuration()
        .resolveAndBind(ModuleFinder.of(jars.toArray(Path[]::new)), ModuleFinder.of(), Set.of("io.github.pan4j.driver.open123"));
    assertTrue(config.findModule("okio").orElseThrow().reference().descriptor().packages().contains("okio"));
  }

  /** The class path Maven gives a user's project that imports the BOM and has {@code dependencies} and 123open. */
  private List<Path> resolve(String dependencies) throws Exception {
    Path root = DocsProjectTest.DocsTestRoot.find();
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    DocsProjectTest.linkAllBut(outerRepo(), repo, List.of("io", "github", "pan4j"));
    for (String module : List.of("", "bom", "core", "driver-123common", "driver-123open")) {
      Path dir = root.resolve(module);
      DocsProjectTest.install(repo, dir.resolve("pom.xml"), module.isEmpty() ? null : dir.resolve("target/classes"));
    }
    Path legacy = Files.createDirectories(repo.resolve("io/github/pan4j/example-legacy/1"));
    Files.writeString(legacy.resolve("example-legacy-1.pom"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
          <groupId>io.github.pan4j</groupId><artifactId>example-legacy</artifactId><version>1</version>
          <packaging>pom</packaging>
          <dependencies>
        DEPENDENCIES  </dependencies>
        </project>
        """.replace("DEPENDENCIES", dependencies));

    String version = tag(Files.readString(root.resolve("pom.xml")).replaceFirst("(?s)<dependencyManagement>.*", ""), "version");
    Path project = Files.createDirectories(tmp.resolve("project"));
    // The legacy library comes first, as the nearer and earlier declaration that wins without the BOM.
    Files.writeString(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
          <groupId>example</groupId><artifactId>user</artifactId><version>1</version>
          <dependencyManagement><dependencies>
            <dependency><groupId>io.github.pan4j</groupId><artifactId>pan4j-bom</artifactId><version>VERSION</version>
              <type>pom</type><scope>import</scope></dependency>
          </dependencies></dependencyManagement>
          <dependencies>
            <dependency><groupId>io.github.pan4j</groupId><artifactId>example-legacy</artifactId><version>1</version><type>pom</type></dependency>
            <dependency><groupId>io.github.pan4j</groupId><artifactId>pan4j-driver-123open</artifactId></dependency>
          </dependencies>
        </project>
        """.replace("VERSION", version));
    Path cpFile = tmp.resolve("classpath.txt");
    DocsProjectTest.mavenOffline(project, repo, tmp.resolve("mvn.log"), 120, java.util.Map.of(),
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath", "-Dmdep.outputFile=" + cpFile);
    return Arrays.stream(Files.readString(cpFile).trim().split(java.io.File.pathSeparator))
        .filter(e -> e.endsWith(".jar")).map(Path::of).toList();
  }

  private static Path outerRepo() {
    return Path.of(System.getProperty("pan4j.localRepository", System.getProperty("user.home") + "/.m2/repository"));
  }

  private static Path okhttpJvmPom() throws IOException {
    String okhttp = property(DocsProjectTest.DocsTestRoot.find().resolve("pom.xml"), "okhttp.version");
    return outerRepo().resolve("com/squareup/okhttp3/okhttp-jvm/" + okhttp + "/okhttp-jvm-" + okhttp + ".pom");
  }

  private static boolean contains(Path jar, String entry) throws IOException {
    if (!jar.toString().endsWith(".jar")) return false;
    try (ZipFile z = new ZipFile(jar.toFile())) {
      return z.getEntry(entry) != null;
    }
  }

  private static String property(Path pom, String name) throws IOException {
    return tag(Files.readString(pom), name);
  }

  private static String dependencyVersion(String pom, String artifactId) {
    Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(m.find(), "okhttp-jvm's POM names " + artifactId);
    return m.group(1);
  }

  private static String tag(String xml, String tag) {
    Matcher m = Pattern.compile("<" + Pattern.quote(tag) + ">\\s*([^<\\s]+)\\s*</" + Pattern.quote(tag) + ">").matcher(xml);
    assertTrue(m.find(), "<" + tag + "> not found");
    return m.group(1);
  }
}
