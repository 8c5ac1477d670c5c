package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.FakeClock;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake 123 cloud with the web front door and the demo account, and a driver context on the same
 * fake clock (whose sleeps advance it), so rate limits and back-off cost no real time.
 */
final class WebHarness implements AutoCloseable {
  final FakeClock clock = new FakeClock();
  final WebFrontDoor web = new WebFrontDoor();
  final FakeCloud cloud = FakeCloud.builder().clock(clock).door(web).build().start();
  final Account demo = WebFrontDoor.demoAccount(cloud.store());
  TokenStore tokens = new InMemoryTokenStore();

  DriverContext context() {
    return DriverContext.builder().clock(clock).sleeper(clock).tokenStore(tokens).build();
  }

  Map<String, String> options() {
    Map<String, String> o = new HashMap<>();
    o.put("username", WebFrontDoor.DEMO_PHONE);
    o.put("password", WebFrontDoor.DEMO_PASSWORD);
    o.put("apiBaseUrl", cloud.baseUrl("web"));
    o.put("loginBaseUrl", cloud.baseUrl("login"));
    return o;
  }

  Driver open() {
    return open(options());
  }

  Driver open(Map<String, String> options) {
    return new Pan123Provider().openWith(options, context());
  }

  Drive drive() {
    return Drive.of(open());
  }

  @Override
  public void close() {
    cloud.close();
  }
}
