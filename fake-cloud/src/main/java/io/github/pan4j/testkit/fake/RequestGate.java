package io.github.pan4j.testkit.fake;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds requests open at the fake, for tests of client concurrency and cancellation. Install it
 * with {@link Fault#hold}: {@code cloud.inject("upload", match, Fault.hold(gate::hold), Integer.MAX_VALUE)}.
 *
 * <ul>
 *   <li>{@link #untilInFlight(int) untilInFlight(n)}: every request waits until {@code n} are held
 *       at once, then all go on; {@link #peak()} tells how many were ever in flight together. A
 *       client that never runs {@code n} at once leaves them waiting until the timeout.
 *   <li>{@link #closed()}: every request waits until {@link #release()}; {@link #awaitArrived}
 *       lets the test act (cancel the client) while they are held.
 *   <li>{@link #interrupting(Thread) interrupting(caller)}: as {@code closed()}, and each request
 *       first interrupts {@code caller}, so that the client is cancelled while its request is in
 *       flight, whatever the client was doing just before.
 * </ul>
 *
 * <p>No request waits longer than {@link #MAX_HOLD}, so a failing test ends.
 */
public final class RequestGate {
  /** The longest any request is held. */
  public static final Duration MAX_HOLD = Duration.ofSeconds(30);

  private final int needed;
  private final Thread interrupt;
  private final CountDownLatch open = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicInteger arrived = new AtomicInteger();
  private final Object arrivals = new Object();

  private RequestGate(int needed, Thread interrupt) {
    this.needed = needed;
    this.interrupt = interrupt;
  }

  /** Opens once {@code n} requests are held at the same time. */
  public static RequestGate untilInFlight(int n) {
    if (n < 1) throw new IllegalArgumentException("n must be at least 1 but was " + n);
    return new RequestGate(n, null);
  }

  /** Holds every request until {@link #release()}. */
  public static RequestGate closed() {
    return new RequestGate(0, null);
  }

  /**
   * Holds every request until {@link #release()}, after interrupting {@code caller} (a test's own
   * thread, typically): the client is cancelled while its request is held, and the answer comes
   * only once the test, having seen the client give up, releases the gate.
   */
  public static RequestGate interrupting(Thread caller) {
    return new RequestGate(0, java.util.Objects.requireNonNull(caller, "caller"));
  }

  /** The hook for {@link Fault#hold}: counts the request and waits for the gate. */
  public void hold() {
    int now = inFlight.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    synchronized (arrivals) {
      arrived.incrementAndGet();
      arrivals.notifyAll();
    }
    if (needed > 0 && now >= needed) open.countDown();
    if (interrupt != null) interrupt.interrupt();
    try {
      open.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Lets every held and future request through. */
  public void release() {
    open.countDown();
  }

  /** Waits until at least {@code n} requests have arrived; false on timeout. */
  public boolean awaitArrived(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrivals) {
      while (arrived.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(arrivals, left);
      }
      return true;
    }
  }

  /** The most requests held at the same time. */
  public int peak() { return peak.get(); }

  /** Requests that reached the gate so far. */
  public int arrived() { return arrived.get(); }

  @Override
  public String toString() {
    return "RequestGate{arrived=" + arrived + ", peak=" + peak + "}";
  }
}
