package io.github.pan4j.driver.open123;

import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.UrlAuthKey;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Signs 123云盘 direct links ("URL鉴权", type A): appends
 * {@code auth_key=<expiry>-<nonce>-<uid>-<md5>}, where the MD5 is taken over
 * {@code <path>-<expiry>-<nonce>-<uid>-<private key>}. Hosts that hand out direct links can sign
 * them with the same function the driver uses.
 */
public final class Open123Signer {
  private Open123Signer() {}

  /**
   * Deterministic signature.
   *
   * @param url the unsigned direct link
   * @param privateKey the URL-authentication key from the 123 console
   * @param uid the account uid
   * @param expiresAt when the link stops working (second precision)
   * @param nonce random text without {@code -}
   * @return the signed URL
   */
  public static String sign(String url, String privateKey, long uid, Instant expiresAt, String nonce) {
    Objects.requireNonNull(url, "url");
    return UrlAuthKey.sign(url, privateKey, uid, expiresAt, nonce);
  }

  /** Signs with a fresh nonce: a random UUID as 32 hex digits, as the 123 open clients draw it. */
  public static String sign(String url, String privateKey, long uid, Instant expiresAt) {
    return sign(url, privateKey, uid, expiresAt, newNonce());
  }

  /** Same as {@link #sign(String, String, long, Instant)} with the key held as a {@link Secret}. */
  public static String sign(String url, Secret privateKey, long uid, Instant expiresAt) {
    return sign(url, privateKey.reveal(), uid, expiresAt, newNonce());
  }

  /** A random UUID without hyphens. */
  public static String newNonce() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
