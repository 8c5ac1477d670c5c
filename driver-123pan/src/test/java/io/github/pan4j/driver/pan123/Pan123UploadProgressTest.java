package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeCloud.LoggedRequest;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TRANSFERRING progress while the parts' bytes are written, in both upload modes of the web API,
 * over HTTP to the fake: 48 MiB in 16 MiB parts used to report three times (once per finished
 * part); now about once a MiB, at most every 100 ms of the driver's clock, and at the end.
 */
class Pan123UploadProgressTest {
  static final int MIB = 1 << 20;
  static final int SIZE = 48 * MIB;

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  /** The TRANSFERRING updates; the driver's clock moves {@code step} per update (a repaint taking time). */
  final class Bar implements UploadListener {
    final List<UploadProgress> sent = new ArrayList<>();
    final List<Long> at = new ArrayList<>();
    private final Duration step;

    Bar(Duration step) {
      this.step = step;
    }

    @Override
    public synchronized void progressed(UploadProgress p) {
      if (p.phase() != UploadPhase.TRANSFERRING) return;
      sent.add(p);
      at.add(fake.clock().millis());
      fake.clock().advance(step);
    }
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The part PUTs of the mode: presigned URLs on the fake's storage host, or S3 UploadPart. */
  private List<LoggedRequest> partPuts(WebFrontDoor.UploadMode mode) {
    String prefix = mode == WebFrontDoor.UploadMode.STS ? "/" + WebFrontDoor.stsBucket() + "/" : "/web-s3/";
    return fake.cloud().requests("cdn", prefix).stream().filter(r -> r.method().equals("PUT")).toList();
  }

  private Entry upload(WebFrontDoor.UploadMode mode, byte[] content, Bar bar) throws Exception {
    fake.web().uploadMode(mode).sliceSize(16L * MIB);
    try (Driver d = fake.open()) {
      Entry e = ((Driver.Upload) d).upload("0", "big.bin", UploadSource.ofBytes(content),
          UploadOptions.of(ConflictPolicy.OVERWRITE).withListener(bar));
      Link link = d.link(e.id());
      try (Link.Content c = link.open()) {
        assertArrayEquals(content, c.body().readAllBytes());
      }
      return e;
    }
  }

  private static void assertIncreasingToTheSize(List<UploadProgress> p) {
    assertTrue(p.size() >= 20, p.size() + " updates: " + p);
    assertTrue(p.size() <= SIZE / MIB + 1, p.size() + " updates: more than one a MiB");
    for (int i = 0; i < p.size(); i++) {
      assertEquals(SIZE, p.get(i).totalBytes());
      assertTrue(p.get(i).bytesDone() >= 0 && p.get(i).bytesDone() <= SIZE, p.toString());
      if (i > 0) assertTrue(p.get(i).bytesDone() > p.get(i - 1).bytesDone(), "increasing: " + p);
    }
    assertTrue(p.get(0).bytesDone() < 16L * MIB, "the first update came before any part was done: " + p.get(0));
    assertEquals(SIZE, p.get(p.size() - 1).bytesDone(), "the last update is the size");
  }

  @ParameterizedTest
  @EnumSource(WebFrontDoor.UploadMode.class)
  void upload_48MiBIn16MiBParts_reportsAsBytesAreSent(WebFrontDoor.UploadMode mode) throws Exception {
    Bar bar = new Bar(Duration.ofMillis(100));
    Entry e = upload(mode, bytes(SIZE, 51), bar);
    assertEquals(SIZE, e.size());
    assertEquals(3, partPuts(mode).size());
    List<UploadProgress> p = bar.sent;
    assertIncreasingToTheSize(p);
    for (int i = 1; i < p.size() - 1; i++) {
      assertTrue(p.get(i).bytesDone() - p.get(i - 1).bytesDone() >= MIB, "a MiB apart: " + p);
      assertTrue(bar.at.get(i) - bar.at.get(i - 1) >= 100, "100 ms apart: " + bar.at);
    }
  }

  /** A part whose connection drops after its bytes went out is sent again: the figure stays in [0, size] and ends there. */
  @ParameterizedTest
  @EnumSource(WebFrontDoor.UploadMode.class)
  void upload_partSentAgain_figureStaysWithinTheSizeAndEndsThere(WebFrontDoor.UploadMode mode) throws Exception {
    String prefix = mode == WebFrontDoor.UploadMode.STS ? "/" + WebFrontDoor.stsBucket() + "/" : "/web-s3/";
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && r.path().startsWith(prefix), Fault.disconnect(), 1);
    Bar bar = new Bar(Duration.ofMillis(100));
    upload(mode, bytes(SIZE, 52), bar);
    assertEquals(4, partPuts(mode).size(), "one part sent twice");
    assertIncreasingToTheSize(bar.sent);
  }

  /** The clock stands still (a listener that takes no time): one update after the first MiB, then the end. */
  @Test
  void upload_clockStandsStill_rateCapHolds() throws Exception {
    Bar bar = new Bar(Duration.ZERO);
    upload(WebFrontDoor.UploadMode.PRESIGNED, bytes(SIZE, 53), bar);
    List<UploadProgress> p = bar.sent;
    long moved = bar.at.get(bar.at.size() - 1) - bar.at.get(0); // only the driver's own waits move it
    assertTrue(p.size() <= 2 + moved / 100, p + " over " + moved + " ms");
    assertTrue(p.get(0).bytesDone() >= MIB && p.get(0).bytesDone() < SIZE, p.toString());
    assertEquals(SIZE, p.get(p.size() - 1).bytesDone());
  }
}
