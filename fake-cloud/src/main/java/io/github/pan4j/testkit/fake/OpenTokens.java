package io.github.pan4j.testkit.fake;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Access and refresh tokens of the fake open platform (docs/protocol/123open.md §6). Client-credential
 * tokens are limited per client id: issuing one more than the limit kicks the oldest live token,
 * which then answers 401 {@code tokens number has exceeded the limit}.
 */
final class OpenTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String JWT_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.";

  /** One issued access token. Mutable fields are guarded by the enclosing OpenTokens. */
  static final class Issued {
    final String token;
    final long uid;
    final String clientId;
    final Instant issuedAt;
    final Instant expiresAt;
    final boolean oauth;
    /** Null while usable; otherwise the 401 message its next use answers. */
    String revoked;

    Issued(String token, long uid, String clientId, Instant issuedAt, Instant expiresAt, boolean oauth) {
      this.token = token;
      this.uid = uid;
      this.clientId = clientId;
      this.issuedAt = issuedAt;
      this.expiresAt = expiresAt;
      this.oauth = oauth;
    }
  }

  /** A refresh token of the OAuth mode: single use; knows the access token issued with it. */
  record Refresh(String token, long uid, String clientId, Instant expiresAt, String accessToken) {}

  /**
   * An authorization code: single use, for the app ({@code client_id}) and the {@code redirect_uri}
   * of the authorisation that gave it, as in any OAuth 2.0 service (RFC 6749 §4.1.3).
   */
  record AuthCode(long uid, String clientId, String redirectUri) {}

  private final Map<String, Issued> byToken = new HashMap<>();
  /** Client-credential tokens per client id, oldest first. */
  private final Map<String, List<Issued>> byClient = new HashMap<>();
  private final Map<String, Refresh> refreshTokens = new HashMap<>();
  private final Map<String, AuthCode> authCodes = new HashMap<>();
  private int accessTokenCalls;

  synchronized Issued issue(Account a, Instant now, Duration lifetime, int maxLive) {
    accessTokenCalls++;
    List<Issued> list = byClient.computeIfAbsent(a.clientId(), k -> new ArrayList<>());
    list.removeIf(t -> t.revoked != null || !now.isBefore(t.expiresAt));
    while (maxLive > 0 && list.size() >= maxLive) {
      Issued oldest = list.remove(0);
      oldest.revoked = OpenWire.TOO_MANY_TOKENS;
    }
    Issued t = new Issued(newJwt(a.uid(), now.plus(lifetime)), a.uid(), a.clientId(), now, now.plus(lifetime), false);
    byToken.put(t.token, t);
    list.add(t);
    return t;
  }

  synchronized Issued issueOauth(long uid, String clientId, Instant now, Duration lifetime) {
    Issued t = new Issued(newJwt(uid, now.plus(lifetime)), uid, clientId, now, now.plus(lifetime), true);
    byToken.put(t.token, t);
    return t;
  }

  synchronized Refresh newRefresh(long uid, String clientId, Instant expiresAt, String accessToken) {
    Refresh r = new Refresh(random(48), uid, clientId, expiresAt, accessToken);
    refreshTokens.put(r.token(), r);
    return r;
  }

  /** Takes (consumes) a refresh token; null when unknown, used or expired. */
  synchronized Refresh takeRefresh(String token, Instant now) {
    Refresh r = refreshTokens.remove(token);
    if (r == null || !now.isBefore(r.expiresAt())) return null;
    return r;
  }

  synchronized String newAuthCode(long uid, String clientId, String redirectUri) {
    String code = random(24);
    authCodes.put(code, new AuthCode(uid, clientId, redirectUri));
    return code;
  }

  /** Takes (consumes) an authorization code; null when unknown or already used. */
  synchronized AuthCode takeAuthCode(String code) {
    return authCodes.remove(code);
  }

  /** The token record for a bearer value, or null when unknown. */
  synchronized Issued find(String token) {
    return byToken.get(token);
  }

  /** Revokes one token; its next use answers 401 with {@code message}. */
  synchronized boolean revoke(String token, String message) {
    Issued t = byToken.get(token);
    if (t == null) return false;
    t.revoked = message;
    List<Issued> list = byClient.get(t.clientId);
    if (list != null) list.remove(t);
    return true;
  }

  synchronized int revokeClient(String clientId, String message) {
    int n = 0;
    for (Issued t : byToken.values()) {
      if (clientId.equals(t.clientId) && t.revoked == null) {
        t.revoked = message;
        n++;
      }
    }
    byClient.remove(clientId);
    return n;
  }

  synchronized int accessTokenCalls() {
    return accessTokenCalls;
  }

  /** Tokens of a client id neither revoked nor expired. */
  synchronized List<String> live(String clientId, Instant now) {
    List<String> out = new ArrayList<>();
    for (Issued t : byToken.values()) {
      if (clientId.equals(t.clientId) && t.revoked == null && now.isBefore(t.expiresAt)) out.add(t.token);
    }
    return out;
  }

  synchronized List<Issued> all() {
    List<Issued> out = new ArrayList<>(byToken.values());
    out.sort((x, y) -> x.issuedAt.compareTo(y.issuedAt));
    return out;
  }

  /** A JWT-looking opaque token (real ones are JWTs; drivers must not rely on their content). */
  private static String newJwt(long uid, Instant exp) {
    String payload = "{\"exp\":" + exp.getEpochSecond() + ",\"id\":\"" + random(12) + "\",\"uid\":" + uid + "}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return JWT_HEADER + b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
        + random(32);
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
