package io.github.pan4j.testkit.fake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.parsers.DocumentBuilderFactory;
import mockwebserver3.MockResponse;
import okhttp3.HttpUrl;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The storage server of the web API's legacy STS upload mode (docs/protocol/123web.md §5.9.1):
 * upload_request hands out temporary credentials ({@code AccessKeyId}, {@code SecretAccessKey},
 * {@code SessionToken}, {@code Expiration}), an {@code EndPoint}, a {@code Bucket} and a
 * {@code Key}, and the client speaks S3 to it, path-style ({@code <EndPoint>/<Bucket>/<Key>}),
 * region {@code 123pan}, as OpenList does with the AWS SDK's uploader. Served on server
 * {@code cdn} under {@code /}{@value #BUCKET}{@code /}.
 *
 * <p>The S3 subset an uploader needs, with S3's XML replies and error bodies: PutObject (a single
 * PUT), CreateMultipartUpload ({@code POST ?uploads}), UploadPart ({@code PUT ?partNumber=&uploadId=}),
 * CompleteMultipartUpload ({@code POST ?uploadId=} with the part list), AbortMultipartUpload
 * ({@code DELETE ?uploadId=}) and ListMultipartUploads ({@code GET /<bucket>?uploads&prefix=<Key>},
 * for the credentials' own Key only, as a policy limited to that Key would allow). Anything else:
 * {@code 501 NotImplemented}.
 *
 * <p>Every request must carry a SigV4 {@code Authorization} header ({@link S3SigV4}, the fake's
 * own check) by the credentials of that upload, for its Key only, with the session token in
 * {@code X-Amz-Security-Token}. What 123's storage answers is not documented anywhere we know of;
 * these are standard S3 answers, our choice:
 * <ul>
 *   <li>no Authorization ⇒ 403 AccessDenied; not the SigV4 form, another region than
 *       {@code 123pan}, another service than {@code s3}, a scope date other than x-amz-date's ⇒
 *       400 AuthorizationHeaderMalformed; unknown key id ⇒ 403 InvalidAccessKeyId; missing or
 *       other token ⇒ 403 InvalidToken; credentials past {@code Expiration} ⇒ 400 ExpiredToken;
 *       no x-amz-date ⇒ 403 AccessDenied; more than 15 minutes off the server clock ⇒ 403
 *       RequestTimeTooSkewed; an {@code x-amz-*} header or host not signed ⇒ 403 AccessDenied;
 *       a wrong signature ⇒ 403 SignatureDoesNotMatch; another Key or bucket ⇒ 403 AccessDenied;
 *       a raw {@code +} in the path is a space, as S3 reads it (a Key's {@code +} must be sent as
 *       {@code %2B});
 *       a header sent twice is one value, its lines joined with {@code ,} (a repeated token, date
 *       or payload hash is refused as a wrong one);
 *   <li>{@code x-amz-content-sha256}: required; the hex SHA-256 of the body (checked: 400
 *       XAmzContentSHA256Mismatch) or {@code UNSIGNED-PAYLOAD}. The chunked
 *       {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} form is refused with 501 NotImplemented: the Go
 *       SDK v1 OpenList uses puts the hex SHA-256 (and a Content-MD5) on part uploads, so no known
 *       client of 123 sends it. A Content-MD5, or an {@code x-amz-checksum-crc32}, {@code -crc32c},
 *       {@code -crc64nvme} ({@link Crc64Nvme}), {@code -sha1} or {@code -sha256} (botocore sends a
 *       CRC32 one, newer AWS SDKs a CRC64/NVME one) that does not match ⇒ 400 BadDigest;
 *   <li>part numbers 1…10000 (else 400 InvalidArgument); every part but the last at least
 *       {@link WebFrontDoor#stsMinPartSize} (5 MiB as S3) ⇒ else 400 EntityTooSmall at Complete;
 *       Complete's parts ascending (400 InvalidPartOrder), each uploaded with that ETag (400
 *       InvalidPart); an unknown upload id ⇒ 404 NoSuchUpload; a Complete repeated with the same
 *       list answers as the first did;
 *   <li>credentials live {@link WebFrontDoor#stsCredentialTtl} (1 h), {@code Expiration} in
 *       RFC 3339 UTC ({@code 2026-12-01T19:00:00Z}), as AWS STS writes it.
 * </ul>
 */
final class WebStsStorage {
  /** The bucket STS uploads go to. */
  static final String BUCKET = "123pan-sts-m2";
  static final String REGION = "123pan";
  static final int MAX_PART = 10_000;
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final String UNSIGNED = "UNSIGNED-PAYLOAD";

  /** Temporary credentials for one upload's Key. */
  record Grant(String accessKeyId, String secret, String token, Instant expiresAt, String key) {
    String expiration() {
      return DateTimeFormatter.ISO_INSTANT.format(expiresAt.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public String toString() {
      return "Grant{" + accessKeyId + ", key=" + key + ", expires " + expiration() + "}"; // no secret, no token
    }
  }

  /** A stored object: its content and how many parts made it (1 for PutObject). */
  record StoredObject(Blob blob, String etag, int parts) {}

  private record PartFile(Path file, long size, String md5) {}

  private static final class Multipart {
    final String id;
    final String key;
    final Path dir;
    final Instant initiated;
    final Map<Integer, PartFile> parts = new TreeMap<>();
    /** The Complete reply once done, for a Complete sent again. */
    String completedEtag;
    List<Integer> completedNumbers;
    List<String> completedEtags;

    Multipart(String id, String key, Path dir, Instant initiated) {
      this.id = id;
      this.key = key;
      this.dir = dir;
      this.initiated = initiated;
    }
  }

  private final WebFrontDoor web;
  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private final Map<String, Multipart> multiparts = new ConcurrentHashMap<>();
  private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();

  WebStsStorage(WebFrontDoor web) {
    this.web = web;
  }

  void install(FakeCloud cloud) {
    cloud.route("cdn", null, "/" + BUCKET + "/*", this::handle);
    cloud.route("cdn", null, "/" + BUCKET, this::handle);
  }

  /** New credentials for {@code key}, valid {@link WebFrontDoor#stsCredentialTtl} from now. */
  Grant grant(String key) {
    Grant g = new Grant("STS." + WebFrontDoor.hex(10).toUpperCase(Locale.ROOT), base64(30), base64(120),
        web.now().plus(web.stsCredentialTtl), key);
    grants.put(g.accessKeyId(), g);
    return g;
  }

  /** Every credential issued so far expires now. */
  void expireAll() {
    Instant now = web.now();
    grants.replaceAll((k, g) -> new Grant(g.accessKeyId(), g.secret(), g.token(), now, g.key()));
  }

  /** The object completed at {@code key}, or null. */
  StoredObject object(String key) {
    return objects.get(key);
  }

  /** Forgets the object at {@code key} (its upload made a file of it). */
  void forget(String key) {
    objects.remove(key);
  }

  int openMultipartUploads() {
    return (int) multiparts.values().stream().filter(m -> m.completedEtag == null).count();
  }

  // ------------------------------------------------------------------ requests

  private MockResponse handle(FakeRequest req) throws IOException {
    HttpUrl url = req.url();
    String resource = url.encodedPath();
    List<String> segments = s3Segments(url);
    if (segments == null) return S3Errors.reply(400, "InvalidURI", "Couldn't parse the specified URI.", resource);
    Object auth = authenticate(req, resource);
    if (auth instanceof MockResponse refused) return refused;
    Grant g = (Grant) auth;
    String key = segments.size() > 1 ? String.join("/", segments.subList(1, segments.size())) : "";
    if (segments.size() == 1 && req.method().equals("GET") && url.queryParameterNames().contains("uploads")) {
      // ListMultipartUploads: the credentials of an upload may list their own Key only.
      if (!segments.get(0).equals(BUCKET) || !g.key().equals(url.queryParameter("prefix"))) {
        return S3Errors.reply(403, "AccessDenied", "Access Denied", resource);
      }
      Object payload = checkPayload(req, resource);
      if (payload instanceof MockResponse refused) return refused;
      return listUploads(url, resource);
    }
    if (!segments.get(0).equals(BUCKET) || !key.equals(g.key())) {
      return S3Errors.reply(403, "AccessDenied", "Access Denied", resource);
    }
    Object payload = checkPayload(req, resource);
    if (payload instanceof MockResponse refused) return refused;
    String partNumber = url.queryParameter("partNumber");
    String uploadId = url.queryParameter("uploadId");
    boolean uploads = url.queryParameterNames().contains("uploads");
    return switch (req.method()) {
      case "PUT" -> uploadId != null || partNumber != null ? uploadPart(req, key, partNumber, uploadId, resource)
          : putObject(req, key, resource);
      case "POST" -> uploads ? create(key, resource) : uploadId != null ? complete(req, key, uploadId, resource)
          : notImplemented(resource);
      case "DELETE" -> uploadId != null ? abort(key, uploadId, resource) : notImplemented(resource);
      default -> notImplemented(resource);
    };
  }

  /** The grant a request is signed with, or the refusal. */
  private Object authenticate(FakeRequest req, String resource) {
    String header = sent(req, "authorization");
    if (header == null) {
      return S3Errors.reply(403, "AccessDenied", "Access Denied", resource);
    }
    S3SigV4.Authorization a = S3SigV4.Authorization.parse(header);
    if (a == null) {
      return S3Errors.reply(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; it must be of the form "
          + "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...", resource);
    }
    Grant g = grants.get(a.accessKeyId());
    if (g == null) {
      return S3Errors.reply(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", resource);
    }
    if (!a.region().equals(REGION)) {
      return S3Errors.reply(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the region '" + a.region()
          + "' is wrong; expecting '" + REGION + "'", resource);
    }
    if (!a.service().equals("s3")) {
      return S3Errors.reply(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; incorrect service '"
          + a.service() + "'. This endpoint belongs to 's3'.", resource);
    }
    String amzDate = sent(req, "x-amz-date");
    Instant signedAt;
    try {
      signedAt = amzDate == null ? null : Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      signedAt = null;
    }
    if (signedAt == null) {
      return S3Errors.reply(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header", resource);
    }
    // The whole day, as S3 compares it: a prefix of it ("2026120", or nothing) is another scope.
    if (!a.date().equals(amzDate.substring(0, 8))) {
      return S3Errors.reply(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; Invalid credential date. "
          + "Date is not the same as X-Amz-Date.", resource);
    }
    Instant now = web.now();
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      return S3Errors.reply(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.",
          resource);
    }
    String token = sent(req, "x-amz-security-token");
    if (token == null || !S3SigV4.same(token, g.token())) {
      return S3Errors.reply(403, "InvalidToken", "The provided token is malformed or otherwise invalid.", resource);
    }
    if (!now.isBefore(g.expiresAt())) {
      return S3Errors.reply(400, "ExpiredToken", "The provided token has expired.", resource);
    }
    List<String> signed = a.signedHeaders();
    List<String> sorted = signed.stream().map(s -> s.toLowerCase(Locale.ROOT)).sorted().distinct().toList();
    if (!sorted.equals(signed)) {
      return S3Errors.reply(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; SignedHeaders must be"
          + " lower-case, sorted and without repeats", resource);
    }
    List<String> unsigned = new ArrayList<>();
    if (!signed.contains("host")) unsigned.add("host");
    for (String name : req.recorded().getHeaders().names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.startsWith("x-amz-") && !signed.contains(n)) unsigned.add(n);
    }
    if (!unsigned.isEmpty()) {
      return S3Errors.reply(403, "AccessDenied", "There were headers present in the request which were not signed: "
          + String.join(", ", unsigned), resource);
    }
    String payloadHash = sent(req, "x-amz-content-sha256");
    if (payloadHash == null) {
      return S3Errors.reply(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256", resource);
    }
    if (payloadHash.startsWith("STREAMING-")) {
      return S3Errors.reply(501, "NotImplemented", "A header you provided implies functionality that is not implemented: "
          + "x-amz-content-sha256 " + payloadHash + " (chunked signing) is not supported here", resource);
    }
    if (!payloadHash.equals(UNSIGNED) && !payloadHash.matches("[0-9a-f]{64}")) {
      return S3Errors.reply(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.", resource);
    }
    HttpUrl url = req.url();
    List<String[]> query = new ArrayList<>();
    for (String n : url.queryParameterNames()) {
      for (String v : url.queryParameterValues(n)) query.add(new String[] {n, v});
    }
    List<String> segments = s3Segments(url);
    if (segments == null) return S3Errors.reply(400, "InvalidURI", "Couldn't parse the specified URI.", resource);
    String creq = S3SigV4.canonicalRequest(req.method(), S3SigV4.canonicalUri(segments),
        S3SigV4.canonicalQuery(query), signed, n -> headerValues(req, n), payloadHash);
    String expected = S3SigV4.signature(g.secret(), amzDate, a.scope(), creq);
    if (!S3SigV4.same(expected, a.signature())) {
      return S3Errors.reply(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you"
          + " provided. Check your key and signing method.", resource);
    }
    return g;
  }

  /**
   * The path's segments decoded as S3 decodes them: {@code %XX} escapes, and a raw {@code +} as a
   * space (an S3 quirk of long standing, which is why clients send a {@code +} of a Key as
   * {@code %2B}); null when an escape is malformed.
   */
  static List<String> s3Segments(HttpUrl url) {
    List<String> out = new ArrayList<>();
    for (String s : url.encodedPathSegments()) {
      try {
        out.add(java.net.URLDecoder.decode(s, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  /**
   * A header's value as S3 reads it: a header sent more than once is one value, its values joined
   * with {@code ,} (as the canonical request has it), so a repeated token, date or payload hash is
   * refused as a malformed one, not taken from one of its lines.
   */
  private static String sent(FakeRequest req, String lowerName) {
    List<String> values = req.recorded().getHeaders().values(lowerName);
    return values.isEmpty() ? null : String.join(",", values);
  }

  private static String headerValues(FakeRequest req, String lowerName) {
    if (lowerName.equals("content-length")) return req.header("Content-Length");
    List<String> values = req.recorded().getHeaders().values(lowerName);
    if (values.isEmpty()) return null;
    List<String> trimmed = values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList();
    return String.join(",", trimmed);
  }

  /** Checks the body against x-amz-content-sha256 and Content-MD5; the body's MD5 hex when good. */
  private Object checkPayload(FakeRequest req, String resource) {
    UploadFile.Bytes body = UploadFile.body(req);
    String declared = req.header("x-amz-content-sha256");
    if (!declared.equals(UNSIGNED)) {
      MessageDigest sha = Digests.get("SHA-256");
      body.feed(sha);
      if (!HexFormat.of().formatHex(sha.digest()).equals(declared)) {
        return S3Errors.reply(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what"
            + " was computed.", resource);
      }
    }
    String md5 = body.md5();
    for (String alg : List.of("crc32", "crc32c", "crc64nvme", "sha1", "sha256")) {
      String sent = req.header("x-amz-checksum-" + alg);
      if (sent != null && !sent.trim().equals(checksum(alg, body))) {
        return S3Errors.reply(400, "BadDigest", "The " + alg.toUpperCase(Locale.ROOT) + " you specified did not match the calculated"
            + " checksum.", resource);
      }
    }
    String contentMd5 = req.header("Content-MD5");
    if (contentMd5 != null) {
      byte[] sent;
      try {
        sent = Base64.getDecoder().decode(contentMd5.trim());
      } catch (IllegalArgumentException e) {
        sent = null;
      }
      if (sent == null || sent.length != 16) {
        return S3Errors.reply(400, "InvalidDigest", "The Content-MD5 you specified was invalid.", resource);
      }
      if (!HexFormat.of().formatHex(sent).equals(md5)) {
        return S3Errors.reply(400, "BadDigest", "The Content-MD5 you specified did not match what we received.", resource);
      }
    }
    return md5;
  }

  private MockResponse putObject(FakeRequest req, String key, String resource) throws IOException {
    if (!req.hasContentLength()) {
      return S3Errors.reply(411, "MissingContentLength", "You must provide the Content-Length HTTP header.", resource);
    }
    Path dir = Files.createTempDirectory("pan4j-fake-sts-");
    Path file = dir.resolve("object");
    try {
      String md5 = write(req, file);
      Blob blob;
      try (InputStream in = Files.newInputStream(file)) {
        blob = web.store().putBlob(in);
      }
      objects.put(key, new StoredObject(blob, md5, 1));
      return new MockResponse.Builder().code(200).setHeader("ETag", "\"" + md5 + "\"").body("").build();
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private MockResponse create(String key, String resource) throws IOException {
    String tail = web.stsUploadIdTail;
    String id = WebFrontDoor.hex(24) + (tail == null ? "" : tail);
    Path dir = Files.createTempDirectory("pan4j-fake-sts-");
    dir.toFile().deleteOnExit();
    multiparts.put(id, new Multipart(id, key, dir, web.now()));
    return xml(200, "<InitiateMultipartUploadResult xmlns=\"" + NS + "\"><Bucket>" + BUCKET + "</Bucket><Key>" + S3Errors.escape(key)
        + "</Key><UploadId>" + S3Errors.escape(id) + "</UploadId></InitiateMultipartUploadResult>");
  }

  /**
   * ListMultipartUploads ({@code GET /<bucket>?uploads&prefix=<key>}): the open uploads whose Key
   * starts with the prefix, by Key then by time of creation, at most {@code max-uploads} (1000) a
   * page, continued after {@code key-marker} / {@code upload-id-marker}. {@code delimiter} and
   * {@code encoding-type} are not served (501).
   */
  private MockResponse listUploads(HttpUrl url, String resource) {
    if (url.queryParameter("delimiter") != null || url.queryParameter("encoding-type") != null) {
      return S3Errors.reply(501, "NotImplemented", "A header you provided implies functionality that is not implemented",
          resource);
    }
    String prefix = url.queryParameter("prefix");
    int max;
    try {
      max = url.queryParameter("max-uploads") == null ? 1000 : Integer.parseInt(url.queryParameter("max-uploads"));
    } catch (NumberFormatException e) {
      max = -1;
    }
    if (max < 0) {
      return S3Errors.reply(400, "InvalidArgument", "Provided max-uploads not an integer or within integer range", resource);
    }
    max = Math.min(max, 1000);
    String keyMarker = url.queryParameter("key-marker") == null ? "" : url.queryParameter("key-marker");
    String idMarker = url.queryParameter("upload-id-marker") == null ? "" : url.queryParameter("upload-id-marker");
    java.util.Comparator<Multipart> order = java.util.Comparator.<Multipart, String>comparing(m -> m.key)
        .thenComparing(m -> m.initiated).thenComparing(m -> m.id);
    List<Multipart> open = multiparts.values().stream().filter(m -> m.completedEtag == null && m.key.startsWith(prefix))
        .sorted(order).toList();
    Multipart after = idMarker.isEmpty() ? null : multiparts.get(idMarker);
    List<Multipart> page = open.stream().filter(m -> {
      int c = m.key.compareTo(keyMarker);
      if (c != 0) return c > 0;
      return after != null && after.key.equals(keyMarker) && order.compare(m, after) > 0;
    }).limit(max + 1L).toList();
    boolean truncated = page.size() > max;
    if (truncated) page = page.subList(0, max);
    StringBuilder x = new StringBuilder("<ListMultipartUploadsResult xmlns=\"" + NS + "\"><Bucket>" + BUCKET + "</Bucket><KeyMarker>"
        + S3Errors.escape(keyMarker) + "</KeyMarker><UploadIdMarker>" + S3Errors.escape(idMarker) + "</UploadIdMarker>");
    Multipart last = page.isEmpty() ? null : page.get(page.size() - 1);
    x.append("<NextKeyMarker>").append(last == null ? "" : S3Errors.escape(last.key)).append("</NextKeyMarker><NextUploadIdMarker>")
        .append(last == null ? "" : S3Errors.escape(last.id)).append("</NextUploadIdMarker><Prefix>").append(S3Errors.escape(prefix))
        .append("</Prefix><MaxUploads>").append(max).append("</MaxUploads><IsTruncated>").append(truncated)
        .append("</IsTruncated>");
    for (Multipart m : page) {
      x.append("<Upload><Key>").append(S3Errors.escape(m.key)).append("</Key><UploadId>").append(S3Errors.escape(m.id))
          .append("</UploadId><StorageClass>STANDARD</StorageClass><Initiated>")
          .append(DateTimeFormatter.ISO_INSTANT.format(m.initiated.truncatedTo(ChronoUnit.MILLIS)))
          .append("</Initiated></Upload>");
    }
    return xml(200, x.append("</ListMultipartUploadsResult>").toString());
  }

  private MockResponse uploadPart(FakeRequest req, String key, String partNumber, String uploadId, String resource)
      throws IOException {
    int n;
    try {
      n = partNumber == null ? -1 : Integer.parseInt(partNumber);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > MAX_PART) {
      return S3Errors.reply(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", resource);
    }
    Multipart m = uploadId == null ? null : multiparts.get(uploadId);
    if (m == null || !m.key.equals(key) || m.completedEtag != null) {
      return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload"
          + " may have been aborted or completed.", resource);
    }
    if (!req.hasContentLength()) {
      return S3Errors.reply(411, "MissingContentLength", "You must provide the Content-Length HTTP header.", resource);
    }
    Path file = m.dir.resolve("part-" + n + "-" + WebFrontDoor.hex(4));
    String md5;
    try {
      md5 = write(req, file);
    } catch (java.nio.file.NoSuchFileException gone) { // aborted or completed meanwhile: its folder is gone
      return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist.", resource);
    }
    file.toFile().deleteOnExit();
    PartFile old;
    synchronized (m) {
      if (m.completedEtag != null || !multiparts.containsKey(uploadId)) {
        Files.deleteIfExists(file);
        return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist.", resource);
      }
      old = m.parts.put(n, new PartFile(file, req.bodySize(), md5));
    }
    if (old != null) Files.deleteIfExists(old.file());
    return new MockResponse.Builder().code(200).setHeader("ETag", "\"" + md5 + "\"").body("").build();
  }

  private MockResponse complete(FakeRequest req, String key, String uploadId, String resource) throws IOException {
    Multipart m = multiparts.get(uploadId);
    if (m == null || !m.key.equals(key)) {
      return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload"
          + " may have been aborted or completed.", resource);
    }
    List<Integer> numbers = new ArrayList<>();
    List<String> etags = new ArrayList<>();
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setNamespaceAware(false);
      javax.xml.parsers.DocumentBuilder parser = f.newDocumentBuilder();
      parser.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // refused as MalformedXML below, not printed
      Document doc = parser.parse(new ByteArrayInputStream(req.body()));
      Element root = doc.getDocumentElement();
      if (!root.getTagName().equals("CompleteMultipartUpload")) throw new IllegalArgumentException();
      NodeList list = root.getChildNodes();
      for (int i = 0; i < list.getLength(); i++) {
        Node node = list.item(i);
        if (node.getNodeType() != Node.ELEMENT_NODE) continue;
        Element part = (Element) node;
        if (!part.getTagName().equals("Part")) throw new IllegalArgumentException();
        numbers.add(Integer.parseInt(child(part, "PartNumber").trim()));
        etags.add(child(part, "ETag").trim().replace("\"", ""));
      }
    } catch (Exception e) {
      return S3Errors.reply(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published"
          + " schema.", resource);
    }
    if (numbers.isEmpty()) {
      return S3Errors.reply(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published"
          + " schema.", resource);
    }
    List<PartFile> chosen = new ArrayList<>();
    synchronized (m) {
      if (m.completedEtag != null) {
        if (numbers.equals(m.completedNumbers) && etags.equals(m.completedEtags)) return completed(key, m.completedEtag);
        return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload"
            + " may have been aborted or completed.", resource);
      }
      for (int i = 0; i < numbers.size(); i++) {
        if (i > 0 && numbers.get(i) <= numbers.get(i - 1)) {
          return S3Errors.reply(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be"
              + " specified in order by part number.", resource);
        }
        PartFile p = m.parts.get(numbers.get(i));
        if (p == null || !p.md5().equals(etags.get(i))) {
          return S3Errors.reply(400, "InvalidPart", "One or more of the specified parts could not be found. The part might not have"
              + " been uploaded, or the specified entity tag might not have matched the part's entity tag.", resource);
        }
        chosen.add(p);
      }
      long min = web.stsMinPartSize;
      for (int i = 0; i < chosen.size() - 1; i++) {
        if (chosen.get(i).size() < min) {
          return S3Errors.reply(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.",
              resource);
        }
      }
      List<InputStream> streams = new ArrayList<>();
      MessageDigest md5s = Digests.get("MD5");
      for (PartFile p : chosen) {
        streams.add(Files.newInputStream(p.file()));
        md5s.update(HexFormat.of().parseHex(p.md5()));
      }
      Blob blob;
      try (InputStream in = new SequenceInputStream(Collections.enumeration(streams))) {
        blob = web.store().putBlob(in);
      }
      String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + chosen.size();
      objects.put(key, new StoredObject(blob, etag, chosen.size()));
      m.completedEtag = etag;
      m.completedNumbers = numbers;
      m.completedEtags = etags;
      deleteParts(m);
      return completed(key, etag);
    }
  }

  private MockResponse completed(String key, String etag) {
    String location = web.cloud().baseUrl("cdn") + "/" + BUCKET + "/" + key;
    return xml(200, "<CompleteMultipartUploadResult xmlns=\"" + NS + "\"><Location>" + S3Errors.escape(location) + "</Location><Bucket>"
        + BUCKET + "</Bucket><Key>" + S3Errors.escape(key) + "</Key><ETag>" + S3Errors.escape("\"" + etag + "\"") + "</ETag></CompleteMultipartUploadResult>");
  }

  private MockResponse abort(String key, String uploadId, String resource) throws IOException {
    Multipart m = multiparts.get(uploadId);
    if (m == null || !m.key.equals(key) || m.completedEtag != null) {
      return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload"
          + " may have been aborted or completed.", resource);
    }
    synchronized (m) {
      multiparts.remove(uploadId);
      deleteParts(m);
    }
    return new MockResponse.Builder().code(204).build();
  }

  private static void deleteParts(Multipart m) throws IOException {
    for (PartFile p : m.parts.values()) Files.deleteIfExists(p.file());
    m.parts.clear();
    Files.deleteIfExists(m.dir);
  }

  /** The Base64 of a body's checksum as S3's {@code x-amz-checksum-<alg>} headers carry it (CRC big-endian). */
  private static String checksum(String alg, UploadFile.Bytes body) {
    byte[] out;
    if (alg.startsWith("crc")) {
      java.util.zip.Checksum c = switch (alg) {
        case "crc32" -> new java.util.zip.CRC32();
        case "crc32c" -> new java.util.zip.CRC32C();
        default -> new Crc64Nvme();
      };
      body.forEach(c::update);
      long v = c.getValue();
      int bytes = alg.equals("crc64nvme") ? 8 : 4;
      out = new byte[bytes];
      for (int i = 0; i < bytes; i++) out[i] = (byte) (v >>> (8 * (bytes - 1 - i)));
    } else {
      MessageDigest d = Digests.get(alg.equals("sha1") ? "SHA-1" : "SHA-256");
      body.feed(d);
      out = d.digest();
    }
    return Base64.getEncoder().encodeToString(out);
  }

  /** Writes the request body to {@code file}; its MD5. */
  private static String write(FakeRequest req, Path file) throws IOException {
    UploadFile.Bytes body = UploadFile.body(req);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      body.writeTo(ch, 0);
    }
    return body.md5();
  }

  private static String child(Element e, String name) {
    NodeList l = e.getElementsByTagName(name);
    if (l.getLength() != 1) throw new IllegalArgumentException(name);
    return l.item(0).getTextContent();
  }

  private static MockResponse notImplemented(String resource) {
    return S3Errors.reply(501, "NotImplemented", "A header you provided implies functionality that is not implemented", resource);
  }


  private static MockResponse xml(int status, String body) {
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/xml")
        .body("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body).build();
  }


  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** {@code bytes} random bytes in Base64 (30 ⇒ 40 characters, the length of an AWS secret key). */
  private static String base64(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  @Override
  public String toString() {
    return "WebStsStorage{grants=" + grants.size() + ", open multipart uploads=" + openMultipartUploads() + "}";
  }
}
