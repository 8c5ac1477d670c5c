package io.github.pan4j.testkit.fake;

import java.time.Instant;

/**
 * A file or folder in the fake store. Id 0 is each account's root and has no node. Mutated only
 * through {@link FakeStore} methods, under its lock.
 */
public final class Node {
  final long id;
  final long uid;
  long parentId;
  String name;
  final boolean folder;
  Blob blob;
  final Instant created;
  Instant updated;
  boolean trashed;
  boolean directLinkSpace;
  int reviewStatus;

  Node(long id, long uid, long parentId, String name, boolean folder, Blob blob, Instant created) {
    this.id = id;
    this.uid = uid;
    this.parentId = parentId;
    this.name = name;
    this.folder = folder;
    this.blob = blob;
    this.created = created;
    this.updated = created;
  }

  public long id() { return id; }
  public long uid() { return uid; }
  public long parentId() { return parentId; }
  public String name() { return name; }
  public boolean folder() { return folder; }
  /** The content of a file, null for folders. */
  public Blob blob() { return blob; }
  public long size() { return blob == null ? 0 : blob.size(); }
  /** Lower-case MD5 of a file, "" for folders. */
  public String md5() { return blob == null ? "" : blob.md5(); }
  public Instant created() { return created; }
  public Instant updated() { return updated; }
  public boolean trashed() { return trashed; }
  /** Whether direct links are enabled on this folder (123 "直链空间"). */
  public boolean directLinkSpace() { return directLinkSpace; }
  /** Review status; above 100 means blocked by review. */
  public int reviewStatus() { return reviewStatus; }

  @Override
  public String toString() {
    return (folder ? "Folder{" : "File{") + id + " '" + name + "' in " + parentId + (trashed ? ", trashed" : "")
        + (folder ? "" : ", " + size() + " B") + "}";
  }
}
