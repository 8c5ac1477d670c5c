package io.github.pan4j.core;

import java.util.List;
import java.util.Optional;

/**
 * One page of a folder listing.
 *
 * @param entries the entries of this page, in provider order
 * @param nextCursor opaque cursor for the next page, or null when this is the last page
 */
public record Page(List<Entry> entries, String nextCursor) {
  public Page {
    entries = List.copyOf(entries);
  }

  public static Page last(List<Entry> entries) { return new Page(entries, null); }

  public boolean hasNext() { return nextCursor != null; }
  public Optional<String> next() { return Optional.ofNullable(nextCursor); }

  @Override
  public String toString() {
    return "Page{" + entries.size() + " entries" + (hasNext() ? ", more" : ", last") + "}";
  }
}
