package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fake cloud has served, for tests and for the control endpoint ({@code GET
 * /_fake/counters}): requests per endpoint, 429 answers (HTTP 429 or a 123 envelope with code
 * 429, whatever produced them), requests over a rate limit (counted even when the limit is switched
 * off, so a test can assert a client stays under it), and tokens minted per kind.
 */
public final class FakeCounters {
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> overLimit = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> tokens = new ConcurrentHashMap<>();
  private final LongAdder served429 = new LongAdder();

  FakeCounters() {}

  void request(String server, String method, String path) {
    requests.computeIfAbsent(server + " " + method + " " + path, k -> new LongAdder()).increment();
  }

  void served429() {
    served429.increment();
  }

  /** A request beyond an endpoint's limit ({@code server endpoint}), refused or not. */
  void overLimit(String server, String endpoint) {
    overLimit.computeIfAbsent(server + " " + endpoint, k -> new LongAdder()).increment();
  }

  /** A token minted: {@code open} (access_token), {@code oauth}, {@code web} (login), {@code renewal} (renewal service). */
  void tokenMinted(String kind) {
    tokens.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** Requests served per {@code "<server> <METHOD> <path>"} (control requests not included). */
  public Map<String, Long> requests() {
    return snapshot(requests);
  }

  /** Requests per {@code "<server> <path>"} that went over that endpoint's rate limit. */
  public Map<String, Long> overLimit() {
    return snapshot(overLimit);
  }

  /** Answers that said 429, HTTP status or envelope code. */
  public long served429Count() {
    return served429.sum();
  }

  /** Tokens minted per kind ({@code open}, {@code oauth}, {@code web}, {@code renewal}: through the renewal service). */
  public Map<String, Long> tokensMinted() {
    return snapshot(tokens);
  }

  /** Sets every counter to zero. */
  public void reset() {
    requests.clear();
    overLimit.clear();
    tokens.clear();
    served429.reset();
  }

  ObjectNode toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    ObjectNode t = o.putObject("tokensMinted");
    tokensMinted().forEach(t::put);
    o.put("served429", served429Count());
    ObjectNode ol = o.putObject("overLimit");
    overLimit().forEach(ol::put);
    ObjectNode r = o.putObject("requests");
    requests().forEach(r::put);
    return o;
  }

  /** The counters as the JSON of {@code GET /_fake/counters} without its live tokens, for printing. */
  @Override
  public String toString() {
    return toJson().toString();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
