package io.github.pan4j.examples.host;

import static io.github.pan4j.examples.host.Html.esc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.http.Json;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The file-browser host: one {@link HttpServer} serving the pages, downloads and write
 * operations over the mounts. Routes:
 * <pre>
 * GET  /b/&lt;path&gt;        listing (folders) or file page (files); ?sort=name|size|modified&amp;order=asc|desc
 * GET  /d/&lt;path&gt;        download in the mount's mode (302, proxy or proxy URL); PUT uploads (login)
 * GET  /p/&lt;path&gt;?sign=  signed local proxy, for external download proxies
 * GET  /storage         quota of every mount
 * GET  /admin           plugins, mounts and driver settings forms (login)
 * POST /op/mkdir|upload|rename|move|remove, /admin/mount, /admin/unmount, /login, /logout
 * </pre>
 */
final class Host implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Host.class.getName());
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final int MAX_LISTING = 10_000;
  private static final int MAX_FORM = 1024 * 1024;
  private static final String CSP = "default-src 'self'; img-src * data:; media-src *; connect-src *; style-src 'unsafe-inline';"
      + " script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final HostConfig config;
  private final Clock clock;
  private final ObjectMapper mapper = Json.mapper();
  private final DriverContext context;
  private final Plugins plugins;
  private final Mounts mounts;
  private final Auth auth;
  private final Signer signer;
  private final Path tmpDir;
  private HttpServer server;
  private ExecutorService executor;

  Host(HostConfig config, Clock clock) throws IOException {
    this.config = config;
    this.clock = clock;
    this.context = DriverContext.builder().clock(clock).objectMapper(mapper).build();
    this.plugins = Plugins.load(config.pluginsDir(), Host.class.getClassLoader());
    this.mounts = new Mounts(config.mountsFile(), mapper, plugins, context);
    this.auth = new Auth(config.adminUser(), config.adminPasswordHash(), clock, config.sessionTtl());
    this.signer = new Signer(config.signKey(), clock, config.signTtl());
    this.tmpDir = Files.createTempDirectory("pan4j-host");
    if (!auth.enabled()) LOG.log(System.Logger.Level.WARNING, "no admin user configured: uploads, folder operations and the admin page are off");
    if (config.signKeyGenerated()) LOG.log(System.Logger.Level.INFO, "no signKey configured: using a random one (proxy_url signatures change on restart)");
  }

  Host start() throws IOException {
    mounts.load();
    server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "pan4j-host-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    LOG.log(System.Logger.Level.INFO, "pan4j host on http://{0}:{1}/", config.bind(), String.valueOf(port()));
    return this;
  }

  int port() {
    return server.getAddress().getPort();
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

  @Override
  public void close() {
    if (server != null) server.stop(0);
    if (executor != null) executor.shutdownNow();
    mounts.close();
    plugins.close();
    try (Stream<Path> s = Files.list(tmpDir)) {
      for (Path p : s.toList()) Files.deleteIfExists(p);
      Files.deleteIfExists(tmpDir);
    } catch (IOException ignored) {
      // Temp files of interrupted uploads; the OS cleans its temp folder.
    }
  }

  // ------------------------------------------------------------------ dispatch

  private void handle(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (SafePaths.BadRequest e) {
        error(ex, 400, e.getMessage());
      } catch (Denied e) {
        error(ex, e.status, e.getMessage());
      } catch (DriveException e) {
        LOG.log(System.Logger.Level.WARNING, "{0} {1}: {2}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e.getMessage());
        error(ex, status(e.kind()), e.getMessage());
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "client went away: {0}", e.toString());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "failed: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath(), e);
        error(ex, 500, "internal error: " + e.getClass().getSimpleName() + " (see the host log)");
      }
    }
  }

  private static final class Denied extends RuntimeException {
    final int status;

    Denied(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String raw = ex.getRequestURI().getRawPath();
    if (raw == null) raw = "/";
    if (raw.equals("/")) {
      redirect(ex, "/b/");
    } else if (raw.equals("/b") || raw.startsWith("/b/")) {
      requireMethod(method, "GET", "HEAD");
      browse(ex, SafePaths.decodePath(raw.substring(2)));
    } else if (raw.startsWith("/d/")) {
      String path = SafePaths.decodePath(raw.substring(2));
      if (method.equals("PUT")) putUpload(ex, path);
      else {
        requireMethod(method, "GET", "HEAD");
        download(ex, path, null);
      }
    } else if (raw.startsWith("/p/")) {
      requireMethod(method, "GET", "HEAD");
      String path = SafePaths.decodePath(raw.substring(2));
      if (!signer.verify(path, query(ex).get("sign"))) throw new Denied(403, "missing, wrong or expired sign for " + path);
      download(ex, path, DownloadMode.PROXY);
    } else if (raw.equals("/storage")) {
      storage(ex);
    } else if (raw.equals("/login")) {
      if (method.equals("POST")) login(ex);
      else sendHtml(ex, 200, Html.page("log in", loginForm(null), null, auth.enabled()));
    } else if (raw.equals("/logout")) {
      requireMethod(method, "POST");
      Auth.Session s = requireWrite(ex, form(ex));
      auth.logout(cookie(ex));
      ex.getResponseHeaders().add("Set-Cookie", Auth.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
      LOG.log(System.Logger.Level.INFO, "{0} logged out", s.user());
      redirect(ex, "/b/");
    } else if (raw.equals("/admin")) {
      requireMethod(method, "GET");
      Auth.Session s = requireSession(ex);
      Map<String, String> q = query(ex);
      sendHtml(ex, 200, adminPage(s, q.get("driver"), q.get("edit"), null, null));
    } else if (raw.equals("/admin/mount")) {
      requireMethod(method, "POST");
      saveMount(ex);
    } else if (raw.equals("/admin/unmount")) {
      requireMethod(method, "POST");
      Map<String, String> f = form(ex);
      requireWrite(ex, f);
      mounts.remove(SafePaths.decodePath(f.getOrDefault("mountPath", "").replace("%", "%25")));
      redirect(ex, "/admin");
    } else if (raw.startsWith("/op/")) {
      requireMethod(method, "POST");
      operation(ex, raw.substring(4));
    } else if (raw.equals("/favicon.ico")) {
      ex.sendResponseHeaders(204, -1);
    } else {
      throw new Denied(404, "no such page: " + raw);
    }
  }

  private static void requireMethod(String method, String... allowed) {
    for (String a : allowed) if (a.equals(method)) return;
    throw new Denied(405, "method " + method + " is not allowed here");
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

  // ------------------------------------------------------------------ pages

  private Mounts.Target target(String path) {
    Mounts.Target t = mounts.resolve(path);
    if (t == null) throw new Denied(404, "nothing is mounted at " + path);
    if (!t.mount().ok()) throw new Denied(503, t.mount().problem());
    return t;
  }

  private void browse(HttpExchange ex, String path) throws IOException {
    Auth.Session session = auth.session(cookie(ex));
    Mounts.Target t = mounts.resolve(path);
    java.util.Set<String> virtual = mounts.virtualChildren(path);
    List<Row> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean truncated = false;
    boolean writable = false;
    if (t == null) {
      if (virtual.isEmpty() && !path.equals("/")) throw new Denied(404, "nothing is mounted at " + path);
      if (path.equals("/")) {
        problems.addAll(plugins.problems());
        problems.addAll(mounts.problems());
        for (Plugins.Plugin p : plugins.plugins()) for (String pr : p.problems()) problems.add("plugin " + p.name() + ": " + pr);
      }
    } else if (!t.mount().ok()) {
      problems.add(t.mount().problem());
    } else {
      Drive d = t.mount().drive();
      Entry self = d.stat(t.path());
      if (!self.folder()) {
        filePage(ex, path, t, self, session);
        return;
      }
      writable = true;
      try (Stream<Entry> s = d.list(t.path())) {
        for (java.util.Iterator<Entry> it = s.iterator(); it.hasNext(); ) {
          if (rows.size() >= MAX_LISTING) {
            truncated = true;
            break;
          }
          Entry e = it.next();
          rows.add(new Row(e.name(), e.folder(), e.folder() ? -1 : e.size(), e.modified(), null));
        }
      }
    }
    for (String v : virtual) {
      Mounts.Mount m = mounts.get(SafePaths.child(path, v));
      String note = m == null ? "" : m.ok() ? m.spec().driver() : "disabled";
      if (m != null && !m.ok() && !problems.contains(m.problem())) problems.add(m.problem());
      rows.removeIf(r -> r.name().equals(v));
      rows.add(new Row(v, true, -1, null, note));
    }
    Map<String, String> q = query(ex);
    String sort = List.of("name", "size", "modified").contains(q.getOrDefault("sort", "")) ? q.get("sort") : "name";
    boolean desc = "desc".equals(q.get("order"));
    Comparator<Row> c = switch (sort) {
      case "size" -> Comparator.comparingLong(Row::size);
      case "modified" -> Comparator.comparing(Row::modified, Comparator.nullsFirst(Comparator.naturalOrder()));
      default -> Comparator.comparing((Row r) -> r.name().toLowerCase(Locale.ROOT)).thenComparing(Row::name);
    };
    if (desc) c = c.reversed();
    rows.sort(Comparator.comparing((Row r) -> !r.folder()).thenComparing(c));
    StringBuilder b = new StringBuilder();
    b.append(crumbs(path));
    for (String p : problems) b.append("<div class=\"problem\">").append(esc(p)).append("</div>");
    b.append("<table id=\"listing\"><thead><tr><th></th>")
        .append(sortHeader(path, "name", "Name", sort, desc)).append(sortHeader(path, "size", "Size", sort, desc))
        .append(sortHeader(path, "modified", "Modified (UTC)", sort, desc)).append("</tr></thead><tbody>");
    if (!path.equals("/")) {
      b.append("<tr><td class=\"icon\">\u2191</td><td class=\"name\"><a href=\"/b").append(SafePaths.encodePath(SafePaths.parent(path)))
          .append("\">..</a></td><td></td><td></td></tr>");
    }
    for (Row r : rows) {
      String href = "/b" + SafePaths.encodePath(SafePaths.child(path, r.name()));
      b.append("<tr class=\"").append(r.folder() ? "folder" : "file").append("\"><td class=\"icon\">")
          .append(MimeTypes.icon(MimeTypes.kind(r.name(), r.folder()))).append("</td><td class=\"name\"><a href=\"")
          .append(esc(href)).append("\">").append(esc(r.name())).append("</a>");
      if (r.note() != null) b.append(" <span class=\"muted\">").append(esc(r.note())).append("</span>");
      b.append("</td><td class=\"num\">").append(r.folder() ? "" : Html.size(r.size())).append("</td><td>")
          .append(Html.time(r.modified())).append("</td></tr>");
    }
    if (rows.isEmpty()) b.append("<tr><td></td><td class=\"muted\" colspan=\"3\">empty</td></tr>");
    b.append("</tbody></table>");
    if (truncated) b.append("<div class=\"notice\">Only the first ").append(MAX_LISTING).append(" entries are shown.</div>");
    b.append("<p class=\"muted\">").append(rows.size()).append(" entries</p>");
    if (writable && session != null) {
      Drive d = t.mount().drive();
      if (d.supports(Capability.UPLOAD)) {
        b.append("<form class=\"inline\" method=\"post\" action=\"/op/upload\" enctype=\"multipart/form-data\">")
            .append(Html.csrfField(session)).append(hidden("dir", path))
            .append("<input type=\"file\" name=\"file\" multiple required>")
            .append("<label><input type=\"checkbox\" name=\"overwrite\" value=\"true\"> overwrite</label>")
            .append("<button class=\"primary\" type=\"submit\">Upload</button></form>");
      }
      if (d.supports(Capability.MKDIR)) {
        b.append("<form class=\"inline\" method=\"post\" action=\"/op/mkdir\">").append(Html.csrfField(session))
            .append(hidden("dir", path)).append("<input name=\"name\" placeholder=\"new folder\" required>")
            .append("<button type=\"submit\">Create folder</button></form>");
      }
      b.append(manageForms(session, path, t, d));
    }
    sendHtml(ex, 200, Html.page(path.equals("/") ? "files" : SafePaths.name(path), b.toString(), session, auth.enabled()));
  }

  private record Row(String name, boolean folder, long size, java.time.Instant modified, String note) {}

  private static String sortHeader(String path, String key, String label, String sort, boolean desc) {
    boolean current = key.equals(sort);
    String order = current && !desc ? "desc" : "asc";
    String arrow = current ? (desc ? " ▼" : " ▲") : "";
    return "<th><a href=\"/b" + esc(SafePaths.encodePath(path)) + "?sort=" + key + "&amp;order=" + order + "\">" + label + arrow + "</a></th>";
  }

  private static String crumbs(String path) {
    StringBuilder b = new StringBuilder("<nav class=\"crumbs\" id=\"crumbs\"><a href=\"/b/\">root</a>");
    String acc = "";
    for (String seg : path.split("/")) {
      if (seg.isEmpty()) continue;
      acc = acc + "/" + seg;
      b.append("<span class=\"muted\">/</span><a href=\"/b").append(esc(SafePaths.encodePath(acc))).append("\">")
          .append(esc(seg)).append("</a>");
    }
    return b.append("</nav>").toString();
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
  }

  /** Rename / move / remove forms for an entry of a mount (not for a mount's root). */
  private static String manageForms(Auth.Session session, String path, Mounts.Target t, Drive d) {
    if (t.path().equals("/")) return "";
    StringBuilder b = new StringBuilder("<fieldset><legend>Manage ").append(esc(SafePaths.name(path))).append("</legend>");
    if (d.supports(Capability.RENAME)) {
      b.append("<form class=\"inline\" method=\"post\" action=\"/op/rename\">").append(Html.csrfField(session))
          .append(hidden("path", path)).append("<input name=\"name\" required value=\"").append(esc(SafePaths.name(path)))
          .append("\"><button type=\"submit\">Rename</button></form>");
    }
    if (d.supports(Capability.MOVE)) {
      b.append("<form class=\"inline\" method=\"post\" action=\"/op/move\">").append(Html.csrfField(session))
          .append(hidden("path", path)).append("<input name=\"to\" required placeholder=\"target folder, e.g. ")
          .append(esc(t.mount().spec().path())).append("/folder\"><button type=\"submit\">Move</button></form>");
    }
    if (d.supports(Capability.REMOVE)) {
      b.append("<form class=\"inline\" method=\"post\" action=\"/op/remove\">").append(Html.csrfField(session))
          .append(hidden("path", path)).append("<button type=\"submit\">Remove</button></form>");
    }
    return b.append("</fieldset>").toString();
  }

  private void filePage(HttpExchange ex, String path, Mounts.Target t, Entry e, Auth.Session session) throws IOException {
    String dl = "/d" + SafePaths.encodePath(path);
    MimeTypes.Kind kind = MimeTypes.kind(e.name(), false);
    StringBuilder b = new StringBuilder(crumbs(path));
    b.append("<h2>").append(MimeTypes.icon(kind)).append(' ').append(esc(e.name())).append("</h2>");
    b.append("<p><a id=\"download\" class=\"button primary\" href=\"").append(esc(dl)).append("\">Download</a> ")
        .append("<span class=\"muted\">mode: ").append(esc(t.mount().spec().download().key())).append("</span></p>");
    b.append("<div class=\"preview\" id=\"preview\">");
    switch (kind) {
      case IMAGE -> b.append("<img src=\"").append(esc(dl)).append("\" alt=\"").append(esc(e.name())).append("\">");
      case AUDIO -> b.append("<audio controls preload=\"metadata\" src=\"").append(esc(dl)).append("\"></audio>");
      case VIDEO -> b.append("<video controls preload=\"metadata\" src=\"").append(esc(dl)).append("\"></video>");
      case TEXT -> b.append(textPreview(t, e));
      default -> b.append("<span class=\"muted\">No preview for this type.</span>");
    }
    b.append("</div><dl class=\"meta\"><dt>Size</dt><dd>").append(Html.size(e.size())).append(" (").append(e.size())
        .append(" bytes)</dd><dt>Modified</dt><dd>").append(Html.time(e.modified())).append("</dd><dt>Type</dt><dd>")
        .append(esc(MimeTypes.type(e.name()))).append("</dd><dt>Mount</dt><dd>").append(esc(t.mount().spec().path()))
        .append(" (").append(esc(t.mount().spec().driver())).append(")</dd>");
    if (e.hashes().md5() != null) b.append("<dt>MD5</dt><dd>").append(esc(e.hashes().md5())).append("</dd>");
    b.append("</dl>");
    if (session != null) b.append(manageForms(session, path, t, t.mount().drive()));
    sendHtml(ex, 200, Html.page(e.name(), b.toString(), session, auth.enabled()));
  }

  private String textPreview(Mounts.Target t, Entry e) {
    int max = config.textPreviewKb() * 1024;
    try (Link.Content c = t.mount().drive().link(t.path()).open(0, Math.min(max, Math.max(e.size(), 1)))) {
      byte[] bytes = c.body().readNBytes(max);
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      String more = e.size() > max ? "<p class=\"muted\">First " + config.textPreviewKb() + " KB shown.</p>" : "";
      return "<pre id=\"text\">" + esc(text) + "</pre>" + more;
    } catch (DriveException | IOException ex) {
      return "<span class=\"problem\">preview failed: " + esc(ex.getMessage()) + "</span>";
    }
  }

  private void storage(HttpExchange ex) throws IOException {
    Auth.Session session = auth.session(cookie(ex));
    StringBuilder b = new StringBuilder("<h2>Storage</h2><table id=\"storage\"><thead><tr><th>Mount</th><th>Driver</th><th>Used</th><th>Total</th><th></th><th>Plan</th></tr></thead><tbody>");
    for (Mounts.Mount m : mounts.all()) {
      b.append("<tr><td><a href=\"/b").append(esc(SafePaths.encodePath(m.spec().path()))).append("\">")
          .append(esc(m.spec().path())).append("</a></td><td>").append(esc(m.spec().driver())).append("</td>");
      if (!m.ok()) {
        b.append("<td colspan=\"4\" class=\"problem\">").append(esc(m.problem())).append("</td></tr>");
        continue;
      }
      if (!m.drive().supports(Capability.STORAGE_DETAILS)) {
        b.append("<td colspan=\"4\" class=\"muted\">this driver does not report quota</td></tr>");
        continue;
      }
      try {
        StorageDetails s = m.drive().storage();
        int pct = s.totalBytes() > 0 && s.usedBytes() >= 0 ? (int) Math.min(100, s.usedBytes() * 100 / s.totalBytes()) : 0;
        b.append("<td class=\"num\">").append(Html.size(s.usedBytes())).append("</td><td class=\"num\">")
            .append(Html.size(s.totalBytes())).append("</td><td><div class=\"bar\" title=\"").append(pct)
            .append("%\"><span style=\"width:").append(pct).append("%\"></span></div></td><td>")
            .append(esc(s.plan() == null ? (s.vip() ? "VIP" : "") : s.plan()));
        s.extras().forEach((k, v) -> b.append("<br><span class=\"muted\">").append(esc(k)).append(": ").append(esc(v)).append("</span>"));
        b.append("</td></tr>");
      } catch (DriveException e) {
        b.append("<td colspan=\"4\" class=\"problem\">").append(esc(e.getMessage())).append("</td></tr>");
      }
    }
    b.append("</tbody></table>");
    sendHtml(ex, 200, Html.page("storage", b.toString(), session, auth.enabled()));
  }

  // ------------------------------------------------------------------ downloads

  private void download(HttpExchange ex, String path, DownloadMode forced) throws IOException {
    Mounts.Target t = target(path);
    Drive d = t.mount().drive();
    Entry e = d.stat(t.path());
    if (e.folder()) throw new Denied(400, path + " is a folder; only files can be downloaded");
    DownloadMode mode = forced != null ? forced : t.mount().spec().download();
    Headers h = ex.getResponseHeaders();
    h.set("Cache-Control", "no-store");
    h.set("Referrer-Policy", "no-referrer");
    if (mode == DownloadMode.PROXY_URL) {
      String location = t.mount().spec().proxyUrl() + SafePaths.encodePath(path) + "?sign="
          + URLEncoder.encode(signer.sign(path), StandardCharsets.UTF_8);
      h.set("Location", location);
      ex.sendResponseHeaders(302, -1);
      return;
    }
    Link link = d.link(t.path());
    if (mode == DownloadMode.AUTO) mode = link.preferProxy() ? DownloadMode.PROXY : DownloadMode.REDIRECT;
    if (mode == DownloadMode.REDIRECT) {
      String url = link.url();
      if (!SafePaths.headerSafe(url) || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new Denied(502, "the driver returned a link that cannot be used in a redirect; use download mode proxy");
      }
      h.set("Location", url);
      ex.sendResponseHeaders(302, -1);
      return;
    }
    proxy(ex, e, link, t, ex.getRequestMethod().equals("HEAD"));
  }

  private void proxy(HttpExchange ex, Entry e, Link link, Mounts.Target t, boolean head) throws IOException {
    long total = link.contentLength().orElse(e.size());
    Headers h = ex.getResponseHeaders();
    String type = MimeTypes.type(e.name());
    boolean attachment = "1".equals(query(ex).get("dl"));
    if (MimeTypes.active(type)) {
      // Never let a stored file run as a page of this origin.
      attachment = true;
      h.set("Content-Security-Policy", "sandbox");
    }
    h.set("Content-Type", type);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Accept-Ranges", "bytes");
    h.set("Content-Disposition", SafePaths.contentDisposition(attachment ? "attachment" : "inline", e.name()));
    long start = 0;
    long length = -1;
    boolean ranged = false;
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null && total >= 0) {
      Matcher m = RANGE.matcher(range.trim());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        try {
          if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            start = Math.max(0, total - suffix);
            length = total - start;
          } else {
            start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? total - 1 : Math.min(Long.parseLong(m.group(2)), total - 1);
            if (end < start && !m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) throw new NumberFormatException();
            length = end - start + 1;
          }
        } catch (NumberFormatException nfe) {
          length = -2;
        }
        if (length == -2 || start >= total || length <= 0) {
          h.set("Content-Range", "bytes */" + total);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        ranged = true;
      }
      // Anything else (several ranges, other units): ignored, the whole file is sent (RFC 9110 allows it).
    }
    if (head) {
      if (ranged) h.set("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + total);
      h.set("Content-Length", String.valueOf(ranged ? length : total));
      ex.sendResponseHeaders(ranged ? 206 : 200, -1);
      return;
    }
    Link.Content opened;
    try {
      opened = ranged ? link.open(start, length) : link.open();
    } catch (DriveException err) {
      if (err.kind() != ErrorKind.EXPIRED) throw err;
      Link fresh = t.mount().drive().link(t.path()); // the link went stale between stat and open: once more
      opened = ranged ? fresh.open(start, length) : fresh.open();
    }
    try (Link.Content c = opened) {
      if (c.status() == 416) {
        h.set("Content-Range", "bytes */" + total);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      long bodyLength = c.length() >= 0 ? c.length() : (ranged ? length : total);
      if (ranged) h.set("Content-Range", "bytes " + start + "-" + (start + bodyLength - 1) + "/" + total);
      ex.sendResponseHeaders(ranged ? 206 : 200, bodyLength == 0 ? -1 : bodyLength > 0 ? bodyLength : 0);
      try (OutputStream out = ex.getResponseBody(); InputStream in = c.body()) {
        in.transferTo(out);
      }
    }
  }

  // ------------------------------------------------------------------ writes

  private Auth.Session requireSession(HttpExchange ex) {
    if (!auth.enabled()) throw new Denied(403, "writes are off: no admin user is configured in the host config");
    Auth.Session s = auth.session(cookie(ex));
    if (s == null) throw new Denied(401, "log in first: this needs the admin login");
    return s;
  }

  private Auth.Session requireWrite(HttpExchange ex, Map<String, String> form) {
    Auth.Session s = requireSession(ex);
    String token = form != null ? form.get("csrf") : ex.getRequestHeaders().getFirst("X-CSRF-Token");
    if (!Auth.csrfMatches(s, token)) throw new Denied(403, "missing or wrong CSRF token; reload the page and try again");
    return s;
  }

  private void putUpload(HttpExchange ex, String path) throws IOException {
    requireWrite(ex, null);
    Mounts.Target t = target(path);
    SafePaths.checkName(SafePaths.name(path));
    String len = ex.getRequestHeaders().getFirst("Content-Length");
    long size = len == null ? -1 : Long.parseLong(len.trim());
    ConflictPolicy policy = "true".equals(query(ex).get("overwrite")) ? ConflictPolicy.OVERWRITE : ConflictPolicy.FAIL;
    Entry e = t.mount().drive().put(t.path(), ex.getRequestBody(), size, UploadOptions.of(policy));
    LOG.log(System.Logger.Level.INFO, "uploaded {0} ({1} bytes)", path, e.size());
    byte[] body = ("created " + path + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(201, body.length);
    ex.getResponseBody().write(body);
  }

  private void operation(HttpExchange ex, String op) throws IOException {
    if (op.equals("upload")) {
      uploadForm(ex);
      return;
    }
    Map<String, String> f = form(ex);
    Auth.Session s = requireWrite(ex, f);
    String back;
    switch (op) {
      case "mkdir" -> {
        String dir = SafePaths.decodePath(f.getOrDefault("dir", "/").replace("%", "%25"));
        String name = SafePaths.checkName(f.get("name"));
        Mounts.Target t = target(SafePaths.child(dir, name));
        Drive d = t.mount().drive();
        if (d.exists(t.path())) throw new Denied(409, SafePaths.child(dir, name) + " already exists");
        d.mkdirs(t.path());
        back = dir;
      }
      case "rename" -> {
        String path = SafePaths.decodePath(f.getOrDefault("path", "/").replace("%", "%25"));
        Mounts.Target t = target(path);
        t.mount().drive().rename(t.path(), SafePaths.checkName(f.get("name")));
        back = SafePaths.parent(path);
      }
      case "move" -> {
        String path = SafePaths.decodePath(f.getOrDefault("path", "/").replace("%", "%25"));
        String to = SafePaths.decodePath(f.getOrDefault("to", "").replace("%", "%25"));
        Mounts.Target t = target(path);
        Mounts.Target dest = target(to);
        if (dest.mount() != t.mount()) throw new Denied(400, "moves work within one mount; " + to + " is on another");
        t.mount().drive().move(t.path(), dest.path());
        back = to;
      }
      case "remove" -> {
        String path = SafePaths.decodePath(f.getOrDefault("path", "/").replace("%", "%25"));
        Mounts.Target t = target(path);
        t.mount().drive().remove(t.path());
        back = SafePaths.parent(path);
      }
      default -> throw new Denied(404, "no such operation: " + op);
    }
    LOG.log(System.Logger.Level.INFO, "{0}: {1} {2}", s.user(), op, f.getOrDefault("path", f.get("dir")));
    redirect(ex, "/b" + SafePaths.encodePath(back));
  }

  private void uploadForm(HttpExchange ex) throws IOException {
    Auth.Session s = requireSession(ex); // before reading a possibly large body
    String boundary = Multipart.boundary(ex.getRequestHeaders().getFirst("Content-Type"));
    if (boundary == null) throw new SafePaths.BadRequest("an upload must be multipart/form-data");
    List<Multipart.Part> parts = Multipart.parse(ex.getRequestBody(), boundary, tmpDir);
    try {
      Map<String, String> f = new LinkedHashMap<>();
      for (Multipart.Part p : parts) if (p.file() == null) f.put(p.name(), p.value());
      requireWrite(ex, f);
      String dir = SafePaths.decodePath(f.getOrDefault("dir", "/").replace("%", "%25"));
      ConflictPolicy policy = "true".equals(f.get("overwrite")) ? ConflictPolicy.OVERWRITE : ConflictPolicy.FAIL;
      for (Multipart.Part p : parts) {
        if (p.file() == null || p.filename().isEmpty()) continue;
        String path = SafePaths.child(dir, SafePaths.checkName(p.filename()));
        Mounts.Target t = target(path);
        t.mount().drive().put(t.path(), p.file(), UploadOptions.of(policy));
        LOG.log(System.Logger.Level.INFO, "{0}: uploaded {1} ({2} bytes)", s.user(), path, String.valueOf(p.size()));
      }
      redirect(ex, "/b" + SafePaths.encodePath(dir));
    } finally {
      for (Multipart.Part p : parts) if (p.file() != null) Files.deleteIfExists(p.file());
    }
  }

  private void login(HttpExchange ex) throws IOException {
    Map<String, String> f = form(ex);
    String pw = f.get("password");
    String token = auth.login(f.get("user"), pw == null ? null : pw.toCharArray());
    if (token == null) {
      LOG.log(System.Logger.Level.WARNING, "failed login from {0}", ex.getRemoteAddress().getAddress().getHostAddress());
      sendHtml(ex, 401, Html.page("log in", loginForm("Wrong user name or password."), null, auth.enabled()));
      return;
    }
    ex.getResponseHeaders().add("Set-Cookie", Auth.COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
    redirect(ex, "/b/");
  }

  private String loginForm(String message) {
    if (!auth.enabled()) {
      return "<div class=\"notice\">Login is off: set <code>admin.user</code> and <code>admin.passwordHash</code> in the host config.</div>";
    }
    return (message == null ? "" : "<div class=\"problem\">" + esc(message) + "</div>")
        + "<h2>Log in</h2><form method=\"post\" action=\"/login\"><label class=\"field\"><span class=\"key\">User</span>"
        + "<input name=\"user\" autocomplete=\"username\" required></label><label class=\"field\"><span class=\"key\">Password</span>"
        + "<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>"
        + "<button class=\"primary\" type=\"submit\">Log in</button></form>";
  }

  // ------------------------------------------------------------------ admin

  private String adminPage(Auth.Session s, String driverId, String editPath, String error, Map<String, String> entered) {
    StringBuilder b = new StringBuilder("<h2>Admin</h2>");
    if (error != null) b.append("<div class=\"problem\" id=\"form-error\">").append(esc(error)).append("</div>");
    b.append("<h3>Mounts</h3><table id=\"mounts\"><thead><tr><th>Path</th><th>Driver</th><th>Download</th><th>Status</th><th></th></tr></thead><tbody>");
    for (Mounts.Mount m : mounts.all()) {
      b.append("<tr><td>").append(esc(m.spec().path())).append("</td><td>").append(esc(m.spec().driver())).append("</td><td>")
          .append(esc(m.spec().download().key())).append("</td><td>")
          .append(m.ok() ? "ok" : "<span class=\"problem\">" + esc(m.problem()) + "</span>").append("</td><td>")
          .append("<a class=\"button\" href=\"/admin?edit=").append(esc(URLEncoder.encode(m.spec().path(), StandardCharsets.UTF_8)))
          .append("\">edit</a> <form class=\"inline\" method=\"post\" action=\"/admin/unmount\">").append(Html.csrfField(s))
          .append(hidden("mountPath", m.spec().path())).append("<button type=\"submit\">unmount</button></form></td></tr>");
    }
    b.append("</tbody></table>");
    b.append("<h3>Drivers</h3><ul id=\"drivers\">");
    for (DriverProvider<?> p : plugins.drives().providers()) {
      b.append("<li><a href=\"/admin?driver=").append(esc(URLEncoder.encode(p.id(), StandardCharsets.UTF_8))).append("\">")
          .append(esc(p.id())).append("</a> – ").append(esc(p.displayName())).append(" <span class=\"muted\">")
          .append(esc(p.capabilities().stream().map(Capability::operation).sorted().toList().toString())).append("</span></li>");
    }
    b.append("</ul>");
    for (Plugins.Plugin p : plugins.plugins()) {
      for (String pr : p.problems()) b.append("<div class=\"problem\">plugin ").append(esc(p.name())).append(": ").append(esc(pr)).append("</div>");
    }
    for (String pr : plugins.problems()) b.append("<div class=\"problem\">").append(esc(pr)).append("</div>");
    Mounts.Spec existing = editPath == null ? null : mounts.get(editPath) == null ? null : mounts.get(editPath).spec();
    String id = existing != null ? existing.driver() : driverId;
    if (id != null) {
      DriverProvider<?> p = plugins.drives().findProvider(id).orElse(null);
      if (p == null) b.append("<div class=\"problem\">driver ").append(esc(id)).append(" is not available</div>");
      else b.append(settingsForm(s, p, existing, entered));
    }
    return Html.page("admin", b.toString(), s, auth.enabled());
  }

  /** The settings form of a driver, rendered from its ConfigSchema. Secrets are never written into the page. */
  static String settingsForm(Auth.Session s, DriverProvider<?> p, Mounts.Spec existing, Map<String, String> entered) {
    Map<String, String> values = entered != null ? entered : existing != null ? existing.options() : Map.of();
    StringBuilder b = new StringBuilder("<form id=\"settings\" method=\"post\" action=\"/admin/mount\"><fieldset><legend>")
        .append(existing == null ? "New mount: " : "Edit mount: ").append(esc(p.displayName())).append(" (").append(esc(p.id()))
        .append(")</legend>").append(Html.csrfField(s)).append(hidden("driver", p.id()));
    String mp = entered != null ? entered.getOrDefault("__mountPath", "") : existing != null ? existing.path() : "";
    b.append("<label class=\"field\"><span class=\"key\">Mount path</span> <span class=\"req\">*</span>")
        .append("<input name=\"mountPath\" required placeholder=\"/123\" value=\"").append(esc(mp)).append("\">")
        .append("<span class=\"desc\">Where the drive appears in the file browser.</span></label>");
    String mode = existing != null ? existing.download().key() : "auto";
    b.append("<label class=\"field\"><span class=\"key\">Download mode</span><select name=\"download\">");
    for (DownloadMode m : DownloadMode.values()) {
      b.append("<option value=\"").append(m.key()).append("\"").append(m.key().equals(mode) ? " selected" : "").append(">")
          .append(m.key()).append("</option>");
    }
    b.append("</select><span class=\"desc\">auto: the driver's preference (proxy for links bound to Referer or region, else 302).</span></label>");
    b.append("<label class=\"field\"><span class=\"key\">Proxy URL</span><input name=\"proxyUrl\" placeholder=\"https://dl.example.com\" value=\"")
        .append(esc(existing != null && existing.proxyUrl() != null ? existing.proxyUrl() : "")).append("\">")
        .append("<span class=\"desc\">Only for download mode proxy_url.</span></label>");
    String group = null;
    for (OptionSpec o : p.schema().options()) {
      if (o.group() != null && !o.group().equals(group)) {
        group = o.group();
        b.append("<h4>").append(esc(group)).append("</h4>");
      }
      String name = "opt." + o.key();
      String value = values.get(o.key());
      String hint = o.defaultValue() != null ? (o.secret() ? "" : o.defaultValue()) : o.example() != null ? o.example() : "";
      b.append("<label class=\"field\" data-type=\"").append(o.type().name().toLowerCase(Locale.ROOT)).append("\">");
      if (o.type() == OptionType.BOOLEAN) {
        boolean on = value != null ? Boolean.parseBoolean(value) : Boolean.parseBoolean(o.defaultValue());
        b.append("<input type=\"checkbox\" name=\"").append(esc(name)).append("\" value=\"true\"").append(on ? " checked" : "")
            .append("> <span class=\"key\">").append(esc(o.key())).append("</span>");
      } else {
        b.append("<span class=\"key\">").append(esc(o.key())).append("</span>");
      }
      if (o.required()) b.append(" <span class=\"req\" title=\"required\">*</span>");
      String req = o.required() && !(o.secret() && existing != null && existing.options().containsKey(o.key())) ? " required" : "";
      switch (o.type()) {
        case BOOLEAN -> { }
        case SECRET -> {
          boolean stored = existing != null && existing.options().containsKey(o.key());
          b.append("<input type=\"password\" autocomplete=\"new-password\" name=\"").append(esc(name)).append("\"")
              .append(stored ? " placeholder=\"unchanged\"" : "").append(req).append(">");
        }
        case ENUM -> {
          String current = value != null ? value : o.defaultValue();
          b.append("<select name=\"").append(esc(name)).append("\"").append(req).append(">");
          if (!o.required() && o.defaultValue() == null) b.append("<option value=\"\"></option>");
          for (String c : o.choices()) {
            b.append("<option").append(c.equalsIgnoreCase(String.valueOf(current)) ? " selected" : "").append(">").append(esc(c)).append("</option>");
          }
          b.append("</select>");
        }
        case TEXT -> b.append("<textarea rows=\"6\" name=\"").append(esc(name)).append("\" placeholder=\"").append(esc(hint)).append("\"")
            .append(req).append(">").append(esc(value == null ? "" : value)).append("</textarea>");
        case INT -> b.append("<input type=\"number\" name=\"").append(esc(name)).append("\"")
            .append(o.min() != null ? " min=\"" + o.min() + "\"" : "").append(o.max() != null ? " max=\"" + o.max() + "\"" : "")
            .append(" placeholder=\"").append(esc(hint)).append("\" value=\"").append(esc(value == null ? "" : value)).append("\"").append(req).append(">");
        default -> b.append("<input type=\"text\" name=\"").append(esc(name)).append("\" placeholder=\"").append(esc(hint))
            .append("\" value=\"").append(esc(value == null ? "" : value)).append("\"").append(req).append(">");
      }
      b.append("<span class=\"desc\">").append(esc(o.description()));
      if (o.defaultValue() != null && !o.secret()) b.append(" Default: ").append(esc(o.defaultValue())).append('.');
      if (o.type() == OptionType.DURATION) b.append(" A duration such as 30s, 5m or PT1H.");
      b.append("</span></label>");
    }
    return b.append("<button class=\"primary\" type=\"submit\">Save mount</button></fieldset></form>").toString();
  }

  private void saveMount(HttpExchange ex) throws IOException {
    Map<String, String> f = form(ex);
    Auth.Session s = requireWrite(ex, f);
    String id = f.get("driver");
    DriverProvider<?> p = id == null ? null : plugins.drives().findProvider(id).orElse(null);
    if (p == null) throw new Denied(400, "driver " + id + " is not available");
    Map<String, String> options = new LinkedHashMap<>();
    Map<String, String> entered = new LinkedHashMap<>();
    String mountPath;
    Mounts.Spec spec;
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
      p.schema().parse(options); // every problem at once, secrets masked
      com.fasterxml.jackson.databind.node.ObjectNode n = mapper.createObjectNode();
      n.put("path", mountPath);
      n.put("driver", id);
      n.put("download", f.getOrDefault("download", "auto"));
      String proxyUrl = f.get("proxyUrl");
      if (proxyUrl != null && !proxyUrl.isBlank()) n.put("proxyUrl", proxyUrl.trim());
      n.putObject("options").setAll(mapper.convertValue(options, com.fasterxml.jackson.databind.node.ObjectNode.class));
      spec = Mounts.parseSpec(n);
    } catch (DriveException | IllegalArgumentException | SafePaths.BadRequest e) {
      entered.putIfAbsent("__mountPath", f.getOrDefault("mountPath", ""));
      sendHtml(ex, 400, adminPage(s, id, null, e.getMessage(), entered));
      return;
    }
    Mounts.Mount m = mounts.put(spec);
    LOG.log(System.Logger.Level.INFO, "{0} saved {1}", s.user(), spec);
    if (!m.ok()) {
      sendHtml(ex, 400, adminPage(s, id, spec.path(), m.problem(), null));
      return;
    }
    redirect(ex, "/admin");
  }

  // ------------------------------------------------------------------ HTTP helpers

  private static String cookie(HttpExchange ex) {
    List<String> headers = ex.getRequestHeaders().get("Cookie");
    if (headers == null) return null;
    for (String h : headers) {
      for (String part : h.split(";")) {
        String p = part.trim();
        if (p.startsWith(Auth.COOKIE + "=")) return p.substring(Auth.COOKIE.length() + 1);
      }
    }
    return null;
  }

  static Map<String, String> query(HttpExchange ex) {
    return parseForm(ex.getRequestURI().getRawQuery());
  }

  private static Map<String, String> form(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new SafePaths.BadRequest("expected a form (application/x-www-form-urlencoded)");
    }
    byte[] body = ex.getRequestBody().readNBytes(MAX_FORM + 1);
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
        m.put(k, v);
      } catch (IllegalArgumentException e) {
        throw new SafePaths.BadRequest("malformed form or query encoding");
      }
    }
    return m;
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(303, -1);
  }

  private static void sendHtml(HttpExchange ex, int status, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", "text/html; charset=utf-8");
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private void error(HttpExchange ex, int status, String message) {
    try {
      // Headers set for a response that never went out (e.g. Content-Disposition) are dropped.
      ex.getResponseHeaders().clear();
      if (status == 401) ex.getResponseHeaders().set("WWW-Authenticate", "Cookie realm=\"pan4j\"");
      String login = status == 401 ? " <a href=\"/login\">Log in</a>" : "";
      sendHtml(ex, status, Html.page("error " + status, "<h2>" + status + "</h2><div class=\"problem\" id=\"error\">"
          + esc(message) + "</div>" + login, auth.session(cookie(ex)), auth.enabled()));
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "could not send error {0}: {1}", status, e.toString());
    }
  }
}
