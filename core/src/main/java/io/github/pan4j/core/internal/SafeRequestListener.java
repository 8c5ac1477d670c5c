package io.github.pan4j.core.internal;

import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TokenRenewalEvent;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps a host's {@link RequestListener} so that an exception it throws never reaches the call
 * that reported: the first is logged at warn with its stack trace, later ones at debug (a broken
 * listener would otherwise log once per request).
 */
public final class SafeRequestListener implements RequestListener {
  private final RequestListener delegate;
  private final AtomicBoolean warned = new AtomicBoolean();

  private SafeRequestListener(RequestListener delegate) {
    this.delegate = delegate;
  }

  /** {@code listener} made safe; {@link RequestListener#NONE} for null or NONE. */
  public static RequestListener wrap(RequestListener listener) {
    if (listener == null || listener == RequestListener.NONE) return RequestListener.NONE;
    if (listener instanceof SafeRequestListener) return listener;
    return new SafeRequestListener(listener);
  }

  @Override
  public void requestEnded(RequestEvent event) {
    try {
      delegate.requestEnded(event);
    } catch (RuntimeException e) {
      ignored("requestEnded", e);
    }
  }

  @Override
  public void renewalEnded(TokenRenewalEvent event) {
    try {
      delegate.renewalEnded(event);
    } catch (RuntimeException e) {
      ignored("renewalEnded", e);
    }
  }

  private void ignored(String method, RuntimeException e) {
    // Looked up lazily: SLF4J prints a banner on first use when no binding is present (JShell).
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SafeRequestListener.class);
    if (warned.compareAndSet(false, true)) {
      log.warn("request listener {}.{} threw; ignored (later failures are logged at debug)",
          delegate.getClass().getName(), method, e);
    } else {
      log.debug("request listener {}.{} threw; ignored", delegate.getClass().getName(), method, e);
    }
  }

  @Override
  public String toString() {
    return "SafeRequestListener{" + delegate.getClass().getName() + "}";
  }
}
