package io.github.pan4j.driver.common123.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.internal.http.HttpLinks;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.spi.http.ApiCall;
import io.github.pan4j.core.spi.http.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Turns the {@code DownloadUrl} of {@code file/download_info} (or the {@code DownloadURL} of
 * {@code share/download/info}) into a usable {@link Link} (docs/protocol/123web.md §5.4 steps 1–4, §7.3):
 *
 * <ol>
 *   <li>take the inner URL from the base64 {@code params} query value (decoded tolerantly), or use
 *       the URL as it is when it has none;
 *   <li>GET it without following redirects, with the web {@code Referer};
 *   <li>a redirect's {@code Location}, or for any status below 300 (200, 210 …) the JSON
 *       {@code data.redirect_url}, is the final URL;
 *   <li>the link carries {@code Referer: <scheme>://<host>/} of the outer URL.
 * </ol>
 *
 * <p>The final URLs are Referer-checked and bound to the region and address that asked for them,
 * so links prefer proxying.
 */
public final class DownloadChain {
  static final String NOTE = "123云盘 download URLs need the Referer header and are bound to the region and address"
      + " of the machine that requested them; stream them through that machine (proxy) rather than redirecting"
      + " other clients, which works only for clients on the same network that can send the Referer";

  private final WebApi api;
  private final Link.Opener opener;

  public DownloadChain(WebApi api) {
    this.api = Objects.requireNonNull(api, "api");
    this.opener = api.engine().linkOpener();
  }

  /**
   * Follows the chain from {@code downloadUrl}.
   *
   * @param size the file size for the link, or -1
   */
  public Link resolve(String downloadUrl, long size, String operation, String target) {
    return resolve(downloadUrl, size, null, operation, target);
  }

  /**
   * Follows the chain from {@code downloadUrl}.
   *
   * @param size the file size for the link, or -1
   * @param md5 the file's MD5 (the item's {@code Etag}), or null: {@link Link#open()} checks the bytes against it
   */
  public Link resolve(String downloadUrl, long size, String md5, String operation, String target) {
    if (downloadUrl == null || downloadUrl.isBlank()) {
      throw DriveException.builder(ErrorKind.PROTOCOL, "the server returned no download URL")
          .driver(api.driverId()).operation(operation).target(target).build();
    }
    HttpUrl outer = HttpUrl.parse(downloadUrl.trim());
    if (outer == null) {
      throw DriveException.builder(ErrorKind.PROTOCOL, "the server returned a download URL that is not an http(s) URL")
          .driver(api.driverId()).operation(operation).target(target).build();
    }
    HttpUrl inner = outer;
    String params = outer.queryParameter("params");
    if (params != null && !params.isEmpty()) {
      String decoded = decodeParams(params);
      inner = decoded == null ? null : HttpUrl.parse(decoded.trim());
      if (inner == null) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "the download URL's params value is not a base64 URL")
            .driver(api.driverId()).operation(operation).target(target).build();
      }
    }
    String finalUrl = follow(inner, operation, target);
    HttpUrl fin = HttpUrl.parse(finalUrl);
    Link.Builder b = Link.builder(finalUrl)
        .header("Referer", outer.scheme() + "://" + outer.host() + (outer.port() == HttpUrl.defaultPort(outer.scheme()) ? "" : ":" + outer.port()) + "/")
        .preferProxy(true)
        .contentLength(size)
        .md5(md5)
        .note(NOTE)
        .opener(HttpLinks.labelled(opener, api.driverId(), target));
    Instant expiry = expiry(fin);
    if (expiry == null) expiry = expiry(inner);
    if (expiry != null) b.expiresAt(expiry);
    return b.build();
  }

  private String follow(HttpUrl inner, String operation, String target) {
    // An idempotent GET without redirects: the engine repeats it after a dropped connection.
    ApiResponse r = api.engine().exchange(ApiCall.get(operation, null).url(inner.toString()).target(target)
        .header("Referer", api.profile().referer()).header("user-agent", api.profile().userAgent())
        .authenticated(false).followRedirects(false).build());
    int status = r.status();
    if (status >= 300 && status < 400) {
      String location = r.header("Location");
      HttpUrl resolved = location == null ? null : inner.resolve(location);
      if (resolved == null) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "the download redirect (HTTP " + status + ") has no usable Location")
            .driver(api.driverId()).operation(operation).target(target).build();
      }
      return resolved.toString();
    }
    if (status < 300) {
      WebApi.Reply reply = api.decode(r, "the download redirect");
      if (reply.code() != 0) throw api.error(reply, operation, target);
      JsonNode u = reply.data().get("redirect_url");
      if (u == null || !u.isTextual() || HttpUrl.parse(u.asText()) == null) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "the download redirect answered HTTP " + status + " without data.redirect_url")
            .driver(api.driverId()).operation(operation).target(target).traceId(reply.traceId()).build();
      }
      return u.asText();
    }
    ErrorKind kind = status == 403 ? ErrorKind.EXPIRED : status == 404 ? ErrorKind.NOT_FOUND : ErrorKind.PROVIDER_ERROR;
    String hint = status == 403
        ? "the CDN refused the download ticket (expired, wrong Referer, or bound to another region); request a new link"
        : "the CDN refused the download ticket with HTTP " + status;
    String body = r.snippet(200);
    throw DriveException.builder(kind, hint).driver(api.driverId()).operation(operation).target(target)
        .providerCode(status).providerMessage(body.isEmpty() ? null : body).retryable(status >= 500).build();
  }

  /**
   * Decodes the {@code params} value tolerantly: standard or URL-safe alphabet, with or without
   * padding, and with {@code +} restored where a form decoder turned it into a space. Returns null
   * when it is not base64 of UTF-8 text.
   */
  public static String decodeParams(String raw) {
    if (raw == null) return null;
    String s = raw.trim().replace(' ', '+').replace('-', '+').replace('_', '/');
    s = s.replaceAll("[\\r\\n\\t]", "");
    int rem = s.length() % 4;
    if (rem == 1) return null;
    if (rem != 0) s = s + "=".repeat(4 - rem);
    try {
      return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Instant expiry(HttpUrl u) {
    if (u == null) return null;
    String t = u.queryParameter("t");
    if (t == null) return null;
    try {
      long v = Long.parseLong(t.trim());
      // Plausible Unix seconds only (2001 … 2286); anything else is not an expiry.
      return v > 1_000_000_000L && v < 10_000_000_000L ? Instant.ofEpochSecond(v) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
