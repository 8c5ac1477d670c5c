package io.github.pan4j.core.spi.http;

import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import java.util.Objects;

/**
 * Where an {@link ApiClient} gets the bearer token of authenticated calls. Usually
 * {@link #of(TokenManager)}; the token manager itself is built by the driver (one obvious place)
 * and handed in, so whoever owns account state can share it.
 *
 * <p>A renewal that a {@link TokenManager} runs inside {@link #current()} or {@link #renew}, on the
 * calling thread, is reported to the context's {@link io.github.pan4j.core.RequestListener} as a
 * {@link io.github.pan4j.core.TokenRenewalEvent}; a source that wraps a manager reports its renewals
 * that way with nothing more to do.
 */
public interface TokenSource {
  /** The token to send, or null to call anonymously. May renew (and throw) when it expired. */
  Token current();

  /**
   * The server rejected {@code rejected}: a fresh token (single-flight), or null when this client
   * cannot obtain one. May throw the renewal's failure.
   */
  Token renew(Token rejected);

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
