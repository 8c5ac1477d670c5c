package io.github.pan4j.core.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps tokens in memory for the life of the process. Every new process mints a token, so use it
 * for tests and throw-away programs; the default is {@link TokenStores#persistent()}.
 */
public final class InMemoryTokenStore implements TokenStore {
  private final ConcurrentMap<String, Token> tokens = new ConcurrentHashMap<>();

  @Override
  public Optional<Token> load(String key) {
    return Optional.ofNullable(tokens.get(key));
  }

  @Override
  public boolean compareAndSet(String key, Token expected, Token next) {
    Objects.requireNonNull(next, "next");
    if (expected == null) return tokens.putIfAbsent(key, next) == null;
    return tokens.replace(key, expected, next);
  }

  @Override
  public void remove(String key) {
    tokens.remove(key);
  }

  @Override
  public String toString() {
    return "InMemoryTokenStore{" + tokens.size() + " tokens}";
  }
}
