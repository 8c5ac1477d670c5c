package io.github.pan4j.examples.cli;

import io.github.pan4j.core.DriveException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The {@code pan4j} command line. Run it with {@code ./pan4j} at the repository root, or embed
 * it with {@link #run}: {@code Main.run(new String[] {"ls", "-l", "/"}, System.in, System.out,
 * System.err)} returns the exit code instead of exiting.
 *
 * <p>Exit codes: 0 ok, 1 other error, 2 usage or configuration, 3 not found, 4 already exists,
 * 5 authentication, 6 rate limited or quota, 7 unsupported by the driver, 130 interrupted.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // No logging backend ships with the CLI; keep SLF4J's "no providers" notice off the terminal.
    if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    int code = run(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs one command line with the given streams and returns its exit code. Progress bars are
   * drawn only when {@code err} is the process's stderr and there is a console.
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Env env = Env.system();
    return run(args, in, out, err, env.withTerminal(env.terminal() && err == System.err));
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Env env) {
    try {
      return new Cli(in, out, err, env).run(args);
    } catch (UsageException e) {
      err.println("pan4j: " + e.getMessage());
      err.println("Run 'pan4j help' for the commands and options.");
      return ExitCode.USAGE;
    } catch (DriveException e) {
      err.println("pan4j: " + e.getMessage());
      return ExitCode.of(e.kind());
    } catch (RuntimeException e) {
      // A bug, not a user error: say so, with the type (messages of foreign exceptions are ours to show).
      err.println("pan4j: unexpected error: " + e);
      return ExitCode.OTHER;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
