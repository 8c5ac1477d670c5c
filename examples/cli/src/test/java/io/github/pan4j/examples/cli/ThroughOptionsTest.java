package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pan4j get|link --through-driver 123open ...} in-process against the fake cloud: a file
 * of the demo share that needs sign-in comes through a 123open drive of another account.
 */
class ThroughOptionsTest {
  @TempDir Path dir;
  DemoCloud dc;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    dc = new DemoCloud(0);
    cli = new CliRunner(dir);
    dc.cloud.door(ShareFrontDoor.class).loginThreshold(100 * 1024); // handbook.pdf (200 KiB) needs sign-in
    dc.cloud.store().createAccount("me").client("my-client", "my-secret");
  }

  @AfterEach
  void tearDown() {
    dc.close();
  }

  private CliRunner.Result share(String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--driver", "123share", "--opt", "shareUrl=" + DemoCloud.SHARE_KEY, "--opt",
        "password=" + DemoCloud.SHARE_PASSWORD, "--opt", "apiBaseUrl=" + dc.cloud.baseUrl("web"),
        "--state-dir", dir.resolve("state").toString()));
    return cli.run(a.toArray(String[]::new));
  }

  private static List<String> through(String... more) {
    List<String> a = new ArrayList<>(List.of("--through-driver", "123open", "--through-opt", "clientId=my-client",
        "--through-opt", "clientSecret=my-secret"));
    a.addAll(List.of(more));
    return a;
  }

  private String[] with(List<String> a, String... first) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(a);
    return all.toArray(String[]::new);
  }

  private long shareDownloads() {
    return dc.cloud.requests("web", "/b/api/share/download/info").size();
  }

  @Test
  void get_aFileTheShareRefuses_comesThroughTheOpenDrive() {
    CliRunner.Result refused = share("get", "/handbook.pdf", "-");
    assertEquals(ExitCode.AUTH, refused.code(), refused::toString);

    List<String> t = through("--through-opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--through-folder", "/cache");
    CliRunner.Result r = share(with(t, "get", "/handbook.pdf", "-"));
    assertEquals(0, r.code(), r::toString);
    assertArrayEquals(DemoCloud.random(200 * 1024, 3), r.bytes());
    long me = dc.cloud.store().accountByClientId("my-client").orElseThrow().uid();
    FakeStore st = dc.cloud.store();
    Node cache = st.child(me, FakeStore.ROOT, "cache").orElseThrow();
    assertEquals(1, st.children(me, cache.id(), false).size(), "one folder per content in the cache folder");
    assertFalse(r.err().contains("my-secret"), r::toString);
  }

  @Test
  void rmThroughCopies_removesTheCopiesForGood_andNeedsTheThroughDrive() {
    List<String> t = through("--through-opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--through-folder", "/cache");
    assertEquals(0, share(with(t, "get", "/handbook.pdf", "-")).code());
    long me = dc.cloud.store().accountByClientId("my-client").orElseThrow().uid();
    assertTrue(dc.cloud.store().child(me, FakeStore.ROOT, "cache").isPresent());

    CliRunner.Result r = share(with(t, "rm-through-copies"));
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.err().contains("removed /cache with every copy in it"), r::toString);
    assertTrue(dc.cloud.store().children(me, FakeStore.ROOT, true).stream().noneMatch(n -> n.name().equals("cache")),
        "gone, not in the trash either");
    CliRunner.Result again = share(with(t, "rm-through-copies"));
    assertEquals(0, again.code(), again::toString);
    assertTrue(again.err().contains("no copies: /cache does not exist"), again::toString);

    CliRunner.Result none = share("rm-through-copies");
    assertEquals(ExitCode.USAGE, none.code(), none::toString);
    assertTrue(none.err().contains("--through-driver ID"), none::toString);
  }

  @Test
  void link_throughAlways_givesTheOpenDrivesLink_withoutAskingTheShare() {
    long before = shareDownloads();
    List<String> t = through("--through-opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--through-always");
    CliRunner.Result r = share(with(t, "link", "/notes.md"));
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith(dc.cloud.baseUrl("cdn") + "/open-dl/"), r::toString);
    assertEquals(before, shareDownloads(), "the share was not asked for a download");
  }

  @Test
  void throughOptionsWithoutADrive_orADriveThatCannotStoreByHash_areUsageErrors() {
    CliRunner.Result r = share("get", "/notes.md", "-", "--through-always");
    assertEquals(ExitCode.USAGE, r.code(), r::toString);
    assertTrue(r.err().contains("need --through-driver"), r::toString);

    CliRunner.Result lacking = share("get", "/notes.md", "-", "--through-driver", "123share", "--through-opt",
        "shareUrl=" + DemoCloud.SHARE_KEY, "--through-opt", "apiBaseUrl=" + dc.cloud.baseUrl("web"));
    assertEquals(ExitCode.USAGE, lacking.code(), lacking::toString);
    assertTrue(lacking.err().contains("lacks INSTANT_UPLOAD"), lacking::toString);
  }

  @Test
  void aBadThroughFolder_isNamedAsTheCommandLineOption() {
    for (String folder : List.of("cache", "/")) {
      List<String> t = through("--through-opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--through-folder", folder);
      CliRunner.Result r = share(with(t, "get", "/handbook.pdf", "-"));
      assertEquals(ExitCode.USAGE, r.code(), r::toString);
      assertTrue(r.err().contains("--through-folder '" + folder + "'"), r::toString);
      assertFalse(r.err().contains("cacheFolder"), "the Java parameter's name means nothing here: " + r);
    }
  }

  @Test
  void aBadOptionOfTheThroughDrive_saysItIsTheThroughDrives() {
    // Only the client id: the secret is missing. Without the prefix the message looked like one
    // about --opt (the share), with 123open as the main drive even indistinguishable from it.
    CliRunner.Result r = share("get", "/handbook.pdf", "-", "--through-driver", "123open", "--through-opt",
        "clientId=my-client", "--through-opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"));
    assertEquals(ExitCode.USAGE, r.code(), r::toString);
    assertTrue(r.err().contains("the drive to download through (--through-driver 123open, --through-opt): "), r::toString);
    assertTrue(r.err().contains("'clientSecret' is required"), r::toString);

    CliRunner.Result unknown = share("get", "/handbook.pdf", "-", "--through-driver", "123opn");
    assertEquals(ExitCode.USAGE, unknown.code(), unknown::toString);
    assertTrue(unknown.err().contains("the drive to download through (--through-driver 123opn, --through-opt): "), unknown::toString);
  }

  @Test
  void getsNote_saysWhenTheFileCameThroughTheOtherDrive() {
    List<String> t = through("--through-opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--through-folder", "/cache");
    CliRunner.Result big = share(with(t, "get", "/handbook.pdf", dir.resolve("handbook.pdf").toString()));
    assertEquals(0, big.code(), big::toString);
    assertTrue(big.err().contains("downloaded /handbook.pdf (200 KiB) through the 123open drive (its copy stays in /cache) to "),
        big::toString);
    // notes.md is small: the share serves it itself, and the note says nothing of the other drive.
    CliRunner.Result small = share(with(t, "get", "/notes.md", dir.resolve("notes.md").toString()));
    assertEquals(0, small.code(), small::toString);
    assertTrue(small.err().contains("downloaded /notes.md ("), small::toString);
    assertFalse(small.err().contains("through"), small::toString);
  }

  @Test
  void aMistakeInTheThroughOptions_isToldWithTheirNames() {
    CliRunner.Result r = share("get", "/notes.md", "-", "--through-driver", "123open", "--through-opt", "clientId");
    assertEquals(ExitCode.USAGE, r.code(), r::toString);
    assertTrue(r.err().contains("--through-opt needs key=value but got 'clientId'"), r::toString);
  }
}
