package io.github.pan4j.testkit.fake;

import java.time.Instant;
import java.util.List;

/**
 * A public share of an account: either one folder (or file), or a list of entries.
 *
 * @param key the share key as in {@code https://www.123pan.com/s/<key>}
 * @param password the extraction code, or null for none (compared case-insensitively)
 * @param uid the sharing account
 * @param rootId the shared folder, whose children are the share's root listing; ignored when
 *     {@code entryIds} is not empty
 * @param expiresAt when the share expires, or null for never
 * @param entryIds the shared entries (files or folders), which then form the share's root listing,
 *     as the open platform's {@code share/create} makes them; empty for a one-folder share
 */
public record Share(String key, String password, long uid, long rootId, Instant expiresAt, List<Long> entryIds) {
  public Share {
    entryIds = entryIds == null ? List.of() : List.copyOf(entryIds);
  }

  /** A share of one folder (or file). */
  public Share(String key, String password, long uid, long rootId, Instant expiresAt) {
    this(key, password, uid, rootId, expiresAt, List.of());
  }

  /** A share of several entries, as {@code share/create} makes. */
  public static Share ofEntries(String key, String password, long uid, List<Long> entryIds, Instant expiresAt) {
    if (entryIds == null || entryIds.isEmpty()) throw new IllegalArgumentException("a share needs at least one entry");
    return new Share(key, password, uid, FakeStore.ROOT, expiresAt, entryIds);
  }

  /** True for a share of a list of entries. */
  public boolean ofEntries() {
    return !entryIds.isEmpty();
  }
}
