package io.github.pan4j.testkit.fake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Server-side copies over the {@link FakeStore}, shared by the open platform's async copy
 * ({@link OpenAsyncCopy}) and the web API's copy ({@link WebCopy}); each front door keeps its own
 * wire format, error texts and instance.
 *
 * <p>Tasks progress by being asked, not by time, so tests are deterministic: a new task answers
 * "waiting" (0) to its first {@code pending} polls, "running" (1) to the next {@code running},
 * and then copies the entries (whole subtrees, new ids, the same content) and answers "done"
 * (2), or "failed" (3) when it was marked to fail, the tree changed so that it cannot copy, or the
 * copy no longer fits into the account's space ({@link Task#noSpace}). A copy takes space as an
 * upload of the same files would: each front door refuses one that does not fit when it is asked
 * for ({@link #bytes}, {@link FakeStore#spaceFor}), and a task checks again when it copies.
 */
final class CopyTasks {
  /** Why a copy request is refused before any task exists. */
  enum Reason { NO_FILE, INTO_ITSELF, NAME_TAKEN }

  /** A refusal: its reason and the entry it is about (for a name clash: the entry holding the name). */
  record Refusal(Reason reason, Node node) {}

  static final class Task {
    final long id;
    final long uid;
    final List<Long> ids;
    final long target;
    final boolean fail;
    int polls;
    int status;
    /** Failed (3) because the copy did not fit into the account's space when it came due. */
    boolean noSpace;

    Task(long id, long uid, List<Long> ids, long target, boolean fail) {
      this.id = id;
      this.uid = uid;
      this.ids = ids;
      this.target = target;
      this.fail = fail;
    }
  }

  private final Supplier<FakeStore> store;
  private final Map<Long, Task> tasks = new ConcurrentHashMap<>();
  private final AtomicLong nextTask;
  private final AtomicInteger failTasks = new AtomicInteger();
  private volatile int pendingPolls = 1;
  private volatile int runningPolls = 1;

  CopyTasks(Supplier<FakeStore> store, long firstTaskId) {
    this.store = store;
    this.nextTask = new AtomicLong(firstTaskId - 1);
  }

  void polls(int pending, int running) {
    if (pending < 0 || running < 0) throw new IllegalArgumentException("polls must not be negative");
    this.pendingPolls = pending;
    this.runningPolls = running;
  }

  void failTasks(int n) {
    failTasks.set(n);
  }

  int count() {
    return tasks.size();
  }

  /**
   * Checks that every id is a live entry of {@code uid}, that no folder would land in itself and
   * that no name is taken in {@code target} or repeated among the ids; null when all is well.
   * The caller holds the store's lock and has checked that {@code target} is a live folder.
   */
  static Refusal check(FakeStore store, long uid, List<Long> ids, long target) {
    Set<String> names = new HashSet<>();
    for (long id : ids) {
      Node n = store.node(uid, id).orElse(null);
      if (n == null || store.isTrashed(n)) return new Refusal(Reason.NO_FILE, n);
      if (n.folder() && store.isSelfOrDescendant(uid, target, n.id())) return new Refusal(Reason.INTO_ITSELF, n);
      if (!names.add(n.name())) return new Refusal(Reason.NAME_TAKEN, n);
      Node clash = store.child(uid, target, n.name()).orElse(null);
      if (clash != null) return new Refusal(Reason.NAME_TAKEN, clash);
    }
    return null;
  }

  /** A new task for checked ids; it fails if {@link #failTasks} asked for it. */
  Task submit(long uid, List<Long> ids, long target) {
    boolean failing = failTasks.get() > 0 && failTasks.getAndDecrement() > 0;
    Task t = new Task(nextTask.incrementAndGet(), uid, List.copyOf(ids), target, failing);
    tasks.put(t.id, t);
    return t;
  }

  /** The task of that id and account, or null. */
  Task task(long uid, long id) {
    Task t = tasks.get(id);
    return t == null || t.uid != uid ? null : t;
  }

  /** Counts one poll of the task and returns its status (copying when it comes due). */
  int poll(Task t) {
    synchronized (t) {
      if (t.status < 2) {
        t.polls++;
        if (t.polls <= pendingPolls) {
          t.status = 0;
        } else if (t.polls <= pendingPolls + runningPolls) {
          t.status = 1;
        } else {
          Result r = t.fail ? Result.CHANGED : copy(t.uid, t.ids, t.target);
          t.noSpace = r == Result.NO_SPACE;
          t.status = r == Result.DONE ? 2 : 3;
        }
      }
      return t.status;
    }
  }

  /** How a copy ended: made, not made for a changed tree, not made for want of space. */
  enum Result { DONE, CHANGED, NO_SPACE }

  /**
   * Copies every entry now; nothing is copied when the tree changed so that it cannot
   * ({@link Result#CHANGED}) or the copies do not fit into the account's space ({@link Result#NO_SPACE}).
   */
  Result copy(long uid, List<Long> ids, long target) {
    FakeStore st = store.get();
    synchronized (st) {
      if (!st.isLiveFolder(uid, target)) return Result.CHANGED;
      List<Node> sources = new ArrayList<>();
      for (long id : ids) {
        Node n = st.node(uid, id).orElse(null);
        if (n == null || st.isTrashed(n) || st.child(uid, target, n.name()).isPresent()) return Result.CHANGED;
        sources.add(n);
      }
      if (st.spaceFor(uid, bytes(st, uid, ids)) != null) return Result.NO_SPACE;
      for (Node n : sources) copyTree(st, uid, n, target);
      return Result.DONE;
    }
  }

  /**
   * The bytes a copy of these entries adds to the account: the files among them and the live
   * files below the folders among them (what {@link #copyTree} copies). The caller holds the lock.
   */
  static long bytes(FakeStore store, long uid, List<Long> ids) {
    long sum = 0;
    for (long id : ids) {
      Node n = store.node(uid, id).orElse(null);
      if (n != null) sum += n.folder() ? store.folderSize(uid, n.id()) : n.size();
    }
    return sum;
  }

  private static void copyTree(FakeStore store, long uid, Node n, long parent) {
    if (!n.folder()) {
      store.createFile(uid, parent, n.name(), n.blob());
      return;
    }
    Node copy = store.mkdir(uid, parent, n.name());
    for (Node c : store.children(uid, n.id(), false)) copyTree(store, uid, c, copy.id());
  }
}
