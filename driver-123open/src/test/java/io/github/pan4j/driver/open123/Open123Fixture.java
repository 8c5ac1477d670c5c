package io.github.pan4j.driver.open123;

import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.FakeClock;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fake 123 cloud (open API, upload host, CDN, direct-link CDN) on loopback with its QPS limits
 * on, the demo account, and a driver talking to it over real HTTP. Fake and driver share one
 * {@link FakeClock}, so pacing and back-off cost no real time.
 */
abstract class Open123Fixture {
  final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T04:00:00Z"));
  final TokenStore tokenStore = new InMemoryTokenStore();
  final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "open123-test");
    t.setDaemon(true);
    return t;
  });
  OkHttpClient http = new OkHttpClient();
  OpenApiFrontDoor door;
  VipCdnFrontDoor vipDoor;
  FakeCloud cloud;
  FakeStore store;
  Account demo;

  /** Hook for subclasses to configure the door before the cloud starts. */
  void configure(OpenApiFrontDoor door) {}

  @BeforeEach
  void startCloud() {
    door = new OpenApiFrontDoor().sliceSize(64 * 1024);
    vipDoor = new VipCdnFrontDoor();
    configure(door);
    cloud = FakeCloud.builder().clock(clock).door(door).door(vipDoor).build().start();
    store = cloud.store();
    demo = OpenApiFrontDoor.demoAccount(store);
  }

  @AfterEach
  void stopCloud() {
    executor.shutdownNow();
    // Close our side of kept-alive and cancelled connections first, so the servers' connection
    // threads see EOF and MockWebServer shuts down promptly.
    http.dispatcher().cancelAll();
    http.connectionPool().evictAll();
    cloud.close();
  }

  DriverContext context() {
    return DriverContext.builder().clock(clock).sleeper(clock).tokenStore(tokenStore).executor(executor)
        .httpClient(http).build();
  }

  Map<String, String> options(String... extra) {
    Map<String, String> m = new HashMap<>();
    m.put("clientId", OpenApiFrontDoor.DEMO_CLIENT_ID);
    m.put("clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET);
    m.put("apiBaseUrl", cloud.baseUrl("open"));
    for (int i = 0; i < extra.length; i += 2) {
      if (extra[i + 1] == null) m.remove(extra[i]);
      else m.put(extra[i], extra[i + 1]);
    }
    return m;
  }

  /** The token-store key of the account these options sign in to (server, client id, secret digest). */
  String storeKey(String... extra) {
    return Open123Api.accountKey(new Open123Provider().parse(options(extra))).storeKey();
  }

  Open123Driver driver(String... extra) {
    return (Open123Driver) new Open123Provider().openWith(options(extra), context());
  }

  /** Requests the fake served for an API endpoint path such as {@code /api/v2/file/list}. */
  long calls(String server, String path) {
    return cloud.requests(server, path).stream().filter(r -> r.path().equals(path)).count();
  }
}
