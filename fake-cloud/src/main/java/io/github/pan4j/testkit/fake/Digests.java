package io.github.pan4j.testkit.fake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The fake cloud's one place for MD5 and SHA-1 (lower-case hex, as 123 reports them). */
final class Digests {
  private Digests() {}

  static MessageDigest get(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every JDK", e);
    }
  }

  static String md5(byte[] b) {
    return md5(b, 0, b.length);
  }

  static String md5(byte[] b, int off, int len) {
    MessageDigest d = get("MD5");
    d.update(b, off, len);
    return HexFormat.of().formatHex(d.digest());
  }
}
