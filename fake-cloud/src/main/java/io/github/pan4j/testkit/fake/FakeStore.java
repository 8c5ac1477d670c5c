package io.github.pan4j.testkit.fake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one in-memory account store behind every front door of the fake 123 cloud: accounts,
 * the file tree with trash, content-addressed blobs (kept in files), and shares.
 *
 * <p>It knows nothing of wire formats: each front door validates requests and words errors the
 * way its protocol does, then calls these methods. Every method is atomic (one lock), so tests
 * can inspect the store while drivers work on it. Ids are positive, strictly increasing longs
 * shared by all accounts; id 0 is every account's root.
 */
public final class FakeStore implements AutoCloseable {
  public static final long ROOT = 0;

  /**
   * The first id a store hands out by default: 1760000000001. 123's ids today have 13 digits (its
   * docs copy an example of 1758176090915) and only grow, so the fake starts a little above that
   * example, with a round value that keeps ids in docs and logs easy to read. It is past 32 bits
   * (4294967295), so a client that keeps an id in an int or parses it with Integer.parseInt fails
   * here as it would on 123; and, like 123's ids, it is far below 2^53, so a JSON number read as a
   * double (JavaScript) stays exact.
   */
  public static final long FIRST_ID = 1_760_000_000_001L;

  /**
   * The first id of the fake's small-id mode ({@link FakeCloud.Builder#firstId}), 8 digits as the
   * fake had before its ids became 13 digits long; for the rare test that needs short ids.
   */
  public static final long SMALL_FIRST_ID = 10_000_001L;

  private final Clock clock;
  private final Path blobDir;
  private volatile boolean directIo = true;
  private volatile boolean cdnMd5Etag;
  private volatile int cdnMaxRanges = -1;
  private volatile boolean checkSpace = true;
  private final AtomicLong ids;
  private final Map<Long, Account> accounts = new LinkedHashMap<>();
  private final Map<Long, Node> nodes = new HashMap<>();
  /**
   * Bytes of each account's files (live and trashed), kept as files are created, re-filled,
   * deleted and loaded, so {@link #spaceUsed} and the space check of every upload and copy do not
   * walk the whole store. Trashing and recovering change nothing: the bin's files count.
   */
  private final Map<Long, Long> used = new HashMap<>();
  private final Map<String, Blob> blobsByMd5 = new HashMap<>();
  private final Map<String, Share> shares = new LinkedHashMap<>();

  /** A store whose ids start at {@link #FIRST_ID}. */
  public FakeStore(Clock clock) {
    this(clock, FIRST_ID);
  }

  /** A store whose first new entry gets id {@code firstId}, checked by {@link FakeCloud.Builder#firstId}. */
  FakeStore(Clock clock, long firstId) {
    this.clock = clock;
    this.ids = new AtomicLong(firstId - 1);
    try {
      this.blobDir = BlobDirs.create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Clock clock() { return clock; }

  /** The folder holding this store's blobs (tests). */
  Path blobFolder() { return blobDir; }

  // ---------------------------------------------------------------- accounts

  /** Creates an account with the next uid (uids start at 1814435000, like real ones). */
  public synchronized Account createAccount(String nickname) {
    long uid = 1_814_435_000L + accounts.size();
    while (accounts.containsKey(uid)) uid++;
    Account a = new Account(uid).nickname(nickname);
    accounts.put(uid, a);
    return a;
  }

  /**
   * Creates an account with a chosen uid (for fixed test vectors, e.g. the documented direct-link
   * examples signed for uid 10); refuses a uid already taken.
   */
  public synchronized Account createAccount(long uid, String nickname) {
    if (uid <= 0 || accounts.containsKey(uid)) throw new IllegalArgumentException("uid " + uid + " is taken or not positive");
    Account a = new Account(uid).nickname(nickname);
    accounts.put(uid, a);
    return a;
  }

  public synchronized Optional<Account> account(long uid) {
    return Optional.ofNullable(accounts.get(uid));
  }

  public synchronized Optional<Account> accountByClientId(String clientId) {
    return accounts.values().stream().filter(a -> clientId.equals(a.clientId)).findFirst();
  }

  public synchronized Optional<Account> accountByLogin(String phoneOrMail) {
    return accounts.values().stream()
        .filter(a -> phoneOrMail.equals(a.phone) || phoneOrMail.equalsIgnoreCase(a.mail == null ? "" : a.mail))
        .findFirst();
  }

  public synchronized List<Account> accounts() {
    return List.copyOf(accounts.values());
  }

  // ---------------------------------------------------------------- blobs

  /**
   * Whether upload slices of 1 MiB and more are written past the page cache where the file system
   * allows it (default true; see {@code DirectIo}): less CPU and memory for large uploads, but
   * each slice waits for the disk.
   */
  public FakeStore directIo(boolean on) {
    directIo = on;
    return this;
  }

  public boolean directIo() {
    return directIo;
  }

  /**
   * Whether the download hosts give a file's {@code ETag} as its MD5 in quotes, as object stores
   * write it, instead of nginx's {@code "<hex seconds>-<hex length>"} (default false). What 123's
   * CDN sends is UNKNOWN; see {@link BlobResponses}.
   */
  public FakeStore cdnMd5Etag(boolean on) {
    cdnMd5Etag = on;
    return this;
  }

  public boolean cdnMd5Etag() {
    return cdnMd5Etag;
  }

  /**
   * The most ranges one download request may ask for before the whole file is served instead, as
   * nginx's {@code max_ranges} directive: -1 (default) no limit, 1 one range only (several get
   * 200), 0 no range support at all. What 123's CDN is configured with is UNKNOWN.
   */
  public FakeStore cdnMaxRanges(int n) {
    if (n < -1) throw new IllegalArgumentException("cdnMaxRanges must be -1 (no limit) or more, not " + n);
    cdnMaxRanges = n;
    return this;
  }

  public int cdnMaxRanges() {
    return cdnMaxRanges;
  }

  /**
   * Whether a new file is refused when it would take an account past its space (default true): a
   * real account has a quota, so a fake that stores anything is lenient. The front doors check it
   * when an upload is announced (see {@link #spaceFor}); false stores whatever is sent.
   */
  public FakeStore checkSpace(boolean on) {
    checkSpace = on;
    return this;
  }

  public boolean checkSpace() {
    return checkSpace;
  }

  /**
   * The account's space in bytes: its {@link Account#spacePermanent()} (the fake gives no
   * temporary space, so {@code spaceTemp} is 0 on both APIs).
   */
  public long spaceTotal(Account a) {
    return a.spacePermanent();
  }

  /**
   * Null when a new file of {@code size} bytes fits into {@code uid}'s space (or {@link
   * #checkSpace} is off), else what is used and what the account has: {@code [used, total]}.
   * Used space counts live and trashed files ({@link #spaceUsed}). The check is made before the
   * upload knows whether it will replace anything, so it asks room for the whole new file either
   * way: an overwrite that trashes the old file (the open platform's default) keeps the old bytes
   * counted until the recycle bin is emptied, one that replaces the content in place (the web API,
   * or the open platform with {@code overwriteKeepsId}) frees them when the new content is stored.
   */
  public synchronized long[] spaceFor(long uid, long size) {
    if (!checkSpace) return null;
    Account a = accounts.get(uid);
    if (a == null) return null;
    long used = spaceUsed(uid);
    long total = spaceTotal(a);
    return size > total - used ? new long[] {used, total} : null;
  }

  /** Stores bytes (or finds identical content) and returns the blob. */
  public Blob putBlob(byte[] bytes) {
    return putBlob(new java.io.ByteArrayInputStream(bytes));
  }

  /** Stores a stream's bytes, hashing as it copies; identical content is stored once. */
  public Blob putBlob(InputStream in) {
    return putBlob(in, null);
  }

  /**
   * Stores a stream whose MD5 the caller computed from the very same bytes (a single upload
   * checked against its etag), so the copy does not hash again; with null, hashes. The SHA-1 is
   * not computed here: see {@link Blob#sha1()}.
   */
  Blob putBlob(InputStream in, String knownMd5) {
    MessageDigest md5 = knownMd5 != null ? null : Digests.get("MD5");
    Path tmp;
    long size = 0;
    try {
      tmp = Files.createTempFile(blobDir, "in-", ".tmp");
      try (InputStream src = in; OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = src.read(buf)) > 0) {
          out.write(buf, 0, n);
          if (md5 != null) md5.update(buf, 0, n);
          size += n;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return adopt(tmp, size, knownMd5 != null ? knownMd5.toLowerCase(java.util.Locale.ROOT) : HexFormat.of().formatHex(md5.digest()));
  }

  /**
   * Takes a complete file whose MD5 the caller computed from its bytes (an upload's session
   * file) into the store by moving it (a rename within the temp file system: no byte is copied),
   * or deletes it when that content is stored already.
   */
  Blob adoptFile(Path file, long size, String md5) {
    return adopt(file, size, md5.toLowerCase(java.util.Locale.ROOT));
  }

  /** Moves a complete file into the blob store (or drops it when that content is stored). */
  private Blob adopt(Path tmp, long size, String m) {
    synchronized (this) {
      Blob existing = blobsByMd5.get(m + ":" + size);
      if (existing != null) {
        BlobDirs.deleteQuietly(tmp);
        return existing;
      }
      Path target = blobDir.resolve(m + "-" + size);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Blob b = new Blob(m, size, target, clock.instant(), this);
      blobsByMd5.put(m + ":" + size, b);
      return b;
    }
  }

  /** Content already stored with that MD5 and size (instant upload), if any. */
  public synchronized Optional<Blob> blobByMd5(String md5, long size) {
    return Optional.ofNullable(blobsByMd5.get(md5.toLowerCase(java.util.Locale.ROOT) + ":" + size));
  }

  /**
   * Content already stored with that SHA-1 and size, if any. SHA-1s are computed lazily: only
   * blobs of exactly that size are hashed (once each, outside the store's lock; {@link
   * Blob#sha1()} keeps the result), so uploads never pay for a SHA-1 nobody asks about.
   */
  public Optional<Blob> blobBySha1(String sha1, long size) {
    String want = sha1.toLowerCase(java.util.Locale.ROOT);
    List<Blob> sameSize;
    synchronized (this) {
      sameSize = blobsByMd5.values().stream().filter(b -> b.size() == size).toList();
    }
    for (Blob b : sameSize) if (b.sha1().equals(want)) return Optional.of(b);
    return Optional.empty();
  }

  // ---------------------------------------------------------------- tree

  /** The node with that id in that account, trashed or not; empty for unknown ids and for root. */
  public synchronized Optional<Node> node(long uid, long id) {
    Node n = nodes.get(id);
    return n != null && n.uid == uid ? Optional.of(n) : Optional.empty();
  }

  /** The node with that id whatever the account (CDN look-ups). */
  public synchronized Optional<Node> nodeAnyAccount(long id) {
    return Optional.ofNullable(nodes.get(id));
  }

  /** True when {@code id} is root or a live (not trashed) folder of the account. */
  public synchronized boolean isLiveFolder(long uid, long id) {
    if (id == ROOT) return true;
    Node n = nodes.get(id);
    return n != null && n.uid == uid && n.folder && !isTrashed(n);
  }

  /** Children of a folder in ascending id order; with {@code includeTrashed} the trashed ones too. */
  public synchronized List<Node> children(long uid, long parentId, boolean includeTrashed) {
    List<Node> out = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (n.uid == uid && n.parentId == parentId && (includeTrashed || !n.trashed)) out.add(n);
    }
    out.sort(Comparator.comparingLong(Node::id));
    return out;
  }

  /**
   * {@code name} when no live entry of that folder has it, else the first free of {@code a(1).txt},
   * {@code a(2).txt}, … (the number before the extension, as 123 names a kept-both copy).
   */
  synchronized String freeName(long uid, long parentId, String name) {
    if (child(uid, parentId, name).isEmpty()) return name;
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int i = 1; ; i++) {
      String candidate = base + "(" + i + ")" + ext;
      if (child(uid, parentId, candidate).isEmpty()) return candidate;
    }
  }

  /** The live (not trashed) child with exactly that name, if any. */
  public synchronized Optional<Node> child(long uid, long parentId, String name) {
    for (Node n : nodes.values()) {
      if (n.uid == uid && n.parentId == parentId && !n.trashed && n.name.equals(name)) return Optional.of(n);
    }
    return Optional.empty();
  }

  /** All nodes of an account, for searches and test inspection. */
  public synchronized List<Node> allNodes(long uid) {
    List<Node> out = new ArrayList<>();
    for (Node n : nodes.values()) if (n.uid == uid) out.add(n);
    out.sort(Comparator.comparingLong(Node::id));
    return out;
  }

  /**
   * A search of an account's drive as the fake answers every search parameter: the entries, trashed
   * ones included, whose name contains {@code text} with case ignored, by id.
   */
  public synchronized List<Node> search(long uid, String text) {
    String needle = text.toLowerCase(Locale.ROOT);
    List<Node> out = new ArrayList<>();
    for (Node n : allNodes(uid)) if (n.name.toLowerCase(Locale.ROOT).contains(needle)) out.add(n);
    return out;
  }

  /**
   * Creates a folder; the caller has validated the name (a taken one makes a second entry of that
   * name, as some 123 answers do).
   *
   * @throws IllegalArgumentException when there is no account {@code uid} or {@code parentId} is
   *     neither {@link #ROOT} nor a folder of that account: seeding a test's tree under such a
   *     parent would make an entry no listing ever shows
   */
  public synchronized Node mkdir(long uid, long parentId, String name) {
    checkParent(uid, parentId, name);
    Node n = new Node(ids.incrementAndGet(), uid, parentId, name, true, null, clock.instant());
    nodes.put(n.id, n);
    return n;
  }

  /**
   * Creates a file from a blob ({@link #putBlob}); the caller has validated the name.
   *
   * @throws IllegalArgumentException as {@link #mkdir} does for an unknown account or parent
   */
  public synchronized Node createFile(long uid, long parentId, String name, Blob blob) {
    checkParent(uid, parentId, name);
    Node n = new Node(ids.incrementAndGet(), uid, parentId, name, false, blob, clock.instant());
    nodes.put(n.id, n);
    addUsed(uid, n.size());
    return n;
  }

  private void checkParent(long uid, long parentId, String name) {
    if (!accounts.containsKey(uid)) {
      throw new IllegalArgumentException("no account with uid " + uid + " in this fake store, so '" + name
          + "' has nowhere to go; pass the uid of an account of this store (demo.uid(), createAccount(...).uid())");
    }
    if (parentId == ROOT) return;
    Node p = nodes.get(parentId);
    if (p == null || p.uid != uid || !p.folder) {
      String what = p == null ? "no entry" : p.uid != uid ? "an entry of account " + p.uid : "a file (" + pathOf(p) + ")";
      throw new IllegalArgumentException("cannot put '" + name + "' in folder id " + parentId + " of account " + uid
          + ": that id is " + what + "; pass FakeStore.ROOT or the id() of a folder of that account"
          + " (mkdir(...).id(), resolve(uid, \"/path\").orElseThrow().id())");
    }
  }

  /**
   * Creates a file with an id taken earlier from {@link #nextId()} and not used since (an upload
   * session's FileId); the caller has validated parent and name.
   */
  synchronized Node createFile(long id, long uid, long parentId, String name, Blob blob) {
    if (!idFree(id)) throw new IllegalArgumentException("id not free: " + id);
    Node n = new Node(id, uid, parentId, name, false, blob, clock.instant());
    nodes.put(n.id, n);
    addUsed(uid, n.size());
    return n;
  }

  /** Whether {@code id} was handed out by {@link #nextId()} and no node has it. */
  synchronized boolean idFree(long id) {
    return id > 0 && id <= ids.get() && !nodes.containsKey(id);
  }

  /** Replaces a file's content in place (overwrite that keeps the id). */
  public synchronized void replaceContent(Node file, Blob blob) {
    if (nodes.get(file.id) == file) addUsed(file.uid, (blob == null ? 0 : blob.size()) - file.size());
    file.blob = blob;
    file.updated = clock.instant();
  }

  public synchronized void rename(Node n, String newName) {
    n.name = newName;
    n.updated = clock.instant();
  }

  public synchronized void move(Node n, long newParentId) {
    n.parentId = newParentId;
    n.updated = clock.instant();
  }

  /** True when {@code candidate} is {@code ancestor} or lies below it. */
  public synchronized boolean isSelfOrDescendant(long uid, long candidate, long ancestor) {
    long id = candidate;
    while (id != ROOT) {
      if (id == ancestor) return true;
      Node n = nodes.get(id);
      if (n == null || n.uid != uid) return false;
      id = n.parentId;
    }
    return ancestor == ROOT;
  }

  /** Moves an entry to the trash. Its descendants stay as they are but are unreachable. */
  public synchronized void trash(Node n) {
    n.trashed = true;
    n.updated = clock.instant();
  }

  public synchronized void recover(Node n) {
    n.trashed = false;
    n.updated = clock.instant();
  }

  /** True when the node or any ancestor is trashed. */
  public synchronized boolean isTrashed(Node n) {
    Node cur = n;
    while (cur != null) {
      if (cur.trashed) return true;
      cur = cur.parentId == ROOT ? null : nodes.get(cur.parentId);
    }
    return false;
  }

  /** Deletes an entry and its subtree for good. */
  public synchronized void delete(Node n) {
    for (Node c : children(n.uid, n.id, true)) delete(c);
    if (nodes.remove(n.id) == n) addUsed(n.uid, -n.size());
  }

  /** Every node of every account (for saving the store), in id order. */
  synchronized List<Node> snapshot() {
    List<Node> out = new ArrayList<>(nodes.values());
    out.sort(Comparator.comparingLong(Node::id));
    return out;
  }

  /**
   * Replaces every node of account {@code uid} with {@code restored} (ids kept) and moves the id
   * counter past them (for loading a saved store).
   */
  synchronized void restore(long uid, List<Node> restored) {
    nodes.values().removeIf(n -> n.uid == uid);
    for (Node n : restored) {
      nodes.put(n.id, n);
      ids.accumulateAndGet(n.id, Math::max);
    }
    used.put(uid, recountSpaceUsed(uid));
  }

  public synchronized void setDirectLinkSpace(Node folder, boolean enabled) {
    folder.directLinkSpace = enabled;
  }

  public synchronized void setReviewStatus(Node n, int status) {
    n.reviewStatus = status;
  }

  /** The folder with direct links enabled that contains {@code n}, if any. */
  public synchronized Optional<Node> directLinkSpaceOf(Node n) {
    Node cur = n.parentId == ROOT ? null : nodes.get(n.parentId);
    while (cur != null) {
      if (cur.directLinkSpace) return Optional.of(cur);
      cur = cur.parentId == ROOT ? null : nodes.get(cur.parentId);
    }
    return Optional.empty();
  }

  /** The entry directly under the root that holds {@code n} ({@code n} itself when it is one). */
  public synchronized Node topOf(Node n) {
    Node cur = n;
    while (cur.parentId != ROOT) cur = nodes.get(cur.parentId);
    return cur;
  }

  /** The absolute path of a node ("/a/b.txt"). */
  public synchronized String pathOf(Node n) {
    StringBuilder s = new StringBuilder();
    Node cur = n;
    while (cur != null) {
      s.insert(0, "/" + cur.name);
      cur = cur.parentId == ROOT ? null : nodes.get(cur.parentId);
    }
    return s.length() == 0 ? "/" : s.toString();
  }

  /** Resolves an absolute path of live entries ("/" is root, returned as empty). */
  public synchronized Optional<Node> resolve(long uid, String path) {
    long parent = ROOT;
    Node found = null;
    for (String part : path.split("/")) {
      if (part.isEmpty()) continue;
      Optional<Node> c = child(uid, parent, part);
      if (c.isEmpty()) return Optional.empty();
      found = c.get();
      parent = found.id;
    }
    return Optional.ofNullable(found);
  }

  /** Bytes used by live and trashed files of an account (kept as files change, not counted here). */
  public synchronized long spaceUsed(long uid) {
    return used.getOrDefault(uid, 0L);
  }

  /** The same figure as {@link #spaceUsed}, counted afresh over every entry (tests compare the two). */
  synchronized long recountSpaceUsed(long uid) {
    long sum = 0;
    for (Node n : nodes.values()) if (n.uid == uid && !n.folder) sum += n.size();
    return sum;
  }

  private void addUsed(long uid, long delta) {
    if (delta != 0) used.merge(uid, delta, Long::sum);
  }

  /** Total size of the files below a folder (live ones). */
  public synchronized long folderSize(long uid, long folderId) {
    long sum = 0;
    for (Node c : children(uid, folderId, false)) sum += c.folder ? folderSize(uid, c.id) : c.size();
    return sum;
  }

  /** The id the next new entry will get. */
  public long peekNextId() {
    return ids.get() + 1;
  }

  /**
   * Makes new entries' ids start at {@code next} (ids only grow, so it must be above every id
   * handed out), e.g. to test a client with ids longer than the default 13 digits.
   *
   * @throws IllegalArgumentException when {@code next} is not above the last id handed out
   */
  public FakeStore startIdsAt(long next) {
    long last = ids.get();
    if (next <= last || !ids.compareAndSet(last, next - 1)) {
      throw new IllegalArgumentException("ids only grow: the next id is already " + (ids.get() + 1) + ", not " + next);
    }
    return this;
  }

  /** Next id without creating a node (upload sessions that need a temporary file id). */
  public long nextId() {
    return ids.incrementAndGet();
  }

  // ---------------------------------------------------------------- shares

  public synchronized Share createShare(Share share) {
    shares.put(share.key(), share);
    return share;
  }

  public synchronized Optional<Share> share(String key) {
    return Optional.ofNullable(shares.get(key));
  }

  /** The first share made whose key equals {@code key} ignoring case, if any. */
  public synchronized Optional<Share> shareIgnoringCase(String key) {
    return shares.values().stream().filter(x -> x.key().equalsIgnoreCase(key)).findFirst();
  }

  /** The shares of an account, in the order they were made. */
  public synchronized List<Share> shares(long uid) {
    return shares.values().stream().filter(s -> s.uid() == uid).toList();
  }

  public synchronized void removeShare(String key) {
    shares.remove(key);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Deletes the blob files. A store never closed loses them when the JVM exits, and one whose JVM
   * was killed when the next JVM makes a fake cloud (see {@link BlobDirs}).
   */
  @Override
  public synchronized void close() {
    BlobDirs.delete(blobDir);
  }
}
