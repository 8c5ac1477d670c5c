package io.github.pan4j.testkit;

import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.spi.CloseGuard;
import io.github.pan4j.core.spi.Driver;
import java.util.concurrent.atomic.AtomicInteger;

/** A read-only view (list, link, stat) of another driver, like a share-link driver; counts calls. */
class ReadOnlyDriver implements Driver, Driver.Stat {
  final Driver backing;
  final AtomicInteger calls = new AtomicInteger();
  private final CloseGuard guard = new CloseGuard("readonly");

  ReadOnlyDriver(Driver backing) {
    this.backing = backing;
  }

  @Override
  public String id() {
    return "readonly";
  }

  @Override
  public String rootId() {
    return backing.rootId();
  }

  @Override
  public Page list(String folderId, String cursor) {
    guard.ensureOpen("list");
    calls.incrementAndGet();
    return backing.list(folderId, cursor);
  }

  @Override
  public Link link(String fileId) {
    guard.ensureOpen("link");
    calls.incrementAndGet();
    return backing.link(fileId);
  }

  @Override
  public Entry stat(String id) {
    guard.ensureOpen("stat");
    calls.incrementAndGet();
    return ((Driver.Stat) backing).stat(id);
  }

  @Override
  public void close() {
    if (guard.close()) backing.close();
  }
}
