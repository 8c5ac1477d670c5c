package io.github.pan4j.core.auth;

import java.util.Optional;

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
}
