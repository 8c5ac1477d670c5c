package io.github.pan4j.examples.cli;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr for get and put: phase, bar, percent, bytes, rate and ETA,
 * redrawn at most ten times a second and ended with a line break. When {@code enabled} is false
 * (not a terminal, or --quiet) nothing is drawn, but whether the upload was instant is still
 * recorded so the command can say so.
 */
final class Progress implements UploadListener {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 24;

  private final String label;
  private final StatusLine line;
  private final LongSupplier nanoTime;
  private volatile boolean instant;
  private UploadPhase phase;
  private long phaseStart;
  private long lastDraw = Long.MIN_VALUE;

  Progress(PrintStream err, String label, boolean enabled, LongSupplier nanoTime) {
    this.label = label;
    this.line = new StatusLine(err, enabled);
    this.nanoTime = nanoTime;
  }

  /** True once the provider took the file by its hash without receiving the bytes. */
  boolean instant() {
    return instant;
  }

  @Override
  public synchronized void phase(UploadProgress p) {
    if (p.instant()) instant = true;
    if (p.phase() != phase) {
      phase = p.phase();
      phaseStart = nanoTime.getAsLong();
      draw(p, true);
    }
  }

  @Override
  public synchronized void progressed(UploadProgress p) {
    if (p.instant()) instant = true;
    if (p.phase() != phase) phase(p);
    else draw(p, false);
  }

  @Override
  public synchronized void completed(Entry entry) {
    finish();
  }

  @Override
  public synchronized void failed(DriveException error) {
    finish();
  }

  /** Ends the line if a bar was drawn (also called by commands that count bytes themselves). */
  synchronized void finish() {
    line.end();
  }

  private void draw(UploadProgress p, boolean force) {
    if (!line.enabled()) return;
    long now = nanoTime.getAsLong();
    if (!force && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS && p.bytesDone() < p.totalBytes()) return;
    lastDraw = now;
    line.show(render(p, now));
  }

  /**
   * The bar text for {@code p} at time {@code now}; package-private for tests. Only phases that move
   * bytes (hashing, transferring) show a bar, percent, rate and ETA; the others (preparing,
   * completing, verifying) show their name and the file size, since their byte counts mean nothing.
   */
  String render(UploadProgress p, long now) {
    String phaseName = p.phase().name().toLowerCase(Locale.ROOT);
    if (p.instant()) phaseName = "instant";
    StringBuilder s = new StringBuilder(label).append(' ').append(String.format(Locale.ROOT, "%-12s", phaseName)).append(' ');
    boolean movesBytes = !p.instant() && (p.phase() == UploadPhase.TRANSFERRING || p.phase() == UploadPhase.HASHING);
    if (!movesBytes) {
      if (p.totalBytes() >= 0) s.append(' ').append(Format.bytes(p.totalBytes()));
      return s.toString();
    }
    double f = p.fraction();
    if (f >= 0) {
      int full = (int) Math.round(f * WIDTH);
      s.append('[').append("#".repeat(full)).append(".".repeat(WIDTH - full)).append(']');
      s.append(String.format(Locale.ROOT, " %3d%%", Math.round(f * 100)));
    }
    s.append("  ").append(Format.bytes(p.bytesDone()));
    if (p.totalBytes() >= 0) s.append('/').append(Format.bytes(p.totalBytes()));
    double seconds = (now - phaseStart) / 1e9;
    if (seconds > 0.05 && p.bytesDone() > 0) {
      double rate = p.bytesDone() / seconds;
      s.append("  ").append(Format.bytes((long) rate)).append("/s");
      if (p.totalBytes() > 0 && p.bytesDone() < p.totalBytes()) {
        s.append("  ETA ").append(Format.duration((long) Math.ceil((p.totalBytes() - p.bytesDone()) / rate)));
      }
    }
    return s.toString();
  }
}
