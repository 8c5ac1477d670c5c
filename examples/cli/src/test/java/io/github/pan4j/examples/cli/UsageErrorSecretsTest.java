package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped {@code --opt} ({@code --optt}, {@code --op}, {@code -o}) or a forgotten one leaves a
 * {@code KEY=VALUE} word that picocli quotes back in its usage error, on stderr, where CI logs and
 * terminal scrollback keep it: the value is masked, the key and the mistake stay readable.
 */
class UsageErrorSecretsTest {
  @TempDir Path dir;

  @Test
  void mistypedOrForgottenOpt_usageError_keyShown_valueMasked() {
    CliRunner cli = new CliRunner(dir);
    for (List<String> argv : List.of(
        List.of("ls", "/", "--optt", "clientSecret=s3cr3t-value"),
        List.of("ls", "/", "-o", "clientSecret=s3cr3t-value"),
        List.of("ls", "/", "clientSecret=s3cr3t-value"),
        List.of("ls", "/", "--optt=clientSecret=s3cr3t-value"),
        List.of("get", "/a", "/b", "/c", "password=s3cr3t-value"),
        List.of("password=s3cr3t-value"))) {
      CliRunner.Result r = cli.run(argv.toArray(String[]::new));
      assertEquals(ExitCode.USAGE, r.code(), argv + "\n" + r);
      assertFalse(r.err().contains("s3cr3t"), argv + " echoed the value:\n" + r.err());
      assertTrue(r.err().contains("=****"), argv + "\n" + r.err());
    }
  }

  @Test
  void mistakeWithoutAValue_shownAsTyped_unknownOptionsValueMasked() {
    CliRunner.Result r = new CliRunner(dir).run("ls", "/", "--colour");
    assertEquals(ExitCode.USAGE, r.code());
    assertTrue(r.err().contains("'--colour'"), r.err());
    r = new CliRunner(dir).run("ls", "/", "--optt=value");
    assertTrue(r.err().contains("Unknown option: '--optt=****'"), r.err());
  }
}
