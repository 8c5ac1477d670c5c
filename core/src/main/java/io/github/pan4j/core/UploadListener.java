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
   * hashing pass reports as it reads, but the 123 drivers report {@code TRANSFERRING} once per
   * finished part (a 123open slice is 16 MiB unless 123 names another size, and a file sent in one
   * request reports once, at its end), so on a slow line a progress bar may stand still for a
   * while between calls; show the phase meanwhile.
   */
  default void progressed(UploadProgress progress) {}

  /** The upload finished and was verified. */
  default void completed(Entry entry) {}

  /** The upload failed; nothing was reported as success. */
  default void failed(DriveException error) {}
}
