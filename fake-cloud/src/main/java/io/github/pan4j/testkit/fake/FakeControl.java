package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;
import mockwebserver3.MockResponse;

/**
 * The fake cloud's control endpoint, under {@code /_fake/} on every server (no 123 path starts
 * with it), so a client written in any language can read counters and inject faults over HTTP:
 *
 * <ul>
 *   <li>{@code GET /_fake/counters}: tokens minted, live tokens per client, requests per
 *       endpoint, 429s served, requests over a limit. {@code POST /_fake/counters/reset} zeroes them.
 *   <li>{@code POST /_fake/faults} with {@code {"server","path","method","kind","times","delayMs"}}:
 *       the next {@code times} matching requests get {@code kind}: {@code 429} (a 123 envelope with
 *       code 429, HTTP 200, as the real service answers), {@code http429}, {@code 500} (empty
 *       body), {@code html502} (a gateway page), {@code drop} (connection closed before any
 *       byte), {@code delay} (the real answer after {@code delayMs}, real time), {@code malformed}
 *       (a cut-off JSON body); and three that carry the request out first, then lose its answer:
 *       {@code lostReply} (a gateway page), {@code cutReply} (JSON cut off), {@code droppedReply}
 *       (connection closed). {@code path} is exact, or a prefix when it ends in {@code *}; absent
 *       = every path. {@code GET /_fake/faults} counts pending ones; {@code DELETE} clears them.
 *   <li>{@code POST /_fake/tokens/revoke} with {@code {"clientId": "..."}} (open platform) and/or
 *       {@code {"web": true}} (every web login token): their next use answers code 401.
 *   <li>{@code POST /_fake/seed}: a new root folder filled with small files ({@link FakeSeed}).
 *   <li>{@code POST /_fake/offline/fail} with {@code {"times","reason","retrying"}}: the next
 *       {@code times} (default 1) offline download tasks, of either protocol, fail with
 *       {@code reason}, after {@code retrying} (default 0) polls that answer "retrying".
 *       {@code GET /_fake/offline/tasks} lists every task with its state ({@link FakeOffline}).
 *   <li>{@code GET /_fake/settings} lists the behaviour switches the Java API sets on the
 *       front doors ({@link FakeSettings}); {@code POST /_fake/settings} with
 *       {@code {"open.qps": false, ...}} sets them.
 *   <li>{@code GET /_fake/clock}, {@code POST /_fake/clock/advance} with {@code {"seconds": N}}:
 *       the cloud's time, moved forward without waiting.
 * </ul>
 *
 * Control requests are not logged, counted, nor subject to faults. Replies are plain JSON (no 123
 * envelope); errors are HTTP 400 with {@code {"error": "..."}}.
 */
final class FakeControl {
  static final String PREFIX = "/_fake/";
  private final FakeCloud cloud;

  FakeControl(FakeCloud cloud) {
    this.cloud = cloud;
  }

  MockResponse handle(FakeRequest req) {
    String path = req.path();
    String m = req.method().toUpperCase(Locale.ROOT);
    try {
      return switch (m + " " + path) {
        case "GET /_fake/", "GET /_fake/help" -> json(200, help());
        case "GET /_fake/counters" -> json(200, counters());
        case "POST /_fake/counters/reset" -> {
          cloud.counters().reset();
          yield json(200, ok());
        }
        case "POST /_fake/faults" -> json(200, injectFault(req.json()));
        case "GET /_fake/faults" -> json(200, ok().put("pending", cloud.pendingFaults()));
        case "DELETE /_fake/faults" -> {
          cloud.clearFaults();
          yield json(200, ok());
        }
        case "POST /_fake/tokens/revoke" -> json(200, revoke(req.json()));
        case "POST /_fake/seed" -> json(200, FakeSeed.seed(cloud, req.json()));
        case "POST /_fake/offline/fail" -> json(200, failOffline(req.json()));
        case "GET /_fake/offline/tasks" -> json(200, offlineTasks());
        case "POST /_fake/oauth/grant" -> json(200, oauthGrant(req.json()));
        case "GET /_fake/settings" -> json(200, ok().set("settings", new FakeSettings(cloud).describe()));
        case "POST /_fake/settings" -> json(200, ok().set("settings", new FakeSettings(cloud).apply(req.json())));
        case "GET /_fake/clock" -> json(200, clock());
        case "POST /_fake/clock/advance" -> json(200, advanceClock(req.json()));
        default -> json(404, error("no control endpoint " + m + " " + path + "; GET /_fake/ lists them"));
      };
    } catch (IllegalArgumentException e) {
      return json(400, error(e.getMessage()));
    }
  }

  private ObjectNode counters() {
    ObjectNode o = cloud.counters().toJson();
    ObjectNode live = Json.mapper().createObjectNode();
    try {
      OpenApiFrontDoor open = cloud.door(OpenApiFrontDoor.class);
      for (Account a : cloud.store().accounts()) {
        if (a.clientId() != null) live.put(a.clientId(), open.liveTokens(a.clientId()).size());
      }
    } catch (IllegalArgumentException noOpenDoor) {
      // no open platform in this cloud
    }
    try {
      WebFrontDoor web = cloud.door(WebFrontDoor.class);
      for (Account a : cloud.store().accounts()) {
        int n = web.liveTokens(a.uid()).size();
        if (n > 0) live.put("web:" + a.uid(), n);
      }
    } catch (IllegalArgumentException noWebDoor) {
      // no web door in this cloud
    }
    ObjectNode ordered = Json.mapper().createObjectNode();
    ordered.set("tokensMinted", o.get("tokensMinted"));
    ordered.set("liveTokens", live);
    ordered.set("served429", o.get("served429"));
    ordered.set("overLimit", o.get("overLimit"));
    ordered.set("requests", o.get("requests"));
    return ordered;
  }

  /** The fault kinds of {@code POST /_fake/faults}. */
  static final String KINDS = "429, http429, http401, 500, html502, drop, delay, malformed, lostReply, cutReply, droppedReply";

  private ObjectNode injectFault(JsonNode body) {
    if (body == null || !body.isObject()) throw new IllegalArgumentException("body must be a JSON object");
    String server = text(body, "server", "open");
    if (!FakeCloud.SERVERS.contains(server)) throw new IllegalArgumentException("unknown server '" + server + "'; known: " + FakeCloud.SERVERS);
    String path = text(body, "path", null);
    String method = text(body, "method", null);
    String kind = text(body, "kind", null);
    if (kind == null) throw new IllegalArgumentException("kind is required: " + KINDS);
    int times = body.path("times").asInt(1);
    if (times < 1) throw new IllegalArgumentException("times must be at least 1");
    Fault fault = switch (kind.toLowerCase(Locale.ROOT)) {
      case "429" -> envelope429(server);
      case "http429" -> Fault.status(429, "Too Many Requests");
      case "http401" -> Fault.status(401, "Unauthorized");
      case "500" -> Fault.response("HTTP 500", new MockResponse.Builder().code(500).body("").build());
      case "html502" -> Fault.html(502);
      case "drop" -> Fault.disconnect();
      case "delay" -> {
        long ms = body.path("delayMs").asLong(-1);
        if (ms < 0) throw new IllegalArgumentException("delay needs delayMs");
        yield Fault.slow(Duration.ofMillis(ms));
      }
      case "malformed" -> Fault.malformedJson();
      case "lostreply" -> Fault.lostReply();
      case "cutreply" -> Fault.cutReply();
      case "droppedreply" -> Fault.droppedReply();
      default -> throw new IllegalArgumentException("unknown kind '" + kind + "'; known: " + KINDS);
    };
    Predicate<FakeRequest> match = r -> (method == null || method.equalsIgnoreCase(r.method()))
        && (path == null || (path.endsWith("*") ? r.path().startsWith(path.substring(0, path.length() - 1)) : r.path().equals(path)));
    cloud.inject(server, match, fault, times);
    return ok().put("pending", cloud.pendingFaults());
  }

  /** The open platform's 429 text: its door's setting, or the documented one without an open door. */
  private String openTooFrequentMessage() {
    try {
      return cloud.door(OpenApiFrontDoor.class).tooFrequentMessage;
    } catch (IllegalArgumentException noOpenDoor) {
      return "请求太频繁";
    }
  }

  /** A 429 as each protocol words it: the open platform's envelope or the web API's. */
  private Fault envelope429(String server) {
    MockResponse r = switch (server) {
      case "web", "login" -> WebJson.error(429, WebFrontDoor.MSG_RATE);
      default -> OpenWire.envelope(cloud.traceId(), 429, openTooFrequentMessage(), null);
    };
    return Fault.response("code 429", r);
  }

  /**
   * What a user's consent on 123's authorise page would give an OAuth app (§6.3): a refresh token
   * for one account and, when the body names the {@code redirectUri} of the authorisation, an
   * authorization code that only this app can redeem, with that redirect_uri; so that an OAuth
   * client can be run against the fake from outside. The app is registered with the secret given.
   */
  private ObjectNode oauthGrant(JsonNode body) {
    if (body == null || !body.isObject()) throw new IllegalArgumentException("body must be a JSON object");
    String clientId = text(body, "clientId", null);
    String secret = text(body, "clientSecret", null);
    if (clientId == null || clientId.isEmpty() || secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("clientId and clientSecret (the OAuth app's) are required");
    }
    String owner = text(body, "account", OpenApiFrontDoor.DEMO_CLIENT_ID);
    Account a = cloud.store().accountByClientId(owner)
        .orElseThrow(() -> new IllegalArgumentException("no account with open-platform client id '" + owner + "'"));
    OpenApiFrontDoor open = cloud.door(OpenApiFrontDoor.class);
    ObjectNode out = ok();
    out.put("refreshToken", open.issueRefreshToken(a, clientId, secret));
    String redirectUri = text(body, "redirectUri", null);
    if (redirectUri != null) {
      if (redirectUri.isEmpty()) throw new IllegalArgumentException("redirectUri, when given, must not be empty");
      out.put("code", open.issueAuthorizationCode(a, clientId, secret, redirectUri));
    }
    return out;
  }

  private ObjectNode revoke(JsonNode body) {
    if (body == null || !body.isObject()) throw new IllegalArgumentException("body must be a JSON object");
    ObjectNode out = ok();
    String clientId = text(body, "clientId", null);
    if (clientId != null) {
      out.put("open", cloud.door(OpenApiFrontDoor.class).revokeAllTokens(clientId));
    }
    if (body.path("web").asBoolean(false)) {
      WebFrontDoor web = cloud.door(WebFrontDoor.class);
      int n = web.liveTokens().size();
      JsonNode after = body.get("afterCalls");
      if (after == null || after.isNull()) {
        web.expireAllTokens();
      } else {
        if (!after.canConvertToInt() || after.asInt() < 0) throw new IllegalArgumentException("afterCalls must be 0 or more");
        web.expireTokensAfter(after.asInt()); // live tokens, and the next one issued
      }
      out.put("web", n);
    }
    if (clientId == null && !body.path("web").asBoolean(false)) {
      throw new IllegalArgumentException("give clientId (open platform) and/or \"web\": true");
    }
    return out;
  }

  private ObjectNode clock() {
    ObjectNode out = ok();
    out.put("now", cloud.clock().instant().toString());
    Duration shift = cloud.clock() instanceof ShiftedClock c ? c.shift() : null;
    out.put("advancedSeconds", shift == null ? null : shift.toNanos() / 1e9);
    return out;
  }

  /** Moves the cloud's clock forward: tokens, download URLs, part URLs and shares expire by it. */
  private ObjectNode advanceClock(JsonNode body) {
    if (body == null || !body.isObject()) throw new IllegalArgumentException("body must be {\"seconds\": N} with N 0 or more");
    Duration d = FakeSettings.duration(body.get("seconds"));
    if (cloud.clock() instanceof ShiftedClock c) c.advance(d);
    else if (cloud.clock() instanceof FakeClock c) c.advance(d);
    else throw new IllegalArgumentException("this cloud's clock cannot be moved");
    return clock();
  }

  private ObjectNode failOffline(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) body = Json.mapper().createObjectNode();
    if (!body.isObject()) throw new IllegalArgumentException("body must be a JSON object");
    int times = body.path("times").asInt(1);
    int retrying = body.path("retrying").asInt(0);
    if (times < 1) throw new IllegalArgumentException("times must be at least 1");
    if (retrying < 0) throw new IllegalArgumentException("retrying must be 0 or more");
    FakeOffline o = FakeOffline.of(cloud).failNext(times, text(body, "reason", null), retrying);
    return ok().put("pending", o.pendingFailures());
  }

  private ObjectNode offlineTasks() {
    ObjectNode out = ok();
    ArrayNode a = out.putArray("tasks");
    for (FakeOffline.TaskView t : FakeOffline.of(cloud).tasks()) {
      ObjectNode o = a.addObject();
      o.put("id", t.id());
      o.put("protocol", t.protocol());
      o.put("uid", t.uid());
      o.put("url", t.url());
      o.put("dirId", t.dirId());
      o.put("status", t.status());
      o.put("percent", t.percent());
      o.put("polls", t.polls());
      o.put("fileId", t.fileId());
      if (t.failReason() == null) o.putNull("failReason"); else o.put("failReason", t.failReason());
    }
    return out;
  }

  private static String text(JsonNode o, String name, String def) {
    JsonNode n = o.get(name);
    return n == null || n.isNull() ? def : n.asText();
  }

  private static ObjectNode ok() {
    return Json.mapper().createObjectNode().put("ok", true);
  }

  private static ObjectNode error(String message) {
    return Json.mapper().createObjectNode().put("error", message);
  }

  private static ObjectNode help() {
    ObjectNode o = Json.mapper().createObjectNode();
    ArrayNode a = o.putArray("endpoints");
    a.add("GET /_fake/counters");
    a.add("POST /_fake/counters/reset");
    a.add("POST /_fake/faults {server, path, method, kind: 429|http429|http401|500|html502|drop|delay|malformed|lostReply|cutReply|droppedReply, times, delayMs}");
    a.add("GET /_fake/faults");
    a.add("DELETE /_fake/faults");
    a.add("POST /_fake/tokens/revoke {clientId} and/or {web: true[, afterCalls: N]}");
    a.add("POST /_fake/seed {clientId, folder, files}: a new root folder with that many 1-byte files");
    a.add("POST /_fake/offline/fail {times, reason, retrying}");
    a.add("GET /_fake/offline/tasks");
    a.add("GET /_fake/settings: every behaviour switch with its value, type and meaning");
    a.add("POST /_fake/settings {\"open.qps\": false, ...}: sets them (all or none), answers their new values");
    a.add("GET /_fake/clock: the cloud's time, and how far it was advanced");
    a.add("POST /_fake/clock/advance {seconds}: moves the cloud's time forward (tokens, URLs, shares expire by it)");
    a.add("POST /_fake/oauth/grant {clientId, clientSecret, account, redirectUri}: registers the OAuth app and answers"
        + " {refreshToken} for the account of that open-platform client id (default: the demo account), as if its user had"
        + " authorised the app, and with redirectUri also {code}, redeemable once by that app with exactly that redirect_uri");
    return o;
  }

  private static MockResponse json(int status, JsonNode body) {
    try {
      return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json; charset=utf-8")
          .body(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n").build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
