package io.github.pan4j.examples.cli;

import io.github.pan4j.core.Drive;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the command line takes from its surroundings, so tests can run it in-process: environment
 * variables, the home and working folders, whether stderr is a terminal (progress bars), a
 * nanosecond ticker for rates, and optionally a drive to use instead of opening one.
 *
 * @param variables environment variables (for {@code ${env:NAME}} and the XDG folders)
 * @param home the user's home folder
 * @param cwd the working folder, against which local paths are resolved
 * @param terminal true when progress may be drawn (an interactive console)
 * @param nanoTime monotonic time for progress rates
 * @param fixedDrive a drive every storage command uses instead of --driver/--profile (tests);
 *     it is not closed by the command line
 * @param processHooks true in the real process: get and put install a shutdown hook that removes
 *     their partial files on Ctrl-C or SIGTERM (off in-process, where tests call the hook directly)
 */
record Env(Map<String, String> variables, Path home, Path cwd, boolean terminal, LongSupplier nanoTime, Drive fixedDrive,
    boolean processHooks) {
  Env {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The real process environment. */
  static Env system() {
    return new Env(System.getenv(), Path.of(System.getProperty("user.home")), Path.of("").toAbsolutePath(),
        System.console() != null, System::nanoTime, null, true);
  }

  Env withDrive(Drive drive) {
    return new Env(variables, home, cwd, terminal, nanoTime, drive, processHooks);
  }

  Env withTerminal(boolean value) {
    return new Env(variables, home, cwd, value, nanoTime, fixedDrive, processHooks);
  }

  String variable(String name) {
    return variables.get(name);
  }

  /** {@code $XDG_CONFIG_HOME/pan4j/profiles.properties}, else {@code ~/.config/pan4j/profiles.properties}. */
  Path defaultConfig() {
    String explicit = variable("PAN4J_CONFIG");
    if (explicit != null && !explicit.isBlank()) return expand(explicit);
    String xdg = variable("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
    return base.resolve("pan4j").resolve("profiles.properties");
  }

  /** {@code $XDG_STATE_HOME/pan4j}, else {@code ~/.local/state/pan4j}. */
  Path defaultStateDir() {
    // The same folder the library's default token store uses: $XDG_STATE_HOME, then $HOME, then user.home.
    return io.github.pan4j.core.auth.TokenStores.stateDir(variables, home);
  }

  /** A local path as typed: {@code ~/x} is under home, relative paths under the working folder. */
  Path expand(String path) {
    if (path.equals("~")) return home;
    if (path.startsWith("~/")) return home.resolve(path.substring(2));
    return cwd.resolve(path);
  }
}
