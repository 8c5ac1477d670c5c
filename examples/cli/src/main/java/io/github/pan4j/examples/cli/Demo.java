package io.github.pan4j.examples.cli;

import java.io.PrintStream;

/** Placeholder until the drivers land. */
final class Demo {
  private final PrintStream err;

  Demo(PrintStream out, PrintStream err, Env env, Args args) {
    this.err = err;
  }

  int run() {
    err.println("demo: not wired yet");
    return ExitCode.OTHER;
  }
}
