package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A fake 123云盘 on loopback: one {@link FakeStore} behind several MockWebServers, each standing
 * in for one of 123's hosts. Protocol {@link FrontDoor}s register routes on them.
 *
 * <p>Servers, by name: {@code open} (open-api.123pan.com), {@code upload} (the open platform's
 * upload servers), {@code web} (yun.123pan.com {@code /b/api} and the share API), {@code login}
 * (login.123pan.com), {@code cdn} (download CDN, download relay, presigned part uploads and the S3
 * storage server of the web API's STS upload mode) and
 * {@code vip} (direct-link CDN, vip.123pan.cn).
 *
 * <p>Tests inspect the store, read the request log and inject faults ({@link #inject}). Closing
 * stops every server and deletes the stored bytes.
 */
public final class FakeCloud implements AutoCloseable {
  public static final List<String> SERVERS = List.of("open", "upload", "web", "login", "cdn", "vip");

  private final FakeStore store;
  private final Clock clock;
  private final Map<String, MockWebServer> servers = new LinkedHashMap<>();
  private final List<Runnable> closeHooks = new ArrayList<>();
  private final Map<String, List<Route>> routes = new LinkedHashMap<>();
  /** Per server: path prefixes that reach the routes of another prefix when nothing else matches. */
  private final Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
  private final List<Injected> faults = new ArrayList<>();
  /** Requests of {@link Fault#cutReplyCarriedOutLater} waiting to be carried out, oldest first. */
  private final List<Deferred> deferred = new ArrayList<>();
  private final List<LoggedRequest> log = Collections.synchronizedList(new ArrayList<>());
  private final List<FrontDoor> doors;
  private final Map<Class<?>, FrontDoor> doorsByType = new LinkedHashMap<>();
  private final int basePort;
  private volatile boolean logBodies;
  private final FakeCounters counters = new FakeCounters();
  private final FakeControl control = new FakeControl(this);
  private final FakeThumbnails thumbnails;
  /** Large request bodies, read by the servers' sockets into a few reused arrays (one per connection in flight). */
  private final ReceivedBodies bodies = new ReceivedBodies(4);
  private boolean started;
  private volatile boolean closed;

  private FakeCloud(Builder b) {
    // Real time is shifted, so that POST /_fake/clock/advance can move it; a FakeClock moves itself.
    this.clock = b.clock instanceof FakeClock ? b.clock : new ShiftedClock(b.clock);
    this.store = new FakeStore(this.clock, b.firstId);
    this.basePort = b.basePort;
    for (String s : SERVERS) {
      servers.put(s, new MockWebServer());
      routes.put(s, new ArrayList<>());
    }
    this.thumbnails = new FakeThumbnails(this);
    this.doors = new ArrayList<>(b.doors);
    for (FrontDoor d : doors) {
      doorsByType.put(d.getClass(), d);
      d.install(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts every server on loopback (consecutive ports from the base port when one was set). */
  public synchronized FakeCloud start() {
    if (started) return this;
    int i = 0;
    for (Map.Entry<String, MockWebServer> e : servers.entrySet()) {
      MockWebServer s = e.getValue();
      String name = e.getKey();
      s.setDispatcher(new Router(name, s));
      s.setServerSocketFactory(new BodyOnGetSockets(bodies, (method, target, version, lines, length) ->
          bodyStall(name, method, target, version, lines, length)));
      try {
        s.start(InetAddress.getLoopbackAddress(), basePort == 0 ? 0 : basePort + i);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot start fake server '" + name + "'", ex);
      }
      i++;
    }
    started = true;
    return this;
  }

  public FakeStore store() { return store; }
  /** What has been served so far; also at {@code GET /_fake/counters} on any server. */
  public FakeCounters counters() { return counters; }
  public Clock clock() { return clock; }
  /** The thumbnails listings carry and the CDN serves, with their settings. */
  public FakeThumbnails thumbnails() { return thumbnails; }
  public ObjectMapper json() { return Json.mapper(); }
  /** The large request bodies the servers' sockets read (see ReceivedBodies). */
  ReceivedBodies receivedBodies() { return bodies; }

  /** The base URL of a server, without trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl(String server) {
    HttpUrl u = server(server).url("/");
    String s = u.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** A URL on a server. */
  public HttpUrl url(String server, String path) {
    return server(server).url(path);
  }

  /** The front door of that type, installed in this cloud. */
  public <T extends FrontDoor> T door(Class<T> type) {
    FrontDoor d = doorsByType.get(type);
    if (d == null) throw new IllegalArgumentException("no front door " + type.getSimpleName() + " installed");
    return type.cast(d);
  }

  /**
   * Registers a handler for requests on {@code server} whose method matches ({@code null}: any)
   * and whose path equals {@code path}, or starts with it when it ends in {@code *}.
   */
  public synchronized void route(String server, String method, String path, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    routes.computeIfAbsent(server, k -> {
      throw new IllegalArgumentException("unknown server '" + k + "'; known: " + SERVERS);
    }).add(new Route(method, path, handler));
  }

  /**
   * Requests on {@code server} whose path starts with {@code from} and that no route matches are
   * served by the route {@code to} + the rest of the path would reach. The handler sees the path
   * as sent (a signature covers that one). Passing a null {@code to} removes the alias.
   */
  public synchronized void alias(String server, String from, String to) {
    if (!routes.containsKey(server)) throw new IllegalArgumentException("unknown server '" + server + "'; known: " + SERVERS);
    Map<String, String> m = aliases.computeIfAbsent(server, k -> new LinkedHashMap<>());
    if (to == null) m.remove(from);
    else m.put(from, to);
  }

  /** The paths routed on {@code server} that are no prefix ({@code *}) routes, for the checks of fault helpers. */
  synchronized List<String> routedPaths(String server) {
    return routes.getOrDefault(server, List.of()).stream().map(Route::path).filter(p -> !p.endsWith("*")).distinct().toList();
  }

  /** Whether a request for {@code path} on {@code server} reaches a route (by some method), directly or through an alias. */
  synchronized boolean reaches(String server, String path) {
    List<Route> candidates = routes.getOrDefault(server, List.of());
    if (candidates.stream().anyMatch(r -> r.matchesPath(path))) return true;
    for (Map.Entry<String, String> a : aliases.getOrDefault(server, Map.of()).entrySet()) {
      String aliased = a.getValue() + path.substring(Math.min(path.length(), a.getKey().length()));
      if (path.startsWith(a.getKey()) && candidates.stream().anyMatch(r -> r.matchesPath(aliased))) return true;
    }
    return false;
  }

  /**
   * Serves {@code fault} for the next {@code times} requests on {@code server} that match. Faults
   * are checked in the order they were injected.
   */
  public synchronized void inject(String server, Predicate<FakeRequest> match, Fault fault, int times) {
    if (!servers.containsKey(server)) {
      throw new IllegalArgumentException("unknown server '" + server + "'; known: " + SERVERS
          + " (the front doors' table in docs/testing.md says which door uses which)");
    }
    faults.add(new Injected(server, match, fault, times));
  }

  /**
   * The {@link Fault#stopReadingBody} armed for a request on {@code server} whose head (request
   * line parts and header lines) this is, taken (counted as used); null when none matches.
   */
  private BodyOnGetSockets.Stall bodyStall(String server, String method, String target, String version,
      List<String> lines, long length) {
    synchronized (this) {
      if (faults.stream().noneMatch(f -> f.left > 0 && f.server.equals(server) && f.fault.readsBody())) return null;
    }
    HttpUrl url = HttpUrl.parse(baseUrl(server) + target);
    if (url == null) return null;
    okhttp3.Headers.Builder h = new okhttp3.Headers.Builder();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0) h.addUnsafeNonAscii(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    RecordedRequest head = new RecordedRequest(0, 0, null, List.of(), method, target, version, url, h.build(),
        okio.ByteString.EMPTY, length, null, null);
    FakeRequest req = new FakeRequest(server, head, null);
    synchronized (this) {
      for (Injected f : faults) {
        if (f.left > 0 && f.server.equals(server) && f.fault.readsBody() && f.match.test(req)) {
          f.left--;
          return new BodyOnGetSockets.Stall(f.fault.stopReadingAfter(), f.fault.holdHook());
        }
      }
    }
    return null;
  }

  /**
   * Faults not yet used up: those {@linkplain #inject injected}, the requests of
   * {@link Fault#cutReplyCarriedOutLater} not carried out yet, and the open platform's
   * {@link OpenApiFrontDoor#failNext failNext} answers. A test that armed faults can assert 0 at
   * its end, so that a fault meant for an endpoint its code never called does not pass unnoticed.
   */
  public int pendingFaults() {
    int n;
    synchronized (this) {
      n = faults.stream().mapToInt(f -> f.left).sum() + deferred.size();
    }
    for (FrontDoor d : doors) if (d instanceof OpenApiFrontDoor open) n += open.forcedFailuresLeft();
    return n;
  }

  /** Removes every pending fault, the open platform's {@code failNext} answers and the requests of {@link Fault#cutReplyCarriedOutLater} too. */
  public void clearFaults() {
    synchronized (this) {
      faults.clear();
      deferred.clear();
    }
    for (FrontDoor d : doors) if (d instanceof OpenApiFrontDoor open) open.clearForcedFailures();
  }

  /** Every request served so far, oldest first. */
  public List<LoggedRequest> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** Requests on one server whose path starts with {@code pathPrefix}. */
  public List<LoggedRequest> requests(String server, String pathPrefix) {
    return requests().stream().filter(r -> r.server().equals(server) && r.path().startsWith(pathPrefix)).toList();
  }

  public void clearRequests() {
    log.clear();
  }

  /** A trace id like the real gateway's ({@code <uuid>_<pod>}). */
  public String traceId() {
    return UUID.randomUUID() + "_fake-gw";
  }

  public Instant now() {
    return clock.instant();
  }

  @Override
  public void close() {
    // Not under this object's monitor: a request still being dispatched needs the monitor
    // (routes, faults), and MockWebServer.close() waits for it, which would stall for 5 s and
    // then fail with "Gave up waiting for queue to shut down".
    List<MockWebServer> open;
    synchronized (this) {
      open = List.copyOf(servers.values());
      closed = true;
    }
    for (MockWebServer s : open) s.close();
    bodies.clear();
    store.close();
    List<Runnable> hooks;
    synchronized (this) {
      hooks = List.copyOf(closeHooks);
      closeHooks.clear();
    }
    for (Runnable h : hooks) h.run();
  }

  /**
   * What a JShell session or a failing test wants to see: the state, each server's base URL and the
   * front doors, e.g. {@code FakeCloud{open=http://localhost:41234, upload=…, doors=[OpenApiFrontDoor]}}.
   */
  @Override
  public synchronized String toString() {
    StringBuilder b = new StringBuilder("FakeCloud{");
    if (closed) b.append("closed, ");
    else if (!started) b.append("not started, ");
    else servers.keySet().forEach(name -> b.append(name).append('=').append(baseUrl(name)).append(", "));
    b.append("doors=").append(doors.stream().map(d -> d.getClass().getSimpleName()).toList());
    return b.append('}').toString();
  }

  /** Runs {@code hook} when this cloud closes (background work of a helper such as offline steps). */
  synchronized void onClose(Runnable hook) {
    closeHooks.add(hook);
  }

  private MockWebServer server(String name) {
    MockWebServer s = servers.get(name);
    if (s == null) throw new IllegalArgumentException("unknown server '" + name + "'; known: " + SERVERS);
    if (!started) throw new IllegalStateException("fake cloud not started");
    return s;
  }

  /** Handles one request for a route. */
  @FunctionalInterface
  public interface Handler {
    MockResponse handle(FakeRequest request) throws Exception;
  }

  /**
   * One served request, for assertions.
   *
   * @param server server name
   * @param method HTTP method
   * @param path request path
   * @param url the full URL
   * @param headers request headers (name → value; multi-valued headers joined)
   * @param bodySize request body bytes
   * @param chunked whether the body came without Content-Length
   * @param status response status
   * @param at when it was served (store clock)
   */
  public record LoggedRequest(String server, String method, String path, String url, Map<String, String> headers,
      long bodySize, boolean chunked, int status, Instant at) {
    public String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
      return null;
    }
  }

  /** What a server answers for a path it does not serve: a plain-text 404, as 123's Go servers do. */
  static MockResponse notRouted() {
    return new MockResponse.Builder().code(404).setHeader("Content-Type", "text/plain").body("404 page not found").build();
  }

  /** IMF-fixdate (RFC 9110 §5.6.7), the form of {@code Date}. */
  private static final java.time.format.DateTimeFormatter HTTP_DATE = java.time.format.DateTimeFormatter
      .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);

  /** The reason phrases nginx writes for the statuses the fake answers. */
  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(204, "No Content"), Map.entry(206, "Partial Content"),
      Map.entry(301, "Moved Permanently"), Map.entry(302, "Moved Temporarily"), Map.entry(304, "Not Modified"),
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Not Allowed"), Map.entry(411, "Length Required"), Map.entry(412, "Precondition Failed"),
      Map.entry(413, "Request Entity Too Large"), Map.entry(416, "Requested Range Not Satisfiable"),
      Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
      Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Temporarily Unavailable"), Map.entry(504, "Gateway Time-out"));

  /**
   * The error page the openresty gateway in front of 123's servers writes for {@code code}, laid out
   * as nginx lays out its built-in pages (CRLF line ends, status and reason in title and heading).
   */
  static String gatewayPage(int code) {
    String status = code + " " + REASONS.getOrDefault(code, "Error");
    return "<html>\r\n<head><title>" + status + "</title></head>\r\n<body>\r\n<center><h1>" + status
        + "</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n";
  }

  private record Route(String method, String path, Handler handler) {
    boolean matches(String m, String p) {
      if (method != null && !method.equalsIgnoreCase(m)) return false;
      return matchesPath(p);
    }

    boolean matchesPath(String p) {
      return path.endsWith("*") ? p.startsWith(path.substring(0, path.length() - 1)) : p.equals(path);
    }
  }

  /** A request of {@link Fault#cutReplyCarriedOutLater} that {@code router} carries out at {@code at}. */
  private record Deferred(Router router, FakeRequest request, Instant at) {}

  private static final class Injected {
    final String server;
    final Predicate<FakeRequest> match;
    final Fault fault;
    int left;

    Injected(String server, Predicate<FakeRequest> match, Fault fault, int left) {
      this.server = server;
      this.match = match;
      this.fault = fault;
      this.left = left;
    }
  }

  private final class Router extends Dispatcher {
    private final String name;
    private final MockWebServer server;

    Router(String name, MockWebServer server) {
      this.name = name;
      this.server = server;
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) throws InterruptedException {
      // MockWebServer keeps every request (with its body) for takeRequest(); we log our own, so
      // drain its queue to keep a long upload from pinning every slice in memory.
      while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
        // drained
      }
      ReceivedBodies.Body held = bodies.claim(recorded.getHeaders().get(ReceivedBodies.HEADER));
      try {
        return dispatch(recorded, new FakeRequest(name, recorded, held));
      } finally {
        if (held != null) held.release(); // no handler keeps a request's bytes past its answer
      }
    }

    private MockResponse dispatch(RecordedRequest recorded, FakeRequest req) {
      if ("HTTP/1.1".equalsIgnoreCase(recorded.getVersion()) && recorded.getHeaders().get("Host") == null) {
        // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host; nginx
        // does, before any route (and closes the connection). Only hand-written clients forget it.
        MockResponse bad = new MockResponse.Builder().code(400).setHeader("Content-Type", "text/html")
            .body(gatewayPage(400)).setHeader("Connection", "close").onResponseEnd(mockwebserver3.SocketEffect.ShutdownConnection.INSTANCE)
            .build();
        return httpSemantics(recorded, req, bad);
      }
      String refused = recorded.getHeaders().get(BodyOnGetSockets.REFUSED);
      if (refused != null) {
        // nginx refuses the body's framing before any route and closes the connection (see
        // BodyOnGetSockets.Rewriting#refusal); the request never reaches the service.
        int code = Integer.parseInt(refused);
        MockResponse bad = new MockResponse.Builder().code(code).setHeader("Content-Type", "text/html")
            .body(gatewayPage(code)).setHeader("Connection", "close").onResponseEnd(mockwebserver3.SocketEffect.ShutdownConnection.INSTANCE)
            .build();
        return httpSemantics(recorded, req, bad);
      }
      return httpSemantics(recorded, req, routed(recorded, req));
    }

    /**
     * What HTTP itself asks of every answer, whatever the handler, written as nginx (in front of
     * 123's Go servers and CDN) writes it: a HEAD answer has the GET answer's head and no content
     * (its {@code Content-Length} kept); a 304 has no {@code Content-Length} (RFC 9110 §8.6 allows
     * only the length a 200 would have, MockWebServer writes 0); every answer has a {@code Date}
     * (RFC 9110 §6.6.1; from the cloud's clock, so a client that reads the server's time sees the
     * fake's) and the standard reason phrase instead of MockWebServer's generic one
     * ({@code 206 OK}, {@code 404 Client Error}); a request that ends its connection
     * ({@code Connection: close}, or HTTP/1.0 without keep-alive) gets {@code Connection: close}
     * and the connection closed after the answer, and an HTTP/1.0 request asking for keep-alive
     * gets {@code Connection: keep-alive}, without which an HTTP/1.0 client takes the connection
     * as closing.
     */
    private MockResponse httpSemantics(RecordedRequest recorded, FakeRequest req, MockResponse response) {
      boolean head = "HEAD".equalsIgnoreCase(req.method());
      boolean close = closesConnection(recorded);
      MockResponse.Builder b = response.newBuilder();
      int code = response.getCode();
      if (head) {
        mockwebserver3.MockResponseBody body = response.getBody();
        long length = body == null ? 0 : Math.max(0, body.getContentLength());
        b.body(new mockwebserver3.MockResponseBody() {
          @Override
          public long getContentLength() {
            return length;
          }

          @Override
          public void writeTo(okio.BufferedSink sink) {
            // a HEAD answer has no content
          }
        });
      }
      if (code == 304) b.removeHeader("Content-Length");
      if (response.getHeaders().get("Date") == null) b.setHeader("Date", HTTP_DATE.format(clock.instant()));
      String reason = REASONS.get(code);
      if (reason != null && response.getStatus().equals(new MockResponse.Builder().code(code).getStatus())) {
        b.status("HTTP/1.1 " + code + " " + reason); // a status a handler chose itself is kept
      }
      if (close) {
        b.setHeader("Connection", "close").onResponseEnd(mockwebserver3.SocketEffect.ShutdownConnection.INSTANCE);
      } else if ("HTTP/1.0".equalsIgnoreCase(recorded.getVersion())) {
        b.setHeader("Connection", "keep-alive");
      }
      return b.build();
    }

    /** {@code Connection: close}, or an HTTP/1.0 request without {@code Connection: keep-alive}. */
    private static boolean closesConnection(RecordedRequest recorded) {
      String connection = String.join(",", recorded.getHeaders().values("Connection")).toLowerCase(java.util.Locale.ROOT);
      if (connection.contains("close")) return true;
      return "HTTP/1.0".equalsIgnoreCase(recorded.getVersion()) && !connection.contains("keep-alive");
    }

    private MockResponse routed(RecordedRequest recorded, FakeRequest req) {
      if (req.path().startsWith(FakeControl.PREFIX) || req.path().equals("/_fake")) return control.handle(req);
      carryOutDue();
      Fault fault = takeFault(req);
      MockResponse response;
      if (fault != null && fault.carriedOutAfter() != null) {
        if (req.heldBody() != null) {
          throw new IllegalStateException(fault + " is for API calls: the body of " + req + " is too large to keep");
        }
        synchronized (FakeCloud.this) {
          deferred.add(new Deferred(this, req, clock.instant().plus(fault.carriedOutAfter())));
        }
        response = fault.apply(null);
      } else if (fault != null && !fault.needsRealResponse()) {
        response = fault.apply(null);
      } else {
        response = handle(req);
        if (fault != null) response = fault.apply(response);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String h : recorded.getHeaders().names()) {
        if (h.equalsIgnoreCase(BodyOnGetSockets.ORIGINAL_METHOD) || h.equalsIgnoreCase(ReceivedBodies.HEADER)
            || h.equalsIgnoreCase(BodyOnGetSockets.PEER) || h.equalsIgnoreCase(BodyOnGetSockets.REFUSED)) continue;
        headers.put(h, h.equalsIgnoreCase("Content-Length") ? req.header(h) : String.join(", ", recorded.getHeaders().values(h)));
      }
      log.add(new LoggedRequest(name, req.method(), req.path(), recorded.getUrl().toString(), headers,
          req.bodySize(), recorded.getChunkSizes() != null && !recorded.getChunkSizes().isEmpty(),
          response.getCode(), clock.instant()));
      counters.request(name, req.method(), req.path());
      if (response.getCode() == 429 || businessCode(response) == 429) counters.served429();
      return response;
    }

    /** The {@code code} of a small JSON reply (123's envelope), or 0. */
    private int businessCode(MockResponse response) {
      String type = response.getHeaders().get("Content-Type");
      mockwebserver3.MockResponseBody body = response.getBody();
      if (type == null || !type.contains("json") || body == null) return 0;
      long len = body.getContentLength();
      if (len <= 0 || len > 64 * 1024) return 0;
      try {
        okio.Buffer buf = new okio.Buffer();
        body.writeTo(buf);
        com.fasterxml.jackson.databind.JsonNode code = Json.mapper().readTree(buf.readByteArray()).get("code");
        return code == null ? 0 : code.asInt(0); // a string code "429" counts too
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    /** Carries out the deferred requests whose time has come on the fake's clock (their answers go nowhere). */
    private void carryOutDue() {
      List<Deferred> due = new ArrayList<>();
      synchronized (FakeCloud.this) {
        if (deferred.isEmpty()) return;
        Instant now = clock.instant();
        for (java.util.Iterator<Deferred> it = deferred.iterator(); it.hasNext(); ) {
          Deferred d = it.next();
          if (!d.at().isAfter(now)) {
            due.add(d);
            it.remove();
          }
        }
      }
      for (Deferred d : due) d.router().handle(d.request());
    }

    private Fault takeFault(FakeRequest req) {
      synchronized (FakeCloud.this) {
        for (Injected f : faults) {
          if (f.left > 0 && f.server.equals(name) && !f.fault.readsBody() && f.match.test(req)) {
            f.left--;
            return f.fault;
          }
        }
        faults.removeIf(f -> f.left <= 0);
      }
      return null;
    }

    private MockResponse handle(FakeRequest req) {
      List<Route> candidates;
      Map<String, String> prefixes;
      synchronized (FakeCloud.this) {
        candidates = List.copyOf(routes.get(name));
        prefixes = Map.copyOf(aliases.getOrDefault(name, Map.of()));
      }
      Route route = find(candidates, req.method(), req.path(), prefixes);
      // HEAD is GET without the content (httpSemantics drops it): a route for GET serves it too.
      if (route == null && "HEAD".equalsIgnoreCase(req.method())) route = find(candidates, "GET", req.path(), prefixes);
      if (route == null) return notRouted();
      try {
        return route.handler.handle(req);
      } catch (Exception e) {
        return new MockResponse.Builder().code(500).setHeader("Content-Type", "text/plain")
            .body("fake cloud handler failed: " + e).build();
      }
    }

    /** The route for {@code method} and {@code path}, directly or through an alias of its prefix. */
    private static Route find(List<Route> candidates, String method, String path, Map<String, String> prefixes) {
      Route route = find(candidates, method, path);
      for (Map.Entry<String, String> a : prefixes.entrySet()) {
        if (route != null) break;
        if (path.startsWith(a.getKey())) route = find(candidates, method, a.getValue() + path.substring(a.getKey().length()));
      }
      return route;
    }

    private static Route find(List<Route> candidates, String method, String path) {
      for (Route r : candidates) {
        if (r.matches(method, path)) return r;
      }
      return null;
    }
  }

  /** Builder for {@link FakeCloud}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private int basePort;
    private long firstId = FakeStore.FIRST_ID;
    private final List<FrontDoor> doors = new ArrayList<>();

    /** The clock for token expiry, QPS windows and timestamps (share it with the driver in tests). */
    public Builder clock(Clock clock) { this.clock = Objects.requireNonNull(clock); return this; }
    /** Fixed ports: {@code open} on {@code port}, the others on the following ports. 0 = any free. */
    public Builder basePort(int port) { this.basePort = port; return this; }
    /**
     * The id of the first entry the store creates (default {@link FakeStore#FIRST_ID}, 13 digits as
     * 123's are); {@link FakeStore#SMALL_FIRST_ID} for the 8-digit ids a test may need.
     */
    public Builder firstId(long firstId) {
      if (firstId < 1) throw new IllegalArgumentException("ids start at 1 or more (0 is the root), not " + firstId);
      this.firstId = firstId;
      return this;
    }
    /** Adds a protocol front door. */
    public Builder door(FrontDoor door) { doors.add(Objects.requireNonNull(door)); return this; }
    public FakeCloud build() { return new FakeCloud(this); }
  }
}
