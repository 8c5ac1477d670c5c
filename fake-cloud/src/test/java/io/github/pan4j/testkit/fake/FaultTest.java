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
}
