package io.github.pan4j.redis;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** The connection pool with pan4j's error mapping and Lua-script calls. Thread-safe. */
final class RedisClient implements AutoCloseable {
  private final JedisPooled jedis;
  private final String address;

  RedisClient(RedisAccounts.Builder b) {
    this.address = b.host + ":" + b.port;
    this.jedis = b.pool();
  }

  String address() {
    return address;
  }

  void ping() {
    run("PING", j -> j.ping());
  }

  /**
   * Runs {@code op}; a broken pooled connection (Redis restarted) is dropped and the command tried
   * once more on a fresh one, so a restart costs no caller an error once Redis is back.
   *
   * <p>The first try may have run even though its reply was lost (a read timeout, a connection cut
   * after the command was sent), so every command run through here must be safe to repeat: reads,
   * deletes, and scripts written so that a repeat finds their own work done (the token's
   * compare-and-set, the lock). A rate limiter's reservation repeated reserves one slot too many:
   * the pacing errs on the slow side.
   */
  <T> T run(String what, Function<JedisPooled, T> op) {
    try {
      try {
        return op.apply(jedis);
      } catch (JedisConnectionException first) {
        return op.apply(jedis);
      }
    } catch (JedisConnectionException e) {
      throw DriveException.builder(ErrorKind.NETWORK, "Redis at " + address + " cannot be reached (" + what + ": "
              + rootMessage(e) + "); check that it runs and that this machine may connect to it")
          .operation("redis").target(address).retryable(true).cause(e).build();
    } catch (JedisDataException e) {
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "Redis at " + address + " refused " + what + ": "
          + e.getMessage()).operation("redis").target(address).cause(e).build();
    } catch (JedisException e) {
      throw DriveException.builder(ErrorKind.NETWORK, "Redis at " + address + " failed (" + what + ": " + rootMessage(e)
          + ")").operation("redis").target(address).retryable(true).cause(e).build();
    }
  }

  /** Runs a Lua script by its SHA-1, loading it first when Redis does not know it (after a restart). */
  Object eval(Script script, List<String> keys, List<String> args) {
    return run(script.name, j -> {
      try {
        return j.evalsha(script.sha, keys, args);
      } catch (JedisNoScriptException e) {
        return j.eval(script.source, keys, args);
      }
    });
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  @Override
  public void close() {
    jedis.close();
  }

  /** A Lua script with its SHA-1. */
  static final class Script {
    final String name;
    final String source;
    final String sha;

    Script(String name, String source) {
      this.name = name;
      this.source = source;
      try {
        this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
