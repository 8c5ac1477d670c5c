package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The fake 123 cloud (from pan4j-testkit) running in this process with demo data, for
 * {@code --demo} and the host's tests. One account signs in every way: open platform client
 * id/secret, web phone/password, a public share of {@code /Demo/Shared} and a 123link tree of
 * {@code /Demo} whose direct links need {@code auth_key} signatures.
 *
 * <pre>
 * /Demo/readme.txt            text
 * /Demo/sunset.png            480×270 picture
 * /Demo/big.bin               256 KiB of pseudo-random bytes
 * /Demo/photos/mountain.png   a second picture
 * /Demo/docs/notes.md         text
 * /Demo/Shared/poster.png     (also the share's content)
 * /Demo/Shared/handbook.txt
 * </pre>
 */
final class DemoCloud implements AutoCloseable {
  static final String URL_AUTH_KEY = io.github.pan4j.testkit.fake.DemoCloud.URL_AUTH_KEY;
  static final String SHARE_KEY = io.github.pan4j.testkit.fake.DemoCloud.SHARE_KEY;
  static final String SHARE_PASSWORD = io.github.pan4j.testkit.fake.DemoCloud.SHARE_PASSWORD;

  final FakeCloud cloud;
  final Account account;
  final Node demoFolder;
  private final io.github.pan4j.testkit.fake.DemoCloud base;

  /** Starts the fake cloud on free loopback ports ({@code basePort} 0) or consecutive ones from it. */
  DemoCloud(int basePort) {
    base = io.github.pan4j.testkit.fake.DemoCloud.start(basePort, 0);
    cloud = base.cloud();
    try {
      FakeStore store = cloud.store();
      account = base.account();
      long uid = account.uid();
      demoFolder = store.mkdir(uid, FakeStore.ROOT, "Demo");
      store.createFile(uid, demoFolder.id(), "readme.txt", store.putBlob(text(
          "Welcome to the pan4j host.\n\nEverything here lives in a fake 123云盘 inside this process:\n"
              + "the same files reached through four drivers, mounted at /123open, /123pan, /123share and /123link.\n")));
      store.createFile(uid, demoFolder.id(), "sunset.png",
          store.putBlob(picture(new Color(0x0969da), new Color(0x8250df), new Color(0x1f883d))));
      store.createFile(uid, demoFolder.id(), "big.bin", store.putBlob(random(256 * 1024, 7)));
      Node photos = store.mkdir(uid, demoFolder.id(), "photos");
      store.createFile(uid, photos.id(), "mountain.png",
          store.putBlob(picture(new Color(0xbc4c00), new Color(0xfb8f44), new Color(0x57606a))));
      Node docs = store.mkdir(uid, demoFolder.id(), "docs");
      store.createFile(uid, docs.id(), "notes.md", store.putBlob(text("# Notes\n\n- pan4j drivers are plugins\n- this is *fake* data\n")));
      Node shared = store.mkdir(uid, demoFolder.id(), "Shared");
      store.createFile(uid, shared.id(), "poster.png",
          store.putBlob(picture(new Color(0x1a7f37), new Color(0x4ac26b), new Color(0x0550ae))));
      store.createFile(uid, shared.id(), "handbook.txt", store.putBlob(text("The handbook: shared with everyone who has the code.\n")));
      base.share(shared);
    } catch (RuntimeException | Error e) {
      cloud.close();
      throw e;
    }
  }

  /** The options of each driver against this cloud, by driver id (secrets included: never print them). */
  Map<String, Map<String, String>> options() {
    Map<String, Map<String, String>> m = new LinkedHashMap<>(base.options(demoFolder));
    // Pace 123pan's listings at 50 ms instead of the cautious 700 ms default: a local fake, browsed by tests.
    Map<String, String> pan = new LinkedHashMap<>(m.get("123pan"));
    pan.put("listInterval", "50ms");
    m.put("123pan", pan);
    return m;
  }

  /** Adds a mount of {@code driver} on this cloud to a mounts-file array. */
  ObjectNode mount(ArrayNode mounts, String path, String driver, DownloadMode mode) {
    ObjectNode m = mounts.addObject().put("path", path).put("driver", driver).put("download", mode.key());
    ObjectNode o = m.putObject("options");
    options().get(driver).forEach(o::put);
    return m;
  }

  /** The four demo mounts: /123open, /123pan, /123share and /123link, each in download mode auto. */
  void demoMounts(ArrayNode mounts) {
    for (String id : options().keySet()) mount(mounts, "/" + id, id, DownloadMode.AUTO);
  }

  /** The stored bytes of a file of the demo account, by absolute path (e.g. {@code /Demo/big.bin}). */
  Blob blob(String path) {
    return cloud.store().resolve(account.uid(), path).orElseThrow(() -> new IllegalArgumentException("no " + path)).blob();
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Deterministic pseudo-random bytes. */
  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A small landscape picture (sky gradient, sun, hills) as PNG, so previews show something. */
  static byte[] picture(Color skyFrom, Color skyTo, Color hills) {
    BufferedImage img = new BufferedImage(480, 270, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, skyFrom, 480, 270, skyTo));
    g.fillRect(0, 0, 480, 270);
    g.setColor(new Color(255, 255, 255, 200));
    g.fillOval(300, 40, 120, 120);
    g.setColor(hills);
    g.fillPolygon(new int[] {0, 160, 300, 480, 480, 0}, new int[] {270, 150, 210, 120, 270, 270}, 6);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    cloud.close();
  }
}
