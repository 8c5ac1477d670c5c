package io.github.pan4j.redis;

import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.Sleeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput and added latency of the Redis limiter, on a local redis-server. Not part of the
 * default build (tag "bench"); run with
 * {@code mvn -pl redis test -Dgroups=bench -DexcludedGroups= -Dtest=RedisLimiterBenchmark}.
 * The endpoint is unlimited-fast (1e9 QPS) so every acquisition is one script round trip and
 * no wait: the figures are the limiter's own cost. Results go to stdout and
 * {@code target/redis-limiter-benchmark.txt}.
 */
@Tag("bench")
class RedisLimiterBenchmark {
  @Test
  void acquisitionsPerSecond_andLatency() throws Exception {
    try (RedisServer server = RedisServer.start();
        RedisAccounts redis = RedisAccounts.builder(server.address()).poolSize(32).connect()) {
      AccountKey key = AccountKey.of("bench", "http://h", "u", Secret.of("p"));
      RateLimiter limiter = redis.rateLimiters().create(key, Map.of("e", 1e9), 0.0, Clock.systemUTC(), Sleeper.SYSTEM);
      StringBuilder out = new StringBuilder("Redis limiter benchmark, redis-server " + server.address()
          + ", " + Runtime.getRuntime().availableProcessors() + " CPUs\n");
      run(limiter, 1, 2_000, out); // warm-up
      run(limiter, 1, 20_000, out);
      run(limiter, 16, 2_500, out);
      System.out.print(out);
      Files.writeString(Path.of("target", "redis-limiter-benchmark.txt"), out);
    }
  }

  private static void run(RateLimiter limiter, int threads, int perThread, StringBuilder out) throws Exception {
    long[][] lat = new long[threads][perThread];
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    String endpoint = "e";
    for (int t = 0; t < threads; t++) {
      long[] mine = lat[t];
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          long s = System.nanoTime();
          limiter.acquire(endpoint);
          mine[i] = System.nanoTime() - s;
        }
      });
      th.start();
      ts.add(th);
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Thread th : ts) th.join();
    double secs = (System.nanoTime() - t0) / 1e9;
    long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
    out.append(String.format("threads=%2d acquisitions=%6d  %8.0f acq/s  p50=%6.1f us  p99=%7.1f us  max=%8.1f us%n",
        threads, all.length, all.length / secs, all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3,
        all[all.length - 1] / 1e3));
  }
}
