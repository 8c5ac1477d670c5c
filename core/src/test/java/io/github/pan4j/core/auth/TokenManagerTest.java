package io.github.pan4j.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.TestClock;
import io.github.pan4j.core.internal.RenewalWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenManagerTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger refreshes = new AtomicInteger();

  private Token mint() {
    int n = refreshes.incrementAndGet();
    return Token.of("token-" + n, clock.instant().plus(Duration.ofHours(1)));
  }

  @Test
  void current_noToken_refreshesOnceAndCaches() {
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> mint()).clock(clock).build();
    Token first = m.current();
    assertEquals("token-1", first.accessToken().reveal());
    assertSame(first, m.current());
    assertEquals(1, refreshes.get());
  }

  @Test
  void watcher_isToldOnlyByTheCallThatRanTheRefresher_afterTheLockIsReleased() {
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      clock.advance(Duration.ofMillis(250));
      return mint();
    }).clock(clock).skew(Duration.ofMinutes(5)).build();
    List<String> told = new ArrayList<>();
    RenewalWatch.Watcher watcher = (first, took, failure) -> {
      // A watcher that takes the lock from another thread would deadlock if it were still held.
      assertTrue(lockFreeElsewhere(m), "told under the manager's lock");
      told.add(first + " " + took.toMillis() + " " + (failure == null ? "ok" : failure.kind()));
    };
    Token t1 = RenewalWatch.watching(watcher, m::current);
    assertEquals(List.of("true 250 ok"), told, "a first sign-in");
    assertSame(t1, RenewalWatch.watching(watcher, m::current));
    assertEquals(1, told.size(), "a valid token: no refresh, nothing told");
    Token t2 = RenewalWatch.watching(watcher, () -> m.refreshIfCurrent(t1));
    assertEquals(List.of("true 250 ok", "false 250 ok"), told);
    // A caller that saw the old token rejected gets the one another caller renewed: it ran nothing.
    assertSame(t2, RenewalWatch.watching(watcher, () -> m.refreshIfCurrent(t1)));
    assertEquals(2, told.size());
  }

  @Test
  void watcher_ofAnEarlyRenewal_isToldAfterTheLockIsReleased() {
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> mint())
        .clock(clock).skew(Duration.ofMinutes(5)).build();
    m.current();
    clock.advance(Duration.ofMinutes(57)); // 3 minutes left: renewed early, the old token still works
    List<String> told = new ArrayList<>();
    Token t2 = RenewalWatch.watching((first, took, failure) -> {
      // current() took the lock once more for the early renewal; it must be released too.
      assertTrue(lockFreeElsewhere(m), "told under the manager's lock");
      told.add(first + " " + (failure == null ? "ok" : failure.kind()));
    }, m::current);
    assertEquals("token-2", t2.accessToken().reveal());
    assertEquals(List.of("false ok"), told);
  }

  @Test
  void watcher_ofAnEarlyRenewalThatFails_isToldTheFailure_andTheOldTokenIsServed() {
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      if (prev != null) throw DriveException.builder(ErrorKind.NETWORK, "down").retryable(true).build();
      return mint();
    }).clock(clock).skew(Duration.ofMinutes(5)).build();
    Token t1 = m.current();
    clock.advance(Duration.ofMinutes(57));
    List<String> told = new ArrayList<>();
    assertSame(t1, RenewalWatch.watching((first, took, failure) -> {
      assertTrue(lockFreeElsewhere(m), "told under the manager's lock");
      told.add(first + " " + (failure == null ? "ok" : failure.kind()));
    }, m::current));
    assertEquals(List.of("false NETWORK"), told);
  }

  /** Whether another thread can take the manager's lock now ({@code refreshCount()} takes it). */
  private static boolean lockFreeElsewhere(TokenManager m) {
    try {
      return java.util.concurrent.CompletableFuture.supplyAsync(() -> m.refreshCount() >= 0).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void current_insideSkew_refreshesProactively() {
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> mint())
        .clock(clock).skew(Duration.ofMinutes(5)).build();
    m.current();
    clock.advance(Duration.ofMinutes(54));
    assertEquals("token-1", m.current().accessToken().reveal());
    clock.advance(Duration.ofMinutes(2)); // 4 minutes left < 5 minute skew
    assertEquals("token-2", m.current().accessToken().reveal());
  }

  @Test
  void earlyRefreshThatFails_keepsServingTheStillValidToken_untilItExpires() {
    AtomicInteger calls = new AtomicInteger();
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      if (calls.incrementAndGet() == 1) return mint();
      throw DriveException.builder(ErrorKind.NETWORK, "token endpoint down").retryable(true).build();
    }).clock(clock).skew(Duration.ofMinutes(5)).failureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30)).build();
    m.current();
    clock.advance(Duration.ofMinutes(57)); // 3 minutes left: refreshed early, and that fails
    assertEquals("token-1", m.current().accessToken().reveal(), "the token still works for 3 minutes");
    assertEquals(2, calls.get());
    clock.advance(Duration.ofMinutes(3)); // expired now
    DriveException e = assertThrows(DriveException.class, m::current);
    assertEquals(ErrorKind.NETWORK, e.kind());
  }

  @Test
  void cancelledRefresh_failsOnlyItsCaller_theNextOneRefreshes() {
    AtomicInteger calls = new AtomicInteger();
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      int n = calls.incrementAndGet();
      if (n == 2) throw DriveException.builder(ErrorKind.CANCELLED, "cancelled by interrupt").build();
      return mint();
    }).clock(clock).skew(Duration.ofMinutes(5)).failureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30)).build();
    m.current();
    clock.advance(Duration.ofMinutes(57));
    assertEquals(ErrorKind.CANCELLED, assertThrows(DriveException.class, m::current).kind(), "the interrupted caller");
    // Another mount of the account, at once: no back-off was recorded for a cancel.
    assertEquals("token-2", m.current().accessToken().reveal());
    assertEquals(3, calls.get());
  }

  @Test
  void renewedToken_isKept_whenTheStoreCannotSaveIt() {
    InMemoryTokenStore inner = new InMemoryTokenStore();
    java.util.concurrent.atomic.AtomicBoolean storeDown = new java.util.concurrent.atomic.AtomicBoolean();
    TokenStore flaky = new TokenStore() {
      @Override
      public java.util.Optional<Token> load(String key) { return inner.load(key); }

      @Override
      public boolean compareAndSet(String key, Token expected, Token next) {
        if (storeDown.get()) throw DriveException.builder(ErrorKind.NETWORK, "store unreachable").retryable(true).build();
        return inner.compareAndSet(key, expected, next);
      }

      @Override
      public void remove(String key) { inner.remove(key); }
    };
    TokenManager m = TokenManager.builder("k", flaky, prev -> mint()).clock(clock).skew(Duration.ofMinutes(5)).build();
    m.current();
    clock.advance(Duration.ofMinutes(57));
    storeDown.set(true);
    // The renewal may have spent the old refresh token: the new token must not be dropped.
    assertEquals("token-2", m.current().accessToken().reveal());
    assertEquals("token-2", m.current().accessToken().reveal(), "kept in memory, not minted again");
    assertEquals(2, refreshes.get());
  }

  @Test
  void earlyRenewalUnderWay_doesNotHoldUpCallersWhoseTokenStillWorks() throws Exception {
    CountDownLatch renewing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      if (calls.incrementAndGet() == 2) {
        renewing.countDown();
        try {
          release.await(10, TimeUnit.SECONDS); // a slow token endpoint
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return mint();
    }).clock(clock).skew(Duration.ofMinutes(5)).build();
    m.current();
    clock.advance(Duration.ofMinutes(57)); // 3 minutes left: early renewal
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Token> renewer = pool.submit(m::current);
      assertTrue(renewing.await(10, TimeUnit.SECONDS), "the renewal started");
      // Meanwhile another caller gets the still-valid token at once instead of queueing.
      assertEquals("token-1", m.current().accessToken().reveal());
      release.countDown();
      assertEquals("token-2", renewer.get(10, TimeUnit.SECONDS).accessToken().reveal());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertEquals(2, calls.get());
  }

  @Test
  void earlyRefreshRefusedForGood_isReported_atOnce() {
    AtomicInteger calls = new AtomicInteger();
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      if (calls.incrementAndGet() == 1) return mint();
      throw DriveException.builder(ErrorKind.UNAUTHENTICATED, "credentials revoked").retryable(false).build();
    }).clock(clock).skew(Duration.ofMinutes(5)).build();
    m.current();
    clock.advance(Duration.ofMinutes(57));
    assertEquals(ErrorKind.UNAUTHENTICATED, assertThrows(DriveException.class, m::current).kind());
  }

  @Test
  void sixtyFourThreads_onExpiredToken_causeExactlyOneRefresh() throws Exception {
    InMemoryTokenStore store = new InMemoryTokenStore();
    Token expired = Token.of("old", clock.instant().minusSeconds(1));
    CountDownLatch inRefresh = new CountDownLatch(1);
    TokenManager m = TokenManager.builder("k", store, prev -> {
      inRefresh.countDown();
      return mint();
    }).clock(clock).initial(expired).build();
    int threads = 64;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Token>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(pool.submit(() -> {
        start.await();
        // Half of them behave like a caller whose request was just rejected with 401.
        return Thread.currentThread().getId() % 2 == 0 ? m.current() : m.refreshIfCurrent(expired);
      }));
    }
    start.countDown();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    for (Future<Token> f : results) seen.add(f.get(10, TimeUnit.SECONDS).accessToken().reveal());
    pool.shutdown();
    assertEquals(1, refreshes.get(), "exactly one refresh for 64 threads");
    assertEquals(Set.of("token-1"), seen);
    assertEquals(1, m.refreshCount());
    assertEquals("token-1", store.load("k").orElseThrow().accessToken().reveal());
  }

  @Test
  void failedRefresh_backsOffThenRecovers_neverBlocksForGood() {
    AtomicInteger calls = new AtomicInteger();
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> {
      if (calls.incrementAndGet() <= 2) {
        throw DriveException.builder(ErrorKind.NETWORK, "token endpoint down").retryable(true).build();
      }
      return mint();
    }).clock(clock).failureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30)).build();

    DriveException first = assertThrows(DriveException.class, m::current);
    assertEquals(ErrorKind.NETWORK, first.kind());
    // Inside the back-off window the failure is repeated without calling the endpoint.
    DriveException again = assertThrows(DriveException.class, m::current);
    assertSame(first, again);
    assertEquals(1, calls.get());
    clock.advance(Duration.ofSeconds(2));
    assertThrows(DriveException.class, m::current); // second real attempt fails, back-off doubles to 4 s
    assertEquals(2, calls.get());
    clock.advance(Duration.ofSeconds(3));
    assertThrows(DriveException.class, m::current);
    assertEquals(2, calls.get(), "still inside the doubled back-off");
    clock.advance(Duration.ofSeconds(1));
    assertEquals("token-1", m.current().accessToken().reveal());
    assertEquals(3, calls.get());
  }

  @Test
  void restart_reusesStoredToken_insteadOfMintingANewOne() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    TokenManager.builder("k", store, prev -> mint()).clock(clock).build().current();
    TokenManager second = TokenManager.builder("k", store, prev -> mint()).clock(clock).build();
    assertEquals("token-1", second.current().accessToken().reveal());
    assertEquals(1, refreshes.get());
  }

  @Test
  void refreshIfCurrent_adoptsTokenAnotherProcessStored() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    TokenManager a = TokenManager.builder("k", store, prev -> mint()).clock(clock).build();
    TokenManager b = TokenManager.builder("k", store, prev -> mint()).clock(clock).build();
    Token t1 = a.current();
    assertEquals(t1, b.current());
    Token t2 = a.refreshIfCurrent(t1); // a saw t1 rejected
    assertEquals("token-2", t2.accessToken().reveal());
    // b still holds t1; when b sees it rejected it picks up a's token from the store.
    assertEquals(t2, b.refreshIfCurrent(t1));
    assertEquals(2, refreshes.get());
  }

  @Test
  void pastedTokenWithoutExpiry_isUsedUntilRejected() {
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> mint())
        .clock(clock).initial(Token.of("pasted", null)).build();
    clock.advance(Duration.ofDays(400));
    assertEquals("pasted", m.current().accessToken().reveal());
    assertEquals(0, refreshes.get());
    assertEquals("token-1", m.refreshIfCurrent(m.current()).accessToken().reveal());
  }

  @Test
  void toString_neverShowsSecrets() {
    Token t = new Token(io.github.pan4j.core.config.Secret.of("s3cr3t-access"), null,
        io.github.pan4j.core.config.Secret.of("s3cr3t-refresh"), java.util.Map.of("uid", "42"));
    TokenManager m = TokenManager.builder("k", new InMemoryTokenStore(), prev -> t).clock(clock).initial(t).build();
    String text = t + " " + m;
    assertFalse(text.contains("s3cr3t"), text);
    assertTrue(text.contains("uid=42"));
  }
}
