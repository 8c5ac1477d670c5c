package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server-side copy over HTTP against the fake web API: the copy/async body, task polling on the
 * injected clock, folders, a failed task, lost answers, throttled polls and a full account.
 */
class Pan123CopyTest {
  private static final String ASYNC = "/b/api/restful/goapi/v1/file/copy/async";
  private static final String TASK = "/b/api/restful/goapi/v1/file/copy/task";

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  private long uid() { return fake.demo().uid(); }

  private FakeStore store() { return fake.store(); }

  private Node file(long parent, String name, int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return store().createFile(uid(), parent, name, store().putBlob(b));
  }

  private static Entry copy(Driver d, long id, long target) {
    return ((Driver.Copy) d).copy(Long.toString(id), Long.toString(target));
  }

  private int sent(String path) {
    return fake.cloud().requests("web", path).size();
  }

  @Test
  void file_sendsTheNotedBody_pollsTheTaskOnTheSleeper_andReturnsTheCopy() {
    Node src = store().mkdir(uid(), FakeStore.ROOT, "src");
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    Node f = file(src.id(), "a.bin", 3000, 1);
    List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    // Only records the bodies: the predicate never matches, so no fault is served.
    fake.cloud().inject("web", r -> {
      if (r.path().equals(ASYNC)) bodies.add(r.json());
      return false;
    }, Fault.cutReply(), 1);
    try (Driver d = fake.open()) {
      Duration before = fake.clock().totalSlept();
      Entry copy = copy(d, f.id(), to.id());
      Duration slept = fake.clock().totalSlept().minus(before);

      assertNotEquals(Long.toString(f.id()), copy.id(), "a new entry");
      assertEquals("a.bin", copy.name());
      assertEquals(3000, copy.size());
      Node stored = store().node(uid(), Long.parseLong(copy.id())).orElseThrow();
      assertEquals(to.id(), stored.parentId());
      assertEquals(f.md5(), stored.md5(), "same content");
      assertTrue(store().child(uid(), src.id(), "a.bin").isPresent(), "the original stays");

      assertEquals(1, sent(ASYNC));
      assertEquals(3, sent(TASK), "polled until done: waiting, running, done");
      assertTrue(slept.compareTo(Duration.ofMillis(500)) >= 0 && slept.compareTo(Duration.ofSeconds(10)) < 0,
          "polls paced on the context's sleeper: " + slept);
      JsonNode body = bodies.get(0);
      assertEquals(to.id(), body.get("targetFileId").asLong());
      JsonNode item = body.get("fileList").get(0);
      assertEquals(f.id(), item.get("fileId").asLong());
      assertEquals(3000, item.get("size").asLong());
      assertEquals(f.md5(), item.get("etag").asText());
      assertEquals(0, item.get("type").asInt());
      assertEquals(src.id(), item.get("parentFileId").asLong());
      assertEquals("a.bin", item.get("fileName").asText());
      assertEquals(0, item.get("driveId").asInt());
    }
  }

  @Test
  void copyDoneAtOnce_mode2_isNotPolled() {
    fake.web().copy().immediate(true);
    Node f = file(FakeStore.ROOT, "a.bin", 100, 2);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    try (Driver d = fake.open()) {
      Entry copy = copy(d, f.id(), to.id());
      assertEquals(to.id(), store().node(uid(), Long.parseLong(copy.id())).orElseThrow().parentId());
      assertEquals(0, sent(TASK));
    }
  }

  @Test
  void folder_isCopiedWithEverythingBelowIt() {
    Node src = store().mkdir(uid(), FakeStore.ROOT, "src");
    Node inner = store().mkdir(uid(), src.id(), "inner");
    Node a = file(src.id(), "a.bin", 10, 3);
    Node b = file(inner.id(), "b.bin", 20, 4);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    try (Driver d = fake.open()) {
      Entry copy = copy(d, src.id(), to.id());
      assertTrue(copy.folder());
      assertEquals("src", copy.name());
      long c = Long.parseLong(copy.id());
      assertNotEquals(src.id(), c);
      assertEquals(a.md5(), store().child(uid(), c, "a.bin").orElseThrow().md5());
      Node innerCopy = store().child(uid(), c, "inner").orElseThrow();
      assertNotEquals(inner.id(), innerCopy.id());
      assertEquals(b.md5(), store().child(uid(), innerCopy.id(), "b.bin").orElseThrow().md5());
      assertEquals(1, sent(ASYNC), "one task for the whole subtree");
    }
  }

  @Test
  void nameTaken_isAlreadyExists_andNothingIsSent() {
    Node f = file(FakeStore.ROOT, "a.bin", 10, 5);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    file(to.id(), "a.bin", 11, 6);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
      assertEquals(ErrorKind.ALREADY_EXISTS, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("'a.bin'"), e.getMessage());
      assertEquals(0, sent(ASYNC));
    }
  }

  @Test
  void failedTask_isProviderError_withTheReason_mayHaveTakenEffect_notRepeated() {
    fake.web().copy().failTasks(1);
    Node f = file(FakeStore.ROOT, "a.bin", 10, 7);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
      assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("reason: 复制失败"), e.getMessage());
      assertTrue(e.getMessage().contains("look in the target folder"), e.getMessage());
      assertTrue(e.mayHaveTakenEffect());
      assertFalse(e.retryable());
      assertEquals(1, sent(ASYNC), "the copy is not started again");
      assertTrue(store().child(uid(), to.id(), "a.bin").isEmpty());
    }
  }

  @Test
  void lostAnswer_ofACopyDoneAtOnce_isFoundInTheTarget_notSentAgain() {
    fake.web().copy().immediate(true);
    Node f = file(FakeStore.ROOT, "a.bin", 10, 8);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    fake.cloud().inject("web", r -> r.path().equals(ASYNC), Fault.cutReply(), 1);
    try (Driver d = fake.open()) {
      Entry copy = copy(d, f.id(), to.id());
      assertEquals(store().child(uid(), to.id(), "a.bin").orElseThrow().id(), Long.parseLong(copy.id()));
      assertEquals(1, sent(ASYNC));
      assertEquals(1, store().children(uid(), to.id(), false).size(), "one copy");
    }
  }

  @Test
  void lostAnswer_ofATask_saysToLookFirst_notSentAgain() {
    Node f = file(FakeStore.ROOT, "a.bin", 10, 9);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    fake.cloud().inject("web", r -> r.path().equals(ASYNC), Fault.droppedReply(), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
      assertTrue(e.mayHaveTakenEffect(), e.toString());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("look in the target folder for 'a.bin'"), e.getMessage());
      assertEquals(1, sent(ASYNC), "a copy/async is never repeated blindly");
      assertEquals(1, fake.web().copy().taskCount());
    }
  }

  @Test
  void throttledPolls_areWaitedOut() {
    Node f = file(FakeStore.ROOT, "a.bin", 10, 10);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    fake.cloud().inject("web", r -> r.path().equals(TASK), WebFrontDoor.businessError(429, "操作频繁，请稍后再试"), 6);
    try (Driver d = fake.open()) {
      Entry copy = copy(d, f.id(), to.id());
      assertEquals(to.id(), store().node(uid(), Long.parseLong(copy.id())).orElseThrow().parentId());
      assertEquals(1, sent(ASYNC));
      assertEquals(6 + 3, sent(TASK), "six throttled polls, then waiting, running, done");
    }
  }

  @Test
  void copyPastTheSpace_isQuotaExceeded_inTheUploadsWords_sentOnce() {
    Node f = file(FakeStore.ROOT, "a.bin", 2000, 11);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    long used = store().spaceUsed(uid());
    fake.demo().spacePermanent(used + 1000);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
      assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("the account's space is full: " + used + " of " + (used + 1000)
          + " bytes used, this copy needs 2000; free space"), e.getMessage());
      assertTrue(e.getMessage().contains("Nothing was copied"), e.getMessage());
      assertEquals("copy", e.operation().orElseThrow());
      assertEquals("400", e.providerCode().orElseThrow());
      assertEquals("存储空间不足", e.providerMessage().orElseThrow());
      assertEquals(1, sent(ASYNC), "not retried");
      assertTrue(store().child(uid(), to.id(), "a.bin").isEmpty());
    }
  }

  @Test
  void taskThatNoLongerFits_whenItComesDue_isQuotaExceeded_withTheReason() {
    Node f = file(FakeStore.ROOT, "a.bin", 2000, 13);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    java.util.concurrent.atomic.AtomicBoolean shrunk = new java.util.concurrent.atomic.AtomicBoolean();
    // The space runs out after the task was accepted: shrink it as the first poll arrives (the
    // predicate only acts, it never matches, so no fault is served).
    fake.cloud().inject("web", r -> {
      if (r.path().equals(TASK) && shrunk.compareAndSet(false, true)) {
        fake.demo().spacePermanent(store().spaceUsed(uid()) + 1000);
      }
      return false;
    }, Fault.cutReply(), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
      assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("reason: 存储空间不足"), e.getMessage());
      assertTrue(e.mayHaveTakenEffect());
      assertFalse(e.retryable());
      assertEquals(1, sent(ASYNC));
      assertTrue(store().child(uid(), to.id(), "a.bin").isEmpty());
    }
  }

  @Test
  void taskThatNeverEnds_givesUpAtTheDeadline_sayingItMayStillFinish() {
    fake.web().copy().polls(1_000_000, 0);
    Node f = file(FakeStore.ROOT, "a.bin", 10, 12);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    try (Driver d = fake.open()) {
      Duration before = fake.clock().totalSlept();
      DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
      Duration slept = fake.clock().totalSlept().minus(before);
      assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("did not finish copy task"), e.getMessage());
      assertTrue(e.mayHaveTakenEffect());
      assertFalse(e.retryable());
      assertTrue(slept.compareTo(Pan123Copy.DEADLINE) <= 0 && slept.compareTo(Duration.ofMinutes(29)) > 0, slept.toString());
      int polls = sent(TASK);
      assertTrue(polls > 300 && polls < 400, "bounded back-off, capped at 5 s: " + polls + " polls");
    }
  }

  // ------------------------------------------------------------------ faults (docs/testing.md, the note on copy)

  /**
   * The session dies between copy/async and the first poll: the poll meets 401, the driver signs in
   * once and polls on; the task is not submitted again.
   */
  @Test
  void sessionExpiresBetweenSubmitAndPoll_signsInOnce_pollsOn_submitSentOnce() {
    Node f = file(FakeStore.ROOT, "a.bin", 10, 20);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    fake.cloud().inject("web", r -> r.path().equals(ASYNC), Fault.hold(fake.web()::expireAllTokens), 1);
    try (Driver d = fake.open()) {
      d.list(Long.toString(to.id()), null);
      int logins = fake.web().loginCount();
      Entry copy = copy(d, f.id(), to.id());
      assertEquals(to.id(), store().node(uid(), Long.parseLong(copy.id())).orElseThrow().parentId());
      assertEquals(logins + 1, fake.web().loginCount(), "exactly one sign-in more");
    }
    assertEquals(1, sent(ASYNC), "the copy is started once");
    assertEquals(1, fake.web().copy().taskCount());
    assertEquals(1 + 3, sent(TASK), "the poll refused with 401, then waiting, running, done");
    assertEquals(1, store().children(uid(), to.id(), false).size(), "one copy");
  }

  /** A copy/async refused with 401 (the session expired before it) was not carried out: signed in, sent again, one task. */
  @Test
  void submitRefusedWith401_isSentAgainAfterSigningIn_oneTask() {
    Node f = file(FakeStore.ROOT, "a.bin", 10, 21);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    try (Driver d = fake.open()) {
      d.list(Long.toString(to.id()), null);
      int logins = fake.web().loginCount();
      fake.web().expireAllTokens();
      Entry copy = copy(d, f.id(), to.id());
      assertEquals("a.bin", copy.name());
      assertEquals(logins + 1, fake.web().loginCount());
    }
    assertEquals(1, fake.web().copy().taskCount(), "the refused submission made no task");
    assertEquals(1, store().children(uid(), to.id(), false).size(), "one copy");
  }

  /**
   * copy/async answered 2.5 s late while every call must end within 1 s (123 carried it out): the
   * driver stops waiting in time and looks in the target. A copy done at once is found there and
   * returned; a task that was started is reported as may have taken effect. Never sent again.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void slowSubmitPastTheCallDeadline_looksInTheTarget_neverSentAgain(boolean immediate) {
    fake.web().copy().immediate(immediate);
    Node f = file(FakeStore.ROOT, "a.bin", 10, 22);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    try (Driver d = new Pan123Provider().openWith(fake.options(),
        fake.context().toBuilder().callDeadline(Duration.ofMillis(1000)).build())) {
      d.list(Long.toString(to.id()), null);
      fake.cloud().inject("web", r -> r.path().equals(ASYNC), Fault.slow(Duration.ofMillis(2500)), 1);
      long start = System.nanoTime();
      if (immediate) {
        Entry copy = copy(d, f.id(), to.id());
        assertEquals(store().child(uid(), to.id(), "a.bin").orElseThrow().id(), Long.parseLong(copy.id()));
      } else {
        DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
        assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
        assertTrue(e.mayHaveTakenEffect(), e::getMessage);
        assertFalse(e.retryable(), "a plain retry would start a second task");
        assertEquals("123pan", e.driverId().orElseThrow());
        assertEquals("copy", e.operation().orElseThrow());
        assertEquals(Long.toString(f.id()), e.target().orElseThrow());
        assertTrue(e.getMessage().contains("deadline of 1000 ms"), e::getMessage);
        assertTrue(e.getMessage().contains("look in the target folder for 'a.bin'"), e::getMessage);
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 2400, "gave up waiting after " + ms + " ms, before the late reply");
    }
    assertEquals(1, sent(ASYNC), "never sent again");
    assertEquals(immediate ? 0 : 1, fake.web().copy().taskCount());
  }

  /** Gateway pages and 500s answering the task poll: asked again (by the engine, then by the poll loop), and the copy ends done. */
  @Test
  void serverErrorsOnThePoll_areAskedAgain_andTheCopyCompletes() {
    Node f = file(FakeStore.ROOT, "a.bin", 10, 23);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    fake.cloud().inject("web", r -> r.path().equals(TASK), Fault.html(502), 4);
    fake.cloud().inject("web", r -> r.path().equals(TASK), Fault.status(500, "internal error"), 4);
    fake.cloud().inject("web", r -> r.path().equals(TASK), Fault.html(503), 4);
    try (Driver d = fake.open()) {
      Entry copy = copy(d, f.id(), to.id());
      assertEquals(to.id(), store().node(uid(), Long.parseLong(copy.id())).orElseThrow().parentId());
    }
    assertEquals(0, fake.cloud().pendingFaults());
    assertEquals(1, sent(ASYNC));
    assertEquals(12 + 3, sent(TASK), "twelve failed polls, then waiting, running, done");
  }

  /**
   * A gateway's HTML page in place of copy/async's answer: 123 may or may not have got the
   * request. Nothing of the name is in the target, so the driver says the copy may have started
   * and to look before copying again (not retryable), keeping the gateway's status; not sent again.
   */
  @Test
  void gatewayPageOnSubmit_saysTheCopyMayHaveStarted_keepsTheStatus_notSentAgain() {
    Node f = file(FakeStore.ROOT, "a.bin", 10, 24);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    fake.cloud().inject("web", r -> r.path().equals(ASYNC), Fault.html(502), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> copy(d, f.id(), to.id()));
      assertTrue(e.mayHaveTakenEffect(), e::getMessage);
      assertFalse(e.retryable());
      assertEquals("123pan", e.driverId().orElseThrow());
      assertEquals("copy", e.operation().orElseThrow());
      assertTrue(e.getMessage().contains("502"), e::getMessage);
      assertTrue(e.getMessage().contains("look in the target folder for 'a.bin'"), e::getMessage);
    }
    assertEquals(1, sent(ASYNC), "never sent again");
    assertEquals(0, fake.web().copy().taskCount(), "the gateway answered before 123 got it");
    assertTrue(store().child(uid(), to.id(), "a.bin").isEmpty());
  }

  /** The same page after 123 copied at once (a lost reply): the copy is found in the target and returned. */
  @Test
  void gatewayPageAfterACopyDoneAtOnce_findsTheCopy() {
    fake.web().copy().immediate(true);
    Node f = file(FakeStore.ROOT, "a.bin", 10, 25);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    fake.cloud().inject("web", r -> r.path().equals(ASYNC), Fault.lostReply(), 1);
    try (Driver d = fake.open()) {
      Entry copy = copy(d, f.id(), to.id());
      assertEquals(store().child(uid(), to.id(), "a.bin").orElseThrow().id(), Long.parseLong(copy.id()));
    }
    assertEquals(1, sent(ASYNC));
    assertEquals(1, store().children(uid(), to.id(), false).size(), "one copy");
  }

  // ------------------------------------------------------------------ copyAll: several entries per task

  /**
   * 250 entries (files and a folder) in three tasks of 100, 100 and 50 entries: every copy made
   * once, progress a task at a time, the last with everything.
   */
  @Test
  void copyAll_sendsUpToOneHundredEntriesPerTask() {
    Node src = store().mkdir(uid(), FakeStore.ROOT, "src");
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    Blob one = store().putBlob(new byte[] {1});
    List<String> ids = new java.util.ArrayList<>();
    Node folder = store().mkdir(uid(), src.id(), "sub");
    file(folder.id(), "inner.bin", 5, 30);
    ids.add(Long.toString(folder.id()));
    for (int i = 0; i < 249; i++) ids.add(Long.toString(store().createFile(uid(), src.id(), "f" + i, one).id()));
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    fake.cloud().inject("web", r -> {
      if (r.path().equals(ASYNC)) sizes.add(r.json().get("fileList").size());
      return false;
    }, Fault.cutReply(), 1);
    List<io.github.pan4j.core.CopyProgress> seen = new java.util.ArrayList<>();
    try (Driver d = fake.open()) {
      ((Driver.Copy) d).copyAll(ids, Long.toString(to.id()), seen::add);
    }
    assertEquals(List.of(100, 100, 50), sizes, "entries per copy/async");
    assertEquals(3, fake.web().copy().taskCount());
    assertEquals(List.of(100, 200, 250), seen.stream().map(io.github.pan4j.core.CopyProgress::copied).toList());
    assertTrue(seen.stream().allMatch(p -> p.total() == 250));
    assertEquals(250, store().children(uid(), to.id(), false).size());
    Node subCopy = store().child(uid(), to.id(), "sub").orElseThrow();
    assertNotEquals(folder.id(), subCopy.id());
    assertTrue(store().child(uid(), subCopy.id(), "inner.bin").isPresent(), "the folder with what is below it");
  }

  /** Two sources of one name, or a name already in the target: refused before anything is sent. */
  @Test
  void copyAll_nameClash_isAlreadyExists_andNothingIsSent() {
    Node a = store().mkdir(uid(), FakeStore.ROOT, "a");
    Node b = store().mkdir(uid(), FakeStore.ROOT, "b");
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    Node x1 = file(a.id(), "x.bin", 10, 31);
    Node x2 = file(b.id(), "x.bin", 10, 32);
    Node y = file(a.id(), "y.bin", 10, 33);
    file(to.id(), "y.bin", 11, 34);
    try (Driver d = fake.open()) {
      Driver.Copy c = (Driver.Copy) d;
      DriveException twice = assertThrows(DriveException.class,
          () -> c.copyAll(List.of(Long.toString(x1.id()), Long.toString(x2.id())), Long.toString(to.id()), p -> { }));
      assertEquals(ErrorKind.ALREADY_EXISTS, twice.kind(), twice::getMessage);
      assertTrue(twice.getMessage().contains("two of the entries are named 'x.bin'"), twice::getMessage);
      DriveException taken = assertThrows(DriveException.class,
          () -> c.copyAll(List.of(Long.toString(x1.id()), Long.toString(y.id())), Long.toString(to.id()), p -> { }));
      assertEquals(ErrorKind.ALREADY_EXISTS, taken.kind(), taken::getMessage);
      assertTrue(taken.getMessage().contains("already has an entry named 'y.bin'"), taken::getMessage);
    }
    assertEquals(0, sent(ASYNC));
    assertEquals(1, store().children(uid(), to.id(), false).size());
  }

  /** A lost answer to a task of several entries done at once: every copy is found in one listing, not sent again. */
  @Test
  void copyAll_lostAnswerOfABatchDoneAtOnce_findsEveryCopy() {
    fake.web().copy().immediate(true);
    Node to = store().mkdir(uid(), FakeStore.ROOT, "to");
    List<String> ids = List.of(Long.toString(file(FakeStore.ROOT, "a.bin", 10, 35).id()),
        Long.toString(file(FakeStore.ROOT, "b.bin", 20, 36).id()), Long.toString(file(FakeStore.ROOT, "c.bin", 30, 37).id()));
    fake.cloud().inject("web", r -> r.path().equals(ASYNC), Fault.droppedReply(), 1);
    List<io.github.pan4j.core.CopyProgress> seen = new java.util.ArrayList<>();
    try (Driver d = fake.open()) {
      ((Driver.Copy) d).copyAll(ids, Long.toString(to.id()), seen::add);
    }
    assertEquals(1, sent(ASYNC));
    assertEquals(List.of(new io.github.pan4j.core.CopyProgress(3, 3)), seen);
    assertEquals(3, store().children(uid(), to.id(), false).size(), "one copy each");
  }
}
