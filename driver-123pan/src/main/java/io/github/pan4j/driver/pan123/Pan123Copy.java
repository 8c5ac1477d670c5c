package io.github.pan4j.driver.pan123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.driver.common123.web.WebApi;
import io.github.pan4j.driver.common123.web.WebErrors;
import io.github.pan4j.driver.common123.web.WebItems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side copy of one file or folder (docs/protocol/123web.md §5.11): {@code POST
 * restful/goapi/v1/file/copy/async} with the entry, answered either done at once ({@code mode 2})
 * or with a task that {@code GET restful/goapi/v1/file/copy/task} is polled for until it reports
 * done (2) or failed (anything but 0, 1, 2). The submission creates entries, so it is sent once and
 * never repeated on its own; after a lost answer the target folder is looked at for the copy. The
 * status query only reads and is retried by the engine. Polls start {@link #FIRST_POLL} apart and
 * grow ×1.5 to {@link #MAX_POLL} on the context's sleeper; the wait ends at {@link #DEADLINE}.
 */
final class Pan123Copy {
  static final String ASYNC = "restful/goapi/v1/file/copy/async";
  static final String TASK = "restful/goapi/v1/file/copy/task";
  static final Duration FIRST_POLL = Duration.ofMillis(500);
  static final Duration MAX_POLL = Duration.ofSeconds(5);
  /** How long one copy task may take before the driver stops waiting for it. */
  static final Duration DEADLINE = Duration.ofMinutes(30);

  private final Pan123Driver driver;
  private final WebApi api;
  private final DriverContext context;

  Pan123Copy(Pan123Driver driver, WebApi api, DriverContext context) {
    this.driver = driver;
    this.api = api;
    this.context = context;
  }

  /**
   * Copies {@code source} (a live item) into folder {@code target}, whose listing {@code names}
   * showed no entry of the source's name, and returns the copy.
   */
  Entry copy(JsonNode source, long target) {
    long fid = WebItems.fileId(source);
    String name = WebItems.text(source, "FileName");
    String label = Long.toString(fid);
    boolean folder = WebItems.isFolder(source);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("fileId", fid);
    item.put("size", WebItems.number(source, "Size", 0));
    item.put("etag", folder ? "" : String.valueOf(WebItems.text(source, "Etag")));
    item.put("type", folder ? 1 : 0);
    item.put("parentFileId", WebItems.number(source, "ParentFileId", 0));
    item.put("fileName", name);
    item.put("driveId", 0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fileList", List.of(item));
    body.put("targetFileId", target);
    JsonNode d;
    try {
      d = api.post("copy", label, ASYNC, body, false);
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.QUOTA_EXCEEDED && e.providerCode().isPresent()) {
        throw Pan123Uploads.spaceFull(driver, e, "copy", label,
            folder ? null : "this copy needs " + WebItems.number(source, "Size", 0), "copy again. Nothing was copied");
      }
      if (!Outcomes.unknown(e)) throw e;
      // A lost or cut answer: 123 may have copied it already (mode 2) or started a task. The name
      // was free before, so an entry of that name and kind there now is the copy. Not found: a task
      // may still be running, whose id was in the lost answer; sending again could copy it twice.
      Optional<JsonNode> made;
      try {
        made = lookFor(source, target);
      } catch (DriveException lookup) {
        throw Outcomes.lookFailed(e, lookup);
      }
      if (made.isPresent()) return WebItems.toEntry(made.get(), Pan123Provider.ID, "copy");
      throw Outcomes.mayHaveTakenEffect(e, "started copying (123 may still be copying)",
          "look in the target folder for '" + name + "' a while later");
    }
    if (WebItems.number(d, "mode", 0) != 2) {
      String taskId = WebItems.text(d, "taskId");
      if (taskId == null || taskId.isEmpty() || "0".equals(taskId)) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "copy/async answered neither done (mode 2) nor a taskId; 123 may"
                + " have started copying, so look in the target folder before copying again")
            .driver(Pan123Provider.ID).operation("copy").target(label).retryable(false).mayHaveTakenEffect(true).build();
      }
      await(taskId, label);
    }
    Optional<JsonNode> copy = Outcomes.readBack(() -> lookFor(source, target), "the copy");
    return copy.map(i -> WebItems.toEntry(i, Pan123Provider.ID, "copy")).orElseThrow(() -> DriveException.builder(
            ErrorKind.PROTOCOL, "123 reported the copy of '" + name + "' as done, but the target folder " + target
                + " has no entry of that name; look there again later before copying again")
        .driver(Pan123Provider.ID).operation("copy").target(label).retryable(false).mayHaveTakenEffect(true).build());
  }

  /** The entry of the source's name and kind (and, for a file, size and MD5) in {@code target}. */
  private Optional<JsonNode> lookFor(JsonNode source, long target) {
    boolean folder = WebItems.isFolder(source);
    String etag = String.valueOf(WebItems.text(source, "Etag"));
    long size = WebItems.number(source, "Size", -1);
    return driver.childNamed(target, WebItems.text(source, "FileName"), "copy")
        .filter(c -> WebItems.isFolder(c) == folder
            && (folder || (etag.equalsIgnoreCase(String.valueOf(WebItems.text(c, "Etag")))
                && WebItems.number(c, "Size", -1) == size)));
  }

  private void await(String taskId, String label) {
    Clock clock = context.clock();
    Instant end = clock.instant().plus(DEADLINE);
    Duration delay = FIRST_POLL;
    int last = -1;
    while (true) {
      pause(taskId, label, delay, end, last, null);
      delay = Duration.ofMillis(Math.min(MAX_POLL.toMillis(), delay.toMillis() * 3 / 2));
      JsonNode d;
      try {
        d = api.get("copy", label, TASK, Map.of("taskId", taskId), true);
      } catch (DriveException e) {
        if (e.kind() == ErrorKind.CANCELLED) {
          throw Outcomes.restated(e, "; copy task " + taskId + " had started and 123 goes on copying on its side, so"
              + " look in the target folder before copying again").retryable(false).mayHaveTakenEffect(true).build();
        }
        // The task goes on whatever happened to this query: a lost answer, or throttling the engine
        // has already waited out, is asked again after the next pause, not reported as a failed copy.
        if (Outcomes.unknown(e) || e.kind() == ErrorKind.RATE_LIMITED) {
          if (clock.instant().plus(delay).isAfter(end)) pause(taskId, label, delay, end, last, e);
          continue;
        }
        throw e;
      }
      long status = WebItems.number(d, "status", -1);
      if (status < 0) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "copy/task answered without a status for task " + taskId
                + "; 123 may still be copying, so look in the target folder before copying again")
            .driver(Pan123Provider.ID).operation("copy").target(label).retryable(false).mayHaveTakenEffect(true).build();
      }
      if (status == 2) return;
      if (status != 0 && status != 1) failed(taskId, label, status, WebItems.text(d, "reason"));
      last = (int) status;
    }
  }

  private static void failed(String taskId, String label, long status, String reason) {
    String why = reason == null || reason.isBlank() ? "no reason given" : "reason: " + reason;
    if (WebErrors.isSpaceFull(reason)) {
      throw DriveException.builder(ErrorKind.QUOTA_EXCEEDED, "123 ended copy task " + taskId + " (status " + status
              + ", " + why + ") because the account's space is full; free space (delete files and empty the recycle"
              + " bin, whose files count too) or get more space, then look in the target folder before copying again"
              + " (part of a folder may have been copied)")
          .driver(Pan123Provider.ID).operation("copy").target(label).providerMessage(reason).retryable(false)
          .mayHaveTakenEffect(true).build();
    }
    throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "123 reported copy task " + taskId + " as failed (status "
            + status + ", " + why + "); part of a folder may have been copied, so look in the target folder and"
            + " remove what is there before copying again")
        .driver(Pan123Provider.ID).operation("copy").target(label).providerMessage(reason).retryable(false)
        .mayHaveTakenEffect(true).build();
  }

  /**
   * Waits {@code delay} before a poll; fails when that would pass {@code end} (keeping
   * {@code pollFailure}, the failure of the last status query, when it failed) and on interrupt.
   */
  private void pause(String taskId, String label, Duration delay, Instant end, int status, DriveException pollFailure) {
    if (context.clock().instant().plus(delay).isAfter(end)) {
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "123 did not finish copy task " + taskId + " within "
              + DEADLINE + " (last status: " + (status < 0 ? "unknown" : status == 0 ? "waiting" : "running")
              + (pollFailure == null ? "" : "; the last status query failed: " + pollFailure.reason())
              + "); it may still finish, so look in the target folder later rather than copying again, which would"
              + " start a second task")
          .driver(Pan123Provider.ID).operation("copy").target(label).retryable(false).mayHaveTakenEffect(true)
          .cause(pollFailure).build();
    }
    try {
      context.sleeper().sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriveException.builder(ErrorKind.CANCELLED, "copy cancelled by interrupt while waiting for task " + taskId
              + "; 123 goes on copying on its side, so look in the target folder before copying again")
          .driver(Pan123Provider.ID).operation("copy").target(label).mayHaveTakenEffect(true).build();
    }
  }
}
