package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Page;
import io.github.pan4j.testkit.fake.FakeCloud.LoggedRequest;
import io.github.pan4j.testkit.fake.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class Open123RateLimitTest extends Open123Fixture {

  /** The most requests that started within any window of the given length. */
  static int peak(List<LoggedRequest> reqs, Duration window) {
    List<Instant> at = reqs.stream().map(LoggedRequest::at).sorted().toList();
    int best = 0;
    for (int i = 0, j = 0; i < at.size(); i++) {
      while (!at.get(j).plus(window).isAfter(at.get(i))) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  private int pages(Open123Driver d, String folder) {
    int n = 0;
    String cursor = null;
    do {
      Page p = d.list(folder, cursor);
      n += p.entries().size();
      cursor = p.nextCursor();
    } while (cursor != null);
    return n;
  }

  @Test
  void storm429_listCompletes_withinTheQpsBudget() {
    Node dir = store.mkdir(demo.uid(), 0, "big");
    for (int i = 0; i < 1000; i++) store.createFile(demo.uid(), dir.id(), "f" + i, store.putBlob(("b" + i).getBytes()));
    Open123Driver d = driver();
    d.stat("0");
    door.failNext("/api/v2/file/list", 6);
    assertEquals(1000, pages(d, Long.toString(dir.id())));
    List<LoggedRequest> lists = cloud.requests("open", "/api/v2/file/list");
    assertEquals(10 + 6, lists.size());
    assertTrue(peak(lists, Duration.ofSeconds(1)) <= 5, "free tier list QPS is 5: " + peak(lists, Duration.ofSeconds(1)));
  }

  @Test
  void vipAccount_isDetected_andPacedWithTheVipTable() {
    demo.vip(true);
    Open123Driver d = driver();
    d.stat("0");
    assertEquals(10.0, d.api().limiter().qps(Open123Limits.LIST));
    Open123Driver forced = driver("tier", "free", "qps", "api/v2/file/list=2");
    forced.stat("0");
    assertEquals(2.0, forced.api().limiter().qps(Open123Limits.LIST));
    // One account, one limiter: the override paces every mount of the account.
    assertSame(d.api().limiter(), forced.api().limiter());
    assertEquals(2.0, d.api().limiter().qps(Open123Limits.LIST));
  }
}
