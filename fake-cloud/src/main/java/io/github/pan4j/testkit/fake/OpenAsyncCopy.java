package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.error;
import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Asynchronous copy of the fake open platform (§8.14): {@code POST /api/v1/file/async/copy}
 * {@code {fileIds, targetDirId}} → {@code {taskId}}, and {@code GET
 * /api/v1/file/async/copy/process?taskId=} → {@code {taskId, status}} with status 0 waiting,
 * 1 running, 2 done, 3 failed.
 *
 * <p>Tasks progress by being asked, not by time ({@link CopyTasks}, {@link #polls}): "waiting",
 * then "running", then the entries are copied (whole subtrees, new ids, the same content) and
 * the task is "done". Much is UNKNOWN and chosen here: the taskId is a number; the 3000 limit
 * ("per level") is applied to the ids of one request and to the entries of any one copied
 * folder; a target that already holds one of the names, a folder copied into itself, and a
 * missing or trashed id are refused when the task is submitted (code 1, like the other batch
 * endpoints); the QPS of both endpoints is not published (unlimited here). A copy that does not
 * fit into the account's space is refused at submit like an upload
 * ({@link OpenApiFrontDoor#spaceFull}); a task that no longer fits when it comes due ends with
 * status 3. {@link #failTasks} makes the next tasks end with status 3 and copy nothing.
 */
public final class OpenAsyncCopy {
  /** The documented limit of ids "per level". */
  public static final int MAX_IDS = 3000;

  private final OpenApiFrontDoor door;
  private final CopyTasks tasks;

  OpenAsyncCopy(OpenApiFrontDoor door) {
    this.door = door;
    this.tasks = new CopyTasks(door::store, 7_000_001);
  }

  void install() {
    door.api("POST", "/api/v1/file/async/copy", true, this::submit);
    door.api("GET", "/api/v1/file/async/copy/process", true, this::process);
  }

  /** How many process queries a new task answers "waiting" (0) and then "running" (1) before it is done. */
  public OpenAsyncCopy polls(int pending, int running) {
    tasks.polls(pending, running);
    return this;
  }

  /** The next {@code n} submitted tasks end with status 3 (failed) and copy nothing. */
  public OpenAsyncCopy failTasks(int n) {
    tasks.failTasks(n);
    return this;
  }

  /** Tasks submitted so far. */
  public int taskCount() {
    return tasks.count();
  }

  private JsonNode submit(FakeRequest req, Account a) {
    List<Long> ids = OpenWire.longList(req, "fileIds");
    long target = OpenWire.requireLong(req, "targetDirId");
    if (ids.isEmpty()) throw fail("fileIds不能为空");
    if (ids.size() > MAX_IDS) throw fail("fileIds最多支持" + MAX_IDS + "个");
    FakeStore store = door.store();
    synchronized (store) {
      door.requireLiveFolder(a.uid(), target);
      CopyTasks.Refusal refused = CopyTasks.check(store, a.uid(), ids, target);
      if (refused != null) {
        throw switch (refused.reason()) {
          case NO_FILE -> error(5066, OpenWire.NO_FILE);
          case INTO_ITSELF -> OpenWire.error(door.intoItselfCode, "不能复制到自身或其子文件夹");
          case NAME_TAKEN -> door.nameClash("目标目录下存在同名文件");
        };
      }
      for (long id : ids) {
        Node n = store.node(a.uid(), id).orElseThrow();
        if (n.folder()) checkLevels(store, a.uid(), n);
      }
      // The copies take space as uploaded files would; a task that no longer fits when it runs fails (3).
      door.checkSpace(a.uid(), CopyTasks.bytes(store, a.uid(), ids));
    }
    CopyTasks.Task t = tasks.submit(a.uid(), ids, target);
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
    CopyTasks.Task t = tasks.task(a.uid(), id);
    if (t == null) throw fail("任务不存在");
    ObjectNode d = OpenWire.object();
    d.put("taskId", t.id);
    d.put("status", tasks.poll(t));
    return d;
  }
}
