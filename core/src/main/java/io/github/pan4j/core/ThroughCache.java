package io.github.pan4j.core;

import io.github.pan4j.core.internal.DrivePaths;
import java.util.LinkedHashMap;
import java.util.List;
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
  private final Map<String, CompletableFuture<Copy>> inFlight = new ConcurrentHashMap<>();
  /** Copy key → the copy in the reference, for the copies used lately (LRU). */
  private final Map<String, Copy> copies = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Copy> eldest) {
      return size() > REMEMBERED;
    }
  };

  /**
   * A copy in the reference: its path, and its id there, which is linked directly (123 keeps a
   * file's id while it lives; a copy removed, or moved to the trash, is NOT_FOUND by id).
   */
  private record Copy(String path, String id) {}

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
    String key = copyKey(e);
    Copy known = remembered(key);
    if (known != null) {
      // Removed (or trashed) in the reference behind our back, or overwritten there with other
      // bytes (its link says so when it gives an MD5 or size): found or made once more, once.
      try {
        Link l = reference.linkCopy(known.path(), known.id());
        if (!otherContent(l, e)) return l;
        LOG.debug("pan4j: the copy '{}' in {} has other content now; looking for a right one", known.path(),
            reference.id());
      } catch (NotFoundException gone) {
        // looked for again below
      }
      forget(key, known);
    }
    Copy c = copyOf(key, e);
    try {
      return reference.linkCopy(c.path(), c.id());
    } catch (NotFoundException gone) {
      forget(key, c); // gone already: the next download looks again rather than link it once more
      throw gone;
    }
  }

  /**
   * After {@link Drive#get} found the bytes fetched for {@code e} wrong: whether the remembered
   * copy of {@code e} is to blame (gone, or of another MD5 or size by the reference's own
   * metadata: replaced behind our back). Then it is forgotten, and true says that a second try
   * finds or makes a right copy. False when no copy is remembered, or it is as it should be (the
   * bytes broke on the way), or the reference could not say.
   */
  boolean forgetIfChanged(Entry e) {
    String key = copyKey(e);
    Copy known = remembered(key);
    if (known == null) return false;
    boolean changed;
    try {
      changed = !sameContent(reference.statById(known.id()), e);
    } catch (NotFoundException gone) {
      changed = true;
    } catch (DriveException unknown) {
      LOG.debug("pan4j: could not check the copy '{}' in {}: {}", known.path(), reference.id(), unknown.getMessage());
      return false;
    }
    if (changed) forget(key, known);
    return changed;
  }

  /** Whether {@code l} says that it serves content other than that of {@code e}. */
  private static boolean otherContent(Link l, Entry e) {
    return !holds(e, l.md5().orElse(e.hashes().md5()), l.contentLength().orElse(e.size()));
  }

  private static String copyKey(Entry e) {
    return key(e) + "/" + e.name();
  }

  /** Whether {@code c} is a file of the content of {@code e}. */
  private static boolean sameContent(Entry c, Entry e) {
    return !c.folder() && c.hashes() != null && holds(e, c.hashes().md5(), c.size());
  }

  /**
   * Whether a file of MD5 {@code md5} (any case; null when not known) and {@code size} bytes holds
   * the content of {@code e} (which has a {@link #key}).
   */
  private static boolean holds(Entry e, String md5, long size) {
    return md5 != null && size == e.size() && md5.equalsIgnoreCase(e.hashes().md5());
  }

  private Copy copyOf(String key, Entry e) {
    while (true) {
      CompletableFuture<Copy> mine = new CompletableFuture<>();
      CompletableFuture<Copy> running = inFlight.putIfAbsent(key, mine);
      if (running == null) return create(key, e, mine);
      Copy copy = await(running);
      if (copy != null) return copy;
      // The creator was stopped by its own interrupt (or its drive's close): that says nothing
      // about this download, which finds or makes the copy itself.
    }
  }

  private Copy create(String key, Entry e, CompletableFuture<Copy> mine) {
    try {
      Copy known = remembered(key); // a creator that finished just before we came in
      Copy copy = known != null ? known : findOrCreate(e);
      remember(key, copy);
      mine.complete(copy);
      return copy;
    } catch (RuntimeException | Error failure) {
      inFlight.remove(key, mine); // before waking the waiters: one that takes over must not find this one
      mine.completeExceptionally(failure);
      throw failure;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private Copy findOrCreate(Entry e) {
    String md5 = e.hashes().md5().toLowerCase(Locale.ROOT);
    String dir = DrivePaths.child(folder, md5);
    Look before = look(dir, e);
    if (before.copy() != null) return before.copy();
    reference.mkdirs(dir);
    // A file of other content where the copy belongs (the folder is the content's, so it was changed
    // behind pan4j's back) is no copy: replaced, or every process would make one more copy beside it.
    ConflictPolicy conflict = before.taken() ? ConflictPolicy.OVERWRITE : ConflictPolicy.KEEP_BOTH;
    Entry created;
    try {
      created = reference.put(DrivePaths.child(dir, e.name()), UploadSource.ofHashes(e.size(), md5, null),
          UploadOptions.DEFAULT.withConflict(conflict));
    } catch (NotFoundException unknown) {
      throw new ContentUnknown(unknown);
    }
    LOG.debug("pan4j: '{}' stored in {} by its MD5 and size as '{}' to download through it", e.name(), reference.id(),
        created.path());
    Copy mine = new Copy(created.path(), created.id());
    if (created.name().equals(e.name())) return mine;
    // The name was taken when ours arrived, so the provider named ours otherwise: most likely
    // another process (no memory shared with this one) made the same copy meanwhile. Theirs is the
    // one every process finds by name; ours goes.
    Copy theirs = look(dir, e).copy();
    if (theirs == null) return mine;
    discard(mine);
    return theirs;
  }

  /**
   * What folder {@code dir} of the reference holds at the name of {@code e}: the copy (a file of
   * the content of {@code e}), or whether a file of other content takes the name.
   */
  private record Look(Copy copy, boolean taken) {}

  private Look look(String dir, Entry e) {
    try {
      for (Entry c : reference.ls(dir)) {
        if (!c.name().equals(e.name())) continue;
        return sameContent(c, e) ? new Look(new Copy(c.path(), c.id()), true) : new Look(null, !c.folder());
      }
    } catch (NotFoundException none) {
      // no copy of this content yet
    }
    return new Look(null, false);
  }

  /** Removes a copy not needed; a failure only leaves it behind (logged). */
  private void discard(Copy c) {
    try {
      if (removeForGood(c.path(), c.id())) {
        LOG.debug("pan4j: removed '{}' from {}: another download had made the same copy", c.path(), reference.id());
      }
    } catch (DriveException failed) {
      LOG.debug("pan4j: could not remove the extra copy '{}' from {}: {}", c.path(), reference.id(), failed.getMessage());
    }
  }

  /**
   * Removes entry {@code id} at {@code path} of the reference, then out of its trash where it has
   * one (what is in 123's trash still counts against the account's space). False when nothing was
   * at the path.
   */
  private boolean removeForGood(String path, String id) {
    if (!reference.remove(path)) return false;
    if (reference.supports(Capability.TRASH)) reference.purge(List.of(id));
    return true;
  }

  /** See {@link Drive#removeThroughCopies()}. */
  boolean removeAll() {
    synchronized (copies) {
      copies.clear();
    }
    Entry dir;
    try {
      dir = reference.stat(folder);
    } catch (NotFoundException none) {
      return false;
    }
    if (!dir.folder()) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID, "the cache folder '" + folder + "' of the " + reference.id()
          + " drive is a file, not a folder of copies; it was left alone: remove it yourself, or choose another"
          + " cache folder").retryable(false).build();
    }
    return removeForGood(folder, dir.id());
  }

  /** The creator's copy, or null when the creator was cancelled (its failure is not this caller's). */
  private static Copy await(CompletableFuture<Copy> running) {
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

  private Copy remembered(String key) {
    synchronized (copies) {
      return copies.get(key);
    }
  }

  private void remember(String key, Copy copy) {
    synchronized (copies) {
      copies.put(key, copy);
    }
  }

  private void forget(String key, Copy copy) {
    synchronized (copies) {
      copies.remove(key, copy);
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
