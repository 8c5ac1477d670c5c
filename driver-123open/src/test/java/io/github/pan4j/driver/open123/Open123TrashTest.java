package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.TrashedEntry;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The recycle bin on the open API against the fake over HTTP: the walk that lists it, recover, delete, and faults. */
class Open123TrashTest extends Open123Fixture {
  static final String RECOVER = "/api/v1/file/recover";
  static final String DELETE = "/api/v1/file/delete";

  private Node file(long parent, String name) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(name.getBytes()));
  }

  private static String id(Node n) {
    return Long.toString(n.id());
  }

  private List<TrashedEntry> listAll(Open123Driver d) {
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
  void listTrash_walksLiveFolders_oneListingPerFolder_andKeepsTrashedRows() {
    Node a = store.mkdir(demo.uid(), 0, "a");
    Node sub = store.mkdir(demo.uid(), a.id(), "sub");
    Node x = file(a.id(), "x.txt");
    Node y = file(sub.id(), "y.txt");
    Node z = file(0, "z.txt");
    file(0, "live.txt");
    Node gone = store.mkdir(demo.uid(), 0, "gone");
    file(gone.id(), "inside.txt");
    for (Node n : List.of(x, y, z, gone)) store.trash(n);
    Open123Driver d = driver();
    long before = calls("open", "/api/v2/file/list");

    Map<String, TrashedEntry> got = listAll(d).stream().collect(Collectors.toMap(TrashedEntry::name, t -> t));
    assertEquals(java.util.Set.of("x.txt", "y.txt", "z.txt", "gone"), got.keySet(), "a trashed folder's contents travel with it");
    assertEquals(id(a), got.get("x.txt").originalParentId());
    assertEquals(id(sub), got.get("y.txt").originalParentId());
    assertEquals("0", got.get("z.txt").originalParentId());
    assertEquals(5, got.get("y.txt").entry().size());
    assertTrue(got.get("gone").entry().folder());
    assertNull(got.get("x.txt").trashedAt(), "the open API gives no trashed time");
    assertEquals(3, calls("open", "/api/v2/file/list") - before, "root, a and a/sub: one listing each");
  }

  @Test
  void listTrash_pagesThroughLargeFolders_withoutLosingRows() {
    Node big = store.mkdir(demo.uid(), 0, "big");
    Blob one = store.putBlob(new byte[] {1});
    for (int i = 0; i < 230; i++) {
      Node n = store.createFile(demo.uid(), big.id(), String.format("f%03d", i), one);
      if (i % 2 == 0) store.trash(n);
    }
    List<TrashedEntry> all = listAll(driver());
    assertEquals(115, all.size());
    assertEquals(115, all.stream().map(TrashedEntry::id).distinct().count(), "no duplicates across pages");
  }

  @Test
  void listTrash_malformedCursor_isInvalidArgument() {
    DriveException e = assertThrows(DriveException.class, () -> driver().listTrash("12,x@y"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
  }

  @Test
  void restore_inPlace_reportsOrphans_andRelocatesThemByPath() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node target = store.mkdir(demo.uid(), 0, "target");
    Node keep = file(0, "keep.txt");
    Node orphan = file(dir.id(), "orphan.txt");
    store.trash(keep);
    store.trash(orphan);
    store.trash(dir);
    Open123Driver d = driver();

    RestoreResult r = d.restore(List.of(id(keep), id(orphan)), null);
    assertEquals(List.of(id(keep)), r.restored());
    assertTrue(r.notRestored().get(id(orphan)).contains("original folder no longer exists"), r::toString);
    assertFalse(store.node(demo.uid(), keep.id()).orElseThrow().trashed());
    assertTrue(store.node(demo.uid(), orphan.id()).orElseThrow().trashed());

    RestoreResult r2 = d.restore(List.of(id(orphan)), id(target));
    assertEquals(List.of(id(orphan)), r2.relocated());
    Node back = store.node(demo.uid(), orphan.id()).orElseThrow();
    assertEquals(target.id(), back.parentId());
    assertFalse(store.isTrashed(back));
    assertEquals(1, calls("open", "/api/v1/file/recover/by_path"));
  }

  /** 123 keeps names unique in a folder: an entry whose name was taken again stays in the trash, reported. */
  @Test
  void restore_ofANameTakenAgain_isReported_andRelocatable() {
    Node target = store.mkdir(demo.uid(), 0, "elsewhere");
    Node old = file(0, "report.txt");
    store.trash(old);
    Node again = file(0, "report.txt");
    Open123Driver d = driver();
    RestoreResult r = d.restore(List.of(id(old)), null);
    assertTrue(r.restored().isEmpty(), r::toString);
    assertTrue(r.notRestored().get(id(old)).contains("now holds an entry of that name"), r::toString);
    assertTrue(store.node(demo.uid(), old.id()).orElseThrow().trashed());
    assertFalse(store.node(demo.uid(), again.id()).orElseThrow().trashed(), "the new one is untouched");
    RestoreResult r2 = d.restore(List.of(id(old)), id(target));
    assertEquals(List.of(id(old)), r2.relocated());
    assertEquals(target.id(), store.node(demo.uid(), old.id()).orElseThrow().parentId());
  }

  /**
   * A fallback folder that holds the name of one orphan: 123 refuses the whole recover/by_path, so
   * the driver restores the others one by one and reports the refused one instead of throwing.
   */
  @Test
  void restore_intoAFallbackHoldingOneName_restoresTheOthers_andReportsThatOne() {
    Node dir = store.mkdir(demo.uid(), 0, "gone");
    Node target = store.mkdir(demo.uid(), 0, "fallback");
    Node clash = file(dir.id(), "same.txt");
    Node free = file(dir.id(), "free.txt");
    Node already = file(target.id(), "same.txt");
    store.trash(clash);
    store.trash(free);
    store.trash(dir);
    RestoreResult r = driver().restore(List.of(id(clash), id(free)), id(target));
    assertEquals(List.of(id(free)), r.relocated(), r::toString);
    assertTrue(r.notRestored().get(id(clash)).contains("already holds an entry of that name"), r::toString);
    assertFalse(r.complete());
    assertEquals(target.id(), store.node(demo.uid(), free.id()).orElseThrow().parentId());
    assertFalse(store.isTrashed(store.node(demo.uid(), free.id()).orElseThrow()));
    assertTrue(store.node(demo.uid(), clash.id()).orElseThrow().trashed(), "the clashing one stays in the trash");
    assertFalse(store.node(demo.uid(), already.id()).orElseThrow().trashed(), "what the folder held is untouched");
  }

  @Test
  void restore_intoAFile_isNotADirectory_andNothingIsSent() {
    Node f = file(0, "f.txt");
    Node t = file(0, "t.txt");
    store.trash(t);
    DriveException e = assertThrows(DriveException.class, () -> driver().restore(List.of(id(t)), id(f)));
    assertEquals(ErrorKind.NOT_A_DIRECTORY, e.kind());
    assertEquals(0, calls("open", RECOVER));
  }

  @Test
  void purge_refusesLiveEntries_beforeDeletingAnything() {
    Node trashed = file(0, "t.txt");
    Node live = file(0, "live.txt");
    store.trash(trashed);
    DriveException e = assertThrows(DriveException.class, () -> driver().purge(List.of(id(trashed), id(live))));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains("'live.txt' (id " + live.id() + ")"), e::getMessage);
    assertEquals(0, calls("open", DELETE), "nothing sent");
    assertTrue(store.node(demo.uid(), trashed.id()).isPresent());
  }

  @Test
  void purge_deletesTrashedEntriesAndTheirContents_andSkipsGoneIds() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node inner = file(dir.id(), "inner.txt");
    store.trash(dir);
    driver().purge(List.of(id(dir), "987654321"));
    assertTrue(store.node(demo.uid(), dir.id()).isEmpty());
    assertTrue(store.node(demo.uid(), inner.id()).isEmpty());
    assertEquals(1, calls("open", DELETE));
  }

  @Test
  void recover_429Burst_isWaitedOut() {
    Node t = file(0, "t.txt");
    store.trash(t);
    door.failNext(RECOVER, 2);
    RestoreResult r = driver().restore(List.of(id(t)), null);
    assertEquals(List.of(id(t)), r.restored());
    assertEquals(3, calls("open", RECOVER));
  }

  @Test
  void recover_gateway502_isRetried_becauseRecoverIsSafeToRepeat() {
    Node t = file(0, "t.txt");
    store.trash(t);
    cloud.inject("open", OpenApiFrontDoor.endpoint(RECOVER), Fault.html(502), 1);
    assertEquals(List.of(id(t)), driver().restore(List.of(id(t)), null).restored());
    assertEquals(2, calls("open", RECOVER));
    assertFalse(store.node(demo.uid(), t.id()).orElseThrow().trashed());
  }

  /** {@code n} trashed files at the root, by id. */
  private List<String> trashedFiles(int n) {
    List<String> out = new ArrayList<>();
    Blob one = store.putBlob(new byte[] {1});
    for (int i = 0; i < n; i++) {
      Node f = store.createFile(demo.uid(), 0, String.format("t%03d", i), one);
      store.trash(f);
      out.add(id(f));
    }
    return out;
  }

  private long liveCount(List<String> ids) {
    return ids.stream().filter(i -> !store.node(demo.uid(), Long.parseLong(i)).orElseThrow().trashed()).count();
  }

  /** Matches every recover call after the first {@code pass}. */
  private static java.util.function.Predicate<io.github.pan4j.testkit.fake.FakeRequest> recoverAfter(int pass) {
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Predicate<io.github.pan4j.testkit.fake.FakeRequest> recover = OpenApiFrontDoor.endpoint(RECOVER);
    return r -> recover.test(r) && seen.incrementAndGet() > pass;
  }

  /**
   * 150 ids go in two recover calls; the second keeps getting a gateway page (its repeats too). The
   * first call's 100 entries are back: the error says so, names them, and says the other 50 may or
   * may not be back (a gateway page can come after 123 acted).
   */
  @Test
  void restore_whoseSecondCallFails_saysWhatTheFirstRestored_andWhatIsInDoubt() {
    List<String> ids = trashedFiles(150);
    cloud.inject("open", recoverAfter(1), Fault.html(502), 50);
    DriveException e = assertThrows(DriveException.class, () -> driver().restore(ids, null));
    assertTrue(e.retryable(), "a restore is safe to repeat: " + e.getMessage());
    assertEquals(100, liveCount(ids), "the first call restored its 100");
    assertTrue(e.getMessage().contains("100 of the 150 entries were dealt with"), e::getMessage);
    assertTrue(e.getMessage().contains("100 restored to their folders (ids " + ids.get(0) + ", " + ids.get(1)), e::getMessage);
    assertTrue(e.getMessage().contains("the request for 50 more (ids " + ids.get(100) + ", "), e::getMessage);
    assertTrue(e.getMessage().contains("may or may not be back"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.getMessage().contains("were not restored"), e::getMessage);
    cloud.clearFaults();
    RestoreResult again = driver().restore(ids, null);
    assertEquals(ids, again.restored(), "a repeat restores the rest and reports every id");
  }

  /**
   * An interrupt while the second recover call waits for its answer (123 carried it out): the
   * engine says it may have taken effect, so the partial-progress part must put those 50 in doubt,
   * not among those "not restored".
   */
  @Test
  void restore_interruptedWhileItsSecondCallAwaitsItsAnswer_saysThoseMayBeBack() throws Exception {
    List<String> ids = trashedFiles(150);
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    cloud.inject("open", recoverAfter(1), Fault.hold(() -> {
      arrived.countDown();
      try {
        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }), 1);
    Open123Driver d = driver();
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
    assertTrue(e.getMessage().contains("100 restored to their folders"), e::getMessage);
    assertTrue(e.getMessage().contains("the request for 50 more (ids " + ids.get(100) + ", "), e::getMessage);
    assertFalse(e.getMessage().contains("were not restored"), e::getMessage);
  }

  /** The second call refused (429 until the engine gives up): 123 did nothing with it, so nothing is in doubt. */
  @Test
  void restore_whoseSecondCallIsThrottledToTheEnd_saysWhatTheFirstRestored_andThatTheRestWereNot() {
    List<String> ids = trashedFiles(120);
    cloud.inject("open", recoverAfter(1), Fault.response("code 429", new mockwebserver3.MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json")
        .body("{\"code\":429,\"message\":\"请求太频繁\",\"data\":null,\"x-traceID\":\"t\"}").build()), 100);
    DriveException e = assertThrows(DriveException.class, () -> driver().restore(ids, null));
    assertEquals(ErrorKind.RATE_LIMITED, e.kind(), e::getMessage);
    assertEquals(100, liveCount(ids));
    assertTrue(e.getMessage().contains("100 of the 120 entries were dealt with"), e::getMessage);
    assertTrue(e.getMessage().contains("the other 20 were not restored"), e::getMessage);
    assertFalse(e.getMessage().contains("may"), e::getMessage);
    assertEquals("t", e.traceId().orElse(null), "the provider's trace id is kept");
  }

  @Test
  void delete_429AndHttp500_areRetried() {
    Node t = file(0, "t.txt");
    store.trash(t);
    door.failNext(DELETE, 1);
    cloud.inject("open", OpenApiFrontDoor.endpoint(DELETE), Fault.status(500, "upstream error"), 1);
    driver().purge(List.of(id(t)));
    assertTrue(store.node(demo.uid(), t.id()).isEmpty());
    assertEquals(3, calls("open", DELETE));
  }

  @Test
  void mkdir_whoseReplyWasLost_returnsTheFolderMade_notAFailure() {
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MKDIR), Fault.lostReply(), 1);
    io.github.pan4j.core.Entry made = d.mkdir("0", "made");
    assertTrue(made.folder());
    assertEquals(List.of("made"), store.children(demo.uid(), 0, false).stream().map(Node::name).toList());
    assertEquals(ErrorKind.ALREADY_EXISTS, assertThrows(DriveException.class, () -> d.mkdir("0", "made")).kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cut", "dropped"})
  void mkdir_whoseAnswerWasCutOrDropped_returnsTheFolderMade_andIsNotRepeated(String how) {
    Open123Driver d = driver();
    // 123 made the folder; its answer ends mid-JSON, or the connection drops before it, so the
    // driver cannot read the new id.
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MKDIR),
        how.equals("cut") ? Fault.cutReply() : Fault.droppedReply(), 1);
    io.github.pan4j.core.Entry made = d.mkdir("0", "made");
    assertTrue(made.folder());
    assertEquals("made", made.name());
    assertEquals(List.of("made"), store.children(demo.uid(), 0, false).stream().map(Node::name).toList());
    assertEquals(1, calls("open", "/" + Open123Limits.MKDIR));
  }

  @Test
  void delete_whoseReplyWasLost_isRepeated_andTheFileNotFoundAnswerCountsAsDone() {
    Node a = file(0, "a.txt");
    Node b = file(0, "b.txt");
    store.trash(a);
    store.trash(b);
    cloud.inject("open", OpenApiFrontDoor.endpoint(DELETE), Fault.lostReply(), 1);
    driver().purge(List.of(id(a), id(b)));
    assertTrue(store.node(demo.uid(), a.id()).isEmpty());
    assertTrue(store.node(demo.uid(), b.id()).isEmpty());
    assertEquals(2, calls("open", DELETE), "the deleting call and its repeat, which found nothing left");
  }

  @Test
  void delete_refusedBecauseRestoredMeanwhile_readsAsInvalidArgument() {
    Node t = file(0, "t.txt");
    store.trash(t);
    door.failNext(DELETE, 1, 1, "文件不在回收站中，无法彻底删除");
    DriveException e = assertThrows(DriveException.class, () -> driver().purge(List.of(id(t))));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals("文件不在回收站中，无法彻底删除", e.providerMessage().orElseThrow());
  }

  @Test
  void laggingListing_stillShowsWhatThisDriverTrashed_andWhatItRestored() {
    door.listingLag(java.time.Duration.ofSeconds(30));
    Node dir = store.mkdir(demo.uid(), 0, "fresh");
    Node f = file(dir.id(), "new.txt");
    Open123Driver d = driver();
    d.remove(List.of(id(f)));
    List<TrashedEntry> all = listAll(d);
    assertEquals(List.of(id(f)), all.stream().map(TrashedEntry::id).toList(), "found by id though the listing hides it");
    assertEquals(id(dir), all.get(0).originalParentId());
    d.restore(List.of(id(f)), null);
    assertTrue(listAll(d).isEmpty(), "restored: no longer listed");
    assertEquals(List.of("new.txt"), d.list(id(dir), null).entries().stream().map(io.github.pan4j.core.Entry::name).toList(),
        "the restored entry is listed at once");
  }
}
