package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Uploads from a size and hashes alone ({@link UploadSource#ofHashes}, "秒传"): a file is created
 * when the provider already stores the content and refused with NOT_FOUND otherwise; a driver
 * without {@link Capability#INSTANT_UPLOAD} refuses the source with UNSUPPORTED.
 */
public abstract class InstantUploadContract extends ContractSupport {

  @Test
  void hashUpload_knownContent_createsFileWithTheSameBytes() {
    assume(Capability.INSTANT_UPLOAD, Capability.MKDIR);
    byte[] content = bytes(5000, 41);
    Entry original = drive.put(scratch + "/original.bin", content);
    Entry copy = drive.put(scratch + "/from-hashes.bin", UploadSource.ofHashes(content.length, md5(content), null),
        UploadOptions.DEFAULT);
    assertNotEquals(original.id(), copy.id(), "a new entry");
    assertEquals(scratch + "/from-hashes.bin", copy.path());
    assertEquals(content.length, copy.size());
    assertSameBytes(content, download(scratch + "/from-hashes.bin"), "bytes of the file created from hashes");
  }

  @Test
  void hashUpload_upperCaseMd5_isAccepted() {
    assume(Capability.INSTANT_UPLOAD, Capability.MKDIR);
    byte[] content = bytes(300, 42);
    drive.put(scratch + "/original.bin", content);
    Entry copy = drive.put(scratch + "/upper.bin", UploadSource.ofHashes(content.length, md5(content).toUpperCase(), null),
        UploadOptions.DEFAULT);
    assertEquals(content.length, copy.size());
  }

  @Test
  void hashUpload_unknownContent_notFoundAndNothingCreated() {
    assume(Capability.INSTANT_UPLOAD, Capability.MKDIR);
    byte[] never = bytes(777, System.nanoTime());
    DriveException e = assertFails(ErrorKind.NOT_FOUND, () -> drive.put(scratch + "/unknown.bin",
        UploadSource.ofHashes(never.length, md5(never), null), UploadOptions.DEFAULT));
    assertTrue(e.getMessage().toLowerCase().contains("md5"), () -> "the message names the hash: " + e.getMessage());
    assertFalse(drive.exists(scratch + "/unknown.bin"), "nothing created");
  }

  @Test
  void hashUpload_sameMd5OtherSize_notFound() {
    assume(Capability.INSTANT_UPLOAD, Capability.MKDIR);
    byte[] content = bytes(400, 43);
    drive.put(scratch + "/original.bin", content);
    assertFails(ErrorKind.NOT_FOUND, () -> drive.put(scratch + "/wrong-size.bin",
        UploadSource.ofHashes(content.length + 1, md5(content), null), UploadOptions.DEFAULT));
    assertFalse(drive.exists(scratch + "/wrong-size.bin"), "nothing created");
  }

  @Test
  void hashUpload_withoutTheCapability_refusedAsUnsupported() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    Assumptions.assumeFalse(drive.supports(Capability.INSTANT_UPLOAD), "driver has INSTANT_UPLOAD");
    byte[] content = bytes(100, 44);
    drive.put(scratch + "/original.bin", content);
    UploadSource hashes = UploadSource.ofHashes(content.length, md5(content), null);
    assertFails(ErrorKind.UNSUPPORTED, () -> drive.put(scratch + "/facade.bin", hashes, UploadOptions.DEFAULT));
    // The SPI itself refuses too, for callers that bypass the facade.
    String folderId = drive.stat(scratch).id();
    assertFails(ErrorKind.UNSUPPORTED, () -> ((Driver.Upload) drive.driver()).upload(folderId, "spi.bin",
        UploadSource.ofHashes(content.length, md5(content), null), UploadOptions.DEFAULT));
    assertFalse(drive.exists(scratch + "/facade.bin") || drive.exists(scratch + "/spi.bin"), "nothing created");
  }

  @Test
  void hashSource_badInput_refusedBeforeAnyDriverIsAsked() {
    assume(Capability.INSTANT_UPLOAD);
    DriveException size = assertFails(ErrorKind.INVALID_ARGUMENT, () -> UploadSource.ofHashes(-1, md5(new byte[0]), null));
    assertTrue(size.getMessage().contains("-1"), size::getMessage);
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> UploadSource.ofHashes(1, "not-a-md5", null));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> UploadSource.ofHashes(1, "0123456789abcdef0123456789abcde", null));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> UploadSource.ofHashes(1, "0123456789abcdef0123456789abcdeg", null));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> UploadSource.ofHashes(1, md5(new byte[] {1}), "abc"));
  }
}
