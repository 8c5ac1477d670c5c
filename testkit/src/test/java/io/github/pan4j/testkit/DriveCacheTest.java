package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.NotFoundException;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.memory.MemoryConfig;
import io.github.pan4j.core.memory.MemoryDriver;
import io.github.pan4j.testkit.fake.FakeClock;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The path cache: changes made behind the facade's back (straight through the driver) are
 * recovered from, and entries age out on an injected ticker without sleeping.
 */
class DriveCacheTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryDriver memory = new MemoryDriver(MemoryConfig.DEFAULTS, clock);
  private final Drive drive = Drive.builder(memory).cacheTtl(Duration.ofSeconds(30)).ticker(clock::nanos).build();

  @AfterEach
  void close() {
    drive.close();
  }

  private static byte[] read(Drive d, String path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    d.get(path, out);
    return out.toByteArray();
  }

  private Entry uploadBehindBack(String parentId, String name, byte[] content) {
    try (UploadSource s = UploadSource.ofBytes(content)) {
      return memory.upload(parentId, name, s, UploadOptions.DEFAULT);
    }
  }

  @Test
  void get_fileReplacedBehindBack_staleIdIsDroppedAndNewFileRead() {
    Entry folder = drive.mkdirs("/a");
    Entry old = drive.put("/a/f.txt", new byte[] {1});
    assertEquals(old.id(), drive.stat("/a/f.txt").id()); // cached now
    memory.remove(List.of(old.id()));
    Entry fresh = uploadBehindBack(folder.id(), "f.txt", new byte[] {2, 2});
    Entry seen = drive.stat("/a/f.txt");
    assertEquals(fresh.id(), seen.id(), "resolved once more after the cached id was gone");
    assertArrayEquals(new byte[] {2, 2}, read(drive, "/a/f.txt"));
  }

  @Test
  void list_folderReplacedBehindBack_listsTheNewFolder() {
    Entry a = drive.mkdirs("/a");
    drive.put("/a/old.txt", new byte[] {1});
    assertEquals(1, drive.ls("/a").size()); // /a cached
    memory.remove(List.of(a.id()));
    Entry newA = memory.mkdir(MemoryDriver.ROOT_ID, "a");
    uploadBehindBack(newA.id(), "new.txt", new byte[] {1});
    assertEquals(List.of("new.txt"), drive.ls("/a").stream().map(Entry::name).toList());
  }

  @Test
  void stat_folderRemovedBehindBack_reportsNotFoundAfterRetrying() {
    drive.mkdirs("/a/b");
    drive.stat("/a/b");
    memory.remove(List.of(drive.stat("/a").id()));
    long listsBefore = memory.calls("list");
    assertThrows(NotFoundException.class, () -> drive.stat("/a/b"));
    assertTrue(memory.calls("list") > listsBefore, "the path was resolved again from the root");
  }

  @Test
  void stat_renamedBehindBack_oldPathNotFoundNewPathFound() {
    Entry f = drive.put("/f.txt", new byte[] {1});
    drive.stat("/f.txt");
    memory.rename(f.id(), "g.txt");
    assertThrows(NotFoundException.class, () -> drive.stat("/f.txt"));
    assertEquals(f.id(), drive.stat("/g.txt").id());
  }

  @Test
  void remove_cachedPathRenamedBehindBack_doesNotRemoveTheRenamedEntry() {
    Entry f = drive.put("/x.txt", new byte[] {1});
    drive.stat("/x.txt");
    memory.rename(f.id(), "y.txt");
    assertFalse(drive.remove("/x.txt"), "nothing is at /x.txt any more");
    assertEquals(f.id(), drive.stat("/y.txt").id(), "the renamed entry survived");
  }

  @Test
  void resolve_withinTtl_usesCacheThenExpiresOnFakeTicker() {
    memory.mkdir(memory.mkdir(MemoryDriver.ROOT_ID, "a").id(), "b");
    drive.stat("/a/b");
    long lists = memory.calls("list");
    assertEquals(2, lists, "root and /a listed once each");
    drive.stat("/a/b");
    clock.advance(Duration.ofSeconds(29));
    drive.stat("/a/b");
    assertEquals(lists, memory.calls("list"), "cache hits within the TTL");
    clock.advance(Duration.ofSeconds(2));
    drive.stat("/a/b");
    assertEquals(lists + 2, memory.calls("list"), "expired after 30 s: both segments listed again");
  }

  @Test
  void resolve_cacheSizeZero_listsEveryTime() {
    try (Drive uncached = Drive.builder(memory).cacheSize(0).build()) {
      memory.mkdir(MemoryDriver.ROOT_ID, "a");
      uncached.stat("/a");
      uncached.stat("/a");
      assertEquals(2, memory.calls("list"));
    }
  }

  @Test
  void drivesOpen_contextClock_agesTheCache() {
    FakeClock ctxClock = new FakeClock();
    try (Drive d = Drives.create().open("memory", Map.of(), DriverContext.builder().clock(ctxClock).build())) {
      MemoryDriver m = (MemoryDriver) d.driver();
      m.mkdir(MemoryDriver.ROOT_ID, "a");
      d.stat("/a");
      d.stat("/a");
      assertEquals(1, m.calls("list"));
      ctxClock.advance(Duration.ofMinutes(2));
      d.stat("/a");
      assertEquals(2, m.calls("list"), "the default one-minute TTL runs on the context's clock");
    }
  }

  @Test
  void rename_throughFacade_updatesCacheImmediately() {
    drive.mkdirs("/d/e");
    drive.stat("/d/e");
    drive.rename("/d", "z");
    assertThrows(NotFoundException.class, () -> drive.stat("/d/e"));
    assertTrue(drive.stat("/z/e").folder());
  }
}
