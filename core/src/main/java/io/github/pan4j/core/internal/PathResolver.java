package io.github.pan4j.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.NotFoundException;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.spi.Driver;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Turns normalised paths into driver ids, with a bounded, expiring cache from path to id.
 *
 * <p>Child lookup pages through {@link Driver#list} and takes the first entry whose name equals
 * the segment exactly (NFC), in provider order; so when a provider allows two entries of one name
 * in a folder, the first listed wins. The root is the driver's {@link Driver#rootId()}.
 *
 * <p>A cache hit is trusted until the driver contradicts it: when listing a cached folder id
 * reports NOT_FOUND, the path's cached ancestors and subtree are forgotten and the path is
 * resolved once more from the root before NOT_FOUND is reported. Callers use
 * {@link Resolved#fromCache()} to do the same for errors of their own calls.
 *
 * <p>Thread-safe. Guarded by Caffeine's own concurrency; no locks here.
 */
public final class PathResolver {
  private final Driver driver;
  private final Cache<String, Node> cache;
  private final LongSupplier ticker;
  /** How long a node's entry may answer {@link #freshEntry}; 0 keeps no entries. */
  private final long entryTtlNanos;

  /** A resolver that caches ids only (every metadata read goes to the driver). */
  public PathResolver(Driver driver, long maxSize, Duration ttl, LongSupplier ticker) {
    this(driver, maxSize, ttl, Duration.ZERO, ticker);
  }

  /**
   * @param maxSize most paths kept
   * @param ttl how long a path stays cached after it was resolved
   * @param entryTtl how long the entry (size, times, hash) last seen for a path is reused by
   *     {@link #freshEntry}; zero keeps no entries. Never longer than {@code ttl} in effect, since the
   *     node itself expires then.
   * @param ticker nanosecond time source (System::nanoTime in production)
   */
  public PathResolver(Driver driver, long maxSize, Duration ttl, Duration entryTtl, LongSupplier ticker) {
    this.driver = Objects.requireNonNull(driver, "driver");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.entryTtlNanos = entryTtl.isNegative() ? 0 : entryTtl.toNanos();
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxSize)
        .expireAfterWrite(ttl)
        .ticker(ticker::getAsLong)
        .executor(Runnable::run) // maintenance on the caller: deterministic with a fake ticker
        .build();
  }

  /** What a path resolved to. {@code entry} is fresh from a listing, or null when the node came from the cache. */
  public record Resolved(String path, String id, boolean folder, Entry entry, boolean fromCache) {}

  /**
   * A cached node: the id and whether it is a folder; with entry caching on, also the entry last
   * seen for the path and when ({@link #ticker} nanos), else null and 0.
   */
  record Node(String id, boolean folder, Entry entry, long seenAt) {
    Node(String id, boolean folder) {
      this(id, folder, null, 0);
    }
  }

  /** The node to cache for {@code e}: with the entry itself only when entries are kept. */
  private Node node(Entry e) {
    return entryTtlNanos > 0 ? new Node(e.id(), e.folder(), e, ticker.getAsLong()) : new Node(e.id(), e.folder());
  }

  /**
   * The entry last seen for {@code path} (from a listing, a stat or a write through the drive) when
   * entry caching is on and it was seen less than the entry TTL ago; else null. Never calls the driver.
   */
  public Entry freshEntry(String path) {
    if (entryTtlNanos <= 0 || DrivePaths.ROOT.equals(path)) return null;
    Node n = cache.getIfPresent(path);
    if (n == null || n.entry() == null || ticker.getAsLong() - n.seenAt() >= entryTtlNanos) return null;
    return n.entry().withPath(path);
  }

  /** Whether {@link #freshEntry} can ever answer (an entry TTL was set). */
  public boolean keepsEntries() {
    return entryTtlNanos > 0;
  }

  /**
   * Resolves a normalised path.
   *
   * @throws NotFoundException when a segment does not exist
   * @throws DriveException NOT_A_DIRECTORY when a segment before the last is a file
   */
  public Resolved resolve(String path) {
    try {
      return resolveOnce(path, true);
    } catch (StaleException stale) {
      forget(path);
      return resolveOnce(path, false);
    }
  }

  /** Resolves without reading the cache (results are still stored). */
  public Resolved resolveFresh(String path) {
    forget(path);
    return resolveOnce(path, false);
  }

  private Resolved resolveOnce(String path, boolean useCache) {
    if (DrivePaths.ROOT.equals(path)) return new Resolved(path, driver.rootId(), true, null, false);
    String cur = path;
    Node node = null;
    if (useCache) {
      while (!DrivePaths.ROOT.equals(cur)) {
        node = cache.getIfPresent(cur);
        if (node != null) break;
        cur = DrivePaths.parent(cur);
      }
    }
    boolean fromCache = node != null;
    if (node == null) {
      cur = DrivePaths.ROOT;
      node = new Node(driver.rootId(), true);
    }
    if (cur.equals(path)) return new Resolved(path, node.id(), node.folder(), null, true);
    Entry entry = null;
    int pos = cur.length();
    while (pos < path.length()) {
      int start = DrivePaths.ROOT.equals(cur) ? 1 : pos + 1;
      int end = path.indexOf('/', start);
      if (end < 0) end = path.length();
      String name = path.substring(start, end);
      if (!node.folder()) {
        throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "'" + cur + "' is a file, not a folder").target(path).build();
      }
      try {
        entry = findChild(node.id(), name);
      } catch (NotFoundException e) {
        // The folder id itself is gone: if it came from the cache, it was stale.
        if (fromCache) throw new StaleException();
        throw e;
      }
      if (entry == null) {
        throw DriveException.builder(ErrorKind.NOT_FOUND, "no entry '" + name + "' in '" + cur + "'").target(path).build();
      }
      cur = DrivePaths.child(cur, name);
      node = node(entry);
      cache.put(cur, node);
      fromCache = false;
      pos = end;
    }
    return new Resolved(path, node.id(), node.folder(), entry.withPath(path), false);
  }

  /**
   * Resolves a normalised path whose last segment is always looked up afresh in its parent's
   * listing (the parent may come from the cache), so the returned entry is current.
   */
  public Resolved lookup(String path) {
    if (DrivePaths.ROOT.equals(path)) return resolve(path);
    String parentPath = DrivePaths.parent(path);
    String name = DrivePaths.name(path);
    Resolved parent = resolve(parentPath);
    Entry e;
    try {
      e = childOf(parent, name, path);
    } catch (NotFoundException nf) {
      if (!parent.fromCache()) throw nf;
      parent = resolveFresh(parentPath);
      e = childOf(parent, name, path);
    }
    if (e == null) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "no entry '" + name + "' in '" + parentPath + "'").target(path).build();
    }
    cache.put(path, node(e));
    return new Resolved(path, e.id(), e.folder(), e.withPath(path), false);
  }

  private Entry childOf(Resolved parent, String name, String path) {
    if (!parent.folder()) {
      throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "'" + parent.path() + "' is a file, not a folder").target(path).build();
    }
    return findChild(parent.id(), name);
  }

  /** The cached node of a path as a {@link Resolved} with {@code fromCache} set, or null. */
  public Resolved cached(String path) {
    if (DrivePaths.ROOT.equals(path)) return new Resolved(path, driver.rootId(), true, null, false);
    Node n = cache.getIfPresent(path);
    return n == null ? null : new Resolved(path, n.id(), n.folder(), null, true);
  }

  /**
   * The first child of {@code folderId} named {@code name}, by paging through the listing; null when
   * there is none. Never uses the cache.
   */
  public Entry findChild(String folderId, String name) {
    String cursor = null;
    do {
      Page page = driver.list(folderId, cursor);
      for (Entry e : page.entries()) {
        if (name.equals(e.name()) || name.equals(java.text.Normalizer.normalize(e.name(), java.text.Normalizer.Form.NFC))) {
          return e;
        }
      }
      String next = page.nextCursor();
      if (next != null && next.equals(cursor)) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "the driver returned the same cursor twice while listing").target(folderId).build();
      }
      cursor = next;
    } while (cursor != null);
    return null;
  }

  /** Records that {@code path} is {@code entry}. */
  public void remember(String path, Entry entry) {
    if (!DrivePaths.ROOT.equals(path)) cache.put(path, node(entry));
  }

  /** Forgets {@code path} and everything below it (after rename, move, remove or overwrite). */
  public void invalidateSubtree(String path) {
    if (DrivePaths.ROOT.equals(path)) {
      cache.invalidateAll();
      return;
    }
    cache.asMap().keySet().removeIf(k -> DrivePaths.isSameOrBelow(k, path));
  }

  /** Forgets {@code path}, its subtree and all its ancestors: what a stale hit calls for. */
  public void forget(String path) {
    invalidateSubtree(path);
    for (String p = path; !DrivePaths.ROOT.equals(p); p = DrivePaths.parent(p)) cache.invalidate(p);
  }

  /** Number of cached paths; for tests and diagnostics. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Signals a stale cached id inside {@link #resolve}; never escapes this class. */
  private static final class StaleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleException() {
      super(null, null, false, false);
    }
  }
}
