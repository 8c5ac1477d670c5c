package io.github.pan4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.auth.TokenStores;
import io.github.pan4j.core.spi.DriverContext;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default client's buffered sockets over real loopback connections: every request shape goes
 * out whole and promptly (the server answers only after it has read the whole request, and the
 * client gives up after a few seconds), one connection carries several exchanges without losing
 * read-ahead bytes, large answers arrive intact and read timeouts still fire.
 */
class BufferedSocketFactoryTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType BYTES = MediaType.get("application/octet-stream");

  private MockWebServer server;
  private DriverContext context;
  private OkHttpClient http;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    context = DriverContext.builder().tokenStore(TokenStores.inMemory()).build();
    // Short timeouts: a request left in the buffer would stall both sides and fail the call.
    http = context.httpClient().newBuilder().readTimeout(Duration.ofSeconds(5))
        .writeTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofSeconds(20)).build();
  }

  @AfterEach
  void stop() {
    http.dispatcher().cancelAll();
    http.connectionPool().evictAll();
    context.executor().shutdownNow();
    server.close();
  }

  @Test
  void theDefaultClientUsesBufferedSocketsAndAUsersClientKeepsItsOwnFactory() throws Exception {
    assertSame(BufferedSocketFactory.get(), context.httpClient().socketFactory());
    SocketFactory mine = SocketFactory.getDefault();
    OkHttpClient users = new OkHttpClient.Builder().socketFactory(mine).build();
    DriverContext withUsers = DriverContext.builder().tokenStore(TokenStores.inMemory()).httpClient(users).build();
    try {
      assertSame(mine, withUsers.httpClient().socketFactory());
    } finally {
      withUsers.executor().shutdownNow();
    }
    try (Socket s = BufferedSocketFactory.get().createSocket(server.getHostName(), server.getPort())) {
      InputStream in = s.getInputStream();
      assertInstanceOf(BufferedInputStream.class, in);
      assertSame(in, s.getInputStream());
    }
  }

  @Test
  void requestsOfEveryShapeGoOutWholeOnOneReusedConnection() throws Exception {
    for (int i = 0; i < 6; i++) {
      MockResponse.Builder answer = new MockResponse.Builder().body("ok" + i);
      if (i == 4) answer.add100Continue(); // for the request that says "Expect: 100-continue"
      server.enqueue(answer.build());
    }
    byte[] known = randomBytes(3 * 1024 * 1024 + 17, 1);
    byte[] streamed = randomBytes(5 * 1024 * 1024 + 3, 2);

    assertEquals("ok0", call(new Request.Builder().url(server.url("/small")).build()));
    assertEquals("ok1", call(new Request.Builder().url(server.url("/json"))
        .post(RequestBody.create("{\"a\":1}", JSON)).build()));
    assertEquals("ok2", call(new Request.Builder().url(server.url("/known"))
        .put(RequestBody.create(known, BYTES)).build()));
    assertEquals("ok3", call(new Request.Builder().url(server.url("/streamed")).put(streamed(streamed)).build()));
    // The head must go out alone: the client waits for "100 Continue" before it sends the body.
    assertEquals("ok4", call(new Request.Builder().url(server.url("/expect")).header("Expect", "100-continue")
        .post(RequestBody.create("{\"b\":2}", JSON)).build()));
    assertEquals("ok5", call(new Request.Builder().url(server.url("/small-again")).build()));

    RecordedRequest small = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest json = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest k = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest s = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest expect = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest again = server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("/small", small.getUrl().encodedPath());
    assertEquals("{\"a\":1}", json.getBody().utf8());
    assertArrayEquals(known, k.getBody().toByteArray());
    assertEquals("chunked", s.getHeaders().get("Transfer-Encoding"));
    assertArrayEquals(streamed, s.getBody().toByteArray());
    assertEquals("{\"b\":2}", expect.getBody().utf8());
    assertEquals("/small-again", again.getUrl().encodedPath());
    RecordedRequest[] all = {small, json, k, s, expect, again};
    for (int i = 0; i < all.length; i++) {
      assertEquals(0, all[i].getConnectionIndex(), "request " + i + " came on a new connection");
      assertEquals(i, all[i].getExchangeIndex(), "exchange number of request " + i);
    }
  }

  @Test
  void aResponseLargerThanTheBufferArrivesWhole() throws Exception {
    byte[] big = randomBytes(4 * BufferedSocketFactory.BUFFER_SIZE * 16 + 5, 3);
    server.enqueue(new MockResponse.Builder().body(new Buffer().write(big)).build());
    server.enqueue(new MockResponse.Builder().body("after").build());
    try (Response r = http.newCall(new Request.Builder().url(server.url("/big")).build()).execute()) {
      assertEquals(200, r.code());
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      long n = 0;
      byte[] buf = new byte[7000];
      try (InputStream in = r.body().byteStream()) {
        for (int k; (k = in.read(buf)) != -1; n += k) md5.update(buf, 0, k);
      }
      assertEquals(big.length, n);
      assertArrayEquals(MessageDigest.getInstance("MD5").digest(big), md5.digest());
    }
    assertEquals("after", call(new Request.Builder().url(server.url("/after")).build()));
    server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals(0, server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex());
  }

  @Test
  void aReadTimeoutStillFiresWhenTheServerStallsBeforeAnswering() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    OkHttpClient quick = http.newBuilder().readTimeout(Duration.ofMillis(300)).retryOnConnectionFailure(false).build();
    assertThrows(InterruptedIOException.class,
        () -> quick.newCall(new Request.Builder().url(server.url("/stall")).build()).execute().close());
  }

  @Test
  void aReadTimeoutStillFiresWhenTheServerStallsMidBody() throws Exception {
    byte[] body = randomBytes(300_000, 4);
    server.enqueue(new MockResponse.Builder().body(new Buffer().write(body))
        .onResponseBody(SocketEffect.Stall.INSTANCE).build());
    OkHttpClient quick = http.newBuilder().readTimeout(Duration.ofMillis(300)).retryOnConnectionFailure(false).build();
    try (Response r = quick.newCall(new Request.Builder().url(server.url("/stall-body")).build()).execute()) {
      assertEquals(200, r.code());
      assertThrows(InterruptedIOException.class, () -> r.body().bytes());
    }
  }

  @Test
  void aThrottledAnswerIsReadAsItTrickles() throws Exception {
    server.enqueue(new MockResponse.Builder().body("0123456789abcdef").throttleBody(4, 20, TimeUnit.MILLISECONDS).build());
    assertEquals("0123456789abcdef", call(new Request.Builder().url(server.url("/slow")).build()));
  }

  private String call(Request request) throws Exception {
    try (Response r = http.newCall(request).execute()) {
      assertTrue(r.isSuccessful(), () -> request + " -> " + r.code());
      return r.body().string();
    }
  }

  private static RequestBody streamed(byte[] data) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return BYTES;
      }

      @Override
      public void writeTo(BufferedSink sink) throws java.io.IOException {
        for (int off = 0; off < data.length; off += 10_000) sink.write(data, off, Math.min(10_000, data.length - off));
      }
    };
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
