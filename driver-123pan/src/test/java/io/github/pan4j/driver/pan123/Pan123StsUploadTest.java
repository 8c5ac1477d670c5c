package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.RecordingUploadListener;
import io.github.pan4j.testkit.fake.FakeCloud.LoggedRequest;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.RequestGate;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.List;
import java.util.Random;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uploads in the web API's legacy STS mode, against the fake's S3 storage server over real HTTP. */
class Pan123StsUploadTest {
  private static final int SLICE = 64 * 1024;
  private static final String S3 = "/" + WebFrontDoor.stsBucket() + "/";

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  @BeforeEach
  void sts() {
    fake.web().uploadMode(WebFrontDoor.UploadMode.STS).sliceSize(SLICE).stsMinPartSize(SLICE);
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private List<LoggedRequest> s3(String method) {
    return fake.cloud().requests("cdn", S3).stream().filter(r -> r.method().equals(method)).toList();
  }

  private Entry upload(Driver d, String name, byte[] content) {
    return ((Driver.Upload) d).upload("0", name, UploadSource.ofBytes(content), UploadOptions.of(ConflictPolicy.OVERWRITE));
  }

  private void assertStored(Driver d, Entry e, byte[] content) throws Exception {
    assertEquals(content.length, e.size());
    Link link = d.link(e.id());
    try (Link.Content c = link.open()) {
      assertArrayEquals(content, c.body().readAllBytes());
    }
  }

  @Test
  void onePart_isOnePutObject_thenUploadCompleteV1() throws Exception {
    byte[] content = bytes(1000, 1);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "one.bin", content);
      assertStored(d, e, content);
    }
    List<LoggedRequest> puts = s3("PUT");
    assertEquals(1, puts.size());
    assertFalse(puts.get(0).url().contains("?"), "PutObject, not a part: " + puts.get(0).url());
    assertTrue(puts.get(0).header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential="));
    assertTrue(puts.get(0).header("Authorization").contains("/123pan/s3/aws4_request"));
    assertEquals(1, fake.cloud().requests("web", "/b/api/file/upload_complete").stream()
        .filter(r -> r.path().endsWith("/upload_complete")).count());
    assertEquals(0, fake.cloud().requests("web", "/b/api/file/upload_complete/v2").size());
    assertEquals(0, fake.cloud().requests("cdn", "/web-s3/").size(), "no presigned PUT");
  }

  @Test
  void severalParts_multipartUpload_withProgress() throws Exception {
    byte[] content = bytes(5 * SLICE + 123, 2);
    RecordingUploadListener rec = new RecordingUploadListener();
    try (Driver d = fake.open()) {
      Entry e = ((Driver.Upload) d).upload("0", "multi.bin", UploadSource.ofBytes(content),
          UploadOptions.of(ConflictPolicy.OVERWRITE).withListener(rec));
      assertStored(d, e, content);
    }
    assertEquals(1, s3("POST").stream().filter(r -> r.url().contains("?uploads")).count(), "one CreateMultipartUpload");
    assertEquals(6, s3("PUT").size(), "six parts");
    assertTrue(s3("PUT").stream().allMatch(r -> r.url().contains("partNumber=") && r.url().contains("uploadId=")));
    assertEquals(1, s3("POST").stream().filter(r -> r.url().contains("uploadId=")).count(), "one Complete");
    assertEquals(0, s3("DELETE").size(), "nothing aborted");
    assertEquals(0, fake.web().openStsMultipartUploads());
    assertEquals(content.length, rec.bytesDone(io.github.pan4j.core.UploadPhase.TRANSFERRING), "progress reached the size");
  }

  @Test
  void uploadIdWithAmpersandPlusSlash_isReadUnescaped_andSentBackEncoded() throws Exception {
    fake.web().stsUploadIdTail("&x+y/z=%");
    byte[] content = bytes(3 * SLICE + 5, 12);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "id.bin", content);
      assertStored(d, e, content);
    }
    assertTrue(s3("PUT").stream().allMatch(r -> r.url().contains("%26x%2By%2Fz%3D%25")), "the UploadId encoded once");
    assertEquals(0, s3("DELETE").size(), "nothing aborted");
    assertEquals(0, fake.web().openStsMultipartUploads());
  }

  private static boolean isCreate(io.github.pan4j.testkit.fake.FakeRequest r) {
    return r.method().equals("POST") && r.url().queryParameterNames().contains("uploads");
  }

  private static boolean isListUploads(io.github.pan4j.testkit.fake.FakeRequest r) {
    return r.method().equals("GET") && r.url().queryParameterNames().contains("uploads");
  }

  @Test
  void createReplyLost_createdAgain_andTheFirstUploadAbortedAfterListingTheKey() throws Exception {
    byte[] content = bytes(3 * SLICE + 7, 13);
    fake.cloud().inject("cdn", Pan123StsUploadTest::isCreate, Fault.lostReply(), 1);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "orphan.bin", content);
      assertStored(d, e, content);
    }
    assertEquals(2, s3("POST").stream().filter(r -> r.url().contains("?uploads")).count(), "Create sent again");
    List<LoggedRequest> lists = fake.cloud().requests("cdn", "/" + WebFrontDoor.stsBucket()).stream()
        .filter(r -> r.method().equals("GET")).toList();
    assertEquals(1, lists.size(), "one ListMultipartUploads");
    assertTrue(lists.get(0).url().contains("prefix="), lists.get(0).url());
    assertEquals(1, s3("DELETE").size(), "the orphan aborted");
    assertEquals(0, fake.web().openStsMultipartUploads(), "no open multipart upload left at the storage server");
  }

  @Test
  void createReplyLost_keyWithCharactersToEncode_listsAndAbortsTheOrphan() throws Exception {
    fake.web().stsKeyTail("dir/a b+c%d~e=f&g(h)*,;:@!$'/\u00fc\u4e2d.bin");
    byte[] content = bytes(2 * SLICE + 9, 19);
    fake.cloud().inject("cdn", Pan123StsUploadTest::isCreate, Fault.lostReply(), 1);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "odd.bin", content);
      assertStored(d, e, content);
    }
    assertEquals(1, s3("DELETE").size(), "the orphan aborted");
    assertEquals(0, fake.web().openStsMultipartUploads());
  }

  /** A lost Create reply, then the clean-up failing as {@code failing} makes it: the upload still succeeds, the orphan stays. */
  private void cleanUpFailing(java.util.function.Predicate<io.github.pan4j.testkit.fake.FakeRequest> failing, Fault fault)
      throws Exception {
    byte[] content = bytes(2 * SLICE + 1, 14);
    fake.cloud().inject("cdn", Pan123StsUploadTest::isCreate, Fault.lostReply(), 1);
    fake.cloud().inject("cdn", failing, fault, Integer.MAX_VALUE);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "cleanup.bin", content);
      assertStored(d, e, content);
    }
    assertEquals(1, fake.web().openStsMultipartUploads(), "the orphan stays (the storage server's clean-up removes it)");
  }

  @Test
  void createReplyLost_listingForbidden_uploadStillSucceeds() throws Exception {
    cleanUpFailing(Pan123StsUploadTest::isListUploads, WebFrontDoor.stsError(403, "AccessDenied", "Access Denied"));
    assertEquals(0, s3("DELETE").size(), "nothing known to abort");
  }

  @Test
  void createReplyLost_abortOfTheOrphanFailing_uploadStillSucceeds() throws Exception {
    cleanUpFailing(r -> r.method().equals("DELETE"), Fault.disconnect());
    assertTrue(s3("DELETE").size() >= 1, "the abort was tried");
  }

  @Test
  void cancelWhileListingAfterALostCreate_isCancelled_andOurUploadAborted() {
    RequestGate gate = RequestGate.interrupting(Thread.currentThread());
    fake.cloud().inject("cdn", Pan123StsUploadTest::isCreate, Fault.lostReply(), 1);
    fake.cloud().inject("cdn", Pan123StsUploadTest::isListUploads, Fault.hold(gate::hold), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> upload(d, "stop.bin", bytes(2 * SLICE + 1, 17)));
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    } finally {
      gate.release();
      Thread.interrupted();
    }
    assertEquals(0, s3("PUT").size(), "no part sent after the cancel");
    assertEquals(1, s3("DELETE").size(), "ours aborted");
    assertEquals(1, fake.web().openStsMultipartUploads(), "only the orphan of the lost reply is left");
  }

  /**
   * Another client's upload of the same Key (same content, and a Key that does not differ per
   * upload_request) that began before ours is not ours to abort: the clean-up after our lost
   * Create aborts only what was started since our first Create went out.
   */
  @Test
  void createReplyLost_anotherUploadOfTheSameKeyStartedEarlier_isLeftAlone() throws Exception {
    fake.web().stsKeyTail("same");
    byte[] content = bytes(2 * SLICE + 3, 18);
    RequestGate gate = RequestGate.closed();
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && "1".equals(r.query("partNumber")), Fault.hold(gate::hold), 1);
    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (Driver first = fake.open(); Driver second = fake.open()) {
      java.util.concurrent.Future<Entry> earlier = other.submit(() -> upload(first, "earlier.bin", content));
      assertTrue(gate.awaitArrived(1, java.time.Duration.ofSeconds(20)), "the earlier upload's first part is held");
      fake.clock().advance(java.time.Duration.ofMinutes(1));
      fake.cloud().inject("cdn", Pan123StsUploadTest::isCreate, Fault.lostReply(), 1);
      Entry e = upload(second, "later.bin", content);
      assertStored(second, e, content);
      assertEquals(1, s3("DELETE").size(), "only our own orphan aborted");
      gate.release();
      Entry earlierEntry = earlier.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertStored(first, earlierEntry, content);
    } finally {
      gate.release();
      other.shutdownNow();
    }
    assertEquals(0, fake.web().openStsMultipartUploads());
  }

  @Test
  void createAnsweredAtOnce_noListing() throws Exception {
    byte[] content = bytes(2 * SLICE + 1, 15);
    try (Driver d = fake.open()) {
      upload(d, "plain.bin", content);
    }
    assertEquals(0, fake.cloud().requests("cdn", "/" + WebFrontDoor.stsBucket()).stream()
        .filter(r -> r.method().equals("GET")).count());
  }

  @Test
  void fourUploadThreads_areFourPartRequestsInFlightAtOnce() throws Exception {
    byte[] content = bytes(8 * SLICE, 10);
    RequestGate gate = RequestGate.untilInFlight(4); // released only when four are held at once
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && r.query("partNumber") != null, Fault.hold(gate::hold),
        Integer.MAX_VALUE);
    java.util.Map<String, String> options = new java.util.HashMap<>(fake.options());
    options.put("uploadThreads", "4");
    try (Driver d = fake.open(options)) {
      Entry e = upload(d, "four.bin", content);
      assertEquals(4, gate.peak(), "part requests in flight at the storage server at once");
      assertStored(d, e, content);
    }
  }

  @Test
  void partRefusedFor4xx_isProtocol_andTheMultipartUploadAborted() {
    byte[] content = bytes(3 * SLICE, 11);
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && "3".equals(r.query("partNumber")),
        WebFrontDoor.stsError(400, "InvalidArgument", "bad part: <size> & 'range' \"x\""), Integer.MAX_VALUE);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> upload(d, "bad.bin", content));
      assertEquals(ErrorKind.PROTOCOL, e.kind(), e::toString);
      assertEquals("InvalidArgument", e.providerCode().orElse(null));
      assertEquals("bad part: <size> & 'range' \"x\"", e.providerMessage().orElse(null), "S3's XML entities decoded");
      assertTrue(d.list("0", null).entries().isEmpty(), "nothing stored");
    }
    assertEquals(1, s3("PUT").stream().filter(r -> "3".equals(query(r.url(), "partNumber"))).count(), "a 4xx is not retried");
    assertEquals(1, s3("DELETE").size(), "one AbortMultipartUpload");
    assertEquals(0, fake.web().openStsMultipartUploads());
  }

  private static String query(String url, String name) {
    return okhttp3.HttpUrl.get(url).queryParameter(name);
  }

  @Test
  void zeroBytes_isOneEmptyPutObject() throws Exception {
    try (Driver d = fake.open()) {
      Entry e = upload(d, "empty.bin", new byte[0]);
      assertStored(d, e, new byte[0]);
    }
    assertEquals(1, s3("PUT").size());
    assertEquals(0L, s3("PUT").get(0).bodySize());
  }

  @Test
  void partFailingWith5xxOnce_isSentAgain() throws Exception {
    byte[] content = bytes(3 * SLICE + 5, 3);
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && "2".equals(r.query("partNumber")),
        WebFrontDoor.stsError(500, "InternalError", "We encountered an internal error. Please try again."), 1);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "retry.bin", content);
      assertStored(d, e, content);
    }
    assertEquals(4 + 1, s3("PUT").size(), "four parts and the one sent again");
  }

  @Test
  void completeLost_isAskedAgain_andTheFileStored() throws Exception {
    byte[] content = bytes(2 * SLICE + 5, 4);
    fake.cloud().inject("cdn", r -> r.method().equals("POST") && r.query("uploadId") != null, Fault.lostReply(), 1);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "lost.bin", content);
      assertStored(d, e, content);
    }
    assertEquals(2, s3("POST").stream().filter(r -> r.url().contains("uploadId=")).count());
  }

  @Test
  void uploadCompleteLost_isAskedAgain_andAnswersTheStoredFile() throws Exception {
    byte[] content = bytes(2 * SLICE + 9, 9);
    fake.cloud().inject("web", r -> r.path().equals("/b/api/file/upload_complete"), Fault.lostReply(), 1);
    try (Driver d = fake.open()) {
      Entry e = upload(d, "v1lost.bin", content);
      assertStored(d, e, content);
      assertEquals(1, d.list("0", null).entries().size(), "one file, not two");
    }
    assertEquals(2, fake.cloud().requests("web", "/b/api/file/upload_complete").stream()
        .filter(r -> r.path().endsWith("/upload_complete")).count());
  }

  @Test
  void credentialsExpiringMidUpload_failsExpired_noFileStored() {
    byte[] content = bytes(6 * SLICE, 5);
    // Part 2 goes through, then every credential expires: later parts are refused with ExpiredToken.
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && "2".equals(r.query("partNumber")),
        Fault.hold(() -> fake.web().expireStsCredentials()), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> upload(d, "late.bin", content));
      assertEquals(ErrorKind.EXPIRED, e.kind(), e::toString);
      assertEquals("ExpiredToken", e.providerCode().orElse(null), e::toString);
      assertTrue(d.list("0", null).entries().isEmpty(), "nothing stored");
    }
    assertEquals(0, fake.cloud().requests("web", "/b/api/file/upload_complete").size(), "not completed");
  }

  @Test
  void partialCredentialSet_isProtocol_nothingSent() {
    fake.cloud().inject("web", r -> r.path().endsWith("/file/upload_request"), Fault.response("partial STS",
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body("{\"code\":0,\"message\":\"ok\","
            + "\"data\":{\"AccessKeyId\":\"AKID-visible\",\"SecretAccessKey\":null,\"SessionToken\":\"TOKEN-must-not-show\","
            + "\"Expiration\":\"\",\"Key\":\"k/1\",\"Bucket\":\"b\",\"FileId\":5,\"Reuse\":false,\"Info\":null,\"UploadId\":\"\","
            + "\"StorageNode\":\"m2\",\"EndPoint\":\"" + fake.cloud().baseUrl("cdn") + "\",\"SliceSize\":\"65536\","
            + "\"UploadFileStatus\":1}}").build()), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> upload(d, "partial.bin", bytes(10, 6)));
      assertEquals(ErrorKind.PROTOCOL, e.kind(), e::toString);
      assertTrue(e.getMessage().contains("SecretAccessKey missing"), e.getMessage());
      assertFalse(e.toString().contains("TOKEN-must-not-show"));
    }
    assertTrue(fake.cloud().requests("cdn", "/").isEmpty(), "nothing sent to storage");
  }

  @Test
  void refusedCredentials_errorNamesS3Code_withoutSecretOrToken() {
    String secret = "SECRET-must-not-show-0123456789abcdef";
    String token = "TOKEN-must-not-show-0123456789";
    fake.cloud().inject("web", r -> r.path().endsWith("/file/upload_request"), Fault.response("unknown STS key",
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body("{\"code\":0,\"message\":\"ok\","
            + "\"data\":{\"AccessKeyId\":\"STS.UNKNOWN\",\"SecretAccessKey\":\"" + secret + "\",\"SessionToken\":\"" + token
            + "\",\"Expiration\":\"2099-01-01T00:00:00Z\",\"Key\":\"k/1\",\"Bucket\":\"" + WebFrontDoor.stsBucket()
            + "\",\"FileId\":5,\"Reuse\":false,\"Info\":null,\"UploadId\":\"\",\"StorageNode\":\"m2\",\"EndPoint\":\""
            + fake.cloud().baseUrl("cdn") + "\",\"SliceSize\":\"65536\",\"UploadFileStatus\":1}}").build()), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> upload(d, "refused.bin", bytes(10, 7)));
      assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), e::toString);
      assertEquals("InvalidAccessKeyId", e.providerCode().orElse(null));
      String all = e.toString() + e.getMessage();
      assertFalse(all.contains(secret) || all.contains(token), all);
    }
  }

  @Test
  void cancelMidTransfer_isCancelled_andTheMultipartUploadAborted() {
    Thread caller = Thread.currentThread();
    RequestGate gate = RequestGate.interrupting(caller);
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && r.query("partNumber") != null, Fault.hold(gate::hold), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> upload(d, "stop.bin", bytes(4 * SLICE, 8)));
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
      assertTrue(Thread.interrupted(), "the interrupt flag is kept");
    } finally {
      gate.release();
      Thread.interrupted();
    }
    assertEquals(1, s3("DELETE").size(), "one AbortMultipartUpload");
    assertEquals(0, fake.web().openStsMultipartUploads());
  }

  @Test
  void awkwardKey_spacesPlusPercentTildeEqualsSlashUnicode_isSignedAndSentOnce_encoded() throws Exception {
    String tail = "dir/a b+c%d~e=f&g(h)*,;:@!$'/\u00fc\u4e2d.bin";
    fake.web().stsKeyTail(tail);
    byte[] small = bytes(100, 12);
    byte[] big = bytes(2 * SLICE + 1, 13);
    try (Driver d = fake.open()) {
      assertStored(d, upload(d, "small.bin", small), small);
      assertStored(d, upload(d, "big.bin", big), big);
    }
    String encoded = "/dir/a%20b%2Bc%25d~e%3Df%26g%28h%29%2A%2C%3B%3A%40%21%24%27/%C3%BC%E4%B8%AD.bin";
    List<LoggedRequest> all = fake.cloud().requests("cdn", S3);
    assertEquals(1 + 1 + 3 + 1, all.size(), "PutObject; Create, three parts, Complete: " + all);
    for (LoggedRequest r : all) assertTrue(r.path().endsWith(encoded), r.path());
  }

  @Test
  void endPointWithTheHostInCapitals_isSignedForTheHostHeaderSent() throws Exception {
    String base = fake.cloud().baseUrl("cdn");
    assertTrue(base.contains("://localhost:"), base);
    fake.web().stsEndPoint(base.replace("://localhost:", "://LocalHost:"));
    byte[] content = bytes(2 * SLICE + 7, 14);
    try (Driver d = fake.open()) {
      assertStored(d, upload(d, "host.bin", content), content);
    }
  }

  @Test
  void fileOfExactlySliceSize_isOnePutObject_andSliceSizePlusOne_twoPartsTheLastOfOneByte() throws Exception {
    // Counted by what was sent, not by requests: a PUT whose answer was lost on the way is sent again.
    byte[] exact = bytes(SLICE, 15);
    byte[] plusOne = bytes(SLICE + 1, 16);
    try (Driver d = fake.open()) {
      assertStored(d, upload(d, "exact.bin", exact), exact);
      assertTrue(s3("POST").isEmpty(), "no multipart upload");
      assertFalse(s3("PUT").isEmpty());
      for (LoggedRequest r : s3("PUT")) {
        assertFalse(r.url().contains("?"), "PutObject: " + r.url());
        assertEquals(SLICE, r.bodySize());
      }
      int before = s3("PUT").size();
      assertStored(d, upload(d, "plus1.bin", plusOne), plusOne);
      java.util.Map<String, Long> sizes = new java.util.TreeMap<>();
      for (LoggedRequest r : s3("PUT").subList(before, s3("PUT").size())) sizes.put(query(r.url(), "partNumber"), r.bodySize());
      assertEquals(java.util.Map.of("1", (long) SLICE, "2", 1L), sizes);
    }
  }

  @Test
  void completeAnswered200WithAnInternalErrorInItsBody_isSentAgain() throws Exception {
    // S3 may start a 200 reply to Complete, then fail: the error is in the body, and S3 says to retry.
    byte[] content = bytes(2 * SLICE + 3, 17);
    fake.cloud().inject("cdn", r -> r.method().equals("POST") && r.query("uploadId") != null, Fault.response("200 + Error",
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/xml").body("<?xml version=\"1.0\" "
            + "encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try"
            + " again.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>").build()), 1);
    try (Driver d = fake.open()) {
      assertStored(d, upload(d, "again.bin", content), content);
    }
    assertEquals(2, s3("POST").stream().filter(r -> r.url().contains("uploadId=")).count(), "Complete sent twice");
    assertEquals(0, s3("DELETE").size(), "nothing aborted");
  }

  @Test
  void completeRefused_abortsTheMultipartUpload_andProgressCountsARetriedPartOnce() {
    byte[] content = bytes(3 * SLICE + 1, 18);
    fake.cloud().inject("cdn", r -> r.method().equals("PUT") && "2".equals(r.query("partNumber")),
        WebFrontDoor.stsError(503, "SlowDown", "Please reduce your request rate."), 1);
    fake.cloud().inject("cdn", r -> r.method().equals("POST") && r.query("uploadId") != null,
        WebFrontDoor.stsError(400, "InvalidPart", "One or more of the specified parts could not be found."), 1);
    RecordingUploadListener rec = new RecordingUploadListener();
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> ((Driver.Upload) d).upload("0", "refused.bin",
          UploadSource.ofBytes(content), UploadOptions.of(ConflictPolicy.OVERWRITE).withListener(rec)));
      assertEquals("InvalidPart", e.providerCode().orElse(null), e::toString);
    }
    assertTrue(s3("PUT").size() >= 5, "four parts, part 2 at least twice");
    assertEquals(1, s3("DELETE").size(), "one AbortMultipartUpload");
    assertEquals(0, fake.web().openStsMultipartUploads());
    long last = -1;
    for (var p : rec.progress(io.github.pan4j.core.UploadPhase.TRANSFERRING)) {
      assertTrue(p.bytesDone() >= last && p.bytesDone() <= content.length, rec.toString());
      last = p.bytesDone();
    }
    assertEquals(content.length, last, "every byte once");
  }

  @Test
  void keyWithADotSegment_isRefusedBeforeAnythingIsSent() {
    // An HTTP client resolves "." and ".." in a path: "../x" would be sent as another object's path.
    for (String tail : List.of("../x", "a/./b", "x/..")) {
      fake.web().stsKeyTail(tail);
      try (Driver d = fake.open()) {
        DriveException e = assertThrows(DriveException.class, () -> upload(d, "dot.bin", bytes(10, 19)));
        assertEquals(ErrorKind.PROTOCOL, e.kind(), e::toString);
        assertTrue(e.getMessage().contains("path segment, which cannot be sent over HTTP as it is; nothing was uploaded"),
            e.getMessage());
      }
    }
    assertTrue(fake.cloud().requests("cdn", "/").isEmpty(), "nothing sent to storage");
  }

  @Test
  void signatureRefused_saysTheSigningDiffers_notThatTheCredentialsWereRefused() {
    fake.cloud().inject("cdn", r -> r.method().equals("PUT"), WebFrontDoor.stsError(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided."), 1);
    try (Driver d = fake.open()) {
      DriveException e = assertThrows(DriveException.class, () -> upload(d, "sig.bin", bytes(10, 20)));
      assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), e::toString);
      assertEquals("SignatureDoesNotMatch", e.providerCode().orElse(null));
      assertTrue(e.getMessage().contains("signs this request differently"), e.getMessage());
    }
  }
}
