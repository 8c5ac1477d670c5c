package io.github.pan4j.examples.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
        .redirectErrorStream(true).start();
    try {
      awaitReady(process, port);
    } catch (IOException e) {
      close();
      throw e;
    }
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
