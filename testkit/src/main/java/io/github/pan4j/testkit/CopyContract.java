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

  @Test
  void copy_folder_copiesTheWholeSubtree() {
    assume(Capability.COPY, Capability.UPLOAD, Capability.MKDIR);
    byte[] a = bytes(3000, 5);
    byte[] b = bytes(10, 6);
    drive.mkdirs(scratch + "/src/inner/deeper");
    drive.mkdirs(scratch + "/to");
    drive.put(scratch + "/src/a.bin", a);
    drive.put(scratch + "/src/inner/deeper/b.bin", b);
    Entry copy = drive.copy(scratch + "/src", scratch + "/to");
    assertEquals(scratch + "/to/src", copy.path());
    assertEquals(true, copy.folder());
    assertNotEquals(drive.stat(scratch + "/src").id(), copy.id(), "a copy is a new folder");
    assertSameBytes(a, download(scratch + "/to/src/a.bin"), "copied file");
    assertSameBytes(b, download(scratch + "/to/src/inner/deeper/b.bin"), "copied file two levels down");
    assertSameBytes(a, download(scratch + "/src/a.bin"), "the original stays");
  }

  @Test
  void copy_folderIntoItself_isInvalidArgument() {
    assume(Capability.COPY, Capability.MKDIR);
    drive.mkdirs(scratch + "/src/inner");
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.copy(scratch + "/src", scratch + "/src/inner"));
    assertEquals(java.util.List.of("inner"), drive.ls(scratch + "/src").stream().map(Entry::name).toList(), "nothing copied");
  }

  @Test
  void copyAll_copiesFilesAndFolders_andReportsTheEnd() {
    assume(Capability.COPY, Capability.UPLOAD, Capability.MKDIR);
    byte[] a = bytes(2000, 7);
    byte[] b = bytes(30, 8);
    drive.mkdirs(scratch + "/src/dir/inner");
    drive.mkdirs(scratch + "/to");
    drive.put(scratch + "/src/a.bin", a);
    drive.put(scratch + "/src/dir/inner/b.bin", b);
    java.util.List<io.github.pan4j.core.CopyProgress> seen = new java.util.ArrayList<>();
    drive.copyAll(java.util.List.of(scratch + "/src/a.bin", scratch + "/src/dir"), scratch + "/to", seen::add);
    assertEquals(new io.github.pan4j.core.CopyProgress(2, 2), seen.get(seen.size() - 1), "the last report has every entry copied");
    for (int i = 1; i < seen.size(); i++) {
      assertEquals(true, seen.get(i).copied() >= seen.get(i - 1).copied(), "progress never goes backwards: " + seen);
    }
    assertEquals(java.util.List.of("a.bin", "dir"), drive.ls(scratch + "/to").stream().map(Entry::name).sorted().toList());
    assertSameBytes(a, download(scratch + "/to/a.bin"), "copied file");
    assertSameBytes(b, download(scratch + "/to/dir/inner/b.bin"), "file copied with its folder");
    assertSameBytes(a, download(scratch + "/src/a.bin"), "the original stays");
  }

  @Test
  void copyAll_refusesAPathGivenTwice_beforeCopyingAnything() {
    assume(Capability.COPY, Capability.UPLOAD, Capability.MKDIR);
    drive.mkdirs(scratch + "/to");
    drive.put(scratch + "/f.txt", new byte[] {1});
    assertFails(ErrorKind.INVALID_ARGUMENT,
        () -> drive.copyAll(java.util.List.of(scratch + "/f.txt", scratch + "/f.txt"), scratch + "/to", p -> { }));
    assertEquals(java.util.List.of(), drive.ls(scratch + "/to"), "nothing copied");
  }
}
