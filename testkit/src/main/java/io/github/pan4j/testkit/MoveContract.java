package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Driver;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Moving between folders: reachable at the new path only, descendants refused, clashes refused. */
public abstract class MoveContract extends ContractSupport {

  @Test
  void move_file_reachableUnderNewParentOnly() {
    assume(Capability.MOVE, Capability.UPLOAD, Capability.MKDIR);
    byte[] content = bytes(64, 2);
    drive.mkdirs(scratch + "/from");
    drive.mkdirs(scratch + "/to");
    Entry before = drive.put(scratch + "/from/f.bin", content);
    Entry moved = drive.move(scratch + "/from/f.bin", scratch + "/to");
    assertEquals(scratch + "/to/f.bin", moved.path());
    assertEquals(before.id(), drive.stat(scratch + "/to/f.bin").id());
    assertFalse(drive.exists(scratch + "/from/f.bin"), "gone from the old folder");
    assertEquals(List.of(), names(scratch + "/from"));
    assertSameBytes(content, download(scratch + "/to/f.bin"), "content after move");
  }

  @Test
  void move_folder_subtreeFollows() {
    assume(Capability.MOVE, Capability.UPLOAD, Capability.MKDIR);
    drive.mkdirs(scratch + "/src/inner");
    drive.mkdirs(scratch + "/dst");
    drive.put(scratch + "/src/inner/f.txt", new byte[] {1, 2, 3});
    drive.move(scratch + "/src", scratch + "/dst");
    assertEquals(3, drive.stat(scratch + "/dst/src/inner/f.txt").size());
    assertEquals(Set.of("dst"), nameSet(scratch));
  }

  @Test
  void move_folderIntoOwnDescendant_throwsInvalidArgument() {
    assume(Capability.MOVE, Capability.MKDIR);
    drive.mkdirs(scratch + "/p/c/g");
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.move(scratch + "/p", scratch + "/p/c/g"));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.move(scratch + "/p", scratch + "/p"));
    assertEquals(Set.of("p"), nameSet(scratch), "nothing moved");
  }

  @Test
  void move_driverFolderIntoOwnDescendant_throwsInvalidArgument() {
    assume(Capability.MOVE, Capability.MKDIR);
    Entry p = drive.mkdirs(scratch + "/p");
    Entry g = drive.mkdirs(scratch + "/p/c/g");
    Driver.Move mover = spi(Driver.Move.class);
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> mover.move(List.of(p.id()), g.id()));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> mover.move(List.of(p.id()), p.id()));
    assertEquals(g.id(), drive.stat(scratch + "/p/c/g").id(), "tree unchanged");
  }

  @Test
  void move_nameClash_throwsAlreadyExists() {
    assume(Capability.MOVE, Capability.UPLOAD, Capability.MKDIR);
    Assumptions.assumeFalse(contract().allowsDuplicateNames(), "provider allows duplicate names");
    drive.mkdirs(scratch + "/to");
    drive.put(scratch + "/same.txt", new byte[] {1});
    drive.put(scratch + "/to/same.txt", new byte[] {2, 2});
    assertFails(ErrorKind.ALREADY_EXISTS, () -> drive.move(scratch + "/same.txt", scratch + "/to"));
    assertEquals(1, drive.stat(scratch + "/same.txt").size(), "source unchanged");
    assertEquals(2, drive.stat(scratch + "/to/same.txt").size(), "target unchanged");
  }

  @Test
  void move_intoFile_throwsNotADirectory() {
    assume(Capability.MOVE, Capability.UPLOAD, Capability.MKDIR);
    drive.put(scratch + "/a.txt", new byte[] {1});
    drive.put(scratch + "/b.txt", new byte[] {2});
    assertFails(ErrorKind.NOT_A_DIRECTORY, () -> drive.move(scratch + "/a.txt", scratch + "/b.txt"));
  }
}
