package io.github.pan4j.driver.open123;

import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeClock;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.RenewalServiceFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake 123 cloud of {@link FakeCloudExtension} with the open API (QPS limits on, 64 KiB
 * slices), the direct-link CDN and a token renewal service, under the short names these tests use; {@link #driver} opens
 * a 123open driver on the fake's clock with this class's executor and {@link #http} client.
 */
abstract class Open123Fixture {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension()
      .clockStart(Instant.parse("2026-03-01T04:00:00Z"))
      .doors(() -> new OpenApiFrontDoor().sliceSize(64 * 1024), VipCdnFrontDoor::new, RenewalServiceFrontDoor::new)
      .driver("123open");
  final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "open123-test");
    t.setDaemon(true);
    return t;
  });
  OkHttpClient http = new OkHttpClient();
  FakeClock clock;
  TokenStore tokenStore;
  OpenApiFrontDoor door;
  VipCdnFrontDoor vipDoor;
  FakeCloud cloud;
  FakeStore store;
  Account demo;

  @BeforeEach
  void bindCloud() {
    clock = fake.clock();
    tokenStore = fake.tokenStore();
    door = fake.openApi();
    vipDoor = fake.vip();
    cloud = fake.cloud();
    store = fake.store();
    demo = fake.demo();
  }

  @AfterEach
  void releaseClient() {
    executor.shutdownNow();
    // Close our side of kept-alive and cancelled connections before the extension stops the
    // cloud, so the servers' connection threads see EOF and MockWebServer shuts down promptly.
    http.dispatcher().cancelAll();
    http.connectionPool().evictAll();
  }

  DriverContext context() {
    return DriverContext.builder().clock(clock).sleeper(clock).tokenStore(tokenStore).executor(executor)
        .httpClient(http).build();
  }

  Map<String, String> options(String... extra) {
    Map<String, String> m = fake.options();
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
