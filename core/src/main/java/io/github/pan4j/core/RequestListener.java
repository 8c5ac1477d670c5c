package io.github.pan4j.core;

/**
 * Told about every HTTP request a 123 driver makes to its API (uploads' slices and parts too),
 * about every download of a file's content through its {@link Link} (endpoint
 * {@value RequestEvent#DOWNLOAD}, with the bytes received) and about every token renewal, so a host
 * can turn them into metrics (latency per endpoint, throttling, time spent waiting for the rate
 * limiter, download traffic, renewals) without reading logs. Set one on the context with
 * {@link io.github.pan4j.core.spi.DriverContext.Builder#requestListener}; it then hears from every
 * drive opened on that context.
 *
 * <p>One logical call of a driver (one list page, one upload slice) is made of one or more
 * requests: a throttled call is repeated, a call refused for an expired token is repeated once
 * after the renewal, an idempotent call that met a network failure is repeated. Each request
 * ends in one {@link RequestEvent}; the last event of a call has an outcome other than
 * {@link RequestEvent.Outcome#RETRYING}, so counting those counts calls. That holds however the
 * call ends: one ended by an exception that is not a {@link DriveException} (a driver's bug while
 * mapping the reply, a token source's own failure) ends in a {@link RequestEvent.Outcome#FAILED}
 * event of kind {@link ErrorKind#PROTOCOL}, and the exception reaches the caller unchanged.
 *
 * <p>Events carry plain values only: the endpoint's path without its query, never a token,
 * secret, signed URL or the path or name of a file.
 *
 * <p>Threads: methods are called on the thread that made the request (for a download, the one that
 * read its body to the end, met its failure or closed it: for {@link Drive#get} of a file of 4 MiB
 * or more, a reading thread of pan4j's own, not the caller's), which is any thread that uses a drive
 * (a parallel upload calls from several at once), so implementations must not rely on the caller's
 * thread-local state (a logging or tracing context), must be
 * thread-safe and should return quickly: the call waits for them. An exception thrown by a method
 * is caught and logged (at warn the first time, then at debug) and never breaks the call. Every
 * method has a no-op default.
 */
public interface RequestListener {
  /** A listener that ignores everything (the default). */
  RequestListener NONE = new RequestListener() {};

  /** A request ended: answered, failed, or given up before it was sent. */
  default void requestEnded(RequestEvent event) {}

  /**
   * A driver renewed its token or signed in, or tried to and failed. The requests the renewal
   * made are reported to {@link #requestEnded} too, before this event.
   */
  default void renewalEnded(TokenRenewalEvent event) {}
}
