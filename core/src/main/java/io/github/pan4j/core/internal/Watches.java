package io.github.pan4j.core.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread that watches downloads: whether a reader's caller was interrupted, whether
 * a host sent its response head within the call deadline. Its tasks are tiny and only schedule a
 * cancel, so one daemon thread serves every drive; a cancelled task leaves the queue at once, and
 * the thread ends when nothing has been queued for a while. Not public API.
 */
public final class Watches {
  private Watches() {}

  private static final ScheduledThreadPoolExecutor SHARED = create();

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "pan4j-watch");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true); // a finished download leaves nothing queued
    e.setKeepAliveTime(10, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true); // no thread left behind once downloads stop
    return e;
  }

  /** The shared timer. */
  public static ScheduledExecutorService shared() {
    return SHARED;
  }
}
