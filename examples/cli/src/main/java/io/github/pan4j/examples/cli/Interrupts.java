package io.github.pan4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a command leaves behind if the process is stopped (Ctrl-C, SIGTERM): files to remove (the
 * hidden part file of {@code get}, the staged copy of stdin of {@code put -}) and a progress line
 * to end. Installed as a JVM shutdown hook while the command runs (only in the real process, see
 * {@link Env#processHooks}); {@code kill -9} runs no hook, so a part file can then stay behind.
 */
final class Interrupts implements AutoCloseable, Runnable {
  private final Map<Path, String> files = new ConcurrentHashMap<>();
  private final PrintStream err;
  private final Progress progress;
  private final Thread hook;
  private volatile boolean done;

  private Interrupts(PrintStream err, Progress progress, boolean install) {
    this.err = err;
    this.progress = progress;
    this.hook = install ? new Thread(this, "pan4j-interrupted") : null;
    if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
  }

  static Interrupts install(Env env, PrintStream err, Progress progress) {
    return new Interrupts(err, progress, env.processHooks());
  }

  /** Removes {@code file} if the process is stopped before {@link #forget}; {@code message} says so. */
  void removeOnInterrupt(Path file, String message) {
    files.put(file, message);
  }

  void forget(Path file) {
    files.remove(file);
  }

  /** The hook: ends the progress line, removes the files and says what was cleaned up. */
  @Override
  public void run() {
    if (done) return;
    progress.finish();
    StringBuilder s = new StringBuilder("pan4j: interrupted");
    for (Map.Entry<Path, String> e : files.entrySet()) {
      try {
        Files.deleteIfExists(e.getKey());
        s.append("; ").append(e.getValue());
      } catch (IOException x) {
        s.append("; could not remove ").append(e.getKey()).append(" (").append(x.getMessage()).append("): delete it by hand");
      }
    }
    err.println(s);
    err.flush();
  }

  @Override
  public void close() {
    done = true;
    if (hook == null) return;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
