package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.Sleeper;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeCloud.LoggedRequest;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one endpoint, in real time (a manual clock cannot order concurrent sleepers):
 * the fake must never see more than the endpoint's QPS in any one-second window.
 */
class Open123ConcurrentPacingTest {

  @Test
  void concurrentCallers_neverExceedTheEndpointQps() throws Exception {
    OpenApiFrontDoor door = new OpenApiFrontDoor().qps("/api/v2/file/list", 10, 10);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (FakeCloud cloud = FakeCloud.builder().clock(Clock.systemUTC()).door(door).build().start()) {
      var demo = OpenApiFrontDoor.demoAccount(cloud.store());
      Node dir = cloud.store().mkdir(demo.uid(), 0, "d");
      DriverContext ctx = DriverContext.builder().clock(Clock.systemUTC()).sleeper(Sleeper.SYSTEM)
          .tokenStore(new InMemoryTokenStore()).executor(pool).build();
      Open123Driver d = (Open123Driver) new Open123Provider().openWith(Map.of(
          "clientId", OpenApiFrontDoor.DEMO_CLIENT_ID, "clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET,
          "apiBaseUrl", cloud.baseUrl("open"), "qps", "api/v2/file/list=10"), ctx);
      d.stat("0");
      List<Callable<Object>> work = new ArrayList<>();
      for (int i = 0; i < 16; i++) work.add(() -> d.list(Long.toString(dir.id()), null));
      for (Future<Object> f : pool.invokeAll(work)) f.get();
      List<LoggedRequest> lists = cloud.requests("open", "/api/v2/file/list");
      int peak = Open123RateLimitTest.peak(lists, Duration.ofSeconds(1));
      assertTrue(peak <= 10, "peak " + peak + " in " + lists.size() + " requests");
    } finally {
      pool.shutdownNow();
    }
  }
}
