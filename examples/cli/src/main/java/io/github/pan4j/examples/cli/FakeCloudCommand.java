package io.github.pan4j.examples.cli;

import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeCloudOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pan4j fake-cloud [--port 8123] [FakeCloudOptions...]}: serves the demo fake cloud on fixed loopback ports (the
 * named servers on consecutive ports from {@code --port}) until Ctrl-C, and prints the base URLs,
 * the demo credentials and the exact command lines to point pan4j at it. {@code --once} prints and
 * stops (for tests).
 */
final class FakeCloudCommand {
  static final int DEFAULT_PORT = 8123;
  /** What the real open platform announces; the demo uses smaller slices to show progress. */
  static final long REAL_SLICE_SIZE = 16L << 20;

  private final PrintStream out;
  private final PrintStream err;
  private final FakeCloudOptions options;
  private final boolean once;

  FakeCloudCommand(PrintStream out, PrintStream err, FakeCloudOptions options, boolean once) {
    this.out = out;
    this.err = err;
    this.options = options;
    this.once = once;
  }

  int run() {
    int port = options.port();
    if (port < 0 || port > 65535 - FakeCloud.SERVERS.size()) throw new UsageException("--port out of range: " + port);
    DemoCloud dc;
    try {
      dc = new DemoCloud(port, REAL_SLICE_SIZE);
    } catch (UncheckedIOException e) {
      err.println("pan4j: cannot start the fake cloud on ports " + port + ".." + (port + FakeCloud.SERVERS.size() - 1)
          + ": " + e.getMessage() + " (is another one running? try --port)");
      return ExitCode.OTHER;
    }
    boolean loaded;
    try {
      loaded = options.apply(dc.base);
    } catch (IllegalArgumentException e) { // a --set name or value the cloud does not take
      dc.close();
      throw new UsageException(e.getMessage());
    }
    if (loaded) out.println("Loaded the saved file tree from " + options.state());
    Path work = null;
    try {
      // The 123link tree, and a token folder for the printed commands: the fake's tokens must not
      // land in the user's own token file, where they would stay for their 30 days.
      work = Files.createTempDirectory("pan4j-fake-cloud");
      Path tree = Files.writeString(work.resolve("tree.txt"), dc.linkTree(), StandardCharsets.UTF_8);
      print(dc, tree, work.resolve("state"));
      if (once) return ExitCode.OK;
      CountDownLatch stop = new CountDownLatch(1);
      Path made = work;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        options.save(dc.base);
        dc.close();
        Demo.deleteTree(made);
        stop.countDown();
      }, "pan4j-fake-cloud-stop"));
      out.println();
      out.println("Serving until Ctrl-C.");
      out.flush();
      stop.await();
      return ExitCode.OK;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED;
    } finally {
      if (once) {
        options.save(dc.base);
        dc.close();
        Demo.deleteTree(work);
      }
    }
  }

  private void print(DemoCloud dc, Path tree, Path stateDir) {
    out.println("The fake 123 cloud is running on loopback (the same data as 'pan4j demo'):");
    for (String s : FakeCloud.SERVERS) out.printf("  %-7s %s%n", s, dc.cloud.baseUrl(s));
    out.println();
    out.println("Demo credentials (fake, for this server only):");
    out.println("  open platform: client id " + io.github.pan4j.testkit.fake.OpenApiFrontDoor.DEMO_CLIENT_ID
        + ", client secret " + io.github.pan4j.testkit.fake.OpenApiFrontDoor.DEMO_CLIENT_SECRET);
    out.println("  web login:     " + io.github.pan4j.testkit.fake.WebFrontDoor.DEMO_PHONE + " / "
        + io.github.pan4j.testkit.fake.WebFrontDoor.DEMO_PASSWORD);
    out.println("  share:         key " + DemoCloud.SHARE_KEY + ", extraction code " + DemoCloud.SHARE_PASSWORD);
    out.println("  direct links:  uid " + dc.account.uid() + ", URL-auth key " + DemoCloud.URL_AUTH_KEY + " (123link tree in " + tree + ")");
    out.println();
    out.println("Point the command line at it, e.g. from another terminal (tokens go to " + stateDir + ", removed when this stops):");
    for (Map.Entry<String, Map<String, String>> d : dc.options().entrySet()) {
      StringBuilder s = new StringBuilder("  ./pan4j ls -l /" + ("123share".equals(d.getKey()) || "123link".equals(d.getKey()) ? "" : "Demo")
          + " --state-dir '" + stateDir + "' --driver " + d.getKey());
      for (Map.Entry<String, String> o : new java.util.TreeMap<>(d.getValue()).entrySet()) {
        String v = "tree".equals(o.getKey()) ? "${file:" + tree + "}" : o.getValue();
        s.append(" --opt '").append(o.getKey()).append('=').append(v).append('\'');
      }
      out.println(s);
    }
  }
}
