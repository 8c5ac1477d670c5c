package io.github.pan4j.core;

/** The path or id does not exist. Kind: {@code NOT_FOUND}. */
public class NotFoundException extends DriveException {
  private static final long serialVersionUID = 1L;

  NotFoundException(Builder b) {
    super(b);
  }
}
