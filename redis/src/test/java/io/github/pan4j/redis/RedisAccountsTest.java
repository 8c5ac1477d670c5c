package io.github.pan4j.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.Sleeper;
import io.github.pan4j.driver.open123.Open123Provider;
import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The Redis token store and limiter against a real redis-server this test starts. */
class RedisAccountsTest {
  static RedisServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static RedisAccounts connect() {
    return RedisAccounts.builder(server.address()).prefix("t" + UUID.randomUUID() + ":").connect();
  }

  private static Token token(String v, Instant exp) {
    return new Token(Secret.of(v), exp, null, Map.of("uid", "7"));
  }

  @Test
  void compareAndSet_isAtomic_andTheKeyExpiresWithTheToken() {
    try (RedisAccounts r = connect(); JedisPooled raw = new JedisPooled("127.0.0.1", server.port())) {
      String k = "cas-" + UUID.randomUUID();
      TokenStore s = r.tokenStore();
      Instant exp = Instant.now().plusSeconds(3600);
      assertTrue(s.compareAndSet(k, null, token("t1", exp)));
      assertFalse(s.compareAndSet(k, null, token("t2", exp)), "absent expected, but present");
      assertTrue(s.compareAndSet(k, token("t1", exp), token("t2", exp)));
      assertFalse(s.compareAndSet(k, token("t1", exp), token("t3", exp)), "stale expectation loses");
      assertEquals(token("t2", exp), s.load(k).orElseThrow());
      String key = raw.keys("*:tok:" + k).iterator().next();
      long ttl = raw.pttl(key);
      assertTrue(ttl > 3_590_000 && ttl <= 3_600_000, "TTL follows expiry: " + ttl);
      s.remove(k);
      assertTrue(s.load(k).isEmpty());
      assertFalse(r.toString().contains("t2"));
    }
  }

  @Test
  void damagedValue_isReplaced_notADeadEnd() {
    try (RedisAccounts r = connect(); JedisPooled raw = new JedisPooled("127.0.0.1", server.port())) {
      TokenStore s = r.tokenStore();
      s.compareAndSet("k", null, token("t1", Instant.now().plusSeconds(60)));
      String key = raw.keys("*:tok:k").stream().filter(k -> k.startsWith(prefixOf(r))).findFirst().orElseThrow();
      raw.set(key, "{not json");
      assertTrue(s.load("k").isEmpty());
      assertTrue(s.compareAndSet("k", null, token("t2", Instant.now().plusSeconds(60))));
      assertEquals("t2", s.load("k").orElseThrow().accessToken().reveal());
    }
  }

  private static String prefixOf(RedisAccounts r) {
    return ((RedisTokenStore) r.tokenStore()).toString().replaceAll(".*prefix=(.*)}", "$1");
  }

  /**
   * A command whose reply is lost is sent again on a fresh connection, so what it does must be
   * safe to repeat: the lock taken by the lost try is found to be ours, and a compare-and-set that
   * went through is not reported as lost.
   */
  @Test
  void lostReplies_toTheLockAndTheCompareAndSet_doNotTurnIntoFailures() throws Exception {
    String prefix = "t" + UUID.randomUUID() + ":";
    try (ReplyDroppingProxy proxy = new ReplyDroppingProxy(server.port());
        RedisAccounts r = RedisAccounts.builder(proxy.address()).prefix(prefix).lockLease(Duration.ofSeconds(30)).connect()) {
      TokenStore s = r.tokenStore();
      proxy.dropReplyTo(prefix + "lock:acct");
      proxy.count(prefix + "lock:acct");
      int lockCommands = s.locked("acct", proxy::counted);
      assertEquals(2, lockCommands, "the lost try and one repeat, no waiting for the lease to run out");

      Instant exp = Instant.now().plusSeconds(3600);
      assertTrue(s.compareAndSet("acct", null, token("first", exp)));
      proxy.dropReplyTo("second-XYZ");
      assertTrue(s.compareAndSet("acct", token("first", exp), token("second-XYZ", exp)), "it went through");
      assertEquals("second-XYZ", s.load("acct").orElseThrow().accessToken().reveal());
      assertFalse(s.compareAndSet("acct", token("first", exp), token("third", exp)), "a stale expectation still loses");
    }
  }

  /** Four "machines" (own connections) each with its own manager, all needing a token at once: one mint. */
  @Test
  void renewal_isSingleFlight_acrossConnections() throws Exception {
    String prefix = "t" + UUID.randomUUID() + ":";
    AtomicInteger minted = new AtomicInteger();
    List<RedisAccounts> machines = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Token>> got = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        RedisAccounts m = RedisAccounts.builder(server.address()).prefix(prefix).connect();
        machines.add(m);
        TokenManager tm = TokenManager.builder("acct", m.tokenStore(), prev -> {
          minted.incrementAndGet();
          return token("t-" + UUID.randomUUID(), Instant.now().plusSeconds(3600));
        }).build();
        got.add(pool.submit(tm::current));
      }
      Token first = got.get(0).get();
      for (Future<Token> f : got) assertEquals(first, f.get());
      assertEquals(1, minted.get());
    } finally {
      pool.shutdownNow();
      machines.forEach(RedisAccounts::close);
    }
  }

  @Test
  void limiter_isShared_byInstancesOfOneAccount() {
    AccountKey key = AccountKey.of("x", "http://h", "u", Secret.of("p"));
    List<Duration> sleptA = new ArrayList<>();
    List<Duration> sleptB = new ArrayList<>();
    Sleeper a = d -> sleptA.add(d); // reservations only: the schedule is in Redis, not in our waits
    Sleeper b = d -> sleptB.add(d);
    try (RedisAccounts r1 = connect()) {
      RedisAccounts r2 = r1; // same prefix: a second instance of the factory on the same keys
      RateLimiter l1 = r1.rateLimiters().create(key, Map.of("list", 10.0), 0.0, Clock.systemUTC(), a);
      RateLimiter l2 = r2.rateLimiters().create(key, Map.of("list", 10.0), 0.0, Clock.systemUTC(), b);
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        l1.acquire("list");
        l2.acquire("list");
      }
      // Redis's clock runs on while the ten calls are made: each wait is shorter by that much.
      long elapsed = (System.nanoTime() - t0) / 1_000_000 + 1;
      // 10 reservations 100 ms apart: the last one starts 900 ms after the first, whoever made it.
      Duration last = sleptB.get(sleptB.size() - 1);
      assertTrue(last.toMillis() >= 900 - elapsed && last.toMillis() <= 900, "last wait " + last + ", calls took " + elapsed + " ms");
      assertEquals(4, sleptA.size(), "l1's first call went straight through; all others waited: " + sleptA);
      long delay = l1.currentDelay("list").toMillis();
      assertTrue(delay > 1000 - (System.nanoTime() - t0) / 1_000_000 - 2 && delay <= 1000, "next slot in " + delay + " ms");
      l2.penalize("other", Duration.ofSeconds(5));
      assertTrue(l1.currentDelay("other").toMillis() > 4000, "a 429 penalty reaches every instance");
      assertEquals(Duration.ZERO, l1.currentDelay("unlisted"));
    }
  }

  @Test
  void limiter_waitsWithTheCallersWaiter_soAClosedDriverStopsWaiting() {
    AccountKey key = AccountKey.of("x", "http://h", "waiter", Secret.of("p"));
    List<Duration> limiterSlept = new ArrayList<>();
    try (RedisAccounts r = connect()) {
      RateLimiter l = r.rateLimiters().create(key, Map.of("list", 10.0), 0.0, Clock.systemUTC(), limiterSlept::add);
      l.penalize("list", Duration.ofSeconds(30));
      IllegalStateException closed = new IllegalStateException("closed");
      List<Duration> asked = new ArrayList<>();
      Sleeper closing = d -> {
        asked.add(d);
        throw closed; // the engine's waiter when its driver was closed
      };
      assertEquals(closed, assertThrows(IllegalStateException.class, () -> l.begin("list", closing)));
      assertEquals(1, asked.size());
      assertTrue(asked.get(0).toSeconds() >= 28, "the caller was to wait out the penalty: " + asked);
      assertEquals(List.of(), limiterSlept, "the limiter's own sleeper was not used");
    }
  }

  @Test
  void unreachableRedis_isATypedNetworkError_namingTheAddress_withinTheConnectTimeout() throws Exception {
    int port = RedisServer.freePort(); // nothing listens there
    long t0 = System.nanoTime();
    DriveException e = assertThrows(DriveException.class,
        () -> RedisAccounts.builder("redis://127.0.0.1:" + port).connectTimeout(Duration.ofSeconds(1)).connect());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(ErrorKind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertTrue(ms < 3000, "failed after " + ms + " ms");
    // A black-holed address (no RST): the connect timeout bounds it.
    long t1 = System.nanoTime();
    DriveException e2 = assertThrows(DriveException.class,
        () -> RedisAccounts.builder("redis://10.255.255.1:6379").connectTimeout(Duration.ofMillis(500)).connect());
    long ms2 = (System.nanoTime() - t1) / 1_000_000;
    assertEquals(ErrorKind.NETWORK, e2.kind());
    assertTrue(e2.getMessage().contains("10.255.255.1:6379"), e2.getMessage());
    assertTrue(ms2 < 2500, "failed after " + ms2 + " ms");
    assertEquals(ErrorKind.CONFIG_INVALID,
        assertThrows(DriveException.class, () -> RedisAccounts.builder("http://x:1")).kind());
  }

  /** Redis restarts (empty) under a running driver: calls go on with the token it holds, no new one. */
  @Test
  void redisRestart_midRun_callsResume_withoutANewToken() throws Exception {
    RedisServer own = RedisServer.start();
    OpenApiFrontDoor door = new OpenApiFrontDoor();
    try (FakeCloud cloud = FakeCloud.builder().door(door).build().start();
        RedisAccounts r = RedisAccounts.builder(own.address()).connect()) {
      OpenApiFrontDoor.demoAccount(cloud.store());
      DriverContext ctx = r.applyTo(DriverContext.builder()).accounts(new io.github.pan4j.core.auth.Accounts()).build();
      Map<String, String> o = new HashMap<>();
      o.put("clientId", OpenApiFrontDoor.DEMO_CLIENT_ID);
      o.put("clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET);
      o.put("apiBaseUrl", cloud.baseUrl("open"));
      Driver d = new Open123Provider().openWith(o, ctx);
      assertNotNull(d.list("0", null));
      own.stop();
      DriveException down = assertThrows(DriveException.class, () -> d.list("0", null));
      assertEquals(ErrorKind.NETWORK, down.kind(), down.toString());
      assertTrue(down.getMessage().contains(own.address()), down.getMessage());
      own.restart();
      assertNotNull(d.list("0", null));
      assertNotNull(d.list("0", null));
      assertEquals(1, door.accessTokenCalls(), "the held token is still valid: no new one");
    } finally {
      own.close();
    }
  }
}
