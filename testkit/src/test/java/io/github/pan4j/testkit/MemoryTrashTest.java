package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.TrashedEntry;
import io.github.pan4j.core.memory.MemoryConfig;
import io.github.pan4j.core.memory.MemoryDriver;
import io.github.pan4j.testkit.fake.FakeClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory driver's trash beyond the contract: paging, times, quota, folders with contents, the path cache. */
class MemoryTrashTest {
  final FakeClock clock = new FakeClock(Instant.parse("2026-01-02T03:04:05Z"));

  @Test
  void trash_pagesInRemovalOrder_withTimesAndParents() {
    MemoryDriver d = new MemoryDriver(MemoryConfig.DEFAULTS.withPageSize(2), clock);
    try (Drive drive = Drive.of(d)) {
      Entry dir = drive.mkdirs("/a");
      for (int i = 0; i < 5; i++) drive.put("/a/f" + i, new byte[] {(byte) i});
      for (int i = 4; i >= 0; i--) {
        clock.advance(java.time.Duration.ofSeconds(1));
        drive.remove("/a/f" + i);
      }
      List<TrashedEntry> all = drive.trash().toList();
      assertEquals(List.of("f4", "f3", "f2", "f1", "f0"), all.stream().map(TrashedEntry::name).toList());
      assertTrue(all.stream().allMatch(t -> dir.id().equals(t.originalParentId())));
      assertEquals(Instant.parse("2026-01-02T03:04:06Z"), all.get(0).trashedAt());
      assertEquals(3, d.calls("trash"), "five entries in pages of two");
    }
  }

  @Test
  void trashedFolder_travelsWithItsContents_andQuotaCountsLiveFilesOnly() {
    MemoryDriver d = new MemoryDriver(MemoryConfig.DEFAULTS, clock);
    try (Drive drive = Drive.of(d)) {
      drive.mkdirs("/p/q");
      drive.put("/p/q/big", new byte[1000]);
      Entry p = drive.stat("/p");
      drive.remove("/p");
      assertEquals(0, drive.storage().usedBytes(), "trashed files do not count");
      assertEquals(List.of("p"), drive.trash().map(TrashedEntry::name).toList(), "only what was removed is listed");
      RestoreResult r = drive.restore(List.of(p.id()));
      assertEquals(List.of(p.id()), r.restored());
      StorageDetails s = drive.storage();
      assertEquals(1000, s.usedBytes());
      assertEquals(1000, drive.stat("/p/q/big").size(), "contents came back with the folder");
    }
  }

  @Test
  void restore_nameTaken_staysInTrashWithReason() {
    try (Drive drive = Drive.of(new MemoryDriver(MemoryConfig.DEFAULTS, clock))) {
      Entry old = drive.put("/n.txt", new byte[] {1});
      drive.remove("/n.txt");
      drive.put("/n.txt", new byte[] {2, 2});
      RestoreResult r = drive.restore(List.of(old.id()));
      assertTrue(r.notRestored().get(old.id()).contains("already has an entry named 'n.txt'"), r::toString);
      assertFalse(r.complete());
      assertEquals(2, drive.stat("/n.txt").size(), "the newer file is untouched");
    }
  }

  @Test
  void restore_throughTheFacade_isSeenByPathAtOnce() {
    try (Drive drive = Drive.of(new MemoryDriver(MemoryConfig.DEFAULTS, clock))) {
      drive.mkdirs("/x/y");
      Entry f = drive.put("/x/y/z.bin", new byte[] {5});
      assertTrue(drive.exists("/x/y")); // cached
      drive.remove("/x/y");
      drive.mkdirs("/x/y"); // a new folder of the same name takes the cached path
      Entry y2 = drive.stat("/x/y");
      drive.remove("/x/y");
      RestoreResult r = drive.restore(List.of(drive.trash().filter(t -> t.name().equals("y") && !t.id().equals(y2.id()))
          .findFirst().orElseThrow().id()));
      assertEquals(1, r.restored().size(), r::toString);
      assertEquals(f.id(), drive.stat("/x/y/z.bin").id(), "the restored folder is resolved afresh");
    }
  }
}
