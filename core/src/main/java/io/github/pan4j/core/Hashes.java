package io.github.pan4j.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Content hashes of a file, as lower-case hex. Either may be absent.
 *
 * @param md5 lower-case hex MD5, or null
 * @param sha1 lower-case hex SHA-1, or null
 */
public record Hashes(String md5, String sha1) {
  /** No hashes known. */
  public static final Hashes NONE = new Hashes(null, null);

  public Hashes {
    md5 = normalise(md5, 32, "md5");
    sha1 = normalise(sha1, 40, "sha1");
  }

  public static Hashes md5(String md5) { return new Hashes(md5, null); }

  public Optional<String> md5Hex() { return Optional.ofNullable(md5); }
  public Optional<String> sha1Hex() { return Optional.ofNullable(sha1); }

  private static String normalise(String hex, int length, String name) {
    if (hex == null || hex.isEmpty()) return null;
    String h = hex.toLowerCase(Locale.ROOT);
    if (h.length() != length || !h.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException(name + " must be " + length + " hex digits but was '" + hex + "'");
    }
    return h;
  }
}
