package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.AlreadyExistsException;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.memory.MemoryConfig;
import io.github.pan4j.core.memory.MemoryDriver;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The facade's path rules and the context its errors carry. */
class DrivePathRulesTest {
  private final MemoryDriver memory = new MemoryDriver();
  private final Drive drive = Drive.of(memory);

  @AfterEach
  void close() {
    drive.close();
  }

  @Test
  void put_decomposedName_isStoredAndFoundInNfc() {
    String decomposed = "/cafe\u0301.txt";
    String composed = "/caf\u00e9.txt";
    Entry e = drive.put(decomposed, new byte[] {1});
    assertEquals(composed, e.path());
    assertEquals(e.id(), drive.stat(composed).id(), "composed form finds it");
    assertEquals(e.id(), drive.stat(decomposed).id(), "decomposed form finds it too");
    assertEquals(List.of(composed), drive.ls("/").stream().map(Entry::path).toList());
  }

  @Test
  void stat_dotDotSegment_throwsInvalidArgumentWithContext() {
    DriveException e = assertThrows(DriveException.class, () -> drive.stat("/a/../b"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals("memory", e.driverId().orElseThrow());
    assertEquals("stat", e.operation().orElseThrow());
    assertEquals("/a/../b", e.target().orElseThrow());
    assertTrue(e.getMessage().startsWith("memory: stat /a/../b: bad segment: '..' is not a name"), e.getMessage());
    assertEquals(0, memory.calls("list"), "nothing was asked of the driver");
  }

  @Test
  void list_trailingSlash_onlyAllowedForRoot() {
    drive.mkdirs("/a");
    assertEquals(1, drive.ls("/").size());
    DriveException e = assertThrows(DriveException.class, () -> drive.ls("/a/"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains("trailing '/'"), e.getMessage());
  }

  @Test
  void rename_nameWithSlash_throwsInvalidNameAndChangesNothing() {
    drive.mkdirs("/a");
    DriveException e = assertThrows(DriveException.class, () -> drive.rename("/a", "b/c"));
    assertEquals(ErrorKind.INVALID_NAME, e.kind());
    assertEquals("rename", e.operation().orElseThrow());
    assertEquals(0, memory.calls("rename"));
    assertEquals(List.of("a"), drive.ls("/").stream().map(Entry::name).toList());
  }

  @Test
  void stat_root_isSynthesizedFolder() {
    Entry root = drive.stat("/");
    assertEquals(new Entry(MemoryDriver.ROOT_ID, null, "", "/", true, 0, null, null, null, null), root);
    assertEquals(0, memory.calls("stat") + memory.calls("list"), "no driver call for the root");
  }

  @Test
  void put_existingName_driverErrorGetsFacadeOperationAndPath() {
    drive.put("/x.txt", new byte[] {1});
    DriveException e = assertThrows(DriveException.class, () -> drive.put("/x.txt", new byte[] {2}));
    assertInstanceOf(AlreadyExistsException.class, e, "subclass kept");
    assertEquals("put", e.operation().orElseThrow());
    assertEquals("/x.txt", e.target().orElseThrow());
    assertEquals("memory", e.driverId().orElseThrow());
    DriveException cause = assertInstanceOf(DriveException.class, e.getCause(), "driver's own error is the cause");
    assertEquals("upload", cause.operation().orElseThrow());
  }

  @Test
  void stat_duplicateNames_firstInListingOrderWins() {
    try (Drive twins = Drive.of(new MemoryDriver(MemoryConfig.DEFAULTS.withAllowDuplicateNames(true), Clock.systemUTC()))) {
      MemoryDriver d = (MemoryDriver) twins.driver();
      Entry first = d.mkdir(MemoryDriver.ROOT_ID, "twin");
      Entry second = d.mkdir(MemoryDriver.ROOT_ID, "twin");
      assertEquals(first.id(), twins.stat("/twin").id());
      twins.put("/twin/f.txt", new byte[] {1});
      assertEquals(List.of("f.txt"), twins.ls("/twin").stream().map(Entry::name).toList());
      try (var s = twins.listById(second.id())) {
        assertEquals(0, s.count(), "the second twin was not touched");
      }
    }
  }

  @Test
  void move_intoOwnDescendant_refusedBeforeTheDriverIsCalled() {
    drive.mkdirs("/p/c");
    DriveException e = assertThrows(DriveException.class, () -> drive.move("/p", "/p/c"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals(0, memory.calls("move"));
  }

  @Test
  void mkdirs_overFile_throwsNotADirectoryNamingTheFile() {
    drive.put("/f", new byte[] {1});
    DriveException e = assertThrows(DriveException.class, () -> drive.mkdirs("/f/g"));
    assertEquals(ErrorKind.NOT_A_DIRECTORY, e.kind());
    assertTrue(e.getMessage().contains("'/f' is a file"), e.getMessage());
  }
}
