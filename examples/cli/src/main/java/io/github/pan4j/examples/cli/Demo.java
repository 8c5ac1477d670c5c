package io.github.pan4j.examples.cli;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code pan4j demo}: starts the fake 123 cloud in-process, mounts all four drivers against it and
 * walks through what they do, saying what happens at each step. Exits 0 only when every step
 * worked; a failed step prints what failed, the driver's remaining steps are skipped (and counted
 * as failed), and the exit code is 1.
 */
final class Demo {
  /** Where the share step's download-through puts its copies in the 123open account. */
  private static final String THROUGH_FOLDER = "/pan4j-cache";

  private final PrintStream out;
  private final PrintStream err;
  private final Env env;
  private final boolean quiet;
  private final List<String> failures = new ArrayList<>();
  private int passed;
  private boolean sectionBroken;
  private Path tmp;

  Demo(PrintStream out, PrintStream err, Env env, boolean quiet) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.quiet = quiet;
  }

  int run() {
    long start = System.nanoTime();
    out.println("pan4j demo: the four 123云盘 drivers against a fake 123 cloud running inside this process.");
    out.println("No account and no network are needed; nothing outside a temporary folder is touched.");
    out.println();
    // Tokens stay in memory: the demo never writes to the user's ~/.local/state/pan4j.
    try (DemoCloud dc = new DemoCloud(0);
         DriverContext context = DriverContext.builder().tokenStore(io.github.pan4j.core.auth.TokenStores.inMemory()).build()) {
      out.println("The fake cloud is up on loopback: open platform " + dc.cloud.baseUrl("open") + ", web API "
          + dc.cloud.baseUrl("web") + ", direct-link CDN " + dc.cloud.baseUrl("vip") + ".");
      out.println("It holds one demo account with a /Demo folder, a public share of /Demo/Shared and URL authentication on.");
      tmp = Files.createTempDirectory("pan4j-demo");
      try {
        openPlatform(dc, context);
        webLogin(dc, context);
        share(dc, context);
        directLinks(dc, context);
      } finally {
        deleteTree(tmp);
      }
    } catch (IOException e) {
      failures.add("setup: " + e);
      out.println("FAILED to set up: " + e);
    }
    out.println();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failures.isEmpty()) {
      out.printf(Locale.ROOT, "All %d steps worked (%.1f s).%n", passed, seconds);
      return ExitCode.OK;
    }
    out.printf(Locale.ROOT, "%d step(s) worked, %d failed (%.1f s):%n", passed, failures.size(), seconds);
    failures.forEach(f -> out.println("  - " + f));
    return ExitCode.OTHER;
  }

  // ---------------------------------------------------------------- 123open

  private void openPlatform(DemoCloud dc, DriverContext context) {
    section("123open - the open platform, signed in with a client id and secret");
    Drive[] holder = new Drive[1];
    step("mount and list /Demo", "The driver asks the open platform for an access token on first use, then lists the folder.", () -> {
      holder[0] = mount("123open", dc.options().get("123open"), context);
      return "found: " + names(holder[0].ls("/Demo"));
    });
    Drive o = holder[0];
    try {
      FakeCloud cloud = dc.cloud;
      byte[] big = DemoCloud.random(3 * 1024 * 1024, 42);
      Path local = write("big.bin", big);
      String md5 = md5(big);
      step("upload 3 MiB with a progress bar", "The file is hashed, the cloud is asked whether it knows the content (it does not),"
          + " then the bytes go up in 1 MiB slices and the cloud assembles and checks them.", () -> {
        o.mkdirs("/Demo/uploads");
        int before = cloud.requests("upload", "/upload/v2/file/slice").size();
        Phases phases = new Phases(progress("big.bin"));
        Entry e = o.put("/Demo/uploads/big.bin", local, UploadOptions.DEFAULT.withListener(phases));
        int slices = cloud.requests("upload", "/upload/v2/file/slice").size() - before;
        check(e.size() == big.length, "stored size " + e.size() + " differs from " + big.length);
        check(md5.equalsIgnoreCase(e.hashes().md5()), "stored MD5 " + e.hashes().md5() + " differs from " + md5);
        check(slices >= 3, "expected at least 3 slice uploads but saw " + slices);
        return "stored " + e.path() + " (" + Format.bytes(e.size()) + ", MD5 " + md5 + ") in " + slices + " slices; phases: "
            + phases.seen();
      });
      step("instant re-upload of the same content", "Uploading the same bytes under another name: the cloud recognises the"
          + " MD5 and creates the file without receiving a single byte.", () -> {
        int before = cloud.requests("upload", "/").size();
        Phases phases = new Phases(progress("big-copy.bin"));
        Entry e = o.put("/Demo/uploads/big-copy.bin", local, UploadOptions.DEFAULT.withListener(phases));
        int sent = cloud.requests("upload", "/").size() - before;
        check(sent == 0, "expected no requests to the upload server but saw " + sent);
        check(e.size() == big.length, "stored size " + e.size() + " differs");
        return "stored " + e.path() + " with 0 bytes sent (0 requests to the upload server)"
            + (phases.instant ? "; the driver reported it as an instant upload" : "");
      });
      step("link and download, bytes checked", "The driver asks for a download URL; pan4j fetches it and compares the MD5.", () -> {
        Link link = o.link("/Demo/uploads/big.bin");
        String got = md5(link);
        check(got.equalsIgnoreCase(md5), "downloaded MD5 " + got + " differs from " + md5);
        return "URL " + shorten(link.url()) + link.expiresAt().map(t -> ", valid until " + t).orElse("") + "; MD5 matches";
      });
      step("rename", "big-copy.bin becomes big-renamed.bin in the same folder.", () -> {
        Entry e = o.rename("/Demo/uploads/big-copy.bin", "big-renamed.bin");
        check(o.exists("/Demo/uploads/big-renamed.bin") && !o.exists("/Demo/uploads/big-copy.bin"), "the old name is still there");
        return "now " + e.path();
      });
      step("move", "big-renamed.bin moves into /Demo/photos.", () -> {
        Entry e = o.move("/Demo/uploads/big-renamed.bin", "/Demo/photos");
        check(o.exists("/Demo/photos/big-renamed.bin"), "not found in /Demo/photos");
        return "now " + e.path();
      });
      step("remove", "The file goes to the trash; it is gone from listings.", () -> {
        check(o.remove("/Demo/photos/big-renamed.bin"), "remove reported nothing removed");
        check(!o.exists("/Demo/photos/big-renamed.bin"), "still listed");
        return "/Demo/photos now holds: " + names(o.ls("/Demo/photos"));
      });
      step("recover from a 401", "The fake cloud revokes the driver's access token behind its back. The next call is"
          + " refused with code 401; the driver fetches one new token and repeats the call, which succeeds.", () -> {
        int tokensBefore = dc.open.accessTokenCalls();
        int revoked = dc.open.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID);
        check(revoked > 0, "there was no live token to revoke");
        List<Entry> list = o.ls("/Demo/uploads");
        int newTokens = dc.open.accessTokenCalls() - tokensBefore;
        check(newTokens == 1, "expected exactly one new token but the driver asked " + newTokens + " times");
        return "revoked " + revoked + " token(s); the listing (" + names(list) + ") succeeded after exactly"
            + " 1 token refresh";
      });
      step("recover from a burst of 429s", "The fake cloud answers the next two listing calls with HTTP 429 (too many"
          + " requests). The driver backs off, slowing that endpoint down, and the listing succeeds.", () -> {
        int mark = cloud.requests().size();
        cloud.inject("open", r -> r.path().startsWith("/api/v2/file/list"), Fault.status(429, "{\"code\":429,\"message\":\"too many requests\"}"), 2);
        long t0 = System.nanoTime();
        List<Entry> list = o.ls("/Demo/photos");
        double waited = (System.nanoTime() - t0) / 1e9;
        long throttled = since(cloud, mark).stream().filter(r -> r.status() == 429).count();
        check(cloud.pendingFaults() == 0, "the injected 429s were not all used");
        check(throttled == 2, "expected 2 throttled calls but saw " + throttled);
        return String.format(Locale.ROOT, "2 calls throttled, backed off %.1f s, then listed: %s", waited, names(list));
      });
    } finally {
      if (o != null) o.close();
    }
  }

  // ---------------------------------------------------------------- 123pan

  private void webLogin(DemoCloud dc, DriverContext context) {
    section("123pan - the web login, signed in with phone number and password");
    Drive[] holder = new Drive[1];
    step("mount and list /Demo", "The driver signs in at the login server on first use and lists the folder.", () -> {
      holder[0] = mount("123pan", dc.options().get("123pan"), context);
      return "found: " + names(holder[0].ls("/Demo"));
    });
    Drive p = holder[0];
    try {
      byte[] data = DemoCloud.random(300 * 1024, 7);
      Path local = write("web.bin", data);
      step("upload with a progress bar", "300 KiB go up through presigned part uploads.", () -> {
        Entry e = p.put("/Demo/uploads/web.bin", local, UploadOptions.DEFAULT.withListener(progress("web.bin")));
        check(e.size() == data.length, "stored size " + e.size() + " differs");
        return "stored " + e.path() + " (" + Format.bytes(e.size()) + ")";
      });
      step("download, bytes checked", "The web download chain (relay, CDN redirect) is followed and the bytes are compared.", () -> {
        Path target = tmp.resolve("web-back.bin");
        p.get("/Demo/uploads/web.bin", target, progress("web.bin"));
        String got = md5(Files.readAllBytes(target));
        check(got.equals(md5(data)), "downloaded MD5 " + got + " differs from " + md5(data));
        return "MD5 " + got + " matches";
      });
      step("rename and remove", "web.bin is renamed to web-old.bin, then removed.", () -> {
        p.rename("/Demo/uploads/web.bin", "web-old.bin");
        check(p.remove("/Demo/uploads/web-old.bin"), "nothing removed");
        return "/Demo/uploads now holds: " + names(p.ls("/Demo/uploads"));
      });
    } finally {
      if (p != null) p.close();
    }
  }

  // ---------------------------------------------------------------- 123share

  private void share(DemoCloud dc, DriverContext context) {
    section("123share - a public share link with its extraction code, read-only");
    Drive[] holder = new Drive[1];
    step("mount and list the share", "The share key and extraction code are all it needs; no account.", () -> {
      holder[0] = mount("123share", dc.options().get("123share"), context);
      return "found: " + names(holder[0].ls("/"));
    });
    Drive s = holder[0];
    try {
      step("download, bytes checked", "handbook.pdf is fetched through the share and compared with the original.", () -> {
        Path target = tmp.resolve("handbook.pdf");
        s.get("/handbook.pdf", target, progress("handbook.pdf"));
        String got = md5(Files.readAllBytes(target));
        check(got.equals(md5(DemoCloud.random(200 * 1024, 3))), "downloaded MD5 " + got + " differs");
        return "MD5 " + got + " matches";
      });
      step("download through your 123 Open account", "The share now refuses files over 100 KiB to anonymous downloaders"
          + " (123: over 100 MB). With downloadThrough the share is asked first; a refused file is put into your 123open"
          + " account by its MD5 (instant upload, no bytes sent) and downloaded from there.", () -> {
        ShareFrontDoor door = dc.cloud.door(ShareFrontDoor.class);
        long threshold = door.loginThreshold();
        door.loginThreshold(100 * 1024);
        List<RequestEvent> refusals = new CopyOnWriteArrayList<>();
        RequestListener listener = new RequestListener() {
          @Override
          public void requestEnded(RequestEvent e) {
            if ("123share".equals(e.driverId()) && e.providerCode().isPresent()) refusals.add(e);
          }
        };
        // This share drive gets a context of its own, so that its listener sees the share's refusal.
        // It shares the program's pace for the share (one anonymous listing per 700 ms), so it may
        // wait out the listing of the step before, as any second mount of the share would.
        try (DriverContext own = DriverContext.builder().tokenStore(io.github.pan4j.core.auth.TokenStores.inMemory())
                 .requestListener(listener).build();
             Drive mine = mount("123open", dc.options().get("123open"), context);
             Drive via = Drives.create().open("123share", dc.options().get("123share"), own,
                 b -> b.downloadThrough(mine, THROUGH_FOLDER, Drive.Through.WHEN_SIGN_IN_REQUIRED))) {
          Path target = tmp.resolve("handbook-through.pdf");
          int uploadsBefore = dc.cloud.requests("upload", "/").size();
          via.get("/handbook.pdf", target, progress("handbook.pdf"));
          int sent = dc.cloud.requests("upload", "/").size() - uploadsBefore;
          check(refusals.size() == 1, "expected the share to refuse the download once but saw " + refusals);
          RequestEvent refusal = refusals.get(0);
          check(refusal.error().orElse(null) == ErrorKind.UNAUTHENTICATED, "the share's refusal was " + refusal);
          out.println("   asked first, the share refused: " + refusal.error().get() + " (code " + refusal.providerCode().get() + ")");
          byte[] original = DemoCloud.random(200 * 1024, 3);
          byte[] got = Files.readAllBytes(target);
          String md5 = md5(original);
          check(got.length == original.length, "downloaded " + got.length + " bytes instead of " + original.length);
          check(md5(got).equals(md5), "downloaded MD5 " + md5(got) + " differs from " + md5);
          check(sent == 0, "expected no requests to the upload server but saw " + sent);
          String copy = THROUGH_FOLDER + "/" + md5 + "/handbook.pdf";
          check(mine.exists(copy), "no copy at " + copy + " in the 123open account");
          return "through 123open: copy " + copy + " made with 0 bytes sent; " + Format.bytes(got.length) + ", MD5 matches";
        } finally {
          door.loginThreshold(threshold);
        }
      });
      step("writing is refused", "A share is read-only: uploading fails before anything is sent (the CLI exits 7).", () -> {
        try {
          s.put("/x.txt", new byte[] {1});
        } catch (DriveException e) {
          check(e.kind() == ErrorKind.UNSUPPORTED, "expected UNSUPPORTED but got " + e.kind());
          return "refused: " + e.getMessage();
        }
        throw new IllegalStateException("the upload was accepted");
      });
    } finally {
      if (s != null) s.close();
    }
  }

  // ---------------------------------------------------------------- 123link

  private void directLinks(DemoCloud dc, DriverContext context) {
    section("123link - signed direct links from a tree text");
    Drive[] holder = new Drive[1];
    step("mount and list", "The tree text lists /Demo's files with their direct-link URLs; the driver reads it, no API calls.", () -> {
      holder[0] = mount("123link", dc.options().get("123link"), context);
      return "found: " + names(holder[0].ls("/"));
    });
    Drive l = holder[0];
    try {
      step("signed link and download, bytes checked", "URL authentication is on, so the driver signs each URL with the"
          + " account's private key (auth_key); the CDN checks the signature and serves the bytes.", () -> {
        Link link = l.link("/photos/cat.jpg");
        check(link.url().contains("auth_key="), "the URL is not signed: " + shorten(link.url()));
        String got = md5(link);
        check(got.equals(md5(DemoCloud.random(48 * 1024, 1))), "downloaded MD5 " + got + " differs");
        return "URL " + shorten(link.url()) + " (signed); MD5 matches";
      });
    } finally {
      if (l != null) l.close();
    }
  }

  // ---------------------------------------------------------------- plumbing

  private interface Body {
    String run() throws Exception;
  }

  private void section(String title) {
    sectionBroken = false;
    out.println();
    out.println("== " + title);
  }

  private void step(String title, String explanation, Body body) {
    int n = passed + failures.size() + 1;
    out.println();
    out.println(n + ". " + title);
    out.println("   " + explanation);
    out.flush();
    if (sectionBroken) {
      out.println("   SKIPPED: an earlier step of this driver failed");
      failures.add(title + ": skipped");
      return;
    }
    long t0 = System.nanoTime();
    try {
      String result = body.run();
      out.printf(Locale.ROOT, "   ok (%.1f s): %s%n", (System.nanoTime() - t0) / 1e9, result);
      passed++;
    } catch (Exception | AssertionError e) {
      String why = e instanceof DriveException ? e.getMessage() : e.getMessage() == null ? e.toString() : e.getMessage();
      out.println("   FAILED: " + why);
      failures.add(title + ": " + why);
      sectionBroken = true;
    }
    out.flush();
  }

  private static Drive mount(String id, Map<String, String> options, DriverContext context) {
    if (Drives.create().findProvider(id).isEmpty()) {
      throw new IllegalStateException("driver " + id + " is not on the class path");
    }
    return Drives.create().open(id, options, context);
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new IllegalStateException(message);
  }

  private Progress progress(String label) {
    return new Progress(err, "   " + label, env.terminal() && !quiet, env.nanoTime());
  }

  private Path write(String name, byte[] bytes) {
    try {
      return Files.write(tmp.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<FakeCloud.LoggedRequest> since(FakeCloud cloud, int mark) {
    List<FakeCloud.LoggedRequest> all = cloud.requests();
    return all.subList(Math.min(mark, all.size()), all.size());
  }

  private static String names(List<Entry> entries) {
    return entries.stream().map(e -> e.name() + (e.folder() ? "/" : "")).collect(Collectors.joining(", "));
  }

  private static String shorten(String url) {
    int q = url.indexOf('?');
    String base = q < 0 ? url : url.substring(0, q);
    String query = q < 0 ? "" : url.substring(q);
    if (query.length() > 40) query = query.substring(0, 37) + "...";
    return base + query;
  }

  static String md5(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static String md5(Link link) throws IOException {
    MessageDigest d = digest();
    try (Link.Content c = link.open(); InputStream in = c.body()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Removes a temporary folder of the command line's (null: nothing); what cannot be removed, such
   * as a file still open elsewhere, stays for the OS to clean up.
   */
  static void deleteTree(Path dir) {
    if (dir == null) return;
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // a temp folder; the OS cleans up the rest
    }
  }

  /** Passes progress on and records the phases an upload went through. */
  private static final class Phases implements UploadListener {
    private final Progress progress;
    private final Set<String> seen = new LinkedHashSet<>();
    volatile boolean instant;

    Phases(Progress progress) {
      this.progress = progress;
    }

    @Override
    public void phase(UploadProgress p) {
      seen.add(p.phase().name().toLowerCase(Locale.ROOT));
      if (p.instant()) instant = true;
      progress.phase(p);
    }

    @Override
    public void progressed(UploadProgress p) {
      if (p.instant()) instant = true;
      progress.progressed(p);
    }

    @Override
    public void completed(Entry entry) {
      progress.completed(entry);
    }

    @Override
    public void failed(DriveException error) {
      progress.failed(error);
    }

    String seen() {
      return String.join(" > ", seen);
    }
  }
}
