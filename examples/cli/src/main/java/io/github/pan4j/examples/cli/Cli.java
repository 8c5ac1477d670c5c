package io.github.pan4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.TokenRenewalEvent;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.auth.FileTokenStore;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import io.github.pan4j.testkit.fake.FakeCloudOptions;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The {@code pan4j} command and its subcommands (picocli). Every storage command opens one drive
 * and closes it; options may come before or after the command name.
 */
@Command(name = "pan4j", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Cli.Version.class,
    description = "Work with cloud drives (123云盘 and friends) from the command line.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "Exit codes: 0 ok, 1 other error, 2 usage/configuration, 3 not found,",
        "4 already exists, 5 authentication, 6 rate limited/quota, 7 unsupported,",
        "130 interrupted. See docs/cli.md.",
        "Logging: warn by default; --verbose or PAN4J_LOG=debug|info|trace for more."})
final class Cli implements Callable<Integer> {
  static final String VERSION = "0.1.0-SNAPSHOT";

  /**
   * The subcommands, in the order help lists them. Not in the {@code @Command} annotation: picocli
   * would build every command's model by reflection on each start, and a run needs one of them
   * ({@link Commands} registers the one named on the command line, or all for help and errors).
   */
  static final List<Class<?>> COMMANDS = List.of(CommandLine.HelpCommand.class, VersionCommand.class, DriversCommand.class,
      Ls.class, Tree.class, Stat.class, LinkCommand.class, Get.class, Put.class, Mkdir.class, Cp.class, Mv.class, Rename.class, Rm.class,
      RmThroughCopies.class, TrashCommand.class, Quota.class, ShareCommand.class, DemoCommand.class, FakeCloud.class,
      HostCommand.class, JshellCommand.class, Completion.class, OfflineCommand.class);

  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Env env;

  @Spec CommandSpec spec;
  @Mixin Options.Storage storage = new Options.Storage();
  @Mixin Options.Output output = new Options.Output();

  Cli(InputStream in, PrintStream out, PrintStream err, Env env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pan4j " + VERSION};
    }
  }

  // ---------------------------------------------------------------- commands without a drive

  @Command(name = "version", description = "Print the version.")
  static final class VersionCommand implements Callable<Integer> {
    @ParentCommand Cli cli;

    @Override
    public Integer call() {
      cli.out.println("pan4j " + VERSION);
      return ExitCode.OK;
    }
  }

  /**
   * Listed for help and completion only: the {@code pan4j} launcher starts the host itself (it
   * builds the host and its driver plugins), so this runs only when the jar is started directly.
   */
  @Command(name = "host", description = "The file-browser host with WebDAV (./pan4j host --demo; see docs/host.md)."
      + " Started by the launcher, which builds it; arguments go to the host (--help lists them).")
  static final class HostCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "--config FILE, --port N, --bind ADDRESS, --demo, --verbose.")
    List<String> args;

    @Override
    public Integer call() {
      throw new UsageException("host is started by the pan4j launcher, which builds it and its plugins: ./pan4j host "
          + (args == null ? "" : String.join(" ", args)));
    }
  }

  /** Listed for help and completion only, like {@link HostCommand}. */
  @Command(name = "jshell", description = "JShell with pan4j on the class path and its helpers loaded (memory(), fake(), show(x), cat(drive, path))."
      + " Started by the launcher.")
  static final class JshellCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new UsageException("jshell is started by the pan4j launcher, which puts pan4j on its class path: ./pan4j jshell");
    }
  }

  @Command(name = "drivers", description = "List the drivers found and their options.")
  static final class DriversCommand implements Callable<Integer> {
    @ParentCommand Cli cli;
    @Mixin Options.Output output;

    @Override
    public Integer call() {
      cli.out.print(Drives.create().describe());
      return ExitCode.OK;
    }
  }

  @Command(name = "demo", description = "Walk through every driver on a fake 123 cloud (no account needed).")
  static final class DemoCommand implements Callable<Integer> {
    @ParentCommand Cli cli;
    @Mixin Options.Output output;

    @Override
    public Integer call() {
      return new Demo(cli.out, cli.err, cli.env, output.merge(cli.output).quiet).run();
    }
  }

  @Command(name = "fake-cloud", description = "Serve the fake 123 cloud on loopback until Ctrl-C.")
  static final class FakeCloud implements Callable<Integer> {
    @ParentCommand Cli cli;
    @Mixin Options.Output output;

    @Option(names = "--port", paramLabel = "PORT", description = "First port (default ${DEFAULT-VALUE}); the others follow it.",
        defaultValue = "8123")
    int port;

    @Option(names = "--once", description = "Print the URLs and commands, then stop.")
    boolean once;

    @Option(names = "--vip", description = "The demo account is VIP: direct links and the VIP QPS table.")
    boolean vip;

    @Option(names = "--url-auth", paramLabel = "on|off", description = "Whether direct links must carry auth_key (default on).")
    String urlAuth;

    @Option(names = "--state", paramLabel = "DIR", description = "Keep the file tree in DIR between runs (loaded at start, saved at exit).")
    String state;

    @Option(names = "--seed", paramLabel = "FILE", description = "A folder tree to start with when there is no saved state (see docs/testing.md).")
    String seed;

    @Option(names = "--realistic", description = "Turn on the real service's quirks at plausible rates (see docs/testing.md).")
    boolean realistic;

    @Option(names = "--realistic-seed", paramLabel = "N", description = "Seed of the quirks' random choices.")
    String realisticSeed;

    @Option(names = "--offline-polls", paramLabel = "N", description = "Polls an offline download answers 'in progress' before it succeeds (default 2).")
    String offlinePolls;

    @Option(names = "--offline-root-dirid", paramLabel = "absent|refuse", description = "Open platform offline download with dirID 0: use the default folder (absent) or refuse it.")
    String offlineRootDirId;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
        description = "A behaviour switch of the fake (repeatable), e.g. open.qps=false; GET /_fake/settings lists them.")
    java.util.List<String> settings;

    @Override
    public Integer call() {
      java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("--port", Integer.toString(port)));
      if (vip) a.add("--vip");
      if (realistic) a.add("--realistic");
      if (urlAuth != null) a.addAll(java.util.List.of("--url-auth", urlAuth));
      if (state != null) a.addAll(java.util.List.of("--state", state));
      if (seed != null) a.addAll(java.util.List.of("--seed", seed));
      if (realisticSeed != null) a.addAll(java.util.List.of("--realistic-seed", realisticSeed));
      if (offlinePolls != null) a.addAll(java.util.List.of("--offline-polls", offlinePolls));
      if (offlineRootDirId != null) a.addAll(java.util.List.of("--offline-root-dirid", offlineRootDirId));
      if (settings != null) settings.forEach(x -> a.addAll(java.util.List.of("--set", x)));
      FakeCloudOptions options;
      try {
        options = FakeCloudOptions.parse(a.toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      return new FakeCloudCommand(cli.out, cli.err, options, once).run();
    }
  }

  @Command(name = "completion", description = "Print a shell completion script: source <(pan4j completion bash), or zsh.")
  static final class Completion implements Callable<Integer> {
    @ParentCommand Cli cli;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
      String script = AutoComplete.bash("pan4j", cli.spec.commandLine());
      switch (shell) {
        case "bash" -> cli.out.print(script);
        // picocli's script runs in zsh through bashcompinit.
        case "zsh" -> cli.out.print("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script);
        default -> throw new UsageException("completion: SHELL must be bash or zsh, not '" + shell + "'");
      }
      return ExitCode.OK;
    }
  }

  // ---------------------------------------------------------------- storage commands

  /** A command that works on one drive: opens it from --driver/--profile, runs, closes it. */
  abstract static class StorageCommand implements Callable<Integer> {
    @ParentCommand Cli cli;
    @Mixin Options.Storage storageOptions;
    @Mixin Options.Output outputOptions;
    Options.Output output;
    PrintStream out;
    PrintStream err;
    Env env;

    @Override
    public final Integer call() {
      out = cli.out;
      err = cli.err;
      env = cli.env;
      output = outputOptions.merge(cli.output);
      try {
        return onDrive(storageOptions.merge(cli.storage), through(), env, err, this::beforeOpen, this::run);
      } finally {
        afterClose();
      }
    }

    abstract int run(Drive drive);

    /** The --through-* options of commands that download; null for the others. */
    Options.Through through() {
      return null;
    }

    /**
     * Work the command can start once its driver is known, before the drive is built (building it
     * sets up an HTTP client and the token store, ≈ 0.4 s in a fresh JVM). Default: none.
     */
    void beforeOpen(DriverProvider<?> provider, Map<String, String> options) {}

    /** Ends what {@link #beforeOpen} started, after the drive was closed or failed to open. */
    void afterClose() {}

    /**
     * Opens the drive chosen by the storage options (a profile, --driver/--opt, or the fixed drive
     * of an in-process test), with the persistent token file, runs {@code body} on it, closes it;
     * with --stats, prints the requests' table on {@code err} at the end, whatever the outcome.
     */
    static int onDrive(Options.Storage storage, Env env, PrintStream err, java.util.function.ToIntFunction<Drive> body) {
      return onDrive(storage, env, err, (provider, options) -> {}, body);
    }

    /** As {@link #onDrive(Options.Storage, Env, PrintStream, java.util.function.ToIntFunction)}, with {@code beforeOpen} given the driver's provider first. */
    static int onDrive(Options.Storage storage, Env env, PrintStream err,
        java.util.function.BiConsumer<DriverProvider<?>, Map<String, String>> beforeOpen, java.util.function.ToIntFunction<Drive> body) {
      return onDrive(storage, null, env, err, beforeOpen, body);
    }

    /**
     * As above; with {@code through} naming a drive, the drive downloads through it
     * ({@code Drive.Builder.downloadThrough}), both opened with the same context and token file.
     */
    static int onDrive(Options.Storage storage, Options.Through through, Env env, PrintStream err,
        java.util.function.BiConsumer<DriverProvider<?>, Map<String, String>> beforeOpen, java.util.function.ToIntFunction<Drive> body) {
      boolean viaOther = through != null && through.requested();
      if (env.fixedDrive() != null) {
        if (viaOther) throw new UsageException("--through-driver cannot be used with this drive");
        return body.applyAsInt(env.fixedDrive());
      }
      Profiles.Storage chosen = Profiles.choose(storage, env);
      Drives drives = Drives.create();
      // an unknown id fails in open, with the ids known
      drives.findProvider(chosen.driverId()).ifPresent(p -> beforeOpen.accept(p, chosen.options()));
      Path stateDir = storage.stateDir != null ? env.expand(storage.stateDir) : env.defaultStateDir();
      DriverContext.Builder context = DriverContext.defaults().toBuilder()
          .tokenStore(new FileTokenStore(stateDir.resolve("tokens.json")));
      RequestStats stats = storage.stats ? new RequestStats() : null;
      Profiles.Storage ref = viaOther ? Profiles.choose(through.asStorage(storage.config), env) : null;
      // A content download by the other driver says the file came through it (told in get's note).
      boolean told = ref != null && !ref.driverId().equals(chosen.driverId());
      if (stats != null || told) {
        context.requestListener(new RequestListener() {
          @Override
          public void requestEnded(RequestEvent e) {
            if (told && RequestEvent.DOWNLOAD.equals(e.endpoint()) && ref.driverId().equals(e.driverId())) through.usedBy = ref.driverId();
            if (stats != null) stats.requestEnded(e);
          }

          @Override
          public void renewalEnded(TokenRenewalEvent e) {
            if (stats != null) stats.renewalEnded(e);
          }
        });
      }
      DriverContext ctx = context.build();
      try {
        if (!viaOther) {
          try (Drive drive = drives.open(chosen.driverId(), chosen.options(), ctx)) {
            return body.applyAsInt(drive);
          }
        }
        Drive.Through when = through.always ? Drive.Through.ALWAYS : Drive.Through.WHEN_SIGN_IN_REQUIRED;
        Drive opened;
        try {
          opened = drives.open(ref.driverId(), ref.options(), ctx);
        } catch (DriveException e) {
          // e.g. a missing clientSecret: without this, it reads as if the main drive's --opt were wrong
          if (e.kind() != ErrorKind.CONFIG_INVALID) throw e;
          throw new UsageException(through.label(ref.driverId()) + ": " + e.getMessage());
        }
        try (Drive reference = opened) {
          try (Drive drive = drives.open(chosen.driverId(), chosen.options(), ctx, b -> {
            try {
              b.downloadThrough(reference, through.folderOrDefault(), when);
            } catch (IllegalArgumentException e) {
              String m = e.getMessage();
              // core names its parameter (cacheFolder); here it is the option the user typed
              if (m.startsWith("cacheFolder")) {
                throw new UsageException("--through-folder '" + through.folderOrDefault() + "': "
                    + m.substring("cacheFolder".length()).replaceFirst("^:? *", ""));
              }
              throw new UsageException("--through-driver " + ref.driverId() + ": " + m);
            }
          })) {
            return body.applyAsInt(drive);
          }
        }
      } finally {
        if (stats != null) stats.print(err);
      }
    }

    boolean quiet() {
      return output.quiet;
    }

    Progress progress(String label) {
      return new Progress(err, label, env.terminal() && !output.quiet && !output.noProgress, env.nanoTime());
    }

    void note(String message) {
      if (!quiet()) err.println(message);
    }

    void printJson(Object node) {
      Format.printJson(out, node);
    }
  }

  @Command(name = "ls", description = "List a folder (default /); folders end in /.")
  static final class Ls extends StorageCommand {
    @Option(names = {"-l", "--long"}, description = "Type, size and time too.") boolean longFormat;
    @Option(names = "--json", description = "An array of entries as JSON.") boolean json;
    @Parameters(paramLabel = "PATH", arity = "0..1", description = "Default /.") String path;

    @Override
    int run(Drive drive) {
      String p = path == null ? "/" : path;
      Entry target = statFolderish(drive, p, "ls");
      p = target.path();
      List<Entry> entries = target.folder() ? drive.ls(p) : List.of(target);
      if (json) {
        ArrayNode a = Format.JSON.createArrayNode();
        entries.forEach(e -> a.add(Format.json(e)));
        printJson(a);
      } else if (longFormat) {
        for (Entry e : entries) {
          out.printf(Locale.ROOT, "%s %10s  %s  %s%n", e.folder() ? "d" : "-", e.folder() ? "-" : Format.bytes(e.size()),
              Format.time(e.modified()), e.name() + (e.folder() ? "/" : ""));
        }
      } else {
        for (Entry e : entries) out.println(e.name() + (e.folder() ? "/" : ""));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "tree", description = "Show a folder and everything below it.")
  static final class Tree extends StorageCommand {
    @Parameters(paramLabel = "PATH", arity = "0..1", description = "Default /.") String path;

    @Override
    int run(Drive drive) {
      String p = path == null ? "/" : path;
      Entry top = statFolderish(drive, p, "tree");
      p = top.path();
      if (!top.folder()) {
        out.println(top.path() + "  (" + Format.bytes(top.size()) + ")");
        out.println("0 folders, 1 file");
        return ExitCode.OK;
      }
      int base = depth(top.path());
      long files = 0;
      long folders = 0;
      try (Stream<Entry> walk = drive.walk(p)) {
        for (Iterator<Entry> it = walk.iterator(); it.hasNext(); ) {
          Entry e = it.next();
          int d = depth(e.path()) - base;
          if (d == 0) {
            out.println(e.path());
            continue;
          }
          if (e.folder()) folders++;
          else files++;
          out.println("  ".repeat(d) + e.name() + (e.folder() ? "/" : "  (" + Format.bytes(e.size()) + ")"));
        }
      }
      out.println(folders + (folders == 1 ? " folder, " : " folders, ") + files + (files == 1 ? " file" : " files"));
      return ExitCode.OK;
    }
  }

  @Command(name = "stat", description = "Show one entry.")
  static final class Stat extends StorageCommand {
    @Option(names = "--json", description = "The entry as JSON.") boolean json;
    @Parameters(paramLabel = "PATH", description = "The entry on the drive, e.g. /Demo/readme.txt.") String path;

    @Override
    int run(Drive drive) {
      Entry e = path.length() > 1 && path.endsWith("/") ? statFolderish(drive, path, "stat") : drive.stat(path);
      if (json) {
        printJson(Format.json(e));
        return ExitCode.OK;
      }
      out.println("path:     " + e.path());
      out.println("type:     " + (e.folder() ? "folder" : "file"));
      out.println("id:       " + e.id());
      if (!e.folder()) out.println("size:     " + e.size() + " (" + Format.bytes(e.size()) + ")");
      if (e.modified() != null) out.println("modified: " + e.modified());
      if (e.created() != null) out.println("created:  " + e.created());
      if (e.hashes().md5() != null) out.println("md5:      " + e.hashes().md5());
      if (e.hashes().sha1() != null) out.println("sha1:     " + e.hashes().sha1());
      new TreeMap<>(e.extras()).forEach((k, v) -> out.println(k + ": " + v));
      return ExitCode.OK;
    }
  }

  @Command(name = "link", description = "Print a download URL for a file (expiry and notes on stderr).")
  static final class LinkCommand extends StorageCommand {
    @Parameters(paramLabel = "PATH", description = "A file on the drive.") String path;
    @Mixin Options.Through throughOptions;

    @Override
    Options.Through through() {
      return throughOptions;
    }

    @Override
    int run(Drive drive) {
      Link link = drive.link(path);
      out.println(link.url());
      if (!quiet()) {
        link.expiresAt().ifPresent(t -> err.println("expires: " + t));
        // Header values may be credentials (a Referer is not, a cookie would be): show the names only.
        if (!link.headers().isEmpty()) err.println("the download must send headers: " + String.join(", ", new TreeMap<>(link.headers()).keySet()));
        if (link.preferProxy()) err.println("note: this URL is best fetched by this machine (pan4j get), not handed to a browser");
        link.note().ifPresent(n -> err.println("note: " + n));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "get", description = "Download a file to LOCAL (a file, or a folder: LOCAL/ must exist), the working folder, or stdout (-).")
  static final class Get extends StorageCommand {
    @Parameters(index = "0", paramLabel = "REMOTE", description = "A file on the drive.") String remote;
    @Parameters(index = "1", paramLabel = "LOCAL|-", arity = "0..1", description = "Where to write it (default: the working "
        + "folder).") String local;
    @Mixin Options.Through throughOptions;

    @Override
    Options.Through through() {
      return throughOptions;
    }

    @Override
    int run(Drive drive) {
      Entry entry = stat(drive, remote, "get");
      if (entry.folder()) {
        throw DriveException.builder(ErrorKind.IS_A_DIRECTORY, "is a folder; get downloads one file (see 'pan4j tree')")
            .driver(drive.id()).operation("get").target(remote).build();
      }
      Progress progress = progress(entry.name());
      try (Interrupts interrupts = Interrupts.install(env, err, progress)) {
        if ("-".equals(local)) {
          progress.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, entry.size(), false));
          try {
            drive.get(remote, new CountingStream(out, entry.size(), progress));
          } finally {
            progress.finish();
          }
          out.flush();
          return ExitCode.OK;
        }
        Path target = LocalPaths.downloadTarget(env, local, entry.name());
        Path part = LocalPaths.createPart(target, interrupts,
            f -> "the partial download " + f.getFileName() + " was removed; " + target + " is untouched");
        try {
          try (OutputStream file = Files.newOutputStream(part)) {
            progress.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, entry.size(), false));
            drive.get(remote, new CountingStream(file, entry.size(), progress));
          } catch (IOException e) {
            throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "cannot write " + part + ": " + e.getMessage())
                .operation("get").target(target.toString()).cause(e).build();
          } finally {
            progress.finish();
          }
          moveIntoPlace(part, target);
        } finally {
          deleteQuietly(part);
          interrupts.forget(part);
        }
        note("downloaded " + entry.path() + " (" + Format.bytes(entry.size()) + ")"
            + (throughOptions.usedBy != null ? " through the " + throughOptions.usedBy + " drive (its copy stays in "
                + throughOptions.folderOrDefault() + ")" : "") + " to " + target);
        return ExitCode.OK;
      }
    }

    private static void moveIntoPlace(Path part, Path target) {
      try {
        try {
          Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "cannot move the download into place: " + e.getMessage())
            .operation("get").target(target.toString()).cause(e).build();
      }
    }
  }

  @Command(name = "put", description = "Upload a file (or stdin with -), or create one from its hashes (--hash); a clash fails unless --overwrite or --keep-both.")
  static final class Put extends StorageCommand {
    @Option(names = "--overwrite", description = "Replace an existing file of that name.") boolean overwrite;
    @Option(names = "--keep-both", description = "Keep an existing file; store this one under a new name.") boolean keepBoth;
    @Option(names = "--hash", paramLabel = "ALG:HEX", description = "Create REMOTE from the content's hashes alone, no "
        + "LOCAL (instant upload; md5:HEX needed, sha1:HEX optional); needs --size.") List<String> hashes;
    @Option(names = "--size", paramLabel = "N", description = "With --hash: the content's length in bytes.") Long size;
    @Option(names = "--json", description = "The stored entry as JSON.") boolean json;
    @Parameters(index = "0", paramLabel = "LOCAL|-", description = "The file to upload, or - for stdin. With --hash "
        + "there is no LOCAL: the one argument is REMOTE.") String local;
    @Parameters(index = "1", paramLabel = "REMOTE", arity = "0..1", description = "The path on the drive; a folder "
        + "(ending in /, or one that exists) keeps the local name.") String remote;
    /** LOCAL, opened before the drive so that its hashing overlaps building the drive; null otherwise. */
    private UploadSource early;
    private Path earlyFile;

    /**
     * A LOCAL file's hashing starts as soon as the driver is known ({@link DriverProvider#prepareUpload}):
     * a fresh JVM spends about half a second building the drive and looking REMOTE up, and the
     * pass reads the file meanwhile. Anything unusual (no file, stdin, --hash) is left to {@link #run}.
     */
    @Override
    void beforeOpen(DriverProvider<?> provider, Map<String, String> options) {
      if (hashes != null || size != null || remote == null || "-".equals(local) || (overwrite && keepBoth)) return;
      Path file = env.expand(local);
      if (!Files.isRegularFile(file)) return;
      try {
        early = UploadSource.ofFile(file);
      } catch (RuntimeException e) {
        return; // unreadable: run() reports it with the drive's context
      }
      earlyFile = file;
      prepare(provider, options, early);
    }

    /** Hands {@code source} to {@code provider} with the config the drive will be opened with; bad options are left to open. */
    private static <C> void prepare(DriverProvider<C> provider, Map<String, String> options, UploadSource source) {
      C config;
      try {
        config = provider.parse(options);
      } catch (RuntimeException e) {
        return; // open reports the options' problems, all at once
      }
      provider.prepareUpload(config, source);
    }

    @Override
    void afterClose() {
      if (early != null) early.close(); // stops a pass the upload never took over
    }

    @Override
    int run(Drive drive) {
      if (overwrite && keepBoth) throw new UsageException("put: choose --overwrite or --keep-both, not both");
      ConflictPolicy policy = overwrite ? ConflictPolicy.OVERWRITE : keepBoth ? ConflictPolicy.KEEP_BOTH : ConflictPolicy.FAIL;
      if (hashes != null) {
        if (remote != null) throw new UsageException("put: with --hash give only REMOTE (there is no LOCAL file)");
        Entry stored = HashPut.put(drive, local, HashPut.source(hashes, size), policy);
        note("instant upload: " + drive.id() + " already had this content (matched by its hash), so no bytes were sent");
        return printStored(stored);
      }
      if (size != null) throw new UsageException("put: --size is only for --hash (a LOCAL file's size is read from it)");
      if (remote == null) throw new UsageException("put: give LOCAL and REMOTE (or --hash md5:HEX --size N REMOTE)");
      String target = remote;
      Path file;
      Path staged = null;
      Progress progress;
      if ("-".equals(local)) {
        if (target.endsWith("/")) throw new UsageException("put: with - (stdin) REMOTE must be a file path, not a folder");
        requireParentFolder(drive, target, "put");
        progress = progress(name(target));
      } else {
        file = env.expand(local);
        if (Files.isDirectory(file)) {
          throw new UsageException("put: " + file + " is a local folder; put uploads one file (for a folder's files: for f in "
              + shellWord(local.endsWith("/") ? local : local + "/") + "*; do pan4j put \"$f\" "
              + shellWord(remote.endsWith("/") ? remote : remote + "/") + "; done)");
        }
        if (!Files.isRegularFile(file)) {
          throw DriveException.builder(ErrorKind.NOT_FOUND, "no such local file").operation("put").target(file.toString()).build();
        }
        String asked = target;
        if (target.endsWith("/") || as("put", () -> isFolder(drive, asked))) target = join(target, file.getFileName().toString());
        progress = progress(file.getFileName().toString());
      }
      try (Interrupts interrupts = Interrupts.install(env, err, progress)) {
        if ("-".equals(local)) {
          // Stdin is staged in a private temporary file first (the upload needs its size and MD5);
          // an interrupt or a failure removes the copy.
          staged = LocalPaths.stage(cli.in, interrupts);
          file = staged;
        } else {
          file = env.expand(local);
        }
        Entry stored;
        try {
          UploadOptions options = UploadOptions.of(policy).withListener(progress);
          try {
            stored = early != null && file.equals(earlyFile) ? drive.put(target, early, options)
                : drive.put(target, file, options);
          } catch (DriveException e) {
            // Looked into only when the put failed, so a put that works costs no extra request.
            if (e.kind() == ErrorKind.NOT_FOUND) requireParentFolder(drive, target, "put");
            throw e;
          }
        } finally {
          progress.finish();
          if (staged != null) {
            deleteQuietly(staged);
            interrupts.forget(staged);
          }
        }
        if (progress.instant()) {
          note("instant upload: " + drive.id() + " already had this content (matched by its hash), so no bytes were sent");
        }
        return printStored(stored);
      }
    }

    private int printStored(Entry stored) {
      if (json) printJson(Format.json(stored));
      else out.println(stored.path());
      return ExitCode.OK;
    }
  }

  @Command(name = "mkdir", description = "Create a folder.")
  static final class Mkdir extends StorageCommand {
    @Option(names = {"-p", "--parents"}, description = "Create missing parents; an existing folder is fine.") boolean parents;
    @Parameters(paramLabel = "PATH", description = "The folder to create.") String path;

    @Override
    int run(Drive drive) {
      if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1); // mkdir -p /a/b/
      if (!parents) {
        String parent = parent(path);
        Entry p;
        try {
          p = drive.stat(parent);
        } catch (DriveException e) {
          if (e.kind() != ErrorKind.NOT_FOUND) throw e;
          throw DriveException.builder(ErrorKind.NOT_FOUND, "the parent folder " + parent
              + " does not exist (use mkdir -p to create it too)").driver(drive.id()).operation("mkdir").target(path).build();
        }
        if (!p.folder()) {
          throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "the parent " + parent + " is a file")
              .driver(drive.id()).operation("mkdir").target(path).build();
        }
      }
      Entry existing = find(drive, path);
      if (existing != null && !existing.folder()) {
        throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "a file of that name exists (remove or rename it first)")
            .driver(drive.id()).operation("mkdir").target(path).build();
      }
      if (existing != null && !parents) {
        throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "the folder already exists (mkdir -p accepts an existing folder)")
            .driver(drive.id()).operation("mkdir").target(path).build();
      }
      out.println(drive.mkdirs(path).path());
      return ExitCode.OK;
    }
  }

  @Command(name = "cp", description = {"Copy in the cloud into folder TARGET (or to TARGET as a new path); nothing is"
      + " downloaded. A folder is copied with everything in it.", "A clash fails (exit 4) unless --overwrite; a driver"
      + " without server-side copy is exit 7."})
  static final class Cp extends StorageCommand {
    @Option(names = "--overwrite", description = "Replace an existing file at the target path: it is removed first (to the"
        + " trash where the drive has one). A folder there is never replaced.") boolean overwrite;
    @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to copy.") String from;
    @Parameters(index = "1", paramLabel = "TARGET", description = "A folder to copy into (keeping the name), or a new path"
        + " in an existing folder.") String to;

    @Override
    int run(Drive drive) {
      if (!drive.supports(Capability.COPY)) {
        throw DriveException.builder(ErrorKind.UNSUPPORTED, "this driver cannot copy in the cloud ('pan4j drivers' lists"
            + " what each driver can do); copy through this machine instead: pan4j get, then pan4j put to a drive that can")
            .driver(drive.id()).operation("cp").target(from).build();
      }
      Entry source = statFolderish(drive, from, "cp");
      if (source.path().equals("/")) throw new UsageException("cp: the root folder / cannot be copied; copy what is in it");
      String folder;
      String name;
      if (to.endsWith("/") || as("cp", () -> isFolder(drive, to))) {
        folder = statFolderish(drive, to.endsWith("/") ? to : to + "/", "cp").path();
        name = source.name();
      } else {
        requireParentFolder(drive, to, "cp");
        folder = parent(to);
        name = name(to);
      }
      String target = join(folder, name);
      if (target.equals(source.path())) {
        throw new UsageException("cp: " + source.path() + " would be copied onto itself; give another folder or name");
      }
      if (source.folder() && (folder + "/").startsWith(source.path() + "/")) {
        throw new UsageException("cp: cannot copy the folder " + source.path() + " into itself (" + folder + ")");
      }
      boolean renamed = !name.equals(source.name());
      String firstName = join(folder, source.name());
      if (renamed) {
        if (!drive.supports(Capability.RENAME)) {
          throw DriveException.builder(ErrorKind.UNSUPPORTED, "this driver copies keeping the name and cannot rename; copy"
              + " into " + folder + "/ instead").driver(drive.id()).operation("cp").target(target).build();
        }
      }
      // A copy takes the source's name; when that name is taken in the target folder (always so in the
      // source's own folder), it is made in a temporary folder next to the target, renamed there and moved.
      boolean throughTemp = renamed && find(drive, firstName) != null;
      if (throughTemp && !(drive.supports(Capability.MKDIR) && drive.supports(Capability.MOVE)
          && drive.supports(Capability.REMOVE))) {
        throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "a copy to a new name is made under its own name first,"
            + " and " + folder + " already holds '" + source.name() + "'; copy into another folder, then rename it there")
            .driver(drive.id()).operation("cp").target(target).build();
      }
      Entry existing = find(drive, target);
      if (existing != null) {
        if (!overwrite) {
          throw DriveException.builder(ErrorKind.ALREADY_EXISTS, target + " exists (pass --overwrite to replace it)")
              .driver(drive.id()).operation("cp").target(target).build();
        }
        if (existing.folder()) {
          throw DriveException.builder(ErrorKind.ALREADY_EXISTS, target + " is a folder, which --overwrite never replaces"
              + " (remove it first: pan4j rm -r " + shellWord(target) + ")").driver(drive.id()).operation("cp").target(target).build();
        }
        if (source.path().startsWith(target + "/")) {
          throw new UsageException("cp: replacing " + target + " would remove " + source.path() + " with it");
        }
        drive.remove(target);
      }
      if (throughTemp) return copyThroughTemp(drive, source, folder, name, target);
      Entry copy = copyInCloud(drive, source, folder, "the copy may still complete in the cloud: look at " + target);
      if (renamed) {
        try {
          copy = drive.rename(copy.path(), name);
        } catch (DriveException e) {
          throw DriveException.builder(e.kind(), e.reason() + "; the copy was made as " + copy.path() + " and stays there"
              + " (rename it with pan4j rename, or remove it)").driver(drive.id()).operation("cp").target(target)
              .providerFrom(e).cause(e).build();
        }
      }
      out.println(copy.path());
      return ExitCode.OK;
    }

    /** The server-side copy of {@code source} into {@code into}, with the waiting line and the interrupt note. */
    private Entry copyInCloud(Drive drive, Entry source, String into, String onInterrupt) {
      StatusLine line = new StatusLine(err, env.terminal() && !output.quiet && !output.noProgress);
      try (Interrupts interrupts = Interrupts.install(env, err, line::end)) {
        interrupts.sayOnInterrupt(onInterrupt);
        line.show(source.name() + "  copying in the cloud" + (source.folder() ? ", a folder with everything in it" : "") + "...");
        try {
          return as("cp", () -> drive.copy(source.path(), into));
        } finally {
          line.end();
        }
      }
    }

    /**
     * Copy to {@code folder/name} when {@code folder} already holds the source's name: copy into a new
     * temporary folder in {@code folder}, rename the copy there, move it into {@code folder}, remove the
     * temporary folder. A failure removes the temporary folder with whatever is in it; when that fails too,
     * the message says where the copy is.
     */
    private int copyThroughTemp(Drive drive, Entry source, String folder, String name, String target) {
      String temp = join(folder, ".pan4j-cp-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
      String tempId = drive.mkdirs(temp).id();
      Entry copy;
      try {
        copy = copyInCloud(drive, source, temp, "the copy is made in the temporary folder " + temp + " and may still"
            + " complete there: look there, then pan4j mv it to " + folder + "/ and rename it, or pan4j rm -r " + shellWord(temp));
        try (Interrupts interrupts = Interrupts.install(env, err, () -> {})) {
          interrupts.sayOnInterrupt("the copy is in the temporary folder " + temp + ", or already at " + target
              + ": look there; remove what is left with pan4j rm -r " + shellWord(temp));
          copy = drive.rename(copy.path(), name);
          copy = drive.move(copy.path(), folder);
        }
      } catch (RuntimeException e) {
        String where;
        try {
          removeTemp(drive, temp, tempId);
          where = "the temporary folder " + temp + " was removed with what was in it";
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
          where = "the temporary folder " + temp + " could not be removed (" + describe(cleanup) + "); the copy may be in it:"
              + " look there, then pan4j rm -r " + shellWord(temp);
        }
        if (e instanceof DriveException d) {
          throw DriveException.builder(d.kind(), d.reason() + "; " + where).driver(drive.id()).operation("cp").target(target)
              .providerFrom(d).cause(d).build();
        }
        err.println("pan4j: cp: " + where);
        throw e;
      }
      try {
        removeTemp(drive, temp, tempId);
      } catch (RuntimeException e) {
        err.println("pan4j: cp: the copy is at " + copy.path() + ", but the empty temporary folder " + temp + " could not be removed ("
            + describe(e) + "); remove it with: pan4j rm -r " + shellWord(temp));
      }
      out.println(copy.path());
      return ExitCode.OK;
    }

    /** Removes the temporary folder and, where the drive has a trash, deletes it from there too (best effort). */
    private static void removeTemp(Drive drive, String temp, String tempId) {
      drive.remove(temp);
      if (drive.supports(Capability.TRASH)) {
        try {
          drive.purge(List.of(tempId));
        } catch (DriveException ignored) {
          // It is in the trash, which the provider empties on its own; the copy itself is in place or gone.
        }
      }
    }

    private static String describe(RuntimeException e) {
      return e instanceof DriveException d ? d.reason() : String.valueOf(e.getMessage());
    }
  }

  @Command(name = "mv", description = "Move into folder TARGET (or to TARGET as a new path).")
  static final class Mv extends StorageCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to move.") String from;
    @Parameters(index = "1", paramLabel = "TARGET", description = "A folder to move into, or a new path.") String to;

    @Override
    int run(Drive drive) {
      Entry moved;
      if (to.endsWith("/") || isFolder(drive, to)) {
        moved = drive.move(from, to.length() > 1 && to.endsWith("/") ? to.substring(0, to.length() - 1) : to);
      } else {
        // mv /a/x.txt /b/y.txt: into /b, then rename to y.txt (each step on its own can be undone with mv/rename).
        String folder = parent(to);
        moved = parent(from).equals(folder) ? drive.stat(from) : drive.move(from, folder);
        if (!moved.name().equals(name(to))) moved = drive.rename(moved.path(), name(to));
      }
      out.println(moved.path());
      return ExitCode.OK;
    }
  }

  @Command(name = "rename", description = "Rename within the folder.")
  static final class Rename extends StorageCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to rename.") String path;
    @Parameters(index = "1", paramLabel = "NEWNAME", description = "Its new name (a name, not a path).") String newName;

    @Override
    int run(Drive drive) {
      out.println(drive.rename(path, newName).path());
      return ExitCode.OK;
    }
  }

  @Command(name = "rm", description = "Remove (to the provider's trash where it has one).")
  static final class Rm extends StorageCommand {
    @Option(names = {"-r", "--recursive"}, description = "A folder with everything in it.") boolean recursive;
    @Parameters(paramLabel = "PATH", description = "The file or folder to remove.") String path;

    @Override
    int run(Drive drive) {
      if (path.equals("/") || path.isEmpty()) {
        throw new UsageException("rm: refusing to remove the root folder /; remove what is in it one by one");
      }
      Entry e = statFolderish(drive, path, "rm");
      path = e.path();
      if (e.folder() && !recursive) {
        throw new UsageException("rm: " + path + " is a folder; use rm -r to remove it with everything in it");
      }
      if (!drive.remove(path)) {
        throw DriveException.builder(ErrorKind.NOT_FOUND, "nothing to remove").driver(drive.id()).operation("rm").target(path).build();
      }
      note("removed " + path);
      return ExitCode.OK;
    }
  }

  @Command(name = "rm-through-copies", description = {"Remove for good the copies that get and link --through-driver left"
      + " in --through-folder of that drive.", "Give the same drive and --through-* options as to get."})
  static final class RmThroughCopies extends StorageCommand {
    @Mixin Options.Through throughOptions;

    @Override
    Options.Through through() {
      return throughOptions;
    }

    @Override
    void beforeOpen(DriverProvider<?> provider, Map<String, String> options) {
      if (!throughOptions.requested()) {
        throw new UsageException("rm-through-copies: name the drive that holds the copies, as for get: --through-driver ID"
            + " --through-opt KEY=VALUE..., or --through-profile NAME");
      }
    }

    @Override
    int run(Drive drive) {
      String folder = throughOptions.folderOrDefault();
      note(drive.removeThroughCopies() ? "removed " + folder + " with every copy in it, for good"
          : "no copies: " + folder + " does not exist in that drive");
      return ExitCode.OK;
    }
  }

  @Command(name = "quota", description = "Show space used and free.")
  static final class Quota extends StorageCommand {
    @Option(names = "--json", description = "As JSON.") boolean json;

    @Override
    int run(Drive drive) {
      StorageDetails s = drive.storage();
      if (json) {
        var n = Format.JSON.createObjectNode();
        n.put("totalBytes", s.totalBytes());
        n.put("usedBytes", s.usedBytes());
        if (s.freeBytes().isPresent()) n.put("freeBytes", s.freeBytes().getAsLong());
        else n.putNull("freeBytes");
        n.put("vip", s.vip());
        n.put("plan", s.plan());
        var extras = n.putObject("extras");
        new TreeMap<>(s.extras()).forEach(extras::put);
        printJson(n);
        return ExitCode.OK;
      }
      out.println("used:  " + (s.usedBytes() < 0 ? "unknown" : Format.bytes(s.usedBytes()) + " (" + s.usedBytes() + " bytes)"));
      out.println("total: " + (s.totalBytes() < 0 ? "unlimited or unknown" : Format.bytes(s.totalBytes()) + " (" + s.totalBytes() + " bytes)"));
      if (s.freeBytes().isPresent()) out.println("free:  " + Format.bytes(s.freeBytes().getAsLong()));
      out.println("plan:  " + (s.plan() == null ? "-" : s.plan()) + (s.vip() ? " (VIP)" : ""));
      new TreeMap<>(s.extras()).forEach((k, v) -> out.println(k + ": " + v));
      return ExitCode.OK;
    }
  }

  // ---------------------------------------------------------------- helpers

  static int depth(String path) {
    if (path == null || path.equals("/")) return 0;
    return (int) path.chars().filter(c -> c == '/').count();
  }

  static Entry find(Drive drive, String path) {
    try {
      return drive.stat(path);
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) return null;
      throw e;
    }
  }

  /**
   * {@link #stat(Drive, String, String)} that also takes a folder written with a trailing '/'
   * ({@code ls /Demo/}), as listings print folders and shells complete them; the drive itself
   * refuses such a path. Written so, a file is refused as not a folder, as {@code ls file/} is.
   */
  static Entry statFolderish(Drive drive, String path, String command) {
    if (path.length() < 2 || !path.endsWith("/")) return stat(drive, path, command);
    Entry e = stat(drive, path.substring(0, path.length() - 1), command);
    if (!e.folder()) {
      throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, e.path() + " is a file, not a folder; drop the trailing '/'")
          .driver(drive.id()).operation(command).target(path).build();
    }
    return e;
  }

  /** {@code drive.stat(path)}, a failure labelled with the command that asked. */
  static Entry stat(Drive drive, String path, String command) {
    return as(command, () -> drive.stat(path));
  }

  /** Runs {@code step}, a failure labelled with {@code command} rather than the drive's own step. */
  static <T> T as(String command, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (DriveException e) {
      throw e.toBuilder().operation(command).cause(e.getCause()).build();
    }
  }

  /** Refuses an upload to {@code target} up front when the folder it goes into does not exist. */
  static void requireParentFolder(Drive drive, String target, String command) {
    String parent = parent(target);
    Entry p = find(drive, parent);
    if (p == null) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "the folder " + parent + " does not exist (create it first: pan4j mkdir -p "
          + shellWord(parent) + ")").driver(drive.id()).operation(command).target(target).build();
    }
    if (!p.folder()) {
      throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, parent + " is a file, not a folder")
          .driver(drive.id()).operation(command).target(target).build();
    }
  }

  /**
   * {@code word} as one shell word, for a command a message suggests: as is when it has only
   * characters that need no quoting, else in single quotes, so that a suggestion naming
   * {@code /Demo/新 文件夹} can be pasted as it stands.
   */
  static String shellWord(String word) {
    if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:@%+=,-]+")) return word;
    return "'" + word.replace("'", "'\\''") + "'";
  }

  static boolean isFolder(Drive drive, String path) {
    Entry e = find(drive, path);
    return e != null && e.folder();
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort; the interrupt hook or the user removes leftovers
    }
  }

  static String parent(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    return slash <= 0 ? "/" : p.substring(0, slash);
  }

  static String name(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  static String join(String folder, String name) {
    return (folder.endsWith("/") ? folder : folder + "/") + name;
  }

  static String randomSuffix() {
    return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }

  /** Counts bytes written for the progress bar of {@code get}. */
  static final class CountingStream extends FilterOutputStream {
    private final long total;
    private final Progress progress;
    private long done;

    CountingStream(OutputStream out, long total, Progress progress) {
      super(out);
      this.total = total;
      this.progress = progress;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      progressed(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      progressed(len);
    }

    @Override
    public void close() throws IOException {
      flush(); // never close stdout; the file is closed by its owner
    }

    private void progressed(int n) {
      done += n;
      progress.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, total, false));
    }
  }
}
