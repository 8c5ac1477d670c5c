package io.github.pan4j.core.auth;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.internal.RenewalWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds a driver's current token and renews it.
 *
 * <ul>
 *   <li>{@link #current()} returns a usable token, refreshing proactively when it expires within
 *       the skew (default 5 minutes). When that early refresh fails and may succeed later, the
 *       token still valid is returned until it expires.
 *   <li>{@link #refreshIfCurrent(Token)} is compare-and-refresh: a caller that saw {@code stale}
 *       rejected asks for a new token; if another thread already replaced it, the newer token is
 *       returned without a second refresh. N threads failing on one expired token cause exactly
 *       one refresh.
 *   <li>A failed refresh is remembered for a back-off period (doubling from {@code minBackoff} to
 *       {@code maxBackoff}); callers in that window fail fast with the same retryable error instead
 *       of hammering the token endpoint, and the next call after it tries again. A failure never
 *       blocks the driver for good.
 *   <li>Tokens persist through the {@link TokenStore} under {@code storeKey}: on start the stored
 *       token is reused. A refresh runs inside {@link TokenStore#locked}: it looks at the store
 *       once more and adopts a token another process or machine renewed meanwhile, so N processes
 *       sharing a store mint one token between them. The new token is written with
 *       compare-and-set.
 *   <li>One manager per account: drivers get it from
 *       {@link io.github.pan4j.core.spi.DriverContext#tokenManager}, shared by every mount of
 *       the account in the JVM.
 * </ul>
 *
 * <p>Thread-safe. Refresh runs under a lock held only by the refreshing thread; readers of a valid
 * token never wait for it, not even while another thread renews it early (within the skew).
 */
public final class TokenManager {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TokenManager.class);

  /** Obtains a new token. {@code previous} is the token being replaced, or null at start. */
  @FunctionalInterface
  public interface Refresher {
    Token refresh(Token previous);
  }

  private final String storeKey;
  private final TokenStore store;
  private final Refresher refresher;
  private final Clock clock;
  private final Duration skew;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final java.util.concurrent.locks.ReentrantLock refreshLock = new java.util.concurrent.locks.ReentrantLock();

  private volatile Token token;
  private volatile boolean loaded;
  // guarded by refreshLock
  private Instant retryNotBefore;
  private Duration nextBackoff;
  private DriveException lastFailure;
  private long refreshCount;
  private long adopted;

  private TokenManager(Builder b) {
    this.storeKey = b.storeKey;
    this.store = b.store;
    this.refresher = b.refresher;
    this.clock = b.clock;
    this.skew = b.skew;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.nextBackoff = b.minBackoff;
    this.token = b.initial;
  }

  public static Builder builder(String storeKey, TokenStore store, Refresher refresher) {
    return new Builder(storeKey, store, refresher);
  }

  /**
   * A token that is not known to be expired; refreshes when needed. A refresh this call runs is
   * reported to the context's request listener when the request engine asked for the token.
   */
  public Token current() {
    RenewalWatch.Watcher watcher = RenewalWatch.current();
    Token t = loadOnce();
    if (t != null && !t.expiresWithin(clock, skew)) return t;
    boolean early = t != null && !t.expiresWithin(clock, Duration.ZERO);
    // An early renewal under way elsewhere: this token still works, so do not queue behind it.
    if (early && !refreshLock.tryLock()) return t;
    Refreshed[] ran = watcher == null ? null : new Refreshed[1];
    try {
      return refreshLockedIfCurrent(t, ran);
    } catch (DriveException e) {
      // The refresh was early: the token works until it expires, and the back-off paces the next try.
      if (e.retryable() && early) return t;
      throw e;
    } finally {
      if (early) refreshLock.unlock();
      // Told once the lock is released: an early renewal holds it twice (tryLock above, and again
      // inside), and a slow watcher must not hold up the callers waiting for the token.
      tell(watcher, ran);
    }
  }

  /** The token held now, without refreshing. */
  public Optional<Token> peek() {
    return Optional.ofNullable(loadOnce());
  }

  /**
   * Replaces {@code stale} (the token a caller saw rejected, or null) with a fresh one, unless
   * another thread already did; returns the token to use now.
   */
  public Token refreshIfCurrent(Token stale) {
    RenewalWatch.Watcher watcher = RenewalWatch.current();
    // Told after the lock is released: a slow watcher must not hold up the callers waiting for the token.
    Refreshed[] ran = watcher == null ? null : new Refreshed[1];
    try {
      return refreshLockedIfCurrent(stale, ran);
    } finally {
      tell(watcher, ran);
    }
  }

  /** {@link #refreshIfCurrent(Token)} under the lock, noting in {@code ran} (may be null) what the refresher did. */
  private Token refreshLockedIfCurrent(Token stale, Refreshed[] ran) {
    refreshLock.lock();
    try {
      Token now = loadOnce();
      if (now != null && !Objects.equals(now, stale) && !now.expiresWithin(clock, skew)) {
        return now; // someone else refreshed while we waited
      }
      Instant t = clock.instant();
      if (retryNotBefore != null && t.isBefore(retryNotBefore) && lastFailure != null) {
        throw lastFailure;
      }
      // Mint under the store's lock: another process (or machine) that got there first has left
      // its token in the store, and we adopt it instead of minting a second one.
      return store.locked(storeKey, () -> refreshLocked(stale, now, ran));
    } finally {
      refreshLock.unlock();
    }
  }

  /** What a refresh run for a watcher came to. */
  private record Refreshed(boolean first, Duration took, DriveException failure) {}

  private Token refreshLocked(Token stale, Token now, Refreshed[] ran) {
    Token stored = store.load(storeKey).orElse(null);
    if (stored != null && !Objects.equals(stored, stale) && !Objects.equals(stored, now)
        && !stored.expiresWithin(clock, skew)) {
      token = stored;
      adopted++;
      return stored;
    }
    Token previous = stale != null ? stale : (now != null ? now : stored);
    Instant started = ran == null ? null : clock.instant();
    Token fresh;
    try {
      // The refresher's own calls are not the watched call: a token manager they use tells nobody here.
      fresh = RenewalWatch.watching(null, () -> refresher.refresh(previous));
      Objects.requireNonNull(fresh, "refresher returned null");
    } catch (DriveException e) {
      // A cancel (the refreshing caller was interrupted or its drive closed) says nothing about the
      // token endpoint: other callers must not get it for the back-off period.
      if (e.kind() != ErrorKind.CANCELLED) noteFailure(e);
      ran(ran, previous == null, started, e);
      throw e;
    } catch (RuntimeException e) {
      DriveException de = DriveException.builder(ErrorKind.UNAUTHENTICATED, "token refresh failed: " + e.getMessage())
          .retryable(true).cause(e).build();
      noteFailure(de);
      ran(ran, previous == null, started, de);
      throw de;
    }
    ran(ran, previous == null, started, null);
    refreshCount++;
    retryNotBefore = null;
    lastFailure = null;
    nextBackoff = minBackoff;
    // Held here before the store is written: the provider may already have spent the old refresh
    // token, so a store that fails must not lose the new one.
    token = fresh;
    try {
      if (!store.compareAndSet(storeKey, stored, fresh)) {
        // A store without a cross-process lock lost a race: theirs is newer than what we read.
        Token winner = store.load(storeKey).orElse(null);
        if (winner != null && !winner.expiresWithin(clock, skew)) {
          token = winner;
          return winner;
        }
        store.remove(storeKey);
        store.compareAndSet(storeKey, null, fresh);
      }
    } catch (RuntimeException e) {
      LOG.warn("the token store could not save a renewed token ({}); this process keeps using it, and other"
          + " processes sharing the store will renew their own", e.getClass().getName());
    }
    return fresh;
  }

  /** Forgets the token here and in the store (credentials revoked, signed out). */
  public void invalidate() {
    refreshLock.lock();
    try {
      token = null;
      loaded = true;
      store.remove(storeKey);
    } finally {
      refreshLock.unlock();
    }
  }

  /** Number of successful refreshes made by this manager (for tests and metrics). */
  public long refreshCount() {
    refreshLock.lock();
    try {
      return refreshCount;
    } finally {
      refreshLock.unlock();
    }
  }

  /** Number of times a token renewed by another manager (another process or machine) was adopted. */
  public long adoptedCount() {
    refreshLock.lock();
    try {
      return adopted;
    } finally {
      refreshLock.unlock();
    }
  }

  private void ran(Refreshed[] ran, boolean first, Instant started, DriveException failure) {
    if (ran != null) ran[0] = new Refreshed(first, Duration.between(started, clock.instant()), failure);
  }

  /** Tells {@code watcher} what the refresher did, when this call ran it ({@code ran} holds it). */
  private static void tell(RenewalWatch.Watcher watcher, Refreshed[] ran) {
    if (watcher == null || ran == null || ran[0] == null) return;
    Refreshed r = ran[0];
    try {
      watcher.refreshed(r.first(), r.took(), r.failure());
    } catch (RuntimeException e) {
      LOG.warn("a refresh watcher threw; ignored", e);
    }
  }

  private void noteFailure(DriveException e) {
    lastFailure = e;
    retryNotBefore = clock.instant().plus(nextBackoff);
    Duration doubled = nextBackoff.multipliedBy(2);
    nextBackoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
  }

  private Token loadOnce() {
    if (!loaded) {
      refreshLock.lock();
      try {
        if (!loaded) {
          if (token == null) {
            token = store.load(storeKey).orElse(null);
          } else {
            store.compareAndSet(storeKey, null, token);
          }
          loaded = true;
        }
      } finally {
        refreshLock.unlock();
      }
    }
    return token;
  }

  @Override
  public String toString() {
    return "TokenManager{" + storeKey + ", " + token + "}";
  }

  /** Builder for {@link TokenManager}. */
  public static final class Builder {
    private final String storeKey;
    private final TokenStore store;
    private final Refresher refresher;
    private Clock clock = Clock.systemUTC();
    private Duration skew = Duration.ofMinutes(5);
    private Duration minBackoff = Duration.ofSeconds(2);
    private Duration maxBackoff = Duration.ofMinutes(2);
    private Token initial;

    private Builder(String storeKey, TokenStore store, Refresher refresher) {
      this.storeKey = Objects.requireNonNull(storeKey, "storeKey");
      this.store = Objects.requireNonNull(store, "store");
      this.refresher = Objects.requireNonNull(refresher, "refresher");
    }

    public Builder clock(Clock clock) { this.clock = Objects.requireNonNull(clock); return this; }
    /** Refresh when the token expires within this margin. */
    public Builder skew(Duration skew) { this.skew = Objects.requireNonNull(skew); return this; }
    /** Back-off after a failed refresh, doubling from min to max. */
    public Builder failureBackoff(Duration min, Duration max) { this.minBackoff = min; this.maxBackoff = max; return this; }
    /** A token to start with (e.g. pasted by the user); stored if the store has none. */
    public Builder initial(Token token) { this.initial = token; return this; }
    public TokenManager build() { return new TokenManager(this); }
  }
}
