package io.github.pan4j.driver.pan123.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.http.HttpCalls;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.spi.Sleeper;
import io.github.pan4j.driver.pan123.WebSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Calls the 123云盘 web API ({@code /b/api/**}): signs every call (§3), sends the profile's
 * identity headers (§2.1) and the bearer token, decodes the {@code {code,message,data}} envelope
 * (§2.3) defensively (code as number or string), maps failures through {@link WebErrors}, paces
 * endpoints through the rate limiter and backs off on throttling.
 *
 * <p>Retries are bounded: a throttled request (code 429, HTTP 429, a 403 IP block) was refused by
 * the server, so it is repeated whatever the operation, up to {@code maxAttempts} times with
 * growing pauses; network failures and 5xx pages are repeated only for idempotent calls; a reply
 * saying the session expired triggers one {@link Auth#renew} and one repeat (with a fresh
 * signature). Everything else fails at once.
 */
public final class WebApi {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** Where the bearer token comes from. */
  public interface Auth {
    /** The token to send, or null to call anonymously. */
    Token current();

    /**
     * The server rejected {@code stale}; return a fresh token (single-flight), or null when this
     * client cannot sign in again (the caller then fails with {@link #unauthenticatedHint()}).
     */
    Token renew(Token stale);

    /** What the user should do when a call is refused for lack of a valid sign-in. */
    String unauthenticatedHint();
  }

  /** A decoded envelope. */
  public record Reply(int code, String message, JsonNode data, String traceId) {}

  private final String driverId;
  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final WebProfile profile;
  private final Clock clock;
  private final RateLimiter limiter;
  private final RetryPolicy backoff;
  private final int maxAttempts;
  private final Auth auth;
  private final LongSupplier random;

  public WebApi(String driverId, OkHttpClient client, ObjectMapper mapper, WebProfile profile, Clock clock,
      Sleeper sleeper, RateLimiter limiter, Auth auth) {
    this(driverId, client, mapper, profile, clock, sleeper, limiter, auth, 5, null);
  }

  public WebApi(String driverId, OkHttpClient client, ObjectMapper mapper, WebProfile profile, Clock clock,
      Sleeper sleeper, RateLimiter limiter, Auth auth, int maxAttempts, LongSupplier random) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
    this.client = Objects.requireNonNull(client, "client");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.auth = Objects.requireNonNull(auth, "auth");
    this.maxAttempts = maxAttempts;
    this.backoff = RetryPolicy.of(maxAttempts, Duration.ofSeconds(1), Duration.ofSeconds(30), sleeper);
    this.random = random;
  }

  public WebProfile profile() { return profile; }
  public ObjectMapper mapper() { return mapper; }
  public String driverId() { return driverId; }

  /** GET {@code endpoint} with the query (in the given order) and returns {@code data}. */
  public JsonNode get(String operation, String target, String endpoint, Map<String, String> query, boolean idempotent) {
    return call(operation, target, "GET", endpoint, query, null, idempotent).data();
  }

  /** POST {@code body} as JSON to {@code endpoint} and returns {@code data}. */
  public JsonNode post(String operation, String target, String endpoint, Object body, boolean idempotent) {
    return call(operation, target, "POST", endpoint, Map.of(), body, idempotent).data();
  }

  /**
   * One logical call with the retry rules of this class; returns the success envelope (code 0, or
   * 200 for the few endpoints that answer so, such as logout).
   */
  public Reply call(String operation, String target, String method, String endpoint, Map<String, String> query,
      Object body, boolean idempotent) {
    byte[] bodyBytes = null;
    if (body != null) {
      try {
        bodyBytes = mapper.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("request body is not serialisable", e);
      }
    }
    boolean renewed = false;
    for (int attempt = 1; ; attempt++) {
      Token token = auth.current();
      Reply reply;
      try {
        limiter.acquire(endpoint);
        reply = once(method, endpoint, query, bodyBytes, token);
      } catch (DriveException e) {
        DriveException ctx = withContext(e, operation, target);
        boolean retry = e.kind() == ErrorKind.RATE_LIMITED || (idempotent && e.retryable());
        if (!retry || attempt >= maxAttempts) throw ctx;
        pause(endpoint, attempt, ctx);
        continue;
      }
      if (reply.code() == 0 || (reply.code() == 200 && endpoint.equals("user/logout"))) return reply;
      if (WebErrors.isSessionExpired(reply.code(), reply.message()) && !WebErrors.isVerificationWall(reply.message())) {
        if (!renewed) {
          Token fresh = auth.renew(token);
          if (fresh != null) {
            renewed = true;
            continue;
          }
        }
        throw DriveException.builder(ErrorKind.UNAUTHENTICATED,
                (renewed ? "signed in again, but the server still refuses the session; " : "") + auth.unauthenticatedHint())
            .driver(driverId).operation(operation).target(target).providerCode(reply.code())
            .providerMessage(reply.message()).traceId(reply.traceId()).retryable(false).build();
      }
      DriveException e = error(reply, operation, target);
      boolean retry = e.kind() == ErrorKind.RATE_LIMITED ? e.retryable() : idempotent && e.retryable();
      if (!retry || attempt >= maxAttempts) throw e;
      pause(endpoint, attempt, e);
    }
  }

  /** The error for a failed envelope, with the provider's code, message and trace id. */
  public DriveException error(Reply reply, String operation, String target) {
    DriveException.Builder b = WebErrors.map(reply.code(), reply.message());
    DriveException probe = b.build();
    if (probe.kind() == ErrorKind.UNAUTHENTICATED) {
      b = DriveException.builder(ErrorKind.UNAUTHENTICATED, probe.reason() + "; " + auth.unauthenticatedHint()).retryable(false);
    }
    return b.driver(driverId).operation(operation).target(target)
        .providerCode(reply.code()).providerMessage(reply.message()).traceId(reply.traceId()).build();
  }

  private void pause(String endpoint, int attempt, DriveException e) {
    // Pushing the endpoint's next slot out queues every caller of it behind the pause, not just this one.
    limiter.penalize(endpoint, backoff.delayAfter(attempt, e));
  }

  /** {@code e} with this driver, the operation and the target filled in where it had none. */
  public DriveException withContext(DriveException e, String operation, String target) {
    if (e.driverId().isPresent() && e.operation().isPresent()) return e;
    DriveException.Builder b = DriveException.builder(e.kind(), e.reason()).driver(driverId).operation(operation)
        .target(target).retryable(e.retryable()).cause(e.getCause() != null ? e.getCause() : e);
    e.providerCode().ifPresent(b::providerCode);
    e.providerMessage().ifPresent(b::providerMessage);
    e.traceId().ifPresent(b::traceId);
    e.retryAfter().ifPresent(b::retryAfter);
    return b.build();
  }

  private Reply once(String method, String endpoint, Map<String, String> query, byte[] body, Token token) {
    HttpUrl base = profile.api(endpoint);
    WebSigner.Signature sig = random == null
        ? WebSigner.sign(base.encodedPath(), clock.instant())
        : WebSigner.sign(base.encodedPath(), clock.instant(), random.getAsLong());
    HttpUrl.Builder url = base.newBuilder();
    query.forEach(url::addQueryParameter);
    url.addQueryParameter(sig.name(), sig.value());
    Request.Builder rb = new Request.Builder().url(url.build())
        .header("origin", profile.origin())
        .header("referer", profile.referer())
        .header("user-agent", profile.userAgent())
        .header("platform", profile.platform())
        .header("app-version", profile.appVersion());
    if (token != null) rb.header("authorization", "Bearer " + token.accessToken().reveal());
    if (method.equals("GET")) rb.get();
    else rb.method(method, RequestBody.create(body == null ? new byte[0] : body, JSON));
    return decode(HttpCalls.execute(client, rb.build()), endpoint);
  }

  /** Decodes an envelope; throws for transport-level trouble (HTML, garbage, HTTP 429/5xx). */
  public Reply decode(HttpCalls.Result result, String what) {
    String trace = result.header("x-traceID");
    if (result.status() == 429) {
      throw DriveException.builder(ErrorKind.RATE_LIMITED, "123云盘 answered HTTP 429 (too many requests); retry later")
          .retryable(true).providerCode(429).traceId(trace).retryAfter(retryAfter(result)).build();
    }
    JsonNode root = HttpCalls.json(mapper, result, what);
    if (!root.isObject() || root.get("code") == null) {
      throw DriveException.builder(ErrorKind.PROTOCOL,
              what + " answered HTTP " + result.status() + " without the {code, message, data} envelope")
          .retryable(result.status() >= 500).traceId(trace).build();
    }
    JsonNode c = root.get("code");
    int code;
    if (c.isIntegralNumber()) {
      code = c.asInt();
    } else {
      try {
        code = Integer.parseInt(c.asText().trim());
      } catch (NumberFormatException e) {
        throw DriveException.builder(ErrorKind.PROTOCOL, what + " answered a non-numeric code '" + c.asText() + "'")
            .providerMessage(root.path("message").asText(null)).traceId(trace).build();
      }
    }
    if (result.status() >= 500 && code == 0) {
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR, what + " failed with HTTP " + result.status())
          .retryable(true).traceId(trace).build();
    }
    JsonNode data = root.get("data");
    return new Reply(code, root.path("message").asText(""), data == null ? NullNode.getInstance() : data, trace);
  }

  private static Duration retryAfter(HttpCalls.Result result) {
    String h = result.header("Retry-After");
    if (h == null) return null;
    try {
      return Duration.ofSeconds(Long.parseLong(h.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
