package io.github.pan4j.driver.pan123.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs S3 requests with AWS Signature Version 4 in the {@code Authorization} header, for the web
 * API's legacy STS upload mode (docs/protocol/123web.md §5.9.3): temporary credentials with a
 * session token, sent as {@code X-Amz-Security-Token}. The request's path and query are built here
 * too ({@link #path}, {@link #query}) so that what is sent is exactly what was signed.
 *
 * <p>Signed headers: {@code host}, {@code x-amz-content-sha256}, {@code x-amz-date},
 * {@code x-amz-security-token}; other headers the HTTP client adds (user agent, referer) are not
 * signed, which S3 allows for headers outside {@code x-amz-*}. The secret and the token never
 * appear in {@link #toString()}.
 */
public final class S3RequestSigner {
  /** The payload hash for a body that is not hashed (S3 accepts it; the content is checked by MD5 afterwards). */
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Pattern SPACES = Pattern.compile(" {2,}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String accessKeyId;
  private final String secret;
  private final String sessionToken;
  private final String region;
  private final String service;

  public S3RequestSigner(String accessKeyId, String secret, String sessionToken, String region, String service) {
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.sessionToken = sessionToken;
    this.region = Objects.requireNonNull(region, "region");
    this.service = Objects.requireNonNull(service, "service");
  }

  /** {@code /<bucket>/<key>} with every byte but {@code A-Z a-z 0-9 - . _ ~} (and the key's {@code /}) percent-encoded once. */
  public static String path(String bucket, String key) {
    StringBuilder b = new StringBuilder("/").append(encode(bucket, false));
    if (!key.isEmpty()) b.append('/').append(encode(key, true));
    return b.toString();
  }

  /**
   * A query in canonical form: each name and value encoded, then sorted by encoded name and encoded
   * value (SigV4 sorts what is sent, not the raw names: {@code a[} goes before {@code aZ}, as
   * {@code a%5B}), a valueless name as {@code name=}.
   */
  public static String query(Map<String, String> params) {
    List<String[]> pairs = new ArrayList<>();
    params.forEach((k, v) -> pairs.add(new String[] {encode(k, false), encode(v == null ? "" : v, false)}));
    pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    StringBuilder b = new StringBuilder();
    for (String[] p : pairs) {
      if (b.length() > 0) b.append('&');
      b.append(p[0]).append('=').append(p[1]);
    }
    return b.toString();
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  /**
   * The headers that sign one request: {@code x-amz-date}, {@code x-amz-content-sha256},
   * {@code x-amz-security-token} (when there is a token) and {@code Authorization}.
   *
   * @param host the {@code Host} header the HTTP client will send ({@code host[:port]})
   * @param path the path as sent ({@link #path})
   * @param query the query as sent ({@link #query}; empty for none)
   * @param payloadHash hex SHA-256 of the body, or {@link #UNSIGNED_PAYLOAD}
   */
  public Map<String, String> sign(String method, String host, String path, String query, String payloadHash, Instant now) {
    String stamp = STAMP.format(now);
    String date = stamp.substring(0, 8);
    Map<String, String> signed = new TreeMap<>();
    signed.put("host", host);
    signed.put("x-amz-content-sha256", payloadHash);
    signed.put("x-amz-date", stamp);
    if (sessionToken != null) signed.put("x-amz-security-token", sessionToken);
    String names = String.join(";", signed.keySet());
    String canonical = canonicalRequest(method, path, query, signed, payloadHash);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign = ALGORITHM + "\n" + stamp + "\n" + scope + "\n" + sha256(canonical.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HexFormat.of().formatHex(hmac(key, toSign));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amz-date", stamp);
    headers.put("x-amz-content-sha256", payloadHash);
    if (sessionToken != null) headers.put("x-amz-security-token", sessionToken);
    headers.put("Authorization", ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + names
        + ", Signature=" + signature);
    return headers;
  }

  /**
   * The canonical request of SigV4: method, path, query, each signed header as
   * {@code name:value} in name order with the value trimmed and every inner run of spaces folded to
   * one (what is sent keeps its spaces; the signature covers the folded form), the signed header
   * names, the payload hash.
   */
  static String canonicalRequest(String method, String path, String query, Map<String, String> signedHeaders,
      String payloadHash) {
    StringBuilder b = new StringBuilder().append(method).append('\n').append(path).append('\n').append(query).append('\n');
    new TreeMap<>(signedHeaders).forEach((k, v) -> b.append(k).append(':').append(foldSpaces(v)).append('\n'));
    return b.append('\n').append(String.join(";", new TreeMap<>(signedHeaders).keySet())).append('\n').append(payloadHash)
        .toString();
  }

  private static String foldSpaces(String value) {
    return SPACES.matcher(value.trim()).replaceAll(" ");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
    }
  }

  private static String encode(String s, boolean keepSlash) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      boolean plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~' || (keepSlash && c == '/');
      if (plain) b.append(c);
      else b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "S3RequestSigner{" + region + "/" + service + "}"; // no key id, secret or token
  }
}
