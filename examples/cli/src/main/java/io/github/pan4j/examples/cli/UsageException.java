package io.github.pan4j.examples.cli;

/** The command line itself is wrong: exit code 2, message and a hint on stderr. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
