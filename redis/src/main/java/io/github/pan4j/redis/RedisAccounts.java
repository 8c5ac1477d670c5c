package io.github.pan4j.redis;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.DriverContext;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * Account tokens and rate limits shared by pan4j processes on several machines, through one Redis.
 *
 * <pre>{@code
 * try (RedisAccounts redis = RedisAccounts.connect("redis://10.0.0.5:6379")) {
 *   DriverContext context = redis.applyTo(DriverContext.builder()).build();
 *   Drive drive = Drives.create().open("123open", options, context);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #tokenStore()}: tokens under {@code <prefix>tok:<account>} with a time-to-live
 *       equal to the token's expiry; compare-and-set by Lua script; renewal single-flight across
 *       machines through a lock key with a lease ({@code <prefix>lock:<account>}), so N
 *       processes that find the token revoked mint exactly one between them.
 *   <li>{@link #rateLimiters()}: one schedule per account and endpoint
 *       ({@code <prefix>rate:<account>:<endpoint>}), advanced by an atomic Lua script on Redis's
 *       own clock (GCRA: each caller reserves the next start time and sleeps until it, once; no
 *       polling). Callers of every process are served in the order their reservations reach
 *       Redis, so every instance gets its fair share.
 * </ul>
 *
 * <p>Redis trouble is a {@link ErrorKind#NETWORK} {@link DriveException} naming the address;
 * {@link #connect} fails within the connect timeout when Redis cannot be reached. After Redis
 * restarts, calls go on with the token each process holds (it is still valid); the next renewal
 * writes it back. Thread-safe; close it when the drives using it are closed.
 */
public final class RedisAccounts implements AutoCloseable {
  private final RedisClient client;
  private final RedisTokenStore tokenStore;
  private final String prefix;
  private final RateLimiter.Factory rateLimiters;

  private RedisAccounts(Builder b) {
    this.client = new RedisClient(b);
    this.tokenStore = new RedisTokenStore(client, b.prefix, b.lockLease);
    this.prefix = b.prefix;
    this.rateLimiters = rateLimiters((endpoint, start) -> { });
  }

  /**
   * {@link #rateLimiters()} whose limiters tell {@code reserved} each start they reserve (endpoint,
   * microseconds on Redis's clock), so that a test can check the schedule itself.
   */
  RateLimiter.Factory rateLimiters(java.util.function.BiConsumer<String, Long> reserved) {
    return (account, table, margin, clock, sleeper) ->
        new RedisRateLimiter(client, prefix + "rate:" + account.id() + ":", table, margin, sleeper, reserved);
  }

  /** Connects to {@code address} ({@code redis://host:port}, {@code host:port} or {@code host}) with defaults. */
  public static RedisAccounts connect(String address) {
    return builder(address).connect();
  }

  public static Builder builder(String address) {
    return new Builder(address);
  }

  /** The token store, shared by every process connected to this Redis. */
  public TokenStore tokenStore() {
    return tokenStore;
  }

  /** The rate-limiter factory for {@link DriverContext.Builder#rateLimiters}. */
  public RateLimiter.Factory rateLimiters() {
    return rateLimiters;
  }

  /** Sets this Redis as {@code builder}'s token store and rate-limiter factory. */
  public DriverContext.Builder applyTo(DriverContext.Builder builder) {
    return builder.tokenStore(tokenStore).rateLimiters(rateLimiters);
  }

  /** {@code host:port} of the Redis in use. */
  public String address() {
    return client.address();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "RedisAccounts{" + client.address() + "}";
  }

  /** Options for {@link RedisAccounts}. */
  public static final class Builder {
    final String host;
    final int port;
    Duration connectTimeout = Duration.ofSeconds(2);
    Duration commandTimeout = Duration.ofSeconds(2);
    Duration lockLease = Duration.ofSeconds(30);
    String prefix = "pan4j:";
    Secret password;
    String user;
    int database;
    int poolSize = 32;

    private Builder(String address) {
      Objects.requireNonNull(address, "address");
      String a = address.strip();
      URI uri = URI.create(a.contains("://") ? a : "redis://" + a);
      if (uri.getHost() == null || !"redis".equals(uri.getScheme())) {
        throw DriveException.builder(ErrorKind.CONFIG_INVALID, "not a Redis address: '" + address
            + "'; write it as redis://host:port or host:port").operation("redis").build();
      }
      this.host = uri.getHost();
      this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
    }

    /** How long to wait for a connection (default 2 s); unreachable Redis fails within it. */
    public Builder connectTimeout(Duration d) { this.connectTimeout = positive(d, "connectTimeout"); return this; }
    /** How long to wait for one Redis command (default 2 s). */
    public Builder commandTimeout(Duration d) { this.commandTimeout = positive(d, "commandTimeout"); return this; }
    /** How long a renewal may hold the account's lock before others may take it (default 30 s). */
    public Builder lockLease(Duration d) { this.lockLease = positive(d, "lockLease"); return this; }
    /** Prefix of every key (default {@code pan4j:}); deployments sharing a Redis pick their own. */
    public Builder prefix(String p) { this.prefix = Objects.requireNonNull(p, "prefix"); return this; }
    /** Redis AUTH password (and user for ACLs, or null). */
    public Builder auth(String user, Secret password) { this.user = user; this.password = password; return this; }
    /** Redis database number (default 0). */
    public Builder database(int db) { this.database = db; return this; }
    /** Most connections kept open (default 32); a caller beyond it waits up to the command timeout. */
    public Builder poolSize(int n) { if (n < 1) throw new IllegalArgumentException("poolSize must be at least 1"); this.poolSize = n; return this; }

    /** Connects and checks that Redis answers, failing with a NETWORK error naming the address if not. */
    public RedisAccounts connect() {
      RedisAccounts r = new RedisAccounts(this);
      try {
        r.client.ping();
      } catch (RuntimeException e) {
        r.close();
        throw e;
      }
      return r;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
      return d;
    }

    JedisPooled pool() {
      DefaultJedisClientConfig.Builder cfg = DefaultJedisClientConfig.builder()
          .connectionTimeoutMillis((int) connectTimeout.toMillis())
          .socketTimeoutMillis((int) commandTimeout.toMillis())
          .database(database)
          .clientName("pan4j");
      if (password != null) cfg.password(password.reveal());
      if (user != null) cfg.user(user);
      GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
      pool.setMaxTotal(poolSize);
      pool.setMaxIdle(poolSize);
      pool.setMinIdle(0);
      pool.setMaxWait(commandTimeout.plus(connectTimeout));
      pool.setJmxEnabled(false);
      return new JedisPooled(pool, new HostAndPort(host, port), cfg.build());
    }
  }
}
