package io.github.pan4j.driver.open123;

import io.github.pan4j.driver.common123.internal.Outcomes;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.spi.Driver;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Offline download on the open platform (docs/protocol/123open.md, offline download):
 * {@code POST offline/download} starts a task, {@code GET offline/download/process} reports its
 * percent and status. The platform has no task list and no cancel, so this driver offers
 * {@link io.github.pan4j.core.Capability#OFFLINE_DOWNLOAD} only; its status call names neither the
 * URL, the file nor a fail reason (those go to the callback URL, option {@code offlineCallbackUrl}).
 */
final class Open123Offline {
  /** The folder 123 puts downloads into when no folder is given; the root itself cannot be chosen. */
  static final String DEFAULT_FOLDER = "来自:离线下载";
  private static final int REMEMBERED = 1000;

  private final Open123Api api;
  private final Open123Config config;
  /** URLs of the tasks this driver added (the status call does not return them), newest last. */
  private final Map<String, String> urls = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  });

  Open123Offline(Open123Api api, Open123Config config) {
    this.api = api;
    this.config = config;
  }

  OfflineTask add(String url, String folderId) {
    String u = Driver.OfflineDownload.checkUrl(url);
    long dir = Open123Errors.id(folderId, "offline");
    if (dir == 0) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "123open cannot download into the root folder; choose a folder "
              + "(the web client's default is '/" + DEFAULT_FOLDER + "')")
          .driver(Open123Provider.ID).operation("offline").target(folderId).build();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", u);
    body.put("dirID", dir);
    if (config.offlineCallbackUrl() != null) body.put("callBackUrl", config.offlineCallbackUrl().reveal());
    // Not idempotent: a repeated request would start a second download.
    JsonNode d;
    try {
      d = api.post("offline", folderId, Open123Limits.OFFLINE, body, false);
    } catch (DriveException e) {
      throw Outcomes.mayHaveTakenEffect(e, "started the download",
          "look at the offline downloads of the 123 web client and in the folder");
    }
    long task = d.path("taskID").asLong(0);
    if (task <= 0) throw Open123Api.protocol("offline", folderId, "offline/download answered without a taskID", null);
    String id = Long.toString(task);
    urls.put(id, u);
    return new OfflineTask(id, u, OfflineState.IN_PROGRESS, 0, null, null, null);
  }

  OfflineTask status(String taskId) {
    long task;
    try {
      task = Long.parseLong(taskId.trim());
    } catch (NumberFormatException e) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "'" + taskId + "' is not a 123 offline task id (they are decimal numbers)")
          .driver(Open123Provider.ID).operation("offline").target(taskId).build();
    }
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("taskID", task);
    JsonNode d;
    try {
      d = api.get("offline", taskId, Open123Limits.OFFLINE_PROCESS, q);
    } catch (DriveException e) {
      if (e.kind() != ErrorKind.NOT_FOUND) throw e;
      // The generic advice speaks of files and folders; this id names a task.
      throw DriveException.builder(ErrorKind.NOT_FOUND, "123 knows no offline task " + taskId
              + "; give the id that adding the task returned")
          .driver(Open123Provider.ID).operation("offline").target(taskId).providerFrom(e).cause(e).build();
    }
    if (!d.path("status").isNumber()) {
      throw Open123Api.protocol("offline", taskId, "offline/download/process answered without a status", null);
    }
    return new OfflineTask(taskId, urls.get(taskId), stateOf(d.path("status").asInt()), d.path("process").asDouble(0), null,
        null, null);
  }

  /** 0 in progress, 1 failed, 2 succeeded, 3 retrying; anything else is read as in progress. */
  static OfflineState stateOf(int status) {
    return switch (status) {
      case 1 -> OfflineState.FAILED;
      case 2 -> OfflineState.SUCCEEDED;
      case 3 -> OfflineState.RETRYING;
      default -> OfflineState.IN_PROGRESS;
    };
  }
}
