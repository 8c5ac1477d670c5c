package io.github.pan4j.testkit.fake;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transcoding space (转码空间) of each account: the tree that {@code GET /api/v2/file/list}
 * lists with {@code businessType=2} (docs/protocol/123open.md §8.2). On 123 it holds the videos
 * handed to the transcoding service, apart from the drive; what it looks like is not documented
 * and the fake has none of the transcoding calls that fill it, so here it is empty until a test
 * seeds it with {@link #folder} and {@link #file}. Its entries are listed with the drive's file
 * object (§7.1), have ids of their own (never a drive id) and its root is {@code 0}; the drive's
 * other calls (detail, download, search without {@code businessType}, …) do not see them.
 */
public final class OpenTranscodeSpace {
  private final OpenApiFrontDoor door;
  private final Map<Long, Node> nodes = new HashMap<>();

  OpenTranscodeSpace(OpenApiFrontDoor door) {
    this.door = door;
  }

  /** Adds a folder to an account's transcoding space ({@code parentId} 0: its root). */
  public synchronized Node folder(Account account, long parentId, String name) {
    return add(account, parentId, name, true, null);
  }

  /** Adds a file with that content to an account's transcoding space ({@code parentId} 0: its root). */
  public synchronized Node file(Account account, long parentId, String name, Blob content) {
    if (content == null) throw new IllegalArgumentException("a file needs content");
    return add(account, parentId, name, false, content);
  }

  private Node add(Account account, long parentId, String name, boolean folder, Blob blob) {
    if (!isFolder(account.uid(), parentId)) {
      throw new IllegalArgumentException("no folder " + parentId + " in the transcoding space of " + account.uid());
    }
    FakeStore store = door.store();
    Node n = new Node(store.nextId(), account.uid(), parentId, name, folder, blob, store.clock().instant());
    nodes.put(n.id(), n);
    return n;
  }

  /** Whether {@code id} is the root (0) or a folder of the account's transcoding space. */
  synchronized boolean isFolder(long uid, long id) {
    if (id == FakeStore.ROOT) return true;
    Node n = nodes.get(id);
    return n != null && n.uid() == uid && n.folder();
  }

  /** A folder's entries in ascending id order. */
  synchronized List<Node> children(long uid, long parentId) {
    return sorted(n -> n.uid() == uid && n.parentId() == parentId);
  }

  /** Every entry of the account whose name contains {@code text} (case ignored), or is {@code text} when {@code exact}. */
  synchronized List<Node> search(long uid, String text, boolean exact) {
    String needle = text.toLowerCase(Locale.ROOT);
    return sorted(n -> n.uid() == uid && (exact ? n.name().equals(text) : n.name().toLowerCase(Locale.ROOT).contains(needle)));
  }

  private List<Node> sorted(java.util.function.Predicate<Node> keep) {
    List<Node> out = new ArrayList<>();
    for (Node n : nodes.values()) if (keep.test(n)) out.add(n);
    out.sort(Comparator.comparingLong(Node::id));
    return out;
  }
}
