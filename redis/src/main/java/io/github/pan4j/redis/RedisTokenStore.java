package io.github.pan4j.redis;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.auth.TokenStores;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens in Redis: one string key per account holding the token's JSON, expiring with the token.
 *
 * <p>{@link #compareAndSet} is one Lua script (compare the stored text, then set with the TTL).
 * {@link #locked} is a lease lock per account ({@code SET NX PX}, released by a script that
 * deletes it only if still ours): the renewing process holds it while it mints, the others wait
 * for it (sleeping, with growing pauses up to 100 ms) and then find the new token. A process that
 * dies while renewing holds the lock at most one lease. Reentrant within a thread.
 */
final class RedisTokenStore implements TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTokenStore.class);

  private static final RedisClient.Script CAS = new RedisClient.Script("token compare-and-set", """
      local cur = redis.call('GET', KEYS[1])
      if cur ~= false and cur == ARGV[2] then
        return 1
      end
      if (cur == false and ARGV[1] == '') or (cur ~= false and cur == ARGV[1]) then
        if ARGV[3] == '' then
          redis.call('SET', KEYS[1], ARGV[2])
        else
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        end
        return 1
      end
      return 0
      """);
  /** Takes the lock, or finds it already ours: a repeat after a lost reply must not lock us out. */
  private static final RedisClient.Script LOCK = new RedisClient.Script("token lock", """
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
        return 1
      end
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return 1
      end
      return 0
      """);
  private static final RedisClient.Script UNLOCK = new RedisClient.Script("token unlock", """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  private final RedisClient client;
  private final String prefix;
  private final Duration lease;
  private final ThreadLocal<Map<String, Integer>> held = ThreadLocal.withInitial(HashMap::new);

  RedisTokenStore(RedisClient client, String prefix, Duration lease) {
    this.client = client;
    this.prefix = prefix;
    this.lease = lease;
  }

  private String tokenKey(String key) {
    return prefix + "tok:" + key;
  }

  private String lockKey(String key) {
    return prefix + "lock:" + key;
  }

  @Override
  public Optional<Token> load(String key) {
    String text = client.run("GET token", j -> j.get(tokenKey(key)));
    if (text == null) return Optional.empty();
    try {
      return Optional.of(TokenStores.decode(text));
    } catch (DriveException e) {
      LOG.warn("pan4j: the token for {} in Redis {} cannot be read; it will be replaced by a new sign-in", key,
          client.address());
      return Optional.empty();
    }
  }

  @Override
  public boolean compareAndSet(String key, Token expected, Token next) {
    Objects.requireNonNull(next, "next");
    String exp = expected == null ? "" : TokenStores.encode(expected);
    String ttl = ttlMillis(next);
    if (expected == null) {
      // A damaged stored text counts as absent: replace it instead of failing forever.
      String cur = client.run("GET token", j -> j.get(tokenKey(key)));
      if (cur != null && !decodable(cur)) exp = cur;
    }
    Object r = client.eval(CAS, List.of(tokenKey(key)), List.of(exp, TokenStores.encode(next), ttl));
    return r instanceof Long l && l == 1L;
  }

  private static boolean decodable(String text) {
    try {
      TokenStores.decode(text);
      return true;
    } catch (DriveException e) {
      return false;
    }
  }

  /** TTL = time left until the token expires; none for refreshable or undated tokens. */
  private static String ttlMillis(Token t) {
    if (t.expiresAt() == null || t.refreshToken() != null) return "";
    long ms = Duration.between(Instant.now(), t.expiresAt()).toMillis();
    return Long.toString(Math.max(1000, ms));
  }

  @Override
  public void remove(String key) {
    client.run("DEL token", j -> j.del(tokenKey(key)));
  }

  @Override
  public <T> T locked(String key, Supplier<T> action) {
    Map<String, Integer> mine = held.get();
    if (mine.containsKey(key)) {
      mine.merge(key, 1, Integer::sum);
      try {
        return action.get();
      } finally {
        mine.merge(key, -1, Integer::sum);
      }
    }
    String owner = UUID.randomUUID().toString();
    acquire(key, owner);
    mine.put(key, 1);
    try {
      return action.get();
    } finally {
      mine.remove(key);
      client.eval(UNLOCK, List.of(lockKey(key)), List.of(owner));
    }
  }

  private void acquire(String key, String owner) {
    long deadline = System.nanoTime() + lease.multipliedBy(2).toNanos();
    long pauseMillis = 5;
    while (true) {
      Object ok = client.eval(LOCK, List.of(lockKey(key)), List.of(owner, Long.toString(lease.toMillis())));
      if (ok instanceof Long l && l == 1L) return;
      if (System.nanoTime() > deadline) {
        throw DriveException.builder(ErrorKind.NETWORK, "another process has been renewing the token of " + key
                + " for longer than " + lease.multipliedBy(2).toSeconds() + " s (lock in Redis " + client.address()
                + "); try again")
            .operation("token-store").target(key).retryable(true).build();
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DriveException.builder(ErrorKind.CANCELLED, "interrupted while another process renewed the token")
            .operation("token-store").target(key).build();
      }
      pauseMillis = Math.min(100, pauseMillis * 2);
    }
  }

  @Override
  public String toString() {
    return "RedisTokenStore{" + client.address() + ", prefix=" + prefix + "}";
  }
}
