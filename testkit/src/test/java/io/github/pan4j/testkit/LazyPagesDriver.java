package io.github.pan4j.testkit;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.spi.Driver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read-only driver whose folder {@code /big} holds {@code pages * pageSize} files generated on
 * demand; it counts the pages it serves so tests can see how far a listing has read ahead.
 */
final class LazyPagesDriver implements Driver {
  static final String ROOT = "root";
  static final String BIG = "big";

  final int pages;
  final int pageSize;
  final AtomicInteger bigPagesServed = new AtomicInteger();

  LazyPagesDriver(int pages, int pageSize) {
    this.pages = pages;
    this.pageSize = pageSize;
  }

  @Override
  public String id() {
    return "lazy";
  }

  @Override
  public String rootId() {
    return ROOT;
  }

  @Override
  public Page list(String folderId, String cursor) {
    if (ROOT.equals(folderId)) return Page.last(List.of(Entry.folder(BIG, ROOT, "big", null)));
    if (!BIG.equals(folderId)) throw DriveException.of(ErrorKind.NOT_FOUND, "no folder " + folderId);
    int page = cursor == null ? 0 : Integer.parseInt(cursor);
    bigPagesServed.incrementAndGet();
    List<Entry> entries = new ArrayList<>(pageSize);
    for (int i = 0; i < pageSize; i++) {
      int n = page * pageSize + i;
      entries.add(Entry.file("f" + n, BIG, String.format("file-%06d", n), n, null, Hashes.NONE));
    }
    return new Page(entries, page + 1 < pages ? String.valueOf(page + 1) : null);
  }

  @Override
  public Link link(String fileId) {
    throw DriveException.of(ErrorKind.NOT_FOUND, "generated files have no bytes");
  }
}
