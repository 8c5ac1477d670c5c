package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Folder and bulk copies through async copy tasks (§8.14) on the fake cloud. */
class Open123AsyncCopyTest extends Open123Fixture {
  static final String SUBMIT = "/api/v1/file/async/copy";
  static final String PROCESS = "/api/v1/file/async/copy/process";

  private Node tree() {
    Node src = store.mkdir(demo.uid(), 0, "src");
    Node inner = store.mkdir(demo.uid(), src.id(), "inner");
    store.createFile(demo.uid(), src.id(), "a.txt", store.putBlob("alpha".getBytes()));
    store.createFile(demo.uid(), inner.id(), "b.txt", store.putBlob("beta".getBytes()));
    store.mkdir(demo.uid(), 0, "to");
    return src;
  }

  private static byte[] read(Drive drive, String path) throws Exception {
    try (var c = drive.link(path).open(); InputStream in = c.body()) {
      return in.readAllBytes();
    }
  }

  @Test
  void folderCopyThroughDrive_copiesTheSubtreeWithAsyncCopy() throws Exception {
    tree();
    door.asyncCopy().polls(2, 3);
    try (Drive drive = Drive.of(driver())) {
      Entry copy = drive.copy("/src", "/to");
      assertEquals("/to/src", copy.path());
      assertTrue(copy.folder());
      assertArrayEquals("alpha".getBytes(), read(drive, "/to/src/a.txt"));
      assertArrayEquals("beta".getBytes(), read(drive, "/to/src/inner/b.txt"));
      assertEquals(List.of("a.txt", "inner"), drive.ls("/to/src").stream().map(Entry::name).sorted().toList());
    }
    assertEquals(1, calls("open", SUBMIT));
    assertEquals(6, calls("open", PROCESS), "2 waiting + 3 running + 1 done");
    assertEquals(0, calls("open", "/api/v1/file/copy"), "plain copy is for single files");
  }

  @Test
  void copyMany_reportsEachStateOnce_andWaitsOnTheInjectedSleeper() {
    Node src = tree();
    Node top = store.createFile(demo.uid(), 0, "top.txt", store.putBlob("t".getBytes()));
    Node to = store.child(demo.uid(), 0, "to").orElseThrow();
    door.asyncCopy().polls(1, 4);
    Instant start = clock.instant();
    List<Open123AsyncCopy.Progress> seen = new ArrayList<>();
    driver().copyMany(List.of(Long.toString(src.id()), Long.toString(top.id())), Long.toString(to.id()), seen::add);
    assertEquals(List.of(Open123AsyncCopy.Status.WAITING, Open123AsyncCopy.Status.RUNNING, Open123AsyncCopy.Status.DONE),
        seen.stream().map(Open123AsyncCopy.Progress::status).toList());
    assertTrue(seen.stream().allMatch(p -> p.task() == 1 && p.tasks() == 1));
    // 5 waits: 500, 750, 1125, 1687, 2530 ms on the fake clock, no real sleeping.
    assertEquals(Duration.ofMillis(500 + 750 + 1125 + 1687 + 2530), Duration.between(start, clock.instant()));
    assertTrue(store.child(demo.uid(), to.id(), "top.txt").isPresent());
    assertTrue(store.child(demo.uid(), to.id(), "src").isPresent());
  }

  @Test
  void moreThan3000Ids_areSplitIntoTasks() {
    Node from = store.mkdir(demo.uid(), 0, "many");
    Node to = store.mkdir(demo.uid(), 0, "to");
    var blob = store.putBlob("x".getBytes());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3001; i++) ids.add(Long.toString(store.createFile(demo.uid(), from.id(), "f" + i, blob).id()));
    door.asyncCopy().polls(0, 0);
    List<Open123AsyncCopy.Progress> seen = new ArrayList<>();
    driver().copyMany(ids, Long.toString(to.id()), seen::add);
    assertEquals(2, door.asyncCopy().taskCount());
    assertEquals(3001, store.children(demo.uid(), to.id(), false).size());
    assertEquals(List.of(1, 2), seen.stream().map(Open123AsyncCopy.Progress::task).toList());
  }

  @Test
  void copyAll_reportsProgressPerTask_andEndsWithEveryEntry() {
    Node from = store.mkdir(demo.uid(), 0, "many");
    Node to = store.mkdir(demo.uid(), 0, "to");
    var blob = store.putBlob("x".getBytes());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3001; i++) ids.add(Long.toString(store.createFile(demo.uid(), from.id(), "f" + i, blob).id()));
    door.asyncCopy().polls(0, 1);
    List<io.github.pan4j.core.CopyProgress> seen = new ArrayList<>();
    driver().copyAll(ids, Long.toString(to.id()), seen::add);
    assertEquals(List.of(new io.github.pan4j.core.CopyProgress(3000, 3001), new io.github.pan4j.core.CopyProgress(3001, 3001)), seen);
    assertEquals(2, door.asyncCopy().taskCount(), "3001 entries: two tasks");
    assertEquals(0, calls("open", "/api/v1/file/copy"), "no single-file copies");
    assertEquals(3001, store.children(demo.uid(), to.id(), false).size());
  }

  /**
   * 123's listing lags behind writes (§11) and everything inside a copied folder is new, not only
   * the folder: copyAll returns when the copy's subtree is listed, so its paths work at once. The
   * copy of src/inner lists empty for 10 s after its first listing (the fake clock moves only when
   * the driver waits).
   */
  @Test
  void copyAll_ofAFolder_returnsWhenItsSubtreeIsListed() throws Exception {
    tree();
    Node to = store.child(demo.uid(), 0, "to").orElseThrow();
    java.util.concurrent.atomic.AtomicReference<Instant> firstHidden = new java.util.concurrent.atomic.AtomicReference<>();
    cloud.inject("open", r -> {
      if (!r.path().equals("/" + Open123Limits.LIST)) return false;
      Long copyOfInner = store.child(demo.uid(), to.id(), "src").flatMap(c -> store.child(demo.uid(), c.id(), "inner"))
          .map(Node::id).orElse(null);
      if (copyOfInner == null || !String.valueOf(copyOfInner).equals(r.query("parentFileId"))) return false;
      firstHidden.compareAndSet(null, clock.instant());
      return clock.instant().isBefore(firstHidden.get().plusSeconds(10));
    }, Fault.response("lagging listing", new mockwebserver3.MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json")
        .body("{\"code\":0,\"message\":\"ok\",\"data\":{\"lastFileId\":-1,\"fileList\":[]},\"x-traceID\":\"lag\"}").build()), 100);
    door.asyncCopy().polls(0, 0);
    try (Drive drive = Drive.of(driver())) {
      List<io.github.pan4j.core.CopyProgress> seen = new ArrayList<>();
      drive.copyAll(List.of("/src"), "/to", seen::add);
      assertArrayEquals("beta".getBytes(), read(drive, "/to/src/inner/b.txt"));
      assertNotNull(firstHidden.get(), "the copy's inner folder was listed");
      assertEquals(new io.github.pan4j.core.CopyProgress(1, 1), seen.get(seen.size() - 1));
    }
  }

  @Test
  void failedTask_isProviderError_andNothingCopied() {
    tree();
    door.asyncCopy().failTasks(1);
    try (Drive drive = Drive.of(driver())) {
      DriveException e = assertThrows(DriveException.class, () -> drive.copy("/src", "/to"));
      assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
      assertTrue(e.getMessage().contains("failed"), e.getMessage());
      assertTrue(!drive.exists("/to/src"));
    }
  }

  @Test
  void taskThatNeverEnds_stopsAtTheDeadline() {
    tree();
    door.asyncCopy().polls(0, Integer.MAX_VALUE);
    Instant start = clock.instant();
    try (Drive drive = Drive.of(driver())) {
      DriveException e = assertThrows(DriveException.class, () -> drive.copy("/src", "/to"));
      assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
      assertFalse(e.retryable(), "the task runs on at 123: a retry would start a second copy");
      assertTrue(e.getMessage().contains("did not finish") && e.getMessage().contains("running"), e.getMessage());
      assertTrue(e.getMessage().contains("rather than copying again"), e.getMessage());
    }
    Duration waited = Duration.between(start, clock.instant());
    assertTrue(waited.compareTo(Open123AsyncCopy.DEADLINE) <= 0 && waited.compareTo(Open123AsyncCopy.DEADLINE.minusSeconds(6)) > 0,
        waited::toString);
  }

  @Test
  void nameTakenInTarget_isAlreadyExists_beforeAnyTask() {
    Node src = tree();
    Node to = store.child(demo.uid(), 0, "to").orElseThrow();
    store.mkdir(demo.uid(), to.id(), "src");
    DriveException e = assertThrows(DriveException.class, () -> driver().copy(Long.toString(src.id()), Long.toString(to.id())));
    assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
    assertEquals(0, calls("open", SUBMIT));
  }

  @Test
  void folderIntoItself_isInvalidArgument() {
    Node src = tree();
    Node inner = store.child(demo.uid(), src.id(), "inner").orElseThrow();
    DriveException e = assertThrows(DriveException.class, () -> driver().copy(Long.toString(src.id()), Long.toString(inner.id())));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals(0, door.asyncCopy().taskCount());
  }

  @Test
  void submitAnswering429_isRetried_butA500IsNot() {
    tree();
    cloud.inject("open", r -> r.path().equals(SUBMIT), Fault.status(429, "Too Many Requests"), 1);
    try (Drive drive = Drive.of(driver())) {
      drive.copy("/src", "/to");
      assertEquals(2, calls("open", SUBMIT));
      drive.remove("/to/src");
      cloud.clearRequests();
      // A 500 may come after the task was created: repeating the submission could copy twice.
      cloud.inject("open", r -> r.path().equals(SUBMIT), Fault.status(500, "boom"), 1);
      DriveException e = assertThrows(DriveException.class, () -> drive.copy("/src", "/to"));
      assertEquals(1, calls("open", SUBMIT), "the non-idempotent submission is not repeated");
      assertTrue(e.kind() == ErrorKind.PROVIDER_ERROR || e.kind() == ErrorKind.PROTOCOL, e::toString);
    }
  }

  @Test
  void submitWhoseAnswerWasLost_saysTheCopyMayHaveStarted_andIsNotRetryable() {
    tree();
    cloud.inject("open", r -> r.path().equals(SUBMIT), Fault.lostReply(), 1);
    try (Drive drive = Drive.of(driver())) {
      DriveException e = assertThrows(DriveException.class, () -> drive.copy("/src", "/to"));
      assertTrue(e.getMessage().contains("may have reached 123"), e::getMessage);
      assertTrue(e.mayHaveTakenEffect(), e.getMessage());
      assertFalse(e.retryable(), "a plain retry could copy the folder twice");
    }
    assertEquals(1, calls("open", SUBMIT));
  }

  @Test
  void statusQueryCutOrGarbled_isAskedAgain_andTheCopyEndsDone() throws Exception {
    tree();
    door.asyncCopy().polls(1, 1);
    cloud.inject("open", r -> r.path().equals(PROCESS), Fault.cutReply(), 1);
    cloud.inject("open", r -> r.path().equals(PROCESS), Fault.malformedJson(), 1);
    try (Drive drive = Drive.of(driver())) {
      drive.copy("/src", "/to");
      assertArrayEquals("beta".getBytes(), read(drive, "/to/src/inner/b.txt"));
    }
    assertEquals(1, calls("open", SUBMIT));
    assertEquals(0, cloud.pendingFaults());
  }

  @Test
  void statusQueryThatKeepsFailing_endsAtTheDeadline_sayingWhyAndKeepingTheQuerysFailure() {
    tree();
    door.asyncCopy().polls(1, Integer.MAX_VALUE);
    cloud.inject("open", r -> r.path().equals(PROCESS), Fault.cutReply(), Integer.MAX_VALUE);
    try (Drive drive = Drive.of(driver())) {
      DriveException e = assertThrows(DriveException.class, () -> drive.copy("/src", "/to"));
      assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
      assertTrue(e.getMessage().contains("could not be read"), "not just '123 is slow': " + e.getMessage());
      DriveException query = null;
      for (Throwable c = e.getCause(); c != null && query == null; c = c.getCause()) {
        if (c instanceof DriveException de && de.kind() == ErrorKind.PROTOCOL) query = de;
      }
      assertNotNull(query, "the status query's failure (a cut reply) is kept as a cause");
    } finally {
      cloud.clearFaults();
    }
    assertEquals(1, calls("open", SUBMIT));
  }

  /** Any one listing after the task (the look for the copy, the wait until it is listed) cut off once. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4})
  void aListingAfterTheTask_cutOnce_doesNotFailTheCopy(int nth) throws Exception {
    tree();
    java.util.concurrent.atomic.AtomicBoolean submitted = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();
    cloud.inject("open", r -> {
      if (r.path().equals(SUBMIT)) submitted.set(true);
      return false;
    }, Fault.html(599), 1);
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.LIST) && submitted.get() && lists.incrementAndGet() == nth,
        Fault.cutReply(), 1);
    try (Drive drive = Drive.of(driver())) {
      assertEquals("/to/src", drive.copy("/src", "/to").path());
      assertArrayEquals("beta".getBytes(), read(drive, "/to/src/inner/b.txt"));
    }
    assertEquals(1, calls("open", SUBMIT));
    assertTrue(lists.get() >= nth, "the copy listed the target at least " + nth + " times: " + lists.get());
  }

  @Test
  void statusQueryDroppedOrBusy_isRetried() throws Exception {
    tree();
    door.asyncCopy().polls(1, 1);
    cloud.inject("open", r -> r.path().equals(PROCESS), Fault.disconnect(), 1);
    cloud.inject("open", r -> r.path().equals(PROCESS), Fault.html(502), 1);
    try (Drive drive = Drive.of(driver())) {
      drive.copy("/src", "/to");
      assertArrayEquals("beta".getBytes(), read(drive, "/to/src/inner/b.txt"));
    }
    assertEquals(1, calls("open", SUBMIT));
  }
}
