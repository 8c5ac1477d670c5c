package io.github.pan4j.core;

import io.github.pan4j.core.internal.DrivePaths;
import io.github.pan4j.core.internal.Downloads;
import io.github.pan4j.core.internal.PagingIterator;
import io.github.pan4j.core.internal.PathResolver;
import io.github.pan4j.core.internal.PathResolver.Resolved;
import io.github.pan4j.core.internal.SafeListener;
import io.github.pan4j.core.internal.StripedLocks;
import io.github.pan4j.core.internal.WalkIterator;
import io.github.pan4j.core.internal.http.OpenDownloads;
import io.github.pan4j.core.spi.Driver;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What you work with: a storage drive addressed by paths (and ids), over any {@link Driver}.
 *
 * <pre>{@code
 * try (Drive drive = Drives.open("memory", Map.of())) {
 *   drive.mkdirs("/docs/2024");
 *   drive.put("/docs/2024/notes.txt", Path.of("notes.txt"));
 *   drive.ls("/docs/2024").forEach(System.out::println);
 *   drive.get("/docs/2024/notes.txt", Path.of("copy.txt"));
 * }
 * }</pre>
 *
 * <h2>Paths</h2>
 * A path is absolute and {@code /}-separated: {@code "/"} is the driver's root folder
 * ({@link Driver#rootId()}), {@code "/a/b.txt"} the entry {@code b.txt} in folder {@code a}.
 * Paths are normalised to Unicode NFC before use, so a decomposed {@code "e\u0301"} and a composed
 * {@code "\u00e9"} name the same entry. Refused with {@link ErrorKind#INVALID_ARGUMENT}: relative
 * paths, empty segments ({@code "/a//b"}), {@code "."} and {@code ".."} segments, blank segments,
 * control characters (U+0000–U+001F, U+007F–U+009F), and a trailing {@code '/'} on anything but the
 * root. Names given on their own (to {@link #rename}) follow the same rules, must not contain
 * {@code '/'}, and are refused with {@link ErrorKind#INVALID_NAME}. Drivers may refuse further
 * names by their provider's rules.
 *
 * <p>Where a provider lets one folder hold two entries of the same name, a path names the
 * <em>first</em> of them in the provider's listing order.
 *
 * <h2>Path cache</h2>
 * Paths are turned into ids by listing folders; the results are cached (bounded size, expiring
 * after {@link Builder#cacheTtl}, one minute by default). Every write through this drive updates
 * the cache (the subtree of a renamed, moved or removed path is forgotten). A change made behind
 * the drive's back (another program, the provider's web UI) is seen when the cache entry expires,
 * or earlier when the driver reports a cached id as gone: the path is then resolved once more from
 * the root before {@link ErrorKind#NOT_FOUND} is reported. {@link #stat}, {@link #get},
 * {@link #remove}, {@link #rename} and {@link #move} additionally check a cached id against the
 * driver before they act, so they never act on an entry that has moved elsewhere.
 *
 * <p>Metadata is not cached by default: every {@link #stat} asks the provider. With
 * {@link Builder#entryTtl} the entry last seen for a path (listed, stat'ed or written here) answers
 * {@link #stat} and {@link #exists} for that long, e.g. for a WebDAV server that stats each path of
 * a folder it has just listed; {@link #get} still reads fresh metadata.
 *
 * <h2>Capabilities and errors</h2>
 * Every operation is offered whatever the driver; one the driver lacks fails with
 * {@link UnsupportedException} naming the driver and operation, before anything is sent. Check
 * {@link #capabilities()} to grey out what a driver cannot do. Every {@link DriveException} thrown
 * here carries the driver id, the operation ({@code stat}, {@code put}, …) and the path as given;
 * the driver's original error, when there was one, is its cause.
 *
 * <h2>Threads and lifecycle</h2>
 * A drive is thread-safe. It owns its driver: {@link #close()} closes the driver, is idempotent,
 * and any call after it throws {@link IllegalStateException}. An operation running on another
 * thread when the drive closes stops at its next request with {@link ErrorKind#CANCELLED} (the 123
 * drivers cancel their requests in flight); an upload stopped before its bytes were all sent
 * stores nothing.
 *
 * <p>To cancel one operation and keep the drive, interrupt the thread that runs it (for a task on
 * an executor, {@code future.cancel(true)}): it fails with {@link ErrorKind#CANCELLED} and the
 * interrupt flag stays set. An upload's listener then gets {@code failed}, never
 * {@code completed}; one stopped before its bytes were all sent stores nothing, and one stopped
 * later says so with {@link DriveException#mayHaveTakenEffect()}.
 */
public final class Drive implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Drive.class);
  private final Driver driver;
  private final String id;
  private final Set<Capability> capabilities;
  private final PathResolver resolver;
  private final StripedLocks mkdirLocks = new StripedLocks(64);
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Null unless the builder set {@link Builder#downloadThrough}. */
  private final ThroughCache through;
  /** The downloads this drive runs through its reference, ended by {@link #close()}; null without a reference. */
  private final OpenDownloads throughDownloads;

  private Drive(Builder b) {
    this.driver = b.driver;
    this.id = Objects.requireNonNull(driver.id(), "driver.id()");
    Set<Capability> caps = driver.capabilities();
    this.capabilities = Collections.unmodifiableSet(caps.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(caps));
    this.resolver = new PathResolver(driver, b.cacheSize, b.cacheTtl, b.entryTtl, b.ticker);
    this.through = b.throughDrive == null ? null : new ThroughCache(b.throughDrive, b.throughFolder, b.throughWhen);
    this.throughDownloads = through == null ? null
        : new OpenDownloads(id, "its bytes came through the " + through.referenceId() + " drive, which stays open");
  }

  /** A drive over {@code driver} with default cache settings. The drive takes ownership of the driver. */
  public static Drive of(Driver driver) {
    return builder(driver).build();
  }

  /** A builder for a drive over {@code driver}, to tune the path cache. */
  public static Builder builder(Driver driver) {
    return new Builder(driver);
  }

  /** The driver id, such as {@code memory} or {@code 123open}. */
  public String id() {
    return id;
  }

  /** The driver underneath, for id-based calls this facade does not offer. */
  public Driver driver() {
    ensureOpen();
    return driver;
  }

  /** What the driver can do (an unmodifiable set). */
  public Set<Capability> capabilities() {
    return capabilities;
  }

  /** True when the driver offers {@code capability}. */
  public boolean supports(Capability capability) {
    return capabilities.contains(capability);
  }

  // ---------------------------------------------------------------- reading

  /**
   * The entry at {@code path}, with current metadata and its path set. {@code "/"} gives a folder
   * entry for the root, named {@code ""}. Works on every driver: one without
   * {@link Capability#STAT} (a share, say) answers from a listing of the parent folder, so a host
   * need not grey out an info view for lack of STAT, which {@link #statById} alone requires.
   *
   * @throws NotFoundException when nothing is at the path
   * @throws DriveException NOT_A_DIRECTORY when a parent segment is a file
   */
  public Entry stat(String path) {
    return call("stat", path, this::statCached);
  }

  /** True when an entry exists at {@code path}; errors other than NOT_FOUND are thrown. */
  public boolean exists(String path) {
    return call("exists", path, p -> {
      try {
        statCached(p);
        return true;
      } catch (NotFoundException e) {
        return false;
      }
    });
  }

  /**
   * The entry with driver id {@code id} (its path is not known and left null).
   *
   * @throws UnsupportedException when the driver has no {@link Capability#STAT}
   * @throws NotFoundException when there is no such entry
   */
  public Entry statById(String id) {
    Objects.requireNonNull(id, "id");
    return guard("stat", id, () -> {
      require(Capability.STAT, "stat");
      return ((Driver.Stat) driver).stat(id);
    });
  }

  /**
   * The children of folder {@code path}, fully read into a list. Use {@link #list} for large folders.
   *
   * @throws NotFoundException when the folder does not exist
   * @throws DriveException NOT_A_DIRECTORY when {@code path} is a file
   */
  public List<Entry> ls(String path) {
    try (Stream<Entry> s = list(path)) {
      return s.toList();
    }
  }

  /**
   * The children of folder {@code path}, in the provider's order, each with its path. The first
   * page is fetched now (so a missing folder fails here); later pages are fetched only as the
   * stream is consumed, and at most one page is held at a time, so a folder of any size can be
   * streamed. Close the stream (try-with-resources) to stop early; an error on a later page is
   * thrown from the stream's terminal operation.
   *
   * @throws NotFoundException when the folder does not exist
   * @throws DriveException NOT_A_DIRECTORY when {@code path} is a file
   */
  public Stream<Entry> list(String path) {
    return call("list", path, p -> withResolved(p, r -> {
      if (!r.folder()) throw notADirectory(p);
      Page first = driver.list(r.id(), null);
      Function<Entry, Entry> decorate = resolver.keepsEntries()
          ? e -> {
            Entry child = e.withPath(childPath(p, e));
            resolver.remember(child.path(), child); // a stat of it within the entry TTL asks nobody
            return child;
          }
          : e -> e.withPath(childPath(p, e));
      return stream(new PagingIterator(first, pager("list", path, r.id()), decorate::apply));
    }));
  }

  /**
   * The children of the folder with driver id {@code folderId}, paged lazily like {@link #list}.
   * Entries carry no path unless {@code folderId} is the root's id.
   *
   * @throws NotFoundException when the folder does not exist
   */
  public Stream<Entry> listById(String folderId) {
    Objects.requireNonNull(folderId, "folderId");
    return guard("list", folderId, () -> {
      Page first = driver.list(folderId, null);
      Function<Entry, Entry> decorate = folderId.equals(driver.rootId())
          ? e -> e.withPath(childPath(DrivePaths.ROOT, e)) : e -> e;
      return stream(new PagingIterator(first, pager("list", folderId, folderId), decorate::apply));
    });
  }

  /**
   * The entry at {@code path} followed by everything below it, depth first (a folder comes before
   * its children), lazily: folders are listed only as the stream reaches them. Close the stream to
   * stop early.
   *
   * @throws NotFoundException when nothing is at the path
   */
  public Stream<Entry> walk(String path) {
    return call("walk", path, p -> {
      Entry start = statAt(p);
      WalkIterator it = new WalkIterator(start,
          folder -> new PagingIterator(null, pager("walk", path, folder.id()), c -> c.withPath(childPath(folder.path(), c))));
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
          .onClose(it::close);
    });
  }

  /**
   * A link to the bytes of the file at {@code path}; {@link Link#open()} fetches them, checked
   * against the size and MD5, and {@link Link#open(long, long)} a range of them (what a host
   * answering HTTP Range requests uses).
   *
   * @throws NotFoundException when the file does not exist
   * @throws DriveException IS_A_DIRECTORY for a folder
   */
  public Link link(String path) {
    return call("link", path, p -> withResolved(p, r -> {
      if (r.folder()) throw isADirectory(p);
      return linkOf(r.id(), () -> current(r).entry());
    }));
  }

  /**
   * A link to the bytes of the file with driver id {@code fileId}: always the driver's own, also
   * with {@link Builder#downloadThrough} (an id alone does not give the MD5 to go through with).
   */
  public Link linkById(String fileId) {
    Objects.requireNonNull(fileId, "fileId");
    return guard("link", fileId, () -> driver.link(fileId));
  }

  /**
   * Removes the copies that downloads through the reference drive made (see
   * {@link Builder#downloadThrough}): its whole cache folder, for good where the reference has a
   * trash (removed, then purged from the trash, so that the account gets the space back), and
   * forgets them here. Later downloads make their copies again. A download through that folder
   * running at the same moment, here or in another process, may fail (retryable) or make its
   * copy again. Costs the reference a stat of the folder, its removal and, with a trash, the purge.
   *
   * @return true when there was a cache folder to remove, false when there was none
   * @throws IllegalStateException when this drive was built without {@link Builder#downloadThrough}
   * @throws DriveException CONFIG_INVALID when the cache folder is a file (left alone); any failure
   *     of the reference, as the reference reported it
   */
  public boolean removeThroughCopies() {
    if (through == null) {
      throw new IllegalStateException("the " + id + " drive downloads through no other drive: it was built without"
          + " downloadThrough, so it made no copies");
    }
    ensureOpen();
    return through.removeAll();
  }

  /**
   * The link to file {@code fileId}, which is at {@code path} (for {@link ThroughCache}: one
   * request, no path to resolve; an error names the path).
   */
  Link linkCopy(String path, String fileId) {
    return guard("link", path, () -> driver.link(fileId));
  }

  /** Downloads the file at {@code path} to {@code target}; see {@link #get(String, Path, UploadListener)}. */
  public Entry get(String path, Path target) {
    return get(path, target, UploadListener.NONE);
  }

  /**
   * Downloads the file at {@code path} to {@code target}, replacing it if present. Bytes go to a
   * temporary file in the target's folder which is moved into place only after the byte count
   * (and MD5, when the entry has one) matched (a file listed as 0 bytes whose link states no
   * length, such as a {@code 123link} line without a size, has no count to match: it is taken as
   * served); on any failure the temporary file is deleted and
   * {@code target} is left as it was. The target's folder must exist.
   *
   * <p>The listener sees phases {@code TRANSFERRING}, {@code VERIFYING} and {@code DONE}, then
   * {@code completed(entry)}; or {@code failed(error)}. {@code DONE} carries the bytes received
   * (also for a file listed without a size, whose {@code TRANSFERRING} total is -1, unknown).
   *
   * @return the entry that was downloaded
   * @throws NotFoundException when the file does not exist
   * @throws DriveException IS_A_DIRECTORY for a folder, INTEGRITY when the bytes did not match,
   *     NETWORK when the download broke off, INVALID_ARGUMENT when the target cannot be written,
   *     CANCELLED on interrupt or when the drive is closed meanwhile
   */
  public Entry get(String path, Path target, UploadListener listener) {
    Objects.requireNonNull(target, "target");
    UploadListener l = SafeListener.wrap(listener);
    return reported(l, () -> call("get", path, p -> {
      Entry entry = statAt(p);
      if (entry.folder()) throw isADirectory(p);
      long received;
      try {
        received = Downloads.toFile(linkFor(p, entry), entry, target, l);
      } catch (DriveException wrong) {
        if (!copyWasWrong(wrong, entry)) throw wrong;
        received = Downloads.toFile(linkFor(p, entry), entry, target, l); // once more, through a right copy
      }
      // The bytes received, not the listed size: a file listed without one (0) still reports them.
      l.phase(new UploadProgress(UploadPhase.DONE, received, received, false));
      return entry;
    }));
  }

  /**
   * Writes the bytes of the file at {@code path} to {@code out} (which is not closed). Checks the
   * byte count and MD5 like {@link #get(String, Path, UploadListener)}, but the bytes are already
   * written when a mismatch is found, so treat the output as garbage on INTEGRITY. Only the
   * calling thread writes to {@code out}; for large files two helper threads read the network and
   * compute the MD5 meanwhile, and have ended by the time this returns or throws.
   *
   * @return the entry that was downloaded
   */
  public Entry get(String path, OutputStream out) {
    Objects.requireNonNull(out, "out");
    return call("get", path, p -> {
      Entry entry = statAt(p);
      if (entry.folder()) throw isADirectory(p);
      try {
        Downloads.toStream(linkFor(p, entry), entry, out, UploadListener.NONE);
      } catch (DriveException wrong) {
        // The bytes are written already: no second try here, but the caller's finds a right copy.
        if (copyWasWrong(wrong, entry)) {
          throw retold(wrong, wrong.reason() + "; the bytes came from a copy in the " + through.referenceId()
              + " drive that was changed there, which is now forgotten: retry to download through a right one");
        }
        throw wrong;
      }
      return entry;
    });
  }

  // ---------------------------------------------------------------- writing

  /**
   * Creates folder {@code path} and any missing parents, and returns it. Idempotent: existing
   * folders are kept. Concurrent calls on one drive never create twins: creation under one parent
   * is serialised.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#MKDIR}
   * @throws DriveException NOT_A_DIRECTORY when a segment exists as a file
   */
  public Entry mkdirs(String path) {
    return call("mkdirs", path, p -> {
      require(Capability.MKDIR, "mkdirs");
      if (DrivePaths.ROOT.equals(p)) return rootEntry();
      try {
        return mkdirsOnce(p);
      } catch (NotFoundException e) {
        resolver.forget(p); // a cached folder vanished: start again from the root once
        return mkdirsOnce(p);
      }
    });
  }

  /**
   * Uploads a byte array, failing if the name exists; see {@link #put(String, Path, UploadOptions)}.
   * With options (a conflict policy, a listener):
   * {@code put(path, UploadSource.ofBytes(content), options)}.
   */
  public Entry put(String path, byte[] content) {
    Objects.requireNonNull(content, "content");
    return putSource(path, UploadSource.ofBytes(content), UploadOptions.DEFAULT);
  }

  /** Uploads a file, failing if the name exists; see {@link #put(String, Path, UploadOptions)}. */
  public Entry put(String path, Path file) {
    return put(path, file, UploadOptions.DEFAULT);
  }

  /**
   * Uploads {@code file} as {@code path}. The parent folder must exist (see {@link #mkdirs}).
   * A name clash follows {@link UploadOptions#conflict()}: FAIL refuses with ALREADY_EXISTS before
   * anything is sent; KEEP_BOTH lets the provider pick a new name (the returned entry's path shows
   * it); OVERWRITE replaces the file. The listener sees the driver's phases and progress and exactly
   * one {@code completed} or {@code failed}.
   *
   * @return the stored entry with its path
   * @throws UnsupportedException when the driver has no {@link Capability#UPLOAD}
   * @throws NotFoundException when the parent folder does not exist
   * @throws AlreadyExistsException on a clash under {@link ConflictPolicy#FAIL}
   */
  public Entry put(String path, Path file, UploadOptions options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    UploadListener l = SafeListener.wrap(options.listener());
    return reported(l, () -> call("put", path, p -> {
      require(Capability.UPLOAD, "put");
      try (UploadSource source = UploadSource.ofFile(file)) {
        return upload(p, source, options.withListener(l));
      }
    }));
  }

  /** Uploads a stream, failing if the name exists; see {@link #put(String, InputStream, long, UploadOptions)}. */
  public Entry put(String path, InputStream in, long size) {
    return put(path, in, size, UploadOptions.DEFAULT);
  }

  /**
   * Uploads {@code size} bytes read from {@code in} ({@code -1}: until its end) as {@code path}.
   * The stream is spooled to a temporary file first (providers need the hash before the bytes) and
   * is closed. A stream that does not deliver the declared size is refused with INVALID_ARGUMENT and
   * nothing is uploaded. Otherwise as {@link #put(String, Path, UploadOptions)}.
   */
  public Entry put(String path, InputStream in, long size, UploadOptions options) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(options, "options");
    return putSource(path, UploadSource.ofStream(in, size), options);
  }

  /**
   * Uploads {@code source} as {@code path} and closes it. For a {@link UploadSource#ofHashes
   * hash-only source} (instant upload, "秒传") the driver needs {@link Capability#INSTANT_UPLOAD};
   * it creates the file only when the provider already stores that content. Otherwise as
   * {@link #put(String, Path, UploadOptions)}.
   *
   * @throws NotFoundException for a hash-only source whose content the provider does not know
   *     (nothing was sent); upload the bytes instead
   * @throws UnsupportedException for a hash-only source when the driver lacks INSTANT_UPLOAD
   */
  public Entry put(String path, UploadSource source, UploadOptions options) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    return putSource(path, source, options);
  }

  private Entry putSource(String path, UploadSource source, UploadOptions options) {
    UploadListener l = SafeListener.wrap(options.listener());
    try (source) {
      return reported(l, () -> call("put", path, p -> {
        if (source.hasBytes()) require(Capability.UPLOAD, "put");
        else require(Capability.INSTANT_UPLOAD, "put from hashes (instant upload)");
        return upload(p, source, options.withListener(l));
      }));
    }
  }

  /**
   * Renames the entry at {@code path} within its folder and returns it at its new path.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#RENAME}
   * @throws NotFoundException when nothing is at the path
   * @throws AlreadyExistsException when a sibling already has {@code newName}
   * @throws DriveException INVALID_NAME for a bad name, INVALID_ARGUMENT for the root
   */
  public Entry rename(String path, String newName) {
    Objects.requireNonNull(newName, "newName");
    return call("rename", path, p -> {
      require(Capability.RENAME, "rename");
      notRoot(p, "rename");
      String name = DrivePaths.validateName(newName);
      return withVerified(p, r -> {
        Entry e = ((Driver.Rename) driver).rename(r.id(), name);
        resolver.invalidateSubtree(p);
        String newPath = DrivePaths.child(DrivePaths.parent(p), nfc(e.name()));
        resolver.invalidateSubtree(newPath);
        resolver.remember(newPath, e);
        return e.withPath(newPath);
      });
    });
  }

  /**
   * Moves the entry at {@code path} into folder {@code newParentPath}, keeping its name, and
   * returns it at its new path. The entry is read again after the move; should that read fail,
   * the move is still reported as done, with the entry as it was read before the move. An
   * interrupt during that read throws CANCELLED saying the move took effect.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#MOVE}
   * @throws NotFoundException when the entry or the new parent does not exist
   * @throws AlreadyExistsException when the new parent already holds that name
   * @throws DriveException INVALID_ARGUMENT when moving the root, or a folder into itself or its
   *     own descendant; NOT_A_DIRECTORY when the new parent is a file
   */
  public Entry move(String path, String newParentPath) {
    Objects.requireNonNull(newParentPath, "newParentPath");
    return call("move", path, p -> {
      require(Capability.MOVE, "move");
      notRoot(p, "move");
      String np = DrivePaths.normalize(newParentPath);
      if (DrivePaths.isSameOrBelow(np, p)) {
        throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "cannot move '" + p + "' into itself or its own descendant '" + np + "'");
      }
      String newPath = DrivePaths.child(np, DrivePaths.name(p));
      return withVerified(p, src -> withResolved(np, dst -> {
        if (!dst.folder()) throw notADirectory(np);
        ((Driver.Move) driver).move(List.of(src.id()), dst.id());
        resolver.invalidateSubtree(p);
        resolver.invalidateSubtree(newPath);
        Entry moved;
        try {
          moved = driver instanceof Driver.Stat s ? s.stat(src.id()).withPath(newPath) : resolver.lookup(newPath).entry();
        } catch (DriveException readBack) {
          // The move went through; only reading the moved entry failed. Failing now would tell the
          // caller it did not happen, and a retry would meet "not found": answer with the entry as
          // it was before the move, in its new place (a NOT_FOUND must not reach withResolved
          // either, which would send the move once more).
          Entry e = src.entry();
          if (readBack.kind() == ErrorKind.CANCELLED) {
            // Interrupted: CANCELLED as documented, but not as if the move had not happened.
            throw DriveException.builder(ErrorKind.CANCELLED, readBack.reason() + "; the move took effect, only reading"
                + " the moved entry back was cancelled").retryable(false).mayHaveTakenEffect(true).cause(readBack).build();
          }
          if (e == null) throw readBack;
          moved = new Entry(e.id(), dst.id(), e.name(), newPath, e.folder(), e.size(), e.modified(), e.created(),
              e.hashes(), e.extras(), e.thumbnail());
          resolver.remember(newPath, moved);
          return moved;
        }
        resolver.remember(newPath, moved);
        return moved;
      }));
    });
  }

  /**
   * Copies the file or folder (with everything below it) at {@code path} into folder
   * {@code newParentPath} and returns the copy.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#COPY}
   * @throws NotFoundException when the file or the new parent does not exist
   * @throws AlreadyExistsException when the new parent already holds that name
   */
  public Entry copy(String path, String newParentPath) {
    Objects.requireNonNull(newParentPath, "newParentPath");
    return call("copy", path, p -> {
      require(Capability.COPY, "copy");
      notRoot(p, "copy");
      String np = DrivePaths.normalize(newParentPath);
      return withResolved(p, src -> withResolved(np, dst -> {
        if (!dst.folder()) throw notADirectory(np);
        Entry e = ((Driver.Copy) driver).copy(src.id(), dst.id());
        String newPath = DrivePaths.child(np, nfc(e.name()));
        resolver.invalidateSubtree(newPath);
        resolver.remember(newPath, e);
        return e.withPath(newPath);
      }));
    });
  }

  /**
   * Copies the files and folders at {@code paths} (each with everything below it) into folder
   * {@code newParentPath}, with the provider's bulk copy where it has one (123open: server-side
   * async copy tasks, which the provider reports only as waiting / running / done, so progress moves
   * a task at a time; 123pan: copy tasks of up to 100 entries, likewise). {@code progress} sees
   * {@link CopyProgress} updates, the last with every entry copied. Every path and the target are resolved before anything is copied; a path given twice,
   * the root, or a target that is not a folder is refused first.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#COPY}
   * @throws NotFoundException when a path or the new parent does not exist
   */
  public void copyAll(List<String> paths, String newParentPath, java.util.function.Consumer<CopyProgress> progress) {
    Objects.requireNonNull(paths, "paths");
    Objects.requireNonNull(newParentPath, "newParentPath");
    Objects.requireNonNull(progress, "progress");
    String target = paths.size() == 1 ? paths.get(0) : paths.size() + " paths";
    guard("copy", target, () -> {
      require(Capability.COPY, "copy");
      List<String> normalized = new java.util.ArrayList<>(paths.size());
      for (String raw : paths) {
        String p = DrivePaths.normalize(Objects.requireNonNull(raw, "path"));
        notRoot(p, "copy");
        if (normalized.contains(p)) {
          throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "'" + p + "' is given twice; list each path once");
        }
        normalized.add(p);
      }
      String np = DrivePaths.normalize(newParentPath);
      String parentId = withResolved(np, dst -> {
        if (!dst.folder()) throw notADirectory(np);
        return dst.id();
      });
      List<String> ids = new java.util.ArrayList<>(normalized.size());
      for (String p : normalized) ids.add(withResolved(p, Resolved::id));
      try {
        ((Driver.Copy) driver).copyAll(ids, parentId, progress);
      } finally {
        resolver.invalidateSubtree(np);
      }
      return null;
    });
  }

  /**
   * Removes the entry at {@code path} (a folder with everything in it), to the provider's trash
   * where it has one. Idempotent: removing a path where nothing is returns false.
   *
   * @return true when something was removed, false when nothing was at the path
   * @throws UnsupportedException when the driver has no {@link Capability#REMOVE}
   * @throws DriveException INVALID_ARGUMENT for the root
   */
  public boolean remove(String path) {
    return call("remove", path, p -> {
      require(Capability.REMOVE, "remove");
      notRoot(p, "remove");
      Resolved r;
      try {
        r = verified(resolver.resolve(p));
      } catch (NotFoundException e) {
        resolver.invalidateSubtree(p);
        return false;
      }
      ((Driver.Remove) driver).remove(List.of(r.id()));
      resolver.invalidateSubtree(p);
      return true;
    });
  }

  /**
   * Starts an offline download: the provider fetches {@code url} into the folder at
   * {@code folderPath} by itself; poll {@link #offlineTask} for progress. The URL and the folder
   * are checked before anything is sent to the provider.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#OFFLINE_DOWNLOAD}
   * @throws NotFoundException when the folder does not exist
   * @throws DriveException INVALID_ARGUMENT for a URL that is not http(s) or a folder the provider
   *     cannot download into; NOT_A_DIRECTORY when {@code folderPath} is a file
   */
  public OfflineTask addOffline(String url, String folderPath) {
    return call("offline", folderPath, p -> {
      require(Capability.OFFLINE_DOWNLOAD, "offline download");
      String checked = Driver.OfflineDownload.checkUrl(url);
      return withResolved(p, dst -> {
        if (!dst.folder()) {
          throw DriveException.of(ErrorKind.NOT_A_DIRECTORY, "'" + p + "' is a file; give the folder the download should go into");
        }
        OfflineTask t = ((Driver.OfflineDownload) driver).addOffline(checked, dst.id());
        resolver.invalidateSubtree(p);
        return t;
      });
    });
  }

  /**
   * The current state of an offline download task.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#OFFLINE_DOWNLOAD}
   * @throws NotFoundException when the provider knows no such task
   */
  public OfflineTask offlineTask(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    return guard("offline", taskId, () -> {
      require(Capability.OFFLINE_DOWNLOAD, "offline download");
      return ((Driver.OfflineDownload) driver).offlineTask(taskId);
    });
  }

  /**
   * The account's offline download tasks.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#OFFLINE_TASKS} (123open
   *     has no task list)
   */
  public List<OfflineTask> offlineTasks() {
    return guard("offline_tasks", null, () -> {
      require(Capability.OFFLINE_TASKS, "listing offline tasks");
      return List.copyOf(((Driver.OfflineTasks) driver).offlineTasks());
    });
  }

  /**
   * Removes an offline download task, cancelling it when it still runs; a file already fetched
   * stays. Removing a task that is not there succeeds.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#OFFLINE_TASKS}
   */
  public void removeOfflineTask(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    guard("offline_remove", taskId, () -> {
      require(Capability.OFFLINE_TASKS, "removing offline tasks");
      ((Driver.OfflineTasks) driver).removeOfflineTask(taskId);
      return null;
    });
  }

  /**
   * Space and plan of the account.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#STORAGE_DETAILS}
   */
  public StorageDetails storage() {
    return guard("storage", null, () -> {
      require(Capability.STORAGE_DETAILS, "storage");
      return ((Driver.StorageInfo) driver).storageDetails();
    });
  }

  /**
   * Shares the entries at {@code paths} (files or folders) as one public share and returns its
   * link (page URL, key, extraction code, expiry), which the provider's share driver opens. Without
   * a name in {@code options} the share is named after the first entry. Checked before anything is
   * sent: an empty list, more entries than the driver allows in one share (123云盘: 100), the
   * root, or the same path twice fail with INVALID_ARGUMENT saying what to change; a bad expiry or
   * extraction code cannot even be put into {@link ShareOptions}.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#SHARE}
   * @throws NotFoundException when a path does not exist
   */
  public ShareLink share(List<String> paths, ShareOptions options) {
    Objects.requireNonNull(paths, "paths");
    Objects.requireNonNull(options, "options");
    String target = paths.size() == 1 ? paths.get(0) : paths.size() + " paths";
    ensureOpen();
    try {
      require(Capability.SHARE, "share");
      Driver.Share sharer = (Driver.Share) driver;
      if (paths.isEmpty()) throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "nothing to share; give at least one path");
      int max = sharer.maxShareEntries();
      if (paths.size() > max) {
        throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "one share holds at most " + max + " entries but " + paths.size()
            + " were given; share their common folder instead, or split them into several shares");
      }
      List<String> normalized = new java.util.ArrayList<>(paths.size());
      for (String raw : paths) {
        String p = DrivePaths.normalize(Objects.requireNonNull(raw, "path"));
        notRoot(p, "share");
        if (normalized.contains(p)) {
          throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "'" + p + "' is given twice; list each path once");
        }
        normalized.add(p);
      }
      List<String> ids = new java.util.ArrayList<>(normalized.size());
      for (String p : normalized) {
        try {
          ids.add(withVerified(p, Resolved::id));
        } catch (DriveException e) {
          throw withContext(e, "share", p); // name the path that failed, not just "3 paths"
        }
      }
      ShareOptions o = options.name() != null ? options : options.withName(DrivePaths.name(normalized.get(0)));
      return sharer.share(ids, o);
    } catch (DriveException e) {
      boolean labelled = id.equals(e.driverId().orElse(null)) && "share".equals(e.operation().orElse(null))
          && e.target().isPresent();
      throw labelled ? e : withContext(e, "share", target);
    }
  }

  /** Shares one path; see {@link #share(List, ShareOptions)}. */
  public ShareLink share(String path, ShareOptions options) {
    Objects.requireNonNull(path, "path");
    return share(List.of(path), options);
  }

  /**
   * The shares this account has made, in the provider's order, fetched page by page as the stream
   * is consumed. The first page is fetched now.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#SHARE}
   */
  public Stream<ShareLink> shares() {
    return guard("shares", null, () -> {
      require(Capability.SHARE, "shares");
      Driver.Share sharer = (Driver.Share) driver;
      SharePage first = sharer.shares(null);
      java.util.Iterator<ShareLink> it = new java.util.Iterator<>() {
        SharePage page = first;
        int i;

        @Override
        public boolean hasNext() {
          while (i >= page.shares().size() && page.hasNext()) {
            String cursor = page.nextCursor();
            page = guard("shares", null, () -> sharer.shares(cursor));
            i = 0;
          }
          return i < page.shares().size();
        }

        @Override
        public ShareLink next() {
          if (!hasNext()) throw new java.util.NoSuchElementException();
          return page.shares().get(i++);
        }
      };
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    });
  }

  // ---------------------------------------------------------------- trash

  /**
   * The entries in the driver's trash, in the driver's order, fetched page by page as the stream
   * is consumed (the first page now, so an error surfaces here). Close the stream to stop early.
   * What "the trash" covers depends on the provider; see the driver's documentation.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#TRASH}
   */
  public Stream<TrashedEntry> trash() {
    return guard("trash", null, () -> {
      require(Capability.TRASH, "trash");
      Driver.Trash t = (Driver.Trash) driver;
      TrashIterator it = new TrashIterator(t.listTrash(null), cursor -> guard("trash", null, () -> t.listTrash(cursor)));
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
          .onClose(it::close);
    });
  }

  /** Restores trashed entries to their original folders; see {@link #restore(List, String)}. */
  public RestoreResult restore(List<String> ids) {
    return restore(ids, null);
  }

  /**
   * Restores trashed entries (by id, as {@link #trash()} lists them) to the folders they were
   * removed from. Entries whose original folder is gone go into folder {@code fallbackFolderPath}
   * when it is not null, else stay in the trash (as do those whose name that folder already
   * holds); the result says which ids went where. The path
   * cache is cleared, so restored entries are found by path at once.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#TRASH}
   * @throws NotFoundException when an id names nothing, or the fallback folder does not exist
   * @throws DriveException NOT_A_DIRECTORY when the fallback path is a file
   */
  public RestoreResult restore(List<String> ids, String fallbackFolderPath) {
    List<String> copy = List.copyOf(Objects.requireNonNull(ids, "ids"));
    String target = fallbackFolderPath != null ? fallbackFolderPath : String.join(",", copy);
    return guard("restore", target, () -> {
      require(Capability.TRASH, "restore");
      String fallbackId = null;
      if (fallbackFolderPath != null) {
        String np = DrivePaths.normalize(fallbackFolderPath);
        fallbackId = withResolved(np, r -> {
          if (!r.folder()) throw notADirectory(np);
          return r.id();
        });
      }
      if (copy.isEmpty()) return new RestoreResult(List.of(), List.of(), java.util.Map.of());
      try {
        return ((Driver.Trash) driver).restore(copy, fallbackId);
      } finally {
        // Restored entries reappear in folders whose paths are unknown here: forget every path.
        resolver.invalidateSubtree(DrivePaths.ROOT);
      }
    });
  }

  /**
   * Deletes trashed entries for good (by id, as {@link #trash()} lists them). Refuses, deleting
   * nothing, when an id is a live entry rather than one in the trash; ids already gone are
   * skipped.
   *
   * @throws UnsupportedException when the driver has no {@link Capability#TRASH}
   * @throws DriveException INVALID_ARGUMENT when an id is not in the trash
   */
  public void purge(List<String> ids) {
    List<String> copy = List.copyOf(Objects.requireNonNull(ids, "ids"));
    guard("purge", String.join(",", copy), () -> {
      require(Capability.TRASH, "purge");
      if (!copy.isEmpty()) ((Driver.Trash) driver).purge(copy);
      return null;
    });
  }

  /**
   * Closes the driver. Idempotent; later calls on this drive throw {@link IllegalStateException},
   * and operations still running fail with {@link ErrorKind#CANCELLED}. Downloads of the driver in
   * flight ({@link #get}, and bodies of {@link Link#open} not yet read to the end nor closed) are
   * cancelled at once, their connections closed: {@code get} fails with CANCELLED, and the next
   * read of an open body fails with an {@link java.io.IOException} whose cause is a
   * {@link DriveException} of kind CANCELLED saying the driver was closed. Returns without waiting
   * for them.
   *
   * <p>With {@link Builder#downloadThrough} the same holds for the downloads this drive started
   * through its reference drive (its {@link #get}, and bodies of links {@link #link} handed out
   * from the reference): they are cut at once, their error naming this drive; such a link opened
   * after the close is refused (CANCELLED) without being sent. The reference itself is not closed:
   * its own downloads, and those of other drives going through it, run on.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      resolver.invalidateSubtree(DrivePaths.ROOT);
      if (throughDownloads != null) throughDownloads.close(); // the reference's own stay open
      driver.close();
    }
  }

  /** One line, e.g. {@code Drive{memory, root=0}}; never secrets. */
  @Override
  public String toString() {
    String root;
    try {
      root = driver.rootId();
    } catch (RuntimeException e) {
      root = "?"; // toString must not throw, even for a driver that refuses calls once closed
    }
    return "Drive{" + id + ", root=" + root + (closed.get() ? ", closed" : "") + "}";
  }

  // ---------------------------------------------------------------- internals

  /** The current entry at {@code p}, always from the provider (downloads check size and MD5 against it). */
  private Entry statAt(String p) {
    if (DrivePaths.ROOT.equals(p)) return rootEntry();
    return withResolved(p, r -> {
      Entry e = current(r).entry();
      if (resolver.keepsEntries()) resolver.remember(p, e);
      return e;
    });
  }

  /** Like {@link #statAt} but answered from the entry cache when {@link Builder#entryTtl} allows. */
  private Entry statCached(String p) {
    Entry seen = resolver.freshEntry(p);
    return seen != null ? seen : statAt(p);
  }

  /** {@code r} with a current entry: from the listing that resolved it, a stat, or a fresh lookup. */
  private Resolved current(Resolved r) {
    if (r.entry() != null) return r;
    if (driver instanceof Driver.Stat s) {
      Entry e = s.stat(r.id());
      if (r.fromCache() && !sameName(e, r.path())) {
        // The cached id now lives elsewhere (renamed or moved behind our back).
        throw DriveException.builder(ErrorKind.NOT_FOUND, "cached id " + r.id() + " is now '" + e.name() + "'").target(r.path()).build();
      }
      return new Resolved(r.path(), r.id(), e.folder(), e.withPath(r.path()), r.fromCache());
    }
    return resolver.lookup(r.path());
  }

  /** Like {@link #current} but for acting on the id: a cached id that cannot be confirmed is resolved afresh. */
  private Resolved verified(Resolved r) {
    if (!r.fromCache()) return r;
    try {
      return current(r);
    } catch (NotFoundException e) {
      return resolver.resolveFresh(r.path());
    }
  }

  private <T> T withVerified(String p, Function<Resolved, T> action) {
    Resolved r = verified(resolver.resolve(p));
    return action.apply(r);
  }

  /** Runs {@code action} on the resolution of {@code p}; a NOT_FOUND on a cached id resolves once more. */
  private <T> T withResolved(String p, Function<Resolved, T> action) {
    Resolved r = resolver.resolve(p);
    try {
      return action.apply(r);
    } catch (NotFoundException e) {
      if (!r.fromCache()) throw e;
      return action.apply(resolver.resolveFresh(p));
    }
  }

  private boolean sameName(Entry e, String path) {
    if (!nfc(e.name()).equals(DrivePaths.name(path))) return false;
    Resolved parent = resolver.cached(DrivePaths.parent(path));
    return parent == null || e.parentId() == null || e.parentId().equals(parent.id());
  }

  private Entry rootEntry() {
    return Entry.folder(driver.rootId(), null, "", null).withPath(DrivePaths.ROOT);
  }

  private Entry mkdirsOnce(String p) {
    String cur = DrivePaths.ROOT;
    String curId = driver.rootId();
    Entry last = null;
    for (String seg : p.substring(1).split("/")) {
      String next = DrivePaths.child(cur, seg);
      Resolved known = resolver.cached(next);
      Entry found = null;
      if (known == null) {
        ReentrantLock lock = mkdirLocks.lockFor(curId);
        lock.lock();
        try {
          known = resolver.cached(next); // another thread may have created it meanwhile
          if (known == null) {
            found = resolver.findChild(curId, seg);
            if (found == null) {
              try {
                found = ((Driver.Mkdir) driver).mkdir(curId, seg);
              } catch (AlreadyExistsException e) {
                found = resolver.findChild(curId, seg); // created behind our back just now
                if (found == null) throw e;
              }
            }
            resolver.remember(next, found);
            known = new Resolved(next, found.id(), found.folder(), found, false);
          }
        } finally {
          lock.unlock();
        }
      }
      if (!known.folder()) throw notADirectory(next);
      cur = next;
      curId = known.id();
      last = found;
    }
    return last != null ? last.withPath(p) : statAt(p);
  }

  private Entry upload(String p, UploadSource source, UploadOptions options) {
    notRoot(p, "upload to");
    String parentPath = DrivePaths.parent(p);
    String name = DrivePaths.name(p);
    // The rule of Driver.Upload: the driver reports phases and progress, the facade completed/failed
    // exactly once. PhasesOnly holds a driver that breaks the rule to it.
    UploadOptions forDriver = options.withListener(new PhasesOnly(options.listener()));
    Driver.Upload uploads = (Driver.Upload) driver;
    // The driver may start hashing now, so that reading the file overlaps the folder lookup.
    uploads.prepare(source);
    Function<Resolved, Entry> action = parent -> {
      if (!parent.folder()) throw notADirectory(parentPath);
      Entry e = uploads.upload(parent.id(), name, source, forDriver);
      String stored = DrivePaths.child(parentPath, nfc(e.name()));
      resolver.invalidateSubtree(p);
      resolver.invalidateSubtree(stored);
      resolver.remember(stored, e);
      return e.withPath(stored);
    };
    try {
      Resolved parent = resolver.resolve(parentPath);
      try {
        return action.apply(parent);
      } catch (NotFoundException e) {
        if (!parent.fromCache()) throw e;
        Resolved fresh = resolver.resolveFresh(parentPath);
        // From hashes alone, NOT_FOUND also means "content unknown": with the folder where it was,
        // that is the answer, and asking again would only repeat it.
        if (!source.hasBytes() && fresh.id().equals(parent.id())) throw e;
        return action.apply(fresh);
      }
    } finally {
      source.cancelPrefetch(); // a failure before the driver needed the hashes leaves no reader behind
    }
  }

  /**
   * Whether {@code failure} of a download of {@code entry} is an integrity failure caused by the
   * copy in the reference drive (see {@link Builder#downloadThrough}), which is then forgotten.
   */
  private boolean copyWasWrong(DriveException failure, Entry entry) {
    return failure.kind() == ErrorKind.INTEGRITY && through != null && ThroughCache.key(entry) != null
        && through.forgetIfChanged(entry);
  }

  private Link linkFor(String p, Entry entry) {
    try {
      return linkOf(entry.id(), () -> entry);
    } catch (NotFoundException e) {
      // The entry vanished between stat and link: one fresh try, then report.
      Resolved r = resolver.resolveFresh(p);
      if (r.folder()) throw isADirectory(p);
      return linkOf(r.id(), () -> current(r).entry());
    }
  }

  /** The link to file {@code fileId}, from the driver or through the reference drive (see {@link Builder#downloadThrough}). */
  private Link linkOf(String fileId, Supplier<Entry> entry) {
    if (through == null) return driver.link(fileId);
    if (through.when() == Through.ALWAYS) {
      Entry e = entry.get();
      if (ThroughCache.key(e) == null) {
        LOG.debug("pan4j: {} '{}' is downloaded from {} itself, not through {}: {}", id, e.name(), id,
            through.referenceId(), ThroughCache.whyNot(e));
        try {
          return driver.link(fileId);
        } catch (DriveException refused) {
          if (!Through.helpsWith(refused)) throw refused;
          throw cannotGoThrough(refused, e);
        }
      }
      try {
        return relayed(through.link(e), e, fileId);
      } catch (ThroughCache.ContentUnknown unknown) {
        LOG.debug("pan4j: {} '{}' is downloaded from {} itself: {} cannot store it by MD5 and size (the content is"
            + " unknown to it)", id, e.name(), id, through.referenceId());
        try {
          return driver.link(fileId);
        } catch (DriveException own) {
          if (Through.helpsWith(own)) throw notThroughEither(own, unknown); // why through did not help
          own.addSuppressed(unknown.failure);
          throw own;
        }
      } catch (DriveException failure) {
        throw through.failed(failure, id, null);
      }
    }
    try {
      return driver.link(fileId);
    } catch (DriveException refused) {
      if (!Through.helpsWith(refused)) throw refused;
      Entry e = entry.get();
      String ref = through.referenceId();
      if (ThroughCache.key(e) == null) throw cannotGoThrough(refused, e);
      LOG.debug("pan4j: {} refused '{}' ({}); downloading it through {}", id, e.name(), refused.kind(), ref);
      try {
        return relayed(through.link(e), e, fileId);
      } catch (ThroughCache.ContentUnknown unknown) {
        throw notThroughEither(refused, unknown);
      } catch (DriveException failure) {
        throw through.failed(failure, id, refused);
      }
    }
  }

  /**
   * {@code link}, the reference's, with each download it opens counted among this drive's, so that
   * {@link #close()} ends it and leaves the reference open.
   */
  private Link relayed(Link link, Entry e, String fileId) {
    String target = e.path() != null ? e.path() : fileId;
    return link.withOpener(opener -> throughDownloads.relay(opener, target));
  }

  /** This drive's refusal of {@code e}, saying that the file cannot go through the reference (no MD5, or empty). */
  private DriveException cannotGoThrough(DriveException refused, Entry e) {
    return retold(refused, refused.reason() + "; it cannot be downloaded through the " + through.referenceId()
        + " drive instead either: " + ThroughCache.whyNot(e));
  }

  /** This drive's refusal, saying that the reference could not take the file either (its provider does not know the content). */
  private DriveException notThroughEither(DriveException refused, ThroughCache.ContentUnknown unknown) {
    DriveException d = retold(refused, refused.reason() + "; nor can it be downloaded through the " + through.referenceId()
        + " drive: that provider does not know the content by its MD5 and size, so nothing can be stored there"
        + " without the bytes (" + unknown.failure.reason() + ")");
    d.addSuppressed(unknown.failure);
    return d;
  }

  /** {@code failure} with another reason, all else kept (kind, provider code, trace id, context). */
  private static DriveException retold(DriveException failure, String reason) {
    return io.github.pan4j.core.internal.http.Failures.retold(failure, reason).cause(failure).build();
  }

  private Function<String, Page> pager(String op, String target, String folderId) {
    return cursor -> guard(op, target, () -> driver.list(folderId, cursor));
  }

  private static Stream<Entry> stream(PagingIterator it) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(it::close);
  }

  private static String childPath(String parent, Entry e) {
    return DrivePaths.child(parent, nfc(e.name()));
  }

  private static String nfc(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFC);
  }

  private void require(Capability capability, String operation) {
    if (!capabilities.contains(capability)) {
      throw DriveException.builder(ErrorKind.UNSUPPORTED,
          "driver '" + id + "' does not support " + operation + " (it lacks " + capability + "; it offers "
              + capabilities.stream().map(Capability::operation).toList()
              + "); check drive.capabilities() first, or use a driver that supports " + capability.operation())
          .build();
    }
  }

  private static void notRoot(String p, String what) {
    if (DrivePaths.ROOT.equals(p)) throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "cannot " + what + " the root folder '/'");
  }

  private static DriveException notADirectory(String p) {
    return DriveException.of(ErrorKind.NOT_A_DIRECTORY, "'" + p + "' is a file, not a folder");
  }

  private static DriveException isADirectory(String p) {
    return DriveException.of(ErrorKind.IS_A_DIRECTORY, "'" + p + "' is a folder, not a file");
  }

  private void ensureOpen() {
    if (closed.get()) throw new IllegalStateException(this + " is closed");
  }

  /** Normalises {@code rawPath}, runs {@code body}, and gives any error this drive's context. */
  private <T> T call(String op, String rawPath, Function<String, T> body) {
    Objects.requireNonNull(rawPath, "path");
    return guard(op, rawPath, () -> body.apply(DrivePaths.normalize(rawPath)));
  }

  private <T> T guard(String op, String target, Supplier<T> body) {
    ensureOpen();
    try {
      return body.get();
    } catch (DriveException e) {
      throw withContext(e, op, target);
    }
  }

  private DriveException withContext(DriveException e, String op, String target) {
    if (id.equals(e.driverId().orElse(null)) && op.equals(e.operation().orElse(null))
        && Objects.equals(target, e.target().orElse(null))) {
      return e;
    }
    return e.toBuilder().driver(id).operation(op).target(target).cause(e).build();
  }

  /** Reports exactly one completed/failed to {@code l} around {@code body}. */
  private Entry reported(UploadListener l, Supplier<Entry> body) {
    Entry e;
    try {
      e = body.get();
    } catch (DriveException failure) {
      l.failed(failure);
      throw failure;
    } catch (RuntimeException unexpected) {
      // The listener is promised exactly one completed or failed, whatever went wrong: this drive
      // closed meanwhile (its driver then refuses with IllegalStateException), a bug. The caller
      // gets it as is.
      boolean closedMeanwhile = closed.get();
      l.failed(DriveException.builder(closedMeanwhile ? ErrorKind.CANCELLED : ErrorKind.PROVIDER_ERROR,
          (closedMeanwhile ? "the drive was closed while this ran: " : "failed unexpectedly: ") + unexpected)
          .cause(unexpected).build());
      throw unexpected;
    }
    l.completed(e);
    return e;
  }

  /** Passes phases and progress on; drops completed/failed, which the facade reports itself. */
  private static final class PhasesOnly implements UploadListener {
    private final UploadListener delegate;

    PhasesOnly(UploadListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void phase(UploadProgress progress) {
      delegate.phase(progress);
    }

    @Override
    public void progressed(UploadProgress progress) {
      delegate.progressed(progress);
    }
  }

  /** Pages through a trash listing; empty pages in the middle are skipped. */
  private static final class TrashIterator implements java.util.Iterator<TrashedEntry> {
    private final Function<String, TrashPage> fetch;
    private java.util.Iterator<TrashedEntry> current;
    private String cursor;
    private boolean closed;

    TrashIterator(TrashPage first, Function<String, TrashPage> fetch) {
      this.fetch = fetch;
      this.current = first.entries().iterator();
      this.cursor = first.nextCursor();
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (closed || cursor == null) return false;
        TrashPage p = fetch.apply(cursor);
        if (cursor.equals(p.nextCursor())) {
          throw DriveException.of(ErrorKind.PROTOCOL, "the trash listing returned the cursor it was given; stopping instead of looping");
        }
        current = p.entries().iterator();
        cursor = p.nextCursor();
      }
      return true;
    }

    @Override
    public TrashedEntry next() {
      if (!hasNext()) throw new java.util.NoSuchElementException();
      return current.next();
    }

    void close() {
      closed = true;
      current = java.util.Collections.emptyIterator();
    }
  }

  /** When a drive built with {@link Builder#downloadThrough} downloads through its reference drive. */
  public enum Through {
    /**
     * Every {@link Drive#link} and {@link Drive#get} of a file with an MD5 goes through the
     * reference; this drive's own download is used only for what cannot go through (no MD5, empty,
     * content unknown to the reference's provider), logged at debug.
     */
    ALWAYS,
    /**
     * This drive's own download first; through the reference only when the driver refuses the
     * link in a way the reference's account helps with: {@link ErrorKind#UNAUTHENTICATED} (the
     * file is served to signed-in users only: 123share's files over 100 MB, provider code 5112;
     * or the given sign-in was refused) or {@link ErrorKind#QUOTA_EXCEEDED} (today's download
     * traffic is used up: 123share's codes 5113 and 5114). Named after the first; it covers both.
     * Any other refusal is thrown as it is.
     */
    WHEN_SIGN_IN_REQUIRED;

    /** Whether {@link #WHEN_SIGN_IN_REQUIRED} goes through the reference after this refusal of the drive's own link. */
    static boolean helpsWith(DriveException refused) {
      return refused.kind() == ErrorKind.UNAUTHENTICATED || refused.kind() == ErrorKind.QUOTA_EXCEEDED;
    }
  }

  /**
   * Builds a {@link Drive} with a tuned path cache.
   *
   * <pre>{@code
   * Drive drive = Drive.builder(driver).cacheTtl(Duration.ofSeconds(10)).cacheSize(50_000).build();
   * }</pre>
   */
  public static final class Builder {
    private final Driver driver;
    private long cacheSize = 10_000;
    private Duration cacheTtl = Duration.ofMinutes(1);
    private Duration entryTtl = Duration.ZERO;
    private LongSupplier ticker = System::nanoTime;
    private Drive throughDrive;
    private String throughFolder;
    private Through throughWhen;

    private Builder(Driver driver) {
      this.driver = Objects.requireNonNull(driver, "driver");
    }

    /** Most paths kept in the cache (default 10,000); 0 turns caching off. */
    public Builder cacheSize(long maxPaths) {
      if (maxPaths < 0) throw new IllegalArgumentException("cacheSize must not be negative but was " + maxPaths);
      this.cacheSize = maxPaths;
      return this;
    }

    /** How long a resolved path is trusted (default one minute); zero turns caching off. */
    public Builder cacheTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) throw new IllegalArgumentException("cacheTtl must not be negative but was " + ttl);
      this.cacheTtl = ttl;
      return this;
    }

    /**
     * How long the metadata last seen for a path (size, times, MD5: from a listing, a stat, or a
     * write through this drive) answers {@link Drive#stat} and {@link Drive#exists} without asking
     * the provider (default zero: every stat asks). Useful where the same paths are stat'ed over and
     * over (a WebDAV server, a file browser), since providers throttle their stat calls (123open's
     * {@code file/detail}: 10 per second). A change made behind the drive's back is seen only after
     * this long; downloads always read fresh metadata to check the bytes against. In effect it is
     * never longer than {@link #cacheTtl}, whose expiry forgets the path altogether.
     */
    public Builder entryTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) throw new IllegalArgumentException("entryTtl must not be negative but was " + ttl);
      this.entryTtl = ttl;
      return this;
    }

    /**
     * The time source of the cache, in nanoseconds (default {@link System#nanoTime()}); tests pass
     * a fake, e.g. {@code FakeClock::nanos}.
     */
    public Builder ticker(LongSupplier nanoTime) {
      this.ticker = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Downloads files of this drive through {@code reference}, another drive on the same provider
     * that can store a file by its hashes alone ({@link Capability#INSTANT_UPLOAD}, e.g. a
     * {@code 123open} drive of your account) — for a {@code 123share} drive, whose own downloads of
     * large files need a signed-in web account and are throttled. 123云盘 keeps one copy of each
     * content for all accounts, so a file of a share is created in the reference by its MD5 and
     * size without sending a byte ("秒传"), and downloaded with the reference's link (its headers
     * and expiry).
     *
     * <p>What happens, for {@link #link} and {@link #get} by path of a file whose entry has an MD5
     * and at least one byte, when {@code when} says so: the copy is looked for in folder
     * {@code <cacheFolder>/<md5>} of the reference (a file there of the name it has here, with that
     * MD5 and size), and made there by instant upload, under that name, when none is found, the
     * folders created as needed; files of the same name and different content never meet, and a
     * content under two names has a copy for each (free: no bytes are sent), since the reference's
     * link names the file it serves. Concurrent downloads of one file through this drive make one
     * copy (the others wait for it; an interrupt stops only the download whose thread it was sent
     * to); so do two processes (two drives on the same account) in a race: the one whose copy the
     * provider had to name otherwise (123: {@code name(1).ext}) removes it (for good, where the
     * reference has a trash) and uses the copy at the name. A file of other content at the copy's
     * name in {@code <cacheFolder>/<md5>} is no copy: it is overwritten. The copy is remembered (path
     * and id) for the 1,024 copies used last, so its next download costs one link of the reference
     * by id, nothing more. A remembered copy that turns out gone (its link {@code NOT_FOUND}) or
     * changed (its link, or after a failed check of {@link #get} the reference's metadata, gives
     * another MD5 or size) is forgotten and looked for or made once more, once; a
     * {@link #get} to a file then downloads again, one to a stream (whose bytes are written
     * already) throws {@link ErrorKind#INTEGRITY} and the next call gets a right copy. A copy
     * renamed behind pan4j's back keeps serving (under its new name) until forgotten.
     * {@link #get} still checks size and MD5 against this drive's entry. {@link #linkById} and calls
     * on {@link #driver()} never go through.
     *
     * <p>What it costs: the first download of a content costs the reference listings (of
     * {@code cacheFolder}, page by page, to find the content's folder, then of that folder), at most
     * two folder creations and one instant upload (no bytes); the copies <em>stay</em> in the
     * reference account, in {@code cacheFolder}, like any file of it (they count towards its used
     * space) until {@link Drive#removeThroughCopies()} removes them, or you remove the folder (a
     * removed copy is made again on the next download). Downloads then use the reference account's traffic
     * and limits, not this drive's.
     *
     * <p>When it cannot go through: a file without an MD5, or an empty one, is downloaded from this
     * drive itself (with {@link Through#ALWAYS}), or keeps its refusal (with
     * {@link Through#WHEN_SIGN_IN_REQUIRED}). When the reference's provider does not know the
     * content ({@link ErrorKind#NOT_FOUND} from the instant upload), {@code ALWAYS} downloads from
     * this drive itself, as it would without this option (logged at debug), and
     * {@code WHEN_SIGN_IN_REQUIRED} throws the refusal saying the reference could not take the file;
     * so does {@code ALWAYS} when this drive then refuses the file with one of the refusals that
     * {@code WHEN_SIGN_IN_REQUIRED} goes through for ({@link ErrorKind#UNAUTHENTICATED},
     * {@link ErrorKind#QUOTA_EXCEEDED}).
     * Any other failure of the reference (network, quota, throttling, its sign-in) is thrown, of its
     * kind, naming both drives and the cache folder, and this drive's own download is not tried; a
     * failure about a path there is not one of this drive's file: {@code cacheFolder} being a file
     * is {@link ErrorKind#CONFIG_INVALID}, a copy removed meanwhile a retryable
     * {@link ErrorKind#PROVIDER_ERROR}.
     *
     * <p>The reference is not owned: closing this drive leaves it open (other drives may share it),
     * and it must stay open as long as this drive downloads. Closing this drive does end the
     * downloads it started through the reference, as it ends its own (see {@link Drive#close()}).
     * Only one reference per drive; a later call replaces it.
     *
     * @param reference an open drive with {@link Capability#INSTANT_UPLOAD} and {@link Capability#MKDIR}
     * @param cacheFolder the absolute folder path in {@code reference} for the copies, e.g.
     *     {@code /pan4j-cache}; not the root
     * @param when always, or only when this drive refuses its own download for want of a sign-in or
     *     of download traffic (see {@link Through#WHEN_SIGN_IN_REQUIRED})
     * @throws IllegalArgumentException when the reference lacks a capability, or the folder is the
     *     root or not a valid path
     */
    public Builder downloadThrough(Drive reference, String cacheFolder, Through when) {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(cacheFolder, "cacheFolder");
      Objects.requireNonNull(when, "when");
      for (Capability c : List.of(Capability.INSTANT_UPLOAD, Capability.MKDIR)) {
        if (!reference.supports(c)) {
          throw new IllegalArgumentException("cannot download through the " + reference.id() + " drive: it lacks " + c
              + " (it must store files by their hashes alone, as 123open does); give a drive that has it");
        }
      }
      if (reference.driver() == driver) {
        throw new IllegalArgumentException("a drive cannot download through itself; give a drive of another account or driver");
      }
      String folder;
      try {
        folder = DrivePaths.normalize(cacheFolder);
      } catch (DriveException e) {
        throw new IllegalArgumentException("cacheFolder: " + e.getMessage(), e);
      }
      if (DrivePaths.ROOT.equals(folder)) {
        throw new IllegalArgumentException("cacheFolder must be a folder below the root, e.g. /pan4j-cache, not '/'");
      }
      this.throughDrive = reference;
      this.throughFolder = folder;
      this.throughWhen = when;
      return this;
    }

    /** The drive, owning the driver. */
    public Drive build() {
      return new Drive(this);
    }
  }
}
