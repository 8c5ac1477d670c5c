package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.driver.common123.internal.Outcomes;

/**
 * The error for a write 123 refused because the account's space is full (a text of 空间不足 or
 * 容量: an upload's create, single/create or sha1_reuse, a file copy, an async copy). One wording
 * for all of them, so a caller reads the same sentence whichever write ran out of room.
 */
final class Open123SpaceFull {
  private Open123SpaceFull() {}

  /**
   * For a refusal {@link Outcomes#spaceFull(DriveException)} recognises: says how full the account is from a fresh user/info (asked once: when it fails or is
   * rate-limited, the error comes at once without the figures), keeping 123's code, text and trace
   * id. Nothing was written; not retried.
   *
   * @param operation {@code upload} or {@code copy}: names the operation and the step to take again
   * @param what what needed the room, e.g. {@code this file} or {@code the copy}
   * @param size the bytes it needs, or -1 when the driver does not know them (a folder's copy)
   */
  static DriveException error(Open123Api api, DriveException refused, String operation, String target, String what,
      long size) {
    return error(api, refused, operation, target, what, size,
        operation.equals("copy") ? "Nothing was copied" : "Nothing was stored");
  }

  /** As above, ending with {@code result}: what was (or was not) written before the refusal. */
  static DriveException error(Open123Api api, DriveException refused, String operation, String target, String what,
      long size, String result) {
    long used = -1;
    long total = 0;
    try {
      JsonNode info = api.freshAccountOnce(); // once: a rate-limited look gives no figures rather than a wait
      used = info.path("spaceUsed").asLong(-1);
      total = info.path("spacePermanent").asLong(0) + info.path("spaceTemp").asLong(0);
    } catch (DriveException e) {
      // The figures are a courtesy; the refusal stands without them.
    }
    return Outcomes.spaceFull(Open123Provider.ID, refused, operation, target, used, total,
        size >= 0 ? what + " needs " + size : null, operation + " again. " + result);
  }
}
