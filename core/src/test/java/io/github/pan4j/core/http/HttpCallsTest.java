package io.github.pan4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpCallsTest {
  private MockWebServer server;
  private final OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Request get() {
    return new Request.Builder().url(server.url("/api/v1/user/info")).build();
  }

  @Test
  void json_isParsed() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"code\":0,\"data\":{\"uid\":1}}").build());
    HttpCalls.Result r = HttpCalls.execute(client, get());
    assertEquals(1, HttpCalls.json(Json.mapper(), r, "user/info").path("data").path("uid").asInt());
  }

  @Test
  void htmlGatewayPage_isRetryableProtocolError() {
    server.enqueue(new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
        .body("<html><body>502 Bad Gateway</body></html>").build());
    HttpCalls.Result r = HttpCalls.execute(client, get());
    DriveException e = assertThrows(DriveException.class, () -> HttpCalls.json(Json.mapper(), r, "user/info"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
  }

  @Test
  void malformedJsonWith200_isNonRetryableProtocolError() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"code\":0,\"data\":{\"fil").build());
    HttpCalls.Result r = HttpCalls.execute(client, get());
    DriveException e = assertThrows(DriveException.class, () -> HttpCalls.json(Json.mapper(), r, "list"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertFalse(e.retryable());
  }

  @Test
  void droppedConnection_isRetryableNetworkError() {
    server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket(true, true, true)).build());
    DriveException e = assertThrows(DriveException.class, () -> HttpCalls.execute(client, get()));
    assertEquals(ErrorKind.NETWORK, e.kind());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("/api/v1/user/info"), e.getMessage());
  }

  @Test
  void interruptDuringSlowReply_cancelsTheCall() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).body("{}").build());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        HttpCalls.execute(client, get());
      } catch (Throwable e) {
        thrown.set(e);
      } finally {
        done.countDown();
      }
    });
    t.start();
    server.takeRequest(5, TimeUnit.SECONDS); // the request reached the server
    t.interrupt();
    assertTrue(done.await(5, TimeUnit.SECONDS), "interrupt must end the wait long before the 30 s reply");
    DriveException e = (DriveException) thrown.get();
    assertEquals(ErrorKind.CANCELLED, e.kind());
  }
}
