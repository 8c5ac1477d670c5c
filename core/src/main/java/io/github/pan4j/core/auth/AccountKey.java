package io.github.pan4j.core.auth;

import io.github.pan4j.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Who an account is, as far as tokens and rate limits go: the driver, the server, the principal
 * (client id or user name) and a digest of the secret.
 *
 * <p>123 keeps its limits per account (three live tokens per client id, QPS per user and
 * endpoint), so tokens and limiters are shared by account key, not by driver instance. The
 * server and the secret digest are part of the key: a token minted with one secret or for one
 * server is never sent with another, and a wrong secret fails at once (no cached token matches it)
 * instead of when the cached token expires.
 *
 * <p>For a secret a person chose (a password, {@link #of}) the digest is PBKDF2-HMAC-SHA256 over
 * the secret, salted with the rest of the key, 20,000 rounds, 64 bits: enough to tell secrets
 * apart, too short and too slow to be a useful way to guess the secret from a token file. For a
 * secret the provider generated ({@link #ofIssued}: an open-platform client secret, an access
 * token), one SHA-256 over salt and secret does the same, and spares every fresh JVM the 0.2–0.3 s
 * the rounds cost before its first request. This rests on an assumption: that such secrets are
 * long and random, as generated credentials are (123 does not publish their format), so that
 * guessing one is out of reach with or without rounds. A secret a person could choose must go
 * through {@link #of}. The key never holds the secret itself and prints without the digest.
 *
 * @param driver driver id, e.g. {@code 123open}
 * @param server the API base URL the tokens are for (normalised: no trailing slash)
 * @param principal client id or user name (user names are lower-cased by the driver)
 * @param secretDigest hex digest of the secret, or empty when there is no secret
 */
public record AccountKey(String driver, String server, String principal, String secretDigest) {
  private static final int ROUNDS = 20_000;

  public AccountKey {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(secretDigest, "secretDigest");
    server = trimSlash(server);
  }

  /** The key for {@code principal} on {@code server} signing in with {@code secret} (may be null). */
  public static AccountKey of(String driver, String server, String principal, Secret secret) {
    String s = trimSlash(Objects.requireNonNull(server, "server"));
    String digest = secret == null || secret.isEmpty() ? "" : digest(driver + "|" + s + "|" + principal, secret);
    return new AccountKey(driver, s, principal, digest);
  }

  /**
   * The key for {@code principal} on {@code server} with a secret the provider issued (may be
   * null): an open-platform client secret or an access token, never a password (see above).
   */
  public static AccountKey ofIssued(String driver, String server, String principal, Secret issued) {
    String s = trimSlash(Objects.requireNonNull(server, "server"));
    String digest = issued == null || issued.isEmpty() ? "" : issuedDigest(driver + "|" + s + "|" + principal, issued);
    return new AccountKey(driver, s, principal, digest);
  }

  /** The key under which a {@link TokenStore} keeps this account's token. Contains no secret. */
  public String storeKey() {
    return driver + "|" + server + "|" + principal + (secretDigest.isEmpty() ? "" : "|" + secretDigest);
  }

  /** {@link #storeKey()}: the form used in store and Redis keys. */
  public String id() {
    return storeKey();
  }

  private static String trimSlash(String s) {
    String t = s.strip();
    while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
    return t;
  }

  private static String issuedDigest(String salt, Secret secret) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(salt.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      byte[] b = secret.reveal().getBytes(StandardCharsets.UTF_8);
      d.update(b);
      java.util.Arrays.fill(b, (byte) 0);
      return "i" + HexFormat.of().formatHex(d.digest(), 0, 8); // "i": never equal to a PBKDF2 digest
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  private static String digest(String salt, Secret secret) {
    char[] chars = secret.reveal().toCharArray();
    try {
      PBEKeySpec spec = new PBEKeySpec(chars, salt.getBytes(StandardCharsets.UTF_8), ROUNDS, 64);
      byte[] d = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      spec.clearPassword();
      return HexFormat.of().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every JDK", e);
    } finally {
      java.util.Arrays.fill(chars, '\0');
    }
  }

  @Override
  public String toString() {
    return "AccountKey{" + driver + " " + server + " " + principal + (secretDigest.isEmpty() ? "" : " secret:****") + "}";
  }
}
