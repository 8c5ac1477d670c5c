package io.github.pan4j.driver.common123.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.http.ApiCall;
import io.github.pan4j.core.spi.http.ApiClient;
import io.github.pan4j.core.spi.http.ApiResponse;
import io.github.pan4j.core.spi.http.EnvelopeDecoder;
import io.github.pan4j.core.spi.http.RequestContent;
import io.github.pan4j.core.spi.http.TokenRejected;
import io.github.pan4j.core.spi.http.TokenSource;
import io.github.pan4j.driver.common123.WebSigner;
import io.github.pan4j.driver.common123.internal.JsonReplies;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import okhttp3.HttpUrl;

/**
 * The 123云盘 web API ({@code /b/api/**}) on the core request engine: what is particular to the web
 * protocol and nothing else. Every call on the API base is signed (§3) and carries the profile's
 * identity headers (§2.1) and the bearer token; the {@code {code,message,data}} envelope (§2.3)
 * is decoded defensively (code as number or string) and failures are mapped by {@link WebErrors}.
 * A reply saying the session expired is a {@link TokenRejected}: the engine signs in again once
 * and repeats the call once. Pacing, retries (throttled calls whatever the operation, other
 * failures only when idempotent), the deadline and error context are the engine's.
 */
public final class WebApi {

  /** A decoded envelope. */
  public record Reply(int code, String message, JsonNode data, String traceId) {}

  private final String driverId;
  private final ObjectMapper mapper;
  private final WebProfile profile;
  private final String unauthenticatedHint;
  private final ApiClient engine;
  private final Clock clock;
  private final LongSupplier random;
  private final EnvelopeDecoder<Reply> envelope = this::success;

  /** A client with the default five attempts. */
  public WebApi(String driverId, DriverContext context, WebProfile profile, RateLimiter limiter, TokenSource tokens,
      String unauthenticatedHint) {
    this(driverId, context, profile, limiter, tokens, unauthenticatedHint, 5, null);
  }

  /**
   * @param limiter the account's limiter (built by the driver)
   * @param tokens where the bearer token comes from (the driver's token manager, or a fixed token)
   * @param unauthenticatedHint what the user should do when a call is refused for lack of a valid sign-in
   * @param maxAttempts attempts in all for a throttled call, and for an idempotent call that fails
   * @param random the signature's random part, or null for a fresh one per call
   */
  public WebApi(String driverId, DriverContext context, WebProfile profile, RateLimiter limiter, TokenSource tokens,
      String unauthenticatedHint, int maxAttempts, LongSupplier random) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
    this.mapper = Json.mapper();
    this.profile = Objects.requireNonNull(profile, "profile");
    this.unauthenticatedHint = Objects.requireNonNull(unauthenticatedHint, "unauthenticatedHint");
    this.clock = context.clock();
    this.random = random;
    this.engine = ApiClient.builder(driverId, context)
        .baseUrl(profile.apiBaseUrl() + "/")
        .header("origin", profile.origin())
        .header("referer", profile.referer())
        .header("user-agent", profile.userAgent())
        .header("platform", profile.platform())
        .header("app-version", profile.appVersion())
        .limiter(limiter)
        .retry(RetryPolicy.of(maxAttempts, Duration.ofSeconds(1), Duration.ofSeconds(30), context.sleeper()))
        .rateLimitedAttempts(maxAttempts)
        .tokens(Objects.requireNonNull(tokens, "tokens"))
        .rejections(this::rejected)
        .urlSigner(this::sign)
        .build();
  }

  public WebProfile profile() { return profile; }
  public ObjectMapper mapper() { return mapper; }
  public String driverId() { return driverId; }
  /** The engine, for calls off the API base (sign-in, presigned uploads, download redirects). */
  public ApiClient engine() { return engine; }

  /** GET {@code endpoint} with the query (in the given order) and returns {@code data}. */
  public JsonNode get(String operation, String target, String endpoint, Map<String, String> query, boolean idempotent) {
    return call(operation, target, "GET", endpoint, query, null, idempotent).data();
  }

  /**
   * GET {@code endpoint} (a read) sent once: no repeat, and no wait on a 429's Retry-After; for a
   * look whose answer only adds to an error already decided.
   */
  public JsonNode getOnce(String operation, String target, String endpoint, Map<String, String> query) {
    return engine.call(builder(operation, target, "GET", endpoint, query, null, true).once().build(), envelope).data();
  }

  /** POST {@code body} as JSON to {@code endpoint} and returns {@code data}. */
  public JsonNode post(String operation, String target, String endpoint, Object body, boolean idempotent) {
    return call(operation, target, "POST", endpoint, Map.of(), body, idempotent).data();
  }

  /**
   * POST {@code body} as JSON to {@code endpoint}, a call that only reads (an info or a listing):
   * repeated like a read, and its failures never say it may have taken effect.
   */
  public JsonNode postRead(String operation, String target, String endpoint, Object body) {
    return engine.call(builder(operation, target, "POST", endpoint, Map.of(), body, true).readOnly().build(), envelope)
        .data();
  }

  /**
   * One logical call; returns the success envelope (code 0, or 200 for the few endpoints that
   * answer so, such as logout).
   */
  public Reply call(String operation, String target, String method, String endpoint, Map<String, String> query,
      Object body, boolean idempotent) {
    return engine.call(builder(operation, target, method, endpoint, query, body, idempotent).build(), envelope);
  }

  /**
   * POST {@code body} to {@code endpoint} with {@code token}, made even though this client is
   * closed: the sign-out a driver sends from its own {@code close()}, after {@link #close()} stopped
   * everything else. The token is sent as given: never renewed, so closing never signs in.
   */
  public Reply postWhileClosing(String operation, String endpoint, Object body, Token token) {
    return engine.call(builder(operation, null, "POST", endpoint, Map.of(), body, false).survivesClose()
        .authenticated(false).header("Authorization", "Bearer " + token.accessToken().reveal()).build(), envelope);
  }

  /** Cancels this driver's calls in flight and refuses later ones (see {@link ApiClient#close()}). */
  public void close() {
    engine.close();
  }

  private ApiCall.Builder builder(String operation, String target, String method, String endpoint, Map<String, String> query,
      Object body, boolean idempotent) {
    ApiCall.Builder c = ApiCall.builder(operation, method, endpoint).target(target).query(query).idempotent(idempotent);
    if (!method.equals("GET")) {
      c.body(body == null ? RequestContent.bytes(new byte[0], "application/json; charset=utf-8") : JsonReplies.body(mapper, body));
    }
    return c;
  }

  private Reply success(ApiResponse response, ApiCall call) {
    Reply reply = decode(response, call.describe());
    if (reply.code() == 0 || (reply.code() == 200 && "user/logout".equals(call.endpoint()))) return reply;
    if (WebErrors.isSessionExpired(reply.code(), reply.message()) && !WebErrors.isVerificationWall(reply.message())) {
      throw new TokenRejected(String.valueOf(reply.code()), reply.message(), reply.traceId());
    }
    throw error(reply, call.operation(), call.target());
  }

  private DriveException rejected(TokenRejected r, boolean renewed, DriveException renewFailure) {
    if (renewFailure != null) return renewFailure; // the sign-in's own error (verification wall, device limit …)
    return DriveException.builder(ErrorKind.UNAUTHENTICATED,
            (renewed ? "signed in again, but the server still refuses the session; " : "") + unauthenticatedHint)
        .providerCode(r.providerCode()).providerMessage(r.providerMessage()).traceId(r.traceId()).retryable(false).build();
  }

  /** The error for a failed envelope, with the provider's code, message and trace id. */
  public DriveException error(Reply reply, String operation, String target) {
    DriveException.Builder b = WebErrors.map(reply.code(), reply.message());
    DriveException probe = b.build();
    if (probe.kind() == ErrorKind.UNAUTHENTICATED) {
      b = DriveException.builder(ErrorKind.UNAUTHENTICATED, probe.reason() + "; " + unauthenticatedHint).retryable(false);
    }
    return b.driver(driverId).operation(operation).target(target)
        .providerCode(reply.code()).providerMessage(reply.message()).traceId(reply.traceId()).build();
  }

  /** Decodes an envelope, success or not; throws for HTML, garbage and 5xx pages. */
  public Reply decode(ApiResponse result, String what) {
    String trace = result.header("x-traceID");
    JsonNode root = JsonReplies.parse(mapper, result, what);
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

  /** Adds the web signature (§3.1) over the request path to a URL on the API base. */
  private String sign(String url) {
    HttpUrl u = HttpUrl.get(url);
    WebSigner.Signature sig = random == null
        ? WebSigner.sign(u.encodedPath(), clock.instant())
        : WebSigner.sign(u.encodedPath(), clock.instant(), random.getAsLong());
    return u.newBuilder().addQueryParameter(sig.name(), sig.value()).build().toString();
  }

  @Override
  public String toString() {
    return "WebApi{" + driverId + ", " + profile.apiBaseUrl() + "}";
  }
}
