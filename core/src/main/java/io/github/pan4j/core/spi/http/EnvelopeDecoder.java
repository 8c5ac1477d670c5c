package io.github.pan4j.core.spi.http;

/**
 * Reads a provider's reply envelope: returns the payload of a success, throws a typed
 * {@link io.github.pan4j.core.DriveException} for a failure (kind, retryable, provider code and
 * message, trace id; the engine adds driver, operation and target), or throws
 * {@link TokenRejected} when the server refused the token. One decoder per protocol; the mapping
 * of provider codes to {@link io.github.pan4j.core.ErrorKind}s lives in the driver's errors class.
 *
 * <p>HTTP 429 never reaches a decoder: the engine turns it into a retryable
 * {@link io.github.pan4j.core.ErrorKind#RATE_LIMITED} with the reply's {@code Retry-After}.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface EnvelopeDecoder<T> {
  T decode(ApiResponse response, ApiCall call);

  /** The reply itself, undecoded (presigned uploads, redirect probes). */
  static EnvelopeDecoder<ApiResponse> raw() {
    return (response, call) -> response;
  }
}
