package io.github.pan4j.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry in a provider's trash (recycle bin).
 *
 * @param entry the entry as it was when trashed: id, name, size, folder flag; its path is null
 * @param originalParentId the id of the folder it was removed from, or null when the provider does
 *     not say
 * @param trashedAt when it went to the trash, or null when the provider does not say
 */
public record TrashedEntry(Entry entry, String originalParentId, Instant trashedAt) {
  public TrashedEntry {
    Objects.requireNonNull(entry, "entry");
  }

  /** The entry's id, the one {@link Drive#restore} and {@link Drive#purge} take. */
  public String id() { return entry.id(); }

  /** The entry's name. */
  public String name() { return entry.name(); }

  public Optional<Instant> trashedAtIfKnown() { return Optional.ofNullable(trashedAt); }

  @Override
  public String toString() {
    return "TrashedEntry{" + (entry.folder() ? "folder " : "file ") + entry.name() + ", id=" + entry.id()
        + (originalParentId != null ? ", from=" + originalParentId : "") + (trashedAt != null ? ", at=" + trashedAt : "") + "}";
  }
}
