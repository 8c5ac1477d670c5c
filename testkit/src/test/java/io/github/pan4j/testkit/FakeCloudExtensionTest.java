package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeClock;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeCloudExtensionTest {
  /** Base URLs of clouds that tests saw; every one must be down once its lifetime ended. */
  private static final List<String> seen = new ArrayList<>();

  @AfterAll
  static void everyCloudIsStopped() {
    assertTrue(seen.size() >= 4, "the tests below record their clouds: " + seen);
    for (String url : seen) {
      assertThrows(IOException.class, () -> {
        HttpURLConnection c = (HttpURLConnection) URI.create(url + "/").toURL().openConnection();
        c.setConnectTimeout(2_000);
        c.getResponseCode();
      }, url + " still answers");
    }
  }

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class OnAnInstanceField {
    @RegisterExtension
    final FakeCloudExtension fake = new FakeCloudExtension().clockStart(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    @Order(1)
    void eachTest_getsAFreshStore_first() {
      freshStore_thenMark();
    }

    @Test
    @Order(2)
    void eachTest_getsAFreshStore_second() {
      freshStore_thenMark();
    }

    private void freshStore_thenMark() {
      seen.add(fake.cloud().baseUrl("web"));
      long uid = fake.demo().uid();
      assertEquals(List.of(), fake.store().children(uid, FakeStore.ROOT, true), "a previous test's files leaked");
      fake.store().mkdir(uid, FakeStore.ROOT, "marker");
      assertEquals(Instant.parse("2030-01-01T00:00:00Z"), fake.clock().instant());
      fake.clock().advance(Duration.ofMinutes(5));
    }

    @Test
    void demoAccount_signsInEveryWay_andContextSharesTheClock() {
      seen.add(fake.cloud().baseUrl("web"));
      Account demo = fake.demo();
      assertEquals(OpenApiFrontDoor.DEMO_CLIENT_ID, demo.clientId());
      assertEquals(WebFrontDoor.DEMO_PHONE, demo.phone());
      assertEquals(WebFrontDoor.DEMO_PASSWORD, demo.password());
      DriverContext ctx = fake.context();
      assertSame(fake.clock(), ctx.clock());
      assertSame(fake.clock(), ctx.sleeper());
      assertSame(fake.tokenStore(), ctx.tokenStore());
      assertSame(fake.cloud().door(WebFrontDoor.class), fake.web());
    }

    @Test
    void options_withoutDriver_sayWhatToDo() {
      IllegalStateException e = assertThrows(IllegalStateException.class, fake::options);
      assertTrue(e.getMessage().contains("driver(\"123pan\")"), e.getMessage());
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new FakeCloudExtension().driver("123link"));
      assertTrue(bad.getMessage().contains("123link"), bad.getMessage());
    }
  }

  /**
   * Every drive of a test shares one context, closed with the cloud: before, each context() call
   * (each drive()) made a context with its own HTTP client and threads, left to idle out a minute
   * after the cloud was gone (30 drives in a test: 35 more live threads).
   */
  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class ItsContext {
    static DriverContext previous;

    @RegisterExtension
    final FakeCloudExtension fake = new FakeCloudExtension();

    @Test
    @Order(1)
    void isOnePerCloud() {
      seen.add(fake.cloud().baseUrl("web"));
      previous = fake.context();
      assertSame(previous, fake.context());
      assertFalse(previous.executor().isShutdown());
    }

    @Test
    @Order(2)
    void isClosedWhenItsCloudStops() {
      seen.add(fake.cloud().baseUrl("web"));
      assertTrue(previous.executor().isShutdown(), "the last test's context still runs its threads");
      assertTrue(previous.httpClient().dispatcher().executorService().isShutdown());
      assertNotSame(previous, fake.context());
    }
  }

  @Nested
  class ForTheShareDriver {
    @RegisterExtension
    final FakeCloudExtension fake = new FakeCloudExtension().driver("123share");

    @Test
    void startsWithTheDemoShare_andOptionsPointAtIt() {
      seen.add(fake.cloud().baseUrl("web"));
      assertEquals(fake.shared().id(), fake.store().share(FakeCloudExtension.SHARE_KEY).orElseThrow().rootId());
      assertEquals("shared", fake.shared().name());
      Map<String, String> o = fake.options();
      assertEquals(fake.cloud().baseUrl("web"), o.get("apiBaseUrl"));
      assertTrue(o.get("shareUrl").contains(FakeCloudExtension.SHARE_KEY + "?pwd=" + FakeCloudExtension.SHARE_PASSWORD), o.toString());
      assertEquals("b", fake.folder("a/b").name());
      assertEquals(fake.folder("a").id(), fake.file("a", "f.txt", new byte[] {1}).parentId());
    }
  }

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class OnAStaticField {
    // A static field: one cloud for every test of the class.
    @RegisterExtension
    static final FakeCloudExtension shared = new FakeCloudExtension();
    private static FakeCloud first;

    @Test
    @Order(1)
    void first() {
      first = shared.cloud();
      seen.add(first.baseUrl("web"));
      shared.store().mkdir(shared.demo().uid(), FakeStore.ROOT, "kept");
    }

    @Test
    @Order(2)
    void second_seesTheSameCloud() {
      assertSame(first, shared.cloud());
      assertTrue(shared.store().child(shared.demo().uid(), FakeStore.ROOT, "kept").isPresent());
    }

    // JUnit runs a class's own tests before its nested classes; those share the class's cloud.
    @Nested
    class AndItsNestedClass {
      @Test
      void seesTheSameCloud_still() {
        assertSame(first, shared.cloud());
        assertTrue(shared.store().child(shared.demo().uid(), FakeStore.ROOT, "kept").isPresent());
      }
    }
  }

  @Nested
  @FakeCloudTest
  class ThroughTheAnnotation {
    @Test
    void injects_theRunningCloud(FakeCloud cloud, FakeStore store, FakeClock clock, Account demo, DriverContext ctx,
        FakeCloudExtension fake) {
      seen.add(cloud.baseUrl("open"));
      assertSame(cloud.store(), store);
      assertSame(clock, ctx.clock());
      assertSame(cloud, fake.cloud());
      assertEquals(OpenApiFrontDoor.DEMO_CLIENT_ID, demo.clientId());
      assertEquals(cloud.clock().instant(), clock.instant());
    }

    @Test
    void anotherTest_anotherCloud(FakeCloud cloud, FakeCloudExtension fake) {
      seen.add(cloud.baseUrl("open"));
      assertTrue(cloud.store().children(fake.demo().uid(), FakeStore.ROOT, true).isEmpty());
    }

    @Test
    void driveWithoutADriver_saysHowToChooseOne_theAnnotationHavingNone(FakeCloudExtension fake) {
      IllegalStateException e = assertThrows(IllegalStateException.class, fake::drive);
      assertTrue(e.getMessage().contains("new FakeCloudExtension().driver(\"123pan\")"), e.getMessage());
      assertTrue(e.getMessage().contains("@FakeCloudTest chooses none"), e.getMessage());
    }
  }
}
