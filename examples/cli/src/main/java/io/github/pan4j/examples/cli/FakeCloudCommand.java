package io.github.pan4j.examples.cli;

import java.io.PrintStream;

/** Placeholder until the front doors land. */
final class FakeCloudCommand {
  private final PrintStream err;

  FakeCloudCommand(PrintStream out, PrintStream err, Args args) {
    this.err = err;
  }

  int run() {
    err.println("fake-cloud: not wired yet");
    return ExitCode.OTHER;
  }
}
