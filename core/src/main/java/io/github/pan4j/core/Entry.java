package io.github.pan4j.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A file or folder as a driver lists it.
 *
 * <p>Ids are opaque strings chosen by the driver (123 drivers use the decimal file id). The path
 * is filled in by {@link Drive} when the entry was reached by path; drivers leave it null.
 *
 * @param id the driver's id of this entry
 * @param parentId the id of the folder holding it, or null for a root
 * @param name the name in its folder (Unicode NFC)
 * @param path absolute path where known, else null
 * @param folder true for a folder
 * @param size bytes; for folders the provider's aggregate or 0. Also 0 for a file whose size the
 *     provider does not state (a {@code 123link} line without one): its {@link Link#contentLength()}
 *     is then empty, so a host that must know the size (for a {@code Content-Length} or a Range)
 *     asks the link, e.g. with a one-byte range whose {@link Link.Content#totalLength()} gives it
 * @param modified last modification, or null when unknown (some drivers show an unknown time as
 *     1970-01-01, as OpenList does)
 * @param created creation time, or null when unknown
 * @param hashes content hashes the provider reports
 * @param extras provider-specific fields worth keeping (etag flags, storage node, …)
 * @param thumbnail a small preview image of a picture or video as the provider lists it (an
 *     absolute {@code http(s)} URL, usually signed and short-lived), or null when there is none.
 *     It is a provider URL: a host that shows it should link it only where it would also hand out
 *     the file's download link, and proxy it otherwise.
 */
public record Entry(
    String id,
    String parentId,
    String name,
    String path,
    boolean folder,
    long size,
    Instant modified,
    Instant created,
    Hashes hashes,
    Map<String, String> extras,
    String thumbnail) {

  public Entry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    hashes = hashes == null ? Hashes.NONE : hashes;
    extras = extras == null ? Map.of() : Map.copyOf(extras);
    if (thumbnail != null && thumbnail.isBlank()) thumbnail = null;
  }

  /** An entry without a thumbnail (the form before thumbnails existed). */
  public Entry(String id, String parentId, String name, String path, boolean folder, long size, Instant modified,
      Instant created, Hashes hashes, Map<String, String> extras) {
    this(id, parentId, name, path, folder, size, modified, created, hashes, extras, null);
  }

  /** A file entry with the common fields. */
  public static Entry file(String id, String parentId, String name, long size, Instant modified, Hashes hashes) {
    return new Entry(id, parentId, name, null, false, size, modified, null, hashes, Map.of());
  }

  /** A folder entry with the common fields. */
  public static Entry folder(String id, String parentId, String name, Instant modified) {
    return new Entry(id, parentId, name, null, true, 0, modified, null, Hashes.NONE, Map.of());
  }

  /** This entry with its path set. */
  public Entry withPath(String path) {
    return new Entry(id, parentId, name, path, folder, size, modified, created, hashes, extras, thumbnail);
  }

  /** This entry with its thumbnail URL set (null or blank: none). */
  public Entry withThumbnail(String thumbnail) {
    return new Entry(id, parentId, name, path, folder, size, modified, created, hashes, extras, thumbnail);
  }

  public Optional<String> pathIfKnown() { return Optional.ofNullable(path); }

  /** {@link #thumbnail()} when the provider listed one. */
  public Optional<String> thumbnailIfAny() { return Optional.ofNullable(thumbnail); }

  @Override
  public String toString() {
    return (folder ? "Entry{folder " : "Entry{file ") + (path != null ? path : name)
        + ", id=" + id + (folder ? "" : ", size=" + size) + (modified != null ? ", modified=" + modified : "")
        + (hashes.md5() != null ? ", md5=" + hashes.md5() : "") + "}";
  }
}
