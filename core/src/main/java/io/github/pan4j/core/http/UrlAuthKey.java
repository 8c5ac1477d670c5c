package io.github.pan4j.core.http;

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
 * "Type A" CDN URL authentication, as 123云盘 direct links use it: a query parameter
 * {@code auth_key=<expiry>-<nonce>-<uid>-<md5>} where the MD5 (lower-case hex) is taken over
 * {@code <decoded path>-<expiry>-<nonce>-<uid>-<private key>} and the expiry is Unix seconds.
 *
 * <p>{@link #sign(String, String, long, Instant, String)} is deterministic, so hosts can sign
 * their own URLs and tests can pin vectors. Query parameters are re-emitted sorted by name (as
 * the reference client does), keeping their original encoding.
 */
public final class UrlAuthKey {
  private static final SecureRandom RANDOM = new SecureRandom();

  private UrlAuthKey() {}

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

  /** Signs with a fresh random nonce (32 hex digits). */
  public static String sign(String url, String privateKey, long uid, Instant expiresAt) {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return sign(url, privateKey, uid, expiresAt, HexFormat.of().formatHex(b));
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
