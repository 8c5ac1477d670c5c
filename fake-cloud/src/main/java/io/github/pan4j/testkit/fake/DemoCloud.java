package io.github.pan4j.testkit.fake;

import io.github.pan4j.core.auth.TokenStores;
import io.github.pan4j.core.spi.DriverContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fake 123 cloud with every front door and one account that signs in every way: the open
 * platform's demo client ({@link OpenApiFrontDoor#DEMO_CLIENT_ID}), the web login
 * ({@link WebFrontDoor#DEMO_PHONE} / {@link WebFrontDoor#DEMO_PASSWORD}), and direct links with URL
 * authentication on ({@link #URL_AUTH_KEY}). {@link #options} gives, for each driver id, the
 * options that point that driver at this cloud — the set-up the demo, the host and your own tests
 * start from:
 *
 * <pre>{@code
 * try (DemoCloud demo = DemoCloud.start(0, 0)) {
 *   Node folder = demo.cloud().store().mkdir(demo.account().uid(), FakeStore.ROOT, "Demo");
 *   demo.share(folder);
 *   Drive drive = Drives.create().open("123pan", demo.options(folder).get("123pan"), demo.context());
 *   …
 * }
 * }</pre>
 *
 * <p>The direct-link CDN is as strict as 123's: it serves only files inside a folder whose
 * direct-link space is on. {@link #linkTree} turns the space on for the folder under the root that
 * holds the tree, as a 123 user does before copying links.
 */
public final class DemoCloud implements AutoCloseable {
  /** The private key of the demo account's direct-link URL authentication. */
  public static final String URL_AUTH_KEY = "demo-url-key";
  /** The key of the share made by {@link #share}. */
  public static final String SHARE_KEY = "demo-Share1";
  /** The extraction code of the share made by {@link #share}. */
  public static final String SHARE_PASSWORD = "1a2b";

  private final FakeCloud cloud;
  private final OpenApiFrontDoor open;
  private final WebFrontDoor web;
  private final VipCdnFrontDoor vip;
  private final Account account;
  private volatile DriverContext context;

  private DemoCloud(int basePort, long sliceSize) {
    vip = new VipCdnFrontDoor();
    open = new OpenApiFrontDoor().vipDoor(vip);
    if (sliceSize > 0) open.sliceSize(sliceSize);
    web = new WebFrontDoor();
    cloud = FakeCloud.builder().basePort(basePort).door(open).door(web).door(new ShareFrontDoor()).door(vip)
        .build().start();
    try {
      account = OpenApiFrontDoor.demoAccount(cloud.store()).password(WebFrontDoor.DEMO_PASSWORD).urlAuth(URL_AUTH_KEY);
    } catch (RuntimeException | Error e) {
      cloud.close();
      throw e;
    }
  }

  /**
   * Starts the cloud on free loopback ports ({@code basePort} 0) or on consecutive ports from
   * {@code basePort}. {@code sliceSize} is the open platform's upload slice size, or 0 for the
   * front door's default (16 MiB, as the real platform announces).
   */
  public static DemoCloud start(int basePort, long sliceSize) {
    return new DemoCloud(basePort, sliceSize);
  }

  public FakeCloud cloud() { return cloud; }
  public OpenApiFrontDoor open() { return open; }
  public WebFrontDoor web() { return web; }
  public VipCdnFrontDoor vip() { return vip; }
  /** The demo account. */
  public Account account() { return account; }

  /**
   * A context for drives on this cloud: its tokens stay in memory, shared by those drives, and never
   * reach the user's token file (the default context's), which would otherwise collect one entry
   * per fake cloud started, each on another port.
   */
  public DriverContext context() {
    DriverContext c = context;
    if (c == null) {
      synchronized (this) {
        if (context == null) context = DriverContext.builder().tokenStore(TokenStores.inMemory()).build();
        c = context;
      }
    }
    return c;
  }

  /** Shares {@code folder} publicly as {@link #SHARE_KEY} with code {@link #SHARE_PASSWORD}. */
  public Share share(Node folder) {
    return cloud.store().createShare(new Share(SHARE_KEY, SHARE_PASSWORD, account.uid(), folder.id(), null));
  }

  /**
   * The 123link tree text of {@code folder} as it is now; its URLs point at the fake CDN. Turns on
   * the direct-link space of the folder under the root that holds {@code folder} (123 allows a
   * space only there, and serves direct links only inside one).
   *
   * @throws IllegalArgumentException when {@code folder} is a file
   */
  public String linkTree(Node folder) {
    if (!folder.folder()) throw new IllegalArgumentException("a 123link tree is made of a folder, not of the file " + folder.name());
    FakeStore store = cloud.store();
    store.setDirectLinkSpace(store.topOf(folder), true);
    return vip.treeOf(account.uid(), folder.id());
  }

  /**
   * The options of each driver against this cloud, by driver id: {@code 123open}, {@code 123pan},
   * {@code 123share} (the share made by {@link #share}) and {@code 123link} (a tree of
   * {@code linkTreeFolder}). The maps hold secrets: never print them.
   */
  public Map<String, Map<String, String>> options(Node linkTreeFolder) {
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
        "tree", linkTree(linkTreeFolder),
        "directLinkPrivateKey", URL_AUTH_KEY,
        "directLinkUid", String.valueOf(account.uid())));
    return m;
  }

  /** Stops the servers and deletes the stored bytes. */
  @Override
  public void close() {
    cloud.close();
  }

  @Override
  public String toString() {
    return "DemoCloud{open=" + cloud.baseUrl("open") + ", uid=" + account.uid() + "}";
  }
}
