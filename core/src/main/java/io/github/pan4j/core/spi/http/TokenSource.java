package io.github.pan4j.core.spi.http;

import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import java.util.Objects;

/**
 * Where an {@link ApiClient} gets the bearer token of authenticated calls. Usually
 * {@link #of(TokenManager)}; the token manager itself is built by the driver (one obvious place)
 * and handed in, so whoever owns account state can share it.
 */
public interface TokenSource {
  /** The token to send, or null to call anonymously. May renew (and throw) when it expired. */
  Token current();

  /**
   * The server rejected {@code rejected}: a fresh token (single-flight), or null when this client
   * cannot obtain one. May throw the renewal's failure.
   */
  Token renew(Token rejected);

  /**
   * {@link #current()}, telling {@code watcher} when this call renewed the token itself (see
   * {@link TokenManager.RefreshWatcher}). The default tells nothing.
   */
  default Token currentWatched(TokenManager.RefreshWatcher watcher) {
    return current();
  }

  /** {@link #renew(Token)}, telling {@code watcher} when this call renewed the token itself. */
  default Token renew(Token rejected, TokenManager.RefreshWatcher watcher) {
    return renew(rejected);
  }

  /** Tokens from a {@link TokenManager}: proactive refresh, compare-and-refresh on rejection. */
  static TokenSource of(TokenManager tokens) {
    Objects.requireNonNull(tokens, "tokens");
    return new TokenSource() {
      @Override
      public Token current() {
        return tokens.current();
      }

      @Override
      public Token renew(Token rejected) {
        return tokens.refreshIfCurrent(rejected);
      }

      @Override
      public Token currentWatched(TokenManager.RefreshWatcher watcher) {
        return tokens.currentWatched(watcher);
      }

      @Override
      public Token renew(Token rejected, TokenManager.RefreshWatcher watcher) {
        return tokens.refreshIfCurrent(rejected, watcher);
      }
    };
  }

  /** A fixed token (or none) that cannot be renewed. */
  static TokenSource fixed(Token token) {
    return new TokenSource() {
      @Override
      public Token current() {
        return token;
      }

      @Override
      public Token renew(Token rejected) {
        return null;
      }
    };
  }
}
