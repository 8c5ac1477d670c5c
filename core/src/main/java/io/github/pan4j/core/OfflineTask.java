package io.github.pan4j.core;

import java.util.Objects;

/**
 * An offline download: the provider fetches a URL into a folder of the drive by itself. A
 * snapshot; ask the drive again for news ({@link Drive#offlineTask(String)}).
 *
 * @param id the provider's task id
 * @param url the URL being fetched, or null when the provider does not report it (123open's
 *     status call does not; the driver fills in the URL of tasks it added itself)
 * @param state where the task stands
 * @param percent progress from 0 to 100 (the provider resets it to 0 on failure)
 * @param name the name of the resulting file where known, else null
 * @param fileId the id of the resulting file where the provider reports it, else null
 * @param failReason the provider's reason for {@link OfflineState#FAILED} where it gives one, else null
 */
public record OfflineTask(String id, String url, OfflineState state, double percent, String name, String fileId,
    String failReason) {
  public OfflineTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    if (Double.isNaN(percent)) percent = 0;
    percent = Math.max(0, Math.min(100, percent));
  }

  /** True when the task will not change any more (failed or succeeded). */
  public boolean finished() {
    return state.finished();
  }

  /** One line for logs: id, state and percent; never the URL, whose query may hold a credential. */
  @Override
  public String toString() {
    return "OfflineTask{" + id + ", " + state + ", " + String.format(java.util.Locale.ROOT, "%.1f%%", percent)
        + (name == null ? "" : ", " + name) + (failReason == null ? "" : ", failed: " + failReason) + "}";
  }
}
