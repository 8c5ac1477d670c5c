package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.memory.MemoryConfig;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.memory.MemoryDriver;
import io.github.pan4j.testkit.fake.FakeClock;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The opt-in entry cache ({@code Drive.Builder.entryTtl}): stats of paths seen within the TTL ask
 * the driver nothing, the default asks every time, writes through the drive refresh what is kept,
 * and downloads always check against fresh metadata. Time runs on an injected clock.
 */
class DriveEntryCacheTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryDriver memory = new MemoryDriver(MemoryConfig.DEFAULTS, clock);
  private final Drive drive = Drive.builder(memory).cacheTtl(Duration.ofMinutes(5)).entryTtl(Duration.ofSeconds(30))
      .ticker(clock::nanos).build();

  @AfterEach
  void close() {
    drive.close();
  }

  private long driverCalls() {
    return memory.calls("list") + memory.calls("stat");
  }

  @Test
  void stat_ofListedChildren_asksTheDriverNothingWithinTheTtl() {
    drive.mkdirs("/a");
    for (int i = 0; i < 5; i++) drive.put("/a/f" + i, new byte[i + 1]);
    List<Entry> listed = drive.ls("/a");
    long before = driverCalls();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5; i++) {
        Entry e = drive.stat("/a/f" + i);
        assertEquals(i + 1, e.size());
        assertEquals("/a/f" + i, e.path());
        assertEquals(listed.get(i).id(), e.id());
      }
    }
    assertTrue(drive.exists("/a/f0"));
    assertEquals(before, driverCalls(), "15 stats and an exists answered from the listing");
  }

  @Test
  void stat_afterTheTtl_asksAgainAndSeesAChangeMadeBehindTheDrivesBack() {
    drive.mkdirs("/a");
    Entry old = drive.put("/a/f", new byte[] {1});
    memory.remove(List.of(old.id()));
    Entry folder = drive.stat("/a");
    try (UploadSource s = UploadSource.ofBytes(new byte[] {2, 2, 2})) {
      memory.upload(folder.id(), "f", s, UploadOptions.DEFAULT);
    }
    clock.advance(Duration.ofSeconds(29));
    assertEquals(1, drive.stat("/a/f").size(), "within the TTL the kept entry answers (documented staleness)");
    clock.advance(Duration.ofSeconds(2));
    long before = driverCalls();
    assertEquals(3, drive.stat("/a/f").size(), "after the TTL the provider is asked and the new file seen");
    assertTrue(driverCalls() > before);
  }

  @Test
  void stat_withoutEntryTtl_asksTheDriverEveryTime() {
    try (Drive plain = Drive.builder(memory).cacheTtl(Duration.ofMinutes(5)).ticker(clock::nanos).build()) {
      plain.mkdirs("/b");
      plain.put("/b/f", new byte[] {1});
      plain.ls("/b");
      long stats = memory.calls("stat");
      plain.stat("/b/f");
      plain.stat("/b/f");
      assertEquals(stats + 2, memory.calls("stat"), "the default keeps ids only: each stat reads fresh metadata");
    }
  }

  @Test
  void put_throughTheDrive_replacesTheKeptEntry() {
    drive.mkdirs("/a");
    drive.put("/a/f", new byte[] {1});
    assertEquals(1, drive.stat("/a/f").size());
    drive.put("/a/f", UploadSource.ofBytes(new byte[] {1, 2, 3, 4}), UploadOptions.DEFAULT.withConflict(ConflictPolicy.OVERWRITE));
    long before = driverCalls();
    assertEquals(4, drive.stat("/a/f").size());
    assertEquals(before, driverCalls());
    drive.remove("/a/f");
    assertFalse(drive.exists("/a/f"), "a removed path is forgotten, not answered from the cache");
  }

  @Test
  void get_checksFreshMetadataEvenWhenAStaleEntryIsKept() {
    drive.mkdirs("/a");
    Entry old = drive.put("/a/f", new byte[] {1});
    drive.stat("/a/f");
    memory.remove(List.of(old.id()));
    Entry folder = drive.stat("/a");
    try (UploadSource s = UploadSource.ofBytes(new byte[] {7, 7})) {
      memory.upload(folder.id(), "f", s, UploadOptions.DEFAULT);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Entry got = drive.get("/a/f", out);
    assertArrayEquals(new byte[] {7, 7}, out.toByteArray(), "the new file, checked against its own size and MD5");
    assertEquals(2, got.size());
  }

  @Test
  void drivesOpen_withTuning_keepsEntriesOnTheContextsClock() {
    FakeClock ctxClock = new FakeClock();
    try (Drive d = Drives.create().open("memory", Map.of(), DriverContext.builder().clock(ctxClock).build(),
        b -> b.entryTtl(Duration.ofSeconds(10)))) {
      MemoryDriver m = (MemoryDriver) d.driver();
      d.put("/f", new byte[] {1, 2});
      long stats = m.calls("stat");
      long lists = m.calls("list");
      assertEquals(2, d.stat("/f").size());
      assertEquals(stats, m.calls("stat"));
      assertEquals(lists, m.calls("list"));
      ctxClock.advance(Duration.ofSeconds(11));
      d.stat("/f");
      assertEquals(stats + 1, m.calls("stat"), "the entry TTL runs on the context's clock");
    }
  }

  @Test
  void builder_refusesANegativeTtl() {
    assertThrows(IllegalArgumentException.class, () -> Drive.builder(memory).entryTtl(Duration.ofSeconds(-1)));
  }
}
