package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.FakeCloud.LoggedRequest;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small files go up in one request ({@code single/create} on the upload host), under the faults
 * a network brings: a lost reply is never blindly repeated where a repeat could store a second copy.
 */
class Open123SingleUploadTest extends Open123Fixture {
  static final String SINGLE = "/upload/v2/file/single/create";
  static final String DOMAIN = "/upload/v2/file/domain";

  private List<LoggedRequest> singles() {
    return cloud.requests("upload", SINGLE);
  }

  private long files(String name) {
    return store.children(demo.uid(), 0, false).stream().filter(n -> n.name().equals(name)).count();
  }

  @Test
  void smallFile_goesUpInOneRequest_withNoCreateSliceOrPolls(@TempDir Path tmp) throws IOException {
    byte[] data = Open123UploadTest.bytes(1024, 40);
    Recorder rec = new Recorder();
    Open123Driver d = driver();
    Path f = Files.write(tmp.resolve("small.txt"), data);
    Entry e = d.upload("0", "small.txt", UploadSource.ofFile(f), UploadOptions.DEFAULT.withListener(rec));
    assertEquals("small.txt", e.name());
    assertEquals(data.length, e.size());
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(1, singles().size());
    assertFalse(singles().get(0).chunked(), "the body carries Content-Length");
    assertEquals(0, calls("open", "/upload/v2/file/create") + calls("open", "/upload/v2/file/upload_complete")
        + calls("open", "/upload/v2/file/sha1_reuse") + cloud.requests("upload", "/upload/v2/file/slice").size());
    assertEquals(List.of(UploadPhase.HASHING, UploadPhase.PREPARING, UploadPhase.TRANSFERRING, UploadPhase.VERIFYING,
        UploadPhase.DONE), rec.phases);
    assertFalse(rec.instant());
  }

  @Test
  void uploadDomain_isAskedOncePerDriver() {
    Open123Driver d = driver();
    for (int i = 0; i < 3; i++) {
      d.upload("0", "f" + i + ".txt", UploadSource.ofBytes(Open123UploadTest.bytes(100 + i, 41 + i)), UploadOptions.DEFAULT);
    }
    assertEquals(3, singles().size());
    assertEquals(1, calls("open", DOMAIN));
  }

  @Test
  void threshold_largerFilesAndHashOnlySourcesUseCreate() throws Exception {
    Open123Driver d = driver("singleUploadMax", "1000");
    byte[] at = Open123UploadTest.bytes(1000, 50);
    byte[] over = Open123UploadTest.bytes(1001, 51);
    d.upload("0", "at.bin", UploadSource.ofBytes(at), UploadOptions.DEFAULT);
    assertEquals(1, singles().size());
    assertEquals(0, calls("open", "/upload/v2/file/create"));
    Entry e = d.upload("0", "over.bin", UploadSource.ofBytes(over), UploadOptions.DEFAULT);
    assertArrayEquals(over, Open123UploadTest.download(d, e.id()));
    assertEquals(1, singles().size());
    assertEquals(1, calls("open", "/upload/v2/file/create"));
    // A hash-only source has no bytes: create (instant upload) whatever its size.
    Entry again = d.upload("0", "again.bin", UploadSource.ofHashes(at.length, Open123HashUploadTest.hex("MD5", at), null),
        UploadOptions.DEFAULT);
    assertEquals(at.length, again.size());
    assertEquals(1, singles().size());
    assertEquals(2, calls("open", "/upload/v2/file/create"));
  }

  @Test
  void singleUploadMax_outsideZeroTo1GiB_isAConfigError() {
    DriveException e = assertThrows(DriveException.class, () -> driver("singleUploadMax", String.valueOf((1L << 30) + 1)));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("singleUploadMax"), e.getMessage());
  }

  @Test
  void conflictPolicies_keepBothAndOverwrite() {
    store.createFile(demo.uid(), 0, "taken.txt", store.putBlob("old".getBytes()));
    Open123Driver d = driver();
    Entry both = d.upload("0", "taken.txt", UploadSource.ofBytes("newer".getBytes()), UploadOptions.of(ConflictPolicy.KEEP_BOTH));
    assertNotEquals("taken.txt", both.name());
    Entry over = d.upload("0", "taken.txt", UploadSource.ofBytes("newest".getBytes()), UploadOptions.of(ConflictPolicy.OVERWRITE));
    assertEquals("taken.txt", over.name());
    assertArrayEquals("newest".getBytes(), Open123UploadTest.download(d, over.id()));
    assertEquals(2, store.children(demo.uid(), 0, false).size());
    assertEquals(2, singles().size());
  }

  @Test
  void answered429_isRepeated() {
    cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.status(429, "Too Many Requests"), 2);
    byte[] data = Open123UploadTest.bytes(2000, 52);
    Open123Driver d = driver();
    Entry e = d.upload("0", "throttled.txt", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(3, singles().size());
    assertEquals(1, files("throttled.txt"));
  }

  @Test
  void tokenRevokedBeforeTheUpload_isRenewedOnceAndRepeated() {
    Open123Driver d = driver();
    d.upload("0", "warm.txt", UploadSource.ofBytes("warm".getBytes()), UploadOptions.DEFAULT); // token and host known
    door.revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID);
    int before = door.accessTokenCalls();
    // With OVERWRITE nothing is listed first and the host is cached: single/create is the call refused.
    byte[] data = Open123UploadTest.bytes(3000, 53);
    Entry e = d.upload("0", "revoked.txt", UploadSource.ofBytes(data), UploadOptions.of(ConflictPolicy.OVERWRITE));
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(before + 1, door.accessTokenCalls());
    List<LoggedRequest> s = singles();
    assertEquals(3, s.size(), "warm, refused with 401, repeated");
    assertEquals(1, files("revoked.txt"));
  }

  @Test
  void gatewayHtml5xxBeforeHandling_isRepeatedOnAFreshHost_underFail() {
    cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.html(502), 1);
    byte[] data = Open123UploadTest.bytes(4000, 54);
    Open123Driver d = driver();
    Entry e = d.upload("0", "gateway.txt", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(2, singles().size());
    assertEquals(2, calls("open", DOMAIN), "the failed host is asked for again");
    assertEquals(1, files("gateway.txt"));
  }

  @Test
  void droppedConnection_isRepeated_underOverwrite() {
    cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.disconnect(), 1);
    byte[] data = Open123UploadTest.bytes(4000, 55);
    Open123Driver d = driver();
    Entry e = d.upload("0", "dropped.txt", UploadSource.ofBytes(data), UploadOptions.of(ConflictPolicy.OVERWRITE));
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(2, singles().size());
    assertEquals(1, files("dropped.txt"));
  }

  @Test
  void lostReplyAfterStoring_isFoundNotRepeated_underFailAndOverwrite() {
    Open123Driver d = driver();
    for (ConflictPolicy policy : List.of(ConflictPolicy.FAIL, ConflictPolicy.OVERWRITE)) {
      int before = singles().size();
      cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.lostReply(), 1);
      byte[] data = Open123UploadTest.bytes(5000, policy.ordinal());
      String name = "lost-" + policy + ".txt";
      Entry e = d.upload("0", name, UploadSource.ofBytes(data), UploadOptions.of(policy));
      assertEquals(name, e.name());
      assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
      assertEquals(before + 1, singles().size(), policy + ": stored once, found, not sent again");
      assertEquals(1, files(name));
    }
  }

  @Test
  void unreachableUploadHost_isAskedAgain_andRepeatedEvenUnderKeepBoth() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    // The first domain answer names a host nobody listens on: the connection is refused, nothing is sent.
    cloud.inject("open", r -> r.path().equals(DOMAIN), Fault.response("dead host", new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json").body("{\"code\":0,\"message\":\"ok\",\"data\":[\"http://127.0.0.1:"
            + closedPort + "\"],\"x-traceID\":\"t\"}").build()), 1);
    store.createFile(demo.uid(), 0, "both.txt", store.putBlob("old".getBytes()));
    byte[] data = Open123UploadTest.bytes(3000, 58);
    Open123Driver d = driver();
    Entry e = d.upload("0", "both.txt", UploadSource.ofBytes(data), UploadOptions.of(ConflictPolicy.KEEP_BOTH));
    assertNotEquals("both.txt", e.name());
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(2, calls("open", DOMAIN), "the unreachable host was forgotten and the domain asked again");
    assertEquals(1, singles().size());
    assertEquals(2, store.children(demo.uid(), 0, false).size());
  }

  @Test
  void lostReply_underKeepBoth_failsWithoutASecondCopy() {
    store.createFile(demo.uid(), 0, "both.txt", store.putBlob("old".getBytes()));
    cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.lostReply(), 1);
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class, () -> d.upload("0", "both.txt",
        UploadSource.ofBytes("new bytes".getBytes()), UploadOptions.of(ConflictPolicy.KEEP_BOTH)));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("may or may not have stored") && e.getMessage().contains("KEEP_BOTH"), e.getMessage());
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertEquals(1, singles().size(), "not repeated");
    assertEquals(2, store.children(demo.uid(), 0, false).size(), "the old file and the one stored before the reply was lost");
  }

  @Test
  void malformedReply_isNotTrusted_andTheStoredFileFound() {
    // A cut-off reply (this one in place of the real answer, so nothing was stored): the driver looks
    // for the file, finds none, and sends it again.
    cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.response("cut JSON", new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json").body("{\"code\":0,\"message\":\"ok\",\"da").build()), 1);
    byte[] data = Open123UploadTest.bytes(6000, 56);
    Open123Driver d = driver();
    Entry e = d.upload("0", "garbled.txt", UploadSource.ofBytes(data), UploadOptions.DEFAULT);
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertEquals(2, singles().size(), "nothing was stored by the garbled attempt, so it was sent again");
    assertEquals(1, files("garbled.txt"));
  }

  @Test
  void persistent5xx_givesUpAfterBoundedAttempts() {
    cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.html(503), 100);
    DriveException e = assertThrows(DriveException.class, () -> driver().upload("0", "down.txt",
        UploadSource.ofBytes("x".getBytes()), UploadOptions.DEFAULT));
    assertTrue(e.retryable(), e::toString);
    assertTrue(e.getMessage().contains("503"), e.getMessage());
    assertEquals(Open123Uploads.SINGLE_ATTEMPTS, singles().size());
    assertEquals(0, files("down.txt"));
  }

  @Test
  void md5Mismatch_isABusinessAnswer_notRepeated() {
    // 123 compares the bytes with etag and refuses: a definite answer, so nothing is repeated.
    UploadSource changing = UploadSource.ofBytes(Open123UploadTest.bytes(700, 57));
    cloud.inject("upload", r -> r.path().equals(SINGLE), Fault.response("upload failed", new MockResponse.Builder()
        .code(200).setHeader("Content-Type", "application/json")
        .body("{\"code\":1,\"message\":\"文件上传失败\",\"data\":null,\"x-traceID\":\"t_single\"}").build()), 1);
    DriveException e = assertThrows(DriveException.class,
        () -> driver().upload("0", "changed.txt", changing, UploadOptions.DEFAULT));
    assertEquals("文件上传失败", e.providerMessage().orElseThrow());
    assertEquals("t_single", e.traceId().orElseThrow());
    assertEquals(1, singles().size());
    assertEquals(0, files("changed.txt"));
  }
}
