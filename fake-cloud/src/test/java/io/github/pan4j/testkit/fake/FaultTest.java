package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Injected faults really happen on the wire, through the fake cloud's dispatcher. */
class FaultTest {
  @Test
  void disconnect_dropsTheConnection_thenTheRealAnswerFollows() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      cloud.route("cdn", "GET", "/ping", req -> new MockResponse.Builder().code(200).body("pong").build());
      cloud.start();
      cloud.inject("cdn", req -> req.path().equals("/ping"), Fault.disconnect(), 1);
      OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      Request ping = new Request.Builder().url(cloud.url("cdn", "/ping")).build();
      assertThrows(IOException.class, () -> {
        try (Response r = client.newCall(ping).execute()) {
          r.body().string();
        }
      });
      try (Response r = client.newCall(ping).execute()) {
        assertEquals("pong", r.body().string());
      }
      assertEquals(0, cloud.pendingFaults());
    }
  }

  /** The gateway's pages read as nginx writes them: status and reason in the title and the heading. */
  @Test
  void html_isTheGatewaysErrorPage_forTheStatus() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      cloud.route("cdn", "GET", "/ping", req -> new MockResponse.Builder().code(200).body("pong").build());
      cloud.start();
      cloud.inject("cdn", req -> req.path().equals("/ping"), Fault.html(502), 1);
      OkHttpClient client = new OkHttpClient();
      try (Response r = client.newCall(new Request.Builder().url(cloud.url("cdn", "/ping")).build()).execute()) {
        assertEquals(502, r.code());
        assertEquals("text/html", r.header("Content-Type"));
        assertEquals("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n",
            r.body().string());
      }
    }
    assertEquals(FakeCloud.gatewayPage(503).replace("503 Service Temporarily Unavailable", "400 Bad Request"),
        FakeCloud.gatewayPage(400), "one layout for every status");
  }

  @Test
  void cutReply_handlesTheRequest_thenAnswersJsonCutMidway() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      int[] handled = {0};
      cloud.route("cdn", "POST", "/write", req -> {
        handled[0]++;
        return new MockResponse.Builder().code(200).body("{\"code\":0,\"message\":\"ok\",\"data\":{}}").build();
      });
      cloud.start();
      cloud.inject("cdn", req -> req.path().equals("/write"), Fault.cutReply(), 1);
      OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      Request write = new Request.Builder().url(cloud.url("cdn", "/write"))
          .post(okhttp3.RequestBody.create(new byte[0])).build();
      try (Response r = client.newCall(write).execute()) {
        assertEquals(200, r.code());
        String body = r.body().string();
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
            () -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(body), body);
      }
      assertEquals(1, handled[0], "the write was handled before its reply was cut");
      assertEquals(0, cloud.pendingFaults());
    }
  }

  /**
   * The reply is cut and the write is not done yet; it is carried out (once, with the request's
   * body) just before the first request served after the lag on the fake's clock.
   */
  @Test
  void cutReplyCarriedOutLater_cutsTheReply_andCarriesTheWriteOutOnceTheLagHasPassed() throws Exception {
    FakeClock clock = new FakeClock();
    try (FakeCloud cloud = FakeCloud.builder().clock(clock).build()) {
      java.util.List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
      cloud.route("cdn", "POST", "/write", req -> {
        handled.add(req.bodyText());
        return new MockResponse.Builder().code(200).body("{\"code\":0,\"message\":\"ok\",\"data\":{}}").build();
      });
      cloud.route("cdn", "GET", "/ping", req -> new MockResponse.Builder().code(200).body("pong").build());
      cloud.start();
      cloud.inject("cdn", req -> req.path().equals("/write"), Fault.cutReplyCarriedOutLater(java.time.Duration.ofMillis(500)), 1);
      OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      Request write = new Request.Builder().url(cloud.url("cdn", "/write"))
          .post(okhttp3.RequestBody.create("{\"n\":1}".getBytes())).build();
      Request ping = new Request.Builder().url(cloud.url("cdn", "/ping")).build();
      try (Response r = client.newCall(write).execute()) {
        assertEquals(200, r.code());
        String body = r.body().string();
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
            () -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(body), body);
      }
      assertEquals(java.util.List.of(), handled, "not carried out with the cut reply");
      assertEquals(1, cloud.pendingFaults(), "the write is pending");
      clock.advance(java.time.Duration.ofMillis(499));
      try (Response r = client.newCall(ping).execute()) {
        assertEquals("pong", r.body().string());
      }
      assertEquals(java.util.List.of(), handled, "not before the lag has passed");
      clock.advance(java.time.Duration.ofMillis(1));
      try (Response r = client.newCall(ping).execute()) {
        assertEquals("pong", r.body().string());
      }
      assertEquals(java.util.List.of("{\"n\":1}"), handled, "carried out before the request after the lag");
      try (Response r = client.newCall(ping).execute()) {
        assertEquals("pong", r.body().string());
      }
      assertEquals(1, handled.size(), "once");
      assertEquals(0, cloud.pendingFaults());
    }
  }

  /**
   * The fake stops reading a 16 MiB body after 64 KiB: a client with a 300 ms write timeout gives
   * up while the fake holds the body back, and the request never reaches the handler; the next
   * request (no fault) is read whole.
   */
  @Test
  void stopReadingBody_stallsTheClientsWrites_andTheRequestNeverReachesTheHandler() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      java.util.List<Long> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
      cloud.route("cdn", "PUT", "/part", req -> {
        handled.add(req.bodySize());
        return new MockResponse.Builder().code(200).body("ok").build();
      });
      cloud.start();
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      cloud.inject("cdn", req -> req.method().equals("PUT") && req.path().equals("/part"), Fault.stopReadingBody(64 << 10, () -> {
        try {
          release.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }), 1);
      OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false)
          .writeTimeout(java.time.Duration.ofMillis(300)).build();
      Request put = new Request.Builder().url(cloud.url("cdn", "/part"))
          .put(okhttp3.RequestBody.create(new byte[16 << 20])).build();
      boolean held;
      try {
        assertThrows(java.net.SocketTimeoutException.class, () -> client.newCall(put).execute().close());
      } finally {
        held = release.getCount() == 1;
        release.countDown();
      }
      org.junit.jupiter.api.Assertions.assertTrue(held, "the write timed out while the fake held the body back");
      assertEquals(0, cloud.pendingFaults());
      try (Response r = client.newCall(put).execute()) {
        assertEquals("ok", r.body().string());
      }
      assertEquals(java.util.List.of((long) (16 << 20)), handled, "only the request read whole was handled");
    }
  }

  @Test
  void droppedReply_handlesTheRequest_thenDropsTheConnection() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      int[] handled = {0};
      cloud.route("cdn", "POST", "/write", req -> {
        handled[0]++;
        return new MockResponse.Builder().code(200).body("{}").build();
      });
      cloud.start();
      cloud.inject("cdn", req -> req.path().equals("/write"), Fault.droppedReply(), 1);
      OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      Request write = new Request.Builder().url(cloud.url("cdn", "/write"))
          .post(okhttp3.RequestBody.create(new byte[0])).build();
      assertThrows(IOException.class, () -> client.newCall(write).execute().close());
      assertEquals(1, handled[0], "the write was handled before the connection dropped");
      try (Response r = client.newCall(write).execute()) {
        assertEquals("{}", r.body().string());
      }
      assertEquals(2, handled[0]);
    }
  }

  @Test
  void interruptingGate_interruptsTheCaller_andHoldsTheAnswerUntilReleased() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      cloud.route("cdn", "GET", "/ping", req -> new MockResponse.Builder().code(200).body("pong").build());
      cloud.start();
      RequestGate gate = RequestGate.interrupting(Thread.currentThread());
      cloud.inject("cdn", req -> req.path().equals("/ping"), Fault.hold(gate::hold), 1);
      OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      okhttp3.Call call = client.newCall(new Request.Builder().url(cloud.url("cdn", "/ping")).build());
      try {
        // OkHttp answers the interrupt by cancelling the call that is waiting for its answer.
        assertThrows(IOException.class, () -> call.execute().close());
        assertEquals(1, gate.arrived());
        assertEquals(true, Thread.interrupted(), "the gate interrupted this thread");
      } finally {
        gate.release();
        Thread.interrupted();
      }
    }
  }

  @Test
  void unanswered_dropsTheConnectionAfterTheWait_withoutHandlingTheRequest() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      int[] handled = {0};
      cloud.route("cdn", "POST", "/write", req -> {
        handled[0]++;
        return new MockResponse.Builder().code(200).body("{}").build();
      });
      cloud.start();
      Request write = new Request.Builder().url(cloud.url("cdn", "/write"))
          .post(okhttp3.RequestBody.create(new byte[0])).build();
      // A client that gives up before the wait is over: a read timeout.
      cloud.inject("cdn", req -> req.path().equals("/write"), Fault.unanswered(java.time.Duration.ofMillis(300)), 1);
      OkHttpClient impatient = new OkHttpClient.Builder().retryOnConnectionFailure(false)
          .readTimeout(java.time.Duration.ofMillis(50)).build();
      assertThrows(java.net.SocketTimeoutException.class, () -> impatient.newCall(write).execute().close());
      // A client that waits it out: the connection closes with no answer.
      cloud.inject("cdn", req -> req.path().equals("/write"), Fault.unanswered(java.time.Duration.ofMillis(20)), 1);
      OkHttpClient patient = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      IOException dropped = assertThrows(IOException.class, () -> patient.newCall(write).execute().close());
      assertEquals(false, dropped instanceof java.net.SocketTimeoutException, dropped.toString());
      assertEquals(0, handled[0], "neither request was handled");
      try (Response r = patient.newCall(write).execute()) {
        assertEquals("{}", r.body().string());
      }
      assertEquals(1, handled[0]);
      assertEquals(0, cloud.pendingFaults());
    }
  }

  @Test
  void holdUnhandled_withAnInterruptingGate_cancelsTheCaller_andNeverHandlesTheRequest() throws Exception {
    try (FakeCloud cloud = FakeCloud.builder().build()) {
      java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
      cloud.route("cdn", "POST", "/write", req -> {
        handled.incrementAndGet();
        return new MockResponse.Builder().code(200).body("{}").build();
      });
      cloud.start();
      RequestGate gate = RequestGate.interrupting(Thread.currentThread());
      cloud.inject("cdn", req -> req.path().equals("/write"), Fault.holdUnhandled(gate::hold), 1);
      OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      Request write = new Request.Builder().url(cloud.url("cdn", "/write"))
          .post(okhttp3.RequestBody.create(new byte[0])).build();
      try {
        assertThrows(IOException.class, () -> client.newCall(write).execute().close());
        assertEquals(1, gate.arrived());
        assertEquals(true, Thread.interrupted(), "the gate interrupted this thread");
      } finally {
        gate.release();
        Thread.interrupted();
      }
      // The held request is let go without being handled; the next one is handled as usual.
      try (Response r = client.newCall(write).execute()) {
        assertEquals("{}", r.body().string());
      }
      assertEquals(1, handled.get(), "only the request after the gate was handled");
    }
  }
}
