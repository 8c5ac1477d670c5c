package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test drives (litmus, rclone, chromium): found on the PATH, or the test fails in CI
 * ({@code CI} is set; {@code .ci/run} installs them) and is reported as skipped elsewhere.
 */
final class ExternalTool {
  private ExternalTool() {}

  static Path require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return p;
    }
    String why = name + " is not installed (apt-get install -y " + debianPackage + ")";
    if (System.getenv("CI") != null) fail(why + ", and CI must run this test");
    Assumptions.abort(why);
    throw new AssertionError("unreachable");
  }
}
