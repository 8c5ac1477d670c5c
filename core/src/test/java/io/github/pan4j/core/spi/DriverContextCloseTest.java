package io.github.pan4j.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.auth.TokenStores;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Closing a context releases what it made, and only that. */
class DriverContextCloseTest {

  private static void oneRequest(OkHttpClient client, MockWebServer server) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    try (Response r = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertEquals("ok", r.body().string());
    }
  }

  @Test
  void close_releasesItsOwnThreadsAndConnections() throws Exception {
    DriverContext c = DriverContext.builder().tokenStore(TokenStores.inMemory()).build();
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      // A driver derives its client from the context's and shares its pool.
      OkHttpClient derived = c.httpClient().newBuilder().build();
      oneRequest(derived, server);
      assertEquals(1, c.httpClient().connectionPool().idleConnectionCount(), "the connection stays pooled");
      assertTrue(c.executor().submit(() -> 42).get(10, TimeUnit.SECONDS) == 42);

      c.close();

      assertEquals(0, c.httpClient().connectionPool().connectionCount(), "pooled connections closed");
      assertTrue(c.executor().isShutdown());
      assertTrue(c.executor().awaitTermination(10, TimeUnit.SECONDS), "its worker threads end");
      c.close(); // idempotent
    }
  }

  @Test
  void close_leavesWhatTheCallerGave_andWhatAnotherContextTookOver() throws Exception {
    ExecutorService mine = Executors.newSingleThreadExecutor();
    OkHttpClient myClient = new OkHttpClient();
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      oneRequest(myClient, server);
      DriverContext c = DriverContext.builder().httpClient(myClient).executor(mine).tokenStore(TokenStores.inMemory()).build();
      c.close();
      assertFalse(mine.isShutdown(), "the caller's executor is the caller's");
      assertEquals(1, myClient.connectionPool().idleConnectionCount(), "the caller's connections stay");

      DriverContext owner = DriverContext.builder().tokenStore(TokenStores.inMemory()).build();
      DriverContext derived = owner.toBuilder().build();
      derived.close();
      assertFalse(owner.executor().isShutdown(), "a context made with toBuilder() does not own its parent's parts");
      owner.close();
      assertTrue(owner.executor().isShutdown());
    } finally {
      mine.shutdownNow();
      myClient.connectionPool().evictAll();
    }
  }

  @Test
  void theProcessWideDefaults_cannotBeClosed() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> DriverContext.defaults().close());
    assertTrue(e.getMessage().contains("DriverContext.builder()"), e.getMessage());
    assertFalse(DriverContext.defaults().executor().isShutdown());
  }
}
