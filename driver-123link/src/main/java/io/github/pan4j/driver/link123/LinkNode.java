package io.github.pan4j.driver.link123;

import io.github.pan4j.core.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One folder or file of a parsed tree. Mutable only while {@link LinkTree#parse} builds it; the
 * tree never hands a node out, only {@link Entry} copies.
 */
final class LinkNode {
  /** The node's id: its absolute path in the tree ({@code /} for the root). */
  final String id;
  final String name;
  final LinkNode parent;
  final boolean folder;
  /** 1-based line of the tree text that declared it (0 for the root). */
  final int line;
  /** Indentation level (root: -1). */
  final int level;
  /** The origin URL of a file, unsigned; null for folders. */
  final String url;
  /** File size in bytes, or -1 when the line gave none; for folders the sum of known file sizes. */
  long size;
  /** Modification time from the line, or null when it gave none. */
  final Instant modified;
  private final Map<String, LinkNode> children;

  private LinkNode(String id, String name, LinkNode parent, boolean folder, int line, int level, String url, long size,
      Instant modified) {
    this.id = id;
    this.name = name;
    this.parent = parent;
    this.folder = folder;
    this.line = line;
    this.level = level;
    this.url = url;
    this.size = size;
    this.modified = modified;
    this.children = folder ? new LinkedHashMap<>() : Map.of();
  }

  static LinkNode root() {
    return new LinkNode("/", "", null, true, 0, -1, null, 0, null);
  }

  static LinkNode folder(LinkNode parent, String name, int line, int level) {
    return new LinkNode(childId(parent, name), name, parent, true, line, level, null, 0, null);
  }

  static LinkNode file(LinkNode parent, String name, int line, int level, String url, long size, Instant modified) {
    return new LinkNode(childId(parent, name), name, parent, false, line, level, url, size, modified);
  }

  private static String childId(LinkNode parent, String name) {
    return parent == null || parent.parent == null ? "/" + name : parent.id + "/" + name;
  }

  LinkNode child(String name) {
    return children.get(name);
  }

  void add(LinkNode child) {
    children.put(child.name, child);
  }

  List<LinkNode> children() {
    return Collections.unmodifiableList(new ArrayList<>(children.values()));
  }

  /** Sums known file sizes into every folder below and including this one. */
  long computeFolderSizes() {
    if (!folder) return Math.max(size, 0);
    long sum = 0;
    for (LinkNode c : children.values()) sum += c.computeFolderSizes();
    size = sum;
    return sum;
  }

  Entry toEntry() {
    String parentId = parent == null ? null : parent.id;
    Map<String, String> extras = new LinkedHashMap<>();
    if (parent != null) extras.put("line", String.valueOf(line));
    if (!folder) {
      extras.put("originUrl", url);
      if (size < 0) extras.put("sizeKnown", "false");
    }
    return new Entry(id, parentId, name, null, folder, Math.max(size, 0), modified, null, null, extras);
  }
}
