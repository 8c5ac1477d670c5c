package io.github.pan4j.examples.cli;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import java.util.List;
import java.util.Locale;

/**
 * {@code pan4j put --hash md5:HEX [--hash sha1:HEX] --size N REMOTE}: creates REMOTE from the
 * content's size and hashes alone ("秒传"), when the provider already stores that content; nothing
 * is read locally and no byte is sent. {@code pan4j stat --json} prints the size, md5 and sha1 this
 * needs.
 */
final class HashPut {
  private HashPut() {}

  /** The hash-only source the options describe; bad input is refused here, before the drive is asked. */
  static UploadSource source(List<String> hashes, Long size) {
    if (size == null) {
      throw new UsageException("put: --hash needs --size N, the content's length in bytes (pan4j stat --json shows it)");
    }
    String md5 = null;
    String sha1 = null;
    for (String h : hashes) {
      int colon = h.indexOf(':');
      String algorithm = colon < 0 ? "" : h.substring(0, colon).toLowerCase(Locale.ROOT);
      String hex = colon < 0 ? h : h.substring(colon + 1);
      switch (algorithm) {
        case "md5" -> md5 = hex;
        case "sha1", "sha-1" -> sha1 = hex;
        default -> throw new UsageException("put: --hash takes md5:HEX or sha1:HEX, not '" + h + "'");
      }
    }
    if (md5 == null) throw new UsageException("put: --hash md5:HEX is required (sha1:HEX alone is not enough)");
    return UploadSource.ofHashes(size, md5, sha1); // INVALID_ARGUMENT (exit 2) for a malformed hash or size
  }

  /** Uploads from hashes to {@code remote}, which must name the file (not a folder). */
  static Entry put(Drive drive, String remote, UploadSource source, ConflictPolicy policy) {
    if (remote.endsWith("/")) {
      throw new UsageException("put: with --hash, REMOTE must be the new file's path, not a folder (there is no local file name)");
    }
    return drive.put(remote, source, UploadOptions.of(policy));
  }
}
