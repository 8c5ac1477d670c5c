package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Listing and walking are lazy: pages are fetched only as the stream is consumed. */
class DriveStreamingTest {
  private static final int PAGES = 100;
  private static final int PAGE_SIZE = 1000;

  private final LazyPagesDriver driver = new LazyPagesDriver(PAGES, PAGE_SIZE);

  @Test
  void list_hundredThousandEntries_fetchesEachPageOnlyWhenReached() {
    AtomicLong consumed = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    try (Drive drive = Drive.of(driver); Stream<Entry> entries = drive.list("/big")) {
      entries.forEach(e -> {
        long n = consumed.incrementAndGet();
        long pagesNeeded = (n - 1) / PAGE_SIZE + 1; // the page holding entry n
        maxAhead.accumulateAndGet(driver.bigPagesServed.get() - pagesNeeded, Math::max);
        if (n % 25_000 == 0) assertEquals("/big/" + e.name(), e.path());
      });
    }
    assertEquals((long) PAGES * PAGE_SIZE, consumed.get());
    assertEquals(PAGES, driver.bigPagesServed.get(), "each page fetched once");
    assertEquals(0, maxAhead.get(), "never a page ahead of the consumer: one page held at a time");
  }

  @Test
  void list_closedAfterAFewEntries_fetchesNoFurtherPages() {
    try (Drive drive = Drive.of(driver)) {
      try (Stream<Entry> entries = drive.list("/big")) {
        assertEquals(1500, entries.limit(1500).count());
      }
      assertEquals(2, driver.bigPagesServed.get());
    }
  }

  @Test
  void list_firstPageFetchedEagerly_soErrorsSurfaceAtTheCall() {
    try (Drive drive = Drive.of(driver)) {
      Stream<Entry> entries = drive.list("/big");
      assertEquals(1, driver.bigPagesServed.get());
      entries.close();
    }
  }

  @Test
  void walk_largeTree_listsOnlyWhatIsConsumed() {
    try (Drive drive = Drive.of(driver); Stream<Entry> all = drive.walk("/")) {
      assertEquals(
          java.util.List.of("/", "/big", "/big/file-000000", "/big/file-000001"),
          all.limit(4).map(Entry::path).toList());
      assertEquals(1, driver.bigPagesServed.get());
    }
  }
}
