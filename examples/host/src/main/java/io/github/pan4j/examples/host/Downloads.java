package io.github.pan4j.examples.host;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hands out a file's bytes in a mount's download mode: a 302 to the driver's link, a 302 to the
 * external proxy with a signed URL, or the host streaming the bytes itself with Range. The web
 * page's download ({@code /d/}), the signed proxy ({@code /p/}) and WebDAV's GET all go through here,
 * so they behave the same on every mount.
 */
final class Downloads {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private final Signer signer;

  Downloads(Signer signer) {
    this.signer = signer;
  }

  /**
   * Sends the file at {@code path} (in mount target {@code t}, resolved through the request's
   * {@link Mounts.Use}, which keeps its drives open while this runs, also when the mount is saved
   * meanwhile).
   */
  void send(Context ctx, String path, Mounts.Target t, DownloadMode forced, boolean attachment) throws IOException {
    Drive d = t.mount().drive();
    Entry e = d.stat(t.path());
    if (e.folder()) throw new Host.Denied(400, path + " is a folder; only files can be downloaded");
    DownloadMode mode = forced != null ? forced : t.mount().spec().download();
    ctx.header("Cache-Control", "no-store");
    ctx.header("Referrer-Policy", "no-referrer");
    if (mode == DownloadMode.PROXY_URL) {
      String location = t.mount().spec().proxyUrl() + SafePaths.encodePath(path) + "?sign="
          + URLEncoder.encode(signer.sign(path), StandardCharsets.UTF_8);
      ctx.header("Location", location);
      ctx.status(302);
      return;
    }
    Link link = d.link(t.path());
    if (mode == DownloadMode.AUTO) mode = link.preferProxy() ? DownloadMode.PROXY : DownloadMode.REDIRECT;
    if (mode == DownloadMode.REDIRECT) {
      String url = link.url();
      if (!SafePaths.headerSafe(url) || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new Host.Denied(502, "the driver returned a link that cannot be used in a redirect; use download mode proxy");
      }
      ctx.header("Location", url);
      ctx.status(302);
      return;
    }
    proxy(ctx, e, link, t, attachment);
  }

  private record Range(long start, long length) {}

  private void proxy(Context ctx, Entry e, Link link, Mounts.Target t, boolean attachment) throws IOException {
    boolean head = ctx.method().equals(HandlerType.HEAD);
    long known = link.contentLength().orElse(e.size());
    String type = MimeTypes.contentType(e.name());
    if (MimeTypes.active(type)) {
      // Never let a stored file run as a page of this origin.
      attachment = true;
      ctx.header("Content-Security-Policy", "sandbox");
    }
    ctx.header("Content-Type", type);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Accept-Ranges", "bytes");
    ctx.header("Content-Disposition", SafePaths.contentDisposition(attachment ? "attachment" : "inline", e.name()));
    String rangeHeader = ctx.header("Range");
    if (known < 0 && (rangeHeader != null || head)) {
      // The listing did not say how big the file is (e.g. a 123link entry without a size): ask the
      // provider with a one-byte Range, whose Content-Range carries the total.
      known = probeLength(link, t);
    }
    final long total = known;
    Range range = null;
    if (rangeHeader != null && total >= 0) {
      Matcher m = RANGE.matcher(rangeHeader.trim());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        range = parse(m, total);
        if (range == null) {
          ctx.header("Content-Range", "bytes */" + total);
          ctx.status(416);
          return;
        }
      }
      // Anything else (several ranges, other units): ignored, the whole file is sent (RFC 9110 allows it).
    }
    if (head) {
      if (range != null) ctx.header("Content-Range", "bytes " + range.start() + "-" + (range.start() + range.length() - 1) + "/" + total);
      if (total >= 0) ctx.res().setContentLengthLong(range != null ? range.length() : total);
      ctx.status(range != null ? 206 : 200);
      return;
    }
    Link.Content opened;
    try {
      opened = range != null ? link.open(range.start(), range.length()) : link.open();
    } catch (DriveException err) {
      if (err.kind() != ErrorKind.EXPIRED) throw err;
      Link fresh = t.mount().drive().link(t.path()); // the link went stale between stat and open: once more
      opened = range != null ? fresh.open(range.start(), range.length()) : fresh.open();
    }
    try (Link.Content c = opened) {
      if (c.status() == 416) {
        ctx.header("Content-Range", "bytes */" + (total >= 0 ? total : c.totalLength()));
        ctx.status(416);
        return;
      }
      long bodyLength = c.length() >= 0 ? c.length() : range != null ? range.length() : total;
      if (range != null) {
        ctx.header("Content-Range", "bytes " + range.start() + "-" + (range.start() + bodyLength - 1) + "/" + total);
      }
      ctx.status(range != null ? 206 : 200);
      if (bodyLength >= 0) ctx.res().setContentLengthLong(bodyLength);
      OutputStream out = ctx.res().getOutputStream();
      try (InputStream in = c.body()) {
        in.transferTo(out);
      } catch (IOException err) {
        // The drive was closed under the download (unmounted, or its grace after a save ran out):
        // said as such (503) while nothing was sent yet; else the connection is cut.
        if (err.getCause() instanceof DriveException cut && !ctx.res().isCommitted()) throw cut;
        throw err;
      }
      out.flush();
    }
  }

  private static long probeLength(Link link, Mounts.Target t) {
    try (Link.Content c = link.open(0, 1)) {
      if (c.totalLength() >= 0) return c.totalLength();
      if (c.status() == 200 && c.length() >= 0) return c.length();
    } catch (DriveException e) {
      if (e.kind() != ErrorKind.EXPIRED) throw e;
    }
    return -1; // still unknown: the whole file is streamed without Range
  }

  private static Range parse(Matcher m, long total) {
    try {
      long start;
      long length;
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        start = Math.max(0, total - suffix);
        length = total - start;
      } else {
        start = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) return null;
        long end = m.group(2).isEmpty() ? total - 1 : Math.min(Long.parseLong(m.group(2)), total - 1);
        length = end - start + 1;
      }
      if (start >= total || length <= 0) return null;
      return new Range(start, length);
    } catch (NumberFormatException nfe) {
      return null;
    }
  }
}
