package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/** A request as a front door sees it, with lookup helpers for the 123 conventions. */
public final class FakeRequest {
  private final String server;
  private final RecordedRequest recorded;
  /** The body when the fake's socket read it (see ReceivedBodies); null when MockWebServer did. */
  private final ReceivedBodies.Body held;
  private JsonNode json;
  private boolean formBodies;

  FakeRequest(String server, RecordedRequest recorded, ReceivedBodies.Body held) {
    this.server = server;
    this.recorded = recorded;
    this.held = held;
  }

  /** The name of the server that received it ({@code open}, {@code cdn}, …). */
  public String server() { return server; }
  /**
   * MockWebServer's record of the request. A body of 64 KiB or more sent with a Content-Length was
   * read by the fake's own socket, not by MockWebServer: there the record's body is empty and its
   * Content-Length 0; {@link #body()}, {@link #bodySize()} and {@link #header} give the real ones.
   */
  public RecordedRequest recorded() { return recorded; }
  /** The HTTP method (a GET that carried a body is still a GET, see {@link BodyOnGetSockets}). */
  public String method() {
    String original = recorded.getHeaders().get(BodyOnGetSockets.ORIGINAL_METHOD);
    return original != null ? original : recorded.getMethod();
  }
  public HttpUrl url() { return recorded.getUrl(); }
  /** The path as sent, percent-escapes kept (e.g. {@code /a/%E4%B8%AD.txt}); {@code /} when empty. */
  public String path() { return recorded.getUrl().encodedPath().isEmpty() ? "/" : recorded.getUrl().encodedPath(); }

  /** A query parameter by exact (case-sensitive) name, or null. */
  public String query(String name) {
    return recorded.getUrl().queryParameter(name);
  }

  /** A query parameter whose name matches ignoring case, or null. */
  public String queryIgnoreCase(String name) {
    HttpUrl u = recorded.getUrl();
    for (int i = 0; i < u.querySize(); i++) {
      if (u.queryParameterName(i).equalsIgnoreCase(name)) return u.queryParameterValue(i);
    }
    return null;
  }

  /**
   * The address of the client that sent the request (e.g. {@code 127.0.0.1}), as the connection
   * shows it; {@code ""} when unknown.
   */
  public String clientAddress() {
    String peer = recorded.getHeaders().get(BodyOnGetSockets.PEER);
    return peer == null ? "" : peer;
  }

  public String header(String name) {
    if (held != null && name.equalsIgnoreCase("Content-Length")) return Integer.toString(held.length);
    return recorded.getHeaders().get(name);
  }

  /** The raw body bytes (empty when none), a copy. */
  public byte[] body() {
    if (held != null) return java.util.Arrays.copyOf(heldBody().buf, held.length);
    return recorded.getBody() == null ? new byte[0] : recorded.getBody().toByteArray();
  }

  /** The body's length in bytes. */
  public long bodySize() {
    return held != null ? held.length : recorded.getBodySize();
  }

  /**
   * The body as the fake's socket read it ({@code buf[0, length)}, valid while the request is
   * being handled), or null when MockWebServer read it ({@link RecordedRequest#getBody()}).
   */
  ReceivedBodies.Body heldBody() {
    if (held != null && held.released()) throw new IllegalStateException("the body of " + this + " was released");
    return held;
  }

  public String bodyText() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  /** True when the request declared a Content-Length (not chunked). */
  public boolean hasContentLength() {
    return header("Content-Length") != null && recorded.getChunkSizes() == null;
  }

  /**
   * Lets {@link #json()} read a body that is not JSON but form-encoded ({@code a=1&b=x}) as an
   * object of text fields, whatever its Content-Type says. Called by a front door before the
   * handler reads the body.
   */
  synchronized void acceptFormBody() {
    formBodies = true;
  }

  /**
   * The body parsed as JSON regardless of Content-Type; a form-encoded body as an object of text
   * fields when {@link #acceptFormBody() allowed}; else a missing node when it is not JSON.
   */
  public synchronized JsonNode json() {
    if (json == null) {
      byte[] b = body();
      JsonNode n = null;
      try {
        n = b.length == 0 ? null : Json.mapper().readTree(b);
      } catch (IOException e) {
        if (formBodies && b.length <= FORM_MAX && !isMultipart()) n = form(new String(b, StandardCharsets.UTF_8));
      }
      json = n == null ? MissingNode.getInstance() : n;
    }
    return json;
  }

  /** Form bodies of JSON calls are a few fields; an upload body is never read as one. */
  private static final int FORM_MAX = 64 * 1024;

  private boolean isMultipart() {
    String type = header("Content-Type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
  }

  /** {@code a=1&b=x%20y} as {@code {"a":"1","b":"x y"}}; null when it is not that shape. */
  private static JsonNode form(String body) {
    String s = body.strip();
    Map<String, String> fields = s.contains("=") ? formFields(s) : null;
    if (fields == null || fields.isEmpty()) return null;
    ObjectNode o = Json.mapper().createObjectNode();
    fields.forEach(o::put);
    return o;
  }

  /**
   * The fields of a form-encoded body ({@code a=1&b=x%20y}), decoded, in order; a part without
   * {@code =} or with an empty name is skipped. Null when a {@code %}-escape is malformed: then
   * the body is not a form.
   */
  static Map<String, String> formFields(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) continue;
      try {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  /** A top-level JSON body field matched case-insensitively (123 servers ignore key case), or null. */
  public JsonNode field(String name) {
    JsonNode j = json();
    if (!j.isObject()) return null;
    JsonNode exact = j.get(name);
    if (exact != null) return exact;
    for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return e.getValue();
    }
    return null;
  }

  /**
   * A JSON field as a long, accepting numbers and numeric strings (as the real servers do), or
   * null when absent or not numeric. A number outside the 64-bit range is not numeric: the servers
   * decode ids and sizes into 64-bit integers and refuse what does not fit, where Jackson's
   * {@code asLong()} would wrap it round onto some other id.
   */
  public Long longField(String name) {
    JsonNode n = field(name);
    if (n == null || n.isNull()) return null;
    if (n.isIntegralNumber()) return n.canConvertToLong() ? n.asLong() : null;
    if (n.isTextual()) {
      try {
        return Long.parseLong(n.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** A JSON field as text (numbers rendered), or null. */
  public String textField(String name) {
    JsonNode n = field(name);
    return n == null || n.isNull() ? null : n.asText();
  }

  @Override
  public String toString() {
    return server + " " + method() + " " + url();
  }
}
