package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.Semaphore;
import javax.crypto.spec.PBEKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin login: a PBKDF2 password hash from the host config, sessions behind an HttpOnly
 * SameSite=Strict cookie (kept in an owner-only file in the state folder, so a restart keeps them;
 * the file holds SHA-256 digests of the cookie values, never the values), a per-session CSRF token
 * that every form and PUT must echo, and login throttling per client and per account.
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

  private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
  /** PBKDF2 is deliberately slow: at most this many run at once, so a login flood cannot starve the pages. */
  private static final Semaphore HASHING = new Semaphore(2, true);

  /** What a login attempt gave: a session token, or null with the seconds to wait when throttled. */
  record Result(String token, long retryAfterSeconds) {
    @Override
    public String toString() {
      return "Result{" + (token != null ? "ok" : "refused") + ", retryAfter=" + retryAfterSeconds + "}";
    }
  }

  private final String user;
  private final String passwordHash;
  private final Clock clock;
  private final Duration ttl;
  private final Path store;
  private final ObjectMapper mapper;
  private final LoginThrottle perClient;
  private final LoginThrottle perAccount;
  /** Keyed by SHA-256 of the cookie value. */
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Auth(String user, String passwordHash, Clock clock, Duration ttl, Path store, ObjectMapper mapper) {
    this.user = user;
    this.passwordHash = passwordHash;
    this.clock = clock;
    this.ttl = ttl;
    this.store = store;
    this.mapper = mapper;
    this.perClient = new LoginThrottle("client", 5, Duration.ofMinutes(15), clock);
    this.perAccount = new LoginThrottle("account", 50, Duration.ofMinutes(1), clock);
    load();
  }

  private void load() {
    if (store == null || !Files.exists(store)) return;
    HostFiles.tighten(store);
    try {
      JsonNode root = mapper.readTree(store.toFile());
      Instant now = clock.instant();
      for (JsonNode n : root.path("sessions")) {
        Instant exp = Instant.parse(n.path("expiresAt").asText());
        if (exp.isAfter(now) && n.path("user").asText().equals(user)) {
          sessions.put(n.path("id").asText(), new Session(n.path("user").asText(), n.path("csrf").asText(), exp));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not read the sessions file {} ({}); everyone logs in again", store, e.toString());
    }
  }

  private synchronized void save() {
    if (store == null) return;
    ObjectNode root = mapper.createObjectNode();
    ArrayNode list = root.putArray("sessions");
    Instant now = clock.instant();
    sessions.forEach((id, s) -> {
      if (s.expiresAt().isAfter(now)) {
        list.addObject().put("id", id).put("user", s.user()).put("csrf", s.csrf()).put("expiresAt", s.expiresAt().toString());
      }
    });
    try {
      HostFiles.writeOwnerOnly(store, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the sessions file " + store, e);
    }
  }

  private static String digest(String token) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  boolean enabled() {
    return user != null && passwordHash != null;
  }

  /** A new session token when the credentials match and neither the client nor the account is throttled. */
  Result login(String user, char[] password, String client) {
    if (!enabled() || user == null || password == null) return new Result(null, 0);
    String account = user.length() > 128 ? user.substring(0, 128) : user;
    long wait = Math.max(perClient.retryAfterSeconds(client), perAccount.retryAfterSeconds(account));
    if (wait > 0) return new Result(null, wait);
    boolean userOk = MessageDigest.isEqual(this.user.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
    boolean passOk;
    HASHING.acquireUninterruptibly();
    try {
      // Again after the wait for a hashing slot: parallel guesses queued behind the first ones are
      // refused as soon as those have used up the free tries.
      wait = Math.max(perClient.retryAfterSeconds(client), perAccount.retryAfterSeconds(account));
      if (wait > 0) return new Result(null, wait);
      passOk = verify(password, passwordHash); // always computed, so timing does not reveal the user name
      if (!userOk || !passOk) {
        // Counted before the slot is released: a guess that takes the slot next must see this
        // failure, or one more guess per slot gets hashed past the free tries.
        LOG.debug("failed login from {}", client);
        perClient.failed(client);
        perAccount.failed(account);
        return new Result(null, 0);
      }
    } finally {
      HASHING.release();
    }
    perClient.succeeded(client);
    String token = random(32);
    sessions.put(digest(token), new Session(this.user, random(24), clock.instant().plus(ttl)));
    save();
    return new Result(token, 0);
  }

  void logout(String token) {
    if (token != null && sessions.remove(digest(token)) != null) save();
  }

  /** The live session for a cookie value, or null. */
  Session session(String token) {
    if (token == null || token.length() > 100) return null;
    String id = digest(token);
    Session s = sessions.get(id);
    if (s == null) return null;
    if (!clock.instant().isBefore(s.expiresAt())) {
      sessions.remove(id);
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
