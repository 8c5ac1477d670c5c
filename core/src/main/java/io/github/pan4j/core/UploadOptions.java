package io.github.pan4j.core;

import java.util.Objects;

/**
 * How an upload behaves.
 *
 * @param conflict what to do when the name exists
 * @param listener progress receiver
 */
public record UploadOptions(ConflictPolicy conflict, UploadListener listener) {
  public static final UploadOptions DEFAULT = new UploadOptions(ConflictPolicy.FAIL, UploadListener.NONE);

  public UploadOptions {
    Objects.requireNonNull(conflict, "conflict");
    listener = listener == null ? UploadListener.NONE : listener;
  }

  public static UploadOptions of(ConflictPolicy conflict) { return new UploadOptions(conflict, UploadListener.NONE); }

  public UploadOptions withListener(UploadListener listener) { return new UploadOptions(conflict, listener); }
  public UploadOptions withConflict(ConflictPolicy conflict) { return new UploadOptions(conflict, listener); }
}
