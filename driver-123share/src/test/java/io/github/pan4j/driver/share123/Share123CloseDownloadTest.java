package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.MidDownloadClose;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A download of a share (the web download chain) whose driver closes half-way: cut at once, CANCELLED. */
class Share123CloseDownloadTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new, ShareFrontDoor::new).driver("123share");

  @Test
  void linkOpen_driverClosedMidBody_nextReadFailsCancelled() throws Exception {
    byte[] content = new byte[64 * 1024];
    Arrays.fill(content, (byte) 7);
    Node f = fake.file("", "a.bin", content);
    Driver d = fake.open();
    Link link = d.link(Long.toString(f.id()));
    DriveException e = MidDownloadClose.run(fake.cloud(), "cdn", content, link::open, d::close);
    assertEquals("123share", e.driverId().orElseThrow(), e::toString);
    assertEquals(Long.toString(f.id()), e.target().orElseThrow(), e::toString);
  }
}
