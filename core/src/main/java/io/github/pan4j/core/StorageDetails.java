package io.github.pan4j.core;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Space and plan of the account behind a driver.
 *
 * @param totalBytes total space, or -1 when unknown
 * @param usedBytes used space, or -1 when unknown
 * @param vip whether the account has a paid plan
 * @param plan provider's label for the plan (e.g. {@code VIP}), or null
 * @param extras further provider figures, such as remaining direct-link traffic
 */
public record StorageDetails(long totalBytes, long usedBytes, boolean vip, String plan, Map<String, String> extras) {
  public StorageDetails {
    extras = extras == null ? Map.of() : Map.copyOf(extras);
  }

  public OptionalLong freeBytes() {
    return totalBytes < 0 || usedBytes < 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(0, totalBytes - usedBytes));
  }
}
