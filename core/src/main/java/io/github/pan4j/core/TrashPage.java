package io.github.pan4j.core;

import java.util.List;

/**
 * One page of a trash listing. A page may be empty while more follow (a provider that finds trashed
 * entries folder by folder); only a null {@code nextCursor} ends the listing.
 *
 * @param entries trashed entries of this page
 * @param nextCursor opaque cursor for the next page, or null when this is the last page
 */
public record TrashPage(List<TrashedEntry> entries, String nextCursor) {
  public TrashPage {
    entries = List.copyOf(entries);
  }

  public static TrashPage last(List<TrashedEntry> entries) { return new TrashPage(entries, null); }

  public boolean hasNext() { return nextCursor != null; }

  @Override
  public String toString() {
    return "TrashPage{" + entries.size() + " entries" + (hasNext() ? ", more" : ", last") + "}";
  }
}
