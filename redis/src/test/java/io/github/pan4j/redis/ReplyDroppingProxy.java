package io.github.pan4j.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of a real Redis that can lose one reply: the command that carries
 * a marker reaches Redis and runs, then the client's connection is cut before the answer comes
 * back (what a read timeout or a dropped link looks like to the client). Counts the commands that
 * carry a marker.
 */
final class ReplyDroppingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int redisPort;
  private final AtomicReference<String> dropReplyTo = new AtomicReference<>();
  private final AtomicReference<String> counted = new AtomicReference<>();
  private final AtomicInteger count = new AtomicInteger();
  private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();

  ReplyDroppingProxy(int redisPort) throws IOException {
    this.redisPort = redisPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "redis-proxy");
    t.setDaemon(true);
    t.start();
  }

  String address() { return "127.0.0.1:" + listener.getLocalPort(); }

  /** The next command containing {@code marker} runs, and its reply is lost. */
  void dropReplyTo(String marker) { dropReplyTo.set(marker); }

  /** From now on, counts the commands containing {@code marker}. */
  void count(String marker) { counted.set(marker); count.set(0); }

  int counted() { return count.get(); }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
        sockets.add(client);
        sockets.add(redis);
        AtomicReference<Boolean> loseNext = new AtomicReference<>(false);
        pump(client, redis, chunk -> {
          String marker = dropReplyTo.get();
          if (marker != null && chunk.contains(marker) && dropReplyTo.compareAndSet(marker, null)) loseNext.set(true);
          String c = counted.get();
          if (c != null && chunk.contains(c)) count.incrementAndGet();
          return true;
        });
        pump(redis, client, chunk -> !loseNext.getAndSet(false));
      } catch (IOException e) {
        return;
      }
    }
  }

  private interface Filter { boolean forward(String chunk); }

  private static void pump(Socket from, Socket to, Filter filter) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[65536];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (!filter.forward(new String(buf, 0, n, StandardCharsets.ISO_8859_1))) break;   // cut, reply unsent
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // the other side went away
      } finally {
        try { from.close(); } catch (IOException ignored) { }
        try { to.close(); } catch (IOException ignored) { }
      }
    }, "redis-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) s.close();
  }
}
