package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command line's runtime class path (the one {@code ./pan4j} runs with; Maven writes it to
 * {@code target/runtime.classpath} before the tests) carries the fake cloud but no test framework:
 * JUnit belongs to tests, not to a program a user runs.
 */
class RuntimeClassPathTest {
  @Test
  void runtimeClassPath_hasFakeCloud_andNoJunit() throws Exception {
    Path file = Path.of("target", "runtime.classpath");
    assertTrue(Files.isRegularFile(file), file.toAbsolutePath() + " is missing; the build writes it in generate-test-resources");
    List<String> jars = Arrays.stream(Files.readString(file).trim().split(File.pathSeparator))
        .map(e -> Path.of(e).getFileName().toString())
        .toList();
    assertTrue(jars.stream().anyMatch(j -> j.startsWith("pan4j-fake-cloud")), "the fake cloud is missing: " + jars);
    assertTrue(jars.stream().anyMatch(j -> j.startsWith("pan4j-core")), "core is missing: " + jars);
    for (String jar : jars) {
      assertFalse(jar.startsWith("junit-") || jar.startsWith("opentest4j") || jar.startsWith("apiguardian")
          || jar.startsWith("pan4j-testkit"), "test-only jar on the command line's runtime class path: " + jar);
    }
  }
}
