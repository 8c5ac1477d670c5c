package io.github.pan4j.testkit;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Driver;
import org.junit.jupiter.api.Test;

/** Missing paths and ids are reported as NOT_FOUND, by path through the facade and by id from the driver. */
public abstract class NotFoundContract extends ContractSupport {

  private String missingPath() {
    return (drive.supports(Capability.MKDIR) ? scratch : contract().scratchRoot()) + "/no-such-entry-" + Long.toHexString(System.nanoTime());
  }

  @Test
  void stat_missingPath_throwsNotFound() {
    assertFails(ErrorKind.NOT_FOUND, () -> drive.stat(missingPath()));
  }

  @Test
  void list_missingPath_throwsNotFound() {
    assertFails(ErrorKind.NOT_FOUND, () -> drive.ls(missingPath()));
  }

  @Test
  void link_missingPath_throwsNotFound() {
    assertFails(ErrorKind.NOT_FOUND, () -> drive.link(missingPath()));
  }

  @Test
  void rename_missingPath_throwsNotFound() {
    assume(Capability.RENAME);
    assertFails(ErrorKind.NOT_FOUND, () -> drive.rename(missingPath(), "new-name"));
  }

  @Test
  void move_missingPath_throwsNotFound() {
    assume(Capability.MOVE, Capability.MKDIR);
    assertFails(ErrorKind.NOT_FOUND, () -> drive.move(missingPath(), scratch));
  }

  @Test
  void copy_missingPath_throwsNotFound() {
    assume(Capability.COPY, Capability.MKDIR);
    assertFails(ErrorKind.NOT_FOUND, () -> drive.copy(missingPath(), scratch));
  }

  @Test
  void list_missingId_throwsNotFound() {
    String id = contract().missingId(drive, scratch);
    assertFails(ErrorKind.NOT_FOUND, () -> driver().list(id, null));
  }

  @Test
  void link_missingId_throwsNotFound() {
    String id = contract().missingId(drive, scratch);
    assertFails(ErrorKind.NOT_FOUND, () -> driver().link(id));
  }

  @Test
  void stat_missingId_throwsNotFound() {
    assume(Capability.STAT);
    String id = contract().missingId(drive, scratch);
    assertFails(ErrorKind.NOT_FOUND, () -> spi(Driver.Stat.class).stat(id));
  }

  @Test
  void rename_missingId_throwsNotFound() {
    assume(Capability.RENAME);
    String id = contract().missingId(drive, scratch);
    assertFails(ErrorKind.NOT_FOUND, () -> spi(Driver.Rename.class).rename(id, "new-name"));
  }
}
