package io.github.pan4j.core.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The close rule of {@link Driver#close()} in one object, for driver authors:
 *
 * <pre>{@code
 * private final CloseGuard guard = new CloseGuard(ID);
 *
 * public Page list(String folderId, String cursor) {
 *   guard.ensureOpen("list");
 *   …
 * }
 *
 * public void close() {
 *   if (!guard.close()) return;   // second and later calls do nothing
 *   engine.close();               // the ApiClient: cancels calls in flight, refuses later ones
 *   …release what else this driver created…
 * }
 * }</pre>
 *
 * Thread-safe. The guard itself interrupts nothing: an operation already running when
 * {@code close()} is called is stopped by closing the driver's
 * {@link io.github.pan4j.core.spi.http.ApiClient}, whose next request then fails as cancelled.
 */
public final class CloseGuard {
  private final String driverId;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A guard for a driver with this provider id (used in the message). */
  public CloseGuard(String driverId) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
  }

  /** Marks the driver closed; true only for the first call, which should release resources. */
  public boolean close() {
    return closed.compareAndSet(false, true);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Throws if the driver is closed.
   *
   * @throws IllegalStateException naming the driver and the operation, e.g. "123open: cannot list:
   *     the driver is closed; open a new one"
   */
  public void ensureOpen(String operation) {
    if (closed.get()) {
      throw new IllegalStateException(driverId + ": cannot " + operation + ": the driver is closed; open a new one");
    }
  }

  @Override
  public String toString() {
    return "CloseGuard{" + driverId + (closed.get() ? ", closed" : ", open") + "}";
  }
}
