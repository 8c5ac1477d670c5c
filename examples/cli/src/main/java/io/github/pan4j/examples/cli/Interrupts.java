package io.github.pan4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a command leaves behind if the process is stopped (Ctrl-C, SIGTERM): files to remove (the
 * hidden part file of {@code get}, the staged copy of stdin of {@code put -}), a progress line
 * to end and what to tell about work that goes on without us (a copy in the cloud). Installed as a JVM shutdown hook while the command runs (only in the real process, see
 * {@link Env#processHooks}); {@code kill -9} runs no hook, so a part file can then stay behind.
 */
final class Interrupts implements AutoCloseable, Runnable {
  private final Map<Path, String> files = new ConcurrentHashMap<>();
  private final PrintStream err;
  private final Runnable endLine;
  private final Thread hook;
  private volatile String notice;
  private volatile boolean done;

  private Interrupts(PrintStream err, Runnable endLine, boolean install) {
    this.err = err;
    this.endLine = endLine;
    this.hook = install ? new Thread(this, "pan4j-interrupted") : null;
    if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
  }

  static Interrupts install(Env env, PrintStream err, Progress progress) {
    return install(env, err, progress::finish);
  }

  /** As above, with {@code endLine} ending whatever status line the command draws. */
  static Interrupts install(Env env, PrintStream err, Runnable endLine) {
    return new Interrupts(err, endLine, env.processHooks());
  }

  /** Adds {@code message} to what an interrupt prints (after the removed files). */
  void sayOnInterrupt(String message) {
    notice = message;
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
    endLine.run();
    StringBuilder s = new StringBuilder("pan4j: interrupted");
    for (Map.Entry<Path, String> e : files.entrySet()) {
      try {
        Files.deleteIfExists(e.getKey());
        s.append("; ").append(e.getValue());
      } catch (IOException x) {
        s.append("; could not remove ").append(e.getKey()).append(" (").append(x.getMessage()).append("): delete it by hand");
      }
    }
    if (notice != null) s.append("; ").append(notice);
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
