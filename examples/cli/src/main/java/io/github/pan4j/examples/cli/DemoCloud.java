package io.github.pan4j.examples.cli;

import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.Share;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The fake 123 cloud with every front door and the demo data: one account that signs in both
 * ways (open platform client id/secret and web phone/password), URL authentication on for direct
 * links, a {@code /Demo} tree, a public share of {@code /Demo/Shared} and a 123link tree of
 * {@code /Demo}. Used by {@code pan4j demo} (on free ports) and {@code pan4j fake-cloud} (fixed).
 */
final class DemoCloud implements AutoCloseable {
  static final String URL_AUTH_KEY = "demo-url-key";
  static final String SHARE_KEY = "demo-Share1";
  static final String SHARE_PASSWORD = "1a2b";
  /** Slices of 1 MiB so a 3 MiB upload shows progress over several requests. */
  static final long SLICE_SIZE = 1 << 20;

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
    vip = new VipCdnFrontDoor().requireDirectLinkSpace(false); // 123link trees point at any file
    open = new OpenApiFrontDoor().vipDoor(vip).sliceSize(sliceSize);
    web = new WebFrontDoor();
    cloud = FakeCloud.builder().basePort(basePort).door(open).door(web).door(new ShareFrontDoor()).door(vip).build().start();
    FakeStore store = cloud.store();
    // One account for both sign-ins: the open platform's demo client and the web's demo password.
    account = OpenApiFrontDoor.demoAccount(store).password(WebFrontDoor.DEMO_PASSWORD).urlAuth(URL_AUTH_KEY);
    demoFolder = store.mkdir(account.uid(), FakeStore.ROOT, "Demo");
    store.createFile(account.uid(), demoFolder.id(), "readme.txt", store.putBlob(text(
        "Welcome to pan4j. Everything here lives in a fake 123云盘 on your own machine.\n")));
    Node photos = store.mkdir(account.uid(), demoFolder.id(), "photos");
    store.createFile(account.uid(), photos.id(), "cat.jpg", store.putBlob(random(48 * 1024, 1)));
    store.createFile(account.uid(), photos.id(), "dog.jpg", store.putBlob(random(64 * 1024, 2)));
    sharedFolder = store.mkdir(account.uid(), demoFolder.id(), "Shared");
    store.createFile(account.uid(), sharedFolder.id(), "handbook.pdf", store.putBlob(random(200 * 1024, 3)));
    store.createFile(account.uid(), sharedFolder.id(), "notes.md", store.putBlob(text("# Notes\nshared with everyone who has the code\n")));
    store.createShare(new Share(SHARE_KEY, SHARE_PASSWORD, account.uid(), sharedFolder.id(), null));
  }

  /** The 123link tree of /Demo as it is now (its URLs point at the fake vip CDN). */
  String linkTree() {
    return vip.treeOf(account.uid(), demoFolder.id());
  }

  /** The --opt values of each driver against this cloud, by driver id (secrets included: never print them). */
  Map<String, Map<String, String>> options() {
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    m.put("123open", Map.of(
        "clientId", OpenApiFrontDoor.DEMO_CLIENT_ID,
        "clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET,
        "apiBaseUrl", cloud.baseUrl("open")));
    m.put("123pan", Map.of(
        "username", WebFrontDoor.DEMO_PHONE,
        "password", WebFrontDoor.DEMO_PASSWORD,
        "apiBaseUrl", cloud.baseUrl("web") + WebFrontDoor.API,
        "loginBaseUrl", cloud.baseUrl("login")));
    m.put("123share", Map.of(
        "shareUrl", "https://www.123pan.com/s/" + SHARE_KEY,
        "password", SHARE_PASSWORD,
        "apiBaseUrl", cloud.baseUrl("web") + WebFrontDoor.API));
    m.put("123link", Map.of(
        "tree", linkTree(),
        "privateKey", URL_AUTH_KEY,
        "uid", String.valueOf(account.uid())));
    return m;
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
