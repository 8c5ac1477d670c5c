package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Driver;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Creating folders: new names, clashes, nesting, idempotent mkdirs. */
public abstract class MkdirContract extends ContractSupport {

  @Test
  void mkdir_newName_createsFolderVisibleInListing() {
    assume(Capability.MKDIR);
    String parentId = drive.stat(scratch).id();
    Entry made = spi(Driver.Mkdir.class).mkdir(parentId, "fresh");
    assertTrue(made.folder(), "mkdir returns a folder");
    assertEquals("fresh", made.name());
    Entry seen = drive.stat(scratch + "/fresh");
    assertEquals(made.id(), seen.id());
    assertTrue(seen.folder());
    assertEquals(List.of("fresh"), names(scratch));
  }

  @Test
  void mkdir_existingName_throwsAlreadyExists() {
    assume(Capability.MKDIR);
    Assumptions.assumeFalse(contract().allowsDuplicateNames(), "provider allows duplicate names");
    String parentId = drive.stat(scratch).id();
    spi(Driver.Mkdir.class).mkdir(parentId, "twice");
    assertFails(ErrorKind.ALREADY_EXISTS, () -> spi(Driver.Mkdir.class).mkdir(parentId, "twice"));
    assertEquals(List.of("twice"), names(scratch), "no twin was created");
  }

  @Test
  void mkdir_nameOfExistingFile_throwsAlreadyExists() {
    assume(Capability.MKDIR, Capability.UPLOAD);
    Assumptions.assumeFalse(contract().allowsDuplicateNames(), "provider allows duplicate names");
    drive.put(scratch + "/taken", new byte[] {1});
    String parentId = drive.stat(scratch).id();
    assertFails(ErrorKind.ALREADY_EXISTS, () -> spi(Driver.Mkdir.class).mkdir(parentId, "taken"));
  }

  @Test
  void mkdirs_nestedPath_createsEveryMissingParent() {
    assume(Capability.MKDIR);
    Entry deep = drive.mkdirs(scratch + "/a/b/c");
    assertEquals(scratch + "/a/b/c", deep.path());
    assertTrue(drive.stat(scratch + "/a").folder());
    assertTrue(drive.stat(scratch + "/a/b").folder());
    assertEquals(deep.id(), drive.stat(scratch + "/a/b/c").id());
  }

  @Test
  void mkdirs_existingFolder_isIdempotent() {
    assume(Capability.MKDIR);
    Entry first = drive.mkdirs(scratch + "/same/inner");
    Entry second = drive.mkdirs(scratch + "/same/inner");
    assertEquals(first.id(), second.id());
    assertEquals(List.of("same"), names(scratch));
    assertEquals(List.of("inner"), names(scratch + "/same"));
  }

  @Test
  void mkdirs_throughExistingFile_throwsNotADirectory() {
    assume(Capability.MKDIR, Capability.UPLOAD);
    drive.put(scratch + "/file", new byte[] {1});
    assertFails(ErrorKind.NOT_A_DIRECTORY, () -> drive.mkdirs(scratch + "/file/sub"));
  }
}
