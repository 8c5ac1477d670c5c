package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.HttpCalls;
import io.github.pan4j.core.http.HttpLog;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.Sleeper;
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
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * HTTP to the 123 open platform: headers, the {@code {code, message, data, x-traceID}} envelope,
 * tokens (401 → one refresh and one retry), per-endpoint pacing (429 → penalty and bounded
 * retries), bounded retries of idempotent calls on network trouble and 5xx, and error mapping.
 * Thread-safe.
 */
final class Open123Api {
  static final MediaType JSON = MediaType.get("application/json");
  /** 429 answers tolerated per call before giving up; each one pushes the endpoint's pacing out. */
  static final int MAX_RATE_LIMITED = 8;

  private final Open123Config config;
  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RateLimiter limiter;
  private final RetryPolicy retry;
  private final TokenManager tokens;
  private final HttpUrl base;
  private final Object accountLock = new Object();
  private volatile JsonNode userInfo;

  Open123Api(Open123Config config, DriverContext context) {
    this.config = config;
    this.client = context.httpClient().newBuilder().addInterceptor(HttpLog.forDriver(Open123Provider.ID)).build();
    this.mapper = context.objectMapper();
    this.clock = context.clock();
    this.sleeper = context.sleeper();
    HttpUrl parsed = HttpUrl.parse(config.apiBaseUrl());
    if (parsed == null) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID, "option 'apiBaseUrl' is not an http(s) URL: " + config.apiBaseUrl())
          .driver(Open123Provider.ID).operation("open").build();
    }
    this.base = parsed;
    Map<String, Double> table = "vip".equals(config.tier()) ? Open123Limits.vip() : Open123Limits.free();
    table.putAll(config.qps());
    // Tokens and QPS belong to the 123 account, not to this instance: every mount of one account
    // (same server, client id or pasted token, same secret) shares one limiter and one token
    // manager through the context's account registry.
    AccountKey account = accountKey(config);
    this.limiter = context.rateLimiter(account, table, 0.10);
    // An explicit tier or QPS override is about the account: it applies to the shared limiter.
    if (!"auto".equals(config.tier()) || !config.qps().isEmpty()) table.forEach(limiter::setQps);
    this.retry = RetryPolicy.of(4, Duration.ofMillis(500), Duration.ofSeconds(8), sleeper);
    this.tokens = buildTokens(context, account);
  }

  /** Server + client id and secret digest; without credentials, the pasted token's fingerprint. */
  static AccountKey accountKey(Open123Config config) {
    if (config.clientId() != null) {
      return AccountKey.of(Open123Provider.ID, config.apiBaseUrl(), "client:" + config.clientId(), config.clientSecret());
    }
    Secret pasted = nonEmpty(config.accessToken());
    Secret refresh = nonEmpty(config.refreshToken());
    Secret seed = pasted != null ? pasted : refresh;
    return AccountKey.of(Open123Provider.ID, config.apiBaseUrl(), "token:" + (seed == null ? "" : fingerprint(seed.reveal())),
        null);
  }

  OkHttpClient client() { return client; }
  ObjectMapper mapper() { return mapper; }
  Clock clock() { return clock; }
  Sleeper sleeper() { return sleeper; }
  RateLimiter limiter() { return limiter; }
  RetryPolicy retry() { return retry; }
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
      Optional<Token> stored = store.load(key);
      if (stored.isEmpty() || !seed.equals(stored.get().attributes().get("seed"))) {
        Token initial = new Token(pasted != null ? pasted : Secret.of(""),
            pasted != null ? null : Instant.EPOCH, refresh, Map.of("seed", seed));
        if (!store.compareAndSet(key, stored.orElse(null), initial)) {
          store.remove(key);
          store.compareAndSet(key, null, initial);
        }
      }
    }
    return context.tokenManager(account, () -> TokenManager.builder(key, store, this::mintToken).clock(clock)
        .skew(Duration.ofMinutes(5)).failureBackoff(Duration.ofSeconds(2), Duration.ofMinutes(2)).build());
  }

  private Token mintToken(Token previous) {
    Map<String, String> attrs = previous == null ? Map.of() : previous.attributes();
    Secret refresh = previous == null ? null : previous.refreshToken();
    if (refresh != null && !refresh.isEmpty() && config.hasCredentials()) {
      HttpUrl url = base.newBuilder().addPathSegments(Open123Limits.OAUTH_TOKEN)
          .addQueryParameter("client_id", config.clientId())
          .addQueryParameter("client_secret", config.clientSecret().reveal())
          .addQueryParameter("grant_type", "refresh_token")
          .addQueryParameter("refresh_token", refresh.reveal()).build();
      JsonNode r = call(new Call("token", null, "POST", Open123Limits.OAUTH_TOKEN, url, () -> RequestBody.create(new byte[0], JSON),
          false, false, false));
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
      data = call(new Call("token", null, "POST", Open123Limits.ACCESS_TOKEN, null, jsonBody(body), false, false, true));
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.PROVIDER_ERROR || e.kind() == ErrorKind.UNAUTHENTICATED) {
        throw DriveException.builder(ErrorKind.UNAUTHENTICATED,
                "123 refused the client credentials; check clientId and clientSecret in the developer console")
            .driver(Open123Provider.ID).operation("token").target(config.clientId())
            .providerCode(e.providerCode().orElse(null)).providerMessage(e.providerMessage().orElse(null))
            .traceId(e.traceId().orElse(null)).cause(e).build();
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

  static boolean isVip(JsonNode info) {
    if (info.path("vip").asBoolean(false)) return true;
    for (JsonNode v : info.path("vipInfo")) if (v.path("vipLevel").asInt(0) > 0) return true;
    return false;
  }

  // ---------------------------------------------------------------- calls

  JsonNode get(String op, String target, String endpoint, Map<String, ?> query) {
    HttpUrl.Builder u = base.newBuilder().addPathSegments(endpoint);
    query.forEach((k, v) -> u.addQueryParameter(k, String.valueOf(v)));
    return call(new Call(op, target, "GET", endpoint, u.build(), null, true, true, true));
  }

  JsonNode post(String op, String target, String endpoint, Map<String, ?> body, boolean idempotent) {
    return call(new Call(op, target, "POST", endpoint, null, jsonBody(body), idempotent, true, true));
  }

  JsonNode put(String op, String target, String endpoint, Map<String, ?> body, boolean idempotent) {
    return call(new Call(op, target, "PUT", endpoint, null, jsonBody(body), idempotent, true, true));
  }

  Supplier<RequestBody> jsonBody(Map<String, ?> body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a request body", e);
    }
    return () -> RequestBody.create(bytes, JSON);
  }

  /**
   * One logical API call.
   *
   * @param url full URL, or null for {@code base + endpoint}
   * @param body body factory (called per attempt), or null for GET
   * @param idempotent whether network failures and 5xx may be retried
   * @param authed whether the call carries the bearer token
   * @param envelope whether the reply is the standard envelope (the OAuth endpoint's is not)
   */
  record Call(String op, String target, String method, String endpoint, HttpUrl url, Supplier<RequestBody> body,
      boolean idempotent, boolean authed, boolean envelope) {}

  /** Runs a call with pacing, 429 back-off, token refresh and bounded retries; returns {@code data}. */
  JsonNode call(Call c) {
    int attempts = 0;
    int rateLimited = 0;
    while (true) {
      attempts++;
      try {
        return c.authed() ? withToken(c) : withoutToken(c);
      } catch (DriveException e) {
        if (e.kind() == ErrorKind.CANCELLED) throw e;
        // A 429 means the server refused before doing anything, so even a non-idempotent call may
        // be repeated; the endpoint's pacing is pushed out for every caller, not just this one.
        if (e.kind() == ErrorKind.RATE_LIMITED && rateLimited < MAX_RATE_LIMITED) {
          rateLimited++;
          attempts--;
          limiter.penalize(c.endpoint(), penalty(c.endpoint(), rateLimited));
          continue;
        }
        if (c.idempotent() && e.retryable() && e.kind() != ErrorKind.RATE_LIMITED && attempts < retry.maxAttempts()) {
          pause(retry.delayAfter(attempts, e), c);
          continue;
        }
        throw e;
      }
    }
  }

  private Duration penalty(String endpoint, int hit) {
    double qps = limiter.qps(endpoint);
    long interval = qps > 0 ? (long) (1000 / qps) : 500;
    long ms = Math.max(500, interval) << Math.min(hit - 1, 4);
    return Duration.ofMillis(Math.min(ms, 10_000));
  }

  private void pause(Duration d, Call c) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw DriveException.builder(ErrorKind.CANCELLED, "cancelled by interrupt while waiting to retry")
          .driver(Open123Provider.ID).operation(c.op()).target(c.target()).build();
    }
  }

  private JsonNode withToken(Call c) {
    Token token = tokens.current();
    try {
      return once(c, token);
    } catch (Rejected first) {
      Token fresh;
      try {
        fresh = tokens.refreshIfCurrent(token);
      } catch (DriveException refreshFailure) {
        throw unauthenticated(c, first, refreshFailure);
      }
      try {
        return once(c, fresh);
      } catch (Rejected second) {
        throw unauthenticated(c, second, null);
      }
    }
  }

  private JsonNode withoutToken(Call c) {
    try {
      return once(c, null);
    } catch (Rejected r) {
      throw DriveException.builder(ErrorKind.UNAUTHENTICATED, "123 refused the request as unauthenticated")
          .driver(Open123Provider.ID).operation(c.op()).target(c.target())
          .providerCode(r.code).providerMessage(r.message).traceId(r.traceId).build();
    }
  }

  private DriveException unauthenticated(Call c, Rejected r, DriveException refreshFailure) {
    String msg = refreshFailure == null
        ? "123 rejected the access token again right after it was renewed"
            + (r.message != null && r.message.contains("exceeded") ? " (more than 3 tokens are live for this client id:"
                + " other programs using the same app mint tokens; share one token store)" : "")
            + "; check the app's credentials and permissions"
        : "123 rejected the access token and renewing it failed: " + refreshFailure.reason();
    return DriveException.builder(ErrorKind.UNAUTHENTICATED, msg)
        .driver(Open123Provider.ID).operation(c.op()).target(c.target())
        .providerCode(r.code).providerMessage(r.message).traceId(r.traceId).cause(refreshFailure).build();
  }

  /** The server refused the bearer token (code or HTTP 401). */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;
    final String message;
    final String traceId;

    Rejected(String code, String message, String traceId) {
      super(message, null, false, false);
      this.code = code;
      this.message = message;
      this.traceId = traceId;
    }
  }

  private JsonNode once(Call c, Token token) {
    limiter.acquire(c.endpoint());
    HttpUrl url = c.url() != null ? c.url() : base.newBuilder().addPathSegments(c.endpoint()).build();
    Request.Builder rb = new Request.Builder().url(url).header("Platform", "open_platform");
    if (token != null) rb.header("Authorization", "Bearer " + token.accessToken().reveal());
    RequestBody body = c.body() == null ? null : c.body().get();
    rb.method(c.method(), body);
    HttpCalls.Result res;
    try {
      res = HttpCalls.execute(client, rb.build());
    } catch (DriveException e) {
      throw withContext(e, c);
    }
    String headerTrace = res.header("x-traceID");
    if (res.status() == 401) throw new Rejected("HTTP 401", snippet(res), headerTrace);
    if (res.status() == 429) {
      throw DriveException.builder(ErrorKind.RATE_LIMITED, "123 answered HTTP 429 (too many requests)")
          .driver(Open123Provider.ID).operation(c.op()).target(c.target()).providerCode(429).traceId(headerTrace)
          .retryable(true).build();
    }
    JsonNode root;
    try {
      root = HttpCalls.json(mapper, res, c.method() + " /" + c.endpoint());
    } catch (DriveException e) {
      throw withContext(e, c);
    }
    if (!c.envelope()) {
      if (res.status() != 200) {
        throw DriveException.builder(res.status() >= 500 ? ErrorKind.PROVIDER_ERROR : ErrorKind.UNAUTHENTICATED,
                "the token endpoint answered HTTP " + res.status())
            .driver(Open123Provider.ID).operation(c.op()).providerCode(res.status())
            .providerMessage(firstText(root, "message", "error_description", "error"))
            .retryable(res.status() >= 500).build();
      }
      return root;
    }
    JsonNode codeNode = root.get("code");
    String traceId = root.path("x-traceID").asText(headerTrace);
    if (traceId != null && traceId.isEmpty()) traceId = headerTrace;
    if (codeNode == null || !codeNode.canConvertToInt() && !codeNode.isTextual()) {
      throw protocol(c.op(), c.target(), "/" + c.endpoint() + " answered HTTP " + res.status()
          + " with JSON that is not the 123 envelope (no code)", traceId);
    }
    int code;
    try {
      code = codeNode.isNumber() ? codeNode.asInt() : Integer.parseInt(codeNode.asText().trim());
    } catch (NumberFormatException e) {
      throw protocol(c.op(), c.target(), "/" + c.endpoint() + " answered a non-numeric code '" + codeNode.asText() + "'", traceId);
    }
    String message = root.path("message").asText(null);
    if (code == Open123Errors.OK) {
      if (res.status() >= 300) {
        throw protocol(c.op(), c.target(), "/" + c.endpoint() + " answered HTTP " + res.status() + " with code 0", traceId);
      }
      return root.path("data");
    }
    if (code == Open123Errors.UNAUTHORIZED) throw new Rejected(String.valueOf(code), message, traceId);
    ErrorKind kind = Open123Errors.kindOf(code, message);
    boolean retryable = kind == ErrorKind.RATE_LIMITED || code == Open123Errors.VERIFYING || res.status() >= 500;
    throw DriveException.builder(kind, Open123Errors.advice(kind))
        .driver(Open123Provider.ID).operation(c.op()).target(c.target())
        .providerCode(code).providerMessage(message).traceId(traceId).retryable(retryable).build();
  }

  private static String snippet(HttpCalls.Result res) {
    String t = res.text().strip();
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
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

  /** Re-labels a transport error with this driver, operation and target. */
  static DriveException withContext(DriveException e, Call c) {
    if (e.driverId().isPresent()) return e;
    return DriveException.builder(e.kind(), e.reason())
        .driver(Open123Provider.ID).operation(c.op()).target(c.target() != null ? c.target() : e.target().orElse(null))
        .retryable(e.retryable()).providerCode(e.providerCode().orElse(null))
        .providerMessage(e.providerMessage().orElse(null)).traceId(e.traceId().orElse(null))
        .retryAfter(e.retryAfter().orElse(null)).cause(e.getCause() != null ? e.getCause() : e).build();
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
