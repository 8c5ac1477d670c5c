package io.github.pan4j.core.spi;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.StorageDetails;
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
   *       {@code toString()} still answer.
   * </ul>
   *
   * {@link CloseGuard} implements this in three lines.
   *
   * @implSpec The default does nothing, which breaks the rule: every driver overrides it.
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
  }

  /** Reports quota and plan. */
  interface StorageInfo {
    StorageDetails storageDetails();
  }
}
