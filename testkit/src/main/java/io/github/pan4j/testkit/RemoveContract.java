package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Driver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Removing: gone from listing and stat, subtrees go too, and removing twice is fine. */
public abstract class RemoveContract extends ContractSupport {

  @Test
  void remove_file_goneFromListingAndStat() {
    assume(Capability.REMOVE, Capability.UPLOAD, Capability.MKDIR);
    drive.put(scratch + "/keep.txt", new byte[] {1});
    drive.put(scratch + "/drop.txt", new byte[] {2});
    assertTrue(drive.remove(scratch + "/drop.txt"));
    assertEquals(List.of("keep.txt"), names(scratch));
    assertFails(ErrorKind.NOT_FOUND, () -> drive.stat(scratch + "/drop.txt"));
  }

  @Test
  void remove_folder_removesItsSubtree() {
    assume(Capability.REMOVE, Capability.UPLOAD, Capability.MKDIR);
    drive.mkdirs(scratch + "/dir/sub");
    drive.put(scratch + "/dir/sub/f.txt", new byte[] {1});
    String fileId = drive.stat(scratch + "/dir/sub/f.txt").id();
    assertTrue(drive.remove(scratch + "/dir"));
    assertEquals(List.of(), names(scratch));
    assertFails(ErrorKind.NOT_FOUND, () -> drive.stat(scratch + "/dir/sub/f.txt"));
    assertFails(ErrorKind.NOT_FOUND, () -> driver().link(fileId));
  }

  @Test
  void remove_twice_secondReportsNothingRemoved() {
    assume(Capability.REMOVE, Capability.MKDIR);
    drive.mkdirs(scratch + "/once");
    assertTrue(drive.remove(scratch + "/once"));
    assertFalse(drive.remove(scratch + "/once"));
  }

  @Test
  void remove_driverMissingId_succeeds() {
    assume(Capability.REMOVE, Capability.MKDIR);
    Entry e = drive.mkdirs(scratch + "/gone");
    Driver.Remove remover = spi(Driver.Remove.class);
    remover.remove(List.of(e.id()));
    remover.remove(List.of(e.id())); // must not throw: removal is idempotent
    assertFalse(drive.exists(scratch + "/gone"));
  }

  @Test
  void remove_root_throwsInvalidArgument() {
    assume(Capability.REMOVE);
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.remove("/"));
  }
}
