package io.github.pan4j.core.internal;

import io.github.pan4j.core.Entry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Depth-first, pre-order, lazy walk: one paging iterator per open folder level, and a folder is
 * listed only when the walk first needs its children. Not thread-safe.
 */
public final class WalkIterator implements Iterator<Entry> {
  private final Deque<PagingIterator> stack = new ArrayDeque<>();
  private final Function<Entry, PagingIterator> children;
  private Entry pending;

  /**
   * @param start the first entry returned
   * @param children a not-yet-started listing of a folder entry's children
   */
  public WalkIterator(Entry start, Function<Entry, PagingIterator> children) {
    this.pending = start;
    this.children = children;
  }

  @Override
  public boolean hasNext() {
    if (pending != null) return true;
    while (!stack.isEmpty()) {
      if (stack.peek().hasNext()) return true;
      stack.pop();
    }
    return false;
  }

  @Override
  public Entry next() {
    if (!hasNext()) throw new NoSuchElementException();
    Entry e;
    if (pending != null) {
      e = pending;
      pending = null;
    } else {
      e = stack.peek().next();
    }
    if (e.folder()) stack.push(children.apply(e));
    return e;
  }

  /** Stops the walk; no further folder is listed. */
  public void close() {
    stack.forEach(PagingIterator::close);
    stack.clear();
    pending = null;
  }
}
