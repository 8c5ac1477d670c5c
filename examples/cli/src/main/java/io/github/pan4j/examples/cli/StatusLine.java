package io.github.pan4j.examples.cli;

import java.io.PrintStream;

/**
 * One line of stderr redrawn in place: each {@link #show} returns to the line's start and pads
 * over whatever a longer previous text left; {@link #end} closes it with a line break, once, and
 * only if something was shown. Does nothing when disabled (not a terminal, or --quiet).
 */
final class StatusLine {
  private final PrintStream err;
  private final boolean enabled;
  private boolean drawn;
  private int lastLength;

  StatusLine(PrintStream err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  boolean enabled() {
    return enabled;
  }

  void show(String line) {
    if (!enabled) return;
    StringBuilder s = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < lastLength; i++) s.append(' ');
    lastLength = line.length();
    err.print(s);
    err.flush();
    drawn = true;
  }

  void end() {
    if (enabled && drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }
}
