package io.github.pan4j.core;

import io.github.pan4j.core.internal.DrivePaths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads of one drive fetched through another ({@link Drive.Builder#downloadThrough}): the file
 * is created in the reference drive by its MD5 and size (instant upload, no bytes sent), once per
 * content and name, in {@code <cacheFolder>/<md5>/<name>}, and the reference's link is used. One instance
 * per drive; thread-safe.
 */
final class ThroughCache {
  private static final Logger LOG = LoggerFactory.getLogger(Drive.class);
  private static final int REMEMBERED = 1_024;

  private final Drive reference;
  private final String folder;
  private final Drive.Through when;
  /** Copy key ({@code md5:size/name}) → the copy being found or created now; one creator per key. */
  private final Map<String, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();
  /** Copy key → path of the copy in the reference, for the copies used lately (LRU). */
  private final Map<String, String> copies = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  };

  ThroughCache(Drive reference, String folder, Drive.Through when) {
    this.reference = reference;
    this.folder = folder;
    this.when = when;
  }

  Drive.Through when() {
    return when;
  }

  String referenceId() {
    return reference.id();
  }

  /** The content key of {@code e}, or null when it cannot go through: no MD5, or empty. */
  static String key(Entry e) {
    String md5 = e.hashes() == null ? null : e.hashes().md5();
    if (md5 == null || !md5.matches("[0-9a-fA-F]{32}") || e.size() <= 0) return null;
    return md5.toLowerCase(Locale.ROOT) + ":" + e.size();
  }

  /** Why {@code e} cannot go through (for {@link #key} null). */
  static String whyNot(Entry e) {
    return e.size() == 0 ? "the file is empty" : "the listing gives no MD5 for it";
  }

  /**
   * The reference's link to a copy of {@code e} (which has a {@link #key}), made by instant upload
   * when there is none yet.
   *
   * @throws ContentUnknown when the provider of the reference does not know the content
   * @throws DriveException any other failure of the reference, as the reference reported it
   */
  Link link(Entry e) {
    // One copy per content and name: the reference's link names the file it serves (a browser
    // sent there saves it under that name), so a content shared under two names gets two copies,
    // each made by instant upload at no cost in bytes.
    String key = key(e) + "/" + e.name();
    String known = remembered(key);
    if (known != null) {
      try {
        return reference.link(known);
      } catch (NotFoundException gone) {
        forget(key, known); // removed from the reference behind our back: find or make it again
      }
    }
    return reference.link(copyOf(key, e));
  }

  private String copyOf(String key, Entry e) {
    while (true) {
      CompletableFuture<String> mine = new CompletableFuture<>();
      CompletableFuture<String> running = inFlight.putIfAbsent(key, mine);
      if (running == null) return create(key, e, mine);
      String path = await(running);
      if (path != null) return path;
      // The creator was stopped by its own interrupt (or its drive's close): that says nothing
      // about this download, which finds or makes the copy itself.
    }
  }

  private String create(String key, Entry e, CompletableFuture<String> mine) {
    try {
      String known = remembered(key); // a creator that finished just before we came in
      String path = known != null ? known : findOrCreate(key, e);
      remember(key, path);
      mine.complete(path);
      return path;
    } catch (RuntimeException | Error failure) {
      inFlight.remove(key, mine); // before waking the waiters: one that takes over must not find this one
      mine.completeExceptionally(failure);
      throw failure;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private String findOrCreate(String key, Entry e) {
    String md5 = key.substring(0, 32);
    String dir = DrivePaths.child(folder, md5);
    try {
      for (Entry c : reference.ls(dir)) {
        if (!c.folder() && c.name().equals(e.name()) && c.size() == e.size() && md5.equalsIgnoreCase(c.hashes().md5())) {
          return c.path();
        }
      }
    } catch (NotFoundException none) {
      // no copy of this content yet
    }
    reference.mkdirs(dir);
    Entry created;
    try {
      created = reference.put(DrivePaths.child(dir, e.name()), UploadSource.ofHashes(e.size(), md5, null),
          UploadOptions.DEFAULT.withConflict(ConflictPolicy.KEEP_BOTH));
    } catch (NotFoundException unknown) {
      throw new ContentUnknown(unknown);
    }
    LOG.debug("pan4j: '{}' stored in {} by its MD5 and size as '{}' to download through it", e.name(), reference.id(),
        created.path());
    return created.path();
  }

  /** The creator's path, or null when the creator was cancelled (its failure is not this caller's). */
  private static String await(CompletableFuture<String> running) {
    try {
      return running.get();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw DriveException.builder(ErrorKind.CANCELLED, "interrupted while another download made the cached copy")
          .retryable(false).cause(ie).build();
    } catch (ExecutionException failed) {
      Throwable c = failed.getCause();
      if (c instanceof ContentUnknown u) throw new ContentUnknown(u.failure);
      if (c instanceof DriveException d && d.kind() == ErrorKind.CANCELLED) return null;
      if (c instanceof DriveException d) throw d.toBuilder().cause(d).build(); // this thread's stack, same kind
      if (c instanceof RuntimeException r) throw r;
      if (c instanceof Error err) throw err;
      throw new IllegalStateException(c);
    }
  }

  private String remembered(String key) {
    synchronized (copies) {
      return copies.get(key);
    }
  }

  private void remember(String key, String path) {
    synchronized (copies) {
      copies.put(key, path);
    }
  }

  private void forget(String key, String path) {
    synchronized (copies) {
      copies.remove(key, path);
    }
  }

  /**
   * An error of the reference put into words for the drive downloading through it: names the
   * reference and the cache folder, keeps the kind, provider code and trace id, says what to do.
   * {@code refused}, when not null, is the drive's own refusal that sent the download here.
   */
  DriveException failed(DriveException failure, String ownId, DriveException refused) {
    String before = refused == null ? "" : refused.reason() + "; then ";
    // Kinds about paths concern the reference's cache folder, not this drive's file: told as such,
    // so that a caller does not take the file for missing (or a folder).
    ErrorKind kind = switch (failure.kind()) {
      case NOT_FOUND -> ErrorKind.PROVIDER_ERROR; // the copy or its folder vanished meanwhile
      case NOT_A_DIRECTORY, IS_A_DIRECTORY, ALREADY_EXISTS -> ErrorKind.CONFIG_INVALID; // the cache folder is in the way
      default -> failure.kind();
    };
    boolean retryable = failure.kind() == ErrorKind.NOT_FOUND || kind == failure.kind() && failure.retryable();
    // The reference's own context, once; its provider code and trace id go at the end, as always.
    String where = failure.driverId().map(d -> d + ": ").orElse("")
        + failure.operation().map(o -> o + failure.target().map(t -> " " + t).orElse("") + ": ").orElse("");
    // An interrupt (or the reference being closed) stopped it: there is nothing to fix.
    String advice = failure.kind() == ErrorKind.CANCELLED ? ""
        : refused == null ? "; fix that, or open the " + ownId + " drive without downloadThrough"
        : "; fix that and retry";
    DriveException d = DriveException.builder(kind, before + "downloading it through the " + reference.id()
            + " drive (cache folder '" + folder + "') failed: " + where + failure.reason() + advice)
        .providerFrom(failure).retryable(retryable).retryAfter(failure.retryAfter().orElse(null))
        .cause(failure).build();
    if (refused != null) d.addSuppressed(refused);
    return d;
  }

  /** The provider of the reference does not store the content: no instant upload possible. */
  static final class ContentUnknown extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final NotFoundException failure;

    ContentUnknown(NotFoundException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }
}
