package io.github.pan4j.core;

/**
 * A snapshot of an upload's progress.
 *
 * @param phase the current stage
 * @param bytesDone bytes processed in this stage
 * @param totalBytes bytes this stage will process, or -1 when unknown
 * @param instant true once the provider accepted the file by hash without receiving its bytes
 */
public record UploadProgress(UploadPhase phase, long bytesDone, long totalBytes, boolean instant) {
  /** Fraction done in this stage, 0..1, or -1 when the total is unknown. */
  public double fraction() {
    return totalBytes <= 0 ? (totalBytes == 0 ? 1.0 : -1) : Math.min(1.0, (double) bytesDone / totalBytes);
  }
}
