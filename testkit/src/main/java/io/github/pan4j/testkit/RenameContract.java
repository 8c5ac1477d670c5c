package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Renaming in place: the entry moves to its new name, keeps its id and content, and clashes are refused. */
public abstract class RenameContract extends ContractSupport {

  @Test
  void rename_file_reachableAtNewPathOnly() {
    assume(Capability.RENAME, Capability.UPLOAD, Capability.MKDIR);
    byte[] content = bytes(100, 1);
    Entry before = drive.put(scratch + "/old.bin", content);
    Entry after = drive.rename(scratch + "/old.bin", "new.bin");
    assertEquals("new.bin", after.name());
    assertEquals(scratch + "/new.bin", after.path());
    assertEquals(before.id(), drive.stat(scratch + "/new.bin").id(), "same entry under its new name");
    assertFalse(drive.exists(scratch + "/old.bin"), "old path is gone");
    assertEquals(Set.of("new.bin"), nameSet(scratch));
    assertSameBytes(content, download(scratch + "/new.bin"), "content after rename");
  }

  @Test
  void rename_folder_childrenFollow() {
    assume(Capability.RENAME, Capability.UPLOAD, Capability.MKDIR);
    drive.mkdirs(scratch + "/dir/sub");
    drive.put(scratch + "/dir/sub/f.txt", new byte[] {7});
    drive.stat(scratch + "/dir/sub/f.txt"); // warm any cache on the old path
    drive.rename(scratch + "/dir", "renamed");
    assertEquals(1, drive.stat(scratch + "/renamed/sub/f.txt").size());
    assertFails(ErrorKind.NOT_FOUND, () -> drive.stat(scratch + "/dir/sub/f.txt"));
  }

  @Test
  void rename_existingName_throwsAlreadyExists() {
    assume(Capability.RENAME, Capability.UPLOAD, Capability.MKDIR);
    Assumptions.assumeFalse(contract().allowsDuplicateNames(), "provider allows duplicate names");
    drive.put(scratch + "/a.txt", new byte[] {1});
    drive.put(scratch + "/b.txt", new byte[] {2, 2});
    assertFails(ErrorKind.ALREADY_EXISTS, () -> drive.rename(scratch + "/a.txt", "b.txt"));
    assertEquals(1, drive.stat(scratch + "/a.txt").size(), "a.txt unchanged");
    assertEquals(2, drive.stat(scratch + "/b.txt").size(), "b.txt unchanged");
  }

  @Test
  void rename_root_throwsInvalidArgument() {
    assume(Capability.RENAME);
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.rename("/", "x"));
  }
}
