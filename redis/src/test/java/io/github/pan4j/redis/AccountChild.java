package io.github.pan4j.redis;

import io.github.pan4j.core.auth.FileTokenStore;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.driver.open123.Open123Provider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pan4j process for the multi-process tests, started by them with this test class path.
 *
 * <pre>
 *   mint  &lt;apiBaseUrl&gt; &lt;store&gt; &lt;mounts&gt;                      open N mounts of the demo account, list each once
 *   loop  &lt;apiBaseUrl&gt; &lt;store&gt; &lt;seconds&gt; &lt;threads&gt; &lt;qps&gt; [factor]    list from N threads for a while on one mount
 * </pre>
 *
 * {@code store} is {@code file:<path>} (file token store, in-process limiter) or
 * {@code redis:<host:port>} (Redis token store and limiter). Prints {@code READY} after its first
 * successful call and {@code DONE calls=<n> failures=<m>} at the end; exit status 0 when every
 * call worked. With Redis, {@code loop} also prints {@code STARTS <µs>,<µs>,…}: every start the
 * limiter reserved for {@code api/v2/file/list}, on Redis's clock. Its optional {@code factor}
 * makes the limiter pace {@code qps × factor} while the fake still allows
 * {@code qps} (a broken limiter, for checking that the test fails).
 */
public final class AccountChild {
  private AccountChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String api = args[1];
    String store = args[2];
    RedisAccounts redis = null;
    DriverContext.Builder b = DriverContext.builder();
    java.util.Queue<Long> starts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    if (store.startsWith("file:")) {
      b.tokenStore(new FileTokenStore(Path.of(store.substring(5))));
    } else {
      redis = RedisAccounts.connect(store.substring(6));
      redis.applyTo(b).rateLimiters(redis.rateLimiters((endpoint, start) -> {
        if (endpoint.equals("api/v2/file/list")) starts.add(start);
      }));
    }
    DriverContext ctx = b.build();
    Map<String, String> options = new HashMap<>();
    options.put("clientId", "demo-client");
    options.put("clientSecret", "demo-secret");
    options.put("apiBaseUrl", api);
    AtomicLong calls = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    if (mode.equals("mint")) {
      int mounts = Integer.parseInt(args[3]);
      for (int i = 0; i < mounts; i++) {
        threads.add(new Thread(() -> {
          try (Driver d = new Open123Provider().openWith(options, ctx)) {
            d.list("0", null);
            calls.incrementAndGet();
          } catch (RuntimeException e) {
            failures.incrementAndGet();
            System.out.println("FAIL " + e);
          }
        }));
      }
    } else {
      long seconds = Long.parseLong(args[3]);
      int n = Integer.parseInt(args[4]);
      double factor = args.length > 6 ? Double.parseDouble(args[6]) : 1;
      options.put("qps", "api/v2/file/list=" + Double.parseDouble(args[5]) * factor);
      // The driver itself, not the Drive facade: every call must reach the server, not a cache.
      Driver d = new Open123Provider().openWith(options, ctx);
      d.list("0", null);
      System.out.println("READY");
      System.out.flush();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      for (int i = 0; i < n; i++) {
        threads.add(new Thread(() -> {
          while (System.nanoTime() < end) {
            try {
              d.list("0", null);
              calls.incrementAndGet();
            } catch (RuntimeException e) {
              failures.incrementAndGet();
              System.out.println("FAIL " + e);
            }
          }
        }));
      }
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) t.join();
    if (redis != null && mode.equals("loop")) {
      System.out.println("STARTS " + starts.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
    }
    System.out.println("DONE calls=" + calls.get() + " failures=" + failures.get());
    System.out.flush();
    if (redis != null) redis.close();
    System.exit(failures.get() == 0 ? 0 : 1);
  }

  /** Starts a child JVM running this class with {@code args}. */
  static Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "-Dpan4j.stateDir=" + System.getProperty("pan4j.stateDir", "target/pan4j-state"), AccountChild.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
}
