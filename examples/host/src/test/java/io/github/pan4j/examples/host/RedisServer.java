package io.github.pan4j.examples.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, started by the test (no persistence). Found
 * like the other programs the host tests drive ({@link ExternalTool}): a test fails without it in
 * CI and is skipped elsewhere.
 */
final class RedisServer implements AutoCloseable {
  private final int port;
  private final Process process;

  private RedisServer(Path binary, int port) throws IOException {
    this.port = port;
    this.process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
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
          close();
          throw new IOException("interrupted", e);
        }
      }
    }
    close();
    throw new IOException("redis-server did not listen on port " + port + " within 15 s");
  }

  static RedisServer start() throws IOException {
    return new RedisServer(ExternalTool.require("redis-server", "redis-server"), freePort());
  }

  int port() {
    return port;
  }

  /** The address as the host config writes it. */
  String url() {
    return "redis://127.0.0.1:" + port;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
