package io.github.pan4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pan4j offline add|status|ls|rm}: offline downloads, where the cloud fetches a URL into a
 * folder by itself. {@code add --wait} polls the task and draws a progress bar on stderr.
 */
@Command(name = "offline", description = "Offline downloads: the cloud fetches an http(s) URL into a folder.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {OfflineCommand.Add.class, OfflineCommand.Status.class, OfflineCommand.Ls.class, OfflineCommand.Rm.class})
final class OfflineCommand implements Callable<Integer> {
  @ParentCommand Cli cli;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: add, status, ls or rm");
  }

  /** Opens the drive as every storage command does (see Cli.StorageCommand), runs, closes it. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand OfflineCommand group;
    @Mixin Options.Storage storageOptions;
    @Mixin Options.Output outputOptions;
    @Option(names = "--json", description = "As JSON.") boolean json;
    Options.Output output;
    PrintStream out;
    PrintStream err;
    Env env;

    @Override
    public final Integer call() {
      Cli cli = group.cli;
      out = cli.out;
      err = cli.err;
      env = cli.env;
      output = outputOptions.merge(cli.output);
      return Cli.StorageCommand.onDrive(storageOptions.merge(cli.storage), env, err, this::run);
    }

    abstract int run(Drive drive);

    void note(String message) {
      if (!output.quiet) err.println(message);
    }

    void printJson(Object node) {
      Format.printJson(out, node);
    }
  }

  @Command(name = "add", description = "Start fetching URL into FOLDER; prints the task id (--wait: until it is done).")
  static final class Add extends Sub {
    @Parameters(index = "0", paramLabel = "URL", description = "An http:// or https:// URL.") String url;
    @Parameters(index = "1", paramLabel = "FOLDER", description = "The folder the file goes into.") String folder;
    @Option(names = "--wait", description = "Poll until the task is done, with a progress bar on stderr.") boolean waitForIt;
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
        description = "Seconds between polls with --wait (default ${DEFAULT-VALUE}).") double interval;

    @Override
    int run(Drive drive) {
      if (interval < 0 || Double.isNaN(interval)) throw new UsageException("--interval must be 0 or more seconds");
      OfflineTask t = drive.addOffline(url, folder);
      if (!waitForIt) {
        if (json) printJson(json(t));
        else out.println(t.id());
        String follow = drive.supports(Capability.OFFLINE_TASKS) ? "'pan4j offline ls'" : "'pan4j offline status " + t.id() + "'";
        note("started offline task " + t.id() + " into " + folder + "; follow it with " + follow);
        return ExitCode.OK;
      }
      if (!json) out.println(t.id());
      out.flush();
      Bar bar = new Bar(err, t.name() != null ? t.name() : "offline " + t.id(), env.terminal() && !output.quiet && !output.noProgress);
      long pauseMillis = Math.round(interval * 1000);
      try {
        bar.draw(t);
        while (!t.finished()) {
          if (pauseMillis > 0) Thread.sleep(pauseMillis);
          t = drive.offlineTask(t.id());
          bar.draw(t);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        bar.end();
        throw DriveException.builder(ErrorKind.CANCELLED, "stopped waiting; the task " + t.id() + " goes on in the cloud")
            .driver(drive.id()).operation("offline").target(t.id()).build();
      }
      bar.end();
      if (json) printJson(json(t));
      if (t.state() == OfflineState.FAILED) {
        err.println("pan4j: offline task " + t.id() + " failed" + (t.failReason() == null ? "" : ": " + t.failReason())
            + "; check that the URL works from the internet and try again");
        return ExitCode.OTHER;
      }
      note("done: " + (t.name() == null ? "the file" : t.name()) + " is in " + folder);
      return ExitCode.OK;
    }
  }

  @Command(name = "status", description = "Show one task: state and percent.")
  static final class Status extends Sub {
    @Parameters(paramLabel = "TASK", description = "A task id, as add printed it.") String task;

    @Override
    int run(Drive drive) {
      OfflineTask t = drive.offlineTask(task);
      if (json) printJson(json(t));
      else out.println(line(t));
      return ExitCode.OK;
    }
  }

  @Command(name = "ls", description = "List the account's offline tasks (not on 123open, which has no task list).")
  static final class Ls extends Sub {
    @Override
    int run(Drive drive) {
      List<OfflineTask> tasks = drive.offlineTasks();
      if (json) {
        ArrayNode a = Format.JSON.createArrayNode();
        tasks.forEach(t -> a.add(json(t)));
        printJson(a);
      } else {
        for (OfflineTask t : tasks) out.println(line(t));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "rm", description = "Remove a task from the list, cancelling it if it still runs (the file stays).")
  static final class Rm extends Sub {
    @Parameters(paramLabel = "TASK", description = "A task id, as add printed it.") String task;

    @Override
    int run(Drive drive) {
      drive.removeOfflineTask(task);
      note("removed offline task " + task);
      return ExitCode.OK;
    }
  }

  /** {@code ID  STATE  PERCENT  NAME}, tab separated. */
  static String line(OfflineTask t) {
    return t.id() + "\t" + state(t.state()) + "\t" + String.format(Locale.ROOT, "%.1f%%", t.percent()) + "\t"
        + (t.name() == null ? "-" : t.name()) + (t.failReason() == null ? "" : "\t" + t.failReason());
  }

  static String state(OfflineState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  static ObjectNode json(OfflineTask t) {
    ObjectNode n = Format.JSON.createObjectNode();
    n.put("id", t.id());
    n.put("state", state(t.state()));
    n.put("percent", t.percent());
    n.put("url", t.url());
    n.put("name", t.name());
    n.put("fileId", t.fileId());
    n.put("failReason", t.failReason());
    return n;
  }

  /** A one-line bar on stderr, as Progress draws for get and put; nothing when disabled. */
  static final class Bar {
    private static final int WIDTH = 24;
    private final String label;
    private final StatusLine line;

    Bar(PrintStream err, String label, boolean enabled) {
      this.label = label;
      this.line = new StatusLine(err, enabled);
    }

    void draw(OfflineTask t) {
      if (line.enabled()) line.show(render(label, t));
    }

    void end() {
      line.end();
    }

    static String render(String label, OfflineTask t) {
      int full = (int) Math.round(t.percent() / 100 * WIDTH);
      return label + " " + String.format(Locale.ROOT, "%-12s", state(t.state())) + " [" + "#".repeat(full) + ".".repeat(WIDTH - full)
          + "]" + String.format(Locale.ROOT, " %3d%%", Math.round(t.percent()));
    }
  }
}
