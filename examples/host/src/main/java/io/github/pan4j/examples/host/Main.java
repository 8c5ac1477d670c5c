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
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
        case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
        case "--bind" -> bind = value(args, ++i, "--bind");
        case "--help", "-h" -> {
          System.out.println("usage: Main [--config host.json] [--port N] [--bind ADDRESS] | hash-password");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; try --help");
      }
    }
    if (configFile == null && Files.exists(Path.of("host.json"))) configFile = Path.of("host.json");
    HostConfig config = configFile != null ? HostConfig.load(configFile, Json.mapper()) : HostConfig.defaults(Path.of("").toAbsolutePath());
    if (port != null) config = config.withPort(port);
    if (bind != null) {
      config = new HostConfig(bind, config.port(), config.pluginsDir(), config.mountsFile(), config.adminUser(),
          config.adminPasswordHash(), config.signKey(), config.signKeyGenerated(), config.signTtl(),
          config.textPreviewKb(), config.sessionTtl());
    }
    Host host = new Host(config, Clock.systemUTC()).start();
    System.out.println("pan4j host: http://" + config.bind() + ":" + host.port() + "/  (" + config + ")");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      host.close();
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
