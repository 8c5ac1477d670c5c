package io.github.pan4j.driver.pan123;

import io.github.pan4j.driver.common123.internal.Outcomes;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.driver.common123.web.WebApi;
import io.github.pan4j.driver.common123.web.WebErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offline download through the web API (docs/protocol/123web.md, offline download): resolve the
 * URL to a resource, submit the resource into a folder, read tasks from the task list (there is
 * no per-task status call), delete tasks. All calls are signed like every other web call.
 */
final class Pan123Offline {
  static final String RESOLVE = "v2/offline_download/task/resolve";
  static final String SUBMIT = "v2/offline_download/task/submit";
  static final String LIST = "offline_download/task/list";
  static final String DELETE = "offline_download/task/delete";
  static final int PAGE_SIZE = 100;
  /** Every status: 0 downloading, 1 failed, 2 succeeded, 3 retrying, 4 waiting. */
  static final List<Integer> ALL_STATUSES = List.of(0, 1, 2, 3, 4);
  /** Pages read at most while looking for one task (10,000 tasks). */
  static final int MAX_PAGES = 100;

  private final WebApi api;
  private final String driverId;

  Pan123Offline(WebApi api, String driverId) {
    this.api = api;
    this.driverId = driverId;
  }

  OfflineTask add(String url, long folder) {
    String u = Driver.OfflineDownload.checkUrl(url);
    String target = Long.toString(folder);
    // Resolving only inspects the URL: safe to repeat.
    JsonNode resolved = api.postRead("offline", target, RESOLVE, Map.of("urls", u));
    JsonNode first = resolved == null ? null : resolved.path("list").path(0);
    if (first == null || first.isMissingNode()) throw protocol(target, "resolve answered without list[0]");
    if (first.path("result").asInt(-1) != 0) {
      String msg = first.path("err_msg").asText("");
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT,
              "123 cannot download this URL (" + (msg.isEmpty() ? "resolve refused it" : msg) + "); check that it is a direct http(s) link to a file")
          .driver(driverId).operation("offline").target(target).providerCode(String.valueOf(first.path("err_code").asInt())).providerMessage(msg)
          .build();
    }
    long resource = first.path("id").asLong(0);
    List<Long> files = new ArrayList<>();
    for (JsonNode f : first.path("files")) files.add(f.path("id").asLong());
    String name = first.path("files").path(0).path("name").asText(null);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("resource_id", resource);
    item.put("select_file_id", files);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("resource_list", List.of(item));
    body.put("upload_dir", folder);
    // Not idempotent: a repeated submit would start a second download.
    JsonNode submitted;
    try {
      submitted = api.post("offline", target, SUBMIT, body, false);
    } catch (DriveException e) {
      throw Outcomes.mayHaveTakenEffect(e, "started the download", "list the offline tasks (drive.offlineTasks())");
    }
    JsonNode task = submitted == null ? null : submitted.path("task_list").path(0);
    if (task == null || task.isMissingNode()) throw protocol(target, "submit answered without task_list[0]");
    if (task.path("result").asInt(-1) != 0 || task.path("task_id").asLong(0) <= 0) {
      String msg = task.path("err_msg").asText("");
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "123 did not start the download" + (msg.isEmpty() ? "" : " (" + msg + ")")
              + "; try again, or add it in the web client to see why")
          .driver(driverId).operation("offline").target(target).providerMessage(msg).build();
    }
    return new OfflineTask(task.path("task_id").asText(), u, OfflineState.WAITING, 0, name, null, null);
  }

  OfflineTask find(String taskId) {
    for (int page = 1; page <= MAX_PAGES; page++) {
      JsonNode data = page(page, taskId);
      for (JsonNode t : data.path("list")) {
        if (t.path("task_id").asText().equals(taskId)) return task(t);
      }
      if ((long) page * PAGE_SIZE >= data.path("total").asLong(0)) break;
    }
    throw DriveException.builder(ErrorKind.NOT_FOUND, "123 lists no offline task " + taskId + " (it may have been deleted)")
        .driver(driverId).operation("offline").target(taskId).build();
  }

  List<OfflineTask> all() {
    List<OfflineTask> out = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      JsonNode data = page(page, null);
      for (JsonNode t : data.path("list")) out.add(task(t));
      if ((long) page * PAGE_SIZE >= data.path("total").asLong(0) || data.path("list").isEmpty()) break;
    }
    return out;
  }

  void remove(String taskId) {
    long id;
    try {
      id = Long.parseLong(taskId.trim());
    } catch (NumberFormatException e) {
      return; // no such task: removing it succeeds
    }
    api.post("offline_remove", taskId, DELETE, Map.of("task_ids", List.of(id)), true);
  }

  private JsonNode page(int page, String target) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("current_page", page);
    body.put("page_size", PAGE_SIZE);
    body.put("status_arr", ALL_STATUSES);
    JsonNode data = api.postRead("offline_tasks", target, LIST, body);
    if (data == null || !data.path("list").isArray()) throw protocol(target, "task list answered without a list array");
    return data;
  }

  private static OfflineTask task(JsonNode t) {
    String name = t.path("name").asText("");
    return new OfflineTask(t.path("task_id").asText(), null, stateOf(t.path("status").asInt(0)), t.path("progress").asDouble(0),
        name.isEmpty() ? null : name, null, null);
  }

  static OfflineState stateOf(int status) {
    return switch (status) {
      case 1 -> OfflineState.FAILED;
      case 2 -> OfflineState.SUCCEEDED;
      case 3 -> OfflineState.RETRYING;
      case 4 -> OfflineState.WAITING;
      default -> OfflineState.IN_PROGRESS;
    };
  }

  private DriveException protocol(String target, String message) {
    return DriveException.builder(ErrorKind.PROTOCOL, "unexpected answer from 123: " + message).driver(driverId).operation("offline")
        .target(target).build();
  }
}
