package io.github.pan4j.core.auth;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where tokens live between runs, so a restart reuses a token instead of minting a new one
 * (123 allows three live tokens per client id, and refresh tokens are single-use).
 *
 * <p>Keys are chosen by drivers, e.g. {@code 123open:client:<clientId>}; they contain no secret.
 * Implementations are thread-safe; {@link #compareAndSet} is atomic with respect to other
 * writers of the same store, so two processes sharing a file cannot both spend one refresh token.
 */
public interface TokenStore {
  /** The stored token for {@code key}. */
  Optional<Token> load(String key);

  /**
   * Stores {@code next} only if the current value equals {@code expected} (null: absent).
   *
   * @return true when stored; false when another writer got there first (reload and use theirs)
   */
  boolean compareAndSet(String key, Token expected, Token next);

  /** Removes the token, for sign-out and revoked credentials. */
  void remove(String key);

  /**
   * Runs {@code action} while holding this store's lock for {@code key} against every other user
   * of the store: other threads, and for shared stores other processes ({@link FileTokenStore})
   * or machines (the Redis store). {@link TokenManager} mints a new token inside it, after looking
   * at the store once more, so N processes that need a token at once mint exactly one.
   * Reentrant: {@link #load}, {@link #compareAndSet} and {@link #remove} may be called inside.
   *
   * <p>The default takes a lock of this store object only, enough for a store that lives in one
   * process.
   */
  default <T> T locked(String key, Supplier<T> action) {
    synchronized (this) {
      return action.get();
    }
  }
}
