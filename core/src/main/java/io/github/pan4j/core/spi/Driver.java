package io.github.pan4j.core.spi;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.ShareLink;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.core.SharePage;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import java.util.List;
import java.util.Set;

/**
 * The id-based contract a storage driver implements. Users normally go through
 * {@link io.github.pan4j.core.Drive}, which adds paths, caching and capability checks.
 *
 * <p>Only {@link #list} and {@link #link} are required. Every further operation is a nested
 * interface; a driver implements exactly the ones its provider really supports, and its
 * {@link Capability capabilities} are derived from those types. Never implement an interface
 * with a method that just throws "unsupported": leave the interface off instead (the contract
 * suite runs every operation a driver's type claims).
 *
 * <p>All methods are blocking, thread-safe, and throw {@link io.github.pan4j.core.DriveException}
 * (unchecked) on failure. Ids are the driver's own opaque strings.
 */
public interface Driver extends AutoCloseable {

  /** The provider id ({@code 123open}, {@code memory}, …). */
  String id();

  /** The id of the folder that acts as "/" for this driver instance (its configured root). */
  String rootId();

  /**
   * One page of the children of a folder, in the provider's order. {@code cursor} is null for
   * the first page, else the {@link Page#nextCursor()} of the previous page. Trashed entries are
   * never returned. A listing that the provider cut short is an error, never a silent short page.
   *
   * @throws io.github.pan4j.core.NotFoundException when the folder does not exist
   */
  Page list(String folderId, String cursor);

  /**
   * A link to a file's bytes.
   *
   * @throws io.github.pan4j.core.NotFoundException when the file does not exist
   * @throws io.github.pan4j.core.DriveException IS_A_DIRECTORY for a folder, QUOTA_EXCEEDED when the
   *     download traffic is used up
   */
  Link link(String fileId);

  /** What this driver can do; derived from its type. */
  default Set<Capability> capabilities() {
    return Capability.of(getClass());
  }

  /**
   * Closes the driver. The rule every driver follows (the contract suite checks it):
   *
   * <ul>
   *   <li>{@code close()} releases what the driver created (token refresher, session, caches),
   *       never the context's shared HTTP client or executor, and never throws;
   *   <li>it is idempotent: a second call does nothing;
   *   <li>after it returns, every operation ({@link #list}, {@link #link} and the methods of the
   *       nested interfaces) throws {@link IllegalStateException} naming the driver, and sends
   *       nothing to the provider; {@link #id()}, {@link #rootId()}, {@link #capabilities()} and
   *       {@code toString()} still answer;
   *   <li>an operation running when it is called stops at its next request and fails with
   *       {@link io.github.pan4j.core.ErrorKind#CANCELLED} (a driver on
   *       {@link io.github.pan4j.core.spi.http.ApiClient} closes it too, which cancels the calls in
   *       flight); an upload stopped before its bytes were all sent stores nothing.
   * </ul>
   *
   * {@link CloseGuard} implements the first three in three lines.
   *
   * <p>The default does nothing, which breaks the rule: every driver overrides it.
   */
  @Override
  default void close() {}

  /** Looks an entry up by id. */
  interface Stat {
    /** @throws io.github.pan4j.core.NotFoundException when absent or trashed */
    Entry stat(String id);
  }

  /** Creates folders. */
  interface Mkdir {
    /**
     * Creates folder {@code name} under {@code parentId} and returns it.
     *
     * <p>When the answer to the request is lost after it was sent (a dropped connection, a
     * gateway's error page, a reply cut off), a driver may look for the folder instead of failing,
     * since the provider may have made it, and return the folder of that name it finds. It
     * cannot tell that folder from one made just before by someone else, so in that case the call
     * succeeds where {@code AlreadyExistsException} would have been right. {@code Drive.mkdirs},
     * for which an existing folder is success either way, is not affected.
     *
     * @throws io.github.pan4j.core.AlreadyExistsException when an entry of that name exists
     */
    Entry mkdir(String parentId, String name);
  }

  /** Renames in place. */
  interface Rename {
    /**
     * Gives {@code id} a new name in the same folder and returns the renamed entry.
     *
     * @throws io.github.pan4j.core.AlreadyExistsException when a sibling has that name
     */
    Entry rename(String id, String newName);
  }

  /** Moves entries between folders. */
  interface Move {
    /**
     * Moves the entries into {@code newParentId}. Moving a folder into itself or a descendant
     * fails with INVALID_ARGUMENT; a name clash with ALREADY_EXISTS.
     */
    void move(List<String> ids, String newParentId);
  }

  /** Removes entries. */
  interface Remove {
    /**
     * Removes the entries (to the provider's trash where it has one, unless the driver is
     * configured for permanent deletion). Removing an id that is already gone succeeds.
     */
    void remove(List<String> ids);
  }

  /**
   * Uploads files.
   *
   * <p><b>Who reports completion.</b> A driver reports the upload's {@link UploadListener#phase
   * phases} and {@link UploadListener#progressed progress} (progress never goes backwards) and
   * never calls {@link UploadListener#completed completed} or {@link UploadListener#failed failed}:
   * its answer is the returned entry or the thrown exception. Whoever called
   * {@link #upload} reports exactly one of the two; the {@link io.github.pan4j.core.Drive} facade
   * does so for every {@code put}, including failures before the driver was reached (a missing
   * parent folder). {@link io.github.pan4j.core.spi.http.PartUploader} follows the same rule.
   */
  interface Upload {
    /**
     * Uploads {@code source} as {@code name} under {@code parentId} and returns the stored entry
     * only after checking its size (and hash, where the provider reports one). On any failure
     * nothing is reported as success and no partial file is left visible. Reports phases and
     * progress to {@code options.listener()}, never {@code completed}/{@code failed} (see above).
     *
     * @throws io.github.pan4j.core.AlreadyExistsException when the name exists and the policy is
     *     {@link ConflictPolicy#FAIL}
     */
    Entry upload(String parentId, String name, UploadSource source, UploadOptions options);

    /**
     * Called by {@link io.github.pan4j.core.Drive} before it looks up the folder an upload goes
     * to: a driver that will hash the source may start that pass now with {@link
     * UploadSource#prefetchHashes}, so that reading the file overlaps signing in and the lookups
     * (which cost round trips to the provider). Must not send anything or fail; the default does
     * nothing.
     */
    default void prepare(UploadSource source) {}
  }

  /**
   * Marks an {@link Upload} that also accepts {@link UploadSource#ofHashes hash-only sources}: it
   * creates the file from the size and hashes when the provider already stores that content
   * ("秒传"), and otherwise fails with {@link io.github.pan4j.core.ErrorKind#NOT_FOUND} without
   * sending a byte. A driver whose provider cannot match content by hash leaves this off; its
   * {@link Upload#upload} refuses a hash-only source with UNSUPPORTED before sending anything.
   */
  interface InstantUpload extends Upload {}

  /** Copies entries server-side. */
  interface Copy {
    /**
     * Copies file or folder {@code id} (a folder with everything below it) into
     * {@code newParentId} and returns the copy. A folder copied into itself or its own descendant
     * fails with INVALID_ARGUMENT; a name clash with ALREADY_EXISTS.
     */
    Entry copy(String id, String newParentId);

    /**
     * Copies several files and folders into {@code newParentId}, reporting progress. The default
     * copies one entry after another with {@link #copy}; a provider with a server-side bulk copy
     * overrides it (123open: async copy tasks of up to 3,000 entries; 123pan: 100). Stops at the first failure;
     * entries copied before it stay.
     */
    default void copyAll(List<String> ids, String newParentId, java.util.function.Consumer<io.github.pan4j.core.CopyProgress> progress) {
      int done = 0;
      for (String id : ids) {
        copy(id, newParentId);
        progress.accept(new io.github.pan4j.core.CopyProgress(++done, ids.size()));
      }
      if (ids.isEmpty()) progress.accept(new io.github.pan4j.core.CopyProgress(0, 0));
    }
  }

  /** Reports quota and plan. */
  interface StorageInfo {
    StorageDetails storageDetails();
  }

  /**
   * Creates public shares of entries and lists the account's own shares. The result is a
   * {@link ShareLink} that the provider's share driver (for 123云盘: {@code 123share}) opens.
   */
  interface Share {
    /**
     * Shares the entries (files or folders) as one public share and returns its link, with the
     * extraction code given in {@code options}. Checks everything it can before sending: no ids,
     * more than {@link #maxShareEntries()}, a root id or a repeated id fail with INVALID_ARGUMENT
     * and nothing is sent.
     *
     * @throws io.github.pan4j.core.NotFoundException when an entry does not exist
     */
    ShareLink share(List<String> ids, ShareOptions options);

    /**
     * One page of the shares this account has made, newest or oldest first as the provider
     * lists them. {@code cursor} is null for the first page, else the previous page's
     * {@link SharePage#nextCursor()}.
     */
    SharePage shares(String cursor);

    /** The most entries one share may hold (123云盘: 100). */
    default int maxShareEntries() {
      return 100;
    }
  }

  /**
   * Lists, restores and permanently deletes what {@link Remove#remove} put in the provider's trash.
   * Only entries removed directly are listed: the contents of a trashed folder travel with it.
   */
  interface Trash {
    /**
     * One page of trashed entries; {@code cursor} is null for the first page, else the
     * {@link TrashPage#nextCursor()} of the previous page. A page may be empty while more follow.
     * Where the provider has no listing of its whole trash the driver documents what it lists
     * instead (and how much it costs).
     */
    TrashPage listTrash(String cursor);

    /**
     * Restores trashed entries to the folders they were removed from. An entry whose original
     * folder is gone (deleted, or itself in the trash) goes into {@code fallbackParentId} when that
     * is not null, else stays in the trash and is reported with the reason; so does one whose name
     * the fallback folder already holds (the result tells which ids came back, so a clash is not
     * thrown). An id that is no longer in the trash but exists counts as restored, so a repeated
     * call is harmless.
     *
     * @throws io.github.pan4j.core.NotFoundException when an id names nothing at all, or the
     *     fallback folder does not exist
     */
    RestoreResult restore(List<String> ids, String fallbackParentId);

    /**
     * Deletes trashed entries for good. Every id is checked first: when one is a live entry (not
     * in the trash) nothing is deleted and INVALID_ARGUMENT names it. An id that no longer exists
     * is skipped (it is already gone), so a repeated call is harmless.
     */
    void purge(List<String> ids);
  }

  /**
   * Offline download: the provider fetches an http(s) URL into a folder by itself. Tasks run on
   * the provider's side; {@link #offlineTask} reports how far one got. Listing and cancelling are
   * {@link OfflineTasks}, a separate capability because not every provider can (123open cannot).
   */
  interface OfflineDownload {
    /**
     * Starts fetching {@code url} into folder {@code folderId} and returns the new task. The URL is
     * checked with {@link #checkUrl} before anything is sent.
     *
     * @throws DriveException INVALID_ARGUMENT for a URL that is not http(s), or a folder the
     *     provider cannot download into (123open: the root)
     */
    OfflineTask addOffline(String url, String folderId);

    /**
     * The task's current state.
     *
     * @throws io.github.pan4j.core.NotFoundException when the provider knows no such task
     */
    OfflineTask offlineTask(String taskId);

    /**
     * Refuses, before anything is sent, a URL that is not an absolute {@code http://} or
     * {@code https://} URL with a host. The message names only the scheme, never the whole URL
     * (its query may carry a credential).
     *
     * @return the URL, trimmed
     */
    static String checkUrl(String url) {
      if (url == null || url.isBlank()) {
        throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "offline download needs a URL; give the http:// or https:// address of the file");
      }
      String u = url.strip();
      java.net.URI uri;
      try {
        uri = new java.net.URI(u);
      } catch (java.net.URISyntaxException e) {
        throw DriveException.of(ErrorKind.INVALID_ARGUMENT,
            "offline download URL is malformed (" + e.getReason() + "); give a complete http:// or https:// address, with spaces encoded as %20");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "offline download fetches http and https URLs only, not "
            + (scheme.isEmpty() ? "a URL without a scheme" : "'" + scheme + ":'") + "; give an http:// or https:// address");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "offline download URL has no host; give a complete address such as https://example.com/file.iso");
      }
      return u;
    }
  }

  /** Lists and removes offline download tasks, where the provider keeps a task list. */
  interface OfflineTasks extends OfflineDownload {
    /** The account's offline tasks, newest first where the provider orders them. */
    List<OfflineTask> offlineTasks();

    /**
     * Removes a task from the list, cancelling it when it is still running (a file already
     * fetched stays). Removing a task that is not there succeeds.
     */
    void removeOfflineTask(String taskId);
  }
}
