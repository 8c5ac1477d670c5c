package io.github.pan4j.driver.open123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;

/**
 * 123 open platform codes and messages → {@link ErrorKind}. Sources: docs/protocol/123open.md §4
 * (codes 1, 401, 429, 5066, 5113, 20103 and the literal messages other clients match on).
 */
final class Open123Errors {
  static final int OK = 0;
  static final int BUSINESS = 1;
  static final int UNAUTHORIZED = 401;
  static final int TOO_FREQUENT = 429;
  static final int FILE_NOT_FOUND = 5066;
  static final int TRAFFIC_EXCEEDED = 5113;
  static final int VERIFYING = 20103;

  /** Forbidden in names (docs/protocol/123open.md §7.2). */
  static final String FORBIDDEN_CHARS = "\"\\/:*?|><";
  /**
   * Longest name accepted. docs/protocol/123open.md §7.2: the official create page says "under 256"
   * in its notes and "under 255" in its parameter table, so the real limit is UNKNOWN; we take the
   * stricter reading (at most 254), which the server accepts either way.
   */
  static final int MAX_NAME = 254;
  /** What to tell the user on 5113: the quota counts per day of China time and VIP has none. */
  static final String TRAFFIC_ADVICE = "today's self-use download traffic of a free account is used up; it comes back at"
      + " 00:00 China time (UTC+8); VIP has no such limit, and direct links spend separate traffic";

  private Open123Errors() {}

  /** The kind for a non-zero business code and its message. */
  static ErrorKind kindOf(int code, String message) {
    String m = message == null ? "" : message;
    return switch (code) {
      case UNAUTHORIZED -> ErrorKind.UNAUTHENTICATED;
      case TOO_FREQUENT -> ErrorKind.RATE_LIMITED;
      case FILE_NOT_FOUND -> ErrorKind.NOT_FOUND;
      case TRAFFIC_EXCEEDED -> ErrorKind.QUOTA_EXCEEDED;
      default -> {
        if (m.contains("同名") || m.contains("已存在") || m.contains("重名")) yield ErrorKind.ALREADY_EXISTS;
        if (m.startsWith("文件名要小于") || m.contains("文件名")) yield ErrorKind.INVALID_NAME;
        if (m.contains("自身") || m.contains("子文件夹")) yield ErrorKind.INVALID_ARGUMENT;
        if (m.contains("不存在")) yield ErrorKind.NOT_FOUND;
        if (m.contains("空间不足") || m.contains("容量")) yield ErrorKind.QUOTA_EXCEEDED;
        if (m.contains("上传失败")) yield ErrorKind.INTEGRITY;
        yield ErrorKind.PROVIDER_ERROR;
      }
    };
  }

  /** What to tell the user for a kind, appended to the operation. */
  static String advice(ErrorKind kind) {
    return switch (kind) {
      case UNAUTHENTICATED -> "the access token was rejected; check clientId/clientSecret or paste a new token";
      case RATE_LIMITED -> "123 says requests are too frequent; slow down or lower the qps option";
      case NOT_FOUND -> "no such file or folder (it may have been deleted or moved to the trash)";
      case QUOTA_EXCEEDED -> "the account's quota is used up (free accounts have a daily download traffic limit; VIP lifts it)";
      case ALREADY_EXISTS -> "an entry with that name already exists in the folder";
      case INVALID_NAME -> "123 refuses this name (at most " + MAX_NAME + " characters, none of \" \\ / : * ? | > <, not only spaces)";
      case INVALID_ARGUMENT -> "123 refused the request as invalid (a folder cannot be moved into itself or a descendant)";
      case INTEGRITY -> "the server could not verify the uploaded bytes against their MD5; retry the upload";
      default -> "123 refused the request";
    };
  }

  /** Refuses names 123 would refuse, before anything is sent. */
  static void checkName(String name, String operation, String target) {
    String why = null;
    if (name == null || name.isEmpty()) why = "the name is empty";
    else if (name.length() > MAX_NAME) why = "the name has " + name.length() + " characters; 123 accepts at most " + MAX_NAME;
    else if (name.isBlank()) why = "the name consists only of spaces";
    else if (name.equals(".") || name.equals("..")) why = "'" + name + "' names a path step, not an entry";
    else {
      for (char c : name.toCharArray()) {
        if (FORBIDDEN_CHARS.indexOf(c) >= 0) {
          why = "the name contains '" + c + "'; 123 refuses any of " + FORBIDDEN_CHARS;
          break;
        }
        if (c < 0x20) {
          why = "the name contains a control character";
          break;
        }
      }
    }
    if (why != null) {
      throw DriveException.builder(ErrorKind.INVALID_NAME, why + "; choose another name")
          .driver(Open123Provider.ID).operation(operation).target(target).build();
    }
  }

  /** Parses a numeric id, refusing anything else as NOT_FOUND (ids are decimal longs at 123). */
  static long id(String id, String operation) {
    try {
      long v = Long.parseLong(id);
      if (v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException | NullPointerException e) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "'" + id + "' is not a 123 file id (ids are decimal numbers)")
          .driver(Open123Provider.ID).operation(operation).target(id).build();
    }
  }
}
