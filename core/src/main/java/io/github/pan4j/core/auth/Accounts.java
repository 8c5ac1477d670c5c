package io.github.pan4j.core.auth;

import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.Sleeper;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Per-JVM registry of account state: one {@link TokenManager} and one {@link RateLimiter} per
 * {@link AccountKey}, handed to every mount and driver instance of that account.
 *
 * <p>Entries are also keyed by the token store and clock (for token managers) or the limiter
 * factory, clock and sleeper (for limiters): two contexts with different stores or test clocks do
 * not share, the same store (two {@link FileTokenStore}s on one path are the same store) does.
 * An entry lives as long as a driver holds it; nothing needs closing. Thread-safe.
 */
public final class Accounts {
  private static final Accounts SHARED = new Accounts();

  private final Map<Object, WeakReference<Object>> entries = new HashMap<>();

  /** A registry of its own (tests, or a host that wants mounts isolated). */
  public Accounts() {}

  /** The JVM-wide registry that {@link io.github.pan4j.core.spi.DriverContext}s use by default. */
  public static Accounts shared() {
    return SHARED;
  }

  /**
   * The token manager of {@code account} over {@code store}: the one already handed out, or the
   * one {@code create} builds. The first creator's refresher serves every instance; the account
   * key (server, principal, secret digest) makes them interchangeable.
   */
  public TokenManager tokenManager(AccountKey account, TokenStore store, Clock clock, Supplier<TokenManager> create) {
    return get(new TokenSlot(account, store, clock), create, TokenManager.class);
  }

  /** The rate limiter of {@code account}, built once by {@code factory}. */
  public RateLimiter rateLimiter(AccountKey account, RateLimiter.Factory factory, Map<String, Double> qpsByEndpoint,
      double margin, Clock clock, Sleeper sleeper) {
    Objects.requireNonNull(qpsByEndpoint, "qpsByEndpoint");
    return get(new LimiterSlot(account, factory, clock, sleeper),
        () -> factory.create(account, Map.copyOf(qpsByEndpoint), margin, clock, sleeper), RateLimiter.class);
  }

  /** Number of live entries (tests, metrics). */
  public synchronized int size() {
    expunge();
    return entries.size();
  }

  private synchronized <T> T get(Object slot, Supplier<? extends T> create, Class<T> type) {
    WeakReference<Object> ref = entries.get(slot);
    Object v = ref == null ? null : ref.get();
    if (v == null) {
      v = Objects.requireNonNull(create.get(), "created " + type.getSimpleName());
      if (entries.size() > 64) expunge();
      entries.put(slot, new WeakReference<>(v));
    }
    return type.cast(v);
  }

  private void expunge() {
    for (Iterator<WeakReference<Object>> it = entries.values().iterator(); it.hasNext(); ) {
      if (it.next().get() == null) it.remove();
    }
  }

  private record TokenSlot(AccountKey account, TokenStore store, Clock clock) {
    TokenSlot {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(clock, "clock");
    }
  }

  private record LimiterSlot(AccountKey account, RateLimiter.Factory factory, Clock clock, Sleeper sleeper) {
    LimiterSlot {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(factory, "factory");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(sleeper, "sleeper");
    }
  }

  @Override
  public String toString() {
    return "Accounts{" + size() + " entries}";
  }
}
