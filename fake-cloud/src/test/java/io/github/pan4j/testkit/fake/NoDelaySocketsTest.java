package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The fake's connections send each write at once (TCP_NODELAY), as real gateways do: with Nagle's
 * algorithm, MockWebServer's body write after its flushed head waited for the client's delayed
 * ACK, 40 ms per reply on a kept-alive connection.
 */
class NoDelaySocketsTest {
  @Test
  void acceptedConnections_haveNagleOff() throws Exception {
    try (ServerSocket server = new BodyOnGetSockets().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      assertTrue(accepted.getTcpNoDelay(), "TCP_NODELAY on the server side of the connection");
    }
  }
}
