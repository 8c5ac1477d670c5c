package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.WebJson.F;
import static io.github.pan4j.testkit.fake.WebJson.asLong;
import static io.github.pan4j.testkit.fake.WebJson.error;
import static io.github.pan4j.testkit.fake.WebJson.get;
import static io.github.pan4j.testkit.fake.WebJson.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;

/**
 * Offline download on the fake web API (docs/protocol/123web.md, offline download), signed and
 * authenticated like every {@code /b/api} call:
 *
 * <ul>
 *   <li>{@code POST /b/api/v2/offline_download/task/resolve} {@code {"urls": "<url>[\n<url>…]"}} →
 *       {@code {"list": [{"result", "id", "err_code", "err_msg", "files": [{"id","name","size"}]}]}};
 *       a URL that is not http/https resolves with {@code result} ≠ 0;
 *   <li>{@code POST /b/api/v2/offline_download/task/submit}
 *       {@code {"resource_list":[{"resource_id","select_file_id":[…]}],"upload_dir":<id>}} →
 *       {@code {"task_list":[{"task_id","result"}]}};
 *   <li>{@code POST /b/api/offline_download/task/list}
 *       {@code {"current_page","page_size","status_arr":[…]}} → {@code {"has_run","total","list":[…]}};
 *       every call is one poll of the listed tasks ({@link FakeOffline});
 *   <li>{@code POST /b/api/offline_download/task/delete} {@code {"task_ids":[…]}}.
 * </ul>
 *
 * The error codes and texts of a bad resolve, an unknown resource and a missing folder are
 * UNKNOWN; chosen here. Whether the root may be the target on the web API is UNKNOWN: allowed by
 * default, {@link #refuseRoot} refuses it.
 */
public final class WebOffline {
  static final String RESOLVE = "/v2/offline_download/task/resolve";
  static final String SUBMIT = "/v2/offline_download/task/submit";
  static final String LIST = "/offline_download/task/list";
  static final String DELETE = "/offline_download/task/delete";
  static final int ERR_BAD_URL = 10001;
  static final String MSG_BAD_URL = "链接格式不正确，仅支持http/https链接";

  private final WebFrontDoor door;
  private final AtomicLong resourceIds = new AtomicLong(880_001);
  private final Map<Long, Resource> resources = new ConcurrentHashMap<>();
  private volatile boolean refuseRoot;

  private record Resource(long id, long uid, String url, String name) {}

  WebOffline(WebFrontDoor door) {
    this.door = door;
  }

  void install(FakeCloud cloud) {
    route(cloud, RESOLVE, this::resolve);
    route(cloud, SUBMIT, this::submit);
    route(cloud, LIST, this::list);
    route(cloud, DELETE, this::delete);
  }

  /** Refuse {@code upload_dir: 0} (the root) with code 400 (default false: allowed). */
  public WebOffline refuseRoot(boolean v) {
    refuseRoot = v;
    return this;
  }

  private void route(FakeCloud cloud, String endpoint, WebFrontDoor.ApiHandler h) {
    String path = WebFrontDoor.API + endpoint;
    cloud.route("web", "POST", path, req -> door.gate(req, path, true, h));
  }

  private FakeOffline engine() {
    return FakeOffline.of(door.cloud());
  }

  private MockResponse resolve(FakeRequest req, WebFrontDoor.Session s) {
    String urls = req.textField("urls");
    if (urls == null || urls.isBlank()) return error(400, WebFrontDoor.MSG_BAD_ARG);
    ArrayNode list = F.arrayNode();
    for (String line : urls.split("\n")) {
      String url = line.strip();
      if (url.isEmpty()) continue;
      ObjectNode o = list.addObject();
      if (!FakeOffline.httpUrl(url)) {
        o.put("result", 1);
        o.put("id", 0);
        o.put("err_code", ERR_BAD_URL);
        o.put("err_msg", MSG_BAD_URL);
        o.set("files", F.arrayNode());
        continue;
      }
      Resource r = new Resource(resourceIds.getAndIncrement(), s.uid, url, FakeOffline.nameOf(url));
      resources.put(r.id(), r);
      o.put("result", 0);
      o.put("id", r.id());
      o.put("err_code", 0);
      o.put("err_msg", "");
      ArrayNode files = o.putArray("files");
      ObjectNode f = files.addObject();
      f.put("id", 0);
      f.put("name", r.name());
      f.put("size", 0); // the size is known only once fetched
    }
    ObjectNode d = F.objectNode();
    d.set("list", list);
    return ok(d);
  }

  private MockResponse submit(FakeRequest req, WebFrontDoor.Session s) {
    JsonNode resList = req.field("resource_list");
    Long dir = req.longField("upload_dir");
    if (resList == null || !resList.isArray() || resList.isEmpty() || dir == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
    FakeStore st = door.store();
    synchronized (st) {
      if (dir == FakeStore.ROOT && refuseRoot) return error(400, "不支持离线下载到根目录");
      if (dir != FakeStore.ROOT && !st.isLiveFolder(s.uid, dir)) return error(5066, WebFrontDoor.MSG_NOT_FOUND);
    }
    ArrayNode out = F.arrayNode();
    for (JsonNode item : resList) {
      Long rid = asLong(get(item, "resource_id"));
      Resource r = rid == null ? null : resources.get(rid);
      ObjectNode o = out.addObject();
      if (r == null || r.uid() != s.uid) {
        o.put("task_id", 0);
        o.put("result", 1);
        o.put("err_msg", "资源不存在或已过期，请重新解析");
        continue;
      }
      FakeOffline.Task t = engine().create("web", s.uid, r.url(), dir, r.name(), null);
      o.put("task_id", t.id);
      o.put("result", 0);
    }
    ObjectNode d = F.objectNode();
    d.set("task_list", out);
    return ok(d);
  }

  private MockResponse list(FakeRequest req, WebFrontDoor.Session s) {
    Long page = req.longField("current_page");
    Long size = req.longField("page_size");
    if (page == null || page < 1 || size == null || size < 1) return error(400, WebFrontDoor.MSG_BAD_ARG);
    Set<Integer> statuses = new HashSet<>();
    JsonNode arr = req.field("status_arr");
    if (arr != null && arr.isArray()) {
      for (JsonNode n : arr) {
        // A status is an int: a number past 32 bits is refused, not wrapped onto another status.
        boolean number = n.isIntegralNumber() && n.canConvertToInt();
        boolean numeric = n.isTextual() && n.asText().matches("-?\\d{1,9}");
        if (!number && !numeric) return error(400, WebFrontDoor.MSG_BAD_ARG);
        statuses.add(number ? n.intValue() : Integer.parseInt(n.asText()));
      }
    }
    List<FakeOffline.Task> all = new ArrayList<>(engine().tasksOf(s.uid, "web"));
    java.util.Collections.reverse(all); // newest first
    all.forEach(engine()::advance);
    List<FakeOffline.TaskView> views = all.stream().map(FakeOffline.Task::view)
        .filter(v -> statuses.isEmpty() || statuses.contains(v.status())).toList();
    ArrayNode list = F.arrayNode();
    FakeStore st = door.store();
    // A page past the end is empty, however large page × size (no overflow).
    int n = views.size();
    long from = page == 1 ? 0 : size >= n || page - 1 >= n ? n : Math.min(n, (page - 1) * size);
    long to = Math.min(n, from + Math.min(size, n));
    for (int i = (int) from; i < to; i++) {
      FakeOffline.TaskView v = views.get(i);
      FakeOffline.Task t = all.stream().filter(x -> x.id == v.id()).findFirst().orElseThrow();
      ObjectNode o = list.addObject();
      o.put("task_id", v.id());
      o.put("name", t.name);
      o.put("status", v.status());
      o.put("size", t.size);
      o.put("third_task_id", "");
      o.put("downloaded", v.status() == FakeOffline.SUCCEEDED ? t.size : Math.round(t.size * v.percent() / 100));
      o.put("progress", v.percent());
      o.put("upload_idr", v.dirId());
      o.put("upload_name", v.dirId() == FakeStore.ROOT ? "" : st.node(s.uid, v.dirId()).map(Node::name).orElse(""));
      o.put("type", 1);
      o.put("speed", 0);
    }
    ObjectNode d = F.objectNode();
    d.put("has_run", views.stream().anyMatch(v -> v.status() == FakeOffline.IN_PROGRESS || v.status() == FakeOffline.RETRYING) ? 1 : 0);
    d.put("total", views.size());
    d.set("list", list);
    return ok(d);
  }

  private MockResponse delete(FakeRequest req, WebFrontDoor.Session s) {
    JsonNode ids = req.field("task_ids");
    if (ids == null || !ids.isArray() || ids.isEmpty()) return error(400, WebFrontDoor.MSG_BAD_ARG);
    for (JsonNode n : ids) {
      Long id = asLong(n);
      if (id == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
      engine().task(s.uid, id).filter(t -> t.protocol.equals("web")).ifPresent(engine()::remove);
    }
    return ok(null);
  }
}
