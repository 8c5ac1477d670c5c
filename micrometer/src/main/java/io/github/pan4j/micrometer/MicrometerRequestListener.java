package io.github.pan4j.micrometer;

import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TokenRenewalEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the {@link RequestEvent}s and {@link TokenRenewalEvent}s of pan4j's drivers into
 * Micrometer meters in the given registry. Set it on the context whose drives should be measured:
 *
 * <pre>{@code
 * DriverContext context = DriverContext.builder()
 *     .requestListener(new MicrometerRequestListener(registry))
 *     .build();
 * }</pre>
 *
 * <p>Meters (names in Micrometer's dotted form; a Prometheus registry shows {@code pan4j.requests}
 * as {@code pan4j_requests_seconds_count}, {@code _sum} and {@code _max}):
 *
 * <ul>
 *   <li>{@value #REQUESTS}, a timer of every HTTP request (repeats included), tagged
 *       {@code driver}, {@code endpoint}, {@code method}, {@code status}, {@code outcome} and
 *       {@code error}; it records the request's {@link RequestEvent#duration() duration}.
 *   <li>{@value #RATE_LIMIT_WAIT}, a timer of the time each request waited for the rate limiter
 *       before it was sent (zero included), tagged {@code driver} and {@code endpoint}.
 *   <li>{@value #THROTTLED}, a counter of requests the server throttled (HTTP 429 or 123's "too
 *       frequent"), tagged {@code driver} and {@code endpoint}.
 *   <li>{@value #RENEWALS}, a timer of token renewals and sign-ins, tagged {@code driver},
 *       {@code trigger}, {@code outcome} and {@code error}.
 *   <li>{@value #DOWNLOAD_BYTES}, a counter of the bytes of files' content received through their
 *       links, tagged {@code driver} and {@code outcome}. The downloads themselves are in
 *       {@value #REQUESTS} under {@code endpoint="download"} (never the link's host or path), timed
 *       from sending to the body's end; they are not paced, so they add nothing to
 *       {@value #RATE_LIMIT_WAIT}.
 * </ul>
 *
 * <p>Tag values come from short fixed sets: the driver's id, the endpoint's path without query (for
 * a URL the server handed out, only its scheme and host; {@code download} for every download of a
 * file's content), the HTTP method, the status code or
 * {@code none} when no reply arrived, the outcome ({@code OK}, {@code RETRYING}, {@code FAILED}),
 * the {@link io.github.pan4j.core.ErrorKind} or {@code none}. Trace ids, file paths, names and
 * provider messages are never tags: each would make a new time series per request or per file. As
 * a guard against a driver that puts ids into its endpoint paths, at most {@value #MAX_ENDPOINTS}
 * distinct endpoints get their own tag value; later ones are counted under {@value #OTHER} (and
 * logged once).
 *
 * <p>Thread-safe; the registry's meters are looked up per event, which is a hash-map lookup once a
 * meter exists.
 */
public final class MicrometerRequestListener implements RequestListener {
  /** Timer of the HTTP requests. */
  public static final String REQUESTS = "pan4j.requests";
  /** Timer of the time requests waited for the rate limiter. */
  public static final String RATE_LIMIT_WAIT = "pan4j.rate.limit.wait";
  /** Counter of throttled requests. */
  public static final String THROTTLED = "pan4j.requests.throttled";
  /** Timer of token renewals and sign-ins. */
  public static final String RENEWALS = "pan4j.token.renewals";
  /** Counter of the bytes downloaded through links (base unit bytes). */
  public static final String DOWNLOAD_BYTES = "pan4j.download.bytes";
  /** How many distinct endpoint tag values this listener makes at most. */
  public static final int MAX_ENDPOINTS = 200;
  /** The endpoint tag value of requests past {@link #MAX_ENDPOINTS}. */
  public static final String OTHER = "OTHER";
  /** The tag value for "no status" (no reply arrived) and "no error". */
  static final String NONE = "none";

  private static final Logger LOG = LoggerFactory.getLogger(MicrometerRequestListener.class);

  private final Meter.MeterProvider<Timer> requests;
  private final Meter.MeterProvider<Timer> waits;
  private final Meter.MeterProvider<Counter> throttled;
  private final Meter.MeterProvider<Timer> renewals;
  private final Meter.MeterProvider<Counter> downloaded;
  private final Set<String> endpoints = ConcurrentHashMap.newKeySet();
  private volatile boolean warnedOther;

  /** Records into {@code registry} (for example a {@code PrometheusMeterRegistry}, or a composite one). */
  public MicrometerRequestListener(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    requests = Timer.builder(REQUESTS)
        .description("HTTP requests of pan4j drivers to their provider's API, from sending to a decoded reply; "
            + "a repeated call counts each request (outcome RETRYING but for the last)")
        .withRegistry(registry);
    waits = Timer.builder(RATE_LIMIT_WAIT)
        .description("Time a pan4j request waited for the rate limiter before it was sent (after a 429, including the server's Retry-After)")
        .withRegistry(registry);
    throttled = Counter.builder(THROTTLED)
        .description("pan4j requests the server throttled (HTTP 429, or 123's 'too frequent' code)")
        .withRegistry(registry);
    renewals = Timer.builder(RENEWALS)
        .description("Token renewals and sign-ins run by pan4j drivers, with how long each took")
        .withRegistry(registry);
    downloaded = Counter.builder(DOWNLOAD_BYTES).baseUnit("bytes")
        .description("Bytes of files' content pan4j drivers received through download links (failed downloads' too)")
        .withRegistry(registry);
  }

  @Override
  public void requestEnded(RequestEvent e) {
    String endpoint = endpoint(e.endpoint());
    String status = e.status().isPresent() ? Integer.toString(e.status().getAsInt()) : NONE;
    requests.withTags("driver", e.driverId(), "endpoint", endpoint, "method", e.method(), "status", status,
        "outcome", e.outcome().name(), "error", e.error().map(Enum::name).orElse(NONE)).record(e.duration());
    if (e.bytes().isPresent()) { // a download of content (only those carry bytes), whatever a driver names its endpoints
      downloaded.withTags("driver", e.driverId(), "outcome", e.outcome().name()).increment(e.bytes().getAsLong());
    } else {
      waits.withTags("driver", e.driverId(), "endpoint", endpoint).record(e.rateLimitWait());
    }
    if (e.throttled()) throttled.withTags("driver", e.driverId(), "endpoint", endpoint).increment();
  }

  @Override
  public void renewalEnded(TokenRenewalEvent e) {
    renewals.withTags("driver", e.driverId(), "trigger", e.trigger().name(), "outcome", e.succeeded() ? "OK" : "FAILED",
        "error", e.error().map(Enum::name).orElse(NONE)).record(e.duration());
  }

  /** The endpoint's tag value: itself while fewer than {@link #MAX_ENDPOINTS} were seen, else {@link #OTHER}. */
  private String endpoint(String endpoint) {
    if (endpoints.contains(endpoint)) return endpoint;
    synchronized (endpoints) {
      if (endpoints.contains(endpoint)) return endpoint;
      if (endpoints.size() < MAX_ENDPOINTS) {
        endpoints.add(endpoint);
        return endpoint;
      }
    }
    if (!warnedOther) {
      warnedOther = true;
      LOG.warn("more than {} distinct endpoints reported: further ones are counted under endpoint=\"{}\" "
          + "(a driver that puts ids into its endpoint paths would otherwise make a time series per id)", MAX_ENDPOINTS, OTHER);
    }
    return OTHER;
  }
}
