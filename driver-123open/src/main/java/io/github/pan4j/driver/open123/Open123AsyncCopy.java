package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Sleeper;
import io.github.pan4j.driver.common123.internal.Outcomes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Server-side copy of folders and of many entries at once (docs/protocol/123open.md §8.14):
 * {@code POST api/v1/file/async/copy} with at most {@value #MAX_IDS} ids starts a task, and
 * {@code GET api/v1/file/async/copy/process} is polled until it reports done (2) or failed (3).
 * The submission creates entries, so it is never repeated on its own (not idempotent); the
 * status query is, and is retried by the engine. Polls start {@link #FIRST_POLL} apart and grow
 * ×1.5 to {@link #MAX_POLL}, on the context's sleeper; the whole wait per task ends at the deadline.
 */
final class Open123AsyncCopy {
  /** Ids per task: the documented limit "per level". */
  static final int MAX_IDS = 3000;
  static final Duration FIRST_POLL = Duration.ofMillis(500);
  static final Duration MAX_POLL = Duration.ofSeconds(5);
  /** How long one task may take before the driver stops waiting. */
  static final Duration DEADLINE = Duration.ofMinutes(30);

  /** A task's state as 123 reports it. */
  enum Status { WAITING, RUNNING, DONE, FAILED }

  /** What a caller sees while a copy runs: the task, its state, the tasks done and in all. */
  record Progress(String taskId, Status status, int task, int tasks) {}

  private final Open123Api api;
  private final Sleeper sleeper;
  private final Duration deadline;

  Open123AsyncCopy(Open123Api api, Sleeper sleeper, Duration deadline) {
    this.api = api;
    this.sleeper = sleeper;
    this.deadline = deadline;
  }

  /** Copies the entries into {@code target}, {@value #MAX_IDS} per task, one task after another. */
  void copy(List<Long> ids, long target, String label, Consumer<Progress> progress) {
    int tasks = (ids.size() + MAX_IDS - 1) / MAX_IDS;
    for (int i = 0; i < tasks; i++) {
      List<Long> batch = ids.subList(i * MAX_IDS, Math.min(ids.size(), (i + 1) * MAX_IDS));
      String taskId = submit(batch, target, label, i * MAX_IDS);
      await(taskId, label, i + 1, tasks, progress);
    }
  }

  /** Starts one task; {@code copiedBefore} entries were copied by the tasks before it. */
  private String submit(List<Long> batch, long target, String label, int copiedBefore) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fileIds", batch);
    body.put("targetDirId", target);
    JsonNode d;
    try {
      d = api.post("copy", label, Open123Limits.ASYNC_COPY, body, false);
    } catch (DriveException e) {
      // Refused for space before any task started: nothing was copied. The size of a folder's
      // subtree is not known here, so the error gives the account's figures only.
      if (Outcomes.spaceFull(e)) {
        throw Open123SpaceFull.error(api, e, "copy", label, "the copy", -1, copiedBefore == 0 ? "Nothing was copied"
            : "The first " + copiedBefore + " entries were copied; the " + batch.size() + " of this task and any after"
            + " them were not");
      }
      // Sent once: 123 may have started the task, and a second one would copy the entries again.
      throw Outcomes.mayHaveTakenEffect(e, "started copying", "look in the target folder");
    }
    String taskId = d.path("taskId").asText("");
    if (taskId.isEmpty() || "0".equals(taskId)) {
      throw Open123Api.protocol("copy", label, "async/copy answered without a taskId", null);
    }
    return taskId;
  }

  private void await(String taskId, String label, int task, int tasks, Consumer<Progress> progress) {
    Instant end = api.clock().instant().plus(deadline);
    Duration delay = FIRST_POLL;
    Status last = null;
    while (true) {
      JsonNode d;
      try {
        d = api.get("copy", label, Open123Limits.ASYNC_COPY_PROCESS, Map.of("taskId", taskId));
      } catch (DriveException e) {
        // The engine repeats a poll after a dropped connection or a 5xx, not after a cut or garbled
        // answer; the task goes on either way, so ask again after the pause instead of reporting a
        // copy that is running (or done) as failed. A cancel stops the waiting, not the task.
        if (e.kind() == ErrorKind.CANCELLED) {
          throw Outcomes.restated(e, "; copy task " + taskId + " had started and 123 goes on copying on its side, so the"
              + " entries may have been copied: look in the target folder before copying again").retryable(false)
              .mayHaveTakenEffect(true).build();
        }
        if (!Outcomes.unknown(e)) throw e;
        delay = pause(taskId, label, delay, end, last, e);
        continue;
      }
      JsonNode s = d.path("status");
      if (!s.canConvertToInt() && !s.isTextual()) {
        throw Open123Api.protocol("copy", label, "async/copy/process answered without a status", null);
      }
      Status status = switch (s.asInt(-1)) {
        case 0 -> Status.WAITING;
        case 1 -> Status.RUNNING;
        case 2 -> Status.DONE;
        case 3 -> Status.FAILED;
        default -> throw Open123Api.protocol("copy", label, "async/copy/process answered status " + s.asText(), null);
      };
      if (status != last) {
        Status now = status;
        try {
          progress.accept(new Progress(taskId, now, task, tasks));
        } catch (RuntimeException ignored) {
          // a failing listener does not stop the copy
        }
        last = status;
      }
      if (status == Status.DONE) return;
      if (status == Status.FAILED) {
        throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "123 reported copy task " + taskId
                + " as failed; some entries may have been copied already — check the target folder, then retry")
            .driver(Open123Provider.ID).operation("copy").target(label).mayHaveTakenEffect(true).build();
      }
      delay = pause(taskId, label, delay, end, status, null);
    }
  }

  /**
   * Waits {@code delay} before the next poll and returns the wait after it; fails past {@code end}
   * (with {@code pollFailure}, the failure of the status query just made, when it failed) and on interrupt.
   */
  private Duration pause(String taskId, String label, Duration delay, Instant end, Status status,
      DriveException pollFailure) {
    if (api.clock().instant().plus(delay).isAfter(end)) {
      // When the last query failed, that is why no end was seen: say so, and keep its failure.
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "123 did not finish copy task " + taskId + " within "
              + deadline + " (last status: " + (status == null ? "unknown" : status.name().toLowerCase())
              + (pollFailure == null ? "" : "; the last status query could not be read: " + pollFailure.reason())
              + "); it may still finish — check the target folder later rather than copying again, which would start"
              + " a second task")
          .driver(Open123Provider.ID).operation("copy").target(label).retryable(false).mayHaveTakenEffect(true)
          .cause(pollFailure).build();
    }
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriveException.builder(ErrorKind.CANCELLED, "copy cancelled by interrupt while waiting for task " + taskId
              + "; 123 goes on copying on its side, so the entries may have been copied: look in the target folder"
              + " before copying again").driver(Open123Provider.ID).operation("copy").target(label)
          .mayHaveTakenEffect(true).build();
    }
    return Duration.ofMillis(Math.min(MAX_POLL.toMillis(), delay.toMillis() * 3 / 2));
  }
}
