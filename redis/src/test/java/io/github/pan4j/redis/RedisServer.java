package io.github.pan4j.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, started by the test itself (no
 * persistence). A missing {@code redis-server} fails the test with a clear message: these tests
 * are never skipped ({@code .ci/run} installs the package).
 */
final class RedisServer implements AutoCloseable {
  private final Path binary;
  private final int port;
  private Process process;

  private RedisServer(Path binary, int port) {
    this.binary = binary;
    this.port = port;
  }

  static RedisServer start() throws IOException {
    RedisServer s = new RedisServer(find(), freePort());
    s.startProcess();
    return s;
  }

  int port() { return port; }

  String address() { return "127.0.0.1:" + port; }

  /** Stops the server (all data lost, as with a crash of a cache without persistence). */
  void stop() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts it again on the same port, empty. */
  void restart() throws IOException {
    stop();
    startProcess();
  }

  private void startProcess() throws IOException {
    process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--protected-mode", "no")
        .redirectErrorStream(true).start();
    awaitReady(process, port);
  }

  /**
   * Waits until redis-server logs that it accepts connections, reading its output on a daemon
   * thread (which keeps draining it afterwards): no polling loop, no sleeping.
   */
  private static void awaitReady(Process p, int port) throws IOException {
    java.util.concurrent.CompletableFuture<Void> ready = new java.util.concurrent.CompletableFuture<>();
    Thread drain = new Thread(() -> {
      try (java.io.BufferedReader out = new java.io.BufferedReader(
          new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.contains("Ready to accept connections")) ready.complete(null);
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IOException("redis-server on port " + port + " exited before it was ready"));
    }, "redis-server-" + port);
    drain.setDaemon(true);
    drain.start();
    try {
      ready.get(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("redis-server did not become ready on port " + port + " within 15 s");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static Path find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "redis-server");
      if (Files.isExecutable(p)) return p;
    }
    Path usual = Path.of("/usr/bin/redis-server");
    if (Files.isExecutable(usual)) return usual;
    throw new IllegalStateException("redis-server is not installed, and the pan4j-redis tests run against a real one"
        + " (CI=" + System.getenv("CI") + "): install it (Debian: apt-get install redis-server; .ci/run does this)");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
