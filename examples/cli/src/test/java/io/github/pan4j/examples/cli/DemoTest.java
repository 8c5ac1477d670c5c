package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pan4j demo} end to end, as CI runs it. */
class DemoTest {
  @TempDir Path dir;

  @Test
  void demo_everyStepWorks_exit0() {
    var r = new CliRunner(dir).run("demo");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("All ") && r.out().contains(" steps worked"), r::toString);
  }

  @Test
  void fakeCloud_once_printsUrlsCredentialsAndCommands() {
    var r = new CliRunner(dir).run("fake-cloud", "--port", "0", "--once");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("demo-client") && r.out().contains("--driver 123open") && r.out().contains("--driver 123link"), r::toString);
  }
}
