package io.github.pan4j.driver.share123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.FakeClock;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.Share;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake cloud with the web and share doors, the demo account and one share of its folder
 * {@code /shared} (key {@value #KEY}, code {@value #CODE}); a driver context on the same fake clock.
 */
final class ShareHarness implements AutoCloseable {
  static final String KEY = "pan4jShare-1";
  static final String CODE = "ab12";

  final FakeClock clock = new FakeClock();
  final WebFrontDoor web = new WebFrontDoor();
  final ShareFrontDoor shares = new ShareFrontDoor();
  final FakeCloud cloud = FakeCloud.builder().clock(clock).door(web).door(shares).build().start();
  final FakeStore store = cloud.store();
  final Account demo = WebFrontDoor.demoAccount(store);
  final Node shared = store.mkdir(demo.uid(), FakeStore.ROOT, "shared");

  ShareHarness() {
    store.createShare(new Share(KEY, CODE, demo.uid(), shared.id(), null));
  }

  DriverContext context() {
    return DriverContext.builder().clock(clock).sleeper(clock).build();
  }

  Map<String, String> options() {
    Map<String, String> o = new HashMap<>();
    o.put("shareUrl", "https://www.123pan.com/s/" + KEY + "?pwd=" + CODE);
    o.put("apiBaseUrl", cloud.baseUrl("web"));
    return o;
  }

  Driver open(Map<String, String> options) {
    return new Share123Provider().openWith(options, context());
  }

  Driver open() {
    return open(options());
  }

  Drive drive() {
    return Drive.of(open());
  }

  /** The folder at {@code path} (relative to the share root), created as needed. */
  Node folder(String path) {
    Node cur = shared;
    for (String part : path.split("/")) {
      if (part.isEmpty()) continue;
      long parent = cur.id();
      cur = store.child(demo.uid(), parent, part).orElseGet(() -> store.mkdir(demo.uid(), parent, part));
    }
    return cur;
  }

  Node file(String folderPath, String name, byte[] content) {
    return store.createFile(demo.uid(), folder(folderPath).id(), name, store.putBlob(content));
  }

  @Override
  public void close() {
    cloud.close();
  }
}
