package io.github.pan4j.core.auth;

import io.github.pan4j.core.config.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An access token with what is known about it. Prints without its secrets.
 *
 * @param accessToken the bearer value
 * @param expiresAt when the provider said it expires, or null when unknown
 * @param refreshToken a refresh token (OAuth; single-use at 123), or null
 * @param attributes small non-secret facts kept with it (uid, issued-by), never null
 */
public record Token(Secret accessToken, Instant expiresAt, Secret refreshToken, Map<String, String> attributes) {
  public Token {
    Objects.requireNonNull(accessToken, "accessToken");
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public static Token of(String accessToken, Instant expiresAt) {
    return new Token(Secret.of(accessToken), expiresAt, null, Map.of());
  }

  public Optional<Instant> expiry() { return Optional.ofNullable(expiresAt); }

  public Optional<Secret> refresh() { return Optional.ofNullable(refreshToken); }

  /** True when the token expires within {@code skew} of {@code clock}'s now (never for unknown expiry). */
  public boolean expiresWithin(Clock clock, Duration skew) {
    return expiresAt != null && !clock.instant().plus(skew).isBefore(expiresAt);
  }

  public Token withAttribute(String key, String value) {
    var m = new java.util.HashMap<>(attributes);
    m.put(key, value);
    return new Token(accessToken, expiresAt, refreshToken, m);
  }

  @Override
  public String toString() {
    return "Token{****" + (expiresAt != null ? ", expiresAt=" + expiresAt : "")
        + (refreshToken != null ? ", refresh=****" : "") + (attributes.isEmpty() ? "" : ", " + attributes) + "}";
  }
}
