package io.github.pan4j.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restore from the trash did, per id.
 *
 * @param restored ids back in their original folder (including ids that were not in the trash any
 *     more, so a repeated restore reports the same)
 * @param relocated ids whose original folder is gone, restored into the fallback folder instead
 * @param notRestored ids left in the trash, each with the reason (typically: the original folder is
 *     gone and no fallback folder was given)
 */
public record RestoreResult(List<String> restored, List<String> relocated, Map<String, String> notRestored) {
  public RestoreResult {
    restored = List.copyOf(restored);
    relocated = List.copyOf(relocated);
    notRestored = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notRestored));
  }

  /** True when every id came back (in place or into the fallback folder). */
  public boolean complete() { return notRestored.isEmpty(); }

  @Override
  public String toString() {
    return "RestoreResult{restored=" + restored + ", relocated=" + relocated + ", notRestored=" + notRestored.keySet() + "}";
  }
}
