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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Server-side copy of files and folders (docs/protocol/123web.md §5.11): {@code POST
 * restful/goapi/v1/file/copy/async} with up to {@link #MAX_ENTRIES} entries, answered either done at once ({@code mode 2})
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
  /**
   * Entries per task. How many 123 takes in one {@code fileList} is not known; 100 is the driver's
   * own choice, small enough for one request body and few enough to look for after a lost answer.
   */
  static final int MAX_ENTRIES = 100;
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
   * Copies {@code source} (a live item) into folder {@code target}, whose listing showed no entry
   * of the source's name, and returns the copy.
   */
  Entry copy(JsonNode source, long target) {
    return copy(List.of(source), target, Long.toString(WebItems.fileId(source)), copied -> { }).get(0);
  }

  /**
   * Copies {@code sources} (live items of distinct names, none of them taken in folder
   * {@code target}) into {@code target}, {@link #MAX_ENTRIES} per task, one task after another,
   * and returns the copies in the same order. {@code copied} hears how many are copied after each
   * task. Stops at the first failure; the tasks before it stay done.
   */
  List<Entry> copy(List<JsonNode> sources, long target, String label, IntConsumer copied) {
    List<Entry> copies = new ArrayList<>(sources.size());
    for (int from = 0; from < sources.size(); from += MAX_ENTRIES) {
      List<JsonNode> batch = sources.subList(from, Math.min(sources.size(), from + MAX_ENTRIES));
      copies.addAll(copyBatch(batch, target, label, from));
      copied.accept(copies.size());
    }
    return copies;
  }

  /** One task for {@code batch}; {@code copiedBefore} entries were copied by the tasks before it. */
  private List<Entry> copyBatch(List<JsonNode> batch, long target, String label, int copiedBefore) {
    List<Map<String, Object>> items = new ArrayList<>(batch.size());
    boolean anyFolder = false;
    long bytes = 0;
    for (JsonNode source : batch) {
      boolean folder = WebItems.isFolder(source);
      anyFolder |= folder;
      bytes += WebItems.number(source, "Size", 0);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("fileId", WebItems.fileId(source));
      item.put("size", WebItems.number(source, "Size", 0));
      item.put("etag", folder ? "" : String.valueOf(WebItems.text(source, "Etag")));
      item.put("type", folder ? 1 : 0);
      item.put("parentFileId", WebItems.number(source, "ParentFileId", 0));
      item.put("fileName", WebItems.text(source, "FileName"));
      item.put("driveId", 0);
      items.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fileList", items);
    body.put("targetFileId", target);
    String what = batch.size() == 1 ? "'" + WebItems.text(batch.get(0), "FileName") + "'"
        : "the " + batch.size() + " entries of this task";
    String before = copiedBefore == 0 ? "" : " (the first " + copiedBefore + " entries were copied by earlier tasks)";
    JsonNode d;
    try {
      d = api.post("copy", label, ASYNC, body, false);
    } catch (DriveException e) {
      if (Outcomes.spaceFull(e)) {
        throw Pan123Uploads.spaceFull(driver, e, "copy", label, anyFolder ? null : "this copy needs " + bytes,
            copiedBefore == 0 ? "copy again. Nothing was copied" : "copy the rest again. The first " + copiedBefore
                + " entries were copied; the " + batch.size() + " of this task and any after them were not");
      }
      if (!Outcomes.unknown(e)) throw e;
      // A lost or cut answer: 123 may have copied them already (mode 2) or started a task. The
      // names were free before, so entries of those names and kinds there now are the copies. Not
      // all found: a task may still be running, whose id was in the lost answer; sending again
      // could copy them twice.
      List<JsonNode> made;
      try {
        made = lookFor(batch, target);
      } catch (DriveException lookup) {
        throw Outcomes.lookFailed(e, lookup);
      }
      if (made != null) return entries(made);
      throw Outcomes.mayHaveTakenEffect(e, "started copying (123 may still be copying)",
          "look in the target folder for " + what + " a while later" + before);
    }
    if (WebItems.number(d, "mode", 0) != 2) {
      String taskId = WebItems.text(d, "taskId");
      if (taskId == null || taskId.isEmpty() || "0".equals(taskId)) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "copy/async answered neither done (mode 2) nor a taskId; 123 may"
                + " have started copying, so look in the target folder before copying again" + before)
            .driver(Pan123Provider.ID).operation("copy").target(label).retryable(false).mayHaveTakenEffect(true).build();
      }
      await(taskId, label);
    }
    Optional<List<JsonNode>> copies = Outcomes.readBack(() -> Optional.ofNullable(lookFor(batch, target)), "the copy");
    return copies.map(Pan123Copy::entries).orElseThrow(() -> DriveException.builder(
            ErrorKind.PROTOCOL, "123 reported the copy of " + what + " as done, but the target folder " + target
                + " has no entry of that name; look there again later before copying again" + before)
        .driver(Pan123Provider.ID).operation("copy").target(label).retryable(false).mayHaveTakenEffect(true).build());
  }

  private static List<Entry> entries(List<JsonNode> items) {
    return items.stream().map(i -> WebItems.toEntry(i, Pan123Provider.ID, "copy")).toList();
  }

  /**
   * The entries of the sources' names and kinds (and, for a file, size and MD5) in
   * {@code target}, in the sources' order, from one listing; null unless every source has one.
   */
  private List<JsonNode> lookFor(List<JsonNode> sources, long target) {
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode c : driver.listItems(target, "copy", Long.toString(target))) {
      if (!WebItems.isTrashed(c)) byName.putIfAbsent(WebItems.text(c, "FileName"), c);
    }
    List<JsonNode> found = new ArrayList<>(sources.size());
    for (JsonNode source : sources) {
      JsonNode c = byName.get(WebItems.text(source, "FileName"));
      if (c == null || !sameKind(source, c)) return null;
      found.add(c);
    }
    return found;
  }

  private static boolean sameKind(JsonNode source, JsonNode c) {
    boolean folder = WebItems.isFolder(source);
    return WebItems.isFolder(c) == folder
        && (folder || (String.valueOf(WebItems.text(source, "Etag")).equalsIgnoreCase(String.valueOf(WebItems.text(c, "Etag")))
            && WebItems.number(c, "Size", -1) == WebItems.number(source, "Size", -1)));
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
