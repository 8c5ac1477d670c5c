package io.github.pan4j.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One HTTP request of a driver's API call, or one download of a file's content through its
 * {@link Link}, as told to a {@link RequestListener}.
 *
 * <p>A download ({@link Drive#get}, {@link Link#open()}, {@link Link#open(long, long)}: whole or a
 * range) is one request with operation and endpoint {@value #DOWNLOAD}, method {@code GET} and
 * attempt 1, never the link's URL, host or path (they hold the user's id, the file and a signature,
 * and the host varies by region). Its event is told when the body ends: read to its end or closed
 * by the reader ({@link Outcome#OK}), broken off ({@link ErrorKind#NETWORK}) or aborted
 * ({@link ErrorKind#CANCELLED}), or at once when the server refused it (EXPIRED for 403, NOT_FOUND
 * for 404, …); {@link #bytes()} counts the body bytes received, and {@link #duration()} runs from
 * sending the request to that end, the reader's own pace included. A range that starts past the
 * file's end is answered 416 and read as empty content: its event is OK with status 416 and no
 * bytes. A download still in flight when its driver is closed (its body neither read to the end
 * nor closed) is cancelled by the close and has its event then, {@link ErrorKind#CANCELLED}, with
 * the bytes received so far; until then, a body its reader leaves unread and open has no event.
 * Either way a download has exactly one event.
 *
 * @param driverId the driver that made it ({@code 123open}, {@code 123pan}, …)
 * @param operation what the driver was doing ({@code list}, {@code upload}, {@code token}, …)
 * @param method the HTTP method
 * @param endpoint the path of the API endpoint, without query ({@code /api/v2/file/list}); for a
 *     request to a URL the server handed out (a presigned upload part, a download redirect), only
 *     its scheme and host, since the path of such URLs holds ids and signatures
 * @param attempt 1 for the first request of the call, 2 for its first repeat, and so on
 * @param status the HTTP status of the reply; empty when none arrived (a network failure, or the
 *     call ended before this request was sent)
 * @param providerCode the provider's error code when the request failed with one (123 answers
 *     errors with HTTP 200 and a code in the body)
 * @param outcome whether the request succeeded, failed and is repeated, or ended the call failed
 * @param error what went wrong; empty when the outcome is {@link Outcome#OK}
 * @param duration from sending the request to having read and decoded the reply (or the failure),
 *     on the context's clock; not counting {@code rateLimitWait}
 * @param rateLimitWait how long the request waited for its turn at the rate limiter before it was
 *     sent (after a 429 this includes the server's {@code Retry-After}, which the limiter applies)
 * @param throttled whether the server throttled the request (HTTP 429 or 123's "too frequent")
 * @param retryAfter the pause the server asked for with a throttled request ({@code Retry-After});
 *     the engine honours it up to the context's {@code retryAfterCap}
 * @param traceId the provider's trace id ({@code x-traceID}) when the reply had one
 * @param bytes for a download, the body bytes received (a range's, or those skipped to reach it
 *     when the server ignored the range); empty for an API call
 */
public record RequestEvent(String driverId, String operation, String method, String endpoint, int attempt,
    OptionalInt status, Optional<String> providerCode, Outcome outcome, Optional<ErrorKind> error, Duration duration,
    Duration rateLimitWait, boolean throttled, Optional<Duration> retryAfter, Optional<String> traceId,
    OptionalLong bytes) {

  /** The operation and endpoint of a download of a file's content through its {@link Link}. */
  public static final String DOWNLOAD = "download";

  /** How a request ended. */
  public enum Outcome {
    /** The request succeeded, and with it the call. */
    OK,
    /** The request failed and the call is repeated (after a back-off, a renewal or the server's pause). */
    RETRYING,
    /** The request failed and with it the call. */
    FAILED
  }

  public RequestEvent {
    Objects.requireNonNull(driverId, "driverId");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(providerCode, "providerCode");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(rateLimitWait, "rateLimitWait");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(bytes, "bytes");
    if (attempt < 1) throw new IllegalArgumentException("attempt must be at least 1 but was " + attempt);
    if (outcome == Outcome.OK ? error.isPresent() : error.isEmpty()) {
      throw new IllegalArgumentException("an error goes with a failed outcome, and only with one");
    }
  }

  /** An event of an API request, which counts no bytes: the record as it was before {@code bytes}. */
  public RequestEvent(String driverId, String operation, String method, String endpoint, int attempt,
      OptionalInt status, Optional<String> providerCode, Outcome outcome, Optional<ErrorKind> error, Duration duration,
      Duration rateLimitWait, boolean throttled, Optional<Duration> retryAfter, Optional<String> traceId) {
    this(driverId, operation, method, endpoint, attempt, status, providerCode, outcome, error, duration, rateLimitWait,
        throttled, retryAfter, traceId, OptionalLong.empty());
  }

  /** Whether the request failed (its outcome is not {@link Outcome#OK}). */
  public boolean failed() {
    return outcome != Outcome.OK;
  }

  /**
   * One line for logs, for example {@code 123open list GET /api/v2/file/list #2 200 OK 35 ms (waited 120 ms)}
   * or {@code 123open download GET download #1 206 OK 1048576 bytes 80 ms}.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder().append(driverId).append(' ').append(operation).append(' ').append(method)
        .append(' ').append(endpoint).append(" #").append(attempt).append(' ')
        .append(status.isPresent() ? String.valueOf(status.getAsInt()) : "-").append(' ').append(outcome);
    error.ifPresent(k -> s.append(' ').append(k));
    providerCode.ifPresent(c -> s.append(" code=").append(c));
    bytes.ifPresent(n -> s.append(' ').append(n).append(" bytes"));
    s.append(' ').append(duration.toMillis()).append(" ms");
    if (!rateLimitWait.isZero()) s.append(" (waited ").append(rateLimitWait.toMillis()).append(" ms)");
    if (throttled) s.append(" throttled");
    retryAfter.ifPresent(d -> s.append(" retry-after=").append(d.toSeconds()).append('s'));
    traceId.ifPresent(t -> s.append(" trace=").append(t));
    return s.toString();
  }
}
