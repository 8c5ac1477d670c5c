package io.github.pan4j.core.internal;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Page;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Iterates a folder listing page by page, fetching the next page only when the current one is
 * used up, so at most one page is held at a time.
 *
 * <p>Not thread-safe (like any iterator). After {@link #close()} no further page is fetched.
 */
public final class PagingIterator implements Iterator<Entry> {
  private final Function<String, Page> fetch;
  private final UnaryOperator<Entry> decorate;
  private Iterator<Entry> current;
  private String cursor;
  private boolean last;
  private boolean closed;
  private boolean unstarted;

  /**
   * @param first the first page, already fetched (so errors surface at the call site), or null to
   *     fetch it (with a null cursor) on first use
   * @param fetch fetches the page for a cursor
   * @param decorate applied to each entry (sets paths)
   */
  public PagingIterator(Page first, Function<String, Page> fetch, UnaryOperator<Entry> decorate) {
    this.fetch = fetch;
    this.decorate = decorate;
    if (first != null) {
      accept(first);
    } else {
      current = java.util.Collections.emptyIterator();
      unstarted = true;
    }
  }

  private void accept(Page page) {
    String previous = cursor;
    current = page.entries().iterator();
    cursor = page.nextCursor();
    last = cursor == null;
    if (!last && cursor.equals(previous)) {
      throw DriveException.of(ErrorKind.PROTOCOL, "the driver returned the same cursor twice while listing");
    }
  }

  @Override
  public boolean hasNext() {
    if (unstarted && !closed) {
      unstarted = false;
      accept(fetch.apply(null));
    }
    while (!closed && !current.hasNext() && !last) accept(fetch.apply(cursor));
    return !closed && current.hasNext();
  }

  @Override
  public Entry next() {
    if (!hasNext()) throw new NoSuchElementException();
    return decorate.apply(current.next());
  }

  /** Stops paging; later calls see no more entries. */
  public void close() {
    closed = true;
    current = java.util.Collections.emptyIterator();
  }
}
