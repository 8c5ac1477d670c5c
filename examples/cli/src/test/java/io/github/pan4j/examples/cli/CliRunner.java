package io.github.pan4j.examples.cli;

import io.github.pan4j.core.Drive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Runs the command line in-process with captured streams and a controlled environment. */
final class CliRunner {
  final Path home;
  final Path cwd;
  final Map<String, String> variables = new HashMap<>();
  final AtomicLong nanos = new AtomicLong();
  Drive drive;
  boolean terminal;
  byte[] stdin = new byte[0];

  CliRunner(Path dir) {
    this.home = dir.resolve("home");
    this.cwd = dir.resolve("cwd");
    try {
      java.nio.file.Files.createDirectories(home);
      java.nio.file.Files.createDirectories(cwd);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Env env = runEnv();
    int code = Main.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  Env runEnv() {
    return new Env(variables, home, cwd, terminal, () -> nanos.addAndGet(50_000_000L), drive, false);
  }

  record Result(int code, byte[] bytes, String err) {
    String out() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out() + "--- stderr\n" + err;
    }
  }
}
