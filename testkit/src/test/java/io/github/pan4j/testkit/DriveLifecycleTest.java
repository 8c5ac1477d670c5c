package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UnsupportedException;
import io.github.pan4j.core.memory.MemoryConfig;
import io.github.pan4j.core.memory.MemoryDriver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Closing, toString, capability refusals and concurrent mkdirs. */
class DriveLifecycleTest {

  @Test
  void close_isIdempotentAndClosesTheDriver() {
    MemoryDriver memory = new MemoryDriver();
    Drive drive = Drive.of(memory);
    drive.close();
    drive.close();
    assertThrows(IllegalStateException.class, () -> memory.list(MemoryDriver.ROOT_ID, null));
  }

  @Test
  void callsAfterClose_throwIllegalState() {
    Drive drive = Drive.of(new MemoryDriver());
    drive.close();
    List<Executable> calls = List.of(() -> drive.stat("/"), () -> drive.ls("/"), () -> drive.mkdirs("/a"),
        () -> drive.put("/a", new byte[] {1}), () -> drive.storage(), () -> drive.listById("0"), () -> drive.driver());
    for (Executable call : calls) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call);
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }

  @Test
  void toString_isOneLineWithoutDriverDetails() {
    Drive drive = Drive.of(new ReadOnlyDriver(new MemoryDriver()) {
      @Override
      public String toString() {
        return "ReadOnlyDriver{token=hunter2}";
      }
    });
    assertEquals("Drive{readonly, root=0}", drive.toString());
    drive.close();
    assertEquals("Drive{readonly, root=0, closed}", drive.toString());
  }

  @Test
  void writes_onReadOnlyDriver_throwUnsupportedBeforeCallingTheDriver() {
    ReadOnlyDriver ro = new ReadOnlyDriver(new MemoryDriver());
    try (Drive drive = Drive.of(ro)) {
      assertEquals(EnumSet.of(Capability.LIST, Capability.LINK, Capability.STAT), drive.capabilities());
      UnsupportedException e = assertThrows(UnsupportedException.class, () -> drive.put("/x.txt", new byte[] {1}));
      assertEquals("readonly: put /x.txt: driver 'readonly' does not support put (it lacks UPLOAD; it offers [list, link, stat]);"
          + " check drive.capabilities() first, or use a driver that supports upload", e.getMessage());
      assertThrows(UnsupportedException.class, () -> drive.rename("/x", "y"));
      assertThrows(UnsupportedException.class, () -> drive.storage());
      assertEquals(0, ro.calls.get(), "nothing was sent to the driver");
    }
  }

  @Test
  void mkdirs_concurrentSamePath_createsNoTwins() throws Exception {
    // Twins are possible on this driver, so only the facade's per-parent lock prevents them.
    MemoryDriver memory = new MemoryDriver(MemoryConfig.DEFAULTS.withAllowDuplicateNames(true), Clock.systemUTC());
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Drive drive = Drive.of(memory)) {
      for (int round = 0; round < 20; round++) {
        String path = "/r" + round + "/x/y";
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Entry>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(pool.submit(() -> {
            start.await();
            return drive.mkdirs(path);
          }));
        }
        start.countDown();
        String id = null;
        for (Future<Entry> f : results) {
          Entry e = f.get(30, TimeUnit.SECONDS);
          if (id == null) id = e.id();
          assertEquals(id, e.id(), "every thread got the same folder");
        }
        assertEquals(1, drive.ls("/r" + round).size(), "one /x under /r" + round);
        assertEquals(1, drive.ls("/r" + round + "/x").size(), "one /y");
      }
      assertEquals(20, drive.ls("/").size(), "one folder per round at the root");
    } finally {
      pool.shutdownNow();
    }
  }
}
