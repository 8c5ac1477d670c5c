package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.MidDownloadClose;
import io.github.pan4j.testkit.fake.Fault;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing a {@code 123share} drive that downloads through a {@code 123open} reference drive
 * ({@link Drive.Builder#downloadThrough}): the downloads it started through the reference are cut as
 * its own are, the reference and the downloads others run on it are left alone. Over real HTTP on
 * the fake cloud; the fake holds the second half of a body ({@link Fault#holdMidBody}) so that the
 * close lands mid-body.
 */
class DownloadThroughCloseTest {
  private static final String CACHE = "/pan4j-cache";

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().driver("123share");

  private Drive reference;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void setUp() {
    fake.store().createAccount("visitor").client("visitor-client", "visitor-secret");
    reference = Drive.of(Drives.create().provider("123open").openWith(Map.of("clientId", "visitor-client",
        "clientSecret", "visitor-secret", "apiBaseUrl", fake.cloud().baseUrl("open")), fake.context()));
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    reference.close();
  }

  private Drive share() {
    return Drive.builder(fake.open()).downloadThrough(reference, CACHE, Drive.Through.ALWAYS).build();
  }

  private static byte[] content(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) b[i] = (byte) (i * 31 + 7);
    return b;
  }

  private static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  /** Requests the CDN got (the reference's downloads go there). */
  private long cdnRequests() {
    return fake.cloud().counters().requests().entrySet().stream().filter(e -> e.getKey().startsWith("cdn "))
        .mapToLong(Map.Entry::getValue).sum();
  }

  @Test
  void aLinkBodyThroughTheReference_shareDriveClosedMidBody_nextReadFailsCancelled_namingTheShareDrive()
      throws Exception {
    byte[] content = content(64 * 1024);
    fake.file("", "a.bin", content);
    Drive share = share();
    Link link = share.link("/a.bin");
    assertTrue(link.url().startsWith(fake.cloud().baseUrl("cdn") + "/open-dl/"), "the reference's link: " + link);

    DriveException e = MidDownloadClose.run(fake.cloud(), "cdn", content, link::open, share::close);

    assertEquals("123share", e.driverId().orElseThrow(), e::toString);
    assertEquals("/a.bin", e.target().orElseThrow(), e::toString);
    assertTrue(e.getMessage().contains("through the 123open drive, which stays open"), e.getMessage());
    // The reference was not closed with it: it still lists, links and downloads.
    try (Link.Content c = reference.link(CACHE + "/" + md5(content) + "/a.bin").open()) {
      assertArrayEquals(content, c.body().readAllBytes());
    }
  }

  /** 64 KiB is read on the caller's thread, 5 MiB on helper threads (Downloads' pipelined path). */
  @ParameterizedTest
  @ValueSource(ints = {64 * 1024, 5 << 20})
  void aGetThroughTheReference_onAnotherThread_shareDriveClosedMidBody_failsCancelledAtOnce(int size)
      throws Exception {
    byte[] content = content(size);
    fake.file("", "a.bin", content);
    Drive share = share();
    share.link("/a.bin"); // the copy is made now, so that the only CDN request below is the get's
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holdOver = new CountDownLatch(1);
    fake.cloud().inject("cdn", r -> r.method().equals("GET"), Fault.holdMidBody(() -> {
      try {
        release.await(MidDownloadClose.HOLD_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      } finally {
        holdOver.countDown();
      }
    }), 1);
    CountDownLatch firstHalf = new CountDownLatch(1);
    AtomicLong written = new AtomicLong();
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        if (written.addAndGet(len) >= size / 2) firstHalf.countDown();
      }
    };
    try {
      Future<?> get = pool.submit(() -> share.get("/a.bin", out));
      assertTrue(firstHalf.await(MidDownloadClose.HOLD_SECONDS, TimeUnit.SECONDS), "the first half was written");
      assertEquals(1, holdOver.getCount(), "while the fake holds the rest");

      share.close();

      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> get.get(MidDownloadClose.HOLD_SECONDS * 2L, TimeUnit.SECONDS));
      DriveException e = assertInstanceOf(DriveException.class, failed.getCause(), failed::toString);
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertEquals("123share", e.driverId().orElseThrow(), e::toString);
      assertTrue(e.getMessage().contains("driver was closed"), e.getMessage());
      assertEquals(1, holdOver.getCount(), "the get failed while the rest was still held, not after");
      assertTrue(written.get() < size, "not the whole file: " + written.get());
    } finally {
      release.countDown();
    }
  }

  @Test
  void aLinkThroughTheReference_openedAfterTheShareDriveClosed_isRefusedWithoutBeingSent() {
    fake.file("", "a.bin", content(1024));
    Drive share = share();
    Link link = share.link("/a.bin");
    share.close();
    fake.cloud().counters().reset();

    DriveException e = assertThrows(DriveException.class, link::open);

    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertEquals("123share", e.driverId().orElseThrow(), e::toString);
    assertTrue(e.getMessage().contains("was not started"), e.getMessage());
    assertEquals(0, cdnRequests(), "nothing was sent");
  }

  @Test
  void downloadsOthersRunOnTheReference_runOn_whenOneShareDriveCloses() throws Exception {
    byte[] content = content(64 * 1024);
    fake.file("", "a.bin", content);
    Drive closing = share();
    Drive other = share();
    try {
      closing.link("/a.bin"); // the copy in the reference
      Link viaOther = other.link("/a.bin");
      Link own = reference.link(CACHE + "/" + md5(content) + "/a.bin");
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(2);
      fake.cloud().inject("cdn", r -> r.method().equals("GET"), Fault.holdMidBody(() -> {
        held.countDown();
        try {
          release.await(MidDownloadClose.HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }), 1);
      fake.cloud().inject("cdn", r -> r.method().equals("GET"), Fault.holdMidBody(() -> {
        held.countDown();
        try {
          release.await(MidDownloadClose.HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }), 1);
      int half = content.length / 2;
      try (Link.Content a = viaOther.open(); Link.Content b = own.open();
          InputStream ina = a.body(); InputStream inb = b.body()) {
        assertArrayEquals(Arrays.copyOf(content, half), ina.readNBytes(half));
        assertArrayEquals(Arrays.copyOf(content, half), inb.readNBytes(half));
        assertTrue(held.await(MidDownloadClose.HOLD_SECONDS, TimeUnit.SECONDS), "both bodies are held mid-way");

        closing.close();
        release.countDown();

        assertArrayEquals(Arrays.copyOfRange(content, half, content.length), ina.readAllBytes(),
            "the other share drive's download through the reference ran on");
        assertArrayEquals(Arrays.copyOfRange(content, half, content.length), inb.readAllBytes(),
            "and so did the reference's own");
      }
    } finally {
      other.close();
    }
  }
}
