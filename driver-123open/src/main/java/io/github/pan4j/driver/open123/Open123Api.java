package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.config.Secret;
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
import io.github.pan4j.driver.common123.internal.JsonReplies;
import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.driver.common123.internal.ProviderMessages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The 123 open platform on the core request engine: the {@code {code, message, data, x-traceID}}
 * envelope (401 → {@link TokenRejected}, other codes mapped by {@link Open123Errors}), the
 * {@code Platform} header, the QPS tables, the token manager and how tokens are minted. Pacing,
 * token renewal, retries, deadlines and error context are the engine's. Thread-safe.
 */
final class Open123Api {
  /**
   * How much slower than the QPS table a limiter that counts windows from request <em>starts</em>
   * paces (the shared Redis limiter): 10%, which absorbs that much difference in request latency;
   * 4% gave 1 and 7 answers of 429 in ~200 listing requests on a loaded 2-core machine. The
   * in-process limiter counts each request's window from its answer (the server counted it before
   * that), which is exact against a sliding window, so it needs and uses no margin.
   */
  static final double RATE_MARGIN = 0.10;
  /** 429 answers tolerated per call before giving up; each one pushes the endpoint's pacing out. */
  static final int MAX_RATE_LIMITED = 8;

  private final Open123Config config;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final RateLimiter limiter;
  private final TokenManager tokens;
  private final ApiClient engine;
  /** For presigned object-storage URLs: no Platform header, no token (v1 upload parts). */
  private final ApiClient presigned;
  private final HttpUrl base;
  /** The token renewal service, or null when tokens are minted or redeemed at 123 itself. */
  private final HttpUrl renewalService;
  private final EnvelopeDecoder<JsonNode> envelope = this::data;
  private final Object accountLock = new Object();
  private volatile JsonNode userInfo;

  Open123Api(Open123Config config, DriverContext context) {
    this.config = config;
    this.mapper = Json.mapper();
    this.clock = context.clock();
    HttpUrl parsed = HttpUrl.parse(config.apiBaseUrl());
    if (parsed == null) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID, "option 'apiBaseUrl' is not an http(s) URL: " + config.apiBaseUrl())
          .driver(Open123Provider.ID).operation("open").build();
    }
    this.base = parsed;
    if (config.renewalServiceUrl() != null) {
      this.renewalService = HttpUrl.parse(config.renewalServiceUrl());
      if (renewalService == null) {
        throw DriveException.builder(ErrorKind.CONFIG_INVALID, "option 'renewalServiceUrl' is not an http(s) URL")
            .driver(Open123Provider.ID).operation("open").build();
      }
    } else {
      this.renewalService = null;
    }
    Map<String, Double> table = "vip".equals(config.tier()) ? Open123Limits.vip() : Open123Limits.free();
    table.putAll(config.qps());
    // Tokens and QPS belong to the 123 account, not to this instance: every mount of one account
    // (same server, client id or pasted token, same secret) shares one limiter and one token
    // manager through the context's account registry.
    AccountKey account = accountKey(config);
    this.limiter = context.rateLimiter(account, table, RATE_MARGIN);
    // An explicit tier or QPS override is about the account: it applies to the shared limiter.
    if (!"auto".equals(config.tier()) || !config.qps().isEmpty()) table.forEach(limiter::setQps);
    this.tokens = buildTokens(context, account);
    this.engine = ApiClient.builder(Open123Provider.ID, context)
        .baseUrl(base.toString())
        .header("Platform", "open_platform")
        .limiter(limiter)
        .retry(RetryPolicy.of(4, Duration.ofMillis(500), Duration.ofSeconds(8), context.sleeper()))
        .rateLimitedAttempts(MAX_RATE_LIMITED + 1)
        .tokens(TokenSource.of(tokens))
        .rejections(this::rejected)
        .build();
    this.presigned = ApiClient.builder(Open123Provider.ID, context)
        .baseUrl(base.toString())
        .retry(RetryPolicy.of(4, Duration.ofMillis(500), Duration.ofSeconds(8), context.sleeper()))
        .build();
  }

  /** Server + client id and secret digest; without credentials, the pasted token's fingerprint. */
  static AccountKey accountKey(Open123Config config) {
    if (config.clientId() != null) {
      return AccountKey.ofIssued(Open123Provider.ID, config.apiBaseUrl(), "client:" + config.clientId(), config.clientSecret());
    }
    Secret pasted = nonEmpty(config.accessToken());
    Secret refresh = nonEmpty(config.refreshToken());
    Secret seed = pasted != null ? pasted : refresh;
    return AccountKey.of(Open123Provider.ID, config.apiBaseUrl(), "token:" + (seed == null ? "" : fingerprint(seed.reveal())),
        null);
  }

  ObjectMapper mapper() { return mapper; }
  /**
   * Cancels this driver's calls in flight and refuses later ones. The token calls go on: other
   * mounts of the account may be waiting for the token they fetch.
   */
  void close() {
    engine.close();
    presigned.close();
  }

  /** Whether {@link #close()} was called. */
  boolean closed() {
    return engine.isClosed();
  }

  /**
   * How long the look after a lost answer that found the write not done waits before it looks once
   * more: 123's reads may trail a write it is still carrying out (docs/protocol/123open.md §11).
   */
  static final Duration LOOK_AGAIN_AFTER = Duration.ofSeconds(1);

  /**
   * Waits {@link #LOOK_AGAIN_AFTER} on the context's sleeper before the second and last look
   * after {@code e}, the failure of a write whose answer was lost and which the first look found
   * not done. Stops early when the driver closes (the second look then fails CANCELLED, which the
   * caller reports as such); an interrupt ends the wait as CANCELLED, saying the write may have
   * taken effect, with the interrupt flag kept.
   */
  void pauseBeforeLookingAgain(DriveException e) {
    try {
      engine.sleepUnlessClosed(LOOK_AGAIN_AFTER);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw Outcomes.cancelledMeanwhile(e, DriveException.builder(ErrorKind.CANCELLED,
          "cancelled by interrupt while waiting to look again whether it took effect").cause(ie).build());
    }
  }

  /** Sleeps {@code wait}, stopping early when this driver closes (see {@link ApiClient#sleepUnlessClosed}). */
  boolean sleepUnlessClosed(Duration wait) throws InterruptedException {
    return engine.sleepUnlessClosed(wait);
  }

  /** Opens download links through the engine's (logged) connections. */
  Link.Opener linkOpener() { return engine.linkOpener(); }
  Clock clock() { return clock; }
  RateLimiter limiter() { return limiter; }
  RetryPolicy retry() { return engine.retry(); }
  TokenManager tokens() { return tokens; }

  // ---------------------------------------------------------------- tokens

  private TokenManager buildTokens(DriverContext context, AccountKey account) {
    TokenStore store = context.tokenStore();
    Secret pasted = nonEmpty(config.accessToken());
    Secret refresh = nonEmpty(config.refreshToken());
    String key = account.storeKey();
    // A token the user pasted (access or refresh) seeds the store once; a restart with the same
    // configuration then continues from the stored (possibly renewed) token instead of replaying
    // a spent single-use refresh token. A different pasted token replaces what was stored.
    Secret seedSecret = refresh != null ? refresh : pasted;
    if (seedSecret != null) {
      String seed = fingerprint(seedSecret.reveal());
      // Under the store's lock: another process with the same configuration may be seeding or
      // already renewing (and spending the pasted refresh token) right now; what it stored wins.
      store.locked(key, () -> {
        Optional<Token> stored = store.load(key);
        if (stored.isEmpty() || !seed.equals(stored.get().attributes().get("seed"))) {
          Token initial = new Token(pasted != null ? pasted : Secret.of(""),
              pasted != null ? null : Instant.EPOCH, refresh, Map.of("seed", seed));
          if (!store.compareAndSet(key, stored.orElse(null), initial)) {
            Token now = store.load(key).orElse(null);
            if (now == null || !seed.equals(now.attributes().get("seed"))) {
              store.remove(key);
              store.compareAndSet(key, null, initial);
            }
          }
        }
        return null;
      });
    }
    return context.tokenManager(account, () -> TokenManager.builder(key, store, this::mintToken).clock(clock)
        .skew(Duration.ofMinutes(5)).failureBackoff(Duration.ofSeconds(2), Duration.ofMinutes(2)).build());
  }

  private Token mintToken(Token previous) {
    Map<String, String> attrs = previous == null ? Map.of() : previous.attributes();
    Secret refresh = previous == null ? null : previous.refreshToken();
    if (renewalService != null) return renewThroughService(refresh, attrs);
    if (refresh != null && !refresh.isEmpty() && config.hasCredentials()) {
      HttpUrl url = base.newBuilder().addPathSegments(Open123Limits.OAUTH_TOKEN)
          .addQueryParameter("client_id", config.clientId())
          .addQueryParameter("client_secret", config.clientSecret().reveal())
          .addQueryParameter("grant_type", "refresh_token")
          .addQueryParameter("refresh_token", refresh.reveal()).build();
      JsonNode r;
      try {
        r = engine.call(ApiCall.post("token", Open123Limits.OAUTH_TOKEN).url(url.toString())
            .body(RequestContent.json(new byte[0])).authenticated(false).survivesClose().build(), this::oauth);
      } catch (DriveException e) {
        throw refreshOutcomeUnknown(e);
      }
      String access = r.path("access_token").asText("");
      String next = r.path("refresh_token").asText("");
      if (access.isEmpty() || next.isEmpty()) {
        throw DriveException.builder(ErrorKind.UNAUTHENTICATED,
                "the OAuth token endpoint did not return a new token; authorize the app again and configure the new refreshToken")
            .driver(Open123Provider.ID).operation("token").providerMessage(firstText(r, "message", "error_description", "error"))
            .build();
      }
      long expiresIn = r.path("expires_in").asLong(7200);
      return new Token(Secret.of(access), clock.instant().plusSeconds(expiresIn), Secret.of(next), attrs);
    }
    if (!config.hasCredentials()) {
      throw DriveException.builder(ErrorKind.UNAUTHENTICATED,
              "the pasted access token was rejected or has expired and no clientId/clientSecret are configured to renew it;"
                  + " paste a new accessToken or configure clientId and clientSecret")
          .driver(Open123Provider.ID).operation("token").build();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clientID", config.clientId());
    body.put("clientSecret", config.clientSecret().reveal());
    JsonNode data;
    try {
      data = askForToken(body);
    } catch (DriveException e) {
      String said = e.providerMessage().orElse("");
      if (e.kind() == ErrorKind.PROVIDER_ERROR && (e.retryable() || ProviderMessages.soundsTemporary(said))) {
        // An internal error, "busy" or a gateway's error page (a 5xx) says nothing about the
        // credentials: the next call asks again.
        throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "123 could not issue a token just now (an error on its side);"
                + " retry in a moment")
            .driver(Open123Provider.ID).operation("token").target(config.clientId()).retryable(true)
            .providerFrom(e).cause(e).build();
      }
      if (e.kind() == ErrorKind.PROVIDER_ERROR || e.kind() == ErrorKind.UNAUTHENTICATED) {
        // The wrong-credentials code is not documented; any other refusal reads as one.
        throw DriveException.builder(ErrorKind.UNAUTHENTICATED,
                "123 refused the client credentials; check clientId and clientSecret in the developer console")
            .driver(Open123Provider.ID).operation("token").target(config.clientId())
            .providerFrom(e).cause(e).build();
      }
      throw e;
    }
    String access = data.path("accessToken").asText("");
    if (access.isEmpty()) {
      throw protocol("token", null, "the token reply has no accessToken", null);
    }
    Instant expiresAt = null;
    String expiredAt = data.path("expiredAt").asText("");
    try {
      if (!expiredAt.isEmpty()) expiresAt = OffsetDateTime.parse(expiredAt).toInstant();
    } catch (DateTimeParseException e) {
      expiresAt = null; // unknown expiry: used until rejected
    }
    return new Token(Secret.of(access), expiresAt, null, attrs);
  }

  /** How long to wait before asking once more when 123 answered the token request "busy". */
  static final Duration BUSY_TOKEN_PAUSE = Duration.ofSeconds(1);

  /**
   * The client-credential token request. Each token 123 issues counts against the three a client
   * may hold (a fourth logs the oldest out, perhaps another machine's), so the request is never
   * repeated after a reply that may have been lost. When 123 itself answered that it is busy or
   * had an internal error (a business code, not a gateway's status), no token was issued: that
   * one answer is asked again once, after a second, so that a single busy moment does not fail
   * the call that needed the token.
   */
  private JsonNode askForToken(Map<String, Object> body) {
    ApiCall call = ApiCall.post("token", Open123Limits.ACCESS_TOKEN).body(jsonBody(body)).authenticated(false)
        .survivesClose().build();
    try {
      return engine.call(call, envelope);
    } catch (DriveException e) {
      boolean answeredBusy = e.kind() == ErrorKind.PROVIDER_ERROR && !e.retryable()
          && ProviderMessages.soundsTemporary(e.providerMessage().orElse(""));
      if (!answeredBusy) throw e;
      try {
        if (!engine.sleepUnlessClosed(BUSY_TOKEN_PAUSE)) throw e;
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw e;
      }
      return engine.call(call, envelope);
    }
  }

  /**
   * A renewal with the single-use refresh token that failed after it may have reached 123 (a lost
   * reply, a dropped connection, a gateway error): 123 may have spent the refresh token, so say what
   * to do if the next try is refused. Not repeated here: a repeat would send the token again.
   */
  private static DriveException refreshOutcomeUnknown(DriveException e) {
    if (!Outcomes.unknown(e)) return e;
    return DriveException.builder(e.kind(), e.reason() + "; 123 may have renewed the token and spent the single-use"
            + " refresh token before the reply was lost: retry, and if 123 then refuses the refresh token, authorize the"
            + " app again and configure the new refreshToken")
        .driver(Open123Provider.ID).operation("token").providerFrom(e).retryable(true).cause(e).build();
  }

  /**
   * Renews through the token renewal service: {@code GET <service>?refresh_ui=<refresh token>
   * &server_use=true&driver_txt=123cloud_oa}, answered with a new access token and a new
   * (single-use) refresh token, which the token manager stores in place of the spent one.
   */
  private Token renewThroughService(Secret refresh, Map<String, String> attrs) {
    String where = serviceName();
    if (refresh == null || refresh.isEmpty()) {
      throw DriveException.builder(ErrorKind.UNAUTHENTICATED, "no refresh token is stored for the token renewal service at "
              + where + "; log in again on the service's jump-login page and configure the new refreshToken")
          .driver(Open123Provider.ID).operation("token").build();
    }
    HttpUrl url = renewalService.newBuilder()
        .addQueryParameter("refresh_ui", refresh.reveal())
        .addQueryParameter("server_use", "true")
        .addQueryParameter("driver_txt", "123cloud_oa").build();
    // Exactly one attempt: the refresh token is single use, and a repeat after a lost reply
    // would only spend nothing or fail; the token manager's back-off paces the next try.
    ApiCall call = ApiCall.get("token", null).url(url.toString()).authenticated(false).idempotent(false).once()
        .survivesClose().build();
    JsonNode r;
    try {
      r = engine.call(call, (res, c) -> renewal(res, c, refresh));
    } catch (DriveException e) {
      if (e.kind() != ErrorKind.NETWORK) throw e;
      if (Outcomes.neverSent(e)) {
        throw DriveException.builder(ErrorKind.NETWORK, "the token renewal service at " + where
                + " could not be reached (" + e.reason() + "); check renewalServiceUrl and the network, then retry")
            .driver(Open123Provider.ID).operation("token").retryable(true).cause(e).build();
      }
      // The request went out and its answer did not come back: the service may have renewed and
      // spent the single-use refresh token.
      throw DriveException.builder(ErrorKind.NETWORK, "the token renewal service at " + where + " did not answer ("
              + e.reason() + "); it may have renewed the token and spent the single-use refresh token: retry, and if"
              + " the service then refuses the refresh token, log in again on its jump-login page and configure the"
              + " new refreshToken")
          .driver(Open123Provider.ID).operation("token").retryable(true).cause(e).build();
    }
    Instant expiresAt = r.has("expires_in") && r.path("expires_in").asLong(0) > 0
        ? clock.instant().plusSeconds(r.path("expires_in").asLong()) : null; // no expiry given: used until rejected
    return new Token(Secret.of(r.path("access_token").asText()), expiresAt,
        Secret.of(r.path("refresh_token").asText()), attrs);
  }

  /** The renewal service's reply: {@code access_token} + {@code refresh_token}, or an error text. */
  private JsonNode renewal(ApiResponse res, ApiCall c, Secret refresh) {
    String where = serviceName();
    JsonNode root;
    try {
      root = JsonReplies.parse(mapper, res, "the token renewal service at " + where);
    } catch (DriveException e) {
      if (res.status() >= 500) {
        // A gateway's or server's error page: trouble on the service's side, not a wrong URL.
        throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "the token renewal service at " + where + " answered HTTP "
                + res.status() + " (an error on its side, perhaps after it had renewed the token and spent the"
                + " single-use refresh token): retry in a moment, and if the service then refuses the refresh token,"
                + " log in again on its jump-login page and configure the new refreshToken")
            .driver(Open123Provider.ID).operation("token").providerCode(res.status()).retryable(true).build();
      }
      throw DriveException.builder(ErrorKind.PROTOCOL,
              e.reason() + "; check renewalServiceUrl (it must be the service's renewal API, not its web page)")
          .driver(Open123Provider.ID).operation("token").providerCode(res.status()).build();
    }
    String access = root.path("access_token").asText("");
    String next = root.path("refresh_token").asText("");
    if (res.status() / 100 == 2 && !access.isEmpty() && !next.isEmpty()) return root;
    String text = firstText(root, "text", "error_description", "message", "error");
    if (text != null) text = text.replace(refresh.reveal(), "****");
    throw DriveException.builder(ErrorKind.UNAUTHENTICATED, "the token renewal service at " + where
            + " did not renew the refresh token (HTTP " + res.status() + (text != null ? ": " + text : "")
            + "); refresh tokens are single use and expire, so log in again on the service's jump-login page"
            + " and configure the new refreshToken (and accessToken)")
        .driver(Open123Provider.ID).operation("token").providerCode(res.status()).providerMessage(text).build();
  }

  /** The renewal service as named in messages: scheme, host and port only. */
  private String serviceName() {
    return renewalService.scheme() + "://" + renewalService.host()
        + (renewalService.port() == HttpUrl.defaultPort(renewalService.scheme()) ? "" : ":" + renewalService.port());
  }

  private static Secret nonEmpty(Secret s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A short non-reversible fingerprint of a token, to recognise it without storing it in clear. */
  static String fingerprint(String secret) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  // ---------------------------------------------------------------- account / tier

  /** user/info, fetched once (then cached) to learn uid and VIP tier and adjust the QPS table. */
  JsonNode account() {
    JsonNode info = userInfo;
    if (info != null) return info;
    synchronized (accountLock) {
      if (userInfo == null) {
        JsonNode data = get("user_info", null, Open123Limits.USER_INFO, Map.of());
        if ("auto".equals(config.tier()) && isVip(data)) {
          Open123Limits.vip().forEach(limiter::setQps);
          config.qps().forEach(limiter::setQps);
        }
        userInfo = data;
      }
      return userInfo;
    }
  }

  /** Fresh user/info (storage details), also refreshing the cache. */
  JsonNode freshAccount() {
    JsonNode data = get("storage_details", null, Open123Limits.USER_INFO, Map.of());
    synchronized (accountLock) {
      userInfo = data;
    }
    return data;
  }

  /**
   * {@link #freshAccount()} asked once: no repeat, and no wait on a 429's Retry-After, for figures
   * that only add to an error already decided (a refusal for space must not wait a minute for them).
   */
  JsonNode freshAccountOnce() {
    JsonNode data = engine.call(ApiCall.get("storage_details", Open123Limits.USER_INFO).once().build(), envelope);
    synchronized (accountLock) {
      userInfo = data;
    }
    return data;
  }

  static boolean isVip(JsonNode info) {
    if (info.path("vip").asBoolean(false)) return true;
    for (JsonNode v : info.path("vipInfo")) if (v.path("vipLevel").asInt(0) > 0) return true;
    return false;
  }

  // ---------------------------------------------------------------- calls

  JsonNode get(String op, String target, String endpoint, Map<String, ?> query) {
    return engine.call(ApiCall.get(op, endpoint).target(target).query(query).build(), envelope);
  }

  JsonNode post(String op, String target, String endpoint, Map<String, ?> body, boolean idempotent) {
    return engine.call(ApiCall.post(op, endpoint).target(target).body(jsonBody(body)).idempotent(idempotent).build(), envelope);
  }

  /** A POST that only reads (an info or status query): repeated like a read, and a cancel claims no write. */
  JsonNode postRead(String op, String target, String endpoint, Map<String, ?> body) {
    return engine.call(ApiCall.post(op, endpoint).target(target).body(jsonBody(body)).readOnly().build(), envelope);
  }

  JsonNode put(String op, String target, String endpoint, Map<String, ?> body, boolean idempotent) {
    return engine.call(ApiCall.builder(op, "PUT", endpoint).target(target).body(jsonBody(body)).idempotent(idempotent)
        .build(), envelope);
  }

  /** Sends a call to a presigned URL (no Platform header, no token) and returns the raw reply. */
  ApiResponse presigned(ApiCall call) {
    return presigned.exchange(call);
  }

  /** Runs a call described by the caller (uploads) with the standard envelope. */
  JsonNode call(ApiCall call) {
    return engine.call(call, envelope);
  }

  RequestContent jsonBody(Map<String, ?> body) {
    return JsonReplies.body(mapper, body);
  }

  /** The {@code {code, message, data, x-traceID}} envelope; returns {@code data}. */
  private JsonNode data(ApiResponse res, ApiCall c) {
    String headerTrace = res.header("x-traceID");
    if (res.status() == 401) throw new TokenRejected("HTTP 401", res.snippet(200), headerTrace);
    JsonNode root = JsonReplies.parse(mapper, res, c.describe());
    JsonNode codeNode = root.get("code");
    String traceId = root.path("x-traceID").asText(headerTrace);
    if (traceId != null && traceId.isEmpty()) traceId = headerTrace;
    if (codeNode == null || !codeNode.canConvertToInt() && !codeNode.isTextual()) {
      throw protocol(c.operation(), c.target(), c.describe() + " answered HTTP " + res.status()
          + " with JSON that is not the 123 envelope (no code)", traceId);
    }
    int code;
    try {
      code = codeNode.isNumber() ? codeNode.asInt() : Integer.parseInt(codeNode.asText().trim());
    } catch (NumberFormatException e) {
      throw protocol(c.operation(), c.target(), c.describe() + " answered a non-numeric code '" + codeNode.asText() + "'", traceId);
    }
    String message = root.path("message").asText(null);
    if (code == Open123Errors.OK) {
      if (res.status() >= 300) {
        throw protocol(c.operation(), c.target(), c.describe() + " answered HTTP " + res.status() + " with code 0", traceId);
      }
      return root.path("data");
    }
    if (code == Open123Errors.UNAUTHORIZED) throw new TokenRejected(String.valueOf(code), message, traceId);
    ErrorKind kind = Open123Errors.kindOf(code, message);
    boolean retryable = kind == ErrorKind.RATE_LIMITED || code == Open123Errors.VERIFYING || res.status() >= 500;
    throw DriveException.builder(kind, code == Open123Errors.TRAFFIC_EXCEEDED ? Open123Errors.TRAFFIC_ADVICE : Open123Errors.advice(kind))
        .providerCode(code).providerMessage(message).traceId(traceId).retryable(retryable).build();
  }

  /** The OAuth token endpoint answers plain JSON, not the envelope. */
  private JsonNode oauth(ApiResponse res, ApiCall c) {
    if (res.status() == 401) throw new TokenRejected("HTTP 401", res.snippet(200), res.header("x-traceID"));
    JsonNode root = JsonReplies.parse(mapper, res, c.describe());
    if (res.status() != 200) {
      throw DriveException.builder(res.status() >= 500 ? ErrorKind.PROVIDER_ERROR : ErrorKind.UNAUTHENTICATED,
              "the token endpoint answered HTTP " + res.status())
          .providerCode(res.status()).providerMessage(firstText(root, "message", "error_description", "error"))
          .retryable(res.status() >= 500).build();
    }
    return root;
  }

  /** The error for a call refused for lack of a valid token. */
  private DriveException rejected(TokenRejected r, boolean renewed, DriveException refreshFailure) {
    String message = r.providerMessage();
    String msg;
    if (refreshFailure != null) {
      msg = "123 rejected the access token and renewing it failed: " + refreshFailure.reason();
    } else if (renewed) {
      msg = "123 rejected the access token again right after it was renewed"
          + (message != null && message.contains("exceeded") ? " (more than 3 tokens are live for this client id:"
              + " other programs using the same app mint tokens; share one token store)" : "")
          + "; check the app's credentials and permissions";
    } else {
      msg = "123 refused the request as unauthenticated";
    }
    // A renewal that could not reach its endpoint is a network failure (retry later), not bad credentials.
    boolean network = refreshFailure != null && refreshFailure.kind() == ErrorKind.NETWORK;
    return DriveException.builder(network ? ErrorKind.NETWORK : ErrorKind.UNAUTHENTICATED, msg).providerCode(r.providerCode())
        .providerMessage(message).traceId(r.traceId()).retryable(network).cause(refreshFailure).build();
  }

  static String firstText(JsonNode n, String... names) {
    for (String name : names) {
      String v = n.path(name).asText("");
      if (!v.isEmpty()) return v;
    }
    return null;
  }

  static DriveException protocol(String op, String target, String message, String traceId) {
    return DriveException.builder(ErrorKind.PROTOCOL, message + "; the 123 API may have changed — please report it")
        .driver(Open123Provider.ID).operation(op).target(target).traceId(traceId).build();
  }

  /** Token facts for tests and diagnostics, without secrets. */
  Map<String, String> tokenInfo() {
    Map<String, String> m = new HashMap<>();
    tokens.peek().ifPresent(t -> m.put("expiresAt", String.valueOf(t.expiresAt())));
    return m;
  }

  @Override
  public String toString() {
    return "Open123Api{" + base + "}";
  }
}
