package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars for the tests: the test driver in src/test/plugins is compiled here, against
 * pan4j core only, so its classes are never on the host's own class path (like a real plugin).
 */
final class TestPlugins {
  private static final Path SOURCES = Path.of("src/test/plugins/testdisk");
  private static Path compiled;

  private TestPlugins() {}

  /** The compiled test driver's classes (compiled once per test JVM). */
  static synchronized Path classes() throws IOException {
    if (compiled != null) return compiled;
    Path out = Files.createTempDirectory("pan4j-testdisk");
    List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", out.toString(), "-cp", compileClassPath()));
    try (Stream<Path> s = Files.walk(SOURCES)) {
      s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, args.toArray(String[]::new));
    assertTrue(rc == 0, "compiling the test plugin failed");
    compiled = out;
    return out;
  }

  /** The test driver as one plugin jar. */
  static Path testDiskJar(Path dir) throws IOException {
    Path classes = classes();
    Path jar = dir.resolve("testdisk.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
      addTree(j, classes, classes);
      add(j, "META-INF/services/io.github.pan4j.core.spi.DriverProvider", "io.github.pan4j.testplugin.disk.TestDiskProvider\n");
    }
    return jar;
  }

  /** A jar whose service file names a class that is not in it. */
  static Path badServiceEntryJar(Path dir) throws IOException {
    Path jar = dir.resolve("bad-service.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
      add(j, "META-INF/services/io.github.pan4j.core.spi.DriverProvider", "com.example.missing.NoSuchProvider\n");
    }
    return jar;
  }

  /** A jar with the test driver's provider but without the driver class it needs. */
  static Path missingClassJar(Path dir) throws IOException {
    Path classes = classes();
    Path jar = dir.resolve("missing-class.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
      Path provider = classes.resolve("io/github/pan4j/testplugin/disk/TestDiskProvider.class");
      j.putNextEntry(new JarEntry("io/github/pan4j/testplugin/disk/TestDiskProvider.class"));
      Files.copy(provider, j);
      j.closeEntry();
      add(j, "META-INF/services/io.github.pan4j.core.spi.DriverProvider", "io.github.pan4j.testplugin.disk.TestDiskProvider\n");
    }
    return jar;
  }

  private static void addTree(JarOutputStream j, Path base, Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(base.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, j);
        j.closeEntry();
      }
    }
  }

  private static void add(JarOutputStream j, String name, String text) throws IOException {
    j.putNextEntry(new JarEntry(name));
    j.write(text.getBytes(StandardCharsets.UTF_8));
    j.closeEntry();
  }

  /** Where core and the types its API mentions live (surefire may hide the real class path in a manifest jar). */
  private static String compileClassPath() {
    List<String> parts = new ArrayList<>();
    for (Class<?> c : List.of(io.github.pan4j.core.spi.Driver.class, okhttp3.OkHttpClient.class, kotlin.Unit.class, okio.Buffer.class,
        com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonParser.class,
        com.fasterxml.jackson.annotation.JsonProperty.class)) {
      try {
        parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join(java.io.File.pathSeparator, parts);
  }

}
