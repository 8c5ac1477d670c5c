package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
  @TempDir Path dir;

  @Test
  void render_showsPercentBytesRateAndEta() {
    Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), "big.bin", true, () -> 0);
    p.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, 4 << 20, false));
    String line = p.render(new UploadProgress(UploadPhase.TRANSFERRING, 1 << 20, 4 << 20, false), 1_000_000_000L);
    assertTrue(line.startsWith("big.bin transferring"), line);
    assertTrue(line.contains(" 25%") && line.contains("1.0 MiB/4.0 MiB") && line.contains("1.0 MiB/s") && line.contains("ETA 0:03"), line);
  }

  @Test
  void put_notATerminal_drawsNothing() throws Exception {
    CliRunner cli = new CliRunner(dir);
    try (Drive drive = Drives.open("memory")) {
      cli.drive = drive;
      Files.write(cli.cwd.resolve("a.bin"), new byte[200_000]);
      var r = cli.run("put", "a.bin", "/a.bin");
      assertEquals(0, r.code(), r::toString);
      assertEquals("", r.err());
    }
  }

  @Test
  void put_onTerminal_drawsBarOnStderr_quietSilencesIt() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.terminal = true;
    try (Drive drive = Drives.open("memory")) {
      cli.drive = drive;
      Files.write(cli.cwd.resolve("a.bin"), new byte[200_000]);
      var r = cli.run("put", "a.bin", "/a.bin");
      assertEquals(0, r.code(), r::toString);
      assertTrue(r.err().contains("\ra.bin ") && r.err().contains("100%") && r.err().endsWith("\n"), r.err());
      assertEquals("/a.bin\n", r.out(), "stdout stays clean");
      r = cli.run("get", "/a.bin", "-");
      assertTrue(r.err().contains("100%"), r.err());
      assertEquals(200_000, r.bytes().length);
      r = cli.run("get", "-q", "/a.bin", "b.bin");
      assertEquals("", r.err());
      assertFalse(new String(r.bytes(), StandardCharsets.UTF_8).contains("\r"));
    }
  }
}
