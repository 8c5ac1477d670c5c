package io.github.pan4j.core.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks picked by key hash, so work on one key is serialised without keeping a lock
 * per key. Two keys may share a lock; that only costs parallelism.
 */
public final class StripedLocks {
  private final ReentrantLock[] locks;

  public StripedLocks(int stripes) {
    if (stripes < 1 || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two but was " + stripes);
    }
    locks = new ReentrantLock[stripes];
    for (int i = 0; i < stripes; i++) locks[i] = new ReentrantLock();
  }

  /** The lock for {@code key}. */
  public ReentrantLock lockFor(Object key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    return locks[h & (locks.length - 1)];
  }
}
