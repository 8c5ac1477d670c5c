package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Server-side copies: independent entries with the same bytes. */
public abstract class CopyContract extends ContractSupport {

  @Test
  void copy_file_createsIndependentCopyWithSameBytes() {
    assume(Capability.COPY, Capability.UPLOAD, Capability.MKDIR, Capability.REMOVE);
    byte[] content = bytes(4096, 3);
    drive.mkdirs(scratch + "/to");
    Entry original = drive.put(scratch + "/orig.bin", content);
    Entry copy = drive.copy(scratch + "/orig.bin", scratch + "/to");
    assertNotEquals(original.id(), copy.id(), "a copy is a new entry");
    assertEquals(scratch + "/to/orig.bin", copy.path());
    assertSameBytes(content, download(scratch + "/to/orig.bin"), "copied bytes");
    drive.remove(scratch + "/to/orig.bin");
    assertSameBytes(content, download(scratch + "/orig.bin"), "original after removing the copy");
  }

  @Test
  void copy_nameClash_throwsAlreadyExists() {
    assume(Capability.COPY, Capability.UPLOAD, Capability.MKDIR);
    Assumptions.assumeFalse(contract().allowsDuplicateNames(), "provider allows duplicate names");
    drive.mkdirs(scratch + "/to");
    drive.put(scratch + "/f.txt", new byte[] {1});
    drive.put(scratch + "/to/f.txt", new byte[] {2, 2});
    assertFails(ErrorKind.ALREADY_EXISTS, () -> drive.copy(scratch + "/f.txt", scratch + "/to"));
    assertEquals(2, drive.stat(scratch + "/to/f.txt").size(), "existing file unchanged");
  }
}
