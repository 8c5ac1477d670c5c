package io.github.pan4j.driver.common123;

import io.github.pan4j.core.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Signs 123云盘 direct links ("URL鉴权", CDN type A), the one signer of the {@code 123open} and
 * {@code 123link} drivers, public so a host can sign URLs itself (for example links it hands out
 * from its own cache).
 *
 * <p>The signed URL carries {@code auth_key=<expiry>-<nonce>-<uid>-<md5>}, where {@code expiry}
 * is Unix seconds and {@code md5} is the lower-case hex MD5 of
 * {@code <decoded path>-<expiry>-<nonce>-<uid>-<private key>}. The path is percent-decoded
 * ({@code %20} becomes a space, {@code %E6%88%91} becomes {@code 我}) and has no query string.
 * Existing query parameters are kept and, like the reference client, re-emitted sorted by name,
 * keeping their original encoding; an {@code auth_key} already present is replaced.
 *
 * <pre>{@code
 * String url = AuthKeySigner.sign("https://vip.123pan.cn/1812345678/test/video.mp4",
 *     Secret.of("mykey"), 1812345678L, Instant.ofEpochSecond(1700001800), 123456L);
 * // https://vip.123pan.cn/1812345678/test/video.mp4
 * //     ?auth_key=1700001800-123456-1812345678-e9eba91864dd4818c3e2ed94e25fc993
 * }</pre>
 *
 * <p>The deterministic forms (given a nonce) let tests pin vectors. All methods are thread-safe;
 * the private key never appears in exceptions.
 */
public final class AuthKeySigner {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuthKeySigner() {}

  /**
   * Signs {@code url}.
   *
   * @param url the unsigned URL (any existing {@code auth_key} is replaced)
   * @param privateKey the key configured in the 123 console
   * @param uid the account uid
   * @param expiresAt when the signed URL stops working
   * @param nonce random text without {@code -}
   */
  public static String sign(String url, String privateKey, long uid, Instant expiresAt, String nonce) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(nonce, "nonce");
    if (nonce.isEmpty() || nonce.indexOf('-') >= 0) {
      throw new IllegalArgumentException("nonce must be non-empty and contain no '-'");
    }
    URI uri = parse(url);
    long ts = expiresAt.getEpochSecond();
    String authKey = ts + "-" + nonce + "-" + uid + "-" + digest(uri.getPath(), ts, nonce, uid, privateKey);
    List<String[]> params = new ArrayList<>();
    String rawQuery = uri.getRawQuery();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (name.equals("auth_key")) continue;
        params.add(new String[] {name, pair});
      }
    }
    params.add(new String[] {"auth_key", "auth_key=" + authKey});
    params.sort(Comparator.comparing(p -> p[0]));
    StringBuilder query = new StringBuilder();
    for (String[] p : params) {
      if (query.length() > 0) query.append('&');
      query.append(p[1]);
    }
    String base = url;
    int q = base.indexOf('?');
    int hash = base.indexOf('#');
    String fragment = hash >= 0 ? base.substring(hash) : "";
    if (q >= 0) base = base.substring(0, q);
    else if (hash >= 0) base = base.substring(0, hash);
    return base + "?" + query + fragment;
  }

  /** Signs with a fresh random nonce ({@link #newNonce()}). */
  public static String sign(String url, String privateKey, long uid, Instant expiresAt) {
    return sign(url, privateKey, uid, expiresAt, newNonce());
  }

  /**
   * Signs {@code url} deterministically with any nonce the CDN accepts: non-empty and without
   * {@code -} (123 Open signs with 32 hex digits, 123link with a decimal number).
   *
   * @throws IllegalArgumentException for an empty key, a negative uid, a bad nonce or a malformed
   *     URL
   */
  public static String sign(String url, Secret privateKey, long uid, Instant expiresAt, String nonce) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(privateKey, "privateKey");
    if (privateKey.isEmpty()) throw new IllegalArgumentException("privateKey must not be empty");
    if (uid < 0) throw new IllegalArgumentException("uid must not be negative but was " + uid);
    return sign(url, privateKey.reveal(), uid, expiresAt, nonce);
  }

  /** Signs deterministically with a numeric nonce (the 123link form: a non-negative decimal). */
  public static String sign(String url, Secret privateKey, long uid, Instant expiresAt, long nonce) {
    if (nonce < 0) throw new IllegalArgumentException("nonce must not be negative but was " + nonce);
    return sign(url, privateKey, uid, expiresAt, Long.toString(nonce));
  }

  /** Signs with a fresh random non-negative decimal nonce, as the 123link driver does for every link. */
  public static String sign(String url, Secret privateKey, long uid, Instant expiresAt) {
    return sign(url, privateKey, uid, expiresAt, RANDOM.nextLong() & Long.MAX_VALUE);
  }

  /** A random nonce of 32 hex digits (a UUID without hyphens), as the 123 open clients draw it. */
  public static String newNonce() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * The MD5 part of an auth key: lower-case hex of {@code path-ts-nonce-uid-key}, where
   * {@code path} is the decoded URL path without query.
   */
  public static String digest(String decodedPath, long expiryEpochSeconds, String nonce, long uid, String privateKey) {
    String s = decodedPath + "-" + expiryEpochSeconds + "-" + nonce + "-" + uid + "-" + privateKey;
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      return HexFormat.of().formatHex(md5.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every JDK", e);
    }
  }

  private static URI parse(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getMessage(), e);
    }
  }
}
