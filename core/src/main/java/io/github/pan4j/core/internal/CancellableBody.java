package io.github.pan4j.core.internal;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * A download body that another thread may abort: {@link #cancel()} is thread-safe (it cancels the
 * HTTP call, which closes the socket) and makes a read blocked on this stream fail promptly.
 * {@link Downloads} reads such bodies on a helper thread; it reads other streams on the caller's.
 */
public final class CancellableBody extends FilterInputStream {
  private final Runnable cancel;

  public CancellableBody(InputStream in, Runnable cancel) {
    super(Objects.requireNonNull(in, "in"));
    this.cancel = Objects.requireNonNull(cancel, "cancel");
  }

  /** Aborts the transfer from any thread; reads then fail. Closing is still the reader's job. */
  public void cancel() {
    cancel.run();
  }

  @Override
  public int read(byte[] b, int off, int len) throws java.io.IOException {
    return in.read(b, off, len); // FilterInputStream's default would do the same; kept explicit: no copy here
  }
}
