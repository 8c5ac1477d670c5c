package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Offline download on the fake open platform (docs/protocol/123open.md, offline download):
 * {@code POST /api/v1/offline/download} {@code {url, fileName?, dirID?, callBackUrl?}} →
 * {@code {taskID}}, and {@code GET /api/v1/offline/download/process?taskID=} →
 * {@code {process, status}} (0 in progress, 1 failed, 2 succeeded, 3 retrying). The work itself is
 * {@link FakeOffline}'s. There is no list or cancel endpoint.
 *
 * <p>The root cannot be the target: without {@code dirID} the file goes to the folder
 * {@value #DEFAULT_FOLDER} under the root, made on first use. Whether an explicit {@code dirID 0}
 * is taken as "absent" or refused is UNKNOWN: by default it is taken as absent (a zero value is
 * what an omitted number decodes to); {@link #refuseRootDirId} makes it a code-1 error instead.
 * Texts of the refusals (not http/https, unknown folder, unknown task) are UNKNOWN; chosen here.
 * A {@code fileName} that breaks the name rules is refused with the invalid-name message.
 */
public final class OpenOffline {
  /** The folder offline downloads go to when no folder is given. */
  public static final String DEFAULT_FOLDER = "来自:离线下载";
  static final String DOWNLOAD = "/api/v1/offline/download";
  static final String PROCESS = "/api/v1/offline/download/process";

  private final OpenApiFrontDoor door;
  private volatile boolean refuseRootDirId;

  OpenOffline(OpenApiFrontDoor door) {
    this.door = door;
  }

  void install(FakeCloud cloud) {
    // Neither official QPS table lists these endpoints (UNKNOWN); OpenList paces them at 1 and 5
    // per second, which we take as the limits.
    door.qps(DOWNLOAD, 1, 1);
    door.qps(PROCESS, 5, 5);
    door.api("POST", DOWNLOAD, true, this::download);
    door.api("GET", PROCESS, true, this::process);
  }

  /** Refuse {@code dirID: 0} with code 1 instead of using the default folder (default false). */
  public OpenOffline refuseRootDirId(boolean v) {
    refuseRootDirId = v;
    return this;
  }

  boolean refusesRootDirId() {
    return refuseRootDirId;
  }

  private FakeOffline engine() {
    return FakeOffline.of(door.cloud());
  }

  private JsonNode download(FakeRequest req, Account a) {
    String url = OpenWire.requireText(req, "url");
    if (!FakeOffline.httpUrl(url)) throw fail("url格式错误，仅支持http/https协议的链接");
    // fileName names a new file, so it follows the name rules of every other new file (§7.2) and
    // is refused as mkdir and the uploads refuse a bad name; what 123 does with one (refuse or
    // clean it up) is UNKNOWN. An empty one is no name: the URL's is taken.
    String fileName = req.textField("fileName");
    if (fileName != null && fileName.isEmpty()) fileName = null;
    if (fileName != null) door.checkName(fileName);
    JsonNode dirNode = req.field("dirID");
    Long dir = null;
    if (dirNode != null && !dirNode.isNull() && !(dirNode.isTextual() && dirNode.asText().isBlank())) {
      dir = req.longField("dirID");
      if (dir == null) throw fail("dirID参数格式错误");
    }
    FakeStore st = door.store();
    long target;
    synchronized (st) {
      if (dir != null && dir == FakeStore.ROOT && refuseRootDirId) throw fail("不支持离线下载到根目录");
      if (dir == null || dir == FakeStore.ROOT) {
        target = st.child(a.uid(), FakeStore.ROOT, DEFAULT_FOLDER).filter(Node::folder)
            .orElseGet(() -> st.mkdir(a.uid(), FakeStore.ROOT, DEFAULT_FOLDER)).id();
      } else {
        if (!st.isLiveFolder(a.uid(), dir)) throw fail("目标文件夹不存在");
        target = dir;
      }
    }
    FakeOffline.Task t = engine().create("open", a.uid(), url, target, fileName, req.textField("callBackUrl"));
    ObjectNode d = OpenWire.object();
    d.put("taskID", t.id);
    return d;
  }

  private JsonNode process(FakeRequest req, Account a) {
    Long id = OpenWire.queryLong(req, "taskID");
    if (id == null) throw fail("taskID不能为空");
    FakeOffline.Task t = engine().task(a.uid(), id).filter(x -> x.protocol.equals("open"))
        .orElseThrow(() -> fail("离线下载任务不存在"));
    engine().advance(t);
    FakeOffline.TaskView v = t.view();
    ObjectNode d = OpenWire.object();
    d.put("process", v.percent());
    d.put("status", v.status());
    return d;
  }
}
