package io.github.pan4j.core.memory;

/**
 * Configuration of a {@link MemoryDriver}.
 *
 * @param pageSize entries per listed page, at least 1; small values exercise paging
 * @param quotaBytes space limit in bytes, or -1 for none
 * @param allowDuplicateNames when true, mkdir, rename, move and copy do not refuse a name that
 *     exists (as some providers allow twins); uploads still follow their conflict policy
 * @param emptyFiles whether 0-byte uploads are accepted (some providers refuse them)
 */
public record MemoryConfig(int pageSize, long quotaBytes, boolean allowDuplicateNames, boolean emptyFiles) {
  /**
   * The schema's defaults (stated once, in {@link MemoryDriverProvider}): page size 100, no quota,
   * unique names, empty files accepted.
   */
  public static final MemoryConfig DEFAULTS = MemoryDriverProvider.config(MemoryDriverProvider.SCHEMA.defaults());

  public MemoryConfig {
    if (pageSize < 1) throw new IllegalArgumentException("pageSize must be at least 1 but was " + pageSize);
    if (quotaBytes < -1) throw new IllegalArgumentException("quotaBytes must be -1 (none) or more but was " + quotaBytes);
  }

  public MemoryConfig withPageSize(int value) { return new MemoryConfig(value, quotaBytes, allowDuplicateNames, emptyFiles); }
  public MemoryConfig withQuotaBytes(long value) { return new MemoryConfig(pageSize, value, allowDuplicateNames, emptyFiles); }
  public MemoryConfig withAllowDuplicateNames(boolean value) { return new MemoryConfig(pageSize, quotaBytes, value, emptyFiles); }
  public MemoryConfig withEmptyFiles(boolean value) { return new MemoryConfig(pageSize, quotaBytes, allowDuplicateNames, value); }
}
