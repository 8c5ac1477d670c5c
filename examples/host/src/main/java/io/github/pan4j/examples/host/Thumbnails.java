package io.github.pan4j.examples.host;

import io.github.pan4j.core.Entry;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The grid view's thumbnails ({@code GET /t/<path>}): the provider's preview of a picture or video
 * that the listing carried ({@link Entry#thumbnail()}).
 *
 * <p>A thumbnail URL is a provider URL (signed, short-lived), so it follows the mount's download
 * mode: {@code redirect} sends the browser there with a 302, as downloads do; every other mode
 * ({@code auto}, {@code proxy}, {@code proxy_url}) fetches it here and streams it, so the browser
 * never learns a provider URL the mount keeps from it. Fetched with a plain client: no cookie,
 * no {@code Authorization}, no {@code Referer} of ours, nothing of the account's session; only
 * {@code image/*} answers up to {@link #MAX_BYTES} are passed on, with {@code nosniff}. A file
 * without a thumbnail is 404, and the page then shows what it showed before thumbnails.
 */
final class Thumbnails {
  static final int MAX_BYTES = 2 * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  void send(Context ctx, String path, Mounts.Target t) throws IOException, InterruptedException {
    Entry e = t.mount().drive().stat(t.path());
    if (!e.folder() && e.thumbnail() == null && !t.path().equals("/")) {
      // Only listings carry thumbnails on some providers (123open's detail call has none): look
      // the file up in its folder's listing.
      String name = e.name();
      String parent = t.path().substring(0, Math.max(1, t.path().lastIndexOf('/')));
      try (Stream<Entry> s = t.mount().drive().list(parent)) {
        e = s.filter(x -> x.name().equals(name) && !x.folder()).findFirst().orElse(e);
      }
    }
    String url = e.folder() ? null : e.thumbnail();
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://")) || !SafePaths.headerSafe(url)) {
      throw new Host.Denied(404, path + " has no thumbnail");
    }
    ctx.header("Referrer-Policy", "no-referrer");
    if (t.mount().spec().download() == DownloadMode.REDIRECT) {
      ctx.header("Cache-Control", "no-store");
      ctx.header("Location", url);
      ctx.status(302);
      return;
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build();
    HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = res.body()) {
      String type = res.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT).trim();
      boolean image = type.startsWith("image/") && !type.startsWith("image/svg");
      if (res.statusCode() != 200 || !image) {
        throw new Host.Denied(502, "the provider did not answer an image for the thumbnail of " + path
            + " (HTTP " + res.statusCode() + ")");
      }
      byte[] body = in.readNBytes(MAX_BYTES + 1);
      if (body.length > MAX_BYTES) throw new Host.Denied(502, "the thumbnail of " + path + " is larger than 2 MiB");
      ctx.header("Cache-Control", "private, max-age=600");
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("Content-Security-Policy", "sandbox");
      ctx.contentType(type.split(";")[0].trim());
      ctx.status(200);
      ctx.result(body);
    }
  }
}
