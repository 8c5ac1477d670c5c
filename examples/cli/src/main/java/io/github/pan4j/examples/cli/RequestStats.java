package io.github.pan4j.examples.cli;

import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TokenRenewalEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --stats}: counts the API requests and downloads of one command per endpoint, from the drive's
 * {@link RequestListener}, and prints them as a table on stderr when the command ends. Events
 * come from every thread that used the drive (parallel uploads), hence the per-row locks.
 */
final class RequestStats implements RequestListener {
  private final Map<String, Row> rows = new ConcurrentHashMap<>();
  private final AtomicInteger renewals = new AtomicInteger();
  private final AtomicInteger failedRenewals = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong downloaded = new java.util.concurrent.atomic.AtomicLong();

  /** One endpoint's figures; guarded by itself. */
  private static final class Row {
    int calls;
    int requests;
    int failed;
    int throttled;
    Duration waited = Duration.ZERO;
    final List<Duration> latencies = new ArrayList<>();
  }

  @Override
  public void requestEnded(RequestEvent e) {
    e.bytes().ifPresent(downloaded::addAndGet);
    Row r = rows.computeIfAbsent(e.endpoint(), k -> new Row());
    synchronized (r) {
      r.requests++;
      if (e.outcome() != RequestEvent.Outcome.RETRYING) r.calls++;
      if (e.outcome() == RequestEvent.Outcome.FAILED) r.failed++;
      if (e.throttled()) r.throttled++;
      r.waited = r.waited.plus(e.rateLimitWait());
      // Only requests that got an answer: one never sent has no latency.
      if (e.status().isPresent()) r.latencies.add(e.duration());
    }
  }

  @Override
  public void renewalEnded(TokenRenewalEvent e) {
    renewals.incrementAndGet();
    if (!e.succeeded()) failedRenewals.incrementAndGet();
  }

  /**
   * The table: one line per endpoint, sorted by endpoint (downloads of files' content under
   * {@value RequestEvent#DOWNLOAD}), then the bytes downloaded when there were downloads, then the
   * token renewals.
   */
  void print(PrintStream err) {
    Map<String, Row> sorted = new TreeMap<>(rows);
    if (sorted.isEmpty()) {
      err.println("stats: no API requests (this driver makes none, or the command needed none)");
    } else {
      int width = Math.max("endpoint".length(), sorted.keySet().stream().mapToInt(String::length).max().orElse(0));
      String format = "%-" + width + "s %6s %8s %6s %5s %9s %8s %8s%n";
      err.printf(Locale.ROOT, format, "endpoint", "calls", "requests", "failed", "429s", "waited", "p50", "max");
      sorted.forEach((endpoint, r) -> {
        synchronized (r) {
          List<Duration> l = new ArrayList<>(r.latencies);
          Collections.sort(l);
          err.printf(Locale.ROOT, format, endpoint, r.calls, r.requests, r.failed, r.throttled, ms(r.waited),
              l.isEmpty() ? "-" : ms(l.get((l.size() - 1) / 2)), l.isEmpty() ? "-" : ms(l.get(l.size() - 1)));
        }
      });
    }
    if (rows.containsKey(RequestEvent.DOWNLOAD)) err.println("downloaded: " + downloaded.get() + " bytes");
    err.println("token renewals: " + renewals.get() + (failedRenewals.get() > 0 ? " (" + failedRenewals.get() + " failed)" : ""));
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }
}
