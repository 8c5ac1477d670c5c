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

    /** How the options that chose this storage are spelled in messages: {@code --} or {@code --through-}. */
    String flags = "--";

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

  /**
   * Downloading through another drive ({@code Drive.Builder.downloadThrough}): for {@code get} and
   * {@code link}, typically a 123share drive through a 123open drive of your own account.
   */
  static final class Through {
    @Option(names = "--through-driver", paramLabel = "ID",
        description = "Download through a drive of this driver (123open) by instant upload, when the drive refuses a file"
            + " without sign-in or when its download traffic is used up (see docs/drivers/123share.md).")
    String driver;

    @Option(names = "--through-opt", paramLabel = "KEY=VALUE",
        description = "Option of that drive, repeatable, as --opt.")
    List<String> opts = new ArrayList<>();

    @Option(names = "--through-profile", paramLabel = "NAME", description = "That drive from a profile of the config file.")
    String profile;

    @Option(names = "--through-folder", paramLabel = "PATH",
        description = "Its folder for the copies, which stay there (default /pan4j-cache).")
    String folder;

    @Option(names = "--through-always", description = "Every file through it, not only those refused for want of sign-in or traffic.")
    boolean always;

    /** The driver id of the drive to download through, once it fetched a file's content in this run (for get's note). */
    volatile String usedBy;

    /** True when a drive to download through was named; the other through options without one are a usage error. */
    boolean requested() {
      boolean named = driver != null || profile != null;
      if (!named && (!opts.isEmpty() || folder != null || always)) {
        throw new UsageException("--through-opt, --through-folder and --through-always need --through-driver ID or"
            + " --through-profile NAME (the drive to download through)");
      }
      return named;
    }

    /** The through drive's choice as storage options, read from {@code config} like the main drive's. */
    Storage asStorage(String config) {
      Storage s = new Storage();
      s.driver = driver;
      s.profile = profile;
      s.config = config;
      s.opts = new ArrayList<>(opts);
      s.flags = "--through-";
      return s;
    }

    String folderOrDefault() {
      return folder != null ? folder : "/pan4j-cache";
    }

    /** How messages name the through drive, by the options that chose it (not by the main drive's --opt). */
    String label(String driverId) {
      return "the drive to download through (" + (driver == null && profile != null ? "--through-profile " + profile
          : "--through-driver " + driverId) + ", --through-opt)";
    }
  }
}
