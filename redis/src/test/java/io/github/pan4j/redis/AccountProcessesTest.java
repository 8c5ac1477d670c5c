package io.github.pan4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several pan4j processes (child JVMs) on one 123open account against the fake cloud in this JVM
 * (real clock, loopback HTTP): tokens minted, renewals after a revocation, and the shared rate
 * limit as the fake counts them.
 */
class AccountProcessesTest {
  static RedisServer redis;
  @TempDir Path dir;
  OpenApiFrontDoor door;
  FakeCloud cloud;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) redis.close();
  }

  @BeforeEach
  void startFake() {
    door = new OpenApiFrontDoor();
    cloud = FakeCloud.builder().door(door).build().start();
    OpenApiFrontDoor.demoAccount(cloud.store());
  }

  @AfterEach
  void stopFake() {
    cloud.close();
  }

  private String fileStore() {
    return "file:" + dir.resolve("tokens.json");
  }

  private String redisStore() {
    return "redis:" + redis.address();
  }

  /** Runs children to the end; returns their outputs; asserts every one exited 0. */
  private static List<String> finish(List<Process> procs) throws Exception {
    List<String> outs = new ArrayList<>();
    for (Process p : procs) {
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not end");
      assertEquals(0, p.exitValue(), out);
      outs.add(out);
    }
    return outs;
  }

  private void eightProcessesThreeMountsEach_mintOneToken(String store) throws Exception {
    door.qpsEnabled(false); // this is about tokens; the limiter tests below count QPS
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 8; i++) procs.add(AccountChild.start("mint", cloud.baseUrl("open"), store, "3"));
    List<String> outs = finish(procs);
    for (String o : outs) assertTrue(o.contains("DONE calls=3 failures=0"), o);
    assertEquals(1, door.accessTokenCalls(), "tokens minted by 8 processes x 3 mounts on " + store);
  }

  @Test
  void fileStore_8processes_x_3mounts_emptyStore_mintExactlyOneToken() throws Exception {
    eightProcessesThreeMountsEach_mintOneToken(fileStore());
  }

  @Test
  void redisStore_8processes_x_3mounts_emptyStore_mintExactlyOneToken() throws Exception {
    eightProcessesThreeMountsEach_mintOneToken(redisStore());
  }

  private void revokedBehindTheirBacks_oneRenewal(String store) throws Exception {
    door.qpsEnabled(false);
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 3; i++) procs.add(AccountChild.start("loop", cloud.baseUrl("open"), store, "6", "2", "50"));
    CountDownLatch ready = new CountDownLatch(3);
    List<String> outs = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (Process p : procs) {
      Thread t = new Thread(() -> {
        StringBuilder sb = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
          for (String line; (line = r.readLine()) != null; ) {
            sb.append(line).append('\n');
            if (line.equals("READY")) ready.countDown();
          }
        } catch (Exception e) {
          sb.append(e);
        }
        outs.add(sb.toString());
      });
      t.start();
      readers.add(t);
    }
    assertTrue(ready.await(60, TimeUnit.SECONDS), "children did not get ready");
    assertEquals(1, door.accessTokenCalls());
    assertEquals(1, door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID), "one live token to revoke");
    for (Process p : procs) assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    for (Thread t : readers) t.join();
    for (Process p : procs) assertEquals(0, p.exitValue(), outs.toString());
    assertEquals(2, door.accessTokenCalls(), "the first token and exactly one renewal, on " + store + ": " + outs);
  }

  @Test
  void redisStore_tokenRevokedUnderThreeRunningJvms_exactlyOneRenewal() throws Exception {
    revokedBehindTheirBacks_oneRenewal(redisStore());
  }

  @Test
  void fileStore_tokenRevokedUnderThreeRunningJvms_exactlyOneRenewal() throws Exception {
    revokedBehindTheirBacks_oneRenewal(fileStore());
  }

  /**
   * 3 JVMs × 4 threads listing as fast as the shared Redis limiter lets them for 30 s, against a
   * fake limit of 10 list requests per second: the fake refuses none, and they get ≥ 90% of it.
   */
  @Test
  void redisLimiter_threeJvms_30s_noRequestOverTheLimit_andAtLeast90PercentOfIt() throws Exception {
    int qps = 10;
    int seconds = 30;
    door.qps("/api/v2/file/list", qps, qps);
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      procs.add(AccountChild.start("loop", cloud.baseUrl("open"), redisStore(), Integer.toString(seconds), "4",
          Integer.toString(qps)));
    }
    List<String> outs = finish(procs);
    List<FakeCloud.LoggedRequest> lists = cloud.requests("open", "/api/v2/file/list").stream()
        .filter(r -> r.path().equals("/api/v2/file/list")).toList();
    int refused = door.overLimit("/api/v2/file/list");
    Instant first = lists.get(0).at();
    Instant last = lists.get(lists.size() - 1).at();
    double window = Duration.between(first, last).toNanos() / 1e9;
    double rate = (lists.size() - refused - 1) / window; // n starts span n-1 intervals
    String figures = String.format("requests=%d refused=%d window=%.2fs rate=%.3f/s (%.1f%% of %d) children=%s",
        lists.size(), refused, window, rate, 100 * rate / qps, qps, outs);
    System.out.println("redisLimiter: " + figures);
    Files.writeString(Path.of(System.getProperty("pan4j.stateDir", "target")).resolveSibling("redis-limiter-3jvm.txt"),
        figures + "\n");
    assertEquals(0, refused, figures);
    assertTrue(window > seconds - 5, figures);
    assertTrue(rate >= 0.9 * qps, figures);
    // Fair: every JVM gets a fair share of the one schedule (a third each, less start-up skew).
    List<Long> perJvm = outs.stream().map(o -> Long.parseLong(o.replaceAll("(?s).*DONE calls=(\\d+).*", "$1"))).toList();
    long total = perJvm.stream().mapToLong(Long::longValue).sum();
    for (long n : perJvm) assertTrue(n >= total / 4, "unfair split " + perJvm + ": " + figures);
  }
}
