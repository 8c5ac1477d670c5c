package io.github.pan4j.driver.link123;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.DriverContract;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared driver contract, run against a 123link drive whose tree points at files of the fake
 * store, served by the fake direct-link CDN with URL authentication on. The driver signs with
 * the same fake clock the CDN checks expiry against.
 *
 * <p>A tree is fixed when the drive opens, but the suite seeds files after opening. So the tree
 * declares, up front, the fixture files the suite asks for (name and size, in {@link #FILES});
 * {@link #seedFile} then stores the bytes at the URL the tree already lists. The bulk folders are
 * real files of the store, rendered into the tree by {@link VipCdnFrontDoor#treeOf}.
 */
class Link123ContractTest extends DriverContract {
  static final String KEY = "contract-key";
  private static final String ROOT = "/pan4j-contract";
  /** More than two listing pages of {@value Link123Driver#PAGE_SIZE}. */
  private static final int BULK = 2_500;
  /** The files the contract suite seeds, by name, with the size it gives them. */
  private static final Map<String, Integer> FILES = new TreeMap<>(Map.of(
      "probe-link.bin", 3, "linked.bin", 10_000, "plain.txt", 1, "sized.bin", 1234));

  // One fake cloud for the whole suite (a static field): starting servers and seeding the bulk
  // folders per test would cost seconds for no gain, since the contract only reads.
  @RegisterExtension
  static final FakeCloudExtension fake =
      new FakeCloudExtension().doors(() -> new VipCdnFrontDoor().requireDirectLinkSpace(false));
  private static FakeCloud cloud;
  private static VipCdnFrontDoor vip;
  static Account alice;
  private static Node fixtures;
  static DriverContext context;
  static String tree;

  @BeforeAll
  static void startCloud() {
    cloud = fake.cloud();
    vip = fake.vip();
    FakeStore store = cloud.store();
    alice = store.createAccount("alice").urlAuth(KEY);
    fixtures = store.mkdir(alice.uid(), FakeStore.ROOT, ROOT.substring(1));
    StringBuilder text = new StringBuilder(fixtures.name()).append(":\n");
    for (Map.Entry<String, Integer> f : FILES.entrySet()) {
      text.append("  ").append(f.getValue()).append("::").append(cloud.baseUrl("vip")).append('/').append(alice.uid())
          .append(ROOT).append('/').append(f.getKey()).append('\n');
    }
    // The empty folder and the small tree the listing tests walk (their files' bytes are never read).
    text.append("  empty:\n");
    String base = cloud.baseUrl("vip") + "/" + alice.uid() + ROOT + "/tree";
    text.append("  tree:\n")
        .append("    a:\n")
        .append("      b:\n")
        .append("        1::").append(base).append("/a/b/y.txt\n")
        .append("      1::").append(base).append("/a/x.txt\n")
        .append("    c:\n")
        .append("    1::").append(base).append("/z.txt\n");
    Blob one = store.putBlob(new byte[] {42});
    for (int count : new int[] {5, 10, BULK}) {
      Node bulk = store.mkdir(alice.uid(), fixtures.id(), "bulk-" + count);
      for (int i = 0; i < count; i++) store.createFile(alice.uid(), bulk.id(), String.format("f%05d.bin", i), one);
      text.append("  ").append(bulk.name()).append(":\n");
      vip.treeOf(alice.uid(), bulk.id()).lines().forEach(l -> text.append("    ").append(l).append('\n'));
    }
    tree = text.toString();
    context = fake.context();
  }

  @Override
  protected String scratchRoot() {
    return ROOT;
  }

  @Override
  protected int bulkListCount() {
    return BULK;
  }

  @Override
  protected Drive openDrive() {
    return Drive.of(new Link123Provider().openWith(Map.of(
        "tree", tree,
        "directLinkPrivateKey", KEY,
        "directLinkUid", Long.toString(alice.uid()),
        "directLinkValidity", "30m"), context));
  }

  @Override
  protected String seedFile(Drive drive, String scratch, String name, byte[] content) {
    Integer declared = FILES.get(name);
    if (declared == null) Assumptions.abort("the 123link contract tree declares no file '" + name + "'; add it to FILES");
    assertEquals(declared, content.length, "the tree declares " + name + " with " + declared + " bytes; update FILES");
    FakeStore store = cloud.store();
    Blob blob = store.putBlob(content);
    store.child(alice.uid(), fixtures.id(), name).ifPresentOrElse(
        existing -> store.replaceContent(existing, blob),
        () -> store.createFile(alice.uid(), fixtures.id(), name, blob));
    return scratchRoot() + "/" + name;
  }

  @Override
  protected String seedEmptyFolder(Drive drive, String scratch) {
    return scratchRoot() + "/empty";
  }

  @Override
  protected String seedTree(Drive drive, String scratch) {
    return scratchRoot() + "/tree";
  }

  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    if (count != 5 && count != 10 && count != BULK) {
      Assumptions.abort("the 123link contract tree has no folder of " + count + " files");
    }
    return scratchRoot() + "/bulk-" + count;
  }
}
