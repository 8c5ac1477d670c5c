package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a storage: --driver/--opt, profiles, ${env:} and ${file:} references; secrets never echoed. */
class ProfilesTest {
  @TempDir Path dir;
  CliRunner cli;
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliRunner(dir);
    config = cli.home.resolve(".config/pan4j/profiles.properties");
    Files.createDirectories(config.getParent());
    Files.writeString(config, String.join("\n",
        "default = small",
        "small.driver = memory",
        "small.pageSize = 2",
        "quota.driver = memory",
        "quota.quotaBytes = ${env:QUOTA}",
        "secretive.driver = memory",
        "secretive.pageSize = ${file:~/page.txt}",
        ""));
  }

  @Test
  void noStorage_exit2WithHint() throws Exception {
    Files.delete(config);
    var r = cli.run("ls");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("--driver ID") && r.err().contains("--profile NAME"), r::toString);
  }

  @Test
  void driverAndOpt_opensMemory() {
    var r = cli.run("quota", "--driver", "memory", "--opt", "quotaBytes=1000");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("total: 1000 B"), r::toString);
  }

  @Test
  void defaultProfile_fromConfigFile() {
    assertEquals(0, cli.run("ls").code());
  }

  @Test
  void profileWithEnvReference_resolved() {
    cli.variables.put("QUOTA", "2048");
    var r = cli.run("quota", "--profile", "quota");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("total: 2.0 KiB"), r::toString);
  }

  @Test
  void envReferenceUnset_exit2NamesVariable() {
    var r = cli.run("quota", "--profile", "quota");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("environment variable QUOTA, which is not set"), r::toString);
  }

  @Test
  void fileReference_readWithoutFinalNewline() throws Exception {
    Files.writeString(cli.home.resolve("page.txt"), "5\n");
    assertEquals(0, cli.run("ls", "--profile", "secretive").code());
    Files.delete(cli.home.resolve("page.txt"));
    var r = cli.run("ls", "--profile", "secretive");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("does not exist"), r::toString);
  }

  @Test
  void unknownProfile_exit2ListsKnown() {
    var r = cli.run("ls", "--profile", "nope");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("known: quota, secretive, small"), r::toString);
  }

  @Test
  void badOptionValue_exit2_secretValueNeverEchoed() {
    // 123open's clientSecret is a SECRET option; a bad companion option makes parsing fail.
    cli.variables.put("S", "top-secret-value-123");
    var r = cli.run("ls", "--driver", "123open", "--opt", "clientSecret=${env:S}", "--opt", "uploadThreads=lots");
    assertEquals(2, r.code(), r::toString);
    assertFalse(r.err().contains("top-secret-value-123"), r::toString);
    r = cli.run("ls", "--driver", "123open", "--opt", "clientSecret=top-secret-value-123", "--opt", "nonsense=1");
    assertEquals(2, r.code(), r::toString);
    assertFalse(r.err().contains("top-secret-value-123"), r::toString);
  }

  @Test
  void unknownDriver_exit2ListsIds() {
    var r = cli.run("ls", "--driver", "dropbox");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("123open") && r.err().contains("memory"), r::toString);
  }

  @Test
  void drivers_listsEveryProviderWithOptions() {
    var r = cli.run("drivers");
    assertEquals(0, r.code());
    for (String id : new String[] {"123open", "123pan", "123link", "123share", "memory"}) {
      assertTrue(r.out().contains(id + " - "), id);
    }
    assertTrue(r.out().contains("clientSecret") && r.out().contains("secret"), r::toString);
  }
}
