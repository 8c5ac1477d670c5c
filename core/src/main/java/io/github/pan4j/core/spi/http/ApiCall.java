package io.github.pan4j.core.spi.http;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One logical API call, described in plain values. The {@link ApiClient} turns it into as many
 * HTTP attempts as its rules allow.
 *
 * <ul>
 *   <li>{@code operation}, {@code target}: what the caller is doing and to which path or id; they
 *       label every error of the call.
 *   <li>{@code endpoint}: the path under the client's base URL (for example
 *       {@code api/v2/file/list}); also the rate limiter's key. A call with an absolute
 *       {@link Builder#url(String) url} still names an endpoint when it should be paced; with none
 *       it is not paced.
 *   <li>{@code idempotent}: whether a network failure or 5xx may be repeated (a throttled call is
 *       always repeatable: the server did nothing).
 *   <li>{@code readOnly}: whether the call changes nothing at the server (see
 *       {@link Builder#readOnly()}): its failures then never say it may have taken effect.
 *   <li>{@code authenticated}: whether the call carries the token (default true).
 *   <li>{@code survivesClose}: whether the call goes on when its {@link ApiClient} is closed (see
 *       {@link Builder#survivesClose()}).
 * </ul>
 */
public final class ApiCall {
  private final String operation;
  private final String target;
  private final String method;
  private final String endpoint;
  private final String url;
  private final Map<String, String> query;
  private final Map<String, String> headers;
  private final RequestContent body;
  private final boolean idempotent;
  private final boolean readOnly;
  private final boolean authenticated;
  private final boolean followRedirects;
  private final boolean once;
  private final boolean survivesClose;
  private final Duration deadline;

  private ApiCall(Builder b) {
    this.operation = b.operation;
    this.target = b.target;
    this.method = b.method;
    this.endpoint = b.endpoint;
    this.url = b.url;
    this.query = Collections.unmodifiableMap(new LinkedHashMap<>(b.query));
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.body = b.body;
    this.idempotent = b.idempotent;
    this.readOnly = b.readOnly;
    this.authenticated = b.authenticated;
    this.followRedirects = b.followRedirects;
    this.once = b.once;
    this.survivesClose = b.survivesClose;
    this.deadline = b.deadline;
  }

  /** A call of {@code method} to {@code endpoint} (may be null with an absolute {@link Builder#url}). */
  public static Builder builder(String operation, String method, String endpoint) {
    return new Builder(operation, method, endpoint);
  }

  /** A GET, idempotent by default. */
  public static Builder get(String operation, String endpoint) {
    return new Builder(operation, "GET", endpoint).idempotent(true);
  }

  /** A POST, not idempotent unless said so. */
  public static Builder post(String operation, String endpoint) {
    return new Builder(operation, "POST", endpoint);
  }

  public String operation() { return operation; }
  public String target() { return target; }
  public String method() { return method; }
  public String endpoint() { return endpoint; }
  /** The absolute URL, or null for the client's base URL plus {@link #endpoint()}. */
  public String url() { return url; }
  public Map<String, String> query() { return query; }
  public Map<String, String> headers() { return headers; }
  public RequestContent body() { return body; }
  public boolean idempotent() { return idempotent; }
  /** Whether the call only reads (see {@link Builder#readOnly()}). */
  public boolean readOnly() { return readOnly; }
  public boolean authenticated() { return authenticated; }
  public boolean followRedirects() { return followRedirects; }
  /** Whether the call gets exactly one attempt, even after a 429. */
  public boolean once() { return once; }
  /** Whether closing the client neither cancels nor refuses this call. */
  public boolean survivesClose() { return survivesClose; }
  /** This call's own deadline, or null for the client's. */
  public Duration deadline() { return deadline; }

  /** For messages: method and endpoint or URL path, never a query (which may hold secrets). */
  public String describe() {
    String where = endpoint != null ? "/" + endpoint : url == null ? "?" : url.replaceAll("\\?.*$", "");
    return method + " " + where;
  }

  @Override
  public String toString() {
    return "ApiCall{" + operation + " " + describe() + (target != null ? " on " + target : "") + "}";
  }

  /** Builder for {@link ApiCall}. */
  public static final class Builder {
    private final String operation;
    private final String method;
    private final String endpoint;
    private String target;
    private String url;
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private RequestContent body;
    private boolean idempotent;
    private boolean readOnly;
    private boolean authenticated = true;
    private boolean followRedirects = true;
    private boolean once;
    private boolean survivesClose;
    private Duration deadline;

    private Builder(String operation, String method, String endpoint) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.method = Objects.requireNonNull(method, "method");
      this.endpoint = endpoint;
    }

    public Builder target(String target) { this.target = target; return this; }
    /** An absolute URL instead of base URL + endpoint. */
    public Builder url(String url) { this.url = url; return this; }
    /** Adds a query parameter (kept in insertion order). */
    public Builder query(String name, String value) { query.put(name, value); return this; }
    public Builder query(Map<String, ?> params) { params.forEach((k, v) -> query.put(k, String.valueOf(v))); return this; }
    public Builder header(String name, String value) { headers.put(name, value); return this; }
    public Builder body(RequestContent body) { this.body = body; return this; }
    public Builder idempotent(boolean v) { this.idempotent = v; return this; }
    /**
     * Marks a call that changes nothing at the server (a listing, an info or status query sent as
     * a POST), and so is idempotent too. When such a call fails (a cancel in flight, a lost
     * reply), its error does not say it may have taken effect
     * ({@link io.github.pan4j.core.DriveException#mayHaveTakenEffect()}), as it may for every other
     * call that is not an idempotent GET or HEAD.
     */
    public Builder readOnly() { this.readOnly = true; this.idempotent = true; return this; }
    public Builder authenticated(boolean v) { this.authenticated = v; return this; }
    public Builder followRedirects(boolean v) { this.followRedirects = v; return this; }
    /**
     * Exactly one attempt: no retry at all, not even after a 429 (for a sign-in, where every
     * repeat counts against the account's login limits).
     */
    public Builder once() { this.once = true; return this; }
    /**
     * Not cancelled when its {@link ApiClient} is {@linkplain ApiClient#close() closed}, nor
     * refused afterwards: for a token renewal, whose result other drivers of the same account may
     * be waiting for, and for the sign-out a driver makes while closing.
     */
    public Builder survivesClose() { this.survivesClose = true; return this; }
    /** A deadline for this call instead of the client's (a large part upload needs more). */
    public Builder deadline(Duration d) { this.deadline = d; return this; }

    public ApiCall build() {
      if (endpoint == null && url == null) throw new IllegalStateException("a call needs an endpoint or a URL");
      return new ApiCall(this);
    }
  }
}
