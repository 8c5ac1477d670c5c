package io.github.pan4j.driver.pan123;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenManager;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.spi.http.ApiCall;
import io.github.pan4j.core.spi.http.ApiResponse;
import io.github.pan4j.driver.common123.internal.JsonReplies;
import io.github.pan4j.driver.common123.internal.ProviderMessages;
import io.github.pan4j.driver.common123.web.WebApi;
import io.github.pan4j.driver.common123.web.WebErrors;
import io.github.pan4j.driver.common123.web.WebProfile;
import io.github.pan4j.driver.common123.web.WebSessions;
import io.github.pan4j.core.spi.http.TokenSource;
import io.github.pan4j.core.spi.DriverContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The web sign-in (docs/protocol/123web.md §4) behind a {@link TokenManager}: signs in on first use, keeps
 * the token in the {@link TokenStore} under {@code 123pan:<username>} so a restart reuses it, and
 * signs in again once when a call reports the token expired (single-flight).
 *
 * <p>A sign-in that needs a human (security risk, overseas risk, captcha), the device limit, too
 * many sign-ins and a rejected password are <em>sticky</em>: this session never sends another
 * sign-in request after one of them, so a mount or a retrying caller cannot turn into a login
 * storm (which 123 punishes). Reopen the driver after fixing the cause.
 */
final class Pan123Session {
  private final Pan123Config config;
  private final WebProfile profile;
  private final ObjectMapper mapper;
  private final TokenManager tokens;
  private final Clock clock;
  private final AtomicLong signIns = new AtomicLong();
  private volatile DriveException stickyFailure;
  private volatile WebApi api;
  private final TokenStore store;
  /** The pasted token ({@code accessToken} option), or null. */
  private final Token pasted;
  private volatile boolean pastedSpent;
  /** Where this account's session is published for {@code 123share} (null without a user name). */
  private final String publishedKey;
  private volatile Token lastPublished;

  Pan123Session(Pan123Config config, WebProfile profile, ObjectMapper mapper, DriverContext context) {
    this.config = config;
    this.profile = profile;
    this.mapper = mapper;
    // One token manager per account (server, user, password digest), shared by every mount of it
    // in the JVM; the first session's sign-in serves them all.
    AccountKey account = accountKey(config, profile);
    this.store = context.tokenStore();
    Clock clock = context.clock();
    this.clock = clock;
    this.pasted = config.accessTokenIfAny()
        .map(t -> new Token(t, expiry(t.reveal(), mapper.createObjectNode()), null, Map.of("login", "pasted")))
        .orElse(null);
    this.publishedKey = config.username().isEmpty() ? null : WebSessions.publishedKey(profile.apiBaseUrl(), config.username());
    this.tokens = context.tokenManager(account, () -> TokenManager.builder(account.storeKey(), store, this::obtain)
        .clock(clock).skew(Duration.ofMinutes(5)).failureBackoff(Duration.ofSeconds(5), Duration.ofMinutes(5)).build());
  }

  /**
   * The account: API server, user name (lower case) and a digest of the password, never the
   * password. Without a password (a pasted token only) the digest is the token's, so two pasted
   * tokens, or a pasted token and a password sign-in of the same user, never share a stored token.
   */
  static AccountKey accountKey(Pan123Config c, WebProfile profile) {
    if (c.canSignIn()) {
      return AccountKey.of(Pan123Provider.ID, profile.apiBaseUrl(), c.username().toLowerCase(Locale.ROOT), c.password());
    }
    String principal = c.username().isEmpty() ? "pasted-token" : c.username().toLowerCase(Locale.ROOT);
    return AccountKey.ofIssued(Pan123Provider.ID, profile.apiBaseUrl(), principal, c.accessTokenIfAny().orElseThrow());
  }

  /**
   * The bearer tokens of API calls: the token manager's, each one also published for
   * {@code 123share} mounts that name this account ({@link WebSessions}).
   */
  TokenSource tokenSource() {
    return new TokenSource() {
      @Override
      public Token current() {
        DriveException dead = stickyFailure;
        // A rejected pasted token without a password: nothing can revive it, so send nothing more.
        if (dead != null && !config.canSignIn()) throw dead;
        return publish(tokens.current());
      }

      @Override
      public Token renew(Token rejected) {
        return publish(tokens.refreshIfCurrent(rejected));
      }
    };
  }

  private Token publish(Token t) {
    if (t == null || publishedKey == null || t == lastPublished) return t;
    Token old = store.load(publishedKey).orElse(null);
    if (!t.equals(old)) store.compareAndSet(publishedKey, old, t); // a lost race: the other writer's is as new
    lastPublished = t;
    return t;
  }

  /** The token-store key: {@link #accountKey}'s store key. */
  static String storeKey(Pan123Config c, WebProfile profile) {
    return accountKey(c, profile).storeKey();
  }

  void bind(WebApi api) {
    this.api = api;
  }

  /** The token manager (built here because its refresher is this session's sign-in). */
  TokenManager tokens() {
    return tokens;
  }

  String unauthenticatedHint() {
    return config.canSignIn() ? "123云盘 does not accept the session; check the username and password, then reopen the driver"
        : PASTED_HINT;
  }

  static final String PASTED_HINT = "a pasted token cannot be renewed without a password: paste a new token"
      + " (accessToken) or configure username/password, then reopen the driver";

  /** Number of sign-in requests sent by this session (tests, metrics). */
  long signInCount() {
    return signIns.get();
  }

  /** The token held now (here or in the store) if it has not expired; never signs in or renews. */
  Optional<Token> unexpiredToken() {
    return tokens.peek().filter(t -> !t.expiresWithin(clock, Duration.ZERO));
  }

  /** Forgets the token here and in the store (after sign-out), and its published copy. */
  void invalidate() {
    Token t = tokens.peek().orElse(null);
    tokens.invalidate();
    if (publishedKey != null && t != null && t.equals(store.load(publishedKey).orElse(null))) store.remove(publishedKey);
  }

  /**
   * The refresher. A pasted token is handed out once, at the start (nothing stored yet) or, when
   * there is no password, also after a restart stored it; when 123 rejects it (or it expires) a
   * configured password signs in, otherwise the session fails for good with a typed error.
   */
  private Token obtain(Token previous) {
    DriveException sticky = stickyFailure;
    if (sticky != null) throw sticky;
    if (pasted != null && !pastedSpent && (previous == null || !config.canSignIn())) {
      pastedSpent = true;
      boolean same = previous != null && previous.accessToken().reveal().equals(pasted.accessToken().reveal());
      boolean expired = pasted.expiresAt() != null && !pasted.expiresAt().isAfter(clockNow());
      if (!same && !expired) return pasted;
    }
    if (config.canSignIn()) return signIn(previous);
    Instant exp = pasted.expiresAt();
    String why = exp != null && !exp.isAfter(clockNow().plus(Duration.ofMinutes(5)))
        ? "the pasted accessToken expire" + (exp.isAfter(clockNow()) ? "s" : "d") + " at " + exp
        : "123云盘 no longer accepts the pasted accessToken (revoked, signed out in the browser, or expired)";
    DriveException e = DriveException.builder(ErrorKind.UNAUTHENTICATED, why + "; " + PASTED_HINT).retryable(false)
        .driver(Pan123Provider.ID).operation("sign-in").build();
    stickyFailure = e;
    throw e;
  }

  private Instant clockNow() {
    return clock.instant();
  }

  private Token signIn(Token previous) {
    DriveException sticky = stickyFailure;
    if (sticky != null) throw sticky;
    Map<String, Object> body = new LinkedHashMap<>();
    if (config.usesEmail()) {
      body.put("mail", config.username());
      body.put("password", config.password().reveal());
      body.put("type", 2);
    } else {
      body.put("passport", config.username());
      body.put("password", config.password().reveal());
      body.put("remember", true);
    }
    // Exactly one attempt: every repeat of a sign-in counts against the account's login limits.
    ApiCall call = ApiCall.post("sign-in", null).url(profile.signIn().toString()).target("sign-in")
        .header("user-agent", profile.loginUserAgent()).body(JsonReplies.body(mapper, body))
        .authenticated(false).once().survivesClose().build();
    signIns.incrementAndGet();
    ApiResponse result = api.engine().exchange(call);
    WebApi.Reply reply;
    try {
      reply = api.decode(result, "sign-in");
    } catch (DriveException e) {
      throw api.engine().withContext(e, call); // a gateway page or garbage: say it was the sign-in
    }
    if (reply.code() == 200 && reply.data().isObject()) {
      JsonNode t = reply.data().get("token");
      if (t != null && t.isTextual() && !t.asText().isBlank()) {
        return new Token(io.github.pan4j.core.config.Secret.of(t.asText()), expiry(t.asText(), reply.data()), null,
            Map.of("login", config.usesEmail() ? "mail" : "passport"));
      }
    }
    DriveException e = failure(reply);
    if (!e.retryable()) stickyFailure = e;
    throw e;
  }

  private DriveException failure(WebApi.Reply reply) {
    String message = reply.message();
    DriveException.Builder b;
    if (reply.code() == 200) {
      b = DriveException.builder(ErrorKind.PROTOCOL, "the sign-in succeeded without a token (data: "
          + (reply.data().isTextual() ? "text" : reply.data().getNodeType().toString().toLowerCase(Locale.ROOT))
          + "); the account or this client may be blocked — sign in once with a browser").retryable(false);
    } else if (WebErrors.isWrongPassword(message)) {
      // Its code is unknown (§4.3) and could be anything, 1 or 403 included: the text decides.
      b = wrongCredentials();
    } else if (reply.data().isTextual() && !WebErrors.isVerificationWall(message)) {
      // A blocked device gets data as a string (ALD FAQ).
      b = DriveException.builder(ErrorKind.DEVICE_LIMIT, WebErrors.DEVICE_LIMIT_HINT).retryable(false);
    } else {
      b = WebErrors.map(reply.code(), message);
      DriveException probe = b.build();
      ErrorKind k = probe.kind();
      if (k == ErrorKind.PROVIDER_ERROR && (probe.retryable() || ProviderMessages.soundsTemporary(message))) {
        // An internal error or "system busy" says nothing about the password: the next call signs in again.
        b = DriveException.builder(ErrorKind.PROVIDER_ERROR, "123云盘 could not sign in just now (an error on its side);"
            + " retry in a moment").retryable(true);
      } else if (k != ErrorKind.VERIFICATION_REQUIRED && k != ErrorKind.DEVICE_LIMIT && k != ErrorKind.RATE_LIMITED
          && k != ErrorKind.PROTOCOL) {
        // The wrong-password reply's exact code and text are unknown (§13.1): anything else is a refusal.
        b = wrongCredentials();
      } else if (k == ErrorKind.RATE_LIMITED && reply.code() == 403 && !WebErrors.isThrottleMessage(message)) {
        // A 403 refusal of the sign-in whose text we do not know: 403 is a temporary block of an
        // address while listing (docs/protocol/123web.md §6), but at sign-in the known 403 refusals are
        // walls a human must pass (§4.3). Waiting would not help and retrying could make it worse.
        b = DriveException.builder(ErrorKind.VERIFICATION_REQUIRED, "123云盘 refused the sign-in (HTTP/code 403) without"
            + " a reason pan4j knows. " + WebErrors.VERIFICATION_HINT).retryable(false);
      } else if (k == ErrorKind.RATE_LIMITED && probe.retryable()) {
        b = DriveException.builder(ErrorKind.RATE_LIMITED, "123云盘 throttled the sign-in; retry in a few minutes")
            .retryable(true).retryAfter(Duration.ofMinutes(1));
      }
    }
    return b.driver(Pan123Provider.ID).operation("sign-in").providerCode(reply.code()).providerMessage(message)
        .traceId(reply.traceId()).build();
  }

  private static DriveException.Builder wrongCredentials() {
    return DriveException.builder(ErrorKind.UNAUTHENTICATED,
        "123云盘 refused the sign-in; check the username (phone or e-mail) and password, then reopen the driver"
            + " (passwords are compared on their first 16 characters only)").retryable(false);
  }

  /** The JWT's {@code exp} claim, else {@code data.expire}, else unknown. */
  static Instant expiry(String jwt, JsonNode data) {
    String[] parts = jwt.split("\\.");
    if (parts.length == 3) {
      try {
        byte[] json = Base64.getUrlDecoder().decode(parts[1].replace('+', '-').replace('/', '_').replace("=", ""));
        JsonNode claims = io.github.pan4j.core.internal.http.Json.mapper().readTree(new String(json, StandardCharsets.UTF_8));
        if (claims != null && claims.path("exp").isNumber()) return Instant.ofEpochSecond(claims.get("exp").asLong());
      } catch (IllegalArgumentException | java.io.IOException e) {
        // not a JWT we can read; fall back to data.expire
      }
    }
    JsonNode exp = data.get("expire");
    if (exp != null && exp.isTextual()) {
      try {
        return OffsetDateTime.parse(exp.asText().trim()).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }
}
