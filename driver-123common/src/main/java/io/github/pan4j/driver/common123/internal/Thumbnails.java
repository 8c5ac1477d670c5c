package io.github.pan4j.driver.common123.internal;

import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Turns the thumbnail URL a 123 listing carries into the size a client shows (docs/protocol/123web.md
 * §5.2 "Thumbnails"): listings give a 24×24 image whose path ends in {@code _24_24} and whose query
 * has {@code w=24&h=24}; the web client asks for a larger one by rewriting both.
 *
 * <p>What we do, and where we differ from OpenList on purpose: any {@code _W_H} path suffix is
 * replaced (not only {@code _24_24}); {@code w} and {@code h} are replaced, never duplicated;
 * {@code type} is added only when missing and then holds the media kind ({@code video},
 * {@code image}, {@code audio}) from the item's category, as in the URLs 123 itself hands out
 * (OpenList puts the file name there, a bug); {@code trade_key=123pan-thumbnail} is added when
 * missing. Anything that is not an absolute http(s) URL is no thumbnail.
 */
public final class Thumbnails {
  /** The edge in pixels of the thumbnails pan4j asks for (the web client's grid size). */
  public static final int SIZE = 70;

  private Thumbnails() {}

  /**
   * The thumbnail URL at {@code size}×{@code size}, or null when {@code listed} is empty or not an
   * http(s) URL.
   *
   * @param listed the URL as listed ({@code DownloadUrl} of the web list, {@code thumbnail} of the open list)
   * @param category the item's category (1 audio, 2 video, 3 image; others: no type added)
   * @param size the edge in pixels, 1–1024
   */
  public static String sized(String listed, int category, int size) {
    if (size < 1 || size > 1024) throw new IllegalArgumentException("thumbnail size must be 1-1024 but was " + size);
    if (listed == null || listed.isBlank()) return null;
    HttpUrl u = HttpUrl.parse(listed.trim());
    if (u == null) return null;
    String scheme = u.scheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) return null;
    HttpUrl.Builder b = u.newBuilder();
    int last = u.pathSize() - 1;
    String seg = u.pathSegments().get(last);
    String resized = seg.replaceFirst("_\\d+_\\d+$", "_" + size + "_" + size);
    if (!resized.equals(seg)) b.setPathSegment(last, resized);
    b.setQueryParameter("w", Integer.toString(size));
    b.setQueryParameter("h", Integer.toString(size));
    if (u.queryParameter("type") == null) {
      String type = switch (category) {
        case 1 -> "audio";
        case 2 -> "video";
        case 3 -> "image";
        default -> null;
      };
      if (type != null) b.addQueryParameter("type", type);
    }
    if (u.queryParameter("trade_key") == null) b.addQueryParameter("trade_key", "123pan-thumbnail");
    return b.build().toString();
  }
}
