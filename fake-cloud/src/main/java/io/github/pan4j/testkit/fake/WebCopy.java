package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.WebJson.F;
import static io.github.pan4j.testkit.fake.WebJson.asLong;
import static io.github.pan4j.testkit.fake.WebJson.error;
import static io.github.pan4j.testkit.fake.WebJson.get;
import static io.github.pan4j.testkit.fake.WebJson.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;

/**
 * Server-side copy of the web API (docs/protocol/123web.md §5.11), behind the usual signature and
 * token checks:
 *
 * <ul>
 *   <li>{@code POST /b/api/restful/goapi/v1/file/copy/async}
 *       {@code {"fileList":[{"fileId",…}],"targetFileId":<id>}} → {@code data {mode, taskId}}:
 *       {@code mode 2} = already done, otherwise poll the task;
 *   <li>{@code GET /b/api/restful/goapi/v1/file/copy/task?taskId=<id>} → {@code data {taskId,
 *       status, reason}}: 0/1 pending, 2 done, 3 failed with {@code reason}.
 * </ul>
 *
 * <p>Items are keyed on {@code fileId} (any key case, number or numeric string); the other item
 * fields clients send ({@code size, etag, type, parentFileId, fileName, driveId}) are not
 * checked. Tasks progress by being polled ({@link CopyTasks}). UNKNOWN and chosen here:
 * <ul>
 *   <li>copies are tasks ({@code mode 1}, a numeric {@code taskId}); {@link #immediate} copies
 *       at once and answers {@code mode 2, taskId 0};
 *   <li>a new task answers 0 to its first poll, 1 to the next, then 2 ({@link #polls});
 *   <li>{@code reason} is {@code ""} unless the task failed: {@code "复制失败"}, or the space-full
 *       text of uploads ({@link WebFrontDoor#spaceFull}) when the copy no longer fitted into the
 *       account's space as it came due;
 *   <li>refusals at submit: a missing or empty {@code fileList} or {@code targetFileId} ⇒
 *       {@code 400 参数错误}; a target that is not a live folder, an unknown or trashed id ⇒
 *       {@code 5066 文件不存在}; a folder into itself or below ⇒ {@code 400 不能复制到自身或其子目录};
 *       a name already in the target (or twice in the list) ⇒ {@code 5060 检测到1个同名文件}
 *       with {@code data {etag,size,updated_at}}, as for a move; copies that do not fit into the
 *       account's space ⇒ the refusal of an {@code upload_request} that does not fit
 *       ({@link WebFrontDoor#spaceFull}, 400 {@code 存储空间不足} by default);
 *   <li>an unknown task ⇒ {@code 400 任务不存在}.
 * </ul>
 */
public final class WebCopy {
  static final String PATH = "/restful/goapi/v1/file/copy";

  private final WebFrontDoor door;
  private final CopyTasks tasks;
  private volatile boolean immediate;

  WebCopy(WebFrontDoor door) {
    this.door = door;
    this.tasks = new CopyTasks(door::store, 8_000_001);
  }

  void install() {
    door.api("POST", PATH + "/async", true, this::submit);
    door.api("GET", PATH + "/task", true, this::task);
  }

  /** How many polls a new task answers 0 (waiting) and then 1 (running) before it is done (default 1, 1). */
  public WebCopy polls(int pending, int running) {
    tasks.polls(pending, running);
    return this;
  }

  /** The next {@code n} tasks end with status 3 and copy nothing (immediate copies are not affected). */
  public WebCopy failTasks(int n) {
    tasks.failTasks(n);
    return this;
  }

  /** Copy at once and answer {@code mode 2} (default false: a task to poll). */
  public WebCopy immediate(boolean value) {
    immediate = value;
    return this;
  }

  /** Tasks submitted so far. */
  public int taskCount() {
    return tasks.count();
  }

  private MockResponse submit(FakeRequest req, WebFrontDoor.Session s) {
    JsonNode list = req.field("fileList");
    Long target = req.longField("targetFileId");
    if (list == null || !list.isArray() || list.isEmpty() || target == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
    List<Long> ids = new ArrayList<>();
    for (JsonNode e : list) {
      Long id = asLong(get(e, "fileId"));
      if (id == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
      ids.add(id);
    }
    FakeStore st = door.store();
    synchronized (st) {
      if (!st.isLiveFolder(s.uid, target)) return error(5066, WebFrontDoor.MSG_NOT_FOUND);
      CopyTasks.Refusal refused = CopyTasks.check(st, s.uid, ids, target);
      if (refused != null) {
        return switch (refused.reason()) {
          case NO_FILE -> error(5066, WebFrontDoor.MSG_NOT_FOUND);
          case INTO_ITSELF -> error(400, "不能复制到自身或其子目录");
          case NAME_TAKEN -> WebFrontDoor.sameName(refused.node());
        };
      }
      // The copies take space as uploaded files would: refused as an upload_request that does not fit.
      if (st.spaceFor(s.uid, CopyTasks.bytes(st, s.uid, ids)) != null) return error(door.spaceFullCode, door.spaceFullMessage);
      ObjectNode d = F.objectNode();
      if (immediate) {
        tasks.copy(s.uid, ids, target);
        d.put("mode", 2);
        d.put("taskId", 0);
      } else {
        d.put("mode", 1);
        d.put("taskId", tasks.submit(s.uid, ids, target).id);
      }
      return ok(d);
    }
  }

  private MockResponse task(FakeRequest req, WebFrontDoor.Session s) {
    Long id = WebJson.parseLong(req.queryIgnoreCase("taskId"));
    if (id == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
    CopyTasks.Task t = tasks.task(s.uid, id);
    if (t == null) return error(400, "任务不存在");
    int status = tasks.poll(t);
    ObjectNode d = F.objectNode();
    d.put("taskId", t.id);
    d.put("status", status);
    d.put("reason", status != 3 ? "" : t.noSpace ? door.spaceFullMessage : "复制失败");
    return ok(d);
  }
}
