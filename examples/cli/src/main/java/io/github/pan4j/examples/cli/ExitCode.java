package io.github.pan4j.examples.cli;

import io.github.pan4j.core.ErrorKind;

/** Exit codes scripts can rely on; documented in docs/cli.md. */
final class ExitCode {
  static final int OK = 0;
  static final int OTHER = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int ALREADY_EXISTS = 4;
  static final int AUTH = 5;
  static final int RATE_LIMITED_OR_QUOTA = 6;
  static final int UNSUPPORTED = 7;
  static final int INTERRUPTED = 130;

  private ExitCode() {}

  static int of(ErrorKind kind) {
    return switch (kind) {
      case NOT_FOUND -> NOT_FOUND;
      case ALREADY_EXISTS -> ALREADY_EXISTS;
      case UNAUTHENTICATED, VERIFICATION_REQUIRED, DEVICE_LIMIT, PASSWORD_REQUIRED, PERMISSION_DENIED -> AUTH;
      case RATE_LIMITED, QUOTA_EXCEEDED -> RATE_LIMITED_OR_QUOTA;
      case UNSUPPORTED -> UNSUPPORTED;
      case CONFIG_INVALID, INVALID_ARGUMENT, INVALID_NAME -> USAGE;
      case CANCELLED -> INTERRUPTED;
      default -> OTHER;
    };
  }
}
