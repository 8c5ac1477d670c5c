package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.FakeCloud;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A download whose driver is closed while the fake cloud holds the second half of its body: the
 * check every HTTP driver's close must pass. The fake sends the first half of the file and holds the
 * rest ({@link Fault#holdMidBody}) until the check is over, or for {@value #HOLD_SECONDS} s at most;
 * the reader reads the first half, the driver is closed, and the next read must fail at once (while
 * the rest is still held) with an {@link IOException} whose cause is a {@link DriveException} of
 * kind CANCELLED saying the driver was closed.
 */
public final class MidDownloadClose {
  /** How long the fake holds the rest of the body at most: a close that cuts nothing fails then, it does not hang. */
  public static final int HOLD_SECONDS = 5;

  private MidDownloadClose() {}

  /**
   * Runs the check and returns the CANCELLED error the read failed with, for the caller's own checks
   * (its driver id and target).
   *
   * @param cloud the fake; its server {@code server} ({@code cdn}, {@code vip}) serves the body
   * @param content the file's bytes (at least 2)
   * @param open opens the download (a {@link Link#open()})
   * @param close closes the driver (or its drive)
   */
  public static DriveException run(FakeCloud cloud, String server, byte[] content, Supplier<Link.Content> open,
      Runnable close) throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holdOver = new CountDownLatch(1); // the fake went on to send the rest
    cloud.inject(server, r -> r.method().equals("GET"), Fault.holdMidBody(() -> {
      try {
        release.await(HOLD_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        holdOver.countDown();
      }
    }), 10);
    int half = content.length / 2;
    try (Link.Content c = open.get(); InputStream in = c.body()) {
      assertArrayEquals(Arrays.copyOf(content, half), in.readNBytes(half), "the first half arrived");
      assertEquals(1, holdOver.getCount(), "the first half reached the reader while the fake held the rest, not after");
      close.run();
      IOException e = assertThrows(IOException.class, () -> in.read(new byte[content.length]),
          "the read after the driver's close must fail, not go on once the fake sends the rest");
      assertEquals(1, holdOver.getCount(), "the read failed while the rest of the body was still held");
      DriveException cause = assertInstanceOf(DriveException.class, e.getCause(), e::toString);
      assertEquals(ErrorKind.CANCELLED, cause.kind(), cause::toString);
      assertNotNull(e.getMessage());
      assertTrue(cause.getMessage().contains("driver was closed") && cause.getMessage().contains("reopen the driver"),
          cause.getMessage());
      assertThrows(IOException.class, () -> in.read(), "and so does every read after it");
      return cause;
    } finally {
      release.countDown();
    }
  }
}
