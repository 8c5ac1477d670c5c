package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.FakeCloud.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import io.github.pan4j.testkit.fake.Node;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/** Upload v1 (presigned parts), resuming an interrupted upload, and the fallback from a refused v2 domain. */
class Open123ResumeTest extends Open123Fixture {
  static final int SLICE = Open123UploadTest.SLICE;

  private List<LoggedRequest> puts() {
    return cloud.requests("cdn", "/open-v1-put/");
  }

  @Test
  void v1_storesIdenticalBytes_partsWithoutAuthorization_withinQps() {
    byte[] data = Open123UploadTest.bytes(12 * SLICE + 99, 21);
    Open123Driver d = driver("uploadApi", "v1");
    UploadSource source = UploadSource.ofBytes(data);
    Entry e = d.upload("0", "v1.bin", source, UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertTrue(source.sliceMd5s(SLICE).isEmpty() && source.sliceMd5s(16 << 20).isEmpty(),
        "v1 sends parts without their MD5: no slice digests are computed for a fresh upload");
    assertEquals(13, puts().size());
    assertTrue(puts().stream().allMatch(r -> r.header("Authorization") == null && r.header("Platform") == null),
        "presigned PUTs carry neither Authorization nor Platform");
    assertTrue(puts().stream().noneMatch(LoggedRequest::chunked), "every part has a Content-Length");
    assertEquals(1, calls("open", "/upload/v1/file/list_upload_parts"));
    assertEquals(13, calls("open", "/upload/v1/file/get_upload_url"));
    assertTrue(cloud.requests("upload", "/").isEmpty(), "no v2 slice");
    assertEquals(0, cloud.counters().served429Count(), "paced within the v1 QPS limits");
  }

  @Test
  void interruptedUpload_putAgain_sendsOnlyTheMissingParts(@TempDir Path tmp) throws Exception {
    byte[] data = Open123UploadTest.bytes(6 * SLICE + 5, 22);
    Path f = Files.write(tmp.resolve("big.bin"), data);
    // The first run: two parts arrive, then every PUT is dropped, as when the process is killed.
    AtomicInteger seen = new AtomicInteger();
    cloud.inject("cdn", r -> r.method().equals("PUT") && seen.incrementAndGet() > 2, Fault.disconnect(), 1000);
    DriveException e = assertThrows(DriveException.class,
        () -> driver("uploadApi", "v1", "uploadThreads", "1").upload("0", "big.bin", UploadSource.ofFile(f), UploadOptions.DEFAULT));
    assertTrue(e.kind() == ErrorKind.NETWORK || e.kind() == ErrorKind.PROVIDER_ERROR, e::toString);
    assertTrue(store.child(demo.uid(), 0, "big.bin").isEmpty(), "nothing visible after the failure");
    cloud.clearFaults();
    cloud.clearRequests();

    // A new driver (a new process: nothing kept on the client) puts the same file again.
    Open123Driver again = driver("uploadApi", "v1", "uploadThreads", "1");
    Entry stored = again.upload("0", "big.bin", UploadSource.ofFile(f), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(again, stored.id()));
    assertEquals(7 - 2, puts().size(), "only the parts 123 did not have were sent");
    assertEquals(1, calls("open", "/upload/v1/file/list_upload_parts"));
  }

  @Test
  void serverGivingANewSession_meansAFullUploadAgain(@TempDir Path tmp) throws Exception {
    door.v1SameSessionOnRepeat(false);
    byte[] data = Open123UploadTest.bytes(4 * SLICE + 5, 23);
    Path f = Files.write(tmp.resolve("b.bin"), data);
    AtomicInteger seen = new AtomicInteger();
    cloud.inject("cdn", r -> r.method().equals("PUT") && seen.incrementAndGet() > 2, Fault.disconnect(), 1000);
    assertThrows(DriveException.class,
        () -> driver("uploadApi", "v1", "uploadThreads", "1").upload("0", "b.bin", UploadSource.ofFile(f), UploadOptions.DEFAULT));
    cloud.clearFaults();
    cloud.clearRequests();
    Open123Driver again = driver("uploadApi", "v1");
    Entry stored = again.upload("0", "b.bin", UploadSource.ofFile(f), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(again, stored.id()));
    assertEquals(5, puts().size(), "a new session has no parts: all are sent");
  }

  @Test
  void presignedPutErrors_areRetriedWithAFreshUrl() {
    byte[] data = Open123UploadTest.bytes(3 * SLICE, 24);
    cloud.inject("cdn", r -> r.method().equals("PUT"), Fault.status(500, ""), 1);
    cloud.inject("cdn", r -> r.method().equals("PUT"), Fault.status(403, "<Error><Code>AccessDenied</Code></Error>"), 1);
    Open123Driver d = driver("uploadApi", "v1", "uploadThreads", "1");
    Entry e = d.upload("0", "retry.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(3 + 2, puts().size());
    assertEquals(3 + 2, calls("open", "/upload/v1/file/get_upload_url"), "a new URL for every attempt");
  }

  @Test
  void v1CreateAnswering500_isNotRepeated() {
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/create"), Fault.status(500, "boom"), 1);
    DriveException e = assertThrows(DriveException.class, () -> driver("uploadApi", "v1")
        .upload("0", "x.bin", UploadSource.ofBytes(Open123UploadTest.bytes(SLICE + 1, 25)), UploadOptions.DEFAULT));
    assertEquals(1, calls("open", "/upload/v1/file/create"), "create is not idempotent: not blindly retried");
    assertTrue(puts().isEmpty(), e::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lost", "cut", "dropped", "gateway"})
  void v1CompleteWhoseAnswerIsLostOnce_isAskedOnceMore_andStoresOneFile(String how) {
    Fault fault = switch (how) {
      case "lost" -> Fault.lostReply();
      case "cut" -> Fault.cutReply();
      case "dropped" -> Fault.droppedReply();
      default -> Fault.html(502); // a gateway answered before 123 saw it: the repeat completes it
    };
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), fault, 1);
    byte[] data = Open123UploadTest.bytes(2 * SLICE + 7, 27);
    Open123Driver d = driver("uploadApi", "v1");
    Entry e = d.upload("0", "done.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(2, calls("open", "/upload/v1/file/upload_complete"));
    assertEquals(List.of("done.bin"), store.children(demo.uid(), 0, false).stream().map(Node::name).toList());
  }

  /**
   * Both answers of a multi-part upload's completion lost: 123 verifies the file asynchronously
   * whether or not anyone asks, and its async result tells that it stored it. Before, the driver
   * looked in the folder at once, found nothing yet, and failed an upload that 123 went on to store.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cut", "dropped"})
  void v1MultipartCompleteWhoseAnswerIsLostTwice_asksTheAsyncResult_andStoresOneFile(String how) {
    Fault fault = how.equals("cut") ? Fault.cutReply() : Fault.droppedReply();
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), fault, 2);
    byte[] data = Open123UploadTest.bytes(2 * SLICE + 5, 29);
    Open123Driver d = driver("uploadApi", "v1");
    Entry e = d.upload("0", "async.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(2, calls("open", "/upload/v1/file/upload_complete"));
    assertEquals(List.of("async.bin"), store.children(demo.uid(), 0, false).stream().map(Node::name).toList());
  }

  /** Async results that keep failing until the deadline: the timeout says so through its cause, not only "not confirmed". */
  @Test
  void v1AsyncResultFailingUntilTheDeadline_keepsTheLastFailureAsCause() {
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_async_result"), Fault.html(502), 10_000);
    byte[] data = Open123UploadTest.bytes(2 * SLICE + 5, 37);
    DriveException e = assertThrows(DriveException.class, () -> driver("uploadApi", "v1", "uploadCompleteTimeout", "20s")
        .upload("0", "slow.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT));
    assertTrue(e.getMessage().contains("did not confirm the upload"), e::getMessage);
    assertTrue(e.getCause() instanceof DriveException, () -> "cause: " + e.getCause());
    assertTrue(e.getCause().getMessage().contains("502"), () -> e.getCause().getMessage());
  }

  /** A completion that never reached 123 (both requests refused by a gateway before it): the async result refuses, the look finds nothing. */
  @Test
  void v1CompleteThatNeverArrived_isReportedAsTheLostCompletion_notAsTheAsyncRefusal() {
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.html(502), 2);
    byte[] data = Open123UploadTest.bytes(2 * SLICE + 5, 31);
    DriveException e = assertThrows(DriveException.class,
        () -> driver("uploadApi", "v1").upload("0", "never.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT));
    assertTrue(e.getMessage().contains("502"), e::getMessage);
    assertEquals(1, calls("open", "/upload/v1/file/upload_async_result"), "asked once, refused");
    assertTrue(store.child(demo.uid(), 0, "never.bin").isEmpty());
  }

  @Test
  void v1CompleteWhoseAnswerIsLostTwice_findsTheStoredFile() {
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.cutReply(), 2);
    byte[] data = Open123UploadTest.bytes(SLICE - 1, 28); // one part: completed at once, no async result
    Open123Driver d = driver("uploadApi", "v1");
    Entry e = d.upload("0", "one.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertEquals("one.bin", e.name());
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(2, calls("open", "/upload/v1/file/upload_complete"));
  }

  /** Found by the fault soak (uploadApi=v1, seed 9): the stored copy was reported as a plain, retryable failure. */
  @Test
  void v1KeepBothCompleteWhoseAnswerIsLostTwice_saysARenamedCopyMayHaveBeenStored() {
    byte[] data = Open123UploadTest.bytes(SLICE - 1, 33); // one part: completed at once
    store.createFile(demo.uid(), 0, "kb.bin", store.putBlob(Open123UploadTest.bytes(10, 34)));
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.droppedReply(), 1);
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.status(500, "boom"), 1);
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_async_result"), Fault.malformedJson(), 1);
    DriveException e = assertThrows(DriveException.class, () -> driver("uploadApi", "v1")
        .upload("0", "kb.bin", UploadSource.ofBytes(data), UploadOptions.of(ConflictPolicy.KEEP_BOTH)));
    assertEquals(2, store.children(demo.uid(), 0, false).size(), "123 stored the renamed copy");
    assertTrue(e.getMessage().contains("may have reached 123"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable(), "a plain retry would store a third copy");
  }

  @Test
  void v1CompleteWhoseAnswerIsLostTwice_andWhoseLookFails_saysTheFileMayHaveBeenStored() {
    byte[] data = Open123UploadTest.bytes(SLICE - 1, 35);
    // The listings before create go through; every listing after upload_complete (the look) fails.
    java.util.concurrent.atomic.AtomicBoolean completed = new java.util.concurrent.atomic.AtomicBoolean();
    cloud.inject("open", r -> {
      if (r.path().equals("/upload/v1/file/upload_complete")) completed.set(true);
      return false;
    }, Fault.html(599), 1);
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.cutReply(), 2);
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_async_result"), Fault.malformedJson(), 1);
    cloud.inject("open", r -> completed.get() && r.path().contains("/file/list"), Fault.html(503), 100);
    DriveException e = assertThrows(DriveException.class, () -> driver("uploadApi", "v1")
        .upload("0", "lf.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT));
    assertTrue(store.child(demo.uid(), 0, "lf.bin").isPresent(), "123 stored the file");
    assertTrue(e.getMessage().contains("may have reached 123"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable(), "a plain retry would meet 'already exists'");
  }

  /** Interrupting the upload while the completion is asked again cancels it: CANCELLED, not the lost answer. */
  @Test
  void v1CompleteRepeat_interrupted_isCancelled() {
    Thread caller = Thread.currentThread();
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(caller);
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.lostReply(), 1);
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.hold(gate::hold), 1);
    try {
      DriveException e = assertThrows(DriveException.class, () -> driver("uploadApi", "v1")
          .upload("0", "stop.bin", UploadSource.ofBytes(Open123UploadTest.bytes(SLICE + 1, 30)), UploadOptions.DEFAULT));
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    } finally {
      gate.release();
      Thread.interrupted();
    }
  }

  /**
   * Interrupted while 123's async result is asked (a status query, which itself changes nothing):
   * 123 took the completion, so the cancel still says the file may be stored.
   */
  @Test
  void v1AsyncResult_interrupted_isCancelled_andSaysTheFileMayStillBeStored() {
    Thread caller = Thread.currentThread();
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(caller);
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_async_result"), Fault.hold(gate::hold), 1);
    DriveException e;
    boolean flagKept;
    try {
      e = assertThrows(DriveException.class, () -> driver("uploadApi", "v1")
          .upload("0", "held.bin", UploadSource.ofBytes(Open123UploadTest.bytes(2 * SLICE + 5, 37)), UploadOptions.DEFAULT));
    } finally {
      flagKept = Thread.interrupted();
      gate.release();
    }
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(flagKept, "the interrupt flag is kept");
    assertEquals(1, calls("open", "/upload/v1/file/upload_complete"), "123 took the completion");
    assertTrue(e.getMessage().contains("may still store the file"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void v1CompleteRefused_isNotAskedAgain() {
    cloud.inject("open", r -> r.path().equals("/upload/v1/file/upload_complete"), Fault.response("refused",
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body("{\"code\":1,\"message\":\"preuploadID不存在\",\"data\":null,\"x-traceID\":\"t_emu\"}").build()), 1);
    DriveException e = assertThrows(DriveException.class, () -> driver("uploadApi", "v1")
        .upload("0", "no.bin", UploadSource.ofBytes(Open123UploadTest.bytes(SLICE + 1, 29)), UploadOptions.DEFAULT));
    assertEquals("preuploadID不存在", e.providerMessage().orElse(null), e::toString);
    assertEquals(1, calls("open", "/upload/v1/file/upload_complete"));
  }

  @Test
  void v2DomainAnsweringGarbledJson_isNotARefusal_andDoesNotFallBackToV1() {
    door.v2CreateNamesServers(false);
    cloud.inject("open", r -> r.path().equals("/upload/v2/file/domain"), Fault.malformedJson(), 1);
    DriveException e = assertThrows(DriveException.class, () -> driver(Open123UploadTest.SLICES_ONLY)
        .upload("0", "garbled.bin", UploadSource.ofBytes(Open123UploadTest.bytes(2 * SLICE + 3, 30)), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.PROTOCOL, e.kind(), e::toString);
    assertEquals(0, calls("open", "/upload/v1/file/create"), "a reply that is not 123's JSON does not close the v2 path");
  }

  @Test
  void v2DomainRefused_fallsBackToV1() {
    door.v2CreateNamesServers(false);
    cloud.inject("open", r -> r.path().equals("/upload/v2/file/domain"), Fault.response("refused",
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body("{\"code\":1,\"message\":\"当前账号无上传权限\",\"data\":null,\"x-traceID\":\"t_emu\"}").build()), 1);
    byte[] data = Open123UploadTest.bytes(2 * SLICE + 3, 26);
    Open123Driver d = driver(Open123UploadTest.SLICES_ONLY);
    Entry e = d.upload("0", "fallback.bin", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(1, calls("open", "/upload/v2/file/create"));
    assertEquals(1, calls("open", "/upload/v1/file/create"));
    assertEquals(3, puts().size());
    assertTrue(cloud.requests("upload", "/").isEmpty(), "no v2 slice");
  }

  @Test
  void v2DomainFailingTransiently_isNotAFallback() {
    door.v2CreateNamesServers(false);
    cloud.inject("open", r -> r.path().equals("/upload/v2/file/domain"), Fault.html(502), 100);
    DriveException e = assertThrows(DriveException.class, () -> driver()
        .upload("0", "nope.bin", UploadSource.ofBytes(Open123UploadTest.bytes(SLICE + 1, 27)), UploadOptions.DEFAULT));
    assertTrue(e.retryable() && e.getMessage().contains("502"), e::toString);
    assertEquals(0, calls("open", "/upload/v1/file/create"), "a gateway failure is not a refusal");
    assertNull(store.child(demo.uid(), 0, "nope.bin").orElse(null));
  }
}
