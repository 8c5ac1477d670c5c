package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.Fault;
import java.util.HexFormat;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** Uploads from a size and hashes alone ("秒传"): never a byte on the wire. */
class Open123HashUploadTest extends Open123Fixture {

  static String hex(String algorithm, byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
  }

  @Test
  void knownMd5_createsTheFileWithoutSendingBytes() throws Exception {
    byte[] data = Open123UploadTest.bytes(3 * Open123UploadTest.SLICE + 5, 11);
    store.createFile(demo.uid(), 0, "original.bin", store.putBlob(data));
    Recorder rec = new Recorder();
    Open123Driver d = driver();
    Entry e = d.upload("0", "again.bin", UploadSource.ofHashes(data.length, hex("MD5", data), null),
        UploadOptions.DEFAULT.withListener(rec));
    assertEquals("again.bin", e.name());
    assertEquals(data.length, e.size());
    assertTrue(rec.instant(), "reported as instant");
    assertArrayEquals(data, Open123UploadTest.download(d, e.id()));
    assertTrue(cloud.requests("upload", "/").isEmpty(), "nothing reached the upload server");
    assertTrue(cloud.requests("open", "/upload/v2/file/sha1_reuse").isEmpty(), "no SHA-1 given, none asked");
  }

  @Test
  void knownSha1_usesSha1Reuse() throws Exception {
    byte[] data = Open123UploadTest.bytes(1000, 12);
    store.createFile(demo.uid(), 0, "original.bin", store.putBlob(data));
    Entry e = driver().upload("0", "by-sha1.bin", UploadSource.ofHashes(data.length, hex("MD5", data), hex("SHA-1", data)),
        UploadOptions.DEFAULT);
    assertEquals(data.length, e.size());
    assertEquals(1, cloud.requests("open", "/upload/v2/file/sha1_reuse").size());
    assertTrue(cloud.requests("open", "/upload/v2/file/create").isEmpty(), "sha1_reuse answered reuse: no create");
  }

  @Test
  void unknownContent_isNotFound_andNoSliceReachedTheFake() throws Exception {
    byte[] never = Open123UploadTest.bytes(5 * Open123UploadTest.SLICE, 13);
    Recorder rec = new Recorder();
    DriveException e = assertThrows(DriveException.class, () -> driver().upload("0", "unknown.bin",
        UploadSource.ofHashes(never.length, hex("MD5", never), hex("SHA-1", never)), UploadOptions.DEFAULT.withListener(rec)));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals("123open", e.driverId().orElseThrow());
    assertTrue(e.getMessage().contains(hex("MD5", never)) && e.getMessage().contains("upload the file's bytes"), e.getMessage());
    assertTrue(cloud.requests("upload", "/").isEmpty(), "no slice or any other request reached the upload server");
    assertTrue(cloud.requests("cdn", "/").isEmpty(), "no presigned PUT either");
    assertEquals(1, cloud.requests("open", "/upload/v2/file/sha1_reuse").size());
    assertEquals(1, cloud.requests("open", "/upload/v2/file/create").size());
    assertTrue(!rec.phases.contains(UploadPhase.TRANSFERRING), "no transfer phase");
    assertTrue(store.child(demo.uid(), 0, "unknown.bin").isEmpty(), "nothing created");
  }

  @Test
  void badInput_refusedBeforeAnyRequest() {
    DriveException md5 = assertThrows(DriveException.class, () -> UploadSource.ofHashes(10, "xyz", null));
    assertEquals(ErrorKind.INVALID_ARGUMENT, md5.kind());
    assertTrue(md5.getMessage().contains("32 hex digits"), md5.getMessage());
    DriveException size = assertThrows(DriveException.class,
        () -> UploadSource.ofHashes(-5, "0123456789abcdef0123456789abcdef", null));
    assertEquals(ErrorKind.INVALID_ARGUMENT, size.kind());
    // Over the platform's limit and 0 bytes: refused by the driver before it asks anything.
    Open123Driver d = driver();
    DriveException big = assertThrows(DriveException.class, () -> d.upload("0", "big.bin",
        UploadSource.ofHashes(11L << 30, "0123456789abcdef0123456789abcdef", null), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.INVALID_ARGUMENT, big.kind());
    DriveException empty = assertThrows(DriveException.class, () -> d.upload("0", "empty.bin",
        UploadSource.ofHashes(0, "d41d8cd98f00b204e9800998ecf8427e", null), UploadOptions.DEFAULT));
    assertEquals(ErrorKind.INVALID_ARGUMENT, empty.kind());
    assertTrue(cloud.requests("open", "/upload/").isEmpty());
  }

  @Test
  void createAnswering429_isRetriedAndStillSendsNoBytes() throws Exception {
    byte[] data = Open123UploadTest.bytes(2048, 14);
    store.createFile(demo.uid(), 0, "original.bin", store.putBlob(data));
    cloud.inject("open", r -> r.path().equals("/upload/v2/file/create"), Fault.status(429, "Too Many Requests"), 1);
    Entry e = driver().upload("0", "after-429.bin", UploadSource.ofHashes(data.length, hex("MD5", data), null),
        UploadOptions.DEFAULT);
    assertEquals(data.length, e.size());
    assertTrue(cloud.requests("upload", "/").isEmpty());
  }
}
