package io.github.pan4j.driver.open123.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.Sleeper;
import io.github.pan4j.driver.open123.Open123Provider;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmarks, not timed tests: excluded from the normal build. Run with
 * {@code mvn -o -q -pl driver-123open -am verify -Dgroups=bench -DexcludedGroups= -Dtest='Open123Bench'
 * -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false -DargLine=-Xmx512m}. Figures go
 * to standard output and to {@code target/open123-bench.txt}.
 */
@Tag("bench")
class Open123Bench {
  static final long GIB = 1L << 30;
  static final double MB = 1_000_000.0;

  private static final StringBuilder report = new StringBuilder();

  private static void say(String line) {
    System.out.println("[bench] " + line);
    report.append(line).append('\n');
    try {
      Files.writeString(Path.of("target/open123-bench.txt"), report.toString());
    } catch (IOException ignored) {
      // stdout has it
    }
  }

  /**
   * A driver on the cloud's clock: real time, which {@link #skip} moves forward for the fake and
   * the driver's rate limiter alike.
   */
  private static Driver open(FakeCloud cloud, String... extra) {
    Map<String, String> m = new java.util.HashMap<>(Map.of("clientId", OpenApiFrontDoor.DEMO_CLIENT_ID,
        "clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET, "apiBaseUrl", cloud.baseUrl("open")));
    for (int i = 0; i < extra.length; i += 2) m.put(extra[i], extra[i + 1]);
    DriverContext context = DriverContext.builder().clock(cloud.clock()).sleeper(Sleeper.SYSTEM)
        .tokenStore(new InMemoryTokenStore()).build();
    return new Open123Provider().openWith(m, context);
  }

  /** Moves the cloud's clock (and so the driver's) forward by {@code seconds}, instead of waiting. */
  private static void skip(FakeCloud cloud, double seconds) throws IOException {
    okhttp3.Request r = new okhttp3.Request.Builder().url(cloud.baseUrl("open") + "/_fake/clock/advance")
        .post(okhttp3.RequestBody.create("{\"seconds\": " + seconds + "}", okhttp3.MediaType.get("application/json")))
        .build();
    try (okhttp3.Response resp = new okhttp3.OkHttpClient().newCall(r).execute()) {
      assertEquals(200, resp.code(), "advancing the fake's clock");
    }
  }

  @Test
  void upload1GiB_throughputAndPeakHeap() throws Exception {
    say("machine: nproc=" + Runtime.getRuntime().availableProcessors() + ", java " + System.getProperty("java.version")
        + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
    Path file = Files.createTempFile("open123-bench-", ".bin");
    try {
      byte[] block = new byte[1 << 20];
      Random rnd = new Random(42);
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int i = 0; i < 1024; i++) {
          rnd.nextBytes(block);
          out.write(block);
        }
      }
      // Raw MD5 rate of this machine, in process, over the same amount of data.
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[8 << 20];
      rnd.nextBytes(buf);
      long t0 = System.nanoTime();
      for (long done = 0; done < GIB; done += buf.length) md5.update(buf);
      md5.digest();
      double md5Rate = GIB / MB / ((System.nanoTime() - t0) / 1e9);
      say(String.format("raw MD5 (in memory, 1 GiB): %.0f MB/s", md5Rate));

      OpenApiFrontDoor door = new OpenApiFrontDoor().sliceSize(16L << 20).qpsEnabled(true);
      try (FakeCloud cloud = FakeCloud.builder().clock(Clock.systemUTC()).door(door).build().start()) {
        OpenApiFrontDoor.demoAccount(cloud.store()).spacePermanent(1L << 40);
        Driver d = open(cloud, "uploadThreads", "3");
        d.list("0", null); // token and user info, outside the measurement
        // The JVM tracks each heap pool's peak exactly; reset the peaks after warm-up.
        System.gc();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long baseline = heapPools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        long start = System.nanoTime();
        Entry e;
        try (UploadSource src = UploadSource.ofFile(file)) {
          e = ((Driver.Upload) d).upload("0", "big.bin", src, UploadOptions.DEFAULT);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        assertEquals(GIB, e.size());
        say(String.format("upload 1 GiB (hash + 64 slices of 16 MiB, 3 threads, QPS on, loopback fake): %.1f s = %.0f MB/s",
            secs, GIB / MB / secs));
        say(String.format("peak heap used during the upload (sum of the heap pools' peaks): %d MiB (baseline %d MiB, -Xmx %d MiB)",
            peak >> 20, baseline >> 20, Runtime.getRuntime().maxMemory() >> 20));
        say("  (the fake runs in the same JVM: its MockWebServer buffers each received 16 MiB slice in heap too)");
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void put1KiB_latencyAndWhereItGoes() throws Exception {
    // Default fake: QPS limits on, two "still verifying" answers to upload_complete. Measured on
    // the default one-request path (single/create) and on the slice path (singleUploadMax=0),
    // which polls upload_complete through those two answers.
    put1KiB("one request (default)");
    put1KiB("slices + upload_complete polls (singleUploadMax=0)", "singleUploadMax", "0");
  }

  private void put1KiB(String label, String... options) throws Exception {
    OpenApiFrontDoor door = new OpenApiFrontDoor().qpsEnabled(true);
    try (FakeCloud cloud = FakeCloud.builder().clock(Clock.systemUTC()).door(door).build().start()) {
      OpenApiFrontDoor.demoAccount(cloud.store());
      Driver d = open(cloud, options);
      byte[] data = new byte[1024];
      Random rnd = new Random(7);
      double best = Double.MAX_VALUE;
      String timeline = "";
      for (int i = 0; i < 6; i++) { // the first one warms up (classes, token, connections)
        skip(cloud, 1.1); // create admits one per second (free tier): measure latency, not that
        rnd.nextBytes(data);
        cloud.clearRequests();
        long t0 = System.nanoTime();
        java.time.Instant start = cloud.clock().instant(); // the clock the requests are logged on
        try (UploadSource src = UploadSource.ofBytes(data)) {
          ((Driver.Upload) d).upload("0", "small-" + i + ".bin", src, UploadOptions.DEFAULT);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (i > 0 && secs < best) {
          best = secs;
          StringBuilder t = new StringBuilder();
          for (FakeCloud.LoggedRequest r : cloud.requests()) {
            t.append(String.format(java.util.Locale.ROOT, "%n    +%4d ms %s", java.time.Duration.between(start, r.at()).toMillis(),
                r.path()));
          }
          timeline = t.toString();
        }
      }
      say(String.format(java.util.Locale.ROOT, "put 1 KiB, %s (in process, after warm-up, fake's default 2 verifying replies):"
          + " best of 5 %.0f ms; requests (answered at):%s", label, best * 1000, timeline));
    }
  }

  @Test
  void list20000_requestsAndTimeAgainstTheFloor() {
    OpenApiFrontDoor door = new OpenApiFrontDoor().qpsEnabled(true);
    try (FakeCloud cloud = FakeCloud.builder().clock(Clock.systemUTC()).door(door).build().start()) {
      Account demo = OpenApiFrontDoor.demoAccount(cloud.store());
      Node dir = cloud.store().mkdir(demo.uid(), 0, "big");
      Blob one = cloud.store().putBlob(new byte[] {1});
      for (int i = 0; i < 20_000; i++) cloud.store().createFile(demo.uid(), dir.id(), "f" + i, one);
      Driver d = open(cloud);
      d.list("0", null);
      double qps = door.freeQpsTable().get("api/v2/file/list");
      int before = cloud.requests("open", "/api/v2/file/list").size();
      long start = System.nanoTime();
      int n = 0;
      String cursor = null;
      do {
        Page p = d.list(Long.toString(dir.id()), cursor);
        n += p.entries().size();
        cursor = p.nextCursor();
      } while (cursor != null);
      double secs = (System.nanoTime() - start) / 1e9;
      int requests = cloud.requests("open", "/api/v2/file/list").size() - before;
      int pages = (20_000 + 99) / 100;
      assertEquals(20_000, n);
      int refused = door.overLimit("/api/v2/file/list");
      double margin = margin();
      say(String.format(java.util.Locale.ROOT, "list 20,000 entries (free tier, list v2 at %.0f QPS): %d requests for %d pages,"
          + " %d answered 429, %.1f s; floor pages/QPS = %.1f s, %.1f %% above it (in-process limiter: %d per"
          + " sliding second, each counted from its answer; the %.0f %% margin applies only to start-paced limiters)",
          qps, requests, pages, refused, secs, pages / qps, (secs / (pages / qps) - 1) * 100, (int) qps,
          margin * 100));
    }
  }

  /** The driver's pacing margin (package-private in the driver, read for the report). */
  private static double margin() {
    try {
      var f = Class.forName("io.github.pan4j.driver.open123.Open123Api").getDeclaredField("RATE_MARGIN");
      f.setAccessible(true);
      return f.getDouble(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
