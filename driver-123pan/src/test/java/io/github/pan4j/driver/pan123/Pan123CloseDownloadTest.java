package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.MidDownloadClose;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A download of the web download chain whose driver closes half-way: cut at once, CANCELLED. */
class Pan123CloseDownloadTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  @Test
  void linkOpen_driverClosedMidBody_nextReadFailsCancelled() throws Exception {
    byte[] content = new byte[64 * 1024];
    Arrays.fill(content, (byte) 7);
    Node f = fake.store().createFile(fake.demo().uid(), FakeStore.ROOT, "a.bin", fake.store().putBlob(content));
    Driver d = fake.open();
    Link link = d.link(Long.toString(f.id()));
    DriveException e = MidDownloadClose.run(fake.cloud(), "cdn", content, link::open, d::close);
    assertEquals("123pan", e.driverId().orElseThrow(), e::toString);
    assertEquals(Long.toString(f.id()), e.target().orElseThrow(), e::toString);
  }
}
