package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's command line: mistakes are one-line usage errors, and a mistyped --config creates nothing. */
class MainArgsTest {
  @TempDir Path dir;

  @Test
  void mistakes_areUsageErrorsThatSayWhatIsExpected() {
    assertEquals("--port needs a port number from 0 to 65535, not 'abc'",
        assertThrows(Main.UsageError.class, () -> Main.Args.parse(new String[] {"--port", "abc"})).getMessage());
    assertThrows(Main.UsageError.class, () -> Main.Args.parse(new String[] {"--port", "70000"}));
    assertEquals("unknown argument '--bogus'; try --help",
        assertThrows(Main.UsageError.class, () -> Main.Args.parse(new String[] {"--bogus"})).getMessage());
    assertEquals("--bind needs a value",
        assertThrows(Main.UsageError.class, () -> Main.Args.parse(new String[] {"--bind"})).getMessage());
  }

  @Test
  void help_namesTheCommandAsTyped_andEveryArgument() {
    assertTrue(Main.USAGE.startsWith("usage: ./pan4j host "), Main.USAGE);
    for (String arg : new String[] {"--config", "--port", "--bind", "--demo", "--verbose", "hash-password"}) {
      assertTrue(Main.USAGE.contains("\n  " + arg + " "), arg + " explained in:\n" + Main.USAGE);
    }
  }

  @Test
  void explicitConfigThatDoesNotExist_isRefused_andNothingIsCreated() throws Exception {
    Path typo = dir.resolve("hots.json");
    Main.UsageError e = assertThrows(Main.UsageError.class, () -> Main.Args.parse(new String[] {"--config", typo.toString()}));
    assertTrue(e.getMessage().startsWith("no config file at " + typo), e.getMessage());
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "nothing written");
    }
    Path real = Files.writeString(dir.resolve("host.json"), "{}");
    Main.Args a = Main.Args.parse(new String[] {"--config", real.toString(), "--port", "0", "--bind", "127.0.0.1"});
    assertEquals(real, a.configFile());
    assertEquals(0, a.port());
    assertFalse(a.help());
    assertTrue(Main.Args.parse(new String[] {"--demo", "--config", typo.toString()}).demo(), "the demo writes its own config");
  }
}
