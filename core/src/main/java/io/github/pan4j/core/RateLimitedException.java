package io.github.pan4j.core;

/** The provider throttled the call; see retryAfter(). Kind: {@code RATE_LIMITED}. */
public class RateLimitedException extends DriveException {
  private static final long serialVersionUID = 1L;

  RateLimitedException(Builder b) {
    super(b);
  }
}
