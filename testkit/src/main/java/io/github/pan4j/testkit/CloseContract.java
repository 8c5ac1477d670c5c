package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The close rule of {@link Driver#close()}: idempotent, and afterwards every operation the driver
 * declares throws {@link IllegalStateException} naming the driver, and changes nothing.
 */
public abstract class CloseContract extends ContractSupport {

  @Test
  void close_isIdempotent_andEveryOperationAfterwardsThrowsIllegalState() {
    String file = seedFile("probe-link.bin", new byte[] {1, 2, 3});
    Entry seeded = drive.stat(file);
    String folderId = drive.supports(Capability.MKDIR) ? drive.stat(scratch).id() : driver().rootId();
    List<String> before = names(drive.supports(Capability.MKDIR) ? scratch : "/");

    // A second drive over the same storage: the fixture's drive stays open for clean-up.
    Drive other = contract().openDrive();
    Driver d = other.driver();
    String id = d.id();
    String rootId = d.rootId();
    assertDoesNotThrow(d::close, "close()");
    assertDoesNotThrow(d::close, "a second close() does nothing");
    assertEquals(id, d.id(), "id() answers after close");
    assertEquals(rootId, d.rootId(), "rootId() answers after close");
    assertDoesNotThrow(d::toString, "toString() answers after close");

    List<String> wrong = new ArrayList<>();
    check(wrong, id, "list", () -> d.list(folderId, null));
    check(wrong, id, "link", () -> d.link(seeded.id()));
    for (Capability c : d.capabilities()) {
      switch (c) {
        case STAT -> check(wrong, id, "stat", () -> ((Driver.Stat) d).stat(seeded.id()));
        case MKDIR -> check(wrong, id, "mkdir", () -> ((Driver.Mkdir) d).mkdir(folderId, "after-close"));
        case RENAME -> check(wrong, id, "rename", () -> ((Driver.Rename) d).rename(seeded.id(), "after-close.bin"));
        case MOVE -> check(wrong, id, "move", () -> ((Driver.Move) d).move(List.of(seeded.id()), rootId));
        case REMOVE -> check(wrong, id, "remove", () -> ((Driver.Remove) d).remove(List.of(seeded.id())));
        case COPY -> check(wrong, id, "copy", () -> ((Driver.Copy) d).copy(seeded.id(), rootId));
        case UPLOAD -> check(wrong, id, "upload", () -> ((Driver.Upload) d).upload(folderId, "after-close.bin",
            UploadSource.ofBytes(new byte[] {9}), UploadOptions.DEFAULT));
        case STORAGE_DETAILS -> check(wrong, id, "storageDetails", () -> ((Driver.StorageInfo) d).storageDetails());
        case SHARE -> {
          check(wrong, id, "share", () -> ((Driver.Share) d).share(List.of(seeded.id()), io.github.pan4j.core.ShareOptions.DEFAULT));
          check(wrong, id, "shares", () -> ((Driver.Share) d).shares(null));
        }
        case TRASH -> {
          check(wrong, id, "listTrash", () -> ((Driver.Trash) d).listTrash(null));
          check(wrong, id, "restore", () -> ((Driver.Trash) d).restore(List.of(seeded.id()), null));
          check(wrong, id, "purge", () -> ((Driver.Trash) d).purge(List.of(seeded.id())));
        }
        case OFFLINE_DOWNLOAD -> check(wrong, id, "addOffline", () -> ((Driver.OfflineDownload) d).addOffline("http://127.0.0.1:9/x.bin", folderId));
        case OFFLINE_TASKS -> check(wrong, id, "offlineTasks", () -> ((Driver.OfflineTasks) d).offlineTasks());
        default -> { }
      }
    }
    other.close();
    assertEquals(List.of(), wrong, "after close() every operation must throw IllegalStateException naming the driver");

    // Nothing the closed driver was asked to do happened.
    assertEquals(before, names(drive.supports(Capability.MKDIR) ? scratch : "/"), "the folder changed after close()");
    assertEquals(seeded.id(), drive.stat(file).id(), "the seeded file is still there, unchanged");
  }

  private static void check(List<String> wrong, String driverId, String operation, Executable call) {
    try {
      call.execute();
      wrong.add(operation + " returned normally");
    } catch (IllegalStateException e) {
      String m = String.valueOf(e.getMessage());
      if (!m.contains(driverId) || !m.contains("closed")) wrong.add(operation + ": message must name " + driverId + " and say closed: " + m);
    } catch (Throwable t) {
      wrong.add(operation + " threw " + t);
    }
  }
}
