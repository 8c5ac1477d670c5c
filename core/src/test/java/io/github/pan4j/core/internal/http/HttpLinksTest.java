package io.github.pan4j.core.internal.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.internal.Downloads;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /** A server that ignores the range and sends fewer bytes than the offset: the download failed, and so does its event. */
  @Test
  void rangeIgnored_bodyShorterThanTheOffset_endsItsDownloadFailed_notOk() throws Exception {
    List<RequestEvent> heard = new CopyOnWriteArrayList<>();
    OkHttpClient http = new OkHttpClient();
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).body("abc").build());
      server.start();
      Link link = Link.builder(server.url("/f.bin").toString())
          .opener(HttpLinks.opener(http, "test", recorder(heard), Clock.systemUTC(), null)).build();
      DriveException e = assertThrows(DriveException.class, () -> link.open(10, -1));
      assertEquals(ErrorKind.NETWORK, e.kind());
      assertEquals(1, heard.size(), heard.toString());
      assertEquals(Optional.of(ErrorKind.NETWORK), heard.get(0).error(), heard.toString());
      assertEquals(3, heard.get(0).bytes().getAsLong());
    } finally {
      http.dispatcher().executorService().shutdown();
    }
  }

  /**
   * A small download (read on the caller's thread) that its reader stops before the end, as the
   * pipelined one of a large file does: interrupted, or cut off one byte past the announced size.
   * Its event says CANCELLED, as the large one's does, not OK.
   */
  @Test
  void smallDownload_abortedByItsReader_endsCancelled_likeALargeOne() throws Exception {
    List<RequestEvent> heard = new CopyOnWriteArrayList<>();
    OkHttpClient http = new OkHttpClient();
    byte[] bytes = new byte[300_000];
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(bytes)).build());
      server.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(bytes)).build());
      server.start();
      Link link = Link.builder(server.url("/f.bin").toString())
          .opener(HttpLinks.opener(http, "test", recorder(heard), Clock.systemUTC(), null)).build();
      UploadListener interrupting = new UploadListener() {
        @Override
        public void progressed(UploadProgress progress) {
          Thread.currentThread().interrupt();
        }
      };
      Entry whole = Entry.file("1", "0", "f.bin", bytes.length, null, null);
      DriveException stopped = assertThrows(DriveException.class,
          () -> Downloads.toStream(link, whole, new ByteArrayOutputStream(), interrupting));
      assertEquals(ErrorKind.CANCELLED, stopped.kind());
      assertTrue(Thread.interrupted());
      Entry shorter = Entry.file("1", "0", "f.bin", 1000, null, null);
      DriveException tooLong = assertThrows(DriveException.class,
          () -> Downloads.toStream(link, shorter, new ByteArrayOutputStream(), UploadListener.NONE));
      assertEquals(ErrorKind.INTEGRITY, tooLong.kind());
      assertEquals(List.of(Optional.of(ErrorKind.CANCELLED), Optional.of(ErrorKind.CANCELLED)),
          heard.stream().map(RequestEvent::error).toList(), heard.toString());
    } finally {
      http.dispatcher().executorService().shutdown();
    }
  }

  /**
   * A reader that asks for the first half of a body (readNBytes) gets it while the server still
   * holds the rest, and a read of no bytes returns 0 at once: okio's stream waited for the next
   * byte on both.
   */
  @Test
  void readNBytes_returnsOnceItHasItsBytes_whileTheServerHoldsTheRest() throws Exception {
    byte[] bytes = new byte[64 * 1024];
    java.util.Arrays.fill(bytes, (byte) 7);
    int half = bytes.length / 2;
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean restSent = new java.util.concurrent.atomic.AtomicBoolean();
    OkHttpClient http = new OkHttpClient();
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).body(new mockwebserver3.MockResponseBody() {
        @Override
        public long getContentLength() {
          return bytes.length;
        }

        @Override
        public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
          sink.write(bytes, 0, half);
          sink.flush();
          try {
            release.await(5, TimeUnit.SECONDS); // a reader that waits for the rest fails then, it does not hang
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          restSent.set(true);
          sink.write(bytes, half, bytes.length - half);
          sink.flush();
        }
      }).build());
      server.start();
      Link link = Link.builder(server.url("/f.bin").toString()).opener(HttpLinks.opener(http)).build();
      try (Link.Content c = link.open(); InputStream in = c.body()) {
        assertEquals(half, in.readNBytes(half).length);
        assertEquals(0, in.read(new byte[8], 3, 0));
        assertTrue(!restSent.get(), "the first half was handed over before the server sent the rest");
        release.countDown();
        assertEquals(bytes.length - half, in.readAllBytes().length);
      }
    } finally {
      release.countDown();
      http.dispatcher().executorService().shutdown();
    }
  }

  private static RequestListener recorder(List<RequestEvent> heard) {
    return new RequestListener() {
      @Override
      public void requestEnded(RequestEvent event) {
        heard.add(event);
      }
    };
  }

  /** A listener that throws is the host's bug: the reader still gets its bytes, as an API call does. */
  @Test
  void aListenerThatThrows_neverBreaksTheDownload() throws Exception {
    OkHttpClient http = new OkHttpClient();
    RequestListener broken = new RequestListener() {
      @Override
      public void requestEnded(RequestEvent event) {
        throw new IllegalStateException("listener bug");
      }
    };
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).body("abc").build());
      server.enqueue(new MockResponse.Builder().code(404).body("gone").build());
      server.start();
      Link link = Link.builder(server.url("/f.bin").toString())
          .opener(HttpLinks.opener(http, "test", broken, Clock.systemUTC(), null)).build();
      try (Link.Content c = link.open(0, -1)) {
        assertArrayEquals("abc".getBytes(), c.body().readAllBytes());
      }
      assertEquals(ErrorKind.NOT_FOUND, assertThrows(DriveException.class, () -> link.open(0, -1)).kind());
    } finally {
      http.dispatcher().executorService().shutdown();
    }
  }

  /** The tasks queued on the downloads' shared timer (HttpLinks' head deadlines use it). */
  private static int pendingHeadWatches() {
    return ((java.util.concurrent.ScheduledThreadPoolExecutor) io.github.pan4j.core.internal.Watches.shared()).getQueue().size();
  }

  /**
   * A download interrupted while it connects is CANCELLED with the interrupt flag kept (OkHttp
   * throws an undeclared InterruptedException there, its flag cleared), its event ends CANCELLED,
   * and its deadline watch ends at once: no timer task is left to fire when the deadline runs out.
   */
  @Test
  void interruptedWhileConnecting_isCancelled_toldOnce_andLeavesNoDeadlineTaskBehind() throws Exception {
    List<RequestEvent> heard = new CopyOnWriteArrayList<>();
    OkHttpClient http = new OkHttpClient();
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).body("abc").build());
      server.start();
      Link link = Link.builder(server.url("/f.bin").toString())
          .opener(HttpLinks.opener(http, "test", recorder(heard), Clock.systemUTC(), null,
              java.time.Duration.ofHours(1))).build();
      int before = pendingHeadWatches();
      Thread.currentThread().interrupt();
      DriveException e;
      boolean flagKept;
      try {
        e = assertThrows(DriveException.class, () -> link.open(0, -1));
      } finally {
        flagKept = Thread.interrupted();
      }
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertTrue(flagKept, "the interrupt flag is kept");
      assertEquals(1, heard.size(), heard.toString());
      assertEquals(Optional.of(ErrorKind.CANCELLED), heard.get(0).error(), heard.toString());
      assertEquals(before, pendingHeadWatches(), "the download's deadline task was removed");
    } finally {
      http.dispatcher().executorService().shutdown();
    }
  }
}
