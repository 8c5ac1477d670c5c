package io.github.pan4j.core;

/** An entry with that name already exists. Kind: {@code ALREADY_EXISTS}. */
public class AlreadyExistsException extends DriveException {
  private static final long serialVersionUID = 1L;

  AlreadyExistsException(Builder b) {
    super(b);
  }
}
