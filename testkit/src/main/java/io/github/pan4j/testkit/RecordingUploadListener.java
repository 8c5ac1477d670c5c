package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An {@link UploadListener} that records every call, for assertions. Thread-safe: calls from
 * several upload threads are recorded in the order they arrive.
 *
 * <pre>{@code
 * RecordingUploadListener rec = new RecordingUploadListener();
 * drive.put("/a.bin", file, UploadOptions.DEFAULT.withListener(rec));
 * rec.assertCompletedOnce();
 * rec.assertPhasesInOrder();
 * }</pre>
 */
public final class RecordingUploadListener implements UploadListener {
  /** One recorded call. */
  public record Event(String method, UploadProgress progress) {}

  private final List<Event> events = new ArrayList<>();
  private final List<Entry> completed = new ArrayList<>();
  private final List<DriveException> failed = new ArrayList<>();

  @Override
  public synchronized void phase(UploadProgress progress) {
    events.add(new Event("phase", progress));
  }

  @Override
  public synchronized void progressed(UploadProgress progress) {
    events.add(new Event("progressed", progress));
  }

  @Override
  public synchronized void completed(Entry entry) {
    completed.add(entry);
  }

  @Override
  public synchronized void failed(DriveException error) {
    failed.add(error);
  }

  /** Every phase and progress call, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The phases entered, in order (one per {@code phase} call). */
  public synchronized List<UploadPhase> phases() {
    return events.stream().filter(e -> e.method().equals("phase")).map(e -> e.progress().phase()).toList();
  }

  /** The {@code progressed} snapshots of one phase, in order. */
  public synchronized List<UploadProgress> progress(UploadPhase phase) {
    return events.stream().filter(e -> e.method().equals("progressed") && e.progress().phase() == phase)
        .map(Event::progress).toList();
  }

  /** The highest {@code bytesDone} reported in {@code phase} (phase or progress calls), or -1 when none. */
  public synchronized long bytesDone(UploadPhase phase) {
    return events.stream().filter(e -> e.progress().phase() == phase).mapToLong(e -> e.progress().bytesDone()).max().orElse(-1);
  }

  /** True when any snapshot said the provider took the file by hash (instant upload). */
  public synchronized boolean sawInstant() {
    return events.stream().anyMatch(e -> e.progress().instant());
  }

  /** Entries passed to {@code completed}. */
  public synchronized List<Entry> completions() {
    return List.copyOf(completed);
  }

  /** Errors passed to {@code failed}. */
  public synchronized List<DriveException> failures() {
    return List.copyOf(failed);
  }

  /** Asserts exactly one {@code completed} and no {@code failed}; returns the entry. */
  public synchronized Entry assertCompletedOnce() {
    assertEquals(List.of(), failed, "failed() must not be called for a successful transfer");
    assertEquals(1, completed.size(), "completed() must be called exactly once but was called " + completed.size() + " times");
    return completed.get(0);
  }

  /** Asserts exactly one {@code failed}, of {@code kind}, and no {@code completed}; returns the error. */
  public synchronized DriveException assertFailedOnce(ErrorKind kind) {
    assertEquals(List.of(), completed, "completed() must not be called for a failed transfer");
    assertEquals(1, failed.size(), "failed() must be called exactly once but was called " + failed.size() + " times");
    assertEquals(kind, failed.get(0).kind(), () -> "failure kind of " + failed.get(0));
    return failed.get(0);
  }

  /** Asserts that phases never go backwards (in {@link UploadPhase} order) and that progress never decreases within a phase. */
  public synchronized void assertPhasesInOrder() {
    UploadPhase last = null;
    long lastBytes = -1;
    for (Event e : events) {
      UploadPhase p = e.progress().phase();
      if (last != null && p.ordinal() < last.ordinal()) {
        fail("phase " + p + " came after " + last + "; events: " + events);
      }
      if (p != last) lastBytes = -1;
      if (e.method().equals("progressed")) {
        assertTrue(e.progress().bytesDone() >= lastBytes, () -> "progress went backwards in " + p + ": " + events);
        lastBytes = e.progress().bytesDone();
      }
      last = p;
    }
  }

  /** Asserts that each given phase was entered. */
  public synchronized void assertPhasesInclude(UploadPhase... expected) {
    List<UploadPhase> seen = phases();
    for (UploadPhase p : expected) {
      assertTrue(seen.contains(p), () -> "phase " + p + " never entered; phases were " + seen + ", expected " + Arrays.toString(expected));
    }
  }

  @Override
  public synchronized String toString() {
    return "RecordingUploadListener{phases=" + phases() + ", completed=" + completed.size() + ", failed=" + failed.size() + "}";
  }
}
