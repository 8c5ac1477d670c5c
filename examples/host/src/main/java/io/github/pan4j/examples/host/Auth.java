package io.github.pan4j.examples.host;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The admin login: a PBKDF2 password hash from the host config, in-memory sessions behind an
 * HttpOnly SameSite=Strict cookie, and a per-session CSRF token that every form and PUT must echo.
 */
final class Auth {
  static final String COOKIE = "pan4j_session";
  private static final String SCHEME = "pbkdf2-sha256";
  private static final int ITERATIONS = 210_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A logged-in session. */
  record Session(String user, String csrf, Instant expiresAt) {
    @Override
    public String toString() {
      return "Session{" + user + ", expiresAt=" + expiresAt + "}";
    }
  }

  private final String user;
  private final String passwordHash;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Auth(String user, String passwordHash, Clock clock, Duration ttl) {
    this.user = user;
    this.passwordHash = passwordHash;
    this.clock = clock;
    this.ttl = ttl;
  }

  boolean enabled() {
    return user != null && passwordHash != null;
  }

  /** A new session token when the credentials match, else null. */
  String login(String user, char[] password) {
    if (!enabled() || user == null || password == null) return null;
    boolean userOk = MessageDigest.isEqual(this.user.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
    boolean passOk = verify(password, passwordHash); // always computed, so timing does not reveal the user name
    if (!userOk || !passOk) return null;
    String token = random(32);
    sessions.put(token, new Session(this.user, random(24), clock.instant().plus(ttl)));
    return token;
  }

  void logout(String token) {
    if (token != null) sessions.remove(token);
  }

  /** The live session for a cookie value, or null. */
  Session session(String token) {
    if (token == null) return null;
    Session s = sessions.get(token);
    if (s == null) return null;
    if (!clock.instant().isBefore(s.expiresAt())) {
      sessions.remove(token);
      return null;
    }
    return s;
  }

  static boolean csrfMatches(Session s, String given) {
    return s != null && given != null
        && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** Hashes a password for the host config: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64url). */
  static String hash(char[] password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] h = pbkdf2(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
  }

  static boolean verify(char[] password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      throw new IllegalStateException("admin.passwordHash is not a " + SCHEME + " hash; create one with: Main hash-password");
    }
    Base64.Decoder d = Base64.getUrlDecoder();
    byte[] expected = d.decode(parts[3]);
    byte[] actual = pbkdf2(password, d.decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    }
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
