package io.github.pan4j.driver.link123;

import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.UrlAuthKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs 123云盘 direct links with {@code auth_key}, the way the 123link driver does, so a host
 * can sign URLs itself (for example to hand out links from its own cache).
 *
 * <p>The signed URL carries {@code auth_key=<expiry>-<nonce>-<uid>-<md5>}, where {@code expiry}
 * is Unix seconds and {@code md5} is the lower-case hex MD5 of
 * {@code <decoded path>-<expiry>-<nonce>-<uid>-<private key>}. The path is percent-decoded
 * ({@code %20} becomes a space, {@code %E6%88%91} becomes {@code 我}) and has no query string.
 * Existing query parameters are kept and, like the reference client, re-emitted sorted by name.
 *
 * <pre>{@code
 * String url = Link123Signer.sign("https://vip.123pan.cn/1812345678/test/video.mp4",
 *     Secret.of("mykey"), 1812345678L, Instant.ofEpochSecond(1700001800), 123456L);
 * // https://vip.123pan.cn/1812345678/test/video.mp4
 * //     ?auth_key=1700001800-123456-1812345678-e9eba91864dd4818c3e2ed94e25fc993
 * }</pre>
 *
 * <p>All methods are thread-safe; the private key never appears in exceptions.
 */
public final class Link123Signer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Link123Signer() {}

  /**
   * Signs {@code url} deterministically with a numeric nonce (the 123link form: a non-negative
   * decimal integer).
   *
   * @param url the unsigned direct link (an {@code auth_key} already present is replaced)
   * @param privateKey the key set under 直链管理 → 鉴权设置 in the 123 console; must not be empty
   * @param uid the account id (帐号ID)
   * @param expiresAt when the link stops working; sub-second parts are dropped
   * @param nonce any non-negative number; use a random one per link
   * @throws IllegalArgumentException for an empty key, a negative uid or nonce, or a malformed URL
   */
  public static String sign(String url, Secret privateKey, long uid, Instant expiresAt, long nonce) {
    if (nonce < 0) throw new IllegalArgumentException("nonce must not be negative but was " + nonce);
    return sign(url, privateKey, uid, expiresAt, Long.toString(nonce));
  }

  /**
   * Signs {@code url} deterministically with any nonce the CDN accepts: non-empty and without
   * {@code -} (123 Open signs with 32 hex digits, for instance).
   *
   * @throws IllegalArgumentException for an empty key, a negative uid, a bad nonce or a malformed
   *     URL
   */
  public static String sign(String url, Secret privateKey, long uid, Instant expiresAt, String nonce) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(nonce, "nonce");
    if (privateKey.isEmpty()) throw new IllegalArgumentException("privateKey must not be empty");
    if (uid < 0) throw new IllegalArgumentException("uid must not be negative but was " + uid);
    return UrlAuthKey.sign(url, privateKey.reveal(), uid, expiresAt, nonce);
  }

  /** Signs {@code url} with a fresh random non-negative nonce, as the driver does for every link. */
  public static String sign(String url, Secret privateKey, long uid, Instant expiresAt) {
    return sign(url, privateKey, uid, expiresAt, RANDOM.nextLong() & Long.MAX_VALUE);
  }
}
