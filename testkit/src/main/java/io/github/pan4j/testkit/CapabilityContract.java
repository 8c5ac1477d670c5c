package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.core.UnsupportedException;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Capabilities come from the driver's types, every declared operation really works (no throwing
 * stubs), and the facade refuses undeclared ones with a helpful UnsupportedException.
 */
public abstract class CapabilityContract extends ContractSupport {
  private static final Set<Capability> WRITES = EnumSet.of(Capability.MKDIR, Capability.RENAME, Capability.MOVE,
      Capability.REMOVE, Capability.UPLOAD, Capability.COPY, Capability.TRASH, Capability.OFFLINE_DOWNLOAD,
      Capability.INSTANT_UPLOAD);

  @Test
  void capabilities_derivedFromDriverTypes() {
    Set<Capability> fromType = Capability.of(driver().getClass());
    assertEquals(fromType, driver().capabilities(), "driver.capabilities() must match the interfaces it implements");
    assertEquals(fromType, drive.capabilities(), "drive.capabilities()");
    assertTrue(fromType.containsAll(EnumSet.of(Capability.LIST, Capability.LINK)), "every driver lists and links");
  }

  @Test
  void declaredOperations_eachWorksOnValidInput() {
    List<String> stubs = new ArrayList<>();
    for (Capability c : drive.capabilities()) {
      if (WRITES.contains(c) && !drive.supports(Capability.MKDIR)) continue; // no scratch folder to write in
      try {
        exercise(c);
      } catch (UnsupportedException | UnsupportedOperationException e) {
        stubs.add(c + " threw " + e);
      }
    }
    assertEquals(List.of(), stubs, "a driver must not implement an operation with a throwing stub; leave the interface off instead");
  }

  private void exercise(Capability c) {
    String rootId = driver().rootId();
    switch (c) {
      case LIST -> assertNotNull(driver().list(rootId, null));
      case LINK -> {
        String file = seedFile("probe-link.bin", new byte[] {1, 2, 3});
        assertSameBytes(new byte[] {1, 2, 3}, read(driver().link(drive.stat(file).id()), 0, -1), "probe link");
      }
      case STAT -> assertTrue(spi(Driver.Stat.class).stat(rootId).folder(), "root is a folder");
      case MKDIR -> assertTrue(spi(Driver.Mkdir.class).mkdir(scratchId(), "probe-dir").folder());
      case UPLOAD -> {
        try (UploadSource source = UploadSource.ofBytes(new byte[] {4, 5})) {
          assertEquals(2, spi(Driver.Upload.class).upload(scratchId(), "probe-up.bin", source, UploadOptions.DEFAULT).size());
        }
      }
      case RENAME -> {
        Entry e = drive.mkdirs(scratch + "/probe-rename");
        assertEquals("probe-renamed", spi(Driver.Rename.class).rename(e.id(), "probe-renamed").name());
      }
      case MOVE -> {
        Entry src = drive.mkdirs(scratch + "/probe-move");
        Entry dst = drive.mkdirs(scratch + "/probe-move-target");
        spi(Driver.Move.class).move(List.of(src.id()), dst.id());
      }
      case REMOVE -> {
        Entry e = drive.mkdirs(scratch + "/probe-remove");
        spi(Driver.Remove.class).remove(List.of(e.id()));
      }
      case COPY -> {
        String file = seedFile("probe-copy.bin", new byte[] {6});
        Entry dst = drive.mkdirs(scratch + "/probe-copy-target");
        assertEquals(1, spi(Driver.Copy.class).copy(drive.stat(file).id(), dst.id()).size());
      }
      case STORAGE_DETAILS -> assertNotNull(spi(Driver.StorageInfo.class).storageDetails());
      case SHARE -> {
        String file = seedFile("probe-share.bin", new byte[] {7});
        assertNotNull(spi(Driver.Share.class).share(List.of(drive.stat(file).id()), ShareOptions.DEFAULT).key());
        assertNotNull(spi(Driver.Share.class).shares(null));
      }
      case TRASH -> {
        Entry e = drive.mkdirs(scratch + "/probe-trash");
        drive.remove(scratch + "/probe-trash");
        assertNotNull(spi(Driver.Trash.class).listTrash(null));
        assertEquals(List.of(e.id()), spi(Driver.Trash.class).restore(List.of(e.id()), null).restored());
      }
      case OFFLINE_DOWNLOAD -> {
        // Port 9 (discard) on loopback: a valid URL whose fetch fails, so nothing lands.
        Driver.OfflineDownload o = spi(Driver.OfflineDownload.class);
        String id = o.addOffline("http://127.0.0.1:9/probe.bin", scratchId()).id();
        assertEquals(id, o.offlineTask(id).id());
      }
      case OFFLINE_TASKS -> assertNotNull(spi(Driver.OfflineTasks.class).offlineTasks());
      case INSTANT_UPLOAD -> {
        byte[] probe = {7, 8, 9};
        seedFile("probe-instant-src.bin", probe);
        try (UploadSource source = UploadSource.ofHashes(probe.length, md5(probe), null)) {
          assertEquals(3, spi(Driver.InstantUpload.class).upload(scratchId(), "probe-instant.bin", source, UploadOptions.DEFAULT).size());
        }
      }
    }
  }

  private String scratchId() {
    return drive.stat(scratch).id();
  }

  @Test
  void missingCapabilities_facadeThrowsUnsupportedNamingDriverAndOperation() {
    Set<Capability> missing = EnumSet.complementOf(EnumSet.copyOf(drive.capabilities()));
    Assumptions.assumeFalse(missing.isEmpty(), "driver has every capability");
    for (Capability c : missing) {
      UnsupportedException e = assertThrows(UnsupportedException.class, facadeCall(c), "facade call needing " + c);
      assertEquals(drive.id(), e.driverId().orElse(null), "driver id on " + e);
      assertTrue(e.getMessage().contains(drive.id()), () -> "message names the driver: " + e.getMessage());
      assertTrue(e.getMessage().contains(c.operation()), () -> "message names the capability: " + e.getMessage());
    }
  }

  private Executable facadeCall(Capability c) {
    return switch (c) {
      case STAT -> () -> drive.statById(driver().rootId());
      case MKDIR -> () -> drive.mkdirs("/probe");
      case RENAME -> () -> drive.rename("/probe", "other");
      case MOVE -> () -> drive.move("/probe", "/other");
      case REMOVE -> () -> drive.remove("/probe");
      case UPLOAD -> () -> drive.put("/probe", new byte[] {1});
      case COPY -> () -> drive.copy("/probe", "/other");
      case STORAGE_DETAILS -> () -> drive.storage();
      case SHARE -> () -> drive.share("/probe", ShareOptions.DEFAULT);
      case TRASH -> () -> drive.trash();
      case OFFLINE_DOWNLOAD -> () -> drive.addOffline("http://127.0.0.1/probe.bin", "/");
      case OFFLINE_TASKS -> () -> drive.offlineTasks();
      case INSTANT_UPLOAD -> () -> drive.put("/probe", UploadSource.ofHashes(1, "0123456789abcdef0123456789abcdef", null),
          UploadOptions.DEFAULT);
      case LIST, LINK -> throw new AssertionError(c + " is always declared");
    };
  }
}
