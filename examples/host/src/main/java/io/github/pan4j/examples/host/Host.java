package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.auth.FileTokenStore;
import io.github.pan4j.core.auth.TokenStores;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import io.github.pan4j.micrometer.MicrometerRequestListener;
import io.github.pan4j.redis.RedisAccounts;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-browser host on Javalin 7 (Jetty 12). Jetty reads requests on non-blocking selectors,
 * so a client that sends half a header holds no worker thread, and the connector's idle timeout
 * closes it; the worker pool is bounded; multipart goes through the servlet parser to temporary
 * files; stopping waits for running requests. Routes:
 * <pre>
 * GET  /b/&lt;path&gt;        listing (folders) or file page (files); ?sort=name|size|modified&amp;order=asc|desc&amp;q=search
 * GET  /d/&lt;path&gt;        download in the mount's mode (302, proxy or proxy URL); PUT uploads (login)
 * GET  /p/&lt;path&gt;?sign=  signed local proxy, for external download proxies
 * *    /dav/&lt;path&gt;      WebDAV over every mount (see {@link Dav})
 * GET  /storage         quota of every mount
 * GET  /metrics         the drivers' request and token-renewal meters and the JVM's, in Prometheus' text format
 * GET  /admin           plugins, mounts and driver settings forms (login)
 * POST /op/mkdir|upload|rename|move|remove, /admin/mount, /admin/unmount, /login, /logout
 * </pre>
 */
final class Host implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Host.class);
  private static final int MAX_LISTING = 10_000;
  private static final int MAX_SEARCH = 500;
  private static final int MAX_FORM = 1024 * 1024;
  private static final String HANDLED = "pan4j.handled";
  private static final String USE = "pan4j.use";
  /** The path of the mount whose drive failed the request (or is disabled), for the error page's edit link. */
  private static final String FAILED_MOUNT = "pan4j.failedMount";
  static final String CSP = "default-src 'self'; img-src * data:; media-src *; connect-src *; style-src 'self' 'unsafe-inline';"
      + " script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final HostConfig config;
  private final Clock clock;
  /** The host's JSON mapper (its config file, its API): lenient on unknown fields. */
  static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final ObjectMapper mapper = JSON;
  private final DriverContext context;
  private final RedisAccounts redis;
  private final Plugins plugins;
  private final Mounts mounts;
  private final Auth auth;
  private final Signer signer;
  private final Downloads downloads;
  private final Thumbnails thumbnails = new Thumbnails();
  private final Dav dav;
  private final Path tmpDir;
  /** Every drive's requests and renewals (through the context's listener) and the JVM's meters, for /metrics. */
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  /**
   * The last failure of each open drive (a sign-in the provider refused, a provider that did not
   * answer), for the admin page's status column, until a request on that drive succeeds; a saved
   * mount gets a new drive, and a closed one drops out.
   */
  private final Map<Drive, String> lastFailures = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private Javalin app;

  Host(HostConfig config, Clock clock) throws IOException {
    this.config = config;
    this.clock = clock;
    Files.createDirectories(config.stateDir());
    HostFiles.ownerOnlyDir(config.stateDir());
    DriverContext.Builder cb = DriverContext.builder().clock(clock).requestListener(new MicrometerRequestListener(metrics));
    // Explicitly in memory for "memory": core's default would be the user's persistent token file.
    if (config.tokenStore().equals("file")) cb.tokenStore(new FileTokenStore(config.stateDir().resolve("tokens.json")));
    if (config.tokenStore().equals("memory")) cb.tokenStore(TokenStores.inMemory());
    // Redis lives on the host's class path: the host builds the context, the plugins only see core's
    // TokenStore and RateLimiter types (shared through the parent class loader).
    this.redis = config.tokenStore().equals("redis") ? connectRedis(config.redis()) : null;
    if (redis != null) redis.applyTo(cb);
    this.context = cb.build();
    try {
      this.plugins = Plugins.load(config.pluginsDir(), Host.class.getClassLoader());
      this.mounts = new Mounts(config.mountsFile(), mapper, plugins, context, config.reopenGrace());
      this.auth = new Auth(config.adminUser(), config.adminPasswordHash(), clock, config.sessionTtl(),
          config.stateDir().resolve("sessions.json"), mapper);
      this.tmpDir = Files.createTempDirectory("pan4j-host");
    } catch (IOException | RuntimeException | Error e) {
      if (redis != null) redis.close();
      throw e;
    }
    this.signer = new Signer(config.signKey(), clock, config.signTtl());
    this.downloads = new Downloads(signer);
    this.dav = new Dav(this, mounts, auth, downloads);
    // Last: the GC binder registers JMX listeners that close() removes.
    new JvmMemoryMetrics().bindTo(metrics);
    gcMetrics.bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    if (!auth.enabled()) LOG.warn("no admin user configured: uploads, folder operations, WebDAV writes and the admin page are off");
    if (config.signKeyGenerated()) LOG.info("no signKey configured: using a random one (proxy_url signatures change on restart)");
  }

  /** Connects to the configured Redis, or fails startup with a NETWORK error naming its address. */
  private static RedisAccounts connectRedis(String address) {
    try {
      RedisAccounts r = RedisAccounts.connect(address);
      LOG.info("tokens and rate limits shared through Redis at {}", r.address());
      return r;
    } catch (DriveException e) {
      throw DriveException.builder(e.kind(), "the host cannot start: tokenStore is redis, but " + e.reason()
              + ", or fix \"redis\" in the host config").operation("host start")
          .target(e.target().orElse(address)).retryable(e.retryable()).cause(e).build();
    }
  }

  /**
   * Reads the mounts and starts serving. A mounts file that cannot be read is a {@link ConfigError}
   * (the host is closed then): starting empty would let the admin page save over it.
   */
  Host start() throws ConfigError {
    try {
      mounts.load();
    } catch (ConfigError e) {
      close();
      throw e;
    }
    QueuedThreadPool pool = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()), 60_000);
    pool.setName("pan4j-host");
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.startup.startupWatcherEnabled = false;
      cfg.http.compressionStrategy = CompressionStrategy.NONE;
      cfg.http.prefer405over404 = true;
      cfg.http.maxRequestSize = MAX_FORM;
      cfg.jetty.threadPool = pool;
      cfg.jetty.modifyServer(server -> server.setStopTimeout(config.stopTimeout().toMillis()));
      cfg.jetty.modifyHttpConfiguration(hc -> {
        hc.setSendServerVersion(false);
        hc.setRequestHeaderSize(16 * 1024);
      });
      cfg.jetty.addConnector((server, hc) -> {
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(hc));
        c.setHost(config.bind());
        c.setPort(config.port());
        // Closes connections that send nothing (half a header, a stalled body) for this long.
        c.setIdleTimeout(config.idleTimeout().toMillis());
        return c;
      });
      routes(cfg.routes);
    });
    app.start();
    LOG.info("pan4j host on http://{}:{}/", config.bind(), port());
    return this;
  }

  private void routes(io.javalin.config.RoutesConfig r) {
    r.get("/", ctx -> redirect(ctx, "/b/"));
    // Every route that uses a mount's drive is wrapped in holding(): see there.
    for (String p : List.of("/b", "/b/<path>")) {
      r.get(p, holding(this::browse));
      r.head(p, holding(this::browse));
    }
    r.get("/d/<path>", holding(ctx -> download(ctx, null)));
    r.head("/d/<path>", holding(ctx -> download(ctx, null)));
    r.put("/d/<path>", holding(this::putUpload));
    r.get("/t/<path>", holding(ctx -> thumbnails.send(ctx, pathAfter(ctx, "/t"), target(ctx, pathAfter(ctx, "/t")))));
    r.get("/p/<path>", holding(this::signedProxy));
    r.head("/p/<path>", holding(this::signedProxy));
    r.get("/storage", holding(this::storage));
    // Open like the listings and /storage, which show more (see docs/host.md#metrics): a scraper
    // needs no admin password, which would also let it write.
    r.get("/metrics", ctx -> ctx.header("Cache-Control", "no-store")
        .contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    r.get("/login", ctx -> sendHtml(ctx, 200, Html.page("log in", loginForm(null), null, auth.enabled())));
    r.post("/login", this::login);
    r.post("/logout", this::logout);
    r.get("/admin", ctx -> {
      Auth.Session s = requireSession(ctx);
      Map<String, String> q = query(ctx);
      sendHtml(ctx, 200, adminPage(s, q.get("driver"), q.get("edit"), null, null, List.of()));
    });
    r.post("/admin/mount", this::saveMount);
    r.post("/admin/unmount", ctx -> {
      Map<String, String> f = form(ctx);
      requireWrite(ctx, f);
      mounts.remove(SafePaths.decodePath(f.getOrDefault("mountPath", "").replace("%", "%25")));
      redirect(ctx, "/admin");
    });
    r.post("/op/{op}", holding(ctx -> operation(ctx, ctx.pathParam("op"))));
    r.get("/favicon.ico", ctx -> ctx.status(204));
    r.get("/assets/host.js", ctx -> asset(ctx, "host.js", "text/javascript; charset=utf-8"));
    r.get("/assets/host.css", ctx -> asset(ctx, "host.css", "text/css; charset=utf-8"));
    Handler davHandler = holding(dav::handle);
    for (String m : Dav.METHODS) {
      HandlerType t = HandlerType.findOrCreate(m);
      r.addEndpoint(Endpoint.create(t, "/dav").handler(davHandler));
      r.addEndpoint(Endpoint.create(t, "/dav/<path>").handler(davHandler));
    }
    r.exception(SafePaths.BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    r.exception(Denied.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
    r.exception(DriveException.class, (e, ctx) -> {
      LOG.warn("{} {}: {}", ctx.method(), ctx.req().getRequestURI(), e.getMessage());
      error(ctx, status(e.kind()), e.getMessage());
    });
    r.exception(IOException.class, (e, ctx) -> LOG.debug("client went away: {}", e.toString()));
    r.exception(Exception.class, (e, ctx) -> {
      LOG.error("failed: " + ctx.method() + " " + ctx.req().getRequestURI(), e);
      error(ctx, 500, "internal error: " + e.getClass().getSimpleName() + " (see the host log)");
    });
    r.error(404, ctx -> {
      if (ctx.attribute(HANDLED) == null) error(ctx, 404, "no such page: " + ctx.req().getRequestURI());
    });
    r.error(405, ctx -> {
      if (ctx.attribute(HANDLED) == null) error(ctx, 405, "method " + ctx.method() + " is not allowed here");
    });
  }

  int port() {
    return app.port();
  }

  Mounts mounts() {
    return mounts;
  }

  Plugins plugins() {
    return plugins;
  }

  Signer signer() {
    return signer;
  }

  Auth auth() {
    return auth;
  }

  HostConfig config() {
    return config;
  }

  /** Stops accepting, lets running requests finish (up to the stop timeout), then closes the drives. */
  @Override
  public void close() {
    if (app != null) app.stop();
    mounts.close();
    context.close(); // after the drives: its threads and pooled connections
    plugins.close();
    if (redis != null) redis.close();
    gcMetrics.close();
    metrics.close();
    try (Stream<Path> s = Files.list(tmpDir)) {
      for (Path p : s.toList()) Files.deleteIfExists(p);
      Files.deleteIfExists(tmpDir);
    } catch (IOException ignored) {
      // Temp files of interrupted uploads; the OS cleans its temp folder.
    }
  }

  static final class Denied extends RuntimeException {
    final int status;

    Denied(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  static int status(ErrorKind kind) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS -> 409;
      case NOT_A_DIRECTORY, IS_A_DIRECTORY, INVALID_NAME, INVALID_ARGUMENT, CONFIG_INVALID -> 400;
      case PERMISSION_DENIED -> 403;
      case UNSUPPORTED -> 405;
      case RATE_LIMITED -> 429;
      case QUOTA_EXCEEDED -> 507;
      case CANCELLED -> 503;
      default -> 502;
    };
  }

  /** The decoded host path after a route prefix such as {@code /b}, from the raw request URI. */
  static String pathAfter(Context ctx, String prefix) {
    String raw = ctx.req().getRequestURI();
    if (raw == null || !raw.startsWith(prefix)) throw new SafePaths.BadRequest("bad request path");
    return SafePaths.decodePath(raw.substring(prefix.length()));
  }

  private void asset(Context ctx, String name, String type) throws IOException {
    try (InputStream in = Host.class.getResourceAsStream("/assets/" + name)) {
      if (in == null) throw new Denied(404, "no such asset: " + name);
      ctx.header("Cache-Control", "max-age=300");
      ctx.contentType(type).result(in.readAllBytes());
    }
  }

  /**
   * {@code h}, run with a {@link Mounts.Use} of its own ({@link #use}): the drives of the mounts it
   * resolves stay open until it returns, also when an admin saves their mount meanwhile. Every
   * route that uses a mount's drive (downloads, uploads, listings, folder operations, WebDAV) is
   * wrapped in this, so they all survive a save the same way.
   */
  private Handler holding(Handler h) {
    return ctx -> {
      try (Mounts.Use use = mounts.use()) {
        ctx.attribute(USE, use);
        try {
          h.handle(ctx);
          // WebDAV answers its failures itself: only a request that worked clears the mount's failure.
          Mounts.Mount m = use.resolved(use.firstResolved());
          if (m != null && m.drive() != null && ctx.res().getStatus() < 400) lastFailures.remove(m.drive());
        } catch (DriveException e) {
          // the request's first mount is the one it was about (a move's source, a page's folder)
          if (ctx.attribute(FAILED_MOUNT) == null) ctx.attribute(FAILED_MOUNT, use.firstResolved());
          noteFailure(ctx, e);
          throw e;
        }
      } finally {
        ctx.attribute(USE, null);
      }
    };
  }

  /** The request's hold on the drives it uses; only inside a route wrapped in {@link #holding}. */
  static Mounts.Use use(Context ctx) {
    Mounts.Use u = ctx.attribute(USE);
    if (u == null) throw new IllegalStateException("a route that uses mounts is not wrapped in holding(): " + ctx.path());
    return u;
  }

  // ------------------------------------------------------------------ pages

  private Mounts.Target target(Context ctx, String path) {
    Mounts.Target t = use(ctx).resolve(path);
    if (t == null) throw new Denied(404, "nothing is mounted at " + path);
    if (!t.mount().ok()) {
      ctx.attribute(FAILED_MOUNT, t.mount().spec().path());
      throw new Denied(503, t.mount().problem());
    }
    return t;
  }

  private void browse(Context ctx) throws IOException {
    String path = pathAfter(ctx, "/b");
    Auth.Session session = auth.session(cookie(ctx));
    Mounts.Target t = use(ctx).resolve(path);
    java.util.Set<String> virtual = mounts.virtualChildren(path);
    Map<String, String> q = query(ctx);
    String search = q.getOrDefault("q", "").strip();
    if (search.length() > 200) throw new SafePaths.BadRequest("a search is at most 200 characters");
    String scope = "mount".equals(q.get("scope")) ? "mount" : "folder";
    List<Views.Row> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean truncated = false;
    Views.Caps caps = Views.Caps.NONE;
    boolean canSearchMount = false;
    Views.EditLink edit = null;
    if (t == null) {
      if (virtual.isEmpty() && !path.equals("/")) throw new Denied(404, "nothing is mounted at " + path);
      if (path.equals("/")) {
        problems.addAll(plugins.problems());
        problems.addAll(mounts.problems());
        for (Plugins.Plugin p : plugins.plugins()) for (String pr : p.problems()) problems.add("plugin " + p.name() + ": " + pr);
      }
    } else if (!t.mount().ok()) {
      problems.add(t.mount().problem());
      edit = Views.EditLink.forAdmin(session, t.mount().spec().path());
    } else {
      Drive d = t.mount().drive();
      Entry self = d.stat(t.path());
      if (!self.folder()) {
        filePage(ctx, path, t, self, session);
        return;
      }
      caps = new Views.Caps(d.supports(Capability.UPLOAD), d.supports(Capability.MKDIR), d.supports(Capability.RENAME),
          d.supports(Capability.MOVE), d.supports(Capability.REMOVE));
      canSearchMount = d.supports(Capability.LIST);
      String needle = search.toLowerCase(Locale.ROOT);
      if (!search.isEmpty() && scope.equals("mount")) {
        // The whole mount, depth first, lazily: stops at MAX_SEARCH matches.
        String mountPath = t.mount().spec().path();
        try (Stream<Entry> s = d.walk("/")) {
          for (java.util.Iterator<Entry> it = s.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            String rel = e.pathIfKnown().orElse("/" + e.name());
            if (rel.equals("/") || !e.name().toLowerCase(Locale.ROOT).contains(needle)) continue;
            if (rows.size() >= MAX_SEARCH) {
              truncated = true;
              break;
            }
            String full = mountPath.equals("/") ? rel : mountPath + rel;
            rows.add(row(full, rel.substring(1), e.folder(), e.size(), e.modified(), null, e.thumbnail() != null));
          }
        }
      } else {
        try (Stream<Entry> s = d.list(t.path())) {
          for (java.util.Iterator<Entry> it = s.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (!needle.isEmpty() && !e.name().toLowerCase(Locale.ROOT).contains(needle)) continue;
            if (rows.size() >= MAX_LISTING) {
              truncated = true;
              break;
            }
            rows.add(row(SafePaths.child(path, e.name()), e.name(), e.folder(), e.folder() ? -1 : e.size(), e.modified(), null,
                e.thumbnail() != null));
          }
        }
      }
    }
    if (search.isEmpty()) {
      for (String v : virtual) {
        Mounts.Mount m = mounts.get(SafePaths.child(path, v));
        String note = m == null ? "" : m.ok() ? m.spec().driver() : "disabled";
        if (m != null && !m.ok() && !problems.contains(m.problem())) problems.add(m.problem());
        rows.removeIf(r -> r.name().equals(v));
        rows.add(row(SafePaths.child(path, v), v, true, -1, null, note, false));
      }
    }
    String sort = List.of("name", "size", "modified").contains(q.getOrDefault("sort", "")) ? q.get("sort") : "name";
    boolean desc = "desc".equals(q.get("order"));
    Comparator<Views.Row> c = switch (sort) {
      case "size" -> Comparator.comparingLong(Views.Row::size);
      case "modified" -> Comparator.comparing((Views.Row r) -> r.modified().isEmpty() ? null : r.modified(),
          Comparator.nullsFirst(Comparator.naturalOrder()));
      default -> Comparator.comparing((Views.Row r) -> r.name().toLowerCase(Locale.ROOT)).thenComparing(Views.Row::name);
    };
    if (desc) c = c.reversed();
    rows.sort(Comparator.comparing((Views.Row r) -> !r.folder()).thenComparing(c));
    List<Views.Crumb> crumbs = new ArrayList<>();
    crumbs.add(new Views.Crumb("root", "/b/"));
    String acc = "";
    for (String seg : path.split("/")) {
      if (seg.isEmpty()) continue;
      acc = acc + "/" + seg;
      crumbs.add(new Views.Crumb(seg, "/b" + SafePaths.encodePath(acc)));
    }
    boolean inMount = t != null && t.mount().ok();
    Views.Listing v = new Views.Listing(path, "/b" + SafePaths.encodePath(path), crumbs, problems, rows, sort, desc, search,
        scope, "grid".equals(q.get("view")), truncated, canSearchMount, session == null ? null : session.csrf(), caps,
        inMount ? t.mount().spec().path() : "", inMount, edit);
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("v", v);
    String body = Views.render("listing.jte", params);
    sendHtml(ctx, 200, Views.page(path.equals("/") ? "files" : SafePaths.name(path), session, auth.enabled(), Views.raw(body)));
  }

  private static Views.Row row(String path, String label, boolean folder, long size, java.time.Instant modified, String note,
      boolean thumbnail) {
    MimeTypes.Kind kind = MimeTypes.kind(SafePaths.name(path), folder);
    return new Views.Row(label, path, "/b" + SafePaths.encodePath(path), "/d" + SafePaths.encodePath(path), folder,
        folder ? -1 : size, folder ? "" : Html.size(size), Html.time(modified), MimeTypes.icon(kind),
        kind == MimeTypes.Kind.IMAGE, note, thumbnail ? "/t" + SafePaths.encodePath(path) : null);
  }

  private void filePage(Context ctx, String path, Mounts.Target t, Entry e, Auth.Session session) {
    MimeTypes.Kind kind = MimeTypes.kind(e.name(), false);
    List<Views.Crumb> crumbs = new ArrayList<>();
    crumbs.add(new Views.Crumb("root", "/b/"));
    String acc = "";
    for (String seg : path.split("/")) {
      if (seg.isEmpty()) continue;
      acc = acc + "/" + seg;
      crumbs.add(new Views.Crumb(seg, "/b" + SafePaths.encodePath(acc)));
    }
    String text = null;
    String previewError = null;
    boolean truncated = false;
    int max = config.textPreviewKb() * 1024;
    if (kind == MimeTypes.Kind.TEXT) {
      try (Link.Content c = t.mount().drive().link(t.path()).open(0, e.size() >= 0 ? Math.min(max, Math.max(e.size(), 1)) : max)) {
        byte[] bytes = c.body().readNBytes(max);
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
            .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        truncated = e.size() > max;
      } catch (DriveException | IOException ex) {
        previewError = ex.getMessage();
      }
    }
    Drive d = t.mount().drive();
    Views.Caps caps = t.path().equals("/") ? Views.Caps.NONE : new Views.Caps(false, false, d.supports(Capability.RENAME),
        d.supports(Capability.MOVE), d.supports(Capability.REMOVE));
    Views.FilePage v = new Views.FilePage(path, crumbs, e.name(), MimeTypes.icon(kind), "/d" + SafePaths.encodePath(path),
        "/dav" + SafePaths.encodePath(path), t.mount().spec().download().key(), kind.name().toLowerCase(Locale.ROOT), text,
        truncated, config.textPreviewKb(), previewError, e.size() >= 0 ? Html.size(e.size()) : "unknown", e.size(),
        Html.time(e.modified()), MimeTypes.type(e.name()), t.mount().spec().path(), t.mount().spec().driver(),
        e.hashes().md5(), session == null ? null : session.csrf(), caps);
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("v", v);
    sendHtml(ctx, 200, Views.page(e.name(), session, auth.enabled(), Views.raw(Views.render("file.jte", params))));
  }

  private void storage(Context ctx) {
    Auth.Session session = auth.session(cookie(ctx));
    List<Views.StorageRow> rows = new ArrayList<>();
    for (Mounts.Mount m : use(ctx).all()) {
      String path = m.spec().path();
      String href = "/b" + SafePaths.encodePath(path);
      String driver = m.spec().driver();
      if (!m.ok()) {
        rows.add(new Views.StorageRow(path, href, driver, m.problem(), null, "", "", 0, "", List.of()));
      } else if (!m.drive().supports(Capability.STORAGE_DETAILS)) {
        rows.add(new Views.StorageRow(path, href, driver, null, "this driver does not report quota", "", "", 0, "", List.of()));
      } else {
        try {
          StorageDetails s = m.drive().storage();
          int pct = s.totalBytes() > 0 && s.usedBytes() >= 0 ? (int) Math.min(100, s.usedBytes() * 100 / s.totalBytes()) : 0;
          List<String> extras = new ArrayList<>();
          s.extras().forEach((k, v) -> extras.add(k + ": " + v));
          rows.add(new Views.StorageRow(path, href, driver, null, null, Html.size(s.usedBytes()), Html.size(s.totalBytes()), pct,
              s.plan() == null ? (s.vip() ? "VIP" : "") : s.plan(), extras));
        } catch (DriveException e) {
          rows.add(new Views.StorageRow(path, href, driver, e.getMessage(), null, "", "", 0, "", List.of()));
        }
      }
    }
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("rows", rows);
    sendHtml(ctx, 200, Views.page("storage", session, auth.enabled(), Views.raw(Views.render("storage.jte", params))));
  }

  // ------------------------------------------------------------------ downloads

  private void download(Context ctx, DownloadMode forced) throws IOException {
    String path = pathAfter(ctx, "/d");
    Mounts.Target t = target(ctx, path);
    downloads.send(ctx, path, t, forced, "1".equals(query(ctx).get("dl")));
  }

  private void signedProxy(Context ctx) throws IOException {
    String path = pathAfter(ctx, "/p");
    if (!signer.verify(path, query(ctx).get("sign"))) throw new Denied(403, "missing, wrong or expired sign for " + path);
    downloads.send(ctx, path, target(ctx, path), DownloadMode.PROXY, "1".equals(query(ctx).get("dl")));
  }

  // ------------------------------------------------------------------ writes

  Auth.Session requireSession(Context ctx) {
    if (!auth.enabled()) throw new Denied(403, "writes are off: no admin user is configured in the host config");
    Auth.Session s = auth.session(cookie(ctx));
    if (s == null) throw new Denied(401, "log in first: this needs the admin login");
    return s;
  }

  private Auth.Session requireWrite(Context ctx, Map<String, String> form) {
    Auth.Session s = requireSession(ctx);
    String token = form != null ? form.get("csrf") : ctx.header("X-CSRF-Token");
    if (!Auth.csrfMatches(s, token)) throw new Denied(403, "missing or wrong CSRF token; reload the page and try again");
    return s;
  }

  long maxUploadBytes() {
    return config.maxUploadMb() * 1024 * 1024;
  }

  /**
   * Refuses (413) an upload of {@code bytes} (a request's length; {@code Long.MAX_VALUE} when a
   * body without one ran past the limit) over {@code maxUploadMb}, saying what to change.
   */
  void checkUploadSize(Context ctx, long bytes) {
    if (bytes <= maxUploadBytes()) return;
    // The body is left unread: the connection cannot carry another request, and says so.
    ctx.header("Connection", "close");
    String size = bytes == Long.MAX_VALUE ? "" : " (" + bytes + " bytes)";
    throw new Denied(413, "the upload" + size + " is larger than this host accepts: \"maxUploadMb\" is "
        + config.maxUploadMb() + " in the host's config; raise it there and restart the host to allow larger files");
  }

  private void putUpload(Context ctx) throws IOException {
    String path = pathAfter(ctx, "/d");
    requireWrite(ctx, null);
    Mounts.Target t = target(ctx, path);
    SafePaths.checkName(SafePaths.name(path));
    long size = ctx.req().getContentLengthLong();
    checkUploadSize(ctx, size);
    ConflictPolicy policy = "true".equals(query(ctx).get("overwrite")) ? ConflictPolicy.OVERWRITE : ConflictPolicy.FAIL;
    Entry e = t.mount().drive().put(t.path(), ctx.req().getInputStream(), size, UploadOptions.of(policy));
    LOG.info("uploaded {} ({} bytes)", path, e.size());
    ctx.status(201).contentType("text/plain; charset=utf-8").result("created " + path + "\n");
  }

  private void operation(Context ctx, String op) throws IOException {
    if (op.equals("upload")) {
      uploadForm(ctx);
      return;
    }
    Map<String, String> f = form(ctx);
    Auth.Session s = requireWrite(ctx, f);
    String back;
    switch (op) {
      case "mkdir" -> {
        String dir = formPath(f, "dir", "/");
        String name = SafePaths.checkName(f.get("name"));
        Mounts.Target t = target(ctx, SafePaths.child(dir, name));
        Drive d = t.mount().drive();
        if (d.exists(t.path())) throw new Denied(409, SafePaths.child(dir, name) + " already exists");
        d.mkdirs(t.path());
        back = dir;
      }
      case "rename" -> {
        String path = formPath(f, "path", "/");
        Mounts.Target t = target(ctx, path);
        t.mount().drive().rename(t.path(), SafePaths.checkName(f.get("name")));
        back = f.containsKey("back") ? formPath(f, "back", "/") : SafePaths.parent(path);
      }
      case "move" -> {
        String to = formPath(f, "to", "");
        Mounts.Target dest = target(ctx, to);
        for (String path : formPaths(f)) {
          Mounts.Target t = target(ctx, path);
          if (dest.mount() != t.mount()) throw new Denied(400, "moves work within one mount; " + to + " is on another");
          t.mount().drive().move(t.path(), dest.path());
        }
        back = f.containsKey("back") ? formPath(f, "back", "/") : to;
      }
      case "remove" -> {
        List<String> paths = formPaths(f);
        for (String path : paths) {
          Mounts.Target t = target(ctx, path);
          t.mount().drive().remove(t.path());
        }
        back = f.containsKey("back") ? formPath(f, "back", "/") : SafePaths.parent(paths.get(0));
      }
      default -> throw new Denied(404, "no such operation: " + op);
    }
    LOG.info("{}: {} {}", s.user(), op, f.getOrDefault("path", f.get("dir")));
    redirect(ctx, "/b" + SafePaths.encodePath(back));
  }

  private static String formPath(Map<String, String> f, String key, String dflt) {
    return SafePaths.decodePath(f.getOrDefault(key, dflt).replace("%", "%25"));
  }

  /** {@code path}, or the newline-separated {@code paths} of a multi-selection. */
  private static List<String> formPaths(Map<String, String> f) {
    List<String> out = new ArrayList<>();
    String many = f.get("paths");
    if (many != null) {
      for (String p : many.split("\n")) if (!p.isBlank()) out.add(SafePaths.decodePath(p.strip().replace("%", "%25")));
    } else {
      out.add(formPath(f, "path", "/"));
    }
    if (out.isEmpty()) throw new SafePaths.BadRequest("nothing selected");
    return out;
  }

  private void uploadForm(Context ctx) throws IOException {
    Auth.Session s = requireSession(ctx); // before reading a possibly large body
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new SafePaths.BadRequest("an upload must be multipart/form-data");
    }
    checkUploadSize(ctx, ctx.req().getContentLengthLong());
    Collection<Part> parts;
    try {
      long max = maxUploadBytes();
      ctx.req().setAttribute("org.eclipse.jetty.multipartConfig",
          new jakarta.servlet.MultipartConfigElement(tmpDir.toString(), max, max, 64 * 1024));
      parts = ctx.req().getParts();
    } catch (ServletException | IllegalStateException | IOException e) {
      Throwable c = e;
      while (c.getCause() != null && c.getCause() != c) c = c.getCause();
      LOG.debug("malformed multipart upload", e);
      // Jetty's words for a part over the MultipartConfigElement's limit (a body without a length).
      if (String.valueOf(c.getMessage()).startsWith("max length exceeded")) checkUploadSize(ctx, Long.MAX_VALUE);
      throw new SafePaths.BadRequest("malformed multipart upload: " + c.getMessage());
    }
    try {
      Map<String, String> f = new LinkedHashMap<>();
      List<Part> files = new ArrayList<>();
      for (Part p : parts) {
        if (p.getSubmittedFileName() != null) files.add(p);
        else if (p.getName().equals("file")) {
          throw new SafePaths.BadRequest("malformed multipart upload: the part 'file' has no usable filename");
        } else {
          if (p.getSize() > 64 * 1024) throw new SafePaths.BadRequest("form field " + p.getName() + " is too large");
          f.put(p.getName(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      requireWrite(ctx, f);
      String dir = formPath(f, "dir", "/");
      ConflictPolicy policy = "true".equals(f.get("overwrite")) ? ConflictPolicy.OVERWRITE : ConflictPolicy.FAIL;
      int stored = 0;
      for (Part p : files) {
        if (p.getSubmittedFileName().isEmpty() && p.getSize() == 0) continue; // the browser's "no file chosen"
        String path = SafePaths.child(dir, SafePaths.checkName(p.getSubmittedFileName()));
        Mounts.Target t = target(ctx, path);
        try (InputStream in = p.getInputStream()) {
          t.mount().drive().put(t.path(), in, p.getSize(), UploadOptions.of(policy));
        } catch (DriveException e) {
          if (e.kind() != ErrorKind.ALREADY_EXISTS || policy == ConflictPolicy.OVERWRITE) throw e;
          // The driver's advice names the SDK's conflict policies; on this form the choice is a checkbox.
          throw DriveException.builder(e.kind(), "an entry with this name already exists in the folder; tick \"overwrite\""
                  + " to replace it, or upload it under another name" + (stored == 0 ? "" : " (the " + stored + " file"
                  + (stored == 1 ? "" : "s") + " before it " + (stored == 1 ? "was" : "were") + " uploaded)"))
              .driver(e.driverId().orElse(null)).operation(e.operation().orElse(null)).target(e.target().orElse(null))
              .providerFrom(e).cause(e).build();
        }
        stored++;
        LOG.info("{}: uploaded {} ({} bytes)", s.user(), path, p.getSize());
      }
      if (stored == 0) throw new SafePaths.BadRequest("the upload holds no file");
      if ("fetch".equals(ctx.header("X-Requested-With"))) {
        ctx.status(200).contentType("text/plain; charset=utf-8").result("uploaded " + stored + "\n");
      } else {
        redirect(ctx, "/b" + SafePaths.encodePath(dir));
      }
    } finally {
      for (Part p : parts) {
        try {
          p.delete();
        } catch (IOException ignored) {
          // the temp folder is removed on close
        }
      }
    }
  }

  private void login(Context ctx) throws IOException {
    Map<String, String> f = form(ctx);
    String pw = f.get("password");
    Auth.Result r = auth.login(f.get("user"), pw == null ? null : pw.toCharArray(), clientAddress(ctx));
    if (r.token() == null) {
      if (r.retryAfterSeconds() > 0) ctx.header("Retry-After", String.valueOf(r.retryAfterSeconds()));
      String msg = r.retryAfterSeconds() > 0
          ? "Too many failed logins; try again in " + r.retryAfterSeconds() + " s."
          : "Wrong user name or password.";
      sendHtml(ctx, r.retryAfterSeconds() > 0 ? 429 : 401, Html.page("log in", loginForm(msg), null, auth.enabled()));
      return;
    }
    ctx.header("Set-Cookie", Auth.COOKIE + "=" + r.token() + "; Path=/; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : ""));
    redirect(ctx, "/b/");
  }

  private void logout(Context ctx) throws IOException {
    Auth.Session s = requireWrite(ctx, form(ctx));
    auth.logout(cookie(ctx));
    ctx.header("Set-Cookie", Auth.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : ""));
    LOG.info("{} logged out", s.user());
    redirect(ctx, "/b/");
  }

  /** The client's address: the socket's, or the last X-Forwarded-For hop when the config trusts a proxy. */
  String clientAddress(Context ctx) {
    if (config.trustProxy()) {
      String xff = ctx.header("X-Forwarded-For");
      if (xff != null && !xff.isBlank()) {
        String[] hops = xff.split(",");
        return hops[hops.length - 1].trim();
      }
    }
    return ctx.req().getRemoteAddr();
  }

  /** Served over HTTPS, or behind a trusted proxy that says so. */
  boolean secure(Context ctx) {
    return ctx.req().isSecure() || (config.trustProxy() && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")));
  }

  private String loginForm(String message) {
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("enabled", auth.enabled());
    params.put("message", message);
    return Views.render("login.jte", params);
  }

  // ------------------------------------------------------------------ admin

  /**
   * The admin page; {@code error} goes on top, and each of {@code atFields} (the problems of the
   * options just entered) also next to the fields of the options it names.
   */
  private String adminPage(Auth.Session s, String driverId, String editPath, String error, Map<String, String> entered,
      List<ConfigSchema.Problem> atFields) {
    List<Views.MountRow> rows = new ArrayList<>();
    for (Mounts.Mount m : mounts.all()) {
      Mounts.Through t = m.spec().through();
      List<String> users = mounts.dependants(m.spec().path());
      String confirm = "Unmount " + m.spec().path() + "? The files stay where they are."
          + (users.isEmpty() ? "" : " " + String.join(", ", users) + " download" + (users.size() == 1 ? "s" : "")
              + " through it and will be disabled.");
      rows.add(new Views.MountRow(m.spec().path(), m.spec().driver(),
          m.spec().download().key() + (t == null ? "" : ", through " + t.mount() + " (" + t.whenKey() + ")"),
          m.ok() ? lastFailures.get(m.drive()) : m.problem(), Views.EditLink.href(m.spec().path()), confirm));
    }
    List<Views.DriverRow> drivers = new ArrayList<>();
    for (DriverProvider<?> p : plugins.drives().providers()) {
      drivers.add(new Views.DriverRow(p.id(), p.displayName(),
          p.capabilities().stream().map(Capability::operation).sorted().toList().toString(),
          "/admin?driver=" + URLEncoder.encode(p.id(), StandardCharsets.UTF_8)));
    }
    List<String> problems = new ArrayList<>();
    for (Plugins.Plugin p : plugins.plugins()) for (String pr : p.problems()) problems.add("plugin " + p.name() + ": " + pr);
    problems.addAll(plugins.problems());
    problems.addAll(mounts.problems());
    Mounts.Spec existing = editPath == null ? null : mounts.get(editPath) == null ? null : mounts.get(editPath).spec();
    String id = existing != null ? existing.driver() : driverId;
    Views.Settings settings = null;
    if (id != null) {
      DriverProvider<?> p = plugins.drives().findProvider(id).orElse(null);
      if (p == null && existing != null) {
        // The edit link of a disabled mount leads here: say what would make it editable.
        problems.add("mount " + existing.path() + " cannot be edited here: its driver " + id + " is not loaded; put the"
            + " driver's plugin in " + config.pluginsDir() + " and restart the host, or unmount " + existing.path());
      } else if (p == null) {
        problems.add("driver " + id + " is not available");
      }
      if (p != null) {
        // A stored mount whose options no longer validate (mounts.json edited by hand, a driver
        // update) opens its form with each problem at its field, as a failed save does.
        List<ConfigSchema.Problem> shown = atFields.isEmpty() && entered == null && existing != null
            ? p.schema().check(existing.options()) : atFields;
        settings = settings(p, existing, entered, throughCandidates(), shown);
      }
    }
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("v", new Views.Admin(s.csrf(), error, rows, drivers, problems, settings));
    return Views.page("admin", s, auth.enabled(), Views.raw(Views.render("admin.jte", params)));
  }

  /** Paths of the open mounts that others can download through (they store files by hash alone). */
  private List<String> throughCandidates() {
    List<String> out = new ArrayList<>();
    for (Mounts.Mount m : mounts.all()) {
      if (m.ok() && m.drive().supports(Capability.INSTANT_UPLOAD) && m.drive().supports(Capability.MKDIR)) out.add(m.spec().path());
    }
    return out;
  }

  /**
   * The settings form of a driver, from its ConfigSchema, and the "download through" fields
   * offering {@code candidates} (except the mount itself), with each of {@code problems} next to
   * every field it names. Secrets are never written into the page (nor are they in a problem).
   */
  static Views.Settings settings(DriverProvider<?> p, Mounts.Spec existing, Map<String, String> entered, List<String> candidates,
      List<ConfigSchema.Problem> problems) {
    Map<String, List<String>> byOption = new java.util.HashMap<>();
    for (ConfigSchema.Problem pr : problems) {
      for (String key : pr.options()) byOption.computeIfAbsent(key, k -> new ArrayList<>()).add(pr.message());
    }
    Map<String, String> values = entered != null ? entered : existing != null ? existing.options() : Map.of();
    String mp = entered != null ? entered.getOrDefault("__mountPath", "") : existing != null ? existing.path() : "";
    String mode = existing != null ? existing.download().key() : "auto";
    List<Views.Field> fields = new ArrayList<>();
    String group = null;
    for (OptionSpec o : p.schema().options()) {
      String heading = null;
      if (o.group() != null && !o.group().equals(group)) {
        group = o.group();
        heading = group;
      }
      String value = values.get(o.key());
      String hint = o.defaultValue() != null ? (o.secret() ? "" : o.defaultValue()) : o.example() != null ? o.example() : "";
      boolean stored = existing != null && existing.options().containsKey(o.key());
      boolean requiredAttr = o.required() && !(o.secret() && stored);
      String current = value != null ? value : o.defaultValue();
      List<Views.Choice> choices = new ArrayList<>();
      if (o.type() == OptionType.ENUM) for (String c : o.choices()) choices.add(new Views.Choice(c, c.equalsIgnoreCase(String.valueOf(current))));
      StringBuilder desc = new StringBuilder(o.description() == null ? "" : o.description());
      if (o.defaultValue() != null && !o.secret()) desc.append(" Default: ").append(o.defaultValue()).append('.');
      if (o.type() == OptionType.DURATION) desc.append(" A duration such as 30s, 5m or PT1H.");
      boolean checked = value != null ? Boolean.parseBoolean(value) : Boolean.parseBoolean(o.defaultValue());
      fields.add(new Views.Field(heading, "opt." + o.key(), o.key(), o.type().name().toLowerCase(Locale.ROOT), o.required(),
          requiredAttr, o.secret() ? "" : value == null ? "" : value, hint, checked, stored, o.min(), o.max(), choices,
          !o.required() && o.defaultValue() == null, desc.toString(), byOption.getOrDefault(o.key(), List.of())));
    }
    List<String> modes = new ArrayList<>();
    for (DownloadMode m : DownloadMode.values()) modes.add(m.key());
    String legend = (existing == null ? "New mount: " : "Edit mount: ") + p.displayName() + " (" + p.id() + ")";
    return new Views.Settings(legend, p.id(), mp, mode, modes,
        existing != null && existing.proxyUrl() != null ? existing.proxyUrl() : "", fields,
        throughForm(existing == null ? null : existing.through(), entered, mp, candidates));
  }

  private static Views.ThroughForm throughForm(Mounts.Through t, Map<String, String> entered, String self, List<String> candidates) {
    String mount = entered != null ? entered.getOrDefault("__throughMount", "") : t != null ? t.mount() : "";
    String folder = entered != null ? entered.getOrDefault("__throughFolder", "") : t != null ? t.folder() : "";
    String when = entered != null ? entered.getOrDefault("__throughWhen", "") : t != null ? t.whenKey() : "";
    List<String> paths = new ArrayList<>(candidates);
    paths.remove(self);
    if (!mount.isEmpty() && !paths.contains(mount)) paths.add(mount); // keep a reference that cannot be used now visible
    List<Views.Choice> mounts = new ArrayList<>();
    mounts.add(new Views.Choice("", mount.isEmpty()));
    for (String m : paths) mounts.add(new Views.Choice(m, m.equals(mount)));
    List<Views.Choice> whens = new ArrayList<>();
    for (Drive.Through w : Drive.Through.values()) {
      String key = w.name().toLowerCase(Locale.ROOT);
      whens.add(new Views.Choice(key, when.isEmpty() ? w == Drive.Through.WHEN_SIGN_IN_REQUIRED : key.equals(when)));
    }
    return new Views.ThroughForm(mounts, folder.isEmpty() ? Mounts.Through.DEFAULT_FOLDER : folder, whens);
  }

  private void saveMount(Context ctx) throws IOException {
    Map<String, String> f = form(ctx);
    Auth.Session s = requireWrite(ctx, f);
    String id = f.get("driver");
    DriverProvider<?> p = id == null ? null : plugins.drives().findProvider(id).orElse(null);
    if (p == null) throw new Denied(400, "driver " + id + " is not available");
    Map<String, String> options = new LinkedHashMap<>();
    Map<String, String> entered = new LinkedHashMap<>();
    String mountPath;
    Mounts.Spec spec;
    List<ConfigSchema.Problem> atFields = List.of();
    try {
      mountPath = SafePaths.decodePath(f.getOrDefault("mountPath", "").replace("%", "%25"));
      Mounts.Mount old = mounts.get(mountPath);
      for (OptionSpec o : p.schema().options()) {
        String v = f.get("opt." + o.key());
        if (o.type() == OptionType.BOOLEAN) v = v == null ? "false" : "true";
        if (o.secret() && (v == null || v.isEmpty()) && old != null && old.spec().driver().equals(id)) {
          v = old.spec().options().get(o.key()); // write-only: empty means unchanged
        }
        if (v != null && !v.isEmpty()) options.put(o.key(), v);
        if (v != null && !o.secret()) entered.put(o.key(), v);
      }
      entered.put("__mountPath", f.getOrDefault("mountPath", ""));
      entered.put("__throughMount", f.getOrDefault("throughMount", "").trim());
      entered.put("__throughFolder", f.getOrDefault("throughFolder", "").trim());
      entered.put("__throughWhen", f.getOrDefault("throughWhen", "").trim());
      atFields = p.schema().check(options); // every problem at once, each naming its options; secrets masked
      p.schema().parse(options); // fails exactly when there are problems, with all of them in one message for the top
      com.fasterxml.jackson.databind.node.ObjectNode n = mapper.createObjectNode();
      n.put("path", mountPath);
      n.put("driver", id);
      n.put("download", f.getOrDefault("download", "auto"));
      String proxyUrl = f.get("proxyUrl");
      if (proxyUrl != null && !proxyUrl.isBlank()) n.put("proxyUrl", proxyUrl.trim());
      n.putObject("options").setAll(mapper.convertValue(options, com.fasterxml.jackson.databind.node.ObjectNode.class));
      String through = f.getOrDefault("throughMount", "").trim();
      if (!through.isEmpty()) {
        n.putObject("through").put("mount", through).put("folder", f.getOrDefault("throughFolder", "").trim())
            .put("when", f.getOrDefault("throughWhen", "").trim());
      }
      try {
        spec = Mounts.parseSpec(n);
      } catch (IllegalArgumentException e) {
        // mounts.json's key paths mean nothing on the form: name its fields by their labels
        throw new IllegalArgumentException(e.getMessage().replace("\"through\".\"folder\"", "Cache folder")
            .replace("\"through\".\"when\"", "When"), e);
      }
      String bad = mounts.throughRefusal(spec);
      if (bad != null) throw new IllegalArgumentException("download through: " + bad);
    } catch (DriveException | IllegalArgumentException | SafePaths.BadRequest e) {
      entered.putIfAbsent("__mountPath", f.getOrDefault("mountPath", ""));
      sendHtml(ctx, 400, adminPage(s, id, null, e.getMessage(), entered, atFields));
      return;
    }
    Mounts.Mount m = mounts.put(spec);
    LOG.info("{} saved {}", s.user(), spec);
    if (!m.ok()) {
      sendHtml(ctx, 400, adminPage(s, id, spec.path(), m.problem(), null, List.of()));
      return;
    }
    String probe = probe(m);
    if (probe != null) {
      noteFailure(m.drive(), probe);
      // Saved (a provider that is down now may answer later), but the admin learns now, on this
      // page, that the settings do not work, instead of from a 502 when someone browses.
      sendHtml(ctx, 200, adminPage(s, id, spec.path(), "saved " + spec.path() + ", but the drive does not answer: "
          + probe + "; correct the settings below and save again", null, List.of()));
      return;
    }
    redirect(ctx, "/admin");
  }

  /** Notes {@code e} as the last failure of the request's mount (see {@link #holding}) when it is the provider's or the sign-in's. */
  void noteFailure(Context ctx, DriveException e) {
    Mounts.Use use = ctx.attribute(USE);
    Mounts.Mount m = use == null ? null : use.resolved(use.firstResolved());
    if (m != null && m.drive() != null && status(e.kind()) >= 500) noteFailure(m.drive(), e.getMessage());
  }

  private void noteFailure(Drive drive, String message) {
    lastFailures.put(drive, "failed at " + Html.time(clock.instant()) + " UTC: " + message);
  }

  /**
   * Lists the first page of a newly saved mount's root, which signs it in: null when that works,
   * else the reason (driver, operation, what to check, 123's code and trace id; never a secret).
   */
  private String probe(Mounts.Mount m) {
    try (Mounts.Use use = mounts.use()) {
      Mounts.Target t = use.resolve(m.spec().path());
      if (t == null || !t.mount().ok()) return null; // unmounted or replaced meanwhile: nothing to tell
      try (Stream<Entry> first = t.mount().drive().list(t.path())) {
        first.findFirst();
      }
      return null;
    } catch (DriveException e) {
      LOG.warn("mount {} saved, but listing its root failed: {}", m.spec().path(), e.getMessage());
      return e.getMessage();
    }
  }

  // ------------------------------------------------------------------ HTTP helpers

  static String cookie(Context ctx) {
    return ctx.cookie(Auth.COOKIE);
  }

  static Map<String, String> query(Context ctx) {
    return parseForm(ctx.req().getQueryString());
  }

  private static Map<String, String> form(Context ctx) throws IOException {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new SafePaths.BadRequest("expected a form (application/x-www-form-urlencoded)");
    }
    byte[] body = ctx.req().getInputStream().readNBytes(MAX_FORM + 1);
    if (body.length > MAX_FORM) throw new SafePaths.BadRequest("form too large");
    return parseForm(new String(body, StandardCharsets.UTF_8));
  }

  static Map<String, String> parseForm(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    if (s == null || s.isEmpty()) return m;
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) continue;
      int i = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
        String v = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
        m.merge(k, v, (a, b) -> a + "\n" + b);
      } catch (IllegalArgumentException e) {
        throw new SafePaths.BadRequest("malformed form or query encoding");
      }
    }
    return m;
  }

  static void redirect(Context ctx, String location) {
    ctx.header("Location", location);
    ctx.status(303);
  }

  static void sendHtml(Context ctx, int status, String html) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    ctx.attribute(HANDLED, Boolean.TRUE);
    ctx.status(status).contentType("text/html; charset=utf-8");
    if (!ctx.method().equals(HandlerType.HEAD)) ctx.result(html);
  }

  void error(Context ctx, int status, String message) {
    try {
      if (ctx.res().isCommitted()) return;
      // Headers set for a response that never went out (e.g. Content-Disposition) are dropped.
      ctx.res().reset();
      ctx.attribute(HANDLED, Boolean.TRUE);
      if (status == 401) ctx.header("WWW-Authenticate", "Cookie realm=\"pan4j\"");
      if (status == 413) ctx.header("Connection", "close"); // see checkUploadSize
      Map<String, Object> params = new java.util.HashMap<>();
      params.put("status", status);
      params.put("message", message);
      Auth.Session session = auth.session(cookie(ctx));
      String failed = ctx.attribute(FAILED_MOUNT);
      boolean mountAtFault = failed != null && status >= 500 && mounts.get(failed) != null;
      params.put("edit", mountAtFault ? Views.EditLink.forAdmin(session, failed) : null);
      sendHtml(ctx, status, Html.page("error " + status, Views.render("error.jte", params), session, auth.enabled()));
    } catch (RuntimeException e) {
      LOG.debug("could not send error {}: {}", status, e.toString());
    }
  }
}
