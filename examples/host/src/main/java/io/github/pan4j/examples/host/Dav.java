package io.github.pan4j.examples.host;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.UploadOptions;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * WebDAV (RFC 4918, class 1) at {@code /dav/} over every mount, with the host's login: reads are
 * as open as the web pages, writes need the admin user (HTTP Basic, or the page's session cookie)
 * and a driver that can do them; a driver without the capability answers 403.
 *
 * <ul>
 *   <li>GET/HEAD follow the mount's download mode exactly like {@code /d/}: 302 to the driver's
 *       link, 302 to the signed proxy URL, or the bytes streamed with Range.
 *   <li>PUT streams into the driver (a body without Content-Length is spooled to a temp file).
 *   <li>COPY within one mount whose driver has server-side copy uses it (nothing passes through
 *       the host): into another folder under the same name one copy, under another name a copy
 *       and a rename when the source's name is free in the destination folder. Otherwise (across
 *       mounts, a driver without copy, another name in the same folder or a clash) a file is
 *       streamed through the host and a folder is created and filled: by the driver's copy of
 *       everything in it at once within such a mount, else entry by entry. MOVE uses the driver's
 *       move and rename.
 *   <li>Dead properties (PROPPATCH) are kept by the host in memory, follow MOVE and COPY, and are
 *       lost on restart.
 *   <li>Locks are not supported: LOCK and UNLOCK answer 501, and OPTIONS says {@code DAV: 1}.
 * </ul>
 */
final class Dav {
  private static final Logger LOG = LoggerFactory.getLogger(Dav.class);
  static final List<String> METHODS =
      List.of("OPTIONS", "PROPFIND", "PROPPATCH", "GET", "HEAD", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK");
  private static final String NS = "DAV:";
  private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final long BASIC_CACHE_MILLIS = 10 * 60 * 1000;

  private final Host host;
  private final Mounts mounts;
  private final Auth auth;
  private final Downloads downloads;
  /** Dead properties by host path, then by "{namespace}name". */
  private final Map<String, Map<String, Element>> deadProps = new ConcurrentHashMap<>();
  /** Digests of Basic credentials that verified recently (PBKDF2 per request would be far too slow). */
  private final Map<String, Long> basicOk = new ConcurrentHashMap<>();
  private final byte[] basicSalt = Auth.random(16).getBytes(StandardCharsets.UTF_8);

  Dav(Host host, Mounts mounts, Auth auth, Downloads downloads) {
    this.host = host;
    this.mounts = mounts;
    this.auth = auth;
    this.downloads = downloads;
  }

  /** A WebDAV answer with a status and no body (or a short text). */
  private static final class Status extends RuntimeException {
    final int code;

    Status(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  void handle(Context ctx) throws IOException {
    ctx.attribute("pan4j.handled", Boolean.TRUE);
    String method = ctx.method().name();
    try {
      String path = Host.pathAfter(ctx, "/dav");
      var jetty = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req());
      if (jetty != null && jetty.getHttpURI().getFragment() != null) {
        // Clients never send one; acting on the URI without it could delete the wrong resource.
        throw new Status(400, "a request URI must not carry a #fragment");
      }
      switch (method) {
        case "OPTIONS" -> options(ctx);
        case "PROPFIND" -> propfind(ctx, path);
        case "PROPPATCH" -> proppatch(ctx, path);
        case "GET", "HEAD" -> get(ctx, path);
        case "PUT" -> put(ctx, path);
        case "DELETE" -> delete(ctx, path);
        case "MKCOL" -> mkcol(ctx, path);
        case "COPY", "MOVE" -> copyOrMove(ctx, path, method.equals("MOVE"));
        default -> throw new Status(501, method + " is not supported: this WebDAV server has no locks (class 1)");
      }
    } catch (Status s) {
      text(ctx, s.code, s.getMessage());
    } catch (Host.Denied d) {
      text(ctx, d.status, d.getMessage());
    } catch (SafePaths.BadRequest b) {
      text(ctx, 400, b.getMessage());
    } catch (DriveException e) {
      LOG.warn("WebDAV {} {}: {}", method, ctx.req().getRequestURI(), e.getMessage());
      host.noteFailure(ctx, e);
      int code = switch (e.kind()) {
        case UNSUPPORTED -> 403;
        case ALREADY_EXISTS -> 405;
        default -> Host.status(e.kind());
      };
      text(ctx, code, e.getMessage());
    }
  }

  private static void text(Context ctx, int code, String message) {
    if (ctx.res().isCommitted()) return;
    ctx.status(code);
    if (code == 401) ctx.header("WWW-Authenticate", "Basic realm=\"pan4j\", charset=\"UTF-8\"");
    if (message != null && !ctx.method().name().equals("HEAD")) ctx.contentType("text/plain; charset=utf-8").result(message + "\n");
  }

  private void options(Context ctx) {
    ctx.header("DAV", "1");
    ctx.header("MS-Author-Via", "DAV");
    ctx.header("Allow", String.join(", ", METHODS.subList(0, 10)));
    ctx.status(200);
  }

  // ------------------------------------------------------------------ login

  /** The admin login for a write: HTTP Basic, or the page's session cookie. */
  private void requireWrite(Context ctx) {
    if (!auth.enabled()) throw new Status(403, "writes are off: no admin user is configured in the host config");
    if (auth.session(Host.cookie(ctx)) != null) return;
    String h = ctx.header("Authorization");
    if (h != null && h.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Status(400, "malformed Basic authorization");
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        String key = digest(decoded);
        Long until = basicOk.get(key);
        long now = System.currentTimeMillis();
        if (until != null && until > now) return;
        Auth.Result r = auth.login(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray(), host.clientAddress(ctx));
        if (r.token() != null) {
          auth.logout(r.token()); // Basic needs no session
          if (basicOk.size() > 1000) basicOk.clear();
          basicOk.put(key, now + BASIC_CACHE_MILLIS);
          return;
        }
        if (r.retryAfterSeconds() > 0) {
          ctx.header("Retry-After", String.valueOf(r.retryAfterSeconds()));
          throw new Status(429, "too many failed logins; try again in " + r.retryAfterSeconds() + " s");
        }
      }
    }
    throw new Status(401, "log in as the admin user to write");
  }

  private String digest(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(basicSalt);
      return Base64.getEncoder().encodeToString(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ resources

  /** A resource: a virtual folder (mount points above mounts), or an entry of a mount. */
  private record Res(String path, boolean folder, long size, Instant modified, String etag, Mounts.Target target) {}

  /** The mount target of {@code path}, held by the request ({@link Host#use}), or null. */
  private Mounts.Target target(Context ctx, String path) {
    Mounts.Target t = Host.use(ctx).resolve(path);
    if (t == null) return null;
    if (!t.mount().ok()) throw new Status(503, t.mount().problem());
    return t;
  }

  /** The resource at {@code path}, or null. */
  private Res find(Context ctx, String path) {
    Mounts.Target t = target(ctx, path);
    if (t == null) {
      if (path.equals("/") || !mounts.virtualChildren(path).isEmpty()) return new Res(path, true, -1, null, null, null);
      return null;
    }
    Entry e;
    try {
      e = t.mount().drive().stat(t.path());
    } catch (DriveException ex) {
      if (ex.kind() == ErrorKind.NOT_FOUND || ex.kind() == ErrorKind.NOT_A_DIRECTORY) return null;
      throw ex;
    }
    return res(path, e, t);
  }

  private static Res res(String path, Entry e, Mounts.Target t) {
    String etag = e.folder() ? null : "\"" + (e.hashes().md5() != null ? e.hashes().md5()
        : Long.toHexString(e.size()) + "-" + (e.modified() == null ? "0" : Long.toHexString(e.modified().toEpochMilli()))) + "\"";
    return new Res(path, e.folder(), e.size(), e.modified(), etag, t);
  }

  private List<Res> children(Res r) {
    List<Res> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String v : mounts.virtualChildren(r.path())) {
      seen.add(v);
      out.add(new Res(SafePaths.child(r.path(), v), true, -1, null, null, null));
    }
    if (r.target() != null) {
      try (Stream<Entry> s = r.target().mount().drive().list(r.target().path())) {
        s.forEach(e -> {
          if (seen.add(e.name())) {
            String p = SafePaths.child(r.path(), e.name());
            out.add(res(p, e, new Mounts.Target(r.target().mount(), SafePaths.child(r.target().path(), e.name()))));
          }
        });
      }
    }
    return out;
  }

  private Drive writable(Mounts.Target t, Capability c, String what) {
    if (t == null) throw new Status(403, "nothing is mounted here; " + what + " needs a mount");
    Drive d = t.mount().drive();
    if (!d.supports(c)) {
      throw new Status(403, "the " + t.mount().spec().driver() + " driver of " + t.mount().spec().path() + " cannot " + what);
    }
    return d;
  }

  private static String href(Res r) {
    String enc = SafePaths.encodePath(r.path());
    if (r.folder() && !enc.endsWith("/")) enc += "/";
    return "/dav" + enc;
  }

  // ------------------------------------------------------------------ reads

  private void get(Context ctx, String path) throws IOException {
    Res r = find(ctx, path);
    if (r == null) throw new Status(404, "nothing at " + path);
    if (r.folder()) {
      StringBuilder b = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
          .append(Html.esc(path)).append("</title></head><body><h1>").append(Html.esc(path)).append("</h1><ul>");
      for (Res c : children(r)) {
        b.append("<li><a href=\"").append(Html.esc(href(c))).append("\">").append(Html.esc(SafePaths.name(c.path())))
            .append(c.folder() ? "/" : "").append("</a></li>");
      }
      Host.sendHtml(ctx, 200, b.append("</ul></body></html>").toString());
      return;
    }
    if (r.etag() != null) ctx.header("ETag", r.etag());
    if (r.modified() != null) ctx.header("Last-Modified", RFC1123.format(r.modified()));
    downloads.send(ctx, path, r.target(), null, false);
  }

  private void propfind(Context ctx, String path) throws IOException {
    String depth = ctx.header("Depth");
    if (depth == null) depth = "infinity";
    if (!depth.equals("0") && !depth.equals("1")) {
      ctx.status(403).contentType("application/xml; charset=utf-8").result("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
          + "<D:error xmlns:D=\"DAV:\"><D:propfind-finite-depth/></D:error>");
      return;
    }
    Document req = parseBody(ctx);
    Set<String> wanted = null; // null: allprop
    boolean names = false;
    List<Element> wantedEls = new ArrayList<>();
    if (req != null) {
      Element root = req.getDocumentElement();
      if (!isDav(root, "propfind")) throw new Status(400, "expected a DAV:propfind body");
      Element first = firstChild(root);
      if (first == null) throw new Status(400, "DAV:propfind needs prop, propname or allprop");
      if (isDav(first, "propname")) names = true;
      else if (isDav(first, "prop")) {
        wanted = new java.util.LinkedHashSet<>();
        for (Element p : children(first)) {
          wanted.add(key(p));
          wantedEls.add(p);
        }
      } else if (!isDav(first, "allprop")) throw new Status(400, "DAV:propfind needs prop, propname or allprop");
    }
    Res r = find(ctx, path);
    if (r == null) throw new Status(404, "nothing at " + path);
    List<Res> all = new ArrayList<>();
    all.add(r);
    if (depth.equals("1") && r.folder()) all.addAll(children(r));
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">");
    for (Res x : all) {
      out.append("<D:response><D:href>").append(Html.esc(href(x))).append("</D:href>");
      Map<String, String> live = live(x);
      Map<String, Element> dead = deadProps.getOrDefault(x.path(), Map.of());
      if (names) {
        out.append("<D:propstat><D:prop>");
        for (String k : live.keySet()) out.append("<D:").append(k).append("/>");
        for (Element e : dead.values()) emptyElement(out, e);
        out.append("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>");
      } else if (wanted == null) {
        out.append("<D:propstat><D:prop>");
        live.forEach((k, v) -> out.append(v));
        for (Element e : dead.values()) Xml.write(out, e);
        out.append("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>");
      } else {
        StringBuilder found = new StringBuilder();
        StringBuilder missing = new StringBuilder();
        for (Element w : wantedEls) {
          String k = key(w);
          String l = NS.equals(w.getNamespaceURI()) ? live.get(w.getLocalName()) : null;
          if (l != null) found.append(l);
          else if (dead.containsKey(k)) Xml.write(found, dead.get(k));
          else emptyElement(missing, w);
        }
        if (found.length() > 0) {
          out.append("<D:propstat><D:prop>").append(found).append("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>");
        }
        if (missing.length() > 0) {
          out.append("<D:propstat><D:prop>").append(missing)
              .append("</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>");
        }
      }
      out.append("</D:response>");
    }
    out.append("</D:multistatus>");
    multistatus(ctx, out);
  }

  private static void multistatus(Context ctx, CharSequence body) {
    ctx.status(207).contentType("application/xml; charset=utf-8").result(body.toString());
  }

  /** The live properties, by local name in DAV:, as XML. */
  private static Map<String, String> live(Res r) {
    Map<String, String> m = new LinkedHashMap<>();
    String name = r.path().equals("/") ? "" : SafePaths.name(r.path());
    m.put("displayname", "<D:displayname>" + Html.esc(name) + "</D:displayname>");
    m.put("resourcetype", r.folder() ? "<D:resourcetype><D:collection/></D:resourcetype>" : "<D:resourcetype/>");
    if (!r.folder()) {
      if (r.size() >= 0) m.put("getcontentlength", "<D:getcontentlength>" + r.size() + "</D:getcontentlength>");
      m.put("getcontenttype", "<D:getcontenttype>" + Html.esc(MimeTypes.type(name)) + "</D:getcontenttype>");
      if (r.etag() != null) m.put("getetag", "<D:getetag>" + Html.esc(r.etag()) + "</D:getetag>");
    }
    if (r.modified() != null) m.put("getlastmodified", "<D:getlastmodified>" + RFC1123.format(r.modified()) + "</D:getlastmodified>");
    m.put("supportedlock", "<D:supportedlock/>");
    m.put("lockdiscovery", "<D:lockdiscovery/>");
    return m;
  }

  private static void emptyElement(StringBuilder out, Element e) {
    String ns = e.getNamespaceURI();
    if (NS.equals(ns)) out.append("<D:").append(e.getLocalName()).append("/>");
    else if (ns == null || ns.isEmpty()) out.append('<').append(e.getLocalName()).append("/>");
    else out.append("<x:").append(e.getLocalName()).append(" xmlns:x=\"").append(Html.esc(ns)).append("\"/>");
  }

  // ------------------------------------------------------------------ writes

  private void proppatch(Context ctx, String path) throws IOException {
    requireWrite(ctx);
    Res r = find(ctx, path);
    if (r == null) throw new Status(404, "nothing at " + path);
    Document req = parseBody(ctx);
    if (req == null || !isDav(req.getDocumentElement(), "propertyupdate")) throw new Status(400, "expected a DAV:propertyupdate body");
    List<Element> touched = new ArrayList<>();
    boolean forbidden = false;
    Map<String, Element> updated = new LinkedHashMap<>(deadProps.getOrDefault(path, Map.of()));
    for (Element op : children(req.getDocumentElement())) {
      boolean set = isDav(op, "set");
      if (!set && !isDav(op, "remove")) throw new Status(400, "DAV:propertyupdate holds only set and remove");
      for (Element prop : children(op)) {
        if (!isDav(prop, "prop")) continue;
        for (Element p : children(prop)) {
          touched.add(p);
          if (NS.equals(p.getNamespaceURI())) {
            forbidden = true;
            continue;
          }
          if (set) updated.put(key(p), Xml.detach(p));
          else updated.remove(key(p));
        }
      }
    }
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>")
        .append(Html.esc(href(r))).append("</D:href>");
    if (forbidden) {
      // All or nothing (RFC 4918 9.2): nothing is changed when one property is protected.
      StringBuilder prot = new StringBuilder();
      StringBuilder dep = new StringBuilder();
      for (Element p : touched) emptyElement(NS.equals(p.getNamespaceURI()) ? prot : dep, p);
      out.append("<D:propstat><D:prop>").append(prot).append("</D:prop><D:status>HTTP/1.1 403 Forbidden</D:status></D:propstat>");
      if (dep.length() > 0) {
        out.append("<D:propstat><D:prop>").append(dep).append("</D:prop><D:status>HTTP/1.1 424 Failed Dependency</D:status></D:propstat>");
      }
    } else {
      if (updated.isEmpty()) deadProps.remove(path);
      else deadProps.put(path, updated);
      StringBuilder ok = new StringBuilder();
      for (Element p : touched) emptyElement(ok, p);
      out.append("<D:propstat><D:prop>").append(ok).append("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>");
    }
    out.append("</D:response></D:multistatus>");
    multistatus(ctx, out);
  }

  private void put(Context ctx, String path) throws IOException {
    requireWrite(ctx);
    Mounts.Target t = target(ctx, path);
    Drive d = writable(t, Capability.UPLOAD, "store files");
    if (t.path().equals("/")) throw new Status(405, path + " is a mount's root folder");
    Res parent = find(ctx, SafePaths.parent(path));
    if (parent == null || !parent.folder()) throw new Status(409, "the folder " + SafePaths.parent(path) + " does not exist");
    Res existing = find(ctx, path);
    if (existing != null && existing.folder()) throw new Status(405, path + " is a folder");
    SafePaths.checkName(SafePaths.name(path));
    long size = ctx.req().getContentLengthLong();
    checkSize(ctx, size);
    if (size >= 0) {
      try (InputStream in = ctx.req().getInputStream()) {
        d.put(t.path(), in, size, UploadOptions.of(ConflictPolicy.OVERWRITE));
      }
    } else {
      // Chunked: the drivers want the size up front, so the body goes to a temp file first.
      Path tmp = Files.createTempFile("pan4j-dav", ".part");
      try {
        try (InputStream in = ctx.req().getInputStream(); var out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[64 * 1024];
          long total = 0;
          for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > host.maxUploadBytes()) {
              // Read (and drop) up to 1 MiB more, so that a client a little over the limit gets the
              // 413 on a connection closed cleanly rather than reset under its last bytes.
              for (long extra = 0; extra < 1024 * 1024 && (n = in.read(buf)) > 0; ) extra += n;
              checkSize(ctx, Long.MAX_VALUE);
            }
            out.write(buf, 0, n);
          }
        }
        d.put(t.path(), tmp, UploadOptions.of(ConflictPolicy.OVERWRITE));
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    LOG.info("WebDAV: stored {}", path);
    ctx.status(existing == null ? 201 : 204);
  }

  /** maxUploadMb applies to WebDAV PUT as to the page's uploads: a 413 with the host's reason. */
  private void checkSize(Context ctx, long bytes) {
    try {
      host.checkUploadSize(ctx, bytes);
    } catch (Host.Denied e) {
      throw new Status(e.status, e.getMessage());
    }
  }

  private void mkcol(Context ctx, String path) throws IOException {
    requireWrite(ctx);
    if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
      throw new Status(415, "MKCOL with a body is not supported");
    }
    Mounts.Target t = target(ctx, path);
    if (find(ctx, path) != null) throw new Status(405, path + " already exists");
    Drive d = writable(t, Capability.MKDIR, "create folders");
    Res parent = find(ctx, SafePaths.parent(path));
    if (parent == null || !parent.folder()) throw new Status(409, "the folder " + SafePaths.parent(path) + " does not exist");
    SafePaths.checkName(SafePaths.name(path));
    d.mkdirs(t.path());
    ctx.status(201);
  }

  private void delete(Context ctx, String path) {
    requireWrite(ctx);
    Mounts.Target t = target(ctx, path);
    if (find(ctx, path) == null) throw new Status(404, "nothing at " + path);
    Drive d = writable(t, Capability.REMOVE, "remove");
    if (t.path().equals("/")) throw new Status(403, path + " is a mount point; unmount it on the admin page");
    d.remove(t.path());
    dropProps(path);
    ctx.status(204);
  }

  private void copyOrMove(Context ctx, String path, boolean move) throws IOException {
    requireWrite(ctx);
    String dest = destination(ctx);
    boolean overwrite = !"F".equalsIgnoreCase(String.valueOf(ctx.header("Overwrite")).trim());
    String depth = ctx.header("Depth");
    boolean shallow = "0".equals(depth);
    if (move && depth != null && !depth.equalsIgnoreCase("infinity")) throw new Status(400, "MOVE needs Depth: infinity");
    Res src = find(ctx, path);
    if (src == null) throw new Status(404, "nothing at " + path);
    if (dest.equals(path)) throw new Status(403, "source and destination are the same");
    if (dest.startsWith(path + "/") || path.equals("/")) throw new Status(403, "cannot copy or move a folder into itself");
    Mounts.Target st = target(ctx, path);
    Mounts.Target dt = target(ctx, dest);
    if (st == null || st.path().equals("/")) throw new Status(403, path + " is not inside a mount");
    if (dt == null || dt.path().equals("/")) throw new Status(403, dest + " is not inside a mount");
    Res destParent = find(ctx, SafePaths.parent(dest));
    if (destParent == null || !destParent.folder()) throw new Status(409, "the folder " + SafePaths.parent(dest) + " does not exist");
    SafePaths.checkName(SafePaths.name(dest));
    Res existing = find(ctx, dest);
    if (existing != null) {
      if (!overwrite) throw new Status(412, dest + " exists and Overwrite is F");
      writable(dt, Capability.REMOVE, "replace").remove(dt.path());
      dropProps(dest);
    }
    if (move) {
      if (st.mount() != dt.mount()) throw new Status(502, "moves work within one mount; " + dest + " is on another");
      move(st, dt);
      moveProps(path, dest, true);
    } else {
      copy(src, dt, shallow);
      moveProps(path, dest, false);
    }
    LOG.info("WebDAV: {} {} to {}", move ? "moved" : "copied", path, dest);
    ctx.status(existing == null ? 201 : 204);
  }

  private String destination(Context ctx) {
    String h = ctx.header("Destination");
    if (h == null || h.isBlank()) throw new Status(400, "a Destination header is needed");
    String raw;
    try {
      URI u = new URI(h.trim());
      raw = u.getRawPath();
    } catch (URISyntaxException e) {
      throw new Status(400, "Destination is not a URI: " + e.getMessage());
    }
    if (raw == null || !(raw.equals("/dav") || raw.startsWith("/dav/"))) throw new Status(502, "Destination is not on this server's /dav/");
    return SafePaths.decodePath(raw.substring(4));
  }

  private void move(Mounts.Target st, Mounts.Target dt) {
    Drive d = st.mount().drive();
    String srcParent = SafePaths.parent(st.path());
    String dstParent = SafePaths.parent(dt.path());
    String srcName = SafePaths.name(st.path());
    String dstName = SafePaths.name(dt.path());
    if (srcParent.equals(dstParent)) {
      writable(st, Capability.RENAME, "rename").rename(st.path(), dstName);
    } else if (srcName.equals(dstName)) {
      writable(st, Capability.MOVE, "move").move(st.path(), dstParent);
    } else {
      writable(st, Capability.MOVE, "move");
      writable(st, Capability.RENAME, "rename");
      if (!d.exists(SafePaths.child(dstParent, srcName))) {
        d.move(st.path(), dstParent);
        d.rename(SafePaths.child(dstParent, srcName), dstName);
      } else if (!d.exists(SafePaths.child(srcParent, dstName))) {
        d.rename(st.path(), dstName);
        d.move(SafePaths.child(srcParent, dstName), dstParent);
      } else {
        throw new Status(409, "cannot move and rename at once here: both folders hold a clashing name; move in two steps");
      }
    }
  }

  /**
   * Copies {@code src} to {@code dt}: by the driver's own copy where {@link #copyInCloud} can, else
   * a file by streaming it through the host and a folder by creating it and copying what is in it
   * (within one mount whose driver copies, all of it by one {@link Drive#copyAll}). Depth 0 on a
   * folder only creates it.
   */
  private void copy(Res src, Mounts.Target dt, boolean shallow) throws IOException {
    if (!(src.folder() && shallow) && copyInCloud(src.target(), dt)) return;
    Drive to = dt.mount().drive();
    if (src.folder()) {
      writable(dt, Capability.MKDIR, "create folders").mkdirs(dt.path());
      if (shallow) return;
      Mounts.Target st = src.target();
      if (st != null && st.mount() == dt.mount() && st.mount().drive().supports(Capability.COPY)
          && mounts.virtualChildren(src.path()).isEmpty()) {
        // What the folder holds, in one go by the driver (123open: one async copy task rather than
        // one file/copy a second per entry); the folder is new, so no name in it clashes.
        Drive d = st.mount().drive();
        List<String> paths = d.ls(st.path()).stream().map(e -> SafePaths.child(st.path(), e.name())).toList();
        if (!paths.isEmpty()) d.copyAll(paths, dt.path(), progress -> { });
        return;
      }
      for (Res c : children(src)) {
        copy(c, new Mounts.Target(dt.mount(), SafePaths.child(dt.path(), SafePaths.name(c.path()))), false);
      }
      return;
    }
    writable(dt, Capability.UPLOAD, "store files");
    Drive from = src.target().mount().drive();
    Link link = from.link(src.target().path());
    if (src.size() == 0) {
      to.put(dt.path(), new ByteArrayInputStream(new byte[0]), 0, UploadOptions.of(ConflictPolicy.OVERWRITE));
      return;
    }
    try (Link.Content c = link.open()) {
      long size = src.size() >= 0 ? src.size() : c.length();
      if (size < 0) {
        Path tmp = Files.createTempFile("pan4j-dav", ".copy");
        try {
          Files.copy(c.body(), tmp, StandardCopyOption.REPLACE_EXISTING);
          to.put(dt.path(), tmp, UploadOptions.of(ConflictPolicy.OVERWRITE));
        } finally {
          Files.deleteIfExists(tmp);
        }
      } else {
        to.put(dt.path(), c.body(), size, UploadOptions.of(ConflictPolicy.OVERWRITE));
      }
    }
  }

  /**
   * Copies {@code st} to {@code dt} with the driver's server-side copy, when both are on one mount
   * whose driver has {@link Capability#COPY}; false when it cannot, and nothing was done. The
   * driver's copy keeps the name: another name is a copy into the destination folder and a rename
   * there, done only when the driver can rename and the source's name is free in that folder. A
   * copy within its own folder under another name would clash with the source, so it is not done
   * here (the caller streams it); nor is the source renamed for a moment as a move may be: a copy
   * leaves its source alone. A rename that fails removes the copy again before the error is told.
   */
  private boolean copyInCloud(Mounts.Target st, Mounts.Target dt) {
    if (st.mount() != dt.mount()) return false;
    Drive d = st.mount().drive();
    if (!d.supports(Capability.COPY)) return false;
    String srcParent = SafePaths.parent(st.path());
    String dstParent = SafePaths.parent(dt.path());
    String srcName = SafePaths.name(st.path());
    String dstName = SafePaths.name(dt.path());
    if (srcParent.equals(dstParent)) return false;
    if (srcName.equals(dstName)) {
      d.copy(st.path(), dstParent);
      return true;
    }
    if (!d.supports(Capability.RENAME) || d.exists(SafePaths.child(dstParent, srcName))) return false;
    Entry copy = d.copy(st.path(), dstParent);
    try {
      d.rename(copy.path(), dstName);
    } catch (DriveException e) {
      try {
        if (d.supports(Capability.REMOVE)) d.remove(copy.path());
      } catch (DriveException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return true;
  }

  private void dropProps(String path) {
    deadProps.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "/"));
  }

  private void moveProps(String from, String to, boolean move) {
    Map<String, Map<String, Element>> add = new HashMap<>();
    for (Map.Entry<String, Map<String, Element>> e : deadProps.entrySet()) {
      String k = e.getKey();
      if (k.equals(from) || k.startsWith(from + "/")) add.put(to + k.substring(from.length()), new LinkedHashMap<>(e.getValue()));
    }
    if (move) dropProps(from);
    deadProps.putAll(add);
  }

  // ------------------------------------------------------------------ XML

  private static final DocumentBuilderFactory XML = DocumentBuilderFactory.newInstance();

  static {
    try {
      XML.setNamespaceAware(true);
      XML.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      XML.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      XML.setExpandEntityReferences(false);
    } catch (ParserConfigurationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The request body as XML, or null when there is none. */
  private static Document parseBody(Context ctx) throws IOException {
    byte[] body = ctx.req().getInputStream().readNBytes(1024 * 1024 + 1);
    if (body.length > 1024 * 1024) throw new Status(413, "the XML body is too large");
    if (body.length == 0) return null;
    try {
      DocumentBuilder b = XML.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new ByteArrayInputStream(body));
    } catch (SAXException | ParserConfigurationException e) {
      throw new Status(400, "the body is not well-formed XML: " + e.getMessage());
    }
  }

  private static boolean isDav(Element e, String name) {
    return e != null && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName());
  }

  private static String key(Element e) {
    return "{" + (e.getNamespaceURI() == null ? "" : e.getNamespaceURI()) + "}" + e.getLocalName();
  }

  private static Element firstChild(Element e) {
    List<Element> c = children(e);
    return c.isEmpty() ? null : c.get(0);
  }

  private static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    NodeList nl = e.getChildNodes();
    for (int i = 0; i < nl.getLength(); i++) if (nl.item(i) instanceof Element c) out.add(c);
    return out;
  }

  /** Writes stored property elements with their namespaces declared where they are used. */
  static final class Xml {
    private Xml() {}

    static Element detach(Element e) {
      try {
        Document d = XML.newDocumentBuilder().newDocument();
        return (Element) d.importNode(e, true);
      } catch (ParserConfigurationException ex) {
        throw new IllegalStateException(ex);
      }
    }

    static void write(StringBuilder out, Element e) {
      write(out, e, new HashMap<>(Map.of("DAV:", "D")), new int[] {0});
    }

    private static void write(StringBuilder out, Element e, Map<String, String> scope, int[] counter) {
      Map<String, String> local = new HashMap<>(scope);
      StringBuilder decl = new StringBuilder();
      String name = qname(e.getNamespaceURI(), e.getLocalName() != null ? e.getLocalName() : e.getNodeName(), local, decl, counter);
      StringBuilder attrs = new StringBuilder();
      NamedNodeMap am = e.getAttributes();
      for (int i = 0; i < am.getLength(); i++) {
        Node a = am.item(i);
        if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) continue;
        String an = a.getNamespaceURI() == null || a.getNamespaceURI().isEmpty() ? a.getLocalName()
            : qname(a.getNamespaceURI(), a.getLocalName(), local, decl, counter);
        attrs.append(' ').append(an).append("=\"").append(Html.esc(a.getNodeValue())).append('"');
      }
      out.append('<').append(name).append(decl).append(attrs).append('>');
      NodeList nl = e.getChildNodes();
      for (int i = 0; i < nl.getLength(); i++) {
        Node n = nl.item(i);
        if (n instanceof Element c) write(out, c, local, counter);
        else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) out.append(Html.esc(n.getNodeValue()));
      }
      out.append("</").append(name).append('>');
    }

    private static String qname(String ns, String localName, Map<String, String> scope, StringBuilder decl, int[] counter) {
      if (ns == null || ns.isEmpty()) return localName; // the response never sets a default namespace
      String prefix = scope.get(ns);
      if (prefix == null) {
        prefix = "ns" + counter[0]++;
        scope.put(ns, prefix);
        decl.append(" xmlns:").append(prefix).append("=\"").append(Html.esc(ns)).append('"');
      }
      return prefix + ":" + localName;
    }
  }
}
