package io.github.pan4j.core;

/** Sign-in failed: credentials rejected, a human check required, or too many devices. Kind: {@code UNAUTHENTICATED, VERIFICATION_REQUIRED or DEVICE_LIMIT}. */
public class AuthenticationException extends DriveException {
  private static final long serialVersionUID = 1L;

  AuthenticationException(Builder b) {
    super(b);
  }
}
