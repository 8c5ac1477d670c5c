package io.github.pan4j.core;

/** Where an offline download task stands. */
public enum OfflineState {
  /** Accepted, not started yet (123pan's "waiting"). */
  WAITING,
  /** The provider is fetching the URL. */
  IN_PROGRESS,
  /** A fetch failed and the provider is trying again. */
  RETRYING,
  /** Given up; {@link OfflineTask#failReason()} says why where the provider tells. */
  FAILED,
  /** The file is in the target folder. */
  SUCCEEDED;

  /** True for {@link #FAILED} and {@link #SUCCEEDED}: the task will not change any more. */
  public boolean finished() {
    return this == FAILED || this == SUCCEEDED;
  }
}
