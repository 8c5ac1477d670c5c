package io.github.pan4j.core.internal;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadProgress;

/**
 * Wraps a caller's listener so that an exception it throws is logged and ignored, as
 * {@link UploadListener} promises.
 */
public final class SafeListener implements UploadListener {
  private final UploadListener delegate;

  private SafeListener(UploadListener delegate) {
    this.delegate = delegate;
  }

  public static UploadListener wrap(UploadListener listener) {
    if (listener == null || listener == UploadListener.NONE) return UploadListener.NONE;
    if (listener instanceof SafeListener) return listener;
    return new SafeListener(listener);
  }

  @Override
  public void phase(UploadProgress progress) {
    try {
      delegate.phase(progress);
    } catch (RuntimeException e) {
      ignored("phase", e);
    }
  }

  @Override
  public void progressed(UploadProgress progress) {
    try {
      delegate.progressed(progress);
    } catch (RuntimeException e) {
      ignored("progressed", e);
    }
  }

  @Override
  public void completed(Entry entry) {
    try {
      delegate.completed(entry);
    } catch (RuntimeException e) {
      ignored("completed", e);
    }
  }

  @Override
  public void failed(DriveException error) {
    try {
      delegate.failed(error);
    } catch (RuntimeException e) {
      ignored("failed", e);
    }
  }

  private void ignored(String method, RuntimeException e) {
    // Looked up lazily: SLF4J prints a banner on first use when no binding is present (JShell).
    org.slf4j.LoggerFactory.getLogger(SafeListener.class)
        .warn("listener {}.{} threw; ignored", delegate.getClass().getName(), method, e);
  }
}
