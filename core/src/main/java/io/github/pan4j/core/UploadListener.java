package io.github.pan4j.core;

/**
 * Receives progress of one upload (or download, for {@link Drive#get}).
 *
 * <p>Rules: methods must return quickly and must not throw (an exception is logged and ignored);
 * they may be called from several threads, but never concurrently for the same upload's
 * {@code completed}/{@code failed}. Every method has a no-op default.
 *
 * <p>Exactly one of {@code completed} and {@code failed} is called per upload, by the
 * {@link Drive} facade; drivers report only phases and progress (see
 * {@link io.github.pan4j.core.spi.Driver.Upload}).
 */
public interface UploadListener {
  /** A listener that ignores everything. */
  UploadListener NONE = new UploadListener() {};

  /** The upload entered a new phase. */
  default void phase(UploadProgress progress) {}

  /**
   * More bytes were processed in the current phase. How often depends on the driver and phase: the
   * hashing pass reports as it reads. During {@code TRANSFERRING}, the 123 drivers' multipart
   * uploads (123open slices, 123pan parts in either mode) report the bytes written to the
   * connection so far, summed over the parts sent in parallel: when the figure moved at least
   * 1 MiB and at least 100 ms passed since the last call (by the driver's clock), and once more
   * with the size when every part is sent. So at most about ten calls a second, however fast the
   * line, and a call for each MiB on a slow one; the call may come from an HTTP client thread.
   *
   * <p>The figure only grows and never passes {@code totalBytes}. A part that fails and is sent
   * again counts from its start again, but its share holds still until the new attempt passes the
   * point where the failed one stopped, so the bar pauses instead of stepping back. A file that 123
   * Open takes in one request ({@code single/create}, up to 1 MiB by default) reports once, at its
   * end; the in-memory driver reports every 64 KiB.
   */
  default void progressed(UploadProgress progress) {}

  /** The upload finished and was verified. */
  default void completed(Entry entry) {}

  /** The upload failed; nothing was reported as success. */
  default void failed(DriveException error) {}
}
