package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.RenewalServiceFrontDoor;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of 123open operations, over HTTP against the fake: a token revoked between
 * two calls of one operation, replies lost after a write went through, gateway pages with a trace id.
 */
class Open123FaultTest extends Open123Fixture {

  private Node file(long parent, String name) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(name.getBytes()));
  }

  private static String id(Node n) {
    return Long.toString(n.id());
  }

  /** Requests the fake served on {@code server} whose path is exactly {@code path} (with the leading slash). */
  private long served(String server, String endpoint) {
    return calls(server, "/" + endpoint);
  }

  // ------------------------------------------------------------------ 401 between two calls of one operation

  @Test
  void list_tokenRevokedBetweenPages_renewsOnce_andListsEveryEntryOnce() {
    Node big = store.mkdir(demo.uid(), 0, "big");
    for (int i = 0; i < 250; i++) file(big.id(), String.format("f%03d", i));
    Open123Driver d = driver();
    Page first = d.list(id(big), null);
    door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID); // the token dies between page 1 and page 2
    Set<String> ids = new HashSet<>();
    first.entries().forEach(e -> assertTrue(ids.add(e.id())));
    for (String cursor = first.nextCursor(); cursor != null; ) {
      Page p = d.list(id(big), cursor);
      p.entries().forEach(e -> assertTrue(ids.add(e.id()), "listed twice: " + e));
      cursor = p.nextCursor();
    }
    assertEquals(250, ids.size());
    assertEquals(2, door.accessTokenCalls(), "exactly one new token");
  }

  @Test
  void link_tokenRevokedBetweenDetailAndDownloadInfo_renewsOnce_andLinks() throws Exception {
    Node f = file(0, "f.txt");
    Open123Driver d = driver();
    d.stat("0");
    // The detail call is answered, then every token is revoked before download_info is asked.
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL),
        Fault.hold(() -> door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID)), 1);
    Link link = d.link(id(f));
    try (Link.Content c = link.open()) {
      assertEquals("f.txt", new String(c.body().readAllBytes()));
    }
    assertEquals(2, door.accessTokenCalls(), "exactly one new token");
    assertEquals(2, served("open", Open123Limits.DOWNLOAD_INFO), "refused once with 401, then repeated once");
  }

  // ------------------------------------------------------------------ lost replies of writes

  @Test
  void rename_whoseReplyWasLost_isRepeated_andEndsRenamed() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RENAME), Fault.lostReply(), 1);
    assertEquals("b.txt", d.rename(id(a), "b.txt").name());
    assertEquals("b.txt", store.node(demo.uid(), a.id()).orElseThrow().name());
    assertEquals(2, served("open", Open123Limits.RENAME), "renaming to the same name again is harmless: repeated once");
  }

  @Test
  void rename_whoseReplyWasCut_isLooked_andEndsRenamed() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RENAME), Fault.cutReply(), 1);
    assertEquals("b.txt", d.rename(id(a), "b.txt").name());
    assertEquals("b.txt", store.node(demo.uid(), a.id()).orElseThrow().name());
    assertEquals(1, served("open", Open123Limits.RENAME), "a cut answer is not repeated, it is looked after");
  }

  @Test
  void rename_mkdir_whoseReadBackWasCut_readAgain_andSucceed() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    // The write goes through; the detail that reads its result back is cut off once.
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.cutReply(), 1);
    assertEquals("b.txt", d.rename(id(a), "b.txt").name());
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.malformedJson(), 1);
    assertEquals("dir", d.mkdir("0", "dir").name());
    assertEquals(0, cloud.pendingFaults());
  }

  @Test
  void upload_whoseCheckOfTheStoredFileWasCut_readsAgain_andSucceeds() {
    Open123Driver d = driver("singleUploadMax", "0");
    byte[] bytes = "the stored file is read back to check it".getBytes();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.cutReply(), 1);
    Entry e = d.upload("0", "up.bin", UploadSource.ofBytes(bytes), UploadOptions.DEFAULT);
    assertEquals(bytes.length, e.size());
    assertEquals(0, cloud.pendingFaults());
  }

  @Test
  void upload_whoseCompletionAnswerWasCut_asksAgain_andStoresOneFile() {
    Open123Driver d = driver("singleUploadMax", "0");
    byte[] bytes = "completed once, answer cut off".getBytes();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/upload/v2/file/upload_complete"), Fault.cutReply(), 1);
    Entry e = d.upload("0", "up.bin", UploadSource.ofBytes(bytes), UploadOptions.DEFAULT);
    assertEquals("up.bin", e.name());
    assertEquals(1, store.children(demo.uid(), 0, false).stream().filter(n -> n.name().startsWith("up")).count());
  }

  @Test
  void copy_whoseReadBackWasCut_readsAgain_andMakesOneCopy() {
    Node a = file(0, "a.txt");
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Open123Driver d = driver();
    d.stat(id(a));
    // The copy reads its source, copies, then reads the copy back: the second detail is cut off.
    java.util.concurrent.atomic.AtomicInteger details = new java.util.concurrent.atomic.AtomicInteger();
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.DETAIL) && details.incrementAndGet() == 2, Fault.cutReply(), 1);
    assertEquals("a.txt", d.copy(id(a), id(dir)).name());
    assertEquals(0, cloud.pendingFaults());
    assertEquals(1, store.children(demo.uid(), dir.id(), false).size());
  }

  @Test
  void move_whoseReplyWasDropped_andWhoseLookFailedToo_saysItMayHaveMoved_andIsNotRetryable() {
    Node a = file(0, "a.txt");
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Open123Driver d = driver();
    d.stat(id(a));
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE), Fault.droppedReply(), 1);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.cutReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.move(List.of(id(a)), id(dir)));
    assertTrue(e.getMessage().contains("may have reached 123 and taken effect"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable(), "it did move: a plain retry would not find it");
    assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId());
  }

  @Test
  void upload_keepBoth_instantCreateWhoseReplyWasDropped_saysACopyMayHaveBeenStored_andIsNotRetryable() {
    byte[] bytes = "content 123 already has".getBytes();
    file(0, "seed.txt");
    store.createFile(demo.uid(), 0, "a.txt", store.putBlob(bytes));
    Open123Driver d = driver("singleUploadMax", "0");
    cloud.inject("open", OpenApiFrontDoor.endpoint("/upload/v2/file/create"), Fault.droppedReply(), 1);
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "a.txt", UploadSource.ofBytes(bytes), UploadOptions.DEFAULT.withConflict(io.github.pan4j.core.ConflictPolicy.KEEP_BOTH)));
    assertTrue(e.getMessage().contains("may have reached 123"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable(), "a plain retry could store a third copy");
    assertEquals(3, store.children(demo.uid(), 0, false).size(), "the instant upload did store a renamed copy");
  }

  @Test
  void move_ofAnEntryJustMade_whoseReadBackFailsTwice_isStillDone_andNotListedInItsOldFolder() {
    Open123Driver d = driver();
    Entry made = d.mkdir("0", "fresh"); // recent: listings add it until they show it themselves
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    // Reading the moved entry back (to keep the recent entry current) is cut off, and so is its repeat.
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.cutReply(), 2);
    d.move(List.of(made.id()), id(dir));
    assertEquals(0, cloud.pendingFaults());
    assertEquals(dir.id(), store.node(demo.uid(), Long.parseLong(made.id())).orElseThrow().parentId());
    assertFalse(d.list("0", null).entries().stream().anyMatch(e -> e.id().equals(made.id())),
        "the recent entry that could not be read again is not shown in the folder it left");
  }

  @Test
  void driveMove_whoseReadBackFails_isStillReportedAsDone() {
    Node a = file(0, "a.txt");
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      drive.ls("/");
      cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.cutReply(), 1);
      Entry moved = drive.move("/a.txt", "/dir");
      assertEquals("/dir/a.txt", moved.path());
      assertEquals(id(dir), moved.parentId());
      assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId());
      assertEquals(0, cloud.pendingFaults());
    }
  }

  /** What a server that does not exempt entries already in the target could answer a repeated move (undocumented). */
  private static Fault moveRefusedAsNameTaken() {
    return Fault.response("code 1 name taken", new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"code\":1,\"message\":\"目标目录下存在同名文件\",\"data\":null,\"x-traceID\":\"mv-2\"}").build());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"lost reply", "cut reply", "dropped reply"})
  void move_whoseReplyWasLost_isNotSentAgain_butLooked_andEndsMoved(String fault) {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Node b = file(0, "b.txt");
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE),
        switch (fault) {
          case "lost reply" -> Fault.lostReply();
          case "cut reply" -> Fault.cutReply();
          default -> Fault.droppedReply();
        }, 1);
    // The move went through; what 123 answers a second one is not documented: a blind repeat could
    // meet "name taken" (the entries are there now) and fail a move that happened.
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE), moveRefusedAsNameTaken(), 1);
    long looks = served("open", Open123Limits.DETAIL);
    d.move(List.of(id(a), id(b)), id(dir));
    assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId());
    assertEquals(dir.id(), store.node(demo.uid(), b.id()).orElseThrow().parentId());
    assertEquals(1, served("open", Open123Limits.MOVE), "sent once");
    assertTrue(served("open", Open123Limits.DETAIL) >= looks + 2, "looked at both entries");
    cloud.clearFaults();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"disconnect", "gateway 502"})
  void move_failedBeforeReaching123_isLookedAt_thenSentAgain_andEndsMoved(String fault) {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE),
        fault.equals("disconnect") ? Fault.disconnect() : Fault.html(502), 1);
    long looks = served("open", Open123Limits.DETAIL);
    java.time.Duration before = clock.totalSlept();
    d.move(List.of(id(a)), id(dir));
    assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId());
    assertEquals(2, served("open", Open123Limits.MOVE), "sent again once the look showed nothing had moved");
    assertTrue(served("open", Open123Limits.DETAIL) > looks, "looked before sending again");
    assertTrue(clock.totalSlept().compareTo(before) > 0, "after a pause on the driver's sleeper");
  }

  /** Interrupted while it looks whether a move whose answer was lost went through: CANCELLED, not the lost answer. */
  @Test
  void move_interruptedWhileLookingAfterALostAnswer_isCancelled() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    Thread caller = Thread.currentThread();
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(caller);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE), Fault.lostReply(), 1);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.hold(gate::hold), 1);
    try {
      DriveException e = assertThrows(DriveException.class, () -> d.move(List.of(id(a)), id(dir)));
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      // The move went through (its answer was lost): the cancel must not hide that.
      assertTrue(e.getMessage().contains("may have"), e::getMessage);
      assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    } finally {
      gate.release();
      Thread.interrupted();
    }
    assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId());
    assertEquals(1, served("open", Open123Limits.MOVE), "not sent again");
  }

  /**
   * Interrupted while the move request itself is in flight (carried out at 123, its answer not
   * yet read): CANCELLED with the interrupt flag kept, and since the move went through, the error
   * says it may have taken effect (a caller retrying it blindly would meet "already exists").
   */
  @Test
  void move_interruptedWhileItsRequestIsInFlight_saysItMayHaveTakenEffect() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE), Fault.hold(gate::hold), 1);
    DriveException e;
    boolean flagKept;
    try {
      e = assertThrows(DriveException.class, () -> d.move(List.of(id(a)), id(dir)));
    } finally {
      flagKept = Thread.interrupted();
      gate.release();
    }
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(flagKept, "the interrupt flag is kept");
    assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId(), "the move went through at 123");
    assertTrue(e.getMessage().contains("may have"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable());
  }

  /**
   * Interrupted while purge reads its entries ({@code infos}, a POST that only reads): nothing was
   * deleted, so the cancel must not tell the caller that a write may have taken effect.
   */
  @Test
  void purge_interruptedWhileItsEntriesAreRead_doesNotSayItMayHaveTakenEffect() {
    Node t = file(0, "t.txt");
    Open123Driver d = driver();
    d.stat(id(t)); // signed in
    store.trash(t);
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.INFOS), Fault.hold(gate::hold), 1);
    DriveException e;
    boolean flagKept;
    try {
      e = assertThrows(DriveException.class, () -> d.purge(List.of(id(t))));
    } finally {
      flagKept = Thread.interrupted();
      gate.release();
    }
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(flagKept, "the interrupt flag is kept");
    assertEquals(0, served("open", Open123Limits.DELETE), "nothing was deleted");
    assertTrue(store.node(demo.uid(), t.id()).orElseThrow().trashed());
    assertFalse(e.getMessage().contains("may have"), e::getMessage);
    assertFalse(e.mayHaveTakenEffect(), e.getMessage());
  }

  /**
   * Interrupted while the rename request itself is held (carried out at 123): the engine may repeat
   * a rename, but the caller may not (the old path is gone), so the cancel says it may have taken effect.
   */
  @Test
  void rename_interruptedWhileItsRequestIsInFlight_saysItMayHaveTakenEffect() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RENAME), Fault.hold(gate::hold), 1);
    DriveException e;
    boolean flagKept;
    try {
      e = assertThrows(DriveException.class, () -> d.rename(id(a), "b.txt"));
    } finally {
      flagKept = Thread.interrupted();
      gate.release();
    }
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(flagKept, "the interrupt flag is kept");
    assertEquals("b.txt", store.node(demo.uid(), a.id()).orElseThrow().name(), "renamed at 123");
    assertTrue(e.getMessage().contains("may have"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
  }

  /** Drive.get interrupted while the download request is held: CANCELLED (not NETWORK), the flag kept. */
  @Test
  void driveGet_interruptedWhileTheDownloadIsHeld_isCancelled() {
    file(0, "a.txt");
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      for (String server : io.github.pan4j.testkit.fake.FakeCloud.SERVERS) {
        cloud.inject(server, r -> !r.path().startsWith("/api/"), Fault.hold(gate::hold), 1);
      }
      DriveException e;
      boolean flagKept;
      try {
        e = assertThrows(DriveException.class, () -> drive.get("/a.txt", java.io.OutputStream.nullOutputStream()));
      } finally {
        flagKept = Thread.interrupted();
        gate.release();
      }
      assertEquals(1, gate.arrived(), "the download request was held");
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertTrue(flagKept, "the interrupt flag is kept");
      assertEquals("/a.txt", e.target().orElseThrow());
    }
  }

  /**
   * Drive.get interrupted while the download body is half way (the fake sent half and holds the
   * rest): CANCELLED at once, the flag kept, not a NETWORK failure once the read times out (the
   * read blocked on the socket did not see the interrupt).
   */
  @Test
  void driveGet_interruptedWhileTheBodyIsHalfSent_isCancelledAtOnce() {
    file(0, "a.txt");
    Thread caller = Thread.currentThread();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch firstBytes = new java.util.concurrent.CountDownLatch(1);
    AtomicBoolean heldToTheEnd = new AtomicBoolean();
    java.io.OutputStream out = new java.io.OutputStream() {
      @Override public void write(int b) { firstBytes.countDown(); }

      @Override public void write(byte[] b, int off, int len) { firstBytes.countDown(); }
    };
    Fault midBody = Fault.holdMidBody(() -> {
      // Interrupt once the caller has the first half and waits on the socket for the rest.
      try {
        firstBytes.await(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (!readingTheSocket(caller) && System.nanoTime() < until) Thread.onSpinWait();
      caller.interrupt();
      try {
        heldToTheEnd.set(!release.await(30, java.util.concurrent.TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      cloud.inject("cdn", r -> r.method().equals("GET"), midBody, 10);
      DriveException e;
      boolean flagKept;
      boolean stillHeld;
      try {
        e = assertThrows(DriveException.class, () -> drive.get("/a.txt", out));
      } finally {
        flagKept = Thread.interrupted();
        stillHeld = release.getCount() == 1 && !heldToTheEnd.get();
        release.countDown();
      }
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertTrue(flagKept, "the interrupt flag is kept");
      assertTrue(stillHeld, "the get ended while the rest of the body was still held");
    }
  }

  /** Whether {@code t} is blocked reading a socket (where an interrupt does not reach it). */
  private static boolean readingTheSocket(Thread t) {
    for (StackTraceElement f : t.getStackTrace()) {
      String c = f.getClassName();
      if (c.contains("NioSocketImpl") || c.contains("SocketInputStream") || c.contains("SocketDispatcher")) return true;
    }
    return false;
  }

  /**
   * copyAll whose task finished but whose wait for the target folder's listing met a cut answer:
   * the copy went through, so it succeeds (a retry would copy everything again).
   */
  @Test
  void copyAll_listingCutAfterTheTaskFinished_succeeds() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    file(0, "a.txt");
    file(0, "b.txt");
    AtomicBoolean submitted = new AtomicBoolean();
    List<io.github.pan4j.core.CopyProgress> seen = new java.util.ArrayList<>();
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.ASYNC_COPY), Fault.hold(() -> submitted.set(true)), 1);
      cloud.inject("open", r -> submitted.get() && r.path().equals("/" + Open123Limits.LIST), Fault.cutReply(), 1);
      drive.copyAll(List.of("/a.txt", "/b.txt"), "/dir", seen::add);
    }
    assertEquals(0, cloud.pendingFaults(), "the listing after the copy was cut");
    assertEquals(new io.github.pan4j.core.CopyProgress(2, 2), seen.get(seen.size() - 1));
    assertEquals(2, store.children(demo.uid(), dir.id(), false).size());
  }

  /**
   * A folder copy interrupted while it waits for the copy's listing to show the whole subtree (the
   * task finished, the copy was found): CANCELLED with the flag kept, saying the copy took effect,
   * so the caller does not copy again into "already exists".
   */
  @Test
  void copyFolder_interruptedWhileWaitingForTheCopysListing_saysTheCopyTookEffect() {
    Node src = store.mkdir(demo.uid(), 0, "src");
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    file(src.id(), "a.txt");
    AtomicBoolean submitted = new AtomicBoolean();
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.ASYNC_COPY), Fault.hold(() -> submitted.set(true)), 1);
      // The first plain listing after the task was submitted (not a name search): the source's, in the wait.
      cloud.inject("open", r -> submitted.get() && r.path().equals("/" + Open123Limits.LIST) && r.query("searchData") == null,
          Fault.hold(gate::hold), 1);
      DriveException e;
      boolean flagKept;
      try {
        e = assertThrows(DriveException.class, () -> drive.copy("/src", "/dir"));
      } finally {
        flagKept = Thread.interrupted();
        gate.release();
      }
      assertEquals(1, gate.arrived(), "the wait's listing was held");
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertTrue(flagKept, "the interrupt flag is kept");
      assertTrue(e.getMessage().contains("the copy took effect"), e::getMessage);
      assertTrue(e.mayHaveTakenEffect(), e.getMessage());
      assertFalse(e.retryable());
    }
    assertEquals(1, store.children(demo.uid(), dir.id(), false).size(), "the copy is there");
  }

  /** copyAll interrupted while it polls its task: CANCELLED, saying the entries may have been copied. */
  @Test
  void copyAll_interruptedWhilePollingItsTask_saysItMayHaveCopied() {
    store.mkdir(demo.uid(), 0, "dir");
    file(0, "a.txt");
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.ASYNC_COPY_PROCESS), Fault.hold(gate::hold), 1);
      DriveException e;
      boolean flagKept;
      try {
        e = assertThrows(DriveException.class, () -> drive.copyAll(List.of("/a.txt"), "/dir", p -> { }));
      } finally {
        flagKept = Thread.interrupted();
        gate.release();
      }
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertTrue(flagKept, "the interrupt flag is kept");
      assertTrue(e.getMessage().contains("may have been copied"), e::getMessage);
      assertTrue(e.mayHaveTakenEffect(), e.getMessage());
      assertFalse(e.retryable());
    }
  }

  /**
   * Interrupted while the entry is read back after a rename that went through: CANCELLED (the flag
   * kept), saying the rename took effect, so the caller does not rename again into "already exists".
   */
  @Test
  void rename_interruptedWhileReadingBack_saysTheRenameTookEffect() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    AtomicBoolean renamed = new AtomicBoolean();
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RENAME), Fault.hold(() -> renamed.set(true)), 1);
    cloud.inject("open", r -> renamed.get() && r.path().equals("/" + Open123Limits.DETAIL), Fault.hold(gate::hold), 1);
    DriveException e;
    boolean flagKept;
    try {
      e = assertThrows(DriveException.class, () -> d.rename(id(a), "b.txt"));
    } finally {
      flagKept = Thread.interrupted();
      gate.release();
    }
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(flagKept, "the interrupt flag is kept");
    assertEquals("b.txt", store.node(demo.uid(), a.id()).orElseThrow().name(), "renamed at 123");
    assertTrue(e.getMessage().contains("the rename took effect"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable());
  }

  /** Drive.move interrupted while it reads the moved entry back: CANCELLED, saying the move took effect. */
  @Test
  void driveMove_interruptedWhileReadingTheMovedEntryBack_saysTheMoveTookEffect() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    file(0, "a.txt");
    AtomicBoolean moved = new AtomicBoolean();
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(Thread.currentThread());
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      drive.stat("/a.txt");
      cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE), Fault.hold(() -> moved.set(true)), 1);
      cloud.inject("open", r -> moved.get() && r.path().equals("/" + Open123Limits.DETAIL), Fault.hold(gate::hold), 1);
      DriveException e;
      boolean flagKept;
      try {
        e = assertThrows(DriveException.class, () -> drive.move("/a.txt", "/dir"));
      } finally {
        flagKept = Thread.interrupted();
        gate.release();
      }
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertTrue(flagKept, "the interrupt flag is kept");
      assertTrue(e.getMessage().contains("the move took effect"), e::getMessage);
      assertTrue(e.mayHaveTakenEffect(), e.getMessage());
      assertEquals("/a.txt", e.target().orElseThrow());
      assertEquals(1, store.children(demo.uid(), dir.id(), false).size(), "moved at 123");
    }
  }

  @Test
  void move_gatewayPageEveryTime_givesUpBounded_namingDriverOperationAndEntry() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE), gatewayPage(502, "mv-gw-1"), 100);
    DriveException e = assertThrows(DriveException.class, () -> d.move(List.of(id(a)), id(dir)));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e::getMessage);
    assertTrue(e.retryable(), "nothing moved: a later retry is safe");
    assertEquals("123open", e.driverId().orElseThrow());
    assertEquals("move", e.operation().orElseThrow());
    assertEquals(id(a), e.target().orElseThrow());
    assertEquals("502", e.providerCode().orElseThrow());
    assertEquals("mv-gw-1", e.traceId().orElseThrow());
    assertEquals(4, served("open", Open123Limits.MOVE), "bounded attempts");
    assertEquals(0, store.node(demo.uid(), a.id()).orElseThrow().parentId(), "not moved");
  }

  @Test
  void move_ofMoreThanOneCall_failingInALaterCall_saysHowManyWereMoved() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 101; i++) ids.add(id(file(0, "f" + i)));
    Open123Driver d = driver();
    java.util.concurrent.atomic.AtomicInteger moves = new java.util.concurrent.atomic.AtomicInteger();
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.MOVE) && moves.incrementAndGet() > 1,
        gatewayPage(502, "mv-gw-2"), 100);
    DriveException e = assertThrows(DriveException.class, () -> d.move(ids, id(dir)));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e::getMessage);
    assertTrue(e.getMessage().contains("the first 100 of the 101 entries were moved"), e::getMessage);
    assertEquals("mv-gw-2", e.traceId().orElseThrow());
    assertEquals(100, store.children(demo.uid(), dir.id(), false).size());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 5})
  void move_throttled_waitsAsToldOrBacksOff_andIsSentAgain(int retryAfterSeconds) {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    MockResponse.Builder throttled = new MockResponse.Builder().code(429).body("");
    if (retryAfterSeconds > 0) throttled.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MOVE), Fault.response("429", throttled.build()), 2);
    java.time.Duration before = clock.totalSlept();
    d.move(List.of(id(a)), id(dir));
    java.time.Duration waited = clock.totalSlept().minus(before);
    java.time.Duration least = java.time.Duration.ofSeconds(2L * retryAfterSeconds).plusMillis(retryAfterSeconds > 0 ? 0 : 1);
    assertTrue(waited.compareTo(least) >= 0, "waited " + waited);
    assertTrue(waited.compareTo(java.time.Duration.ofSeconds(30)) < 0, "bounded: " + waited);
    assertEquals(3, served("open", Open123Limits.MOVE), "a 429 did nothing: sent again");
    assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId());
  }

  @Test
  void remove_whoseReplyWasLost_isRepeated_andEndsTrashed() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.TRASH), Fault.lostReply(), 1);
    d.remove(List.of(id(a)));
    assertTrue(store.isTrashed(store.node(demo.uid(), a.id()).orElseThrow()));
    assertEquals(2, served("open", Open123Limits.TRASH));
  }

  @Test
  void copy_whoseReplyWasLost_isNotRepeated_andSaysTheCopyMayExist() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.COPY), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.copy(id(a), id(dir)));
    assertEquals(1, served("open", Open123Limits.COPY), "a copy is not idempotent: sent once");
    assertEquals(1, store.children(demo.uid(), dir.id(), false).size(), "the copy that went through");
    assertEquals("123open", e.driverId().orElseThrow());
    assertEquals("copy", e.operation().orElseThrow());
    assertEquals(id(a), e.target().orElseThrow());
    assertTrue(e.getMessage().contains("may have reached 123 and copied"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable(), "a retry as it stands would copy again");
  }

  @Test
  void offline_whoseReplyWasLost_isNotRepeated_andSaysTheTaskMayExist() {
    Node dir = store.mkdir(demo.uid(), 0, "in");
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.OFFLINE), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.addOffline("http://127.0.0.1:9/a.bin", id(dir)));
    assertEquals(1, served("open", Open123Limits.OFFLINE), "starting a download is not idempotent: sent once");
    assertTrue(e.getMessage().contains("may have reached 123 and started the download"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable(), "a retry as it stands would start a second download");
  }

  @Test
  void share_whoseReplyWasLost_isNotRepeated_andSaysTheShareMayExist() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.SHARE_CREATE), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.share(List.of(id(a)), io.github.pan4j.core.ShareOptions.DEFAULT));
    assertEquals(1, served("open", Open123Limits.SHARE_CREATE));
    assertEquals(1, door.sharesCreated(demo), "the share the lost reply was about");
    assertTrue(e.getMessage().contains("may have reached 123"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void instantUpload_whoseCreateReplyWasLost_returnsTheStoredFile_andIsNotRepeated() throws Exception {
    byte[] data = Open123UploadTest.bytes(3 * Open123UploadTest.SLICE + 5, 31);
    store.createFile(demo.uid(), 0, "original.bin", store.putBlob(data));
    Open123Driver d = driver();
    String md5 = Open123HashUploadTest.hex("MD5", data);
    // 123 knows the content: create stores the file at once, then its reply is lost.
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.CREATE), Fault.lostReply(), 1);
    Entry e = d.upload("0", "again.bin", UploadSource.ofHashes(data.length, md5, null), UploadOptions.DEFAULT);
    assertEquals("again.bin", e.name());
    assertEquals(data.length, e.size());
    assertEquals(1, served("open", Open123Limits.CREATE), "create is sent once");

    // KEEP_BOTH cannot tell its file from another copy: it fails, still without repeating create,
    // saying a renamed copy may be there (it is: a plain retry would store a third).
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.CREATE), Fault.lostReply(), 1);
    DriveException failed = assertThrows(DriveException.class, () -> d.upload("0", "again.bin",
        UploadSource.ofHashes(data.length, md5, null), UploadOptions.of(ConflictPolicy.KEEP_BOTH)));
    assertFalse(failed.retryable(), failed::getMessage);
    assertTrue(failed.getMessage().contains("may have reached 123"), failed::getMessage);
    assertTrue(failed.mayHaveTakenEffect(), failed.getMessage());
    assertEquals(2, served("open", Open123Limits.CREATE));
  }

  @Test
  void instantUpload_whoseCreateReplyWasLost_andWhoseLookFailed_reportsTheCreate_withTheLookAttached() throws Exception {
    byte[] data = Open123UploadTest.bytes(3 * Open123UploadTest.SLICE + 5, 32);
    store.createFile(demo.uid(), 0, "original.bin", store.putBlob(data));
    Open123Driver d = driver();
    String md5 = Open123HashUploadTest.hex("MD5", data);
    // The listings before create (the name is free) go through; every one after it, the look, meets a 503.
    java.util.concurrent.atomic.AtomicBoolean created = new java.util.concurrent.atomic.AtomicBoolean();
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.CREATE) && !created.getAndSet(true), Fault.lostReply(), 1);
    cloud.inject("open", r -> r.path().equals("/" + Open123Limits.LIST) && created.get(), Fault.html(503), 100);
    DriveException e = assertThrows(DriveException.class,
        () -> d.upload("0", "again.bin", UploadSource.ofHashes(data.length, md5, null), UploadOptions.DEFAULT));
    assertEquals("502", e.providerCode().orElse(null), e::toString);
    assertEquals(1, served("open", Open123Limits.CREATE), "create is sent once");
    assertTrue(java.util.Arrays.stream(e.getSuppressed()).anyMatch(s -> s instanceof DriveException l
        && l.providerCode().filter("503"::equals).isPresent()), "the failed look is attached: " + java.util.Arrays.toString(e.getSuppressed()));
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
  }

  // ------------------------------------------------------------------ token renewal

  @Test
  void oauthRefresh_whoseReplyWasLost_isSentOnce_andTheErrorSaysWhatToDo() {
    String refresh = door.issueRefreshToken(demo, "oauth-app", "oauth-secret");
    Open123Driver d = driver("clientId", "oauth-app", "clientSecret", "oauth-secret", "refreshToken", refresh);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.OAUTH_TOKEN), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(1, served("open", Open123Limits.OAUTH_TOKEN), "a single-use refresh token is never sent twice in one call");
    assertFalse(e.getMessage().contains(refresh), e::getMessage);
    assertFalse(e.getMessage().contains("oauth-secret"), e::getMessage);
    assertEquals("123open", e.driverId().orElseThrow());
    assertTrue(e.retryable(), e::getMessage);
    assertTrue(e.getMessage().contains("may have renewed") && e.getMessage().contains("authorize the app again"), e::getMessage);
    // The listing was never sent: what the renewal may have done is told in words, not as the list's effect.
    assertFalse(e.mayHaveTakenEffect(), e::getMessage);
  }

  @Test
  void renewalService_whoseReplyWasLost_isAskedOnce() {
    RenewalServiceFrontDoor service = cloud.door(RenewalServiceFrontDoor.class);
    RenewalServiceFrontDoor.Login login = service.login(demo);
    Open123Driver d = driver("clientId", null, "clientSecret", null, "refreshToken", login.refreshToken(),
        "renewalServiceUrl", service.url());
    cloud.inject("login", r -> r.path().equals(RenewalServiceFrontDoor.PATH), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(1, service.renewals() + service.refused(), "the renewal was asked once");
    assertEquals(1, cloud.requests("login", RenewalServiceFrontDoor.PATH).size());
    assertFalse(e.getMessage().contains(login.refreshToken()), e::getMessage);
    // The fake loses the reply behind a gateway's 502 page, as a proxy in front of the service would.
    assertTrue(e.getMessage().contains("spent the single-use refresh token"), e::getMessage);
    assertTrue(e.getMessage().contains("log in again on its jump-login page"), e::getMessage);
    assertFalse(e.getMessage().contains("check renewalServiceUrl"), "the URL is right: " + e.getMessage());
  }

  @Test
  void renewalService_gatewayPage_isTroubleOnItsSide_notAWrongUrl() {
    RenewalServiceFrontDoor service = cloud.door(RenewalServiceFrontDoor.class);
    RenewalServiceFrontDoor.Login login = service.login(demo);
    Open123Driver d = driver("clientId", null, "clientSecret", null, "refreshToken", login.refreshToken(),
        "renewalServiceUrl", service.url());
    cloud.inject("login", r -> r.path().equals(RenewalServiceFrontDoor.PATH), Fault.html(502), 1); // before handling
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e::getMessage);
    assertTrue(e.retryable(), e::getMessage);
    assertEquals("502", e.providerCode().orElseThrow());
    assertTrue(e.getMessage().contains("answered HTTP 502 (an error on its side"), e::getMessage);
    assertFalse(e.getMessage().contains("check renewalServiceUrl"), e::getMessage);
  }

  @Test
  void clientCredentialToken_whoseReplyWasLost_isMintedOncePerCall_andIsNoCredentialError() {
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.ACCESS_TOKEN), Fault.lostReply(), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(1, served("open", Open123Limits.ACCESS_TOKEN), "each mint is a live token more of the 3 allowed");
    // A gateway's error page says nothing about the credentials.
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e::getMessage);
    assertTrue(e.retryable());
    assertFalse(e.getMessage().contains("check clientId"), e::getMessage);
    assertEquals("502", e.providerCode().orElseThrow());
    cloud.clearFaults();
    clock.advance(java.time.Duration.ofMinutes(1)); // past the token manager's back-off
    d.list("0", null);
    assertEquals(2, served("open", Open123Limits.ACCESS_TOKEN));
  }

  private static Fault busyTokenAnswer() {
    return Fault.response("token endpoint busy", new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"code\":1,\"message\":\"系统繁忙，请稍后再试\",\"data\":null,\"x-traceID\":\"busy-1\"}").build());
  }

  @Test
  void clientCredentialToken_answeredBusyOnce_isAskedAgain_andTheCallSucceeds() {
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.ACCESS_TOKEN), busyTokenAnswer(), 1);
    java.time.Duration before = clock.totalSlept();
    d.list("0", null);
    assertEquals(2, served("open", Open123Limits.ACCESS_TOKEN), "123 said busy, issued nothing: asked once more");
    assertTrue(clock.totalSlept().minus(before).compareTo(Open123Api.BUSY_TOKEN_PAUSE) >= 0, "after a pause");
  }

  @Test
  void clientCredentialToken_answeredBusyTwice_failsRetryable_afterTwoRequests() {
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.ACCESS_TOKEN), busyTokenAnswer(), 2);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), e::getMessage);
    assertTrue(e.retryable());
    assertEquals("系统繁忙，请稍后再试", e.providerMessage().orElseThrow());
    assertFalse(e.getMessage().contains("check clientId"), e::getMessage);
    assertEquals(2, served("open", Open123Limits.ACCESS_TOKEN), "asked again once, not more");
  }

  // ------------------------------------------------------------------ gateway pages

  /** A gateway's HTML error page carrying a trace id header. */
  private static Fault gatewayPage(int status, String traceId) {
    return Fault.response("HTML " + status + " with trace", new MockResponse.Builder().code(status)
        .setHeader("Content-Type", "text/html").setHeader("x-traceID", traceId)
        .body("<html><body><h1>" + status + " Service Temporarily Unavailable</h1></body></html>").build());
  }

  @Test
  void stat_gatewayPageEveryTime_isBoundedAndKeepsTheTraceId() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), gatewayPage(503, "gw-trace-1"), 100);
    DriveException e = assertThrows(DriveException.class, () -> d.stat(id(a)));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
    assertTrue(e.retryable());
    assertEquals("gw-trace-1", e.traceId().orElseThrow());
    assertEquals("503", e.providerCode().orElseThrow());
    assertEquals("123open", e.driverId().orElseThrow());
    assertEquals("stat", e.operation().orElseThrow());
    assertEquals(id(a), e.target().orElseThrow());
    assertEquals(4, served("open", Open123Limits.DETAIL), "bounded attempts");
  }

  @Test
  void mkdir_gatewayPageBeforeHandling_failsRetryable_andMakesNothing() {
    Open123Driver d = driver();
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MKDIR), Fault.html(502), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.mkdir("0", "never"));
    assertTrue(e.retryable(), e::getMessage);
    assertEquals(1, served("open", Open123Limits.MKDIR), "not repeated");
    assertEquals(List.of(), store.children(demo.uid(), 0, false).stream().map(Node::name).toList());
  }

  // ------------------------------------------------------------------ cells the matrix had empty

  @Test
  void storageDetails_gatewayPageOnce_isRetried_andAnswers() {
    Open123Driver d = driver();
    d.list("0", null); // token and account first
    long before = served("open", Open123Limits.USER_INFO);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.USER_INFO), Fault.html(503), 1);
    io.github.pan4j.core.StorageDetails s = d.storageDetails();
    assertTrue(s.totalBytes() > 0, s::toString);
    assertEquals(before + 2, served("open", Open123Limits.USER_INFO), "a read: asked again after the gateway page");
  }

  @Test
  void storageDetails_tokenRevokedBeforeIt_renewsOnce_andAnswers() {
    Open123Driver d = driver();
    d.list("0", null);
    assertEquals(1, door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID));
    assertTrue(d.storageDetails().totalBytes() > 0);
    assertEquals(2, door.accessTokenCalls(), "exactly one new token");
  }

  @Test
  void rename_throttledWithRetryAfter_waitsAndIsSentAgain_becauseTheServerDidNothing() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RENAME), Fault.response("429 for 3 s",
        new MockResponse.Builder().code(429).setHeader("Retry-After", "3").body("").build()), 1);
    java.time.Duration before = clock.totalSlept();
    assertEquals("b.txt", d.rename(id(a), "b.txt").name());
    assertTrue(clock.totalSlept().minus(before).compareTo(java.time.Duration.ofSeconds(3)) >= 0, "Retry-After honoured");
    assertEquals("b.txt", store.node(demo.uid(), a.id()).orElseThrow().name());
  }

  @Test
  void stat_connectionDroppedOnce_isAskedAgain_andAnswers() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    long before = served("open", Open123Limits.DETAIL);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.DETAIL), Fault.disconnect(), 1);
    assertEquals("a.txt", d.stat(id(a)).name());
    assertTrue(served("open", Open123Limits.DETAIL) >= before + 2, "asked again after the drop");
  }

  // ------------------------------------------------------------------ holes of the fault matrix (docs/testing.md)

  /**
   * Every slice of a sliced upload refused (a gateway page) or cut off (the connection dropped):
   * the put gives up after the slice's bounded attempts, upload_complete is never sent, nothing
   * shows in the folder, and the error says so: no file was stored, so it did not take effect.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"html502", "disconnect"})
  void put_ofSlices_whoseEverySliceFails_givesUpBounded_storesNothing_andSaysSo(String fault) {
    byte[] content = Open123UploadTest.bytes(3 * 64 * 1024 + 5, 11);
    cloud.inject("upload", r -> r.path().equals("/" + Open123Limits.SLICE),
        fault.equals("html502") ? Fault.html(502) : Fault.disconnect(), 100);
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver("singleUploadMax", "0", "uploadThreads", "1"))) {
      DriveException e = assertThrows(DriveException.class, () -> drive.put("/big.bin", content));
      assertEquals(fault.equals("html502") ? ErrorKind.PROVIDER_ERROR : ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable(), e::getMessage);
      assertFalse(e.mayHaveTakenEffect(), "a slice is not a file, and the upload was never completed: " + e.getMessage());
      assertEquals("123open", e.driverId().orElseThrow());
      assertEquals("put", e.operation().orElseThrow());
      assertEquals("/big.bin", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("no file was stored: upload it again"), e::getMessage);
    }
    assertEquals(4, served("upload", Open123Limits.SLICE), "the first slice's bounded attempts, then no other slice");
    assertEquals(0, served("open", Open123Limits.COMPLETE) + served("upload", Open123Limits.COMPLETE), "never completed");
    assertEquals(List.of(), store.children(demo.uid(), 0, false).stream().map(Node::name).toList(), "no partial file");
  }

  /** A burst of three 429s on remove, mkdir, detail (stat) or download_info: waited out on the fake clock, sent four times, done once. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"remove", "mkdir", "stat", "link"})
  void call_429Burst_isWaitedOut_andDoneOnce(String op) throws Exception {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    String endpoint = switch (op) {
      case "remove" -> Open123Limits.TRASH;
      case "mkdir" -> Open123Limits.MKDIR;
      case "stat" -> Open123Limits.DETAIL;
      default -> Open123Limits.DOWNLOAD_INFO;
    };
    long sentBefore = served("open", endpoint);
    door.failNext("/" + endpoint, 3);
    java.time.Duration before = clock.totalSlept();
    switch (op) {
      case "remove" -> d.remove(List.of(id(a)));
      case "mkdir" -> assertEquals("new", d.mkdir("0", "new").name());
      case "stat" -> assertEquals("a.txt", d.stat(id(a)).name());
      default -> {
        try (Link.Content c = d.link(id(a)).open()) {
          assertEquals("a.txt", new String(c.body().readAllBytes()));
        }
      }
    }
    assertTrue(clock.totalSlept().compareTo(before) > 0, "backed off on the fake clock");
    assertEquals(sentBefore + 4, served("open", endpoint), "three throttled, then the one that answered");
    switch (op) {
      case "remove" -> assertTrue(store.isTrashed(store.node(demo.uid(), a.id()).orElseThrow()));
      case "mkdir" -> assertEquals(List.of("a.txt", "new"),
          store.children(demo.uid(), 0, false).stream().map(Node::name).sorted().toList(), "made once");
      default -> { }
    }
  }

  /** A token revoked just before a call: one new token, the call sent again once, and done. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"stat", "mkdir", "rename", "move", "remove"})
  void call_afterTheTokenWasRevoked_getsOneNewToken_andIsDone(String op) {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(dir));
    assertEquals(1, door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID));
    switch (op) {
      case "stat" -> assertEquals("a.txt", d.stat(id(a)).name());
      case "mkdir" -> assertEquals("new", d.mkdir(id(dir), "new").name());
      case "rename" -> assertEquals("b.txt", d.rename(id(a), "b.txt").name());
      case "move" -> d.move(List.of(id(a)), id(dir));
      default -> d.remove(List.of(id(a)));
    }
    assertEquals(2, door.accessTokenCalls(), "exactly one new token");
    Node after = store.node(demo.uid(), a.id()).orElseThrow();
    switch (op) {
      case "mkdir" -> assertEquals(1, store.children(demo.uid(), dir.id(), false).size(), "made once");
      case "rename" -> assertEquals("b.txt", after.name());
      case "move" -> assertEquals(dir.id(), after.parentId());
      case "remove" -> assertTrue(store.isTrashed(after));
      default -> { }
    }
  }

  /** A connection dropped before 123 answered a rename or a trash (both safe to repeat): sent again, done once. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"rename", "remove"})
  void write_whoseConnectionDropped_isSentAgain_andDone(String op) {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    String endpoint = op.equals("rename") ? Open123Limits.RENAME : Open123Limits.TRASH;
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint), Fault.disconnect(), 1);
    if (op.equals("rename")) assertEquals("b.txt", d.rename(id(a), "b.txt").name());
    else d.remove(List.of(id(a)));
    assertEquals(0, cloud.pendingFaults());
    assertEquals(2, served("open", endpoint), "sent again after the drop");
    Node after = store.node(demo.uid(), a.id()).orElseThrow();
    if (op.equals("rename")) assertEquals("b.txt", after.name());
    else assertTrue(store.isTrashed(after));
  }

  /**
   * A mkdir held in front of 123 past the call deadline: it fails in time as NETWORK naming the
   * driver and path, is not sent again (no time is left), and says it may have taken effect, by
   * the flag and in words, since the client cannot know whether 123 made (or will make) the folder.
   */
  @Test
  void mkdirs_unansweredPastTheDeadline_failsInTime_sentOnce_andMayHaveTakenEffect() {
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(new Open123Provider().openWith(options(),
        context().toBuilder().callDeadline(java.time.Duration.ofMillis(1000)).build()))) {
      drive.ls("/");
      cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.MKDIR), Fault.unanswered(java.time.Duration.ofMillis(2000)), 1);
      long start = System.nanoTime();
      DriveException e = assertThrows(DriveException.class, () -> drive.mkdirs("/inbox"));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertTrue(e.retryable());
      assertTrue(e.mayHaveTakenEffect(), e::getMessage);
      assertEquals("123open", e.driverId().orElseThrow());
      assertEquals("/inbox", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("deadline of 1000 ms"), e::getMessage);
      assertTrue(e.getMessage().contains("it may have reached the server and taken effect: look before repeating it"),
          "the flag in words: " + e.getMessage());
      assertTrue(ms < 1900, "gave up after " + ms + " ms, before the fake dropped the request");
    }
    assertEquals(0, cloud.pendingFaults(), "the mkdir reached the fake");
    assertTrue(store.resolve(demo.uid(), "/inbox").isEmpty(), "held and never carried out, and not sent again");
  }

  /**
   * A network's sign-in page (or a proxy's) answering the listing with HTTP 200 in 123's place:
   * PROTOCOL, not repeated, naming the driver and folder and saying that a page answered instead
   * of the API, and what to check.
   */
  @Test
  void list_answeredByANetworksSignInPage_isProtocol_notRepeated_sayingWhatAnswered() {
    store.mkdir(demo.uid(), 0, "docs");
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      drive.ls("/");
      long before = served("open", Open123Limits.LIST);
      cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.LIST), Fault.response("sign-in page",
          new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
              .body("<html><head><title>Hotel WiFi sign-in</title></head><body>accept the terms</body></html>").build()), 100);
      DriveException e = assertThrows(DriveException.class, () -> drive.ls("/docs"));
      assertEquals(ErrorKind.PROTOCOL, e.kind(), e::getMessage);
      assertFalse(e.retryable());
      assertEquals("123open", e.driverId().orElseThrow());
      assertEquals("/docs", e.target().orElseThrow());
      assertTrue(e.getMessage().contains("with an HTML page instead of an API reply: <html><head><title>Hotel WiFi sign-in"),
          e::getMessage);
      assertTrue(e.getMessage().contains("proxy") && e.getMessage().contains("check the network and the configured address"),
          e::getMessage);
      assertEquals(before + 1, served("open", Open123Limits.LIST), "not repeated");
    }
  }

  /**
   * A reply 2.5 s late (the request carried out) while every call must end within 1 s, sent once
   * each: a stat fails in time as NETWORK and says nothing may have changed; a rename, a move, a
   * trash and a recover are looked at (the look is a call of its own, with its own deadline) and
   * reported done, since they took effect.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"stat", "rename", "move", "remove", "restore"})
  void slowReplyPastTheCallDeadline_failsInTime_orIsLookedAt(String op) {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    Node t = file(0, "t.txt");
    store.trash(t);
    Open123Driver d = (Open123Driver) new Open123Provider().openWith(options(),
        context().toBuilder().callDeadline(java.time.Duration.ofMillis(1000)).build());
    d.stat(id(a));
    String endpoint = switch (op) {
      case "stat" -> Open123Limits.DETAIL;
      case "rename" -> Open123Limits.RENAME;
      case "move" -> Open123Limits.MOVE;
      case "remove" -> Open123Limits.TRASH;
      default -> Open123Limits.RECOVER;
    };
    long before = served("open", endpoint);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint), Fault.slow(java.time.Duration.ofMillis(2500)), 1);
    long start = System.nanoTime();
    switch (op) {
      case "rename" -> assertEquals("b.txt", d.rename(id(a), "b.txt").name());
      case "move" -> d.move(List.of(id(a)), id(dir));
      case "remove" -> d.remove(List.of(id(a)));
      case "restore" -> assertEquals(List.of(id(t)), d.restore(List.of(id(t)), null).restored());
      default -> {
        DriveException e = assertThrows(DriveException.class, () -> d.stat(id(a)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
        assertTrue(e.retryable());
        assertEquals("123open", e.driverId().orElseThrow());
        assertTrue(e.getMessage().contains("deadline of 1000 ms"), e::getMessage);
        assertTrue(ms < 2400, "gave up after " + ms + " ms, before the late reply");
        assertFalse(e.mayHaveTakenEffect(), e::getMessage);
        assertFalse(e.getMessage().contains("it may have reached the server and taken effect"), e::getMessage);
      }
    }
    assertEquals(before + 1, served("open", endpoint), "not sent again");
    switch (op) {
      case "rename" -> assertEquals("b.txt", store.node(demo.uid(), a.id()).orElseThrow().name());
      case "move" -> assertEquals(dir.id(), store.node(demo.uid(), a.id()).orElseThrow().parentId());
      case "remove" -> assertTrue(store.isTrashed(store.node(demo.uid(), a.id()).orElseThrow()), "it did take effect");
      case "restore" -> assertFalse(store.isTrashed(store.node(demo.uid(), t.id()).orElseThrow()), "it did take effect");
      default -> { }
    }
  }

  /** A restore (recover, safe to repeat) after the token was revoked, or whose connection dropped: asked again once, restored. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"revoked", "dropped"})
  void restore_afterTheTokenWasRevoked_orWhoseConnectionDropped_isRestored(String fault) {
    Node t = file(0, "t.txt");
    store.trash(t);
    Open123Driver d = driver();
    d.stat("0");
    if (fault.equals("revoked")) door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID);
    else cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RECOVER), Fault.disconnect(), 1);
    assertEquals(List.of(id(t)), d.restore(List.of(id(t)), null).restored());
    assertEquals(2, served("open", Open123Limits.RECOVER), "asked again once");
    assertEquals(fault.equals("revoked") ? 2 : 1, door.accessTokenCalls());
    assertFalse(store.isTrashed(store.node(demo.uid(), t.id()).orElseThrow()));
  }

  /**
   * A trash, a trash then delete (removePermanently), a purge and a recover, each carried out by
   * 123 while the connection drops before every answer (the engine repeats them, as they are safe
   * to repeat, until it gives up) or while its answer is cut off (not repeated): infos then shows
   * that they took effect, so they are reported done instead of failing with "may have taken
   * effect".
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"remove,dropped", "removePermanently,dropped", "purge,dropped",
      "restore,dropped", "remove,cut", "removePermanently,cut", "purge,cut", "restore,cut"})
  void trashWrite_whoseAnswerIsLost_isLookedAt_andReportedDone(String op, String fault) {
    Node a = file(0, "a.txt");
    Node b = file(0, "b.txt");
    if (op.equals("purge") || op.equals("restore")) {
      store.trash(a);
      store.trash(b);
    }
    Open123Driver d = op.equals("removePermanently") ? driver("removePermanently", "true") : driver();
    d.stat("0");
    String endpoint = switch (op) {
      case "remove" -> Open123Limits.TRASH;
      case "restore" -> Open123Limits.RECOVER;
      default -> Open123Limits.DELETE;
    };
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint),
        fault.equals("cut") ? Fault.cutReply() : Fault.droppedReply(), 50);
    List<String> ids = List.of(id(a), id(b));
    switch (op) {
      case "remove", "removePermanently" -> d.remove(ids);
      case "purge" -> d.purge(ids);
      default -> assertEquals(ids, d.restore(ids, null).restored());
    }
    if (fault.equals("cut")) assertEquals(1, served("open", endpoint), "a cut answer is not repeated");
    else assertTrue(served("open", endpoint) >= 2, "the engine repeated it before giving up");
    assertTrue(cloud.pendingFaults() > 0, "every answer was lost");
    for (Node n : List.of(a, b)) {
      java.util.Optional<Node> now = store.node(demo.uid(), n.id());
      switch (op) {
        case "remove" -> assertTrue(store.isTrashed(now.orElseThrow()));
        case "restore" -> assertFalse(store.isTrashed(now.orElseThrow()));
        default -> assertTrue(now.isEmpty(), "deleted for good");
      }
    }
  }

  /**
   * A trash of two entries, one already in the trash, whose request never reaches 123 (the
   * connection drops before it is handled, every time): the look shows only the first in the
   * trash, so the original failure is thrown, still saying it may have taken effect and still
   * retryable, naming which id is in the trash and which is not.
   */
  @Test
  void remove_neverCarriedOut_failsNamingWhichIdsAreInTheTrash_andWhichNot() {
    Node a = file(0, "a.txt");
    Node b = file(0, "b.txt");
    store.trash(a);
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.TRASH), Fault.disconnect(), 50);
    DriveException e = assertThrows(DriveException.class, () -> d.remove(List.of(id(a), id(b))));
    assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertTrue(e.retryable(), e::getMessage);
    assertEquals("123open", e.driverId().orElseThrow());
    assertEquals("remove", e.operation().orElseThrow());
    assertTrue(e.getMessage().contains("looking afterwards, 123 shows 1 of the 2 entries in the trash (ids " + id(a)
        + ") but not the other 1 (ids " + id(b) + ")"), e::getMessage);
    assertTrue(e.getMessage().contains("removing them again is safe"), e::getMessage);
    assertFalse(store.isTrashed(store.node(demo.uid(), b.id()).orElseThrow()));
  }

  /**
   * A trash whose answers are all dropped, and whose look fails too (infos answers a gateway page
   * every time): nobody can tell, so the trash's failure is thrown saying so, not retryable as it
   * stands, with the look's failure attached.
   */
  @Test
  void remove_whoseAnswersAreDropped_andWhoseLookFails_saysItMayHaveTakenEffect_andIsNotRetryable() {
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.TRASH), Fault.droppedReply(), 50);
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.INFOS), Fault.html(502), 50);
    DriveException e = assertThrows(DriveException.class, () -> d.remove(List.of(id(a))));
    assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertFalse(e.retryable(), e::getMessage);
    assertTrue(e.getMessage().contains("looking whether it did failed too"), e::getMessage);
    assertEquals(1, e.getSuppressed().length);
    assertEquals(ErrorKind.PROVIDER_ERROR, ((DriveException) e.getSuppressed()[0]).kind());
    assertTrue(served("open", Open123Limits.INFOS) >= 1, "it looked");
    assertTrue(store.isTrashed(store.node(demo.uid(), a.id()).orElseThrow()));
  }

  /**
   * A restore of two entries, one already back, whose recover never reaches 123 (dropped before it
   * is handled, every time): the look shows only the first out of the trash, so the failure keeps
   * its flag and names which id is back and which is still in the trash.
   */
  @Test
  void restore_neverCarriedOut_failsNamingWhichIdsAreBack_andWhichNot() {
    Node a = file(0, "a.txt");
    Node b = file(0, "b.txt");
    store.trash(b);
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RECOVER), Fault.disconnect(), 50);
    DriveException e = assertThrows(DriveException.class, () -> d.restore(List.of(id(a), id(b)), null));
    assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertTrue(e.retryable(), e::getMessage);
    assertTrue(e.getMessage().contains("looking afterwards, 123 shows 1 of the 2 entries restored (ids " + id(a)
        + ") but not the other 1 (ids " + id(b) + ")"), e::getMessage);
    assertTrue(e.getMessage().contains("restoring them again is safe"), e::getMessage);
    assertTrue(store.isTrashed(store.node(demo.uid(), b.id()).orElseThrow()));
  }

  /**
   * A restore whose entries' folder is in the trash, so 123 puts them into the folder to restore
   * into (recover/by_path), whose answers are all dropped after 123 carried it out: the look shows
   * both live in that folder, so they are reported restored there. When the request never reaches
   * 123 (dropped before it is handled), the look shows neither there, and the failure says so,
   * still flagged.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void restoreIntoAFolder_whoseAnswersAreDropped_isLookedAt(boolean neverHandled) {
    Node gone = store.mkdir(demo.uid(), 0, "gone");
    Node into = store.mkdir(demo.uid(), 0, "into");
    Node a = file(gone.id(), "a.txt");
    Node b = file(gone.id(), "b.txt");
    store.trash(a);
    store.trash(b);
    store.trash(gone);
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + Open123Limits.RECOVER_BY_PATH),
        neverHandled ? Fault.disconnect() : Fault.droppedReply(), 50);
    List<String> ids = List.of(id(a), id(b));
    if (!neverHandled) {
      io.github.pan4j.core.RestoreResult r = d.restore(ids, id(into));
      assertEquals(ids, r.relocated());
      assertTrue(r.restored().isEmpty());
      for (Node n : List.of(a, b)) assertEquals(into.id(), store.node(demo.uid(), n.id()).orElseThrow().parentId());
      return;
    }
    DriveException e = assertThrows(DriveException.class, () -> d.restore(ids, id(into)));
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertTrue(e.getMessage().contains("looking afterwards, 123 shows them not restored into the folder to restore into"
        + " (ids " + id(a) + ", " + id(b) + ")"), e::getMessage);
    assertTrue(store.isTrashed(store.node(demo.uid(), a.id()).orElseThrow()));
  }

  // ------------------------------------------------------------------ the last holes of the fault matrix

  private static String md5Hex(byte[] b) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
  }

  /** The one file of the account's root named {@code name}, with the bytes it holds. */
  private Node onlyFileAtRoot(String name) {
    List<Node> root = store.children(demo.uid(), 0, false);
    assertEquals(List.of(name), root.stream().map(Node::name).toList(), "exactly one file, no partial one");
    return root.get(0);
  }

  /**
   * A burst of three code-429 replies on the request that carries a part: v2's slice to the
   * upload host (an enveloped 123 endpoint, so it can answer 429 like any other), v1's request for
   * the part's presigned URL ({@code get_upload_url}, an API endpoint with a QPS limit of its own).
   * The object-storage PUT of v1 is not known to throttle (it answers 200, or 403 for a stale URL),
   * so the burst is armed on the call before it. Waited out on the fake clock inside the part's
   * retry budget: the throttled request is sent four times, every other one once, and 123 holds the
   * one file with the source's MD5.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"v2", "v1"})
  void put_ofParts_429BurstOnAPart_isWaitedOut_andStoresTheFileWithItsMd5(String uploadApi) throws Exception {
    byte[] content = Open123UploadTest.bytes(3 * 64 * 1024 + 5, 12);
    String throttled = uploadApi.equals("v2") ? Open123Limits.SLICE : "upload/v1/file/get_upload_url";
    String server = uploadApi.equals("v2") ? "upload" : "open";
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(
        driver("singleUploadMax", "0", "uploadThreads", "1", "uploadApi", uploadApi))) {
      drive.ls("/");
      door.failNext("/" + throttled, 3);
      java.time.Duration slept = clock.totalSlept();
      Entry put = drive.put("/big.bin", content);
      assertEquals(content.length, put.size());
      assertTrue(clock.totalSlept().compareTo(slept) > 0, "backed off on the fake clock");
    }
    assertEquals(0, cloud.pendingFaults(), "the whole burst was served");
    assertEquals(4 + 3, served(server, throttled), "four parts, the first one's request three times more");
    if (uploadApi.equals("v1")) {
      assertEquals(4, cloud.requests("cdn", "/open-v1-put/").stream().filter(r -> r.method().equals("PUT")).count(),
          "each part's bytes PUT once");
    }
    assertEquals(md5Hex(content), onlyFileAtRoot("big.bin").md5());
  }

  /**
   * The upload host stops reading a 16 MiB slice after 256 KiB (more than the socket buffers can
   * take) while the client's write timeout is 500 ms: every attempt gives up on the write timeout
   * while the fake still holds the body back; bounded attempts of the first slice, then NETWORK,
   * retryable, naming the driver, the path and the slice, saying it may be uploaded again;
   * upload_complete never sent, nothing stored.
   */
  @Test
  void put_ofSlices_hostStopsReadingASlice_failsOnTheWriteTimeout_boundedAndRetryable_nothingStored() {
    door.sliceSize(16 << 20);
    byte[] content = Open123UploadTest.bytes((16 << 20) + 5, 17);
    http = http.newBuilder().writeTimeout(java.time.Duration.ofMillis(500)).build();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    cloud.inject("upload", r -> r.path().equals("/" + Open123Limits.SLICE), Fault.stopReadingBody(256 << 10, () -> {
      try {
        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }), 100);
    DriveException e;
    boolean held;
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver("singleUploadMax", "0", "uploadThreads", "1"))) {
      drive.ls("/");
      try {
        e = assertThrows(DriveException.class, () -> drive.put("/big.bin", content));
      } finally {
        held = release.getCount() == 1;
        release.countDown();
      }
    }
    assertTrue(held, "gave up while the fake still held the body back");
    assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
    assertTrue(e.retryable(), e::getMessage);
    assertFalse(e.mayHaveTakenEffect(), "a slice cut short stores nothing: " + e.getMessage());
    assertEquals("123open", e.driverId().orElseThrow());
    assertEquals("/big.bin", e.target().orElseThrow());
    assertTrue(e.getMessage().contains("the server stopped taking the request's body part-way")
        && e.getMessage().contains("write timeout") && e.getMessage().contains("changed nothing"), e::getMessage);
    assertTrue(e.getMessage().contains("part 1 of 2 (bytes 0 to " + ((16 << 20) - 1) + ") failed"), e::getMessage);
    assertTrue(e.getMessage().contains("no file was stored: upload it again"), e::getMessage);
    assertEquals(100 - 4, cloud.pendingFaults(), "the first slice's four attempts, then no other slice");
    assertEquals(0, served("upload", Open123Limits.SLICE), "no slice carried out");
    assertEquals(0, served("open", Open123Limits.COMPLETE) + served("upload", Open123Limits.COMPLETE), "never completed");
    assertEquals(List.of(), store.children(demo.uid(), 0, false), "no partial file");
  }

  /** An HTTP client whose reads give up after {@code ms}, for the slow-reply cells (the fake holds the reply longer). */
  private void readTimeout(long ms) {
    http = http.newBuilder().readTimeout(java.time.Duration.ofMillis(ms)).build();
  }

  /**
   * A one-request upload ({@code single/create}) carried out by 123 but answered after the read
   * timeout: the client cannot tell whether the file was stored, so it does not send it again but
   * looks in the folder, finds the file with the source's size and MD5, and returns it. One
   * request, one file.
   */
  @Test
  void put_small_answeredPastTheReadTimeout_isLookedFor_notSentAgain_andStoredOnce() throws Exception {
    byte[] content = "a small file".getBytes();
    readTimeout(200);
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      drive.ls("/");
      cloud.inject("upload", r -> r.path().equals("/" + Open123Limits.SINGLE), Fault.slow(java.time.Duration.ofMillis(1500)), 1);
      Entry put = drive.put("/small.txt", content);
      assertEquals(content.length, put.size());
    }
    assertEquals(0, cloud.pendingFaults());
    assertEquals(1, served("upload", Open123Limits.SINGLE), "not sent again: the look found it");
    assertEquals(md5Hex(content), onlyFileAtRoot("small.txt").md5());
  }

  /**
   * A one-request upload held in front of 123 past the read timeout every time, never carried
   * out: bounded attempts, then NETWORK naming the driver and path; under KEEP_BOTH the client
   * cannot tell its file from a renamed copy, so it is not repeated and says the file may have
   * been stored; nothing is in the folder.
   */
  @Test
  void put_small_keepBoth_unansweredPastTheReadTimeout_failsSentOnce_sayingItMayHaveBeenStored() {
    readTimeout(200);
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver())) {
      drive.ls("/");
      cloud.inject("upload", r -> r.path().equals("/" + Open123Limits.SINGLE), Fault.unanswered(java.time.Duration.ofMillis(1000)), 10);
      DriveException e = assertThrows(DriveException.class, () -> drive.put("/small.txt", UploadSource.ofBytes("x".getBytes()),
          UploadOptions.of(ConflictPolicy.KEEP_BOTH)));
      assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
      assertEquals("123open", e.driverId().orElseThrow());
      assertEquals("/small.txt", e.target().orElseThrow());
      assertTrue(e.mayHaveTakenEffect(), e::getMessage);
      assertFalse(e.retryable(), "a plain repeat could store a second copy: " + e.getMessage());
      assertTrue(e.getMessage().contains("may or may not have stored the file")
          && e.getMessage().contains("look in the folder for the file or a renamed copy before uploading again"), e::getMessage);
    }
    // Held requests are never served, so the fake's log does not show them: the faults left say how many came.
    assertEquals(9, cloud.pendingFaults(), "sent once: not repeated under KEEP_BOTH");
    assertEquals(0, served("upload", Open123Limits.SINGLE), "never carried out");
    assertEquals(List.of(), store.children(demo.uid(), 0, false), "nothing stored");
  }

  /**
   * A slice taken by 123 but answered past the read timeout: sent again (a slice sent twice
   * overwrites itself), and the upload ends with the source's MD5; held in front of 123 every
   * time instead: bounded attempts of the first slice, NETWORK naming the driver and path,
   * upload_complete never sent, nothing stored and nothing claimed to be.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"slowOnce", "unansweredEveryTime"})
  void put_ofSlices_pastTheReadTimeout_isSentAgain_orGivesUpBounded(String fault) throws Exception {
    byte[] content = Open123UploadTest.bytes(3 * 64 * 1024 + 5, 13);
    readTimeout(200);
    boolean once = fault.equals("slowOnce");
    try (io.github.pan4j.core.Drive drive = io.github.pan4j.core.Drive.of(driver("singleUploadMax", "0", "uploadThreads", "1"))) {
      drive.ls("/");
      cloud.inject("upload", r -> r.path().equals("/" + Open123Limits.SLICE),
          once ? Fault.slow(java.time.Duration.ofMillis(1500)) : Fault.unanswered(java.time.Duration.ofMillis(1000)), once ? 1 : 100);
      if (once) {
        assertEquals(content.length, drive.put("/big.bin", content).size());
      } else {
        DriveException e = assertThrows(DriveException.class, () -> drive.put("/big.bin", content));
        assertEquals(ErrorKind.NETWORK, e.kind(), e::getMessage);
        assertTrue(e.retryable(), e::getMessage);
        assertFalse(e.mayHaveTakenEffect(), "a slice is not a file, and the upload was never completed: " + e.getMessage());
        assertEquals("123open", e.driverId().orElseThrow());
        assertEquals("/big.bin", e.target().orElseThrow());
        assertTrue(e.getMessage().contains("no file was stored: upload it again"), e::getMessage);
      }
    }
    if (once) {
      assertEquals(4 + 1, served("upload", Open123Limits.SLICE), "the slow slice sent again, the others once");
      assertEquals(md5Hex(content), onlyFileAtRoot("big.bin").md5());
    } else {
      // Held requests are never served, so the fake's log does not show them: the faults left say how many came.
      assertEquals(100 - 4, cloud.pendingFaults(), "the first slice's bounded attempts, then no other slice");
      assertEquals(0, served("upload", Open123Limits.SLICE), "none carried out");
      assertEquals(0, served("open", Open123Limits.COMPLETE) + served("upload", Open123Limits.COMPLETE), "never completed");
      assertEquals(List.of(), store.children(demo.uid(), 0, false), "no partial file");
    }
  }
}
