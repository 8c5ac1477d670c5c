package io.github.pan4j.examples.cli;

import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/**
 * The fake 123 cloud with every front door and the demo data: one account that signs in both
 * ways (open platform client id/secret and web phone/password), URL authentication on for direct
 * links, a {@code /Demo} tree, a public share of {@code /Demo/Shared} and a 123link tree of
 * {@code /Demo}. Used by {@code pan4j demo} (on free ports) and {@code pan4j fake-cloud} (fixed).
 */
final class DemoCloud implements AutoCloseable {
  static final String URL_AUTH_KEY = io.github.pan4j.testkit.fake.DemoCloud.URL_AUTH_KEY;
  static final String SHARE_KEY = io.github.pan4j.testkit.fake.DemoCloud.SHARE_KEY;
  static final String SHARE_PASSWORD = io.github.pan4j.testkit.fake.DemoCloud.SHARE_PASSWORD;
  /** Slices of 1 MiB so a 3 MiB upload shows progress over several requests. */
  static final long SLICE_SIZE = 1 << 20;

  final io.github.pan4j.testkit.fake.DemoCloud base;
  final FakeCloud cloud;
  final OpenApiFrontDoor open;
  final WebFrontDoor web;
  final VipCdnFrontDoor vip;
  final Account account;
  final Node demoFolder;
  final Node sharedFolder;

  DemoCloud(int basePort) {
    this(basePort, SLICE_SIZE);
  }

  /** A demo cloud whose open platform hands out slices of {@code sliceSize} bytes. */
  DemoCloud(int basePort, long sliceSize) {
    // One account for every sign-in: the open platform's demo client and the web's demo password.
    base = io.github.pan4j.testkit.fake.DemoCloud.start(basePort, sliceSize);
    cloud = base.cloud();
    open = base.open();
    web = base.web();
    vip = base.vip();
    account = base.account();
    FakeStore store = cloud.store();
    demoFolder = store.mkdir(account.uid(), FakeStore.ROOT, "Demo");
    store.createFile(account.uid(), demoFolder.id(), "readme.txt", store.putBlob(text(
        "Welcome to pan4j. Everything here lives in a fake 123云盘 on your own machine.\n")));
    Node photos = store.mkdir(account.uid(), demoFolder.id(), "photos");
    store.createFile(account.uid(), photos.id(), "cat.jpg", store.putBlob(random(48 * 1024, 1)));
    store.createFile(account.uid(), photos.id(), "dog.jpg", store.putBlob(random(64 * 1024, 2)));
    sharedFolder = store.mkdir(account.uid(), demoFolder.id(), "Shared");
    store.createFile(account.uid(), sharedFolder.id(), "handbook.pdf", store.putBlob(random(200 * 1024, 3)));
    store.createFile(account.uid(), sharedFolder.id(), "notes.md", store.putBlob(text("# Notes\nshared with everyone who has the code\n")));
    base.share(sharedFolder);
  }

  /** The 123link tree of /Demo as it is now (its URLs point at the fake vip CDN). */
  String linkTree() {
    return base.linkTree(demoFolder);
  }

  /** The --opt values of each driver against this cloud, by driver id (secrets included: never print them). */
  Map<String, Map<String, String>> options() {
    return base.options(demoFolder);
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Deterministic pseudo-random bytes (incompressible, so sizes and rates are honest). */
  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Override
  public void close() {
    cloud.close();
  }
}
