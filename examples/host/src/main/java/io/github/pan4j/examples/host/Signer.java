package io.github.pan4j.examples.host;

import io.github.pan4j.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs download paths for an external download proxy (and for the host's own {@code /p/} route,
 * which such a proxy fetches from):
 *
 * <pre>
 * sign = base64url(HMAC-SHA256(signKey, path + ":" + expires)) + ":" + expires
 * </pre>
 *
 * where {@code path} is the absolute, decoded host path (mount path + file path, NFC, e.g.
 * {@code /123/movies/a.mp4}), {@code expires} is Unix seconds, and base64url has no padding. A
 * proxy recomputes the HMAC with the same key, compares in constant time and checks the expiry.
 */
final class Signer {
  private final Secret key;
  private final Clock clock;
  private final Duration ttl;

  Signer(Secret key, Clock clock, Duration ttl) {
    this.key = key;
    this.clock = clock;
    this.ttl = ttl;
  }

  String sign(String path) {
    long expires = clock.instant().plus(ttl).getEpochSecond();
    return mac(path, expires) + ":" + expires;
  }

  boolean verify(String path, String sign) {
    if (sign == null) return false;
    int i = sign.lastIndexOf(':');
    if (i <= 0) return false;
    long expires;
    try {
      expires = Long.parseLong(sign.substring(i + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (clock.instant().getEpochSecond() > expires) return false;
    return MessageDigest.isEqual(mac(path, expires).getBytes(StandardCharsets.US_ASCII),
        sign.substring(0, i).getBytes(StandardCharsets.US_ASCII));
  }

  String mac(String path, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] h = mac.doFinal((path + ":" + expires).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
