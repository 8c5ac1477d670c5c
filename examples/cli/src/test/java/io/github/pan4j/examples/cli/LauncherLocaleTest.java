package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ./pan4j launcher runs the JVM in a UTF-8 locale when the user's is not one (C, POSIX, LANG
 * unset), so that Chinese names in arguments and local files work: its utf8_locale function, run
 * by bash as the launcher runs it.
 */
class LauncherLocaleTest {
  static final Path LAUNCHER = Path.of("../../pan4j").toAbsolutePath().normalize();

  private static String run(String locale, String script) throws Exception {
    String launcher = Files.readString(LAUNCHER);
    int start = launcher.indexOf("utf8_locale() {");
    org.junit.jupiter.api.Assertions.assertTrue(start >= 0, "the launcher never makes the locale UTF-8");
    int end = launcher.indexOf("\n}\n", start) + 3;
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + launcher.substring(start, end) + script)
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
    if (locale != null) pb.environment().put("LC_ALL", locale);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(true, p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static boolean hasCUtf8() throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
    } catch (java.io.IOException noLocaleProgram) {
      return false;
    }
    List<String> all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    p.waitFor(10, TimeUnit.SECONDS);
    return all.stream().anyMatch(l -> l.equalsIgnoreCase("C.UTF-8") || l.equalsIgnoreCase("C.utf8"));
  }

  @Test
  void posixLocale_becomesCUtf8() throws Exception {
    assumeTrue(hasCUtf8(), "this system has no C.UTF-8 locale");
    assertEquals("UTF-8", run("C", "utf8_locale; locale charmap"));
    assertEquals("UTF-8", run(null, "utf8_locale; locale charmap"));
  }

  @Test
  void utf8Locale_isLeftAlone() throws Exception {
    assumeTrue(hasCUtf8(), "this system has no C.UTF-8 locale");
    assertEquals("C.UTF-8|", run("C.UTF-8", "utf8_locale; echo \"$LC_ALL|${LANG:-}\""));
  }
}
