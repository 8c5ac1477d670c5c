package io.github.pan4j.testkit.fake;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import mockwebserver3.MockResponse;
import okio.Buffer;

/**
 * Thumbnails of pictures and videos, as both protocols list them and the CDN serves them
 * (docs/protocol/123web.md "Thumbnails", docs/protocol/123open.md §8.2).
 *
 * <p>Listings carry a URL of the shape the web client receives, 24×24:
 * {@code <cdn>/123-4/<etag[0:8]>/<uid>-0/<etag>/c-m2_24_24?v=5&t=<expiry>&s=<signature>&filename=<name>
 * &cache_type=1&w=24&h=24&trade_key=123pan-thumbnail&type=video}. Clients resize it by changing the
 * {@code _24_24} suffix and {@code w}/{@code h}; the CDN ({@code GET /123-4/…} on server {@code cdn})
 * answers a PNG of {@code w}×{@code h} (1–1024, else 400) whose colour comes from the etag, or 403
 * when {@code t} has passed or {@code s} does not match the path and {@code t}.
 *
 * <p>Decisions where the protocol is UNKNOWN, each a setting: which categories get a thumbnail
 * ({@link #audio}: video and image by default, audio off); whether the open platform's v2 list
 * carries {@code thumbnail} at all (its field table does not name it, the legacy v1 list does;
 * {@link #openV2}, default on); the {@code type} value of an image ({@code image}, only
 * {@code video} was observed); the URL lifetime ({@link #ttl}, 24 h like download tickets); the
 * CDN sizes the image by {@code w}/{@code h} and ignores the path suffix.
 */
public final class FakeThumbnails {
  static final String PREFIX = "/123-4/";

  private final FakeCloud cloud;
  private final byte[] key = new java.security.SecureRandom().generateSeed(16);
  private volatile boolean enabled = true;
  private volatile boolean audio;
  private volatile boolean openV2 = true;
  private volatile Duration ttl = Duration.ofHours(24);

  FakeThumbnails(FakeCloud cloud) {
    this.cloud = cloud;
    cloud.route("cdn", "GET", PREFIX + "*", this::serve);
  }

  /** Whether listings carry thumbnails at all (default true). */
  public FakeThumbnails enabled(boolean value) { enabled = value; return this; }
  /** Whether audio files (category 1) get one too (default false: UNKNOWN, covers are not shown in sources). */
  public FakeThumbnails audio(boolean value) { audio = value; return this; }
  /** Whether the open platform's v2 list carries {@code thumbnail} (default true; UNKNOWN). */
  public FakeThumbnails openV2(boolean value) { openV2 = value; return this; }
  /** Lifetime of thumbnail URLs (default 24 h; UNKNOWN). */
  public FakeThumbnails ttl(Duration value) { ttl = Objects.requireNonNull(value); return this; }

  boolean openV2() { return enabled && openV2; }

  /** The listed thumbnail URL of {@code n} (category 1 audio, 2 video, 3 image), or "" when it has none. */
  String url(Node n, int category) {
    if (!enabled || n.folder() || n.blob() == null) return "";
    String type = switch (category) {
      case 2 -> "video";
      case 3 -> "image";
      case 1 -> audio ? "audio" : null;
      default -> null;
    };
    if (type == null) return "";
    String md5 = n.md5();
    String path = PREFIX + md5.substring(0, 8) + "/" + n.uid() + "-0/" + md5 + "/c-m2_24_24";
    long t = cloud.now().plus(ttl).getEpochSecond();
    return cloud.url("cdn", path).newBuilder()
        .addQueryParameter("v", "5")
        .addQueryParameter("t", Long.toString(t))
        .addQueryParameter("s", sign(base(path), t))
        .addQueryParameter("filename", n.name())
        .addQueryParameter("cache_type", "1")
        .addQueryParameter("w", "24")
        .addQueryParameter("h", "24")
        .addQueryParameter("trade_key", "123pan-thumbnail")
        .addQueryParameter("type", type)
        .build().toString();
  }

  /** The path without the {@code _W_H} size suffix: the signature does not cover the size. */
  private static String base(String path) {
    return path.replaceFirst("_\\d+_\\d+$", "");
  }

  private String sign(String base, long t) {
    try {
      MessageDigest d = MessageDigest.getInstance("MD5");
      d.update(key);
      d.update((base + "|" + t).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private MockResponse serve(FakeRequest req) {
    String path = req.path();
    String[] parts = path.substring(PREFIX.length()).split("/");
    Long t = WebJson.parseLong(req.query("t"));
    if (parts.length != 4 || t == null || !sign(base(path), t).equals(req.query("s"))
        || Instant.ofEpochSecond(t).isBefore(cloud.now())) {
      return new MockResponse.Builder().code(403).setHeader("Content-Type", "text/html")
          .body("<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>").build();
    }
    Long w = WebJson.parseLong(req.query("w"));
    Long h = WebJson.parseLong(req.query("h"));
    if (w == null || h == null || w < 1 || h < 1 || w > 1024 || h > 1024) {
      return new MockResponse.Builder().code(400).setHeader("Content-Type", "text/plain").body("bad size").build();
    }
    byte[] png = png(w.intValue(), h.intValue(), parts[2].toLowerCase(Locale.ROOT));
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png")
        .setHeader("Cache-Control", "max-age=86400").body(new Buffer().write(png)).build();
  }

  /** A solid-colour RGB PNG of {@code w}×{@code h}, the colour taken from the etag's first bytes. */
  static byte[] png(int w, int h, String etag) {
    int rgb = etag.length() >= 6 ? Integer.parseInt(etag.substring(0, 6), 16) : 0x808080;
    byte[] raw = new byte[h * (1 + 3 * w)];
    for (int y = 0, i = 0; y < h; y++) {
      raw[i++] = 0; // filter: none
      for (int x = 0; x < w; x++) {
        raw[i++] = (byte) (rgb >> 16);
        raw[i++] = (byte) (rgb >> 8);
        raw[i++] = (byte) rgb;
      }
    }
    Deflater deflater = new Deflater();
    deflater.setInput(raw);
    deflater.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!deflater.finished()) z.write(buf, 0, deflater.deflate(buf));
    deflater.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
        .put((byte) 0).put((byte) 0).array());
    chunk(out, "IDAT", z.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
