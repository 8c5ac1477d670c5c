package io.github.pan4j.core.spi;

import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.core.auth.Accounts;
import io.github.pan4j.core.auth.TokenManager;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.auth.TokenStores;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.internal.BufferedSocketFactory;
import io.github.pan4j.core.internal.SafeRequestListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The shared resources a driver runs on, owned by whoever embeds pan4j: one HTTP client, the
 * clock and sleeper (fakes in tests), where tokens persist, how rate limits are shared, and an
 * executor for parallel work such as upload slices.
 *
 * <p>Account state is shared by account, not by driver instance: {@link #tokenManager} and
 * {@link #rateLimiter} hand every mount of one account (same {@link AccountKey}) the same token
 * manager and limiter, from the {@link Accounts} registry (JVM-wide by default). Tokens persist
 * in {@link TokenStores#persistent()} (a file under the user's state folder) unless a store is
 * set; {@code tokenStore(TokenStores.inMemory())} keeps them in the process only. Processes on
 * several machines share tokens and limits through the {@code pan4j-redis} module's store and
 * {@link RateLimiter.Factory}.
 *
 * <p>Drivers derive their own client with {@code httpClient().newBuilder()} (which keeps its
 * socket factory, timeouts and connection pool) and never close what the context holds.
 * Default parts use daemon threads, so a JShell session or CLI can exit without closing
 * anything; left open, a context's idle threads end after a minute and its idle connections
 * after five. A program that makes contexts and drops them (one per tenant, say) closes each
 * ({@link #close()}) after its drives to release them at once.
 */
public final class DriverContext implements AutoCloseable {
  private static volatile DriverContext defaults;

  private final OkHttpClient httpClient;
  private final Clock clock;
  private final Sleeper sleeper;
  private final TokenStore tokenStore;
  private final RateLimiter.Factory rateLimiters;
  private final Accounts accounts;
  private final ExecutorService executor;
  private final Duration callDeadline;
  private final Duration retryAfterCap;
  private final RequestListener requestListener;
  /** Whether this context made its HTTP client / executor itself (and so releases them on close). */
  private final boolean ownsHttpClient;
  private final boolean ownsExecutor;

  /** How long one API call may take in all (attempts, waits, reading the reply) unless set. */
  public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofMinutes(2);

  private DriverContext(Builder b) {
    this.ownsHttpClient = b.httpClient == null;
    this.ownsExecutor = b.executor == null;
    this.httpClient = b.httpClient != null ? b.httpClient : defaultClient();
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.sleeper = b.sleeper != null ? b.sleeper : Sleeper.SYSTEM;
    this.tokenStore = b.tokenStore != null ? b.tokenStore : TokenStores.persistent();
    this.rateLimiters = b.rateLimiters != null ? b.rateLimiters : RateLimiter.Factory.LOCAL;
    this.accounts = b.accounts != null ? b.accounts : Accounts.shared();
    this.executor = b.executor != null ? b.executor : daemonPool();
    this.callDeadline = b.callDeadline != null ? b.callDeadline : DEFAULT_CALL_DEADLINE;
    this.retryAfterCap = b.retryAfterCap != null ? b.retryAfterCap : RetryPolicy.DEFAULT_RETRY_AFTER_CAP;
    this.requestListener = SafeRequestListener.wrap(b.requestListener);
  }

  /** A process-wide context with default parts, created on first use. */
  public static DriverContext defaults() {
    DriverContext d = defaults;
    if (d == null) {
      synchronized (DriverContext.class) {
        d = defaults;
        if (d == null) defaults = d = builder().build();
      }
    }
    return d;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().httpClient(httpClient).clock(clock).sleeper(sleeper)
        .tokenStore(tokenStore).rateLimiters(rateLimiters).accounts(accounts).executor(executor)
        .callDeadline(callDeadline).retryAfterCap(retryAfterCap).requestListener(requestListener);
  }

  /**
   * The HTTP client every driver of this context derives its own from. It is the one OkHttp type
   * in pan4j's API, on purpose: a client of your own ({@link Builder#httpClient}) carries what no
   * neutral setting could (a proxy and its authentication, your TLS trust, interceptors, a
   * connection pool shared with the rest of your program).
   */
  public OkHttpClient httpClient() { return httpClient; }
  public Clock clock() { return clock; }
  public Sleeper sleeper() { return sleeper; }
  public TokenStore tokenStore() { return tokenStore; }
  public RateLimiter.Factory rateLimiters() { return rateLimiters; }
  public Accounts accounts() { return accounts; }
  public ExecutorService executor() { return executor; }
  /**
   * The overall deadline of one API call made through {@link io.github.pan4j.core.spi.http.ApiClient}:
   * every attempt, every wait between attempts and the reading of the reply must fit in it, so a
   * server trickling its answer cannot hold a caller forever. A download must get its response
   * head (status and headers) within it too; its body is not bounded by it (a large file takes as
   * long as it takes, each read within the HTTP client's read timeout). Default two minutes.
   */
  public Duration callDeadline() { return callDeadline; }
  /** The longest {@code Retry-After} a driver honours before retrying. Default 60 seconds. */
  public Duration retryAfterCap() { return retryAfterCap; }
  /**
   * Told about every request and token renewal of the drivers on this context;
   * {@link RequestListener#NONE} unless one was set. Exceptions it throws are caught and logged.
   */
  public RequestListener requestListener() { return requestListener; }

  /**
   * The token manager of {@code account} over this context's token store: shared by every driver
   * instance of the account that uses the same store and clock; {@code create} builds it the
   * first time (with {@link AccountKey#storeKey()} and {@link #tokenStore()}).
   */
  public TokenManager tokenManager(AccountKey account, Supplier<TokenManager> create) {
    return accounts.tokenManager(account, tokenStore, clock, create);
  }

  /**
   * The rate limiter of {@code account}, made by this context's {@link #rateLimiters()} factory
   * the first time and shared by every driver instance of the account after that (the first
   * instance's table wins; {@link RateLimiter#setQps} changes it for all).
   */
  public RateLimiter rateLimiter(AccountKey account, Map<String, Double> qpsByEndpoint, double margin) {
    return accounts.rateLimiter(account, rateLimiters, qpsByEndpoint, margin, clock, sleeper);
  }

  /**
   * Releases what this context made itself: the idle pooled connections of its default HTTP
   * client (shared by every driver derived from it) and the threads of its default executor.
   * Parts given to the {@link Builder} belong to the caller and are left alone, and so are the
   * parts a context made with {@link #toBuilder()} took over from this one. Close the drives first:
   * a drive still open fails its next request or parallel upload. Idempotent.
   *
   * @throws UnsupportedOperationException on the process-wide {@link #defaults()}, which others share
   */
  @Override
  public void close() {
    if (this == defaults) {
      throw new UnsupportedOperationException("DriverContext.defaults() is shared by the whole process and is not"
          + " closed; build a context of your own (DriverContext.builder().build()) to close it");
    }
    if (ownsExecutor) executor.shutdown();
    if (ownsHttpClient) {
      httpClient.connectionPool().evictAll();
      httpClient.dispatcher().executorService().shutdown();
    }
  }

  /**
   * The client used when none is set: its plain sockets read through a 64 KiB buffer (OkHttp
   * otherwise makes one system call per 8 KiB read), which saves some 6 % of the client's CPU on
   * a download. A client passed to {@link Builder#httpClient} is used as it is, with its own
   * socket factory.
   */
  private static OkHttpClient defaultClient() {
    return new OkHttpClient.Builder()
        .socketFactory(BufferedSocketFactory.get())
        .connectTimeout(Duration.ofSeconds(15))
        .readTimeout(Duration.ofSeconds(60))
        .writeTimeout(Duration.ofSeconds(120))
        .build();
  }

  private static ExecutorService daemonPool() {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory f = r -> {
      Thread t = new Thread(r, "pan4j-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return Executors.newCachedThreadPool(f);
  }

  @Override
  public String toString() {
    return "DriverContext{clock=" + clock + ", tokenStore=" + tokenStore + "}";
  }

  /** Builder for {@link DriverContext}; every part has a default. */
  public static final class Builder {
    private OkHttpClient httpClient;
    private Clock clock;
    private Sleeper sleeper;
    private TokenStore tokenStore;
    private RateLimiter.Factory rateLimiters;
    private Accounts accounts;
    private ExecutorService executor;
    private Duration callDeadline;
    private Duration retryAfterCap;
    private RequestListener requestListener;

    public Builder httpClient(OkHttpClient c) { this.httpClient = Objects.requireNonNull(c, "httpClient"); return this; }
    public Builder clock(Clock c) { this.clock = Objects.requireNonNull(c, "clock"); return this; }
    public Builder sleeper(Sleeper s) { this.sleeper = Objects.requireNonNull(s, "sleeper"); return this; }
    /** Where tokens persist; default {@link TokenStores#persistent()}, or {@link TokenStores#inMemory()}. */
    public Builder tokenStore(TokenStore s) { this.tokenStore = Objects.requireNonNull(s, "tokenStore"); return this; }
    /** How account rate limiters are made; default {@link RateLimiter.Factory#LOCAL} (in-process). */
    public Builder rateLimiters(RateLimiter.Factory f) { this.rateLimiters = Objects.requireNonNull(f, "rateLimiters"); return this; }
    /** The account registry; default {@link Accounts#shared()} (one per JVM). */
    public Builder accounts(Accounts a) { this.accounts = Objects.requireNonNull(a, "accounts"); return this; }
    public Builder executor(ExecutorService e) { this.executor = Objects.requireNonNull(e, "executor"); return this; }
    /** The overall deadline of one API call, and of the wait for a download's response head; must be positive. */
    public Builder callDeadline(Duration d) {
      if (Objects.requireNonNull(d, "callDeadline").isNegative() || d.isZero()) {
        throw new IllegalArgumentException("callDeadline must be positive but was " + d);
      }
      this.callDeadline = d;
      return this;
    }
    /** The longest {@code Retry-After} honoured; must not be negative. */
    public Builder retryAfterCap(Duration d) {
      if (Objects.requireNonNull(d, "retryAfterCap").isNegative()) {
        throw new IllegalArgumentException("retryAfterCap must not be negative but was " + d);
      }
      this.retryAfterCap = d;
      return this;
    }
    /**
     * A listener told about every HTTP request and token renewal of the drivers on this context,
     * for metrics (see {@link RequestListener}); default none, which costs nothing. Called from
     * many threads at once; an exception it throws is logged and never breaks a call.
     */
    public Builder requestListener(RequestListener l) {
      this.requestListener = Objects.requireNonNull(l, "requestListener");
      return this;
    }
    public DriverContext build() { return new DriverContext(this); }
  }
}
