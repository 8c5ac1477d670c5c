package io.github.pan4j.examples.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test stand-in for a provider's download CDN: serves a folder under /files/ with single
 * Range support, optionally refusing requests without the right Referer (like 123's anti-leech
 * check), and allowing cross-origin reads so a page can fetch() a 302 target.
 */
final class TestCdn implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  record Hit(String path, String referer, String range) {}

  private final Path root;
  private final String requiredReferer;
  private final HttpServer server;
  final List<Hit> hits = new CopyOnWriteArrayList<>();

  TestCdn(Path root, String requiredReferer) throws IOException {
    this.root = root;
    this.requiredReferer = requiredReferer;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/files/", this::serve);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/files";
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String rel = URLDecoder.decode(ex.getRequestURI().getRawPath().substring("/files/".length()), StandardCharsets.UTF_8);
      String referer = ex.getRequestHeaders().getFirst("Referer");
      String range = ex.getRequestHeaders().getFirst("Range");
      hits.add(new Hit(rel, referer, range));
      ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
      if (requiredReferer != null && !requiredReferer.equals(referer)) {
        ex.sendResponseHeaders(403, -1);
        return;
      }
      Path f = root.resolve(rel).normalize();
      if (!f.startsWith(root) || !Files.isRegularFile(f)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      long total = Files.size(f);
      long start = 0;
      long end = total - 1;
      int status = 200;
      if (range != null) {
        Matcher m = RANGE.matcher(range);
        if (m.matches()) {
          start = Long.parseLong(m.group(1));
          if (!m.group(2).isEmpty()) end = Math.min(end, Long.parseLong(m.group(2)));
          if (start >= total) {
            ex.getResponseHeaders().set("Content-Range", "bytes */" + total);
            ex.sendResponseHeaders(416, -1);
            return;
          }
          status = 206;
          ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + total);
        }
      }
      long len = end - start + 1;
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      ex.sendResponseHeaders(status, len == 0 ? -1 : len);
      try (InputStream in = Files.newInputStream(f); OutputStream out = ex.getResponseBody()) {
        in.skipNBytes(start);
        out.write(in.readNBytes((int) len));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
