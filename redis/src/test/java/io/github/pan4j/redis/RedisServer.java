package io.github.pan4j.redis;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port);
        try {
          Thread.sleep(20); // a real process starting: nothing to inject a clock into
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    throw new IOException("redis-server did not listen on port " + port + " within 15 s");
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
