package io.github.pan4j.core.spi.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reply as the engine read it: status, headers and the whole body (API replies are small; the
 * engine refuses bodies over {@link ApiClient#MAX_API_BODY}).
 */
public final class ApiResponse {
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  public ApiResponse(int status, Map<String, List<String>> headers, byte[] body) {
    this.status = status;
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = java.util.Collections.unmodifiableMap(h);
    this.body = body.clone();
  }

  public int status() { return status; }

  /** All headers; names are matched ignoring case. */
  public Map<String, List<String>> headers() { return headers; }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The body bytes (a copy). */
  public byte[] body() { return body.clone(); }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The body's text for an error message: on one line (every run of white space becomes one
   * space, so a gateway's HTML page does not break a log line) and cut at {@code max} characters.
   */
  public String snippet(int max) {
    return io.github.pan4j.core.internal.http.Failures.snippet(text(), max);
  }

  /** True when the body looks like HTML (a gateway error page), not JSON. */
  public boolean looksLikeHtml() {
    String type = header("Content-Type");
    return text().stripLeading().startsWith("<") || (type != null && type.contains("html"));
  }

  @Override
  public String toString() {
    return "ApiResponse{" + status + ", " + body.length + " bytes}";
  }
}
