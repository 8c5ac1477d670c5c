/**
 * The driver author's HTTP toolkit: what a driver for a web API builds on instead of writing its
 * own request loop.
 *
 * <ul>
 *   <li>{@link io.github.pan4j.core.spi.http.ApiClient} runs one {@link io.github.pan4j.core.spi.http.ApiCall}
 *       and owns everything around it: the account's {@link io.github.pan4j.core.http.RateLimiter},
 *       the token (sent, renewed once when the server rejects it, the call repeated once), bounded
 *       retries through {@link io.github.pan4j.core.http.RetryPolicy} (idempotency-aware; a
 *       throttled call is repeatable because nothing happened; {@code Retry-After} honoured up to a
 *       cap), an overall deadline per call, thread interrupt as
 *       {@link io.github.pan4j.core.ErrorKind#CANCELLED}, and the error context (driver, operation,
 *       target, provider code and message, trace id) filled in once.
 *   <li>{@link io.github.pan4j.core.spi.http.EnvelopeDecoder} is the one piece a driver writes per
 *       protocol: it reads the provider's reply envelope and returns the data, or throws a typed
 *       {@link io.github.pan4j.core.DriveException} (or {@link io.github.pan4j.core.spi.http.TokenRejected}
 *       to ask for one token renewal).
 *   <li>{@link io.github.pan4j.core.spi.http.PartUploader} sends the parts of a multipart upload
 *       with exactly the configured number of concurrent workers, bounded retries per part,
 *       progress that never goes backwards, and cancellation that stops and waits for every worker.
 * </ul>
 *
 * <p>No type of this package exposes OkHttp or Jackson: calls, bodies and replies are plain Java
 * values, so drivers are free to parse replies with whatever they like (the 123 drivers use
 * Jackson internally).
 */
package io.github.pan4j.core.spi.http;
