package io.github.pan4j.core.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.http.Json;
import io.github.pan4j.core.http.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * The shared resources a driver runs on, owned by whoever embeds pan4j: one HTTP client, one
 * JSON mapper, the clock and sleeper (fakes in tests), where tokens persist, and an executor for
 * parallel work such as upload slices.
 *
 * <p>Drivers derive their own client with {@code httpClient().newBuilder()} and never close what
 * the context holds. {@link #defaults()} builds a context whose executor uses daemon threads, so
 * a JShell session or CLI can exit without closing it.
 */
public final class DriverContext {
  private static volatile DriverContext defaults;

  private final OkHttpClient httpClient;
  private final ObjectMapper objectMapper;
  private final Clock clock;
  private final Sleeper sleeper;
  private final TokenStore tokenStore;
  private final ExecutorService executor;
  private final Duration callDeadline;
  private final Duration retryAfterCap;

  /** How long one API call may take in all (attempts, waits, reading the reply) unless set. */
  public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofMinutes(2);

  private DriverContext(Builder b) {
    this.httpClient = b.httpClient != null ? b.httpClient : defaultClient();
    this.objectMapper = b.objectMapper != null ? b.objectMapper : Json.mapper();
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.sleeper = b.sleeper != null ? b.sleeper : Sleeper.SYSTEM;
    this.tokenStore = b.tokenStore != null ? b.tokenStore : new InMemoryTokenStore();
    this.executor = b.executor != null ? b.executor : daemonPool();
    this.callDeadline = b.callDeadline != null ? b.callDeadline : DEFAULT_CALL_DEADLINE;
    this.retryAfterCap = b.retryAfterCap != null ? b.retryAfterCap : RetryPolicy.DEFAULT_RETRY_AFTER_CAP;
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
    return new Builder().httpClient(httpClient).objectMapper(objectMapper).clock(clock).sleeper(sleeper)
        .tokenStore(tokenStore).executor(executor).callDeadline(callDeadline).retryAfterCap(retryAfterCap);
  }

  public OkHttpClient httpClient() { return httpClient; }
  public ObjectMapper objectMapper() { return objectMapper; }
  public Clock clock() { return clock; }
  public Sleeper sleeper() { return sleeper; }
  public TokenStore tokenStore() { return tokenStore; }
  public ExecutorService executor() { return executor; }
  /**
   * The overall deadline of one API call made through {@link io.github.pan4j.core.spi.http.ApiClient}:
   * every attempt, every wait between attempts and the reading of the reply must fit in it, so a
   * server trickling its answer cannot hold a caller forever. Default two minutes.
   */
  public Duration callDeadline() { return callDeadline; }
  /** The longest {@code Retry-After} a driver honours before retrying. Default 60 seconds. */
  public Duration retryAfterCap() { return retryAfterCap; }

  private static OkHttpClient defaultClient() {
    return new OkHttpClient.Builder()
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
    return "DriverContext{clock=" + clock + ", tokenStore=" + tokenStore.getClass().getSimpleName() + "}";
  }

  /** Builder for {@link DriverContext}; every part has a default. */
  public static final class Builder {
    private OkHttpClient httpClient;
    private ObjectMapper objectMapper;
    private Clock clock;
    private Sleeper sleeper;
    private TokenStore tokenStore;
    private ExecutorService executor;
    private Duration callDeadline;
    private Duration retryAfterCap;

    public Builder httpClient(OkHttpClient c) { this.httpClient = Objects.requireNonNull(c, "httpClient"); return this; }
    public Builder objectMapper(ObjectMapper m) { this.objectMapper = Objects.requireNonNull(m, "objectMapper"); return this; }
    public Builder clock(Clock c) { this.clock = Objects.requireNonNull(c, "clock"); return this; }
    public Builder sleeper(Sleeper s) { this.sleeper = Objects.requireNonNull(s, "sleeper"); return this; }
    public Builder tokenStore(TokenStore s) { this.tokenStore = Objects.requireNonNull(s, "tokenStore"); return this; }
    public Builder executor(ExecutorService e) { this.executor = Objects.requireNonNull(e, "executor"); return this; }
    /** The overall deadline of one API call; must be positive. */
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
    public DriverContext build() { return new DriverContext(this); }
  }
}
