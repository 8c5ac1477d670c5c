package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.TrashedEntry;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import io.github.pan4j.testkit.fake.WebTrash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web API's recycle bin against the fake over HTTP: listing, restore with the UNKNOWN orphan modes, purge, faults. */
class Pan123TrashTest {
  static final String TRASH = "/b/api/file/trash";
  static final String DELETE = "/b/api/file/delete";

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  private FakeStore store() {
    return fake.cloud().store();
  }

  private Node file(long parent, String name) {
    return store().createFile(fake.demo().uid(), parent, name, store().putBlob(name.getBytes()));
  }

  private Driver.Trash open() {
    return (Driver.Trash) fake.open();
  }

  private static String id(Node n) {
    return Long.toString(n.id());
  }

  private long calls(String path) {
    return fake.cloud().requests("web", path).stream().filter(r -> r.path().equals(path)).count();
  }

  private static List<TrashedEntry> listAll(Driver.Trash d) {
    List<TrashedEntry> out = new ArrayList<>();
    String cursor = null;
    do {
      TrashPage p = d.listTrash(cursor);
      out.addAll(p.entries());
      cursor = p.nextCursor();
    } while (cursor != null);
    return out;
  }

  @Test
  void listTrash_hasParentsAndTrashedTimes_acrossPages() {
    Node dir = store().mkdir(fake.demo().uid(), 0, "dir");
    List<Node> trashed = new ArrayList<>();
    for (int i = 0; i < 130; i++) trashed.add(file(dir.id(), "f" + i));
    file(0, "live.txt");
    fake.clock().advance(Duration.ofMinutes(5));
    for (Node n : trashed) store().trash(n);
    java.time.Instant when = fake.clock().instant();
    List<TrashedEntry> all = listAll(open());
    assertEquals(130, all.size());
    assertTrue(all.stream().allMatch(t -> id(dir).equals(t.originalParentId())));
    assertEquals(when, all.get(0).trashedAt());
    assertEquals(130, all.stream().map(TrashedEntry::id).distinct().count());
  }

  @Test
  void restore_orphanWithoutFallback_isNotSent_andWithFallbackGoesThere() {
    Node old = store().mkdir(fake.demo().uid(), 0, "old");
    Node target = store().mkdir(fake.demo().uid(), 0, "target");
    Node orphan = file(old.id(), "o.txt");
    store().trash(orphan);
    store().trash(old);
    Driver.Trash d = open();
    RestoreResult r = d.restore(List.of(id(orphan)), null);
    assertTrue(r.notRestored().containsKey(id(orphan)), r::toString);
    assertEquals(0, calls(TRASH), "nothing sent for an entry whose folder is gone");

    RestoreResult r2 = d.restore(List.of(id(orphan)), id(target));
    assertEquals(List.of(id(orphan)), r2.relocated());
    Node back = store().node(fake.demo().uid(), orphan.id()).orElseThrow();
    assertEquals(target.id(), back.parentId());
    assertFalse(store().isTrashed(back));
  }

  /** A fallback folder that holds an orphan's name: that one is reported and left in the trash, the others come back. */
  @Test
  void restore_orphansIntoAFallbackHoldingOneName_reportsThatOne_andRelocatesTheOthers() {
    Node old = store().mkdir(fake.demo().uid(), 0, "old");
    Node target = store().mkdir(fake.demo().uid(), 0, "target");
    Node clash = file(old.id(), "same.txt");
    Node free = file(old.id(), "free.txt");
    Node already = file(target.id(), "same.txt");
    store().trash(clash);
    store().trash(free);
    store().trash(old);
    RestoreResult r = open().restore(List.of(id(clash), id(free)), id(target));
    assertEquals(List.of(id(free)), r.relocated(), r::toString);
    assertTrue(r.notRestored().get(id(clash)).contains("already holds an entry of that name"), r::toString);
    assertEquals(target.id(), store().node(fake.demo().uid(), free.id()).orElseThrow().parentId());
    assertTrue(store().node(fake.demo().uid(), clash.id()).orElseThrow().trashed(), "the clashing one stays in the trash");
    assertFalse(store().node(fake.demo().uid(), already.id()).orElseThrow().trashed());
  }

  /**
   * Found by the fault soak (123pan, seed 115): the lookup after 123 restored an orphan got a cut
   * reply, and the restore failed as PROTOCOL with the entry out of the trash and never moved into
   * the fallback folder. The lookup is a read-back now: asked once more, then it goes on.
   */
  @Test
  void restore_orphan_whoseLookupAfterTheRestoreIsCut_stillGoesIntoTheFallback() {
    restoreOrphan_cuttingTheFirstReplyAfterTheRestore("/b/api/file/info");
  }

  /**
   * Found by the fault soak (123pan, seed 259): after 123 restored an orphan, the move into the
   * fallback folder met a cut reply to its listing of that folder, and the entry stayed out of the
   * trash in another folder. The move is asked once more now (it skips an entry already there).
   */
  @Test
  void restore_orphan_whoseMoveIntoTheFallbackMeetsACutListing_stillGoesThere() {
    restoreOrphan_cuttingTheFirstReplyAfterTheRestore("/b/api/file/list/new");
    assertEquals(1, fake.cloud().pendingFaults(), "the listing after the restore was cut (only the counter is left)");
  }

  /**
   * Restores an orphan (its folder is in the trash too) into a folder "target" while the first
   * reply of {@code cutPath} after 123 restored it is cut, and checks that it ended in "target",
   * out of the trash, reported as relocated.
   */
  private void restoreOrphan_cuttingTheFirstReplyAfterTheRestore(String cutPath) {
    Node old = store().mkdir(fake.demo().uid(), 0, "old");
    Node target = store().mkdir(fake.demo().uid(), 0, "target");
    Node orphan = file(old.id(), "o.txt");
    store().trash(orphan);
    store().trash(old);
    java.util.concurrent.atomic.AtomicBoolean restored = new java.util.concurrent.atomic.AtomicBoolean();
    fake.cloud().inject("web", r -> {
      if (r.path().equals(TRASH)) restored.set(true);
      return false;
    }, io.github.pan4j.testkit.fake.Fault.html(599), 1);
    fake.cloud().inject("web", r -> restored.get() && r.path().equals(cutPath),
        io.github.pan4j.testkit.fake.Fault.cutReply(), 1);
    RestoreResult r = open().restore(List.of(id(orphan)), id(target));
    assertEquals(List.of(id(orphan)), r.relocated(), r::toString);
    Node back = store().node(fake.demo().uid(), orphan.id()).orElseThrow();
    assertEquals(target.id(), back.parentId());
    assertFalse(store().isTrashed(back));
  }

  /** Two orphans of one name: the first refused by 123 takes no name in the fallback folder, so the second goes there. */
  @Test
  void restore_orphanRefused_leavesItsNameFree_forTheNextOfThatName() {
    Node a = store().mkdir(fake.demo().uid(), 0, "a");
    Node b = store().mkdir(fake.demo().uid(), 0, "b");
    Node target = store().mkdir(fake.demo().uid(), 0, "target");
    Node first = file(a.id(), "same.txt");
    Node second = file(b.id(), "same.txt");
    store().trash(first);
    store().trash(second);
    store().trash(a);
    store().trash(b);
    fake.cloud().inject("web", r -> r.path().equals(TRASH), io.github.pan4j.testkit.fake.Fault.response("refusal",
        new mockwebserver3.MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body("{\"code\":400,\"message\":\"原文件夹不存在\",\"data\":null}").build()), 1);
    RestoreResult r = open().restore(List.of(id(first), id(second)), id(target));
    assertTrue(r.notRestored().containsKey(id(first)), r::toString);
    assertEquals(List.of(id(second)), r.relocated(), r::toString);
    assertEquals(target.id(), store().node(fake.demo().uid(), second.id()).orElseThrow().parentId());
  }

  @Test
  void restore_orphan_serverLeavesItUnderTheMissingFolder_isReported() {
    fake.web().trashBin().orphanRestore(WebTrash.OrphanRestore.IN_PLACE);
    Node old = store().mkdir(fake.demo().uid(), 0, "old");
    Node target = store().mkdir(fake.demo().uid(), 0, "target");
    Node orphan = file(old.id(), "o.txt");
    store().trash(orphan);
    store().trash(old);
    RestoreResult r = open().restore(List.of(id(orphan)), id(target));
    assertTrue(r.notRestored().get(id(orphan)).contains("cannot be reached"), r::toString);
  }

  @Test
  void restore_orphan_serverRefuses_isReportedNotThrown() {
    fake.web().trashBin().orphanRestore(WebTrash.OrphanRestore.REFUSE);
    Node old = store().mkdir(fake.demo().uid(), 0, "old");
    Node target = store().mkdir(fake.demo().uid(), 0, "target");
    Node orphan = file(old.id(), "o.txt");
    Node fine = file(0, "fine.txt");
    store().trash(orphan);
    store().trash(old);
    store().trash(fine);
    RestoreResult r = open().restore(List.of(id(orphan), id(fine)), id(target));
    assertEquals(List.of(id(fine)), r.restored());
    assertTrue(r.notRestored().get(id(orphan)).contains("原文件夹不存在"), r::toString);
  }

  @Test
  void restore_unknownId_isNotFound_beforeAnythingIsSent() {
    Node t = file(0, "t.txt");
    store().trash(t);
    assertThrows(DriveException.class, () -> open().restore(List.of(id(t), "98765432"), null));
    assertEquals(0, calls(TRASH));
    assertTrue(store().node(fake.demo().uid(), t.id()).orElseThrow().trashed());
  }

  @Test
  void purge_refusesLive_thenDeletesTrashedForGood() {
    Node t = file(0, "t.txt");
    Node live = file(0, "live.txt");
    store().trash(t);
    Driver.Trash d = open();
    DriveException e = assertThrows(DriveException.class, () -> d.purge(List.of(id(t), id(live))));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals(0, calls(DELETE));
    d.purge(List.of(id(t), "98765432"));
    assertTrue(store().node(fake.demo().uid(), t.id()).isEmpty());
  }

  @Test
  void restoreAndDelete_429And5xx_areRetried() {
    Node a = file(0, "a.txt");
    Node b = file(0, "b.txt");
    store().trash(a);
    store().trash(b);
    fake.cloud().inject("web", r -> r.path().equals(TRASH), WebFrontDoor.businessError(429, "操作频繁，请稍后再试"), 1);
    fake.cloud().inject("web", r -> r.path().equals(DELETE), Fault.html(502), 1);
    Driver.Trash d = open();
    assertEquals(List.of(id(a)), d.restore(List.of(id(a)), null).restored());
    assertEquals(2, calls(TRASH));
    d.purge(List.of(id(b)));
    assertTrue(store().node(fake.demo().uid(), b.id()).isEmpty());
    assertEquals(2, calls(DELETE));
  }

  /** {@code n} trashed files at the root, by id. */
  private List<String> trashedFiles(int n) {
    List<String> out = new ArrayList<>();
    io.github.pan4j.testkit.fake.Blob one = store().putBlob(new byte[] {1});
    for (int i = 0; i < n; i++) {
      Node f = store().createFile(fake.demo().uid(), 0, String.format("t%03d", i), one);
      store().trash(f);
      out.add(id(f));
    }
    return out;
  }

  private long liveCount(List<String> ids) {
    return ids.stream().filter(i -> !store().node(fake.demo().uid(), Long.parseLong(i)).orElseThrow().trashed()).count();
  }

  /** Matches every restore call (file/trash) after the first {@code pass}. */
  private static java.util.function.Predicate<io.github.pan4j.testkit.fake.FakeRequest> restoreAfter(int pass) {
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    return r -> r.path().equals(TRASH) && seen.incrementAndGet() > pass;
  }

  /**
   * 150 ids go back in two calls; the second keeps getting a gateway page. The first call's 100
   * are back: the error names them and says the other 50 may or may not be back.
   */
  @Test
  void restore_whoseSecondCallFails_saysWhatTheFirstRestored_andWhatIsInDoubt() {
    List<String> ids = trashedFiles(150);
    Driver.Trash d = open();
    fake.cloud().inject("web", restoreAfter(1), Fault.html(502), 50);
    DriveException e = assertThrows(DriveException.class, () -> d.restore(ids, null));
    assertEquals(100, liveCount(ids), "the first call restored its 100");
    assertTrue(e.getMessage().contains("100 of the 150 entries were dealt with"), e::getMessage);
    assertTrue(e.getMessage().contains("100 restored to their folders (ids " + ids.get(0) + ", " + ids.get(1)), e::getMessage);
    assertTrue(e.getMessage().contains("the request for 50 more (ids " + ids.get(100) + ", "), e::getMessage);
    assertTrue(e.getMessage().contains("may or may not be back"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    fake.cloud().clearFaults();
    assertEquals(ids, d.restore(ids, null).restored(), "a repeat restores the rest and reports every id");
  }

  /** An interrupt while the second call awaits its answer (123 carried it out): those 50 are in doubt, not "not restored". */
  @Test
  void restore_interruptedWhileItsSecondCallAwaitsItsAnswer_saysThoseMayBeBack() throws Exception {
    List<String> ids = trashedFiles(150);
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    fake.cloud().inject("web", restoreAfter(1), Fault.hold(() -> {
      arrived.countDown();
      try {
        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }), 1);
    Driver.Trash d = open();
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        d.restore(ids, null);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    caller.start();
    try {
      assertTrue(arrived.await(10, java.util.concurrent.TimeUnit.SECONDS), "the second call reached 123");
      caller.interrupt();
      caller.join(10_000);
    } finally {
      release.countDown();
    }
    DriveException e = (DriveException) thrown.get();
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::getMessage);
    assertTrue(e.getMessage().contains("may have reached the server"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertTrue(e.getMessage().contains("the request for 50 more (ids " + ids.get(100) + ", "), e::getMessage);
    assertFalse(e.getMessage().contains("were not restored"), e::getMessage);
  }

  /** The second call throttled until the engine gives up: 123 did nothing with it, nothing is in doubt. */
  @Test
  void restore_whoseSecondCallIsThrottledToTheEnd_saysWhatTheFirstRestored_andThatTheRestWereNot() {
    List<String> ids = trashedFiles(120);
    Driver.Trash d = open();
    fake.cloud().inject("web", restoreAfter(1), WebFrontDoor.businessError(429, "操作频繁，请稍后再试"), 100);
    DriveException e = assertThrows(DriveException.class, () -> d.restore(ids, null));
    assertEquals(ErrorKind.RATE_LIMITED, e.kind(), e::getMessage);
    assertEquals(100, liveCount(ids));
    assertTrue(e.getMessage().contains("100 of the 120 entries were dealt with"), e::getMessage);
    assertTrue(e.getMessage().contains("the other 20 were not restored"), e::getMessage);
    assertFalse(e.getMessage().contains("may"), e::getMessage);
  }

  /**
   * An orphan restored by 123 whose move into the fallback folder fails after an in-place entry came
   * back: the error says where the orphan is, and the partial-progress part must not count it among
   * the entries that were not restored.
   */
  @Test
  void restore_orphanOutOfTheTrash_whoseMoveFails_isNotCountedAsNotRestored() {
    Node old = store().mkdir(fake.demo().uid(), 0, "old");
    Node target = store().mkdir(fake.demo().uid(), 0, "target");
    Node inPlace = file(0, "p.txt");
    Node orphan = file(old.id(), "o.txt");
    store().trash(inPlace);
    store().trash(orphan);
    store().trash(old);
    fake.cloud().inject("web", r -> r.path().equals("/b/api/file/mod_pid"), WebFrontDoor.businessError(1, "内部错误"), 5);
    DriveException e = assertThrows(DriveException.class,
        () -> open().restore(List.of(id(inPlace), id(orphan)), id(target)));
    assertFalse(store().isTrashed(store().node(fake.demo().uid(), orphan.id()).orElseThrow()), "123 restored the orphan");
    String m = e.getMessage();
    assertTrue(m.contains("took effect and it is now in folder"), m);
    assertTrue(m.contains("1 of the 2 entries were dealt with"), m);
    assertTrue(m.contains("1 restored to their folders (ids " + id(inPlace) + ")"), m);
    assertFalse(m.contains("were not restored"), "the orphan is out of the trash, as the error says: " + m);
  }

  @Test
  void delete_whoseReplyWasLost_isRepeated_andGoneCountsAsDone() {
    Node b = file(0, "b.txt");
    store().trash(b);
    fake.cloud().inject("web", r -> r.path().equals(DELETE), Fault.lostReply(), 1);
    open().purge(List.of(id(b)));
    assertTrue(store().node(fake.demo().uid(), b.id()).isEmpty());
    assertEquals(2, calls(DELETE));
  }
}
