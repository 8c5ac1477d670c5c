package io.github.pan4j.examples.host;

import io.github.pan4j.core.http.Json;
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
 * java -jar pan4j-examples-host.jar [--config host.json] [--port 5244] [--bind 127.0.0.1]
 * java -jar pan4j-examples-host.jar hash-password      (reads a password, prints admin.passwordHash)
 * java -jar pan4j-examples-host.jar --demo [--port 5244] (the fake 123 cloud in this process, all four drivers mounted)
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("hash-password")) {
      System.out.println(Auth.hash(readPassword()));
      return;
    }
    Path configFile = null;
    Integer port = null;
    String bind = null;
    boolean demo = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
        case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
        case "--bind" -> bind = value(args, ++i, "--bind");
        case "--demo" -> demo = true;
        case "--help", "-h" -> {
          System.out.println("usage: Main [--config host.json] [--port N] [--bind ADDRESS] [--demo] | hash-password");
          System.out.println("  --demo  start a fake 123 cloud in this process with demo files and mount it with the four"
              + " 123 drivers (plugins from the folder next to the jar, built by Maven: examples/host/target/plugins)");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; try --help");
      }
    }
    DemoSetup demoSetup = null;
    HostConfig config;
    if (demo) {
      demoSetup = DemoSetup.create(configFile);
      config = demoSetup.config();
    } else {
      if (configFile == null && Files.exists(Path.of("host.json"))) configFile = Path.of("host.json");
      config = configFile != null ? HostConfig.load(configFile, Json.mapper()) : HostConfig.defaults(Path.of("").toAbsolutePath());
    }
    if (port != null) config = config.withPort(port);
    if (bind != null) {
      config = new HostConfig(bind, config.port(), config.pluginsDir(), config.mountsFile(), config.adminUser(),
          config.adminPasswordHash(), config.signKey(), config.signKeyGenerated(), config.signTtl(),
          config.textPreviewKb(), config.sessionTtl());
    }
    Host host;
    try {
      host = new Host(config, Clock.systemUTC()).start();
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

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
  }

  private static char[] readPassword() throws IOException {
    Console c = System.console();
    if (c != null) return c.readPassword("admin password: ");
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isEmpty()) throw new IllegalArgumentException("no password given on standard input");
    return line.toCharArray();
  }
}
