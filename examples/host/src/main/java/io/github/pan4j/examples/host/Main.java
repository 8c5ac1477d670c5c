package io.github.pan4j.examples.host;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the file-browser host.
 *
 * <pre>
 * java -jar pan4j-examples-host.jar [--config host.json] [--port 5244] [--bind 127.0.0.1] [--verbose]
 * java -jar pan4j-examples-host.jar hash-password      (reads a password, prints admin.passwordHash)
 * java -jar pan4j-examples-host.jar --demo [--port 5244] (the fake 123 cloud in this process, all four drivers mounted)
 * </pre>
 *
 * The first run without a config writes {@code host.json} (mode 600) in the current folder with an
 * admin user: the password comes from {@code PAN4J_ADMIN_PASSWORD} or is made up and printed once.
 * The log level is {@code info}; {@code --verbose} or {@code PAN4J_LOG=debug|info|warn|error} change it.
 */
public final class Main {
  private Main() {}

  /** What {@code --help} prints: the command as the user starts it (./pan4j host, or the jar), not the class name. */
  static final String USAGE = """
      usage: ./pan4j host [--config host.json] [--port N] [--bind ADDRESS] [--demo] [--verbose]
             ./pan4j host hash-password
        (or java -jar examples/host/target/pan4j-examples-host-0.1.0-SNAPSHOT.jar with the same arguments)
        --config FILE   the host's config; it must exist. Without it: host.json in the current folder,
                        created on the first run with an admin user (password from PAN4J_ADMIN_PASSWORD,
                        or made up and printed once)
        --port N        listen on port N instead of the config's (5244 by default)
        --bind ADDRESS  listen on ADDRESS instead of the config's (127.0.0.1 by default)
        --demo          start a fake 123 cloud in this process with demo files and mount it with the four
                        123 drivers (plugins from the folder next to the jar, built by Maven:
                        examples/host/target/plugins)
        --verbose       debug logging (same as PAN4J_LOG=debug)
        hash-password   read a password, print the admin.passwordHash for host.json
      See docs/host.md.
      """;

  public static void main(String[] args) throws Exception {
    String level = System.getenv("PAN4J_LOG");
    for (String a : args) if (a.equals("--verbose") || a.equals("-v")) level = "debug";
    // slf4j-simple reads these once, before the first logger is made.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level == null || level.isBlank() ? "info" : level.trim());
    System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "debug".equals(level) ? "info" : "warn");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    if (args.length > 0 && args[0].equals("hash-password")) {
      System.out.println(Auth.hash(readPassword()));
      return;
    }
    Args a;
    try {
      a = Args.parse(args);
    } catch (UsageError e) {
      System.err.println("pan4j host: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (a.help()) {
      System.out.print(USAGE);
      return;
    }
    Path configFile = a.configFile();
    Integer port = a.port();
    String bind = a.bind();
    boolean demo = a.demo();
    DemoSetup demoSetup = null;
    HostConfig config;
    try {
      if (demo) {
        demoSetup = DemoSetup.create(configFile);
        config = demoSetup.config();
      } else {
        if (configFile == null) configFile = Path.of("host.json");
        if (!Files.exists(configFile)) {
          config = firstRun(configFile);
        } else {
          config = HostConfig.load(configFile, Host.JSON);
        }
      }
    } catch (ConfigError e) {
      // A file as written cannot be used: one line and exit 2, like a mistake on the command line.
      System.err.println("pan4j host: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (port != null) config = config.withPort(port);
    if (bind != null) config = config.withBind(bind);
    Host host;
    try {
      host = demoSetup != null ? demoSetup.start(config, Clock.systemUTC()) : new Host(config, Clock.systemUTC()).start();
    } catch (ConfigError e) {
      if (demoSetup != null) demoSetup.close();
      System.err.println("pan4j host: " + e.getMessage());
      System.exit(2);
      return;
    } catch (io.javalin.util.JavalinBindException e) {
      if (demoSetup != null) demoSetup.close();
      System.err.println("pan4j host: " + bindFailure(config, e.getMessage()));
      System.exit(1);
      return;
    } catch (io.github.pan4j.core.DriveException e) {
      // A typed start-up failure (Redis unreachable) already says what to do:
      // print that, not a stack trace.
      if (demoSetup != null) demoSetup.close();
      System.err.println("pan4j host: " + e.getMessage());
      System.exit(1);
      return;
    } catch (IOException | RuntimeException e) {
      if (demoSetup != null) demoSetup.close();
      throw e;
    }
    System.out.println("pan4j host: http://" + config.bind() + ":" + host.port() + "/  (" + config + ")");
    if (demoSetup != null) demoSetup.printWelcome(System.out, host, config.bind());
    CountDownLatch stop = new CountDownLatch(1);
    DemoSetup cloud = demoSetup;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      host.close();
      if (cloud != null) cloud.close();
      stop.countDown();
    }, "pan4j-host-shutdown"));
    stop.await();
  }

  /** The line for a port that cannot be had: which address, Jetty's reason, and how to choose another. */
  static String bindFailure(HostConfig config, String reason) {
    return "cannot listen on " + config.bind() + ":" + config.port() + ": " + reason
        + " Or start this host on another port with --port N (or \"port\" in its host.json).";
  }

  /** No config yet: writes one with an admin user, so the page can add mounts right away. */
  private static HostConfig firstRun(Path file) throws IOException {
    String fromEnv = System.getenv("PAN4J_ADMIN_PASSWORD");
    String password = fromEnv != null && !fromEnv.isBlank() ? fromEnv : Auth.random(12);
    // ./plugins when there is one, else the plugin folders a Maven build put next to the jar.
    Path local = file.toAbsolutePath().getParent().resolve("plugins");
    Path nextToJar = DemoSetup.pluginsNextToJar();
    String plugins = !Files.isDirectory(local) && Files.isDirectory(nextToJar) ? nextToJar.toString() : "plugins";
    HostConfig c = HostConfig.create(file, "admin", password.toCharArray(), plugins, Host.JSON);
    System.out.println("pan4j host: first run, wrote " + file.toAbsolutePath() + " (mode 600) with the admin user 'admin'.");
    if (fromEnv == null || fromEnv.isBlank()) {
      System.out.println("pan4j host: admin password (shown only now; to change it, put the output of"
          + " 'hash-password' in host.json as admin.passwordHash and restart): " + password);
    } else {
      System.out.println("pan4j host: admin password taken from PAN4J_ADMIN_PASSWORD.");
    }
    System.out.println("pan4j host: log in and add a mount on the admin page; drivers are plugins in " + c.pluginsDir());
    return c;
  }

  /** A mistake on the command line: one line on stderr and exit code 2, as the CLI does. */
  static final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  /** The command line; an explicit {@code --config} must exist (only the default host.json is created). */
  record Args(Path configFile, Integer port, String bind, boolean demo, boolean help) {
    static Args parse(String[] args) throws UsageError {
      Path configFile = null;
      Integer port = null;
      String bind = null;
      boolean demo = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
          case "--port" -> port = port(value(args, ++i, "--port"));
          case "--bind" -> bind = value(args, ++i, "--bind");
          case "--demo" -> demo = true;
          case "--verbose", "-v" -> { }
          case "--help", "-h" -> { return new Args(null, null, null, false, true); }
          default -> throw new UsageError("unknown argument '" + args[i] + "'; try --help");
        }
      }
      if (configFile != null && !demo && !Files.exists(configFile)) {
        throw new UsageError("no config file at " + configFile + "; give the path of an existing one, or start"
            + " without --config to create host.json in the current folder");
      }
      return new Args(configFile, port, bind, demo, false);
    }

    private static int port(String text) throws UsageError {
      try {
        int p = Integer.parseInt(text);
        if (p >= 0 && p <= 65535) return p;
      } catch (NumberFormatException e) {
        // the message below says what is expected
      }
      throw new UsageError("--port needs a port number from 0 to 65535, not '" + text + "'");
    }

    private static String value(String[] args, int i, String flag) throws UsageError {
      if (i >= args.length) throw new UsageError(flag + " needs a value");
      return args[i];
    }
  }

  private static char[] readPassword() throws IOException {
    Console c = System.console();
    if (c != null) return c.readPassword("admin password: ");
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isEmpty()) throw new IllegalArgumentException("no password given on standard input");
    return line.toCharArray();
  }
}
