package io.github.pan4j.examples.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options every command takes, before or after its name: each command and the top-level
 * {@code pan4j} carry a copy (picocli mixins), and {@link #merge} combines the two.
 */
final class Options {
  private Options() {}

  /** Output options: quiet, progress, logging. */
  static final class Output {
    @Option(names = {"-q", "--quiet"}, description = "No progress and no notes on stderr.")
    boolean quiet;

    @Option(names = "--no-progress", description = "No progress bar (notes still shown).")
    boolean noProgress;

    @Option(names = "--verbose", description = "Debug logging on stderr (secrets stay masked); same as PAN4J_LOG=debug.")
    boolean verbose;

    Output merge(Output before) {
      Output o = new Output();
      o.quiet = quiet || before.quiet;
      o.noProgress = noProgress || before.noProgress;
      o.verbose = verbose || before.verbose;
      return o;
    }
  }

  /** Which storage: a driver and its options, or a profile from the config file. */
  static final class Storage {
    @Option(names = "--driver", paramLabel = "ID", description = "Driver id (see 'pan4j drivers').")
    String driver;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
        description = "Driver option, repeatable; a value may be $${env:NAME} or $${file:PATH}.")
    List<String> opts = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME",
        description = "A profile from the config file (or $PAN4J_PROFILE, or the file's 'default').")
    String profile;

    @Option(names = "--config", paramLabel = "PATH",
        description = "Config file (default $PAN4J_CONFIG, else $XDG_CONFIG_HOME/pan4j/profiles.properties, else"
            + " ~/.config/pan4j/profiles.properties).")
    String config;

    @Option(names = "--state-dir", paramLabel = "PATH", description = "Where tokens are kept (default $XDG_STATE_HOME/pan4j, else ~/.local/state/pan4j).")
    String stateDir;

    @Option(names = "--stats", description = "At the end, a table of the API requests per endpoint on stderr.")
    boolean stats;

    /** This command's options over those given before the command name; one given in both places is an error. */
    Storage merge(Storage before) {
      Storage s = new Storage();
      s.driver = one("--driver", before.driver, driver);
      s.profile = one("--profile", before.profile, profile);
      s.config = one("--config", before.config, config);
      s.stateDir = one("--state-dir", before.stateDir, stateDir);
      s.stats = stats || before.stats;
      s.opts = new ArrayList<>(before.opts);
      s.opts.addAll(opts);
      return s;
    }

    private static String one(String name, String before, String after) {
      if (before != null && after != null && !before.equals(after)) {
        throw new UsageException(name + " given more than once ('" + before + "' and '" + after + "')");
      }
      return after != null ? after : before;
    }
  }
}
