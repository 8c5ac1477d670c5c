package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads of 0 B, 1 B and multi-slice sizes, checked by hash after download; conflict policies; progress. */
public abstract class UploadContract extends ContractSupport {
  @TempDir
  Path tmp;

  private void assertRoundTrip(String path, byte[] content, Entry stored) {
    assertEquals(content.length, stored.size(), "size of the stored entry");
    assertEquals(path, stored.path());
    byte[] back = download(path);
    assertEquals(md5(content), md5(back), "md5 of the downloaded bytes");
    assertEquals(sha1(content), sha1(back), "sha1 of the downloaded bytes");
    Entry listed = drive.stat(path);
    assertEquals(content.length, listed.size(), "size the driver reports afterwards");
    if (listed.hashes().md5() != null) assertEquals(md5(content), listed.hashes().md5(), "md5 the driver reports");
    if (listed.hashes().sha1() != null) assertEquals(sha1(content), listed.hashes().sha1(), "sha1 the driver reports");
  }

  @Test
  void put_emptyFile_storedOrRefusedCleanly() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    String path = scratch + "/empty.bin";
    if (contract().supportsEmptyFiles()) {
      Entry stored = null;
      try {
        stored = drive.put(path, new byte[0]);
      } catch (DriveException e) {
        if (e.kind() != ErrorKind.INVALID_ARGUMENT && e.kind() != ErrorKind.UNSUPPORTED) throw e;
        fail("the driver refused an empty file (" + e.kind() + "); if the provider stores no 0-byte files,"
            + " override supportsEmptyFiles() to return false in your DriverContract subclass", e);
      }
      assertRoundTrip(path, new byte[0], stored);
    } else {
      assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.put(path, new byte[0]));
      assertEquals(List.of(), names(scratch), "nothing created");
    }
  }

  @Test
  void put_oneByte_roundTripsWithMatchingHashes() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    String path = scratch + "/one.bin";
    assertRoundTrip(path, new byte[] {(byte) 0xA5}, drive.put(path, new byte[] {(byte) 0xA5}));
  }

  @Test
  void put_multiSliceFile_roundTripsWithMatchingHashes() throws IOException {
    assume(Capability.UPLOAD, Capability.MKDIR);
    byte[] content = bytes(Math.toIntExact(contract().multiSliceSize()), 11);
    Path file = Files.write(tmp.resolve("big.bin"), content);
    String path = scratch + "/big.bin";
    assertRoundTrip(path, content, drive.put(path, file));
  }

  @Test
  void put_stream_roundTripsWithMatchingHashes() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    byte[] content = bytes(70_001, 12);
    String path = scratch + "/streamed.bin";
    assertRoundTrip(path, content, drive.put(path, new ByteArrayInputStream(content), content.length));
  }

  @Test
  void put_streamShorterThanDeclared_refusedAndNothingCreated() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.put(scratch + "/short.bin", new ByteArrayInputStream(new byte[10]), 11));
    assertEquals(List.of(), names(scratch));
  }

  @Test
  void put_existingName_failPolicyThrowsAlreadyExistsAndKeepsOriginal() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    byte[] original = bytes(10, 1);
    drive.put(scratch + "/f.bin", original);
    assertFails(ErrorKind.ALREADY_EXISTS, () -> drive.put(scratch + "/f.bin", bytes(20, 2)));
    assertSameBytes(original, download(scratch + "/f.bin"), "original content");
    assertEquals(List.of("f.bin"), names(scratch));
  }

  @Test
  void put_existingName_keepBothKeepsBothFiles() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    byte[] first = bytes(10, 1);
    byte[] second = bytes(20, 2);
    drive.put(scratch + "/f.bin", first);
    Entry kept = drive.put(scratch + "/f.bin", new ByteArrayInputStream(second), second.length, UploadOptions.of(ConflictPolicy.KEEP_BOTH));
    assertNotEquals("f.bin", kept.name(), "the second file gets another name");
    assertEquals(scratch + "/" + kept.name(), kept.path());
    assertEquals(Set.of("f.bin", kept.name()), nameSet(scratch));
    assertSameBytes(first, download(scratch + "/f.bin"), "first file");
    assertSameBytes(second, download(kept.path()), "second file");
  }

  @Test
  void put_existingName_overwriteReplacesContent() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    byte[] second = bytes(20, 2);
    drive.put(scratch + "/f.bin", bytes(10, 1));
    Entry replaced = drive.put(scratch + "/f.bin", new ByteArrayInputStream(second), second.length, UploadOptions.of(ConflictPolicy.OVERWRITE));
    assertEquals("f.bin", replaced.name());
    assertEquals(List.of("f.bin"), names(scratch), "still one file");
    assertSameBytes(second, download(scratch + "/f.bin"), "new content");
    assertEquals(20, drive.stat(scratch + "/f.bin").size());
  }

  @Test
  void put_withListener_reportsOrderedPhasesAndCompletesOnce() throws IOException {
    assume(Capability.UPLOAD, Capability.MKDIR);
    byte[] content = bytes(200_000, 5);
    Path file = Files.write(tmp.resolve("watched.bin"), content);
    RecordingUploadListener rec = new RecordingUploadListener();
    Entry e = drive.put(scratch + "/watched.bin", file, UploadOptions.DEFAULT.withListener(rec));
    assertEquals(e, rec.assertCompletedOnce());
    rec.assertPhasesInOrder();
    assertTrue(rec.sawInstant() || rec.bytesDone(UploadPhase.TRANSFERRING) == content.length,
        () -> "transfer progress must reach the file size unless the provider took it instantly: " + rec.events());
  }

  @Test
  void put_streamOfUnknownLength_reportsHashingProgressWhileItIsRead() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    byte[] content = bytes(300_001, 6);
    RecordingUploadListener rec = new RecordingUploadListener();
    // Read before anything is sent (123 needs the MD5 first): from stdin that can take minutes,
    // and the listener must see it advance.
    Entry e = drive.put(scratch + "/piped.bin", new ByteArrayInputStream(content), -1, UploadOptions.DEFAULT.withListener(rec));
    assertEquals(e, rec.assertCompletedOnce());
    rec.assertPhasesInOrder();
    assertEquals(content.length, rec.bytesDone(UploadPhase.HASHING),
        () -> "hashing progress must reach the stream's length: " + rec.events());
    assertSameBytes(content, download(scratch + "/piped.bin"), "uploaded stream");
  }

  @Test
  void put_failure_reportsFailedOnce() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    drive.put(scratch + "/f.bin", new byte[] {1});
    RecordingUploadListener rec = new RecordingUploadListener();
    assertFails(ErrorKind.ALREADY_EXISTS, () -> drive.put(scratch + "/f.bin", new ByteArrayInputStream(new byte[] {2}), 1,
        UploadOptions.DEFAULT.withListener(rec)));
    rec.assertFailedOnce(ErrorKind.ALREADY_EXISTS);
  }

  @Test
  void driverUpload_reportsPhasesButLeavesCompletionToTheCaller() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    RecordingUploadListener rec = new RecordingUploadListener();
    String parentId = drive.stat(scratch).id();
    try (UploadSource source = UploadSource.ofBytes(bytes(3000, 7))) {
      spi(Driver.Upload.class).upload(parentId, "direct.bin", source, UploadOptions.DEFAULT.withListener(rec));
    }
    assertTrue(rec.phases().contains(UploadPhase.DONE), () -> "phases: " + rec.events());
    assertEquals(List.of(), rec.failures(), "a driver never calls failed(): the caller of Driver.upload does");
    assertEquals(List.of(), rec.completions(), "a driver never calls completed(): the caller of Driver.upload does");
  }

  @Test
  void put_missingParent_throwsNotFound() {
    assume(Capability.UPLOAD, Capability.MKDIR);
    assertFails(ErrorKind.NOT_FOUND, () -> drive.put(scratch + "/no-such-folder/f.bin", new byte[] {1}));
  }
}
