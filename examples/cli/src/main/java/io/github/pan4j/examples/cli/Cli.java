package io.github.pan4j.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.auth.FileTokenStore;
import io.github.pan4j.core.spi.DriverContext;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Dispatches one command line; every storage command opens one drive and closes it. */
final class Cli {
  static final String VERSION = "0.1.0-SNAPSHOT";

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Env env;
  private Args args;

  Cli(InputStream in, PrintStream out, PrintStream err, Env env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run(String[] argv) {
    args = Args.parse(argv);
    String command = args.command;
    if (command == null) {
      if (args.has("--version")) return version();
      if (args.has("--help")) return help();
      throw new UsageException("no command given");
    }
    if (args.has("--help")) return help();
    return switch (command) {
      case "help" -> help();
      case "version" -> version();
      case "drivers" -> drivers();
      case "demo" -> new Demo(out, err, env, args).run();
      case "fake-cloud" -> new FakeCloudCommand(out, err, args).run();
      case "ls", "tree", "stat", "link", "get", "put", "mkdir", "mv", "rename", "rm", "quota" -> withDrive(command);
      default -> throw new UsageException("unknown command '" + command + "'");
    };
  }

  // ---------------------------------------------------------------- commands without a drive

  private int help() {
    out.print("""
        pan4j - work with cloud drives (123云盘 and friends) from the command line

        Usage: pan4j COMMAND [ARGS] [--driver ID --opt key=value ... | --profile NAME] [OPTIONS]

        Commands:
          drivers                       list the drivers found and their options
          ls [-l] [--json] [PATH]       list a folder (default /)
          tree [PATH]                   show a folder and everything below it
          stat [--json] PATH            show one entry
          link PATH                     print a download URL for a file
          get REMOTE [LOCAL|-]          download a file (to LOCAL, the working folder, or stdout)
          put LOCAL|- REMOTE            upload a file (or stdin); --overwrite or --keep-both on a clash
          mkdir [-p] PATH               create a folder (-p: with parents, no error if it exists)
          mv PATH TARGET                move into folder TARGET (or to TARGET as a new path)
          rename PATH NEWNAME           rename within the folder
          rm [-r] PATH                  remove (-r for a folder with its contents)
          quota                         show space used and free
          demo                          walk through every driver on a fake 123 cloud (no account needed)
          fake-cloud [--port 8123]      serve the fake 123 cloud until Ctrl-C
                                        (--vip, --url-auth on|off, --state DIR, --seed FILE, --realistic)

        Storage:
          --driver ID                   driver id (see 'pan4j drivers')
          --opt key=value               driver option, repeatable; values may be ${env:NAME} or ${file:PATH}
          --profile NAME                a profile from the config file (or $PAN4J_PROFILE, or its 'default')
          --config PATH                 config file (default ~/.config/pan4j/profiles.properties)
          --state-dir PATH              where tokens are kept (default ~/.local/state/pan4j)

        Options:
          -q, --quiet                   no progress and no notes on stderr
          -h, --help                    this text;   --version   the version

        Exit codes: 0 ok, 1 other error, 2 usage/configuration, 3 not found, 4 already exists,
        5 authentication, 6 rate limited/quota, 7 unsupported, 130 interrupted. See docs/cli.md.
        """);
    return ExitCode.OK;
  }

  private int version() {
    out.println("pan4j " + VERSION);
    return ExitCode.OK;
  }

  private int drivers() {
    args.onlyFlags();
    args.atMost(0);
    Drives drives = Drives.create();
    out.print(drives.describe());
    return ExitCode.OK;
  }

  // ---------------------------------------------------------------- storage commands

  private int withDrive(String command) {
    if (env.fixedDrive() != null) return dispatch(command, env.fixedDrive());
    Profiles.Storage storage = Profiles.choose(args, env);
    Path stateDir = args.value("--state-dir") != null ? env.expand(args.value("--state-dir")) : env.defaultStateDir();
    DriverContext context = DriverContext.defaults().toBuilder()
        .tokenStore(new FileTokenStore(stateDir.resolve("tokens.json")))
        .build();
    try (Drive drive = Drives.create().open(storage.driverId(), storage.options(), context)) {
      return dispatch(command, drive);
    }
  }

  private int dispatch(String command, Drive drive) {
    return switch (command) {
      case "ls" -> ls(drive);
      case "tree" -> tree(drive);
      case "stat" -> stat(drive);
      case "link" -> link(drive);
      case "get" -> get(drive);
      case "put" -> put(drive);
      case "mkdir" -> mkdir(drive);
      case "mv" -> mv(drive);
      case "rename" -> rename(drive);
      case "rm" -> rm(drive);
      case "quota" -> quota(drive);
      default -> throw new IllegalStateException(command);
    };
  }

  private int ls(Drive drive) {
    args.onlyFlags("--long", "--json");
    args.atMost(1);
    String path = args.argOr(0, "/");
    Entry target = drive.stat(path);
    List<Entry> entries = target.folder() ? drive.ls(path) : List.of(target);
    if (args.has("--json")) {
      ArrayNode a = Format.JSON.createArrayNode();
      entries.forEach(e -> a.add(Format.json(e)));
      printJson(a);
    } else if (args.has("--long")) {
      for (Entry e : entries) {
        out.printf(Locale.ROOT, "%s %10s  %s  %s%n", e.folder() ? "d" : "-", e.folder() ? "-" : Format.bytes(e.size()),
            Format.time(e.modified()), e.name() + (e.folder() ? "/" : ""));
      }
    } else {
      for (Entry e : entries) out.println(e.name() + (e.folder() ? "/" : ""));
    }
    return ExitCode.OK;
  }

  private int tree(Drive drive) {
    args.onlyFlags();
    args.atMost(1);
    String path = args.argOr(0, "/");
    int base = depth(drive.stat(path).path());
    long files = 0;
    long folders = 0;
    try (Stream<Entry> walk = drive.walk(path)) {
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

  private static int depth(String path) {
    if (path == null || path.equals("/")) return 0;
    return (int) path.chars().filter(c -> c == '/').count();
  }

  private int stat(Drive drive) {
    args.onlyFlags("--json");
    args.atMost(1);
    Entry e = drive.stat(args.arg(0, "PATH"));
    if (args.has("--json")) {
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

  private int link(Drive drive) {
    args.onlyFlags();
    args.atMost(1);
    Link link = drive.link(args.arg(0, "PATH"));
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

  private int get(Drive drive) {
    args.onlyFlags();
    args.atMost(2);
    String remote = args.arg(0, "REMOTE");
    String local = args.argOr(1, null);
    Entry entry = drive.stat(remote);
    if (entry.folder()) {
      throw DriveException.builder(ErrorKind.IS_A_DIRECTORY, "is a folder; get downloads one file (see 'pan4j tree')")
          .driver(drive.id()).operation("get").target(remote).build();
    }
    Progress progress = progress(entry.name());
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
    Path target = local == null ? env.cwd().resolve(entry.name()) : env.expand(local);
    if (Files.isDirectory(target)) target = target.resolve(entry.name());
    Entry got = drive.get(remote, target, progress);
    note("downloaded " + got.path() + " (" + Format.bytes(got.size()) + ") to " + target);
    return ExitCode.OK;
  }

  private int put(Drive drive) {
    args.onlyFlags("--overwrite", "--keep-both");
    args.atMost(2);
    String local = args.arg(0, "LOCAL (a file, or - for stdin)");
    String remote = args.arg(1, "REMOTE");
    if (args.has("--overwrite") && args.has("--keep-both")) throw new UsageException("put: choose --overwrite or --keep-both, not both");
    ConflictPolicy policy = args.has("--overwrite") ? ConflictPolicy.OVERWRITE
        : args.has("--keep-both") ? ConflictPolicy.KEEP_BOTH : ConflictPolicy.FAIL;
    Entry stored;
    Progress progress;
    if ("-".equals(local)) {
      if (remote.endsWith("/")) throw new UsageException("put: with - (stdin) REMOTE must be a file path, not a folder");
      progress = progress(name(remote));
      stored = drive.put(remote, in, -1, UploadOptions.of(policy).withListener(progress));
    } else {
      Path file = env.expand(local);
      if (!Files.isRegularFile(file)) {
        throw DriveException.builder(ErrorKind.NOT_FOUND, Files.isDirectory(file) ? "is a local folder; put uploads one file"
            : "no such local file").operation("put").target(file.toString()).build();
      }
      if (remote.endsWith("/") || isFolder(drive, remote)) remote = join(remote, file.getFileName().toString());
      progress = progress(file.getFileName().toString());
      stored = drive.put(remote, file, UploadOptions.of(policy).withListener(progress));
    }
    if (progress.instant()) {
      note("instant upload: " + drive.id() + " already had this content (matched by its hash), so no bytes were sent");
    }
    out.println(stored.path());
    return ExitCode.OK;
  }

  private int mkdir(Drive drive) {
    args.onlyFlags("--parents");
    args.atMost(1);
    String path = args.arg(0, "PATH");
    if (!args.has("--parents")) {
      String parent = parent(path);
      Entry p = drive.stat(parent);
      if (!p.folder()) {
        throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "the parent " + parent + " is a file")
            .driver(drive.id()).operation("mkdir").target(path).build();
      }
      if (drive.exists(path)) {
        throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "already exists (use mkdir -p to accept an existing folder)")
            .driver(drive.id()).operation("mkdir").target(path).build();
      }
    }
    out.println(drive.mkdirs(path).path());
    return ExitCode.OK;
  }

  private int mv(Drive drive) {
    args.onlyFlags();
    args.atMost(2);
    String from = args.arg(0, "PATH");
    String to = args.arg(1, "TARGET");
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

  private int rename(Drive drive) {
    args.onlyFlags();
    args.atMost(2);
    out.println(drive.rename(args.arg(0, "PATH"), args.arg(1, "NEWNAME")).path());
    return ExitCode.OK;
  }

  private int rm(Drive drive) {
    args.onlyFlags("--recursive");
    args.atMost(1);
    String path = args.arg(0, "PATH");
    Entry e = drive.stat(path);
    if (e.folder() && !args.has("--recursive")) {
      throw new UsageException("rm: " + path + " is a folder; use rm -r to remove it with everything in it");
    }
    if (!drive.remove(path)) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "nothing to remove").driver(drive.id()).operation("rm").target(path).build();
    }
    note("removed " + path);
    return ExitCode.OK;
  }

  private int quota(Drive drive) {
    args.onlyFlags("--json");
    args.atMost(0);
    StorageDetails s = drive.storage();
    if (args.has("--json")) {
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

  // ---------------------------------------------------------------- helpers

  private boolean quiet() {
    return args.has("--quiet");
  }

  private Progress progress(String label) {
    return new Progress(err, label, env.terminal() && !quiet() && !args.has("--no-progress"), env.nanoTime());
  }

  private void note(String message) {
    if (!quiet()) err.println(message);
  }

  private void printJson(Object node) {
    try {
      out.println(Format.JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isFolder(Drive drive, String path) {
    try {
      return drive.stat(path).folder();
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) return false;
      throw e;
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

  /** Counts bytes written to stdout for the progress bar of {@code get REMOTE -}. */
  private static final class CountingStream extends FilterOutputStream {
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
      flush(); // never close stdout
    }

    private void progressed(int n) {
      done += n;
      progress.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, total, false));
    }
  }
}
