package io.github.pan4j.core;

/** The driver does not offer the operation. Kind: {@code UNSUPPORTED}. */
public class UnsupportedException extends DriveException {
  private static final long serialVersionUID = 1L;

  UnsupportedException(Builder b) {
    super(b);
  }
}
