package io.github.pan4j.core.memory;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.TrashedEntry;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.internal.http.OpenDownloads;
import io.github.pan4j.core.spi.CloseGuard;
import io.github.pan4j.core.spi.Driver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A driver that keeps a whole drive in memory, with every capability and the semantics of a
 * careful cloud provider: names unique per folder (unless configured otherwise), paged listings
 * with cursors that survive concurrent changes, conflict policies, quota, MD5/SHA-1 on upload,
 * links with expiry and byte ranges, and removal of missing ids as a no-op. Removed entries go to a
 * trash (listed in removal order, paged like folders) from which they can be restored or purged;
 * trashed files do not count against the quota, and a restore is never refused for quota.
 *
 * <p>Ids are decimal numbers; the root is {@code "0"}. Names are stored in NFC and may not be
 * empty, blank, {@code "."}, {@code ".."}, longer than 255 characters, or contain {@code '/'} or
 * control characters (INVALID_NAME). Links expire 15 minutes after they were made, by the driver's
 * clock, and serve the content as it was when linked.
 *
 * <p>Thread-safe: one lock guards the tree; upload bytes are read outside it. {@link #calls(String)}
 * counts calls per operation so tests can see what a layer above did.
 *
 * <p>It has no {@link Driver.Share}: a share is worth making only when a visitor can open it, and
 * no driver opens a memory "share" (there is no page, key or server behind it).
 */
public final class MemoryDriver implements Driver, Driver.Stat, Driver.Mkdir, Driver.Rename, Driver.Move,
    Driver.Remove, Driver.Upload, Driver.InstantUpload, Driver.Copy, Driver.StorageInfo, Driver.Trash, Driver.OfflineTasks {
  /** The driver id. */
  public static final String ID = "memory";
  /** The id of the root folder. */
  public static final String ROOT_ID = "0";
  /** How long a link works. */
  public static final Duration LINK_LIFETIME = Duration.ofMinutes(15);

  private static final int MAX_NAME = 255;
  private static final int BLOCK = 1 << 16;

  private final MemoryConfig config;
  private final Clock clock;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  // Guarded by lock:
  private final Map<String, Node> nodes = new HashMap<>();
  private long nextId = 1;
  private long nextOrder = 1;
  private long usedBytes;
  private final TreeMap<Long, Trashed> trash = new TreeMap<>();
  private final Map<String, Long> trashSeq = new HashMap<>();
  private long nextTrashSeq = 1;
  private final CloseGuard guard = new CloseGuard(ID);
  /** Link bodies not yet read to their end nor closed, which {@link #close()} ends as the HTTP drivers do. */
  private final OpenDownloads downloads = new OpenDownloads(ID);
  private final MemoryOffline offline = new MemoryOffline(this);

  /** A driver with {@link MemoryConfig#DEFAULTS} on the system clock. */
  public MemoryDriver() {
    this(MemoryConfig.DEFAULTS, Clock.systemUTC());
  }

  /** A driver with the given configuration and clock (timestamps and link expiry). */
  public MemoryDriver(MemoryConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    Node root = new Node(ROOT_ID, null, "", true, clock.instant(), 0);
    nodes.put(ROOT_ID, root);
  }

  /** The configuration this driver runs with. */
  public MemoryConfig config() {
    return config;
  }

  /** How often {@code operation} ({@code list}, {@code link}, {@code stat}, {@code upload}, …) was called. */
  public long calls(String operation) {
    LongAdder a = calls.get(operation);
    return a == null ? 0 : a.sum();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String rootId() {
    return ROOT_ID;
  }

  @Override
  public Page list(String folderId, String cursor) {
    begin("list");
    long after = 0;
    if (cursor != null) {
      try {
        after = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        throw error(ErrorKind.INVALID_ARGUMENT, "list", folderId, "malformed cursor '" + cursor + "'");
      }
    }
    synchronized (lock) {
      Node folder = folder("list", folderId);
      List<Entry> out = new ArrayList<>(Math.min(config.pageSize(), folder.children.size()));
      Long last = null;
      for (Map.Entry<Long, Node> e : folder.children.tailMap(after, false).entrySet()) {
        if (out.size() == config.pageSize()) {
          return new Page(out, String.valueOf(last));
        }
        out.add(e.getValue().toEntry());
        last = e.getKey();
      }
      return Page.last(out);
    }
  }

  @Override
  public Link link(String fileId) {
    begin("link");
    byte[] content;
    String md5;
    synchronized (lock) {
      Node n = existing("link", fileId);
      if (n.folder) throw error(ErrorKind.IS_A_DIRECTORY, "link", fileId, "'" + n.name + "' is a folder; links are for files");
      content = n.content;
      md5 = n.hashes.md5();
    }
    Instant expires = clock.instant().plus(LINK_LIFETIME);
    return Link.builder("memory://drive/files/" + fileId)
        .contentLength(content.length)
        .md5(md5)
        .expiresAt(expires)
        .note("served from memory")
        .opener((link, offset, length) -> open(fileId, content, expires, offset, length))
        .build();
  }

  private Link.Content open(String fileId, byte[] content, Instant expires, long offset, long length) {
    if (!clock.instant().isBefore(expires)) {
      throw error(ErrorKind.EXPIRED, "download", fileId, "the link expired at " + expires + "; ask for a new one");
    }
    if (offset >= content.length && (offset > 0 || length >= 0)) {
      // A range that starts at or past the end, answered as an HTTP server does (Link.Content).
      return new Link.Content(downloads.track(InputStream.nullInputStream(), fileId), 416, offset, 0, content.length, null);
    }
    int from = (int) offset;
    int n = length < 0 ? content.length - from : (int) Math.min(length, content.length - from);
    boolean whole = from == 0 && n == content.length;
    // Refused (CANCELLED) once the driver is closed; a body open at the close fails its next read.
    InputStream body = downloads.track(new ByteArrayInputStream(content, from, n), fileId);
    return new Link.Content(body, whole ? 200 : 206, from, n, content.length, "application/octet-stream");
  }

  @Override
  public Entry stat(String id) {
    begin("stat");
    synchronized (lock) {
      return existing("stat", id).toEntry();
    }
  }

  @Override
  public Entry mkdir(String parentId, String name) {
    begin("mkdir");
    String n = validName("mkdir", name);
    synchronized (lock) {
      Node parent = folder("mkdir", parentId);
      if (!config.allowDuplicateNames()) refuseClash("mkdir", parent, n);
      Node created = new Node(String.valueOf(nextId++), parent.id, n, true, clock.instant(), nextOrder++);
      attach(parent, created);
      return created.toEntry();
    }
  }

  @Override
  public Entry rename(String id, String newName) {
    begin("rename");
    String n = validName("rename", newName);
    synchronized (lock) {
      Node node = existing("rename", id);
      if (node.parentId == null) throw error(ErrorKind.INVALID_ARGUMENT, "rename", id, "the root cannot be renamed");
      if (node.name.equals(n)) return node.toEntry();
      Node parent = nodes.get(node.parentId);
      if (!config.allowDuplicateNames()) refuseClash("rename", parent, n);
      node.name = n;
      node.modified = clock.instant();
      return node.toEntry();
    }
  }

  @Override
  public void move(List<String> ids, String newParentId) {
    begin("move");
    Objects.requireNonNull(ids, "ids");
    synchronized (lock) {
      Node target = folder("move", newParentId);
      List<Node> moving = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String id : ids) {
        Node n = existing("move", id);
        if (n.parentId == null) throw error(ErrorKind.INVALID_ARGUMENT, "move", id, "the root cannot be moved");
        if (isSameOrAncestor(n, target)) {
          throw error(ErrorKind.INVALID_ARGUMENT, "move", id, "cannot move folder '" + n.name + "' into itself or its own descendant");
        }
        if (n.parentId.equals(target.id)) continue; // already there
        if (!config.allowDuplicateNames()) {
          refuseClash("move", target, n.name);
          if (names.contains(n.name)) throw error(ErrorKind.ALREADY_EXISTS, "move", id, "two entries named '" + n.name + "' were moved together");
        }
        names.add(n.name);
        moving.add(n);
      }
      for (Node n : moving) {
        nodes.get(n.parentId).children.remove(n.order);
        n.order = nextOrder++;
        n.parentId = target.id;
        attach(target, n);
      }
    }
  }

  @Override
  public void remove(List<String> ids) {
    begin("remove");
    Objects.requireNonNull(ids, "ids");
    synchronized (lock) {
      for (String id : ids) {
        if (ROOT_ID.equals(id)) throw error(ErrorKind.INVALID_ARGUMENT, "remove", id, "the root cannot be removed");
      }
      for (String id : ids) {
        Node n = nodes.get(id);
        if (n == null) continue; // already gone: removal is idempotent
        nodes.get(n.parentId).children.remove(n.order);
        unlink(n);
        long seq = nextTrashSeq++;
        trash.put(seq, new Trashed(n, n.parentId, clock.instant()));
        trashSeq.put(n.id, seq);
      }
    }
  }

  @Override
  public TrashPage listTrash(String cursor) {
    begin("trash");
    long after = 0;
    if (cursor != null) {
      try {
        after = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        throw error(ErrorKind.INVALID_ARGUMENT, "trash", cursor, "malformed cursor '" + cursor + "'");
      }
    }
    synchronized (lock) {
      List<TrashedEntry> out = new ArrayList<>();
      Long last = null;
      for (Map.Entry<Long, Trashed> e : trash.tailMap(after, false).entrySet()) {
        if (out.size() == config.pageSize()) return new TrashPage(out, String.valueOf(last));
        Trashed t = e.getValue();
        out.add(new TrashedEntry(t.node.toEntry(), t.parentId, t.at));
        last = e.getKey();
      }
      return TrashPage.last(out);
    }
  }

  @Override
  public RestoreResult restore(List<String> ids, String fallbackParentId) {
    begin("restore");
    Objects.requireNonNull(ids, "ids");
    List<String> restored = new ArrayList<>();
    List<String> relocated = new ArrayList<>();
    Map<String, String> left = new LinkedHashMap<>();
    synchronized (lock) {
      Node fallback = fallbackParentId == null ? null : folder("restore", fallbackParentId);
      for (String id : ids) {
        if (!nodes.containsKey(id) && !trashSeq.containsKey(id)) {
          throw error(ErrorKind.NOT_FOUND, "restore", id, "no entry with id " + id + " in the drive or its trash");
        }
      }
      for (String id : ids) {
        Long seq = trashSeq.get(id);
        if (seq == null) {
          restored.add(id); // not in the trash (any more): already where it belongs
          continue;
        }
        Trashed t = trash.get(seq);
        Node original = nodes.get(t.parentId);
        Node target = original != null && original.folder ? original : fallback;
        if (target == null) {
          left.put(id, "its original folder " + t.parentId + " is gone (deleted or in the trash); give a folder to restore it into");
          continue;
        }
        if (!config.allowDuplicateNames() && firstNamed(target, t.node.name) != null) {
          left.put(id, pathOf(target) + " already has an entry named '" + t.node.name + "'; rename or remove that one first");
          continue;
        }
        trash.remove(seq);
        trashSeq.remove(id);
        Node n = t.node;
        n.parentId = target.id;
        n.order = nextOrder++;
        relink(n);
        target.children.put(n.order, n);
        target.modified = clock.instant();
        (target == original ? restored : relocated).add(id);
      }
    }
    return new RestoreResult(restored, relocated, left);
  }

  @Override
  public void purge(List<String> ids) {
    begin("purge");
    Objects.requireNonNull(ids, "ids");
    synchronized (lock) {
      for (String id : ids) {
        Node live = nodes.get(id);
        if (live != null) {
          throw error(ErrorKind.INVALID_ARGUMENT, "purge", id, "'" + live.name + "' (id " + id
              + ") is not in the trash; only trashed entries can be purged (remove it first)");
        }
      }
      for (String id : ids) {
        Long seq = trashSeq.remove(id); // an id already gone is skipped
        if (seq != null) trash.remove(seq);
      }
    }
  }

  @Override
  public Entry copy(String id, String newParentId) {
    begin("copy");
    synchronized (lock) {
      Node source = existing("copy", id);
      Node target = folder("copy", newParentId);
      if (!config.allowDuplicateNames()) refuseClash("copy", target, source.name);
      if (source.folder) {
        if (source.parentId == null) throw error(ErrorKind.INVALID_ARGUMENT, "copy", id, "the root cannot be copied");
        if (isSameOrAncestor(source, target)) {
          throw error(ErrorKind.INVALID_ARGUMENT, "copy", id, "cannot copy folder '" + source.name + "' into itself or its own descendant");
        }
        checkQuota("copy", id, treeBytes(source));
        return copyTree(source, target).toEntry();
      }
      checkQuota("copy", id, source.content.length);
      Node copy = new Node(String.valueOf(nextId++), target.id, source.name, false, clock.instant(), nextOrder++);
      copy.content = source.content;
      copy.hashes = source.hashes;
      attach(target, copy);
      usedBytes += copy.content.length;
      return copy.toEntry();
    }
  }

  private long treeBytes(Node n) {
    if (!n.folder) return n.content.length;
    long sum = 0;
    for (Node c : n.children.values()) sum += treeBytes(c);
    return sum;
  }

  /** Copies a subtree under {@code target}; the caller holds the lock and checked quota and names. */
  private Node copyTree(Node source, Node target) {
    Node copy = new Node(String.valueOf(nextId++), target.id, source.name, source.folder, clock.instant(), nextOrder++);
    if (!source.folder) {
      copy.content = source.content;
      copy.hashes = source.hashes;
      usedBytes += copy.content.length;
    }
    attach(target, copy);
    if (source.folder) for (Node c : List.copyOf(source.children.values())) copyTree(c, copy);
    return copy;
  }

  @Override
  public Entry upload(String parentId, String name, UploadSource source, UploadOptions options) {
    begin("upload");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    // Phases and progress only: completed/failed are the caller's to report (Driver.Upload).
    return doUpload(parentId, name, source, options.conflict(), options.listener());
  }

  // ---------------------------------------------------------------- offline download

  /**
   * Fetches {@code url} with a plain HTTP GET when the task is first asked about (see
   * {@link #offlineTask}); the bytes land in {@code folderId} like an upload with KEEP_BOTH.
   */
  @Override
  public OfflineTask addOffline(String url, String folderId) {
    begin("offline");
    String u = Driver.OfflineDownload.checkUrl(url);
    synchronized (lock) {
      folder("offline", folderId);
    }
    return offline.add(u, folderId);
  }

  /** The task; a waiting one is fetched now, in this thread, and answers finished. */
  @Override
  public OfflineTask offlineTask(String taskId) {
    begin("offline_task");
    return offline.poll(taskId);
  }

  @Override
  public List<OfflineTask> offlineTasks() {
    begin("offline_tasks");
    return offline.all();
  }

  @Override
  public void removeOfflineTask(String taskId) {
    begin("offline_remove");
    offline.remove(taskId);
  }

  Entry storeFetched(String folderId, String name, byte[] bytes) {
    return doUpload(folderId, name, UploadSource.ofBytes(bytes), ConflictPolicy.KEEP_BOTH, UploadListener.NONE);
  }

  private Entry doUpload(String parentId, String name, UploadSource source, ConflictPolicy policy, UploadListener listener) {
    String n = validName("upload", name);
    synchronized (lock) {
      Node parent = folder("upload", parentId);
      preCheckConflict(parent, n, policy);
    }
    Hashes hashes = source.hashes(listener);
    long size = source.size();
    byte[] known = source.hasBytes() ? null : knownContent(n, hashes, size);
    if (size == 0 && !config.emptyFiles()) {
      throw error(ErrorKind.INVALID_ARGUMENT, "upload", n, "this drive refuses empty files (emptyFiles=false)");
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw error(ErrorKind.INVALID_ARGUMENT, "upload", n, "files over 2 GiB do not fit in memory");
    }
    listener.phase(new UploadProgress(UploadPhase.PREPARING, 0, size, false));
    synchronized (lock) {
      checkQuota("upload", n, size - replacedBytes(nodes.get(parentId), n, policy));
    }
    byte[] content = known != null ? known : transfer(n, source, (int) size, listener);
    listener.phase(new UploadProgress(UploadPhase.COMPLETING, size, size, false));
    listener.phase(new UploadProgress(UploadPhase.VERIFYING, 0, size, false));
    Hashes stored = hashesOf(content);
    if (!stored.md5().equals(hashes.md5()) || hashes.sha1() != null && !hashes.sha1().equals(stored.sha1())) {
      throw error(ErrorKind.INTEGRITY, "upload", n, "stored bytes hash to " + stored.md5() + " but the source hashed to " + hashes.md5());
    }
    Entry result;
    synchronized (lock) {
      Node parent = folder("upload", parentId); // it may have gone while bytes were read
      Node existing = firstNamed(parent, n);
      String finalName = n;
      if (existing != null) {
        switch (policy) {
          case FAIL -> throw clash("upload", parent, n);
          case KEEP_BOTH -> finalName = freeName(parent, n);
          case OVERWRITE -> {
            if (existing.folder) throw error(ErrorKind.ALREADY_EXISTS, "upload", n, "a folder named '" + n + "' exists; it cannot be overwritten by a file");
            parent.children.remove(existing.order);
            drop(existing);
          }
        }
      }
      checkQuota("upload", n, content.length);
      Node file = new Node(String.valueOf(nextId++), parent.id, finalName, false, clock.instant(), nextOrder++);
      file.content = content;
      file.hashes = stored;
      attach(parent, file);
      usedBytes += content.length;
      result = file.toEntry();
    }
    listener.phase(new UploadProgress(UploadPhase.DONE, size, size, false));
    return result;
  }

  /**
   * The bytes of a stored file with the hash-only source's size and MD5 (and SHA-1 when given):
   * this drive's instant upload. None → NOT_FOUND, and nothing is created.
   */
  private byte[] knownContent(String name, Hashes hashes, long size) {
    synchronized (lock) {
      for (Node node : nodes.values()) {
        if (node.folder || node.content.length != size || !hashes.md5().equals(node.hashes.md5())) continue;
        if (hashes.sha1() != null && !hashes.sha1().equals(node.hashes.sha1())) continue;
        return node.content;
      }
    }
    throw error(ErrorKind.NOT_FOUND, "upload", name, "no file in this drive has content with MD5 " + hashes.md5()
        + " and " + size + " bytes, so it cannot be created from hashes; upload the bytes instead");
  }

  private byte[] transfer(String name, UploadSource source, int size, UploadListener listener) {
    listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, size, false));
    byte[] content = new byte[size];
    int done = 0;
    try (InputStream in = source.open(0, size)) {
      while (done < size) {
        if (Thread.currentThread().isInterrupted()) throw error(ErrorKind.CANCELLED, "upload", name, "upload cancelled by interrupt");
        int n = in.read(content, done, Math.min(BLOCK, size - done));
        if (n < 0) throw error(ErrorKind.INTEGRITY, "upload", name, "source ended after " + done + " of " + size + " bytes");
        done += n;
        listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, size, false));
      }
    } catch (IOException e) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "reading the upload source failed: " + e).driver(ID)
          .operation("upload").target(name).cause(e).build();
    }
    return content;
  }

  @Override
  public StorageDetails storageDetails() {
    begin("storage_details");
    synchronized (lock) {
      return new StorageDetails(config.quotaBytes(), usedBytes, false, "memory", Map.of("entries", String.valueOf(nodes.size() - 1)));
    }
  }

  /**
   * Marks the driver closed; later calls throw {@link IllegalStateException}. Idempotent. As on the
   * HTTP drivers, links no longer open (CANCELLED), and the next read of a link body still open
   * fails with an {@link IOException} whose cause is a {@link DriveException} of kind CANCELLED.
   */
  @Override
  public void close() {
    if (guard.close()) downloads.close();
  }

  @Override
  public String toString() {
    return "MemoryDriver{" + config + "}";
  }

  // ---------------------------------------------------------------- internals (callers hold lock where noted)

  private void begin(String operation) {
    guard.ensureOpen(operation);
    calls.computeIfAbsent(operation, k -> new LongAdder()).increment();
  }

  /** Guarded by lock. */
  private Node existing(String op, String id) {
    Objects.requireNonNull(id, "id");
    Node n = nodes.get(id);
    if (n == null) throw error(ErrorKind.NOT_FOUND, op, id, "no entry with id " + id);
    return n;
  }

  /** Guarded by lock. */
  private Node folder(String op, String id) {
    Node n = existing(op, id);
    if (!n.folder) throw error(ErrorKind.NOT_A_DIRECTORY, op, id, "'" + n.name + "' is a file, not a folder");
    return n;
  }

  /** Guarded by lock. */
  private void attach(Node parent, Node child) {
    parent.children.put(child.order, child);
    nodes.put(child.id, child);
    parent.modified = clock.instant();
  }

  /** Guarded by lock. Forgets {@code n} and its subtree (already detached from its parent). */
  private void drop(Node n) {
    nodes.remove(n.id);
    if (n.folder) {
      for (Node c : new ArrayList<>(n.children.values())) drop(c);
    } else {
      usedBytes -= n.content.length;
    }
  }

  /** Guarded by lock. Takes {@code n} and its subtree out of the id index (to the trash); children stay attached to it. */
  private void unlink(Node n) {
    nodes.remove(n.id);
    if (n.folder) {
      for (Node c : n.children.values()) unlink(c);
    } else {
      usedBytes -= n.content.length;
    }
  }

  /** Guarded by lock. Puts {@code n} and its subtree back into the id index (from the trash). */
  private void relink(Node n) {
    nodes.put(n.id, n);
    if (n.folder) {
      for (Node c : n.children.values()) relink(c);
    } else {
      usedBytes += n.content.length;
    }
  }

  /** An entry in the trash with where it was. */
  private record Trashed(Node node, String parentId, Instant at) {}

  /** Guarded by lock. */
  private boolean isSameOrAncestor(Node n, Node target) {
    for (Node t = target; t != null; t = t.parentId == null ? null : nodes.get(t.parentId)) {
      if (t == n) return true;
    }
    return false;
  }

  /** Guarded by lock. */
  private static Node firstNamed(Node folder, String name) {
    for (Node c : folder.children.values()) if (c.name.equals(name)) return c;
    return null;
  }

  /** Guarded by lock. */
  private void refuseClash(String op, Node folder, String name) {
    if (firstNamed(folder, name) != null) throw clash(op, folder, name);
  }

  private DriveException clash(String op, Node folder, String name) {
    return error(ErrorKind.ALREADY_EXISTS, op, name, "an entry named '" + name + "' already exists in " + pathOf(folder)
        + "; rename or remove that one first, or choose another name");
  }

  /** Guarded by lock. The folder's path from the root ({@code /} for the root), for messages: people know paths, not ids. */
  private String pathOf(Node folder) {
    java.util.ArrayDeque<String> names = new java.util.ArrayDeque<>();
    for (Node t = folder; t != null && t.parentId != null; t = nodes.get(t.parentId)) names.addFirst(t.name);
    return "/" + String.join("/", names);
  }

  private void preCheckConflict(Node parent, String name, ConflictPolicy policy) {
    Node existing = firstNamed(parent, name);
    if (existing == null) return;
    if (policy == ConflictPolicy.FAIL) throw clash("upload", parent, name);
    if (policy == ConflictPolicy.OVERWRITE && existing.folder) {
      throw error(ErrorKind.ALREADY_EXISTS, "upload", name, "a folder named '" + name + "' exists; it cannot be overwritten by a file");
    }
  }

  /** Guarded by lock. Bytes an OVERWRITE would free. */
  private static long replacedBytes(Node parent, String name, ConflictPolicy policy) {
    if (policy != ConflictPolicy.OVERWRITE || parent == null) return 0;
    Node existing = firstNamed(parent, name);
    return existing == null || existing.folder ? 0 : existing.content.length;
  }

  /** Guarded by lock. {@code name (1).ext}, {@code name (2).ext}, … */
  private static String freeName(Node folder, String name) {
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int i = 1; ; i++) {
      String candidate = base + " (" + i + ")" + ext;
      if (firstNamed(folder, candidate) == null) return candidate;
    }
  }

  /** Guarded by lock. */
  private void checkQuota(String op, String target, long more) {
    if (config.quotaBytes() >= 0 && usedBytes + more > config.quotaBytes()) {
      throw error(ErrorKind.QUOTA_EXCEEDED, op, target,
          "needs " + more + " more bytes but only " + Math.max(0, config.quotaBytes() - usedBytes) + " of " + config.quotaBytes() + " are free");
    }
  }

  private String validName(String op, String name) {
    Objects.requireNonNull(name, "name");
    String n = Normalizer.normalize(name, Normalizer.Form.NFC);
    String problem = null;
    if (n.isBlank()) problem = "a name must not be empty or blank";
    else if (n.equals(".") || n.equals("..")) problem = "'" + n + "' is not a valid name";
    else if (n.indexOf('/') >= 0) problem = "a name must not contain '/'";
    else if (n.length() > MAX_NAME) problem = "a name must be at most " + MAX_NAME + " characters but has " + n.length();
    else if (n.chars().anyMatch(Character::isISOControl)) problem = "a name must not contain control characters";
    if (problem != null) throw error(ErrorKind.INVALID_NAME, op, null, problem);
    return n;
  }

  private static DriveException error(ErrorKind kind, String op, String target, String message) {
    return DriveException.builder(kind, message).driver(ID).operation(op).target(target).build();
  }

  static Hashes hashesOf(byte[] content) {
    return new Hashes(hex("MD5", content), hex("SHA-1", content));
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every JDK", e);
    }
  }

  /** A file or folder. Guarded by the driver's lock. */
  private static final class Node {
    final String id;
    final boolean folder;
    final Instant created;
    final TreeMap<Long, Node> children; // by order; folders only
    String parentId;
    String name;
    Instant modified;
    long order;
    byte[] content;
    Hashes hashes = Hashes.NONE;

    Node(String id, String parentId, String name, boolean folder, Instant now, long order) {
      this.id = id;
      this.parentId = parentId;
      this.name = name;
      this.folder = folder;
      this.created = now;
      this.modified = now;
      this.order = order;
      this.children = folder ? new TreeMap<>() : null;
    }

    Entry toEntry() {
      long size = folder ? 0 : content.length;
      return new Entry(id, parentId, name, null, folder, size, modified, created, hashes, Map.of());
    }
  }
}
