package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.error;
import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asynchronous copy of the fake open platform (§8.14): {@code POST /api/v1/file/async/copy}
 * {@code {fileIds, targetDirId}} → {@code {taskId}}, and {@code GET
 * /api/v1/file/async/copy/process?taskId=} → {@code {taskId, status}} with status 0 waiting,
 * 1 running, 2 done, 3 failed.
 *
 * <p>Tasks progress by being asked, not by time, so tests are deterministic: a new task answers
 * "waiting" to its first {@link #pendingPolls} process queries, "running" to the next
 * {@link #runningPolls}, and then copies the entries (whole subtrees, new ids, the same content)
 * and answers "done". Much is UNKNOWN and chosen here: the taskId is a number; the 3000 limit
 * ("per level") is applied to the ids of one request and to the entries of any one copied
 * folder; a target that already holds one of the names, a folder copied into itself, and a
 * missing or trashed id are refused when the task is submitted (code 1, like the other batch
 * endpoints); the QPS of both endpoints is not published (unlimited here). {@link #failTasks}
 * makes the next tasks end with status 3 and copy nothing.
 */
public final class OpenAsyncCopy {
  /** The documented limit of ids "per level". */
  public static final int MAX_IDS = 3000;

  private final OpenApiFrontDoor door;
  private final Map<Long, Task> tasks = new ConcurrentHashMap<>();
  private final AtomicLong nextTask = new AtomicLong(7_000_000);
  private final AtomicInteger failTasks = new AtomicInteger();
  private volatile int pendingPolls = 1;
  private volatile int runningPolls = 1;

  OpenAsyncCopy(OpenApiFrontDoor door) {
    this.door = door;
  }

  private static final class Task {
    final long id;
    final long uid;
    final List<Long> ids;
    final long target;
    final boolean fail;
    int polls;
    int status;

    Task(long id, long uid, List<Long> ids, long target, boolean fail) {
      this.id = id;
      this.uid = uid;
      this.ids = ids;
      this.target = target;
      this.fail = fail;
    }
  }

  void install() {
    door.api("POST", "/api/v1/file/async/copy", true, this::submit);
    door.api("GET", "/api/v1/file/async/copy/process", true, this::process);
  }

  /** How many process queries a new task answers "waiting" (0) and then "running" (1) before it is done. */
  public OpenAsyncCopy polls(int pending, int running) {
    if (pending < 0 || running < 0) throw new IllegalArgumentException("polls must not be negative");
    this.pendingPolls = pending;
    this.runningPolls = running;
    return this;
  }

  /** The next {@code n} submitted tasks end with status 3 (failed) and copy nothing. */
  public OpenAsyncCopy failTasks(int n) {
    failTasks.set(n);
    return this;
  }

  /** Tasks submitted so far. */
  public int taskCount() {
    return tasks.size();
  }

  private JsonNode submit(FakeRequest req, Account a) {
    List<Long> ids = OpenWire.longList(req, "fileIds");
    long target = OpenWire.requireLong(req, "targetDirId");
    if (ids.isEmpty()) throw fail("fileIds不能为空");
    if (ids.size() > MAX_IDS) throw fail("fileIds最多支持" + MAX_IDS + "个");
    FakeStore store = door.store();
    synchronized (store) {
      door.requireLiveFolder(a.uid(), target);
      Set<String> names = new HashSet<>();
      for (long id : ids) {
        Node n = store.node(a.uid(), id).orElseThrow(() -> error(5066, OpenWire.NO_FILE));
        if (store.isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
        if (n.folder() && store.isSelfOrDescendant(a.uid(), target, n.id())) throw fail("不能复制到自身或其子文件夹");
        if (!names.add(n.name()) || store.child(a.uid(), target, n.name()).isPresent()) {
          throw fail("目标目录下存在同名文件");
        }
        if (n.folder()) checkLevels(store, a.uid(), n);
      }
    }
    boolean failing = failTasks.get() > 0 && failTasks.getAndDecrement() > 0;
    Task t = new Task(nextTask.incrementAndGet(), a.uid(), List.copyOf(ids), target, failing);
    tasks.put(t.id, t);
    ObjectNode d = OpenWire.object();
    d.put("taskId", t.id);
    return d;
  }

  private static void checkLevels(FakeStore store, long uid, Node folder) {
    List<Node> children = store.children(uid, folder.id(), false);
    if (children.size() > MAX_IDS) throw fail("单层文件数量超过" + MAX_IDS + "个");
    for (Node c : children) if (c.folder()) checkLevels(store, uid, c);
  }

  private JsonNode process(FakeRequest req, Account a) {
    Long id = OpenWire.queryLong(req, "taskId");
    if (id == null) throw fail("taskId不能为空");
    Task t = tasks.get(id);
    if (t == null || t.uid != a.uid()) throw fail("任务不存在");
    synchronized (t) {
      if (t.status < 2) {
        t.polls++;
        if (t.polls <= pendingPolls) {
          t.status = 0;
        } else if (t.polls <= pendingPolls + runningPolls) {
          t.status = 1;
        } else {
          t.status = t.fail ? 3 : copy(t) ? 2 : 3;
        }
      }
      ObjectNode d = OpenWire.object();
      d.put("taskId", t.id);
      d.put("status", t.status);
      return d;
    }
  }

  /** Copies every entry of the task; false (nothing copied) when the tree changed so that it cannot. */
  private boolean copy(Task t) {
    FakeStore store = door.store();
    synchronized (store) {
      if (!store.isLiveFolder(t.uid, t.target)) return false;
      List<Node> sources = new ArrayList<>();
      for (long id : t.ids) {
        Node n = store.node(t.uid, id).orElse(null);
        if (n == null || store.isTrashed(n) || store.child(t.uid, t.target, n.name()).isPresent()) return false;
        sources.add(n);
      }
      for (Node n : sources) copyTree(store, t.uid, n, t.target);
      return true;
    }
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
