package io.github.pan4j.core;

/**
 * How far a copy of several entries got: {@code copied} of {@code total} top-level entries are
 * done. Reported at least once at the end ({@code copied == total}); how often before that depends
 * on the provider (one entry at a time, or one server-side task of many entries at a time).
 *
 * @param copied top-level entries copied so far (a folder counts once, with everything in it)
 * @param total top-level entries asked for
 */
public record CopyProgress(int copied, int total) {
  public CopyProgress {
    if (total < 0 || copied < 0 || copied > total) {
      throw new IllegalArgumentException("copied " + copied + " of " + total);
    }
  }

  /** True when every entry is copied. */
  public boolean done() {
    return copied == total;
  }
}
