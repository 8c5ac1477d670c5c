package io.github.pan4j.core.internal.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The plain-HTTP link opener against a loopback server. */
class HttpLinksTest {

  @Test
  void contentRangeBeyondALong_isAProtocolError_andTheConnectionIsReleased() throws Exception {
    ConnectionPool pool = new ConnectionPool(5, 1, TimeUnit.MINUTES);
    OkHttpClient http = new OkHttpClient.Builder().connectionPool(pool).build();
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(206)
          .setHeader("Content-Range", "bytes 0-1/99999999999999999999").body("ab").build());
      server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "bytes 0-1/4").body("ab").build());
      server.start();
      Link link = Link.builder(server.url("/f.bin").toString()).opener(HttpLinks.opener(http)).build();
      DriveException e = assertThrows(DriveException.class, () -> link.open(0, 2));
      assertEquals(ErrorKind.PROTOCOL, e.kind());
      assertTrue(e.getMessage().contains("Content-Range"), e.getMessage());
      assertEquals(0, pool.connectionCount() - pool.idleConnectionCount(), "no connection left in use");
      try (Link.Content c = link.open(0, 2); InputStream in = c.body()) {
        assertArrayEquals("ab".getBytes(), in.readAllBytes());
        assertEquals(4, c.totalLength());
      }
    } finally {
      http.dispatcher().executorService().shutdown();
      pool.evictAll();
    }
  }
}
