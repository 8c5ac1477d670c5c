package io.github.pan4j.bench;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end benchmark: starts {@code pan4j fake-cloud} in its own JVM, runs each operation
 * with the drivers in this JVM, and prints one table: operation, size, wall, client CPU-s, fake
 * CPU-s, client peak heap, and the ratio to {@code md5sum} (uploads) or {@code curl} of the same
 * link (downloads, to {@code /dev/null} and to a new file) measured in the same run.
 *
 * <p>Arguments: {@code --sizes 1K,1M,256M,1G}
 * {@code --ops put-123open,put-123pan,cli-put-123open,get-123open,list-123open,stat-123open} (also
 * {@code cli-put-123open-fresh-fake}: the CLI put against a fake started for each round;
 * {@code peer-put-123open-python} and {@code peer-put-123open-python-fresh-fake}: the same upload by
 * another client, bench/peers/open123_put.py) {@code --list 20000}
 * (entries listed) {@code --stats 1000} {@code --threads 3} {@code --dir DIR} {@code --repeat 1} (rounds of each
 * put above 1 MiB, CLI put and get, each right after a fresh run of its reference; the table gives
 * medians and the median of the rounds' ratios). Run through {@code bench/run.sh}.
 */
public final class EndToEnd {
  private static final Pattern OPT = Pattern.compile("--opt '([^=']+)=([^']*)'");

  /** One line of the table; {@code load} is the 1-minute load average when the row was made. */
  record Row(String op, String size, double wall, double clientCpu, double fakeCpu, long peakHeap, String ratio, double load) {
    Row(String op, String size, double wall, double clientCpu, double fakeCpu, long peakHeap, String ratio) {
      this(op, size, wall, clientCpu, fakeCpu, peakHeap, ratio, load1());
    }
  }

  static double load1() {
    try {
      return loadAverage()[0];
    } catch (IOException e) {
      return -1;
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final Path dir;
  private final int threads;
  /** Rounds of each large operation, each paired with a fresh measurement of its reference. */
  private final int repeat;
  private Process fake;
  private final Map<String, Map<String, String>> driverOptions = new HashMap<>();

  private EndToEnd(Path dir, int threads, int repeat) {
    this.dir = dir;
    this.threads = threads;
    this.repeat = repeat;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>(Map.of("--sizes", "1K,1M,256M,1G", "--ops",
        "put-123open,put-123pan,cli-put-123open,get-123open,list-123open,stat-123open", "--threads", "3", "--dir", "bench/target/data",
        "--list", "20000", "--repeat", "1"));
    for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
    int repeat = Integer.parseInt(a.get("--repeat"));
    if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1");
    EndToEnd b = new EndToEnd(Path.of(a.get("--dir")), Integer.parseInt(a.get("--threads")), repeat);
    Files.createDirectories(b.dir);
    List<String> ops = new ArrayList<>(Arrays.asList(a.get("--ops").split(",")));
    boolean list = ops.remove("list-123open");
    boolean stat = ops.remove("stat-123open");
    try {
      b.startFake();
      if (!ops.isEmpty()) for (String size : a.get("--sizes").split(",")) b.runSize(size.trim(), ops);
      if (list || stat) {
        b.runListAndStat(Integer.parseInt(a.get("--list")), list, stat, Integer.parseInt(a.getOrDefault("--stats", "1000")));
      }
    } finally {
      b.stopFake();
    }
    b.print();
  }

  private void runSize(String label, List<String> ops) throws Exception {
    long size = parseSize(label);
    Path file = dir.resolve("data-" + label + ".bin");
    if (!Files.exists(file) || Files.size(file) != size) write(file, size);
    run(List.of("cat", file.toString())); // page cache warm, like every pass below
    double md5sum = run(List.of("md5sum", file.toString()));
    double cat = run(List.of("cat", file.toString()));
    rows.add(new Row("md5sum (reference)", label, md5sum, 0, 0, 0, "1.00"));
    rows.add(new Row("cat (reference)", label, cat, 0, 0, 0, "-"));
    for (String op : ops) {
      switch (op) {
        case "put-123open", "put-123pan" -> {
          String driver = op.substring(4);
          try (Drive d = Drives.open(driver, withThreads(driverOptions.get(driver)))) {
            if (size <= (1 << 20)) {
              // Latency of one small put: the best of 5 after a warm-up (the first upload loads
              // classes and signs in).
              nonce(file);
              d.put("/Demo/warmup-" + System.nanoTime() + ".bin", file);
              Row best = null;
              for (int i = 0; i < 5; i++) {
                // Latency of one put, not throughput: let the previous put's one-per-second create
                // window (free tier) pass first, untimed; back-to-back puts are bounded by that QPS.
                Thread.sleep(1100);
                nonce(file); // new content each time, else 123 answers "instant upload"
                String path = "/Demo/bench-" + label + "-" + System.nanoTime() + ".bin";
                Row r = measure(op, label, () -> d.put(path, file));
                if (best == null || r.wall < best.wall) best = r;
              }
              rows.add(new Row(best.op + " (best of 5)", label, best.wall, best.clientCpu, best.fakeCpu, best.peakHeap,
                  String.format(Locale.ROOT, "%.2f", best.wall / md5sum)));
            } else {
              Pairs p = pairs(() -> md5sumOfNew(file), () -> {
                String path = "/Demo/bench-" + label + "-" + System.nanoTime() + ".bin";
                return measure(op, label, () -> d.put(path, file));
              });
              rows.add(p.summary(op, label, "", null));
              if (repeat > 1) rows.add(p.referenceRow("md5sum (reference)", label));
            }
          }
        }
        case "cli-put-123open" -> {
          // What a user types: `./pan4j put` in a JVM of its own (start, class loading and JIT
          // included; the launcher's class-data archive and flags too), against the same fake.
          Pairs p = pairs(() -> md5sumOfNew(file), () -> cliPut(file, label));
          rows.add(p.summary("put-123open via the CLI (fresh JVM)", label, "", null));
          if (repeat > 1) rows.add(p.referenceRow("md5sum (reference)", label));
        }
        case "cli-put-123open-fresh-fake" -> {
          // The same, each round against a fake cloud started just before it (the fake's CPU then
          // counts a fresh JVM's compiling, as when a test suite starts one fake per run).
          Pairs p = pairs(() -> {
            stopFake();
            startFake();
            return md5sumOfNew(file);
          }, () -> cliPut(file, label));
          rows.add(p.summary("put-123open via the CLI (fresh JVM), fresh fake", label, "", null));
          if (repeat > 1) rows.add(p.referenceRow("md5sum (reference)", label));
        }
        case "peer-put-123open-python", "peer-put-123open-python-fresh-fake" -> {
          // Another client of the same API, against the same fake in the same run: a plain Python
          // client of the v2 upload (bench/peers/open123_put.py), timed as the CLI put is.
          boolean fresh = op.endsWith("-fresh-fake");
          Pairs p = pairs(() -> {
            if (fresh) {
              stopFake();
              startFake();
            }
            return md5sumOfNew(file);
          }, () -> peerPut(file, label));
          rows.add(p.summary("put-123open by a plain Python client" + (fresh ? ", fresh fake" : ""), label, "", null));
          if (repeat > 1) rows.add(p.referenceRow("md5sum (reference)", label));
        }
        case "get-123open" -> {
          try (Drive d = Drives.open("123open", withThreads(driverOptions.get("123open")))) {
            nonce(file);
            String path = "/Demo/get-" + label + "-" + System.nanoTime() + ".bin";
            Entry e = d.put(path, file);
            String url = d.link(path).url();
            // One untimed fetch first: the fake writes large uploads past the page cache, so the
            // first read of the blob comes from the disk; after it, curl and the get both read it
            // from the page cache, as the source file is warmed for md5sum above.
            run(List.of("curl", "-sS", "-o", "/dev/null", url));
            Pairs toNull = pairs(() -> run(List.of("curl", "-sS", "-o", "/dev/null", url)), () -> {
              // download_info is paced at 2 per second on the free tier, and the link above and
              // the previous round's get asked it too: wait that window out, untimed.
              Thread.sleep(1100);
              return measure(op, label, () -> d.get(path, OutputStream.nullOutputStream()));
            });
            rows.add(toNull.referenceRow("curl -o /dev/null (reference)", label));
            rows.add(toNull.summary(op + " (size+MD5 checked)", label, "× curl", String.format(Locale.ROOT, "%.2f× cat", toNull.median().wall / cat)));
            // To a new file. Writing pages no file used before costs much more on some VMs than
            // reusing freed ones, so curl's file is deleted before the get writes: both then take
            // their pages from the same pool, and the comparison is like with like.
            Path curlFile = dir.resolve("curl-" + label + ".bin");
            Path getFile = dir.resolve("get-" + label + ".bin");
            Pairs toFile = pairs(() -> {
              Files.deleteIfExists(curlFile);
              Files.deleteIfExists(getFile);
              double t = run(List.of("curl", "-sS", "-o", curlFile.toString(), url));
              Files.deleteIfExists(curlFile);
              return t;
            }, () -> {
              Thread.sleep(1100); // download_info's window again (see above)
              Row f = measure(op, label, () -> d.get(path, getFile));
              Files.deleteIfExists(getFile);
              return f;
            });
            rows.add(toFile.referenceRow("curl -o FILE (reference)", label));
            rows.add(toFile.summary(op + " to a new file (size+MD5 checked)", label, "× curl -o FILE", null));
            if (e.size() != size) throw new IllegalStateException("stored " + e.size() + " bytes of " + size);
          }
        }
        default -> throw new IllegalArgumentException("unknown operation " + op);
      }
    }
  }

  /** Gives {@code file} new content (see {@link #nonce}), then times {@code md5sum} of it. */
  private static double md5sumOfNew(Path file) throws IOException, InterruptedException {
    nonce(file); // new content for the operation that follows, else 123 answers "instant upload"
    return run(List.of("md5sum", file.toString()));
  }

  private Path cliState;

  /**
   * The token folder of the CLI puts: one of the run's own, as a user's has a handful of tokens,
   * not the hundreds of loopback ones a user's file would collect over benchmark rounds.
   */
  private Path cliStateDir() throws IOException {
    if (cliState == null) {
      cliState = Files.createTempDirectory("pan4j-bench-state");
      // Deleted in the reverse order: the files the token store writes, then the folder.
      cliState.toFile().deleteOnExit();
      for (String f : List.of("tokens.json", "tokens.json.lock")) cliState.resolve(f).toFile().deleteOnExit();
    }
    return cliState;
  }

  /**
   * {@code ./pan4j put} of {@code file} in a JVM of its own; CPU from bash's {@code time} (the
   * child's rusage). Without the launcher (bench.pan4j unset): the CLI's main class on this class
   * path.
   */
  private Row cliPut(Path file, String label) throws IOException, InterruptedException {
    String launcher = System.getProperty("bench.pan4j", "");
    List<String> cmd = new ArrayList<>();
    if (!launcher.isEmpty()) {
      cmd.add(launcher);
    } else {
      cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "io.github.pan4j.examples.cli.Main"));
    }
    cmd.addAll(List.of("put", "--quiet", file.toString(), "/Demo/cli-" + label + "-" + System.nanoTime() + ".bin",
        "--state-dir", cliStateDir().toString(), "--driver", "123open"));
    withThreads(driverOptions.get("123open")).forEach((k, v) -> cmd.addAll(List.of("--opt", k + "=" + v)));
    return timedChild("cli-put-123open", label, cmd, Map.of());
  }

  /**
   * bench/peers/open123_put.py (python3 with requests) uploading {@code file} to the fake's root
   * through the open platform, with as many slice threads as the drivers use; CPU from bash's
   * {@code time}, as for the CLI put.
   */
  private Row peerPut(Path file, String label) throws IOException, InterruptedException {
    Map<String, String> o = driverOptions.get("123open");
    List<String> cmd = List.of("python3", Path.of(System.getProperty("bench.peers", "bench/peers"), "open123_put.py").toString(),
        "--api", o.get("apiBaseUrl"), "--client-id", o.get("clientId"), "--threads", String.valueOf(threads),
        file.toString(), "peer-" + label + "-" + System.nanoTime() + ".bin");
    return timedChild("peer-put-123open-python", label, cmd, Map.of("OPEN123_CLIENT_SECRET", o.get("clientSecret")));
  }

  /**
   * Runs {@code command} under bash's {@code time} (the child's rusage) with {@code env} added;
   * wall and CPU from the last line it writes on stderr.
   */
  private Row timedChild(String op, String label, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "TIMEFORMAT='%R %U %S'; time \"$@\" >/dev/null", "_"));
    cmd.addAll(command);
    double fake0 = fakeCpu();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    Process p = pb.start();
    String err;
    try {
      err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) throw new IOException(op + " exited " + p.exitValue() + ": " + err);
    } finally {
      p.destroy(); // a child left running by a failed read or an interrupt would skew the next rows
    }
    double fakeCpu = fakeCpu() - fake0;
    String[] t = err.substring(err.lastIndexOf('\n') + 1).trim().split(" ");
    double wall = Double.parseDouble(t[0]);
    double cpu = Double.parseDouble(t[1]) + Double.parseDouble(t[2]);
    return new Row(op, label, wall, cpu, fakeCpu, 0, "");
  }

  /** A measurement that may throw. */
  @FunctionalInterface
  private interface Timed<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@link #repeat} rounds of: the reference, then the operation right after it. Each round's
   * ratio compares two runs made seconds apart, so a machine whose speed drifts during the run
   * (a VM's neighbours, its page-cache reclaim) moves both sides of it together.
   */
  private Pairs pairs(Timed<Double> reference, Timed<Row> operation) throws Exception {
    List<Double> refs = new ArrayList<>();
    List<Row> runs = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      refs.add(reference.call());
      runs.add(operation.call());
    }
    return new Pairs(refs, runs);
  }

  /** Rounds of an operation and of its reference, and their medians. */
  record Pairs(List<Double> refs, List<Row> runs) {
    /** The operation's median wall, client CPU and fake CPU (each the median of its own column); the largest peak heap. */
    Row median() {
      return new Row(runs.get(0).op(), runs.get(0).size(), median(runs.stream().mapToDouble(Row::wall).toArray()),
          median(runs.stream().mapToDouble(Row::clientCpu).toArray()), median(runs.stream().mapToDouble(Row::fakeCpu).toArray()),
          runs.stream().mapToLong(Row::peakHeap).max().orElse(0), "");
    }

    /** Each round's wall divided by its reference's. */
    double[] ratios() {
      double[] r = new double[runs.size()];
      for (int i = 0; i < r.length; i++) r[i] = runs.get(i).wall() / refs.get(i);
      return r;
    }

    /**
     * The table row: medians, and the median of the rounds' ratios followed by {@code unit}; with
     * more than one round, the name says how many and the ratio cell gives the rounds' range.
     */
    Row summary(String name, String size, String unit, String more) {
      Row m = median();
      double[] r = ratios();
      String ratio = String.format(Locale.ROOT, "%.2f%s", median(r), unit);
      if (r.length > 1) {
        ratio += String.format(Locale.ROOT, " (rounds %.2f–%.2f)", Arrays.stream(r).min().orElseThrow(), Arrays.stream(r).max().orElseThrow());
        name += " (median of " + r.length + ")";
      }
      if (more != null) ratio += ", " + more;
      return new Row(name, size, m.wall(), m.clientCpu(), m.fakeCpu(), m.peakHeap(), ratio);
    }

    /** The reference's row: its median wall. */
    Row referenceRow(String name, String size) {
      double[] w = refs.stream().mapToDouble(Double::doubleValue).toArray();
      return new Row(name + (w.length > 1 ? " (median of " + w.length + ")" : ""), size, median(w), 0, 0, 0, "-");
    }

    static double median(double[] values) {
      double[] v = values.clone();
      Arrays.sort(v);
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
  }

  /**
   * Lists a folder of {@code n} files (seeded through the fake's control hook, no API calls) at the
   * free tier's 5 QPS for list v2 (100 entries a page); then stats 1,000 cached paths of a folder of
   * 100 files. Requests and 429 answers come from the fake's counters.
   */
  private void runListAndStat(int n, boolean list, boolean stat, int stats) throws Exception {
    Map<String, String> o = driverOptions.get("123open");
    String api = o.get("apiBaseUrl");
    String folder = "bench-list-" + System.nanoTime();
    control("POST", api + "/_fake/seed", "{\"clientId\":\"" + o.get("clientId") + "\",\"folder\":\"" + folder
        + "\",\"files\":" + n + "}");
    try (Drive d = Drives.open("123open", withThreads(o))) {
      d.ls("/"); // token, user info, root: outside the measurement
      long[] c0 = listCounters(api);
      long[] count = new long[1];
      Row r = measure("list-123open", String.valueOf(n), () -> {
        try (var s = d.list("/" + folder)) {
          count[0] = s.count();
        }
      });
      long[] c1 = listCounters(api);
      if (count[0] != n) throw new IllegalStateException("listed " + count[0] + " of " + n);
      int pages = (n + 99) / 100;
      double floor = pages / 5.0;
      if (list) {
        rows.add(new Row(String.format(Locale.ROOT, "list-123open (%d requests, %d answered 429)", c1[0] - c0[0], c1[1] - c0[1]),
            String.valueOf(n), r.wall, r.clientCpu, r.fakeCpu, r.peakHeap,
            String.format(Locale.ROOT, "%.3f× floor (%d pages / 5 QPS = %.0f s)", r.wall / floor, pages, floor)));
      }
      if (stat) {
        // 100 files, each path resolved once (warm-up): the path -> id cache then answers, and a
        // stat costs one file/detail call (fresh metadata), no listing.
        String small = folder + "-stat";
        control("POST", api + "/_fake/seed", "{\"clientId\":\"" + o.get("clientId") + "\",\"folder\":\"" + small
            + "\",\"files\":100}");
        for (int i = 0; i < 100; i++) d.stat("/" + small + "/f" + i);
        long[] s0 = listCounters(api);
        Row st = measure("stat-123open", String.valueOf(stats), () -> {
          for (int i = 0; i < stats; i++) {
            Entry e = d.stat("/" + small + "/f" + (i % 100));
            if (e.size() != 1) throw new IllegalStateException("stat " + e);
          }
        });
        long[] s1 = listCounters(api);
        rows.add(new Row(String.format(Locale.ROOT, "stat-123open, cached paths (%d requests, %d of them list)",
            s1[2] - s0[2], s1[0] - s0[0]), String.valueOf(stats), st.wall, st.clientCpu, st.fakeCpu, st.peakHeap,
            String.format(Locale.ROOT, "%.1f ms per stat (file/detail at 10 QPS: floor %.0f ms)", st.wall / stats * 1e3,
                100.0)));
        statWithEntryCache(o, api, small, stats);
      }
    }
  }

  /**
   * The same stats on a drive that keeps entries for a minute ({@code Drive.Builder.entryTtl}): the
   * folder is listed once (one page), then every stat is answered from what the listing returned.
   */
  private void statWithEntryCache(Map<String, String> o, String api, String folder, int stats) throws Exception {
    try (Drive d = Drives.create().open("123open", withThreads(o), io.github.pan4j.core.spi.DriverContext.defaults(),
        b -> b.entryTtl(java.time.Duration.ofMinutes(1)))) {
      d.ls("/");
      long[] s0 = listCounters(api);
      Row st = measure("stat-123open", String.valueOf(stats), () -> {
        if (d.ls("/" + folder).size() != 100) throw new IllegalStateException("listing");
        for (int i = 0; i < stats; i++) {
          Entry e = d.stat("/" + folder + "/f" + (i % 100));
          if (e.size() != 1) throw new IllegalStateException("stat " + e);
        }
      });
      long[] s1 = listCounters(api);
      rows.add(new Row(String.format(Locale.ROOT, "stat-123open, entryTtl 1 min (one ls, then stats; %d requests)",
          s1[2] - s0[2]), String.valueOf(stats), st.wall, st.clientCpu, st.fakeCpu, st.peakHeap,
          String.format(Locale.ROOT, "%.1f µs per stat, listing included", st.wall / stats * 1e6)));
    }
  }

  /** {list requests, answers of 429, all requests} from the fake's counters. */
  private static long[] listCounters(String api) throws IOException {
    com.fasterxml.jackson.databind.JsonNode c = io.github.pan4j.core.internal.http.Json.mapper().readTree(control("GET", api + "/_fake/counters", null));
    long list = 0;
    long all = 0;
    for (var it = c.path("requests").fields(); it.hasNext(); ) {
      var e = it.next();
      all += e.getValue().asLong();
      if (e.getKey().endsWith(" /api/v2/file/list")) list += e.getValue().asLong();
    }
    return new long[] {list, c.path("served429").asLong(), all};
  }

  private static String control(String method, String url, String json) throws IOException {
    java.net.HttpURLConnection h = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
    h.setRequestMethod(method);
    if (json != null) {
      h.setDoOutput(true);
      h.setRequestProperty("Content-Type", "application/json");
      h.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
    int code = h.getResponseCode();
    String body = new String((code < 400 ? h.getInputStream() : h.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
    if (code != 200) throw new IOException(method + " " + url + " answered " + code + ": " + body);
    return body;
  }

  private Map<String, String> withThreads(Map<String, String> options) {
    if (options == null) throw new IllegalStateException("the fake cloud printed no options for this driver");
    Map<String, String> m = new LinkedHashMap<>(options);
    m.put("uploadThreads", String.valueOf(threads));
    return m;
  }

  private Row measure(String op, String label, Runnable action) throws IOException {
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    double cpu0 = clientCpu();
    double fake0 = fakeCpu();
    long t0 = System.nanoTime();
    action.run();
    long t1 = System.nanoTime();
    double wall = (t1 - t0) / 1e9;
    // System.nanoTime is CLOCK_MONOTONIC on Linux: `perf record -k CLOCK_MONOTONIC` samples can be
    // cut to this window (`perf script --time t0/1e9,t1/1e9`).
    System.err.printf(Locale.ROOT, "# %s %s: monotonic %.6f,%.6f%n", op, label, t0 / 1e9, t1 / 1e9);
    double cpu = clientCpu() - cpu0;
    double fakeCpu = fakeCpu() - fake0;
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    return new Row(op, label, wall, cpu, fakeCpu, peak, "");
  }

  private static double clientCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** utime + stime of the fake's JVM from /proc (clock ticks of 1/100 s). */
  private double fakeCpu() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + fake.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  private void startFake() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      if (port > 65000) continue;
      String heap = "-Xmx" + System.getProperty("bench.fakeHeap", "1g");
      // Extra JVM options for the fake, e.g. a flight recording: -Dbench.fakeJvmArgs="-XX:StartFlightRecording=..."
      String extra = System.getProperty("bench.fakeJvmArgs", "").trim();
      String launcher = System.getProperty("bench.pan4j", "");
      List<String> cmd = new ArrayList<>();
      ProcessBuilder pb;
      if (!launcher.isEmpty()) {
        // ./pan4j fake-cloud as a user starts it: the launcher's JIT flags, class-data archive and
        // -Xmn256m; the launcher execs the JVM, so the process's CPU is the fake's.
        cmd.addAll(List.of(launcher, "fake-cloud", "--port", String.valueOf(port)));
        pb = new ProcessBuilder(cmd);
        pb.environment().put("PAN4J_JAVA_OPTS", (heap + " " + extra).trim());
      } else {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // -Xmn as ./pan4j fake-cloud sets it: a young generation that holds the slices in flight.
        cmd.addAll(List.of(javaBin, heap, "-Xmn" + System.getProperty("bench.fakeYoung", "256m")));
        if (!extra.isEmpty()) cmd.addAll(Arrays.asList(extra.split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.github.pan4j.examples.cli.Main", "fake-cloud",
            "--port", String.valueOf(port)));
        pb = new ProcessBuilder(cmd);
      }
      pb.redirectErrorStream(true);
      fake = pb.start();
      BufferedReader r = new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
        Matcher d = Pattern.compile("--driver (\\S+)").matcher(line);
        if (d.find()) {
          Map<String, String> o = new LinkedHashMap<>();
          Matcher m = OPT.matcher(line);
          while (m.find()) o.put(m.group(1), m.group(2));
          driverOptions.put(d.group(1), o);
        }
        if (line.startsWith("Serving until")) break;
      }
      if (line != null) {
        Thread drain = new Thread(() -> {
          try {
            r.transferTo(java.io.Writer.nullWriter());
          } catch (IOException ignored) {
            // the fake stopped
          }
        }, "fake-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
      fake.destroy();
      last = new IOException("the fake cloud did not start:\n" + out);
    }
    throw last;
  }

  private void stopFake() throws InterruptedException {
    if (fake == null) return;
    driverOptions.clear();
    fake.destroy(); // SIGTERM: the fake's JVM runs its shutdown hooks (a flight recording is written)
    if (!fake.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) fake.destroyForcibly();
  }

  private static double run(List<String> command) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int rc = p.waitFor();
    if (rc != 0) throw new IOException(command + " exited " + rc);
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void write(Path file, long size) throws IOException {
    Random random = new Random(size);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; done += buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, size - done));
      }
    }
  }

  /** Rewrites the first 8 bytes so the content (and its MD5) is new. */
  private static void nonce(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.writeLong(System.nanoTime());
    }
  }

  static long parseSize(String s) {
    String u = s.toUpperCase(Locale.ROOT);
    long mul = u.endsWith("K") ? 1L << 10 : u.endsWith("M") ? 1L << 20 : u.endsWith("G") ? 1L << 30 : 1;
    return Long.parseLong(mul == 1 ? u : u.substring(0, u.length() - 1)) * mul;
  }

  private void print() throws IOException {
    StringBuilder t = new StringBuilder();
    double[] load = loadAverage();
    t.append(String.format(Locale.ROOT, "machine: %d cores, load average %.2f %.2f %.2f (before printing), threads %d%n",
        Runtime.getRuntime().availableProcessors(), load[0], load[1], load[2], threads));
    t.append("| operation | size | wall s | client CPU-s | fake CPU-s | client peak heap MiB | ratio | load |\n");
    t.append("|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      t.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s | %s | %.1f |%n", r.op, r.size, r.wall,
          r.clientCpu == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.clientCpu),
          r.fakeCpu == 0 && r.clientCpu == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.fakeCpu),
          r.peakHeap == 0 ? "-" : String.valueOf(r.peakHeap >> 20), r.ratio, r.load));
    }
    System.out.print(t);
    Files.writeString(dir.resolve("../bench-result.md"), t.toString());
  }

  private static double[] loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
  }
}
