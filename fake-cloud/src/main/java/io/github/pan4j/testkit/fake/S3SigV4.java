package io.github.pan4j.testkit.fake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fake storage server's own check of AWS Signature Version 4 in the {@code Authorization}
 * header form ({@code AWS4-HMAC-SHA256 Credential=<key>/<yyyyMMdd>/<region>/<service>/aws4_request,
 * SignedHeaders=<a;b;c>, Signature=<hex>}). Written apart from the driver's signer on purpose: a
 * mistake both made alike would pass unseen. Pinned by AWS's published S3 examples
 * ({@code S3SigV4Test}).
 *
 * <p>The canonical request is rebuilt from what arrived, never from what the client claims: the
 * path decoded and encoded again the S3 way (every byte but {@code A-Z a-z 0-9 - . _ ~} and
 * {@code /} as upper-case {@code %XX}, once), the query likewise, sorted by name then value, a
 * name without value as {@code name=}; each signed header lower-cased, its value trimmed and inner
 * runs of spaces folded to one; the payload hash as the client declared it in
 * {@code x-amz-content-sha256} (whether it matches the body is checked apart).
 */
final class S3SigV4 {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  private S3SigV4() {}

  /** The parts of an {@code Authorization} header, or null when it is not of the SigV4 form. */
  record Authorization(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
      String signature) {
    static Authorization parse(String header) {
      if (header == null || !header.startsWith(ALGORITHM + " ")) return null;
      Map<String, String> fields = new TreeMap<>();
      for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
        String p = part.trim();
        int eq = p.indexOf('=');
        if (eq <= 0) return null;
        if (fields.put(p.substring(0, eq), p.substring(eq + 1)) != null) return null; // a field twice
      }
      String cred = fields.get("Credential");
      String signed = fields.get("SignedHeaders");
      String sig = fields.get("Signature");
      if (cred == null || signed == null || sig == null || fields.size() != 3) return null;
      String[] c = cred.split("/", -1);
      if (c.length != 5 || !c[4].equals("aws4_request") || c[0].isEmpty()) return null;
      List<String> names = List.of(signed.split(";", -1));
      if (names.stream().anyMatch(String::isEmpty)) return null;
      return new Authorization(c[0], c[1], c[2], c[3], names, sig);
    }

    String scope() {
      return date + "/" + region + "/" + service + "/aws4_request";
    }
  }

  /** The S3 form of a path: each segment decoded, then encoded once. */
  static String canonicalUri(List<String> decodedSegments) {
    StringBuilder b = new StringBuilder();
    for (String s : decodedSegments) b.append('/').append(encode(s));
    return b.length() == 0 ? "/" : b.toString();
  }

  /** The canonical query of decoded name/value pairs (a null value counts as empty). */
  static String canonicalQuery(List<String[]> decodedPairs) {
    List<String[]> encoded = new ArrayList<>();
    for (String[] p : decodedPairs) encoded.add(new String[] {encode(p[0]), encode(p[1] == null ? "" : p[1])});
    encoded.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder b = new StringBuilder();
    for (String[] p : encoded) {
      if (b.length() > 0) b.append('&');
      b.append(p[0]).append('=').append(p[1]);
    }
    return b.toString();
  }

  /**
   * The canonical request. {@code headerValue} gives the value(s) of a header by lower-case name
   * (several joined with {@code ,}), null when absent.
   */
  static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
      List<String> signedHeaders, java.util.function.Function<String, String> headerValue, String payloadHash) {
    StringBuilder h = new StringBuilder();
    for (String name : signedHeaders) {
      String v = headerValue.apply(name);
      h.append(name).append(':').append(v == null ? "" : v.trim().replaceAll(" +", " ")).append('\n');
    }
    return method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + h + "\n" + String.join(";", signedHeaders)
        + "\n" + payloadHash;
  }

  /** The signature of {@code canonicalRequest} made at {@code amzDate} ({@code yyyyMMdd'T'HHmmss'Z'}). */
  static String signature(String secret, String amzDate, String scope, String canonicalRequest) {
    String[] s = scope.split("/");
    String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), s[0]);
    k = hmac(k, s[1]);
    k = hmac(k, s[2]);
    k = hmac(k, "aws4_request");
    return HexFormat.of().formatHex(hmac(k, toSign));
  }

  static String sha256Hex(byte[] b) {
    MessageDigest d = Digests.get("SHA-256");
    return HexFormat.of().formatHex(d.digest(b));
  }

  /** Compares two signatures in time that does not depend on where they differ. */
  static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
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

  private static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return b.toString();
  }
}
