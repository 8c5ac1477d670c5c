package io.github.pan4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.NotFoundException;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.spi.Driver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PathResolverTest {

  /** A list-only driver over a hand-built tree, paging two entries at a time; counts list calls. */
  static final class TreeDriver implements Driver {
    final Map<String, List<Entry>> children = new HashMap<>();
    int lists;
    String repeatCursor;

    TreeDriver add(Entry e) {
      children.computeIfAbsent(e.parentId(), k -> new ArrayList<>()).add(e);
      if (e.folder()) children.computeIfAbsent(e.id(), k -> new ArrayList<>());
      return this;
    }

    TreeDriver folder(String id, String parent, String name) {
      return add(Entry.folder(id, parent, name, null));
    }

    TreeDriver file(String id, String parent, String name) {
      return add(Entry.file(id, parent, name, 1, null, Hashes.NONE));
    }

    @Override public String id() { return "tree"; }
    @Override public String rootId() { return "r"; }

    @Override
    public Page list(String folderId, String cursor) {
      lists++;
      List<Entry> all = children.get(folderId);
      if (all == null) throw DriveException.of(ErrorKind.NOT_FOUND, "no folder " + folderId);
      if (repeatCursor != null) return new Page(List.of(), repeatCursor);
      int from = cursor == null ? 0 : Integer.parseInt(cursor);
      int to = Math.min(all.size(), from + 2);
      return new Page(all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
    }

    @Override
    public Link link(String fileId) {
      throw DriveException.of(ErrorKind.NOT_FOUND, fileId);
    }
  }

  private final TreeDriver tree = new TreeDriver()
      .folder("a", "r", "a").folder("ab", "r", "ab").folder("b", "a", "b").file("f", "b", "f.txt");
  private final AtomicLong nanos = new AtomicLong();
  private final PathResolver resolver = new PathResolver(tree, 100, Duration.ofSeconds(10), nanos::get);

  @Test
  void resolve_nestedPath_listsEachParentOnceThenHitsCache() {
    PathResolver.Resolved r = resolver.resolve("/a/b/f.txt");
    assertEquals("f", r.id());
    assertFalse(r.folder());
    assertFalse(r.fromCache());
    assertEquals("/a/b/f.txt", r.entry().path());
    assertEquals(3, tree.lists);
    PathResolver.Resolved again = resolver.resolve("/a/b/f.txt");
    assertTrue(again.fromCache());
    assertEquals("f", again.id());
    assertEquals(3, tree.lists, "no listing on a cache hit");
  }

  @Test
  void resolve_afterTtl_listsAgain() {
    resolver.resolve("/a");
    nanos.addAndGet(Duration.ofSeconds(11).toNanos());
    assertFalse(resolver.resolve("/a").fromCache());
    assertEquals(2, tree.lists);
  }

  @Test
  void resolve_duplicateNames_firstInListingOrderWins() {
    tree.folder("a2", "r", "a");
    assertEquals("a", resolver.resolve("/a").id());
  }

  @Test
  void resolve_cachedFolderGone_resolvesAgainFromRoot() {
    resolver.resolve("/a/b");
    tree.children.remove("b"); // /a/b's id is gone...
    tree.children.get("a").clear();
    tree.folder("b2", "a", "b").file("f2", "b2", "f.txt"); // ...and a new /a/b exists
    assertEquals("f2", resolver.resolve("/a/b/f.txt").id());
  }

  @Test
  void resolve_missingChild_throwsNotFoundNamingTheFolder() {
    NotFoundException e = assertThrows(NotFoundException.class, () -> resolver.resolve("/a/nope/x"));
    assertTrue(e.getMessage().contains("no entry 'nope' in '/a'"), e.getMessage());
  }

  @Test
  void resolve_throughFile_throwsNotADirectory() {
    DriveException e = assertThrows(DriveException.class, () -> resolver.resolve("/a/b/f.txt/x"));
    assertEquals(ErrorKind.NOT_A_DIRECTORY, e.kind());
  }

  @Test
  void findChild_pagesUntilFoundOrExhausted() {
    for (int i = 0; i < 5; i++) tree.file("x" + i, "r", "x" + i);
    assertEquals("x4", resolver.findChild("r", "x4").id());
    assertEquals(4, tree.lists, "7 entries in pages of 2: found on page 4");
    assertNull(resolver.findChild("r", "absent"));
  }

  @Test
  void findChild_sameCursorTwice_throwsProtocolInsteadOfLooping() {
    tree.repeatCursor = "again";
    DriveException e = assertThrows(DriveException.class, () -> resolver.findChild("r", "x"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
  }

  @Test
  void invalidateSubtree_keepsSiblingsWithCommonPrefix() {
    resolver.resolve("/a/b");
    resolver.resolve("/ab");
    resolver.invalidateSubtree("/a");
    assertNull(resolver.cached("/a"));
    assertNull(resolver.cached("/a/b"));
    assertEquals("ab", resolver.cached("/ab").id());
  }
}
