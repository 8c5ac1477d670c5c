package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The legacy STS upload mode (§5.9.1) over raw HTTP, sent as OpenList's AWS SDK v1 uploader sends
 * it: upload_request, then S3 calls path-style to {@code EndPoint/Bucket/Key}, region 123pan,
 * signed with the session's temporary credentials (hex SHA-256 payload hash and Content-MD5 on
 * bodies), then {@code upload_complete {"fileId"}}.
 */
class WebStsUploadTest {
  private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private final WebFixture f = new WebFixture();
  private final byte[] content = new byte[25];

  @BeforeEach
  void setUp() {
    for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 7);
    f.web.uploadMode(WebFrontDoor.UploadMode.STS).stsMinPartSize(10);
    f.login();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  private JsonNode request(String name, byte[] bytes) throws Exception {
    JsonNode r = f.post("/file/upload_request", "{\"driveId\":0,\"duplicate\":2,\"etag\":\"" + md5(bytes)
        + "\",\"fileName\":\"" + name + "\",\"parentFileId\":\"0\",\"size\":" + bytes.length + ",\"type\":0}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    return r.get("data");
  }

  private JsonNode uploadComplete(JsonNode s) {
    return f.post("/file/upload_complete", "{\"fileId\":" + s.get("FileId").asLong() + "}");
  }

  /** One S3 request as the Go SDK v1 builds it; {@code tweak} may change the headers before signing. */
  private class S3 {
    final JsonNode s;
    String secret;
    String region = "123pan";
    String payloadHash; // null: hex SHA-256 of the body
    String scopeDate; // null: x-amz-date's day
    String signedUri; // null: the canonical URI of the URL sent
    java.util.function.UnaryOperator<String> signatureForm = x -> x;
    java.util.Set<String> repeated = java.util.Set.of(); // headers whose value "a,b" is sent as two lines a and b
    String authorizationExtra = ""; // appended to the Authorization header
    boolean bucketLevel; // the bucket's URL, without the Key (ListMultipartUploads)

    S3(JsonNode s) {
      this.s = s;
      this.secret = s.get("SecretAccessKey").asText();
    }

    HttpUrl url(String query) {
      // Each segment of the Key encoded by OkHttp (the fake decodes and encodes it the S3 way).
      HttpUrl.Builder ub = HttpUrl.get(s.get("EndPoint").asText()).newBuilder().addPathSegment(s.get("Bucket").asText());
      HttpUrl u = bucketLevel ? ub.build() : ub.addPathSegments(s.get("Key").asText()).build();
      u = HttpUrl.get(u.toString().replace("+", "%2B")); // OkHttp leaves '+' raw in a path, which S3 reads as a space
      return query == null ? u : HttpUrl.get(u + "?" + query);
    }

    Response send(String method, String query, byte[] body, Consumer<Map<String, String>> tweak) {
      HttpUrl url = url(query);
      Map<String, String> h = new TreeMap<>();
      h.put("host", url.host() + ":" + url.port());
      String amzDate = AMZ.format(f.clock.instant());
      h.put("x-amz-date", amzDate);
      h.put("x-amz-security-token", s.get("SessionToken").asText());
      h.put("x-amz-content-sha256", payloadHash != null ? payloadHash : S3SigV4.sha256Hex(body == null ? new byte[0] : body));
      if (body != null && body.length > 0) h.put("content-md5", Base64.getEncoder().encodeToString(digest("MD5", body)));
      if (tweak != null) tweak.accept(h);
      List<String> signed = new ArrayList<>(h.keySet());
      List<String[]> q = new ArrayList<>();
      for (String n : url.queryParameterNames()) q.add(new String[] {n, url.queryParameter(n)});
      String creq = S3SigV4.canonicalRequest(method, signedUri != null ? signedUri : S3SigV4.canonicalUri(url.pathSegments()),
          S3SigV4.canonicalQuery(q), signed, h::get, h.get("x-amz-content-sha256"));
      String scope = (scopeDate != null ? scopeDate : amzDate.substring(0, 8)) + "/" + region + "/s3/aws4_request";
      String sig = signatureForm.apply(S3SigV4.signature(secret, amzDate, scope, creq));
      Request.Builder b = new Request.Builder().url(url).header("User-Agent", "aws-sdk-go/1.55.5 (go1.23; linux; amd64)");
      h.forEach((k, v) -> {
        if (k.equals("host")) return;
        if (repeated.contains(k)) for (String one : v.split(",")) b.addHeader(k, one);
        else b.header(k, v);
      });
      b.header("Authorization", "AWS4-HMAC-SHA256 Credential=" + s.get("AccessKeyId").asText() + "/" + scope
          + ", SignedHeaders=" + String.join(";", signed) + ", Signature=" + sig + authorizationExtra);
      b.method(method, body == null ? null : RequestBody.create(body, (MediaType) null));
      return f.raw(b.build());
    }

    Reply call(String method, String query, byte[] body) {
      return call(method, query, body, null);
    }

    Reply call(String method, String query, byte[] body, Consumer<Map<String, String>> tweak) {
      try (Response r = send(method, query, body, tweak)) {
        return new Reply(r.code(), r.header("ETag"), r.body().string());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  record Reply(int status, String etag, String body) {
    String code() {
      int a = body.indexOf("<Code>");
      return a < 0 ? null : body.substring(a + 6, body.indexOf("</Code>"));
    }

    String tag(String name) {
      int a = body.indexOf("<" + name + ">");
      return a < 0 ? null : body.substring(a + name.length() + 2, body.indexOf("</" + name + ">"));
    }
  }

  private static byte[] digest(String alg, byte[] b) {
    try {
      return MessageDigest.getInstance(alg).digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] completeXml(List<Integer> parts, List<String> etags) {
    StringBuilder x = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (int i = 0; i < parts.size(); i++) {
      x.append("<Part><ETag>").append(etags.get(i)).append("</ETag><PartNumber>").append(parts.get(i)).append("</PartNumber></Part>");
    }
    return x.append("</CompleteMultipartUpload>").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void uploadRequest_inStsMode_givesCredentialsEndpointBucketKey() throws Exception {
    JsonNode s = request("a.bin", content);
    assertFalse(s.get("Reuse").asBoolean());
    for (String k : List.of("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "Bucket", "Key")) {
      assertTrue(s.get(k).isTextual() && !s.get(k).asText().isEmpty(), k + " in " + s);
    }
    assertEquals(f.cloud.baseUrl("cdn"), s.get("EndPoint").asText());
    assertEquals("", s.get("UploadId").asText(), "the client creates its own multipart upload");
    assertEquals(f.clock.instant().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        Instant.parse(s.get("Expiration").asText()));
    assertTrue(s.get("FileId").asLong() > 0);
  }

  @Test
  void putObject_thenUploadComplete_storesTheFile() throws Exception {
    JsonNode s = request("a.bin", content);
    Reply put = new S3(s).call("PUT", null, content);
    assertEquals(200, put.status(), put.body());
    assertEquals("\"" + md5(content) + "\"", put.etag());
    JsonNode done = uploadComplete(s);
    assertEquals(0, done.get("code").asInt(), done.toString());
    JsonNode info = done.get("data").get("file_info");
    assertEquals("a.bin", info.get("FileName").asText());
    assertEquals(25, info.get("Size").asLong());
    assertEquals(md5(content), info.get("Etag").asText());
    assertArrayEquals(content, f.store.node(f.demo.uid(), info.get("FileId").asLong()).orElseThrow().blob().bytes());
    JsonNode again = uploadComplete(s);
    assertEquals(info.get("FileId").asLong(), again.get("data").get("file_info").get("FileId").asLong(), "a repeat answers the same file");
  }

  @Test
  void bigPutObject_withExpect100Continue_asTheGoSdkSendsAboveTwoMiB() throws Exception {
    byte[] big = new byte[3 << 20];
    new java.util.Random(3).nextBytes(big);
    JsonNode s = request("big.bin", big);
    Reply put = new S3(s).call("PUT", null, big, h -> h.put("expect", "100-continue"));
    assertEquals(200, put.status(), put.body());
    assertEquals(0, uploadComplete(s).get("code").asInt());
  }

  @Test
  void emptyFile_putObjectOfZeroBytes() throws Exception {
    JsonNode s = request("empty.bin", new byte[0]);
    assertEquals(200, new S3(s).call("PUT", null, new byte[0]).status());
    JsonNode done = uploadComplete(s);
    assertEquals(0, done.get("data").get("file_info").get("Size").asLong(), done.toString());
  }

  /** CreateMultipartUpload; the UploadId as an XML parser reads it (entities decoded), checked to be XML-escaped on the wire. */
  private static String create(S3 s3) throws Exception {
    Reply created = s3.call("POST", "uploads", new byte[0]);
    assertEquals(200, created.status(), created.body());
    String id = xml(created.body()).getElementsByTagName("UploadId").item(0).getTextContent();
    assertEquals(id.replace("&", "&amp;"), created.tag("UploadId"), "escaped in the reply");
    return id;
  }

  /** UploadPart of the content in parts of 10, 10 and 5 bytes (the id encoded in the query); their ETags. */
  private List<String> threeParts(S3 s3, String uploadId) {
    List<String> etags = new ArrayList<>();
    for (int p = 1; p <= 3; p++) {
      String q = S3SigV4.canonicalQuery(List.of(new String[] {"partNumber", "" + p}, new String[] {"uploadId", uploadId}));
      Reply r = s3.call("PUT", q, Arrays.copyOfRange(content, (p - 1) * 10, Math.min(25, p * 10)));
      assertEquals(200, r.status(), r.body());
      etags.add(r.etag());
    }
    return etags;
  }

  @Test
  void multipart_createPartsComplete_thenUploadComplete_withAnUploadIdNeedingEscapes() throws Exception {
    f.web.stsUploadIdTail("&a+b/c=d%"); // XML-escaped in Create's reply, percent-encoded in the queries
    JsonNode s = request("m.bin", content);
    S3 s3 = new S3(s);
    String id = create(s3);
    assertTrue(id.endsWith("&a+b/c=d%"), id);
    List<String> etags = threeParts(s3, id);
    assertEquals(1, f.web.openStsMultipartUploads());
    assertEquals(401, uploadComplete(s).get("code").asInt(), "no object before CompleteMultipartUpload");
    String complete = S3SigV4.canonicalQuery(List.<String[]>of(new String[] {"uploadId", id}));
    Reply done = s3.call("POST", complete, completeXml(List.of(1, 2, 3), etags));
    assertEquals(200, done.status(), done.body());
    assertTrue(done.tag("ETag").startsWith("&quot;") && done.tag("ETag").endsWith("-3&quot;"), "quotes escaped as S3 sends them: "
        + done.body());
    assertEquals(done.body(), s3.call("POST", complete, completeXml(List.of(1, 2, 3), etags)).body(),
        "a repeated Complete answers as the first");
    JsonNode file = uploadComplete(s);
    assertEquals(0, file.get("code").asInt(), file.toString());
    long fid = file.get("data").get("file_info").get("FileId").asLong();
    assertNotEquals(s.get("FileId").asLong(), fid, "a multipart upload's file gets an id of its own");
    assertArrayEquals(content, f.store.node(f.demo.uid(), fid).orElseThrow().blob().bytes());
    assertEquals(0, f.web.openStsMultipartUploads());
  }

  @Test
  void listMultipartUploads_ofTheOwnKey_pagedByMarkers_andAbortedOnesGone() throws Exception {
    f.web.stsUploadIdTail("&+/");
    JsonNode s = request("m.bin", content);
    S3 s3 = new S3(s);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(create(s3));
      f.clock.advance(Duration.ofSeconds(1));
    }
    S3 list = new S3(s);
    list.bucketLevel = true;
    String key = s.get("Key").asText();
    String q = S3SigV4.canonicalQuery(List.of(new String[] {"uploads", ""}, new String[] {"prefix", key}));
    Reply all = list.call("GET", q, null);
    assertEquals(200, all.status(), all.body());
    org.w3c.dom.Element r = xml(all.body());
    assertEquals("ListMultipartUploadsResult", r.getTagName());
    assertEquals(ids, texts(r, "UploadId"), "by Key, then oldest first");
    assertEquals(List.of(key, key, key), texts(r, "Key"));
    assertEquals("false", r.getElementsByTagName("IsTruncated").item(0).getTextContent());
    Reply first = list.call("GET", q + "&max-uploads=2", null);
    org.w3c.dom.Element p1 = xml(first.body());
    assertEquals(ids.subList(0, 2), texts(p1, "UploadId"));
    assertEquals("true", p1.getElementsByTagName("IsTruncated").item(0).getTextContent());
    String next = S3SigV4.canonicalQuery(List.of(new String[] {"uploads", ""}, new String[] {"prefix", key},
        new String[] {"key-marker", p1.getElementsByTagName("NextKeyMarker").item(0).getTextContent()},
        new String[] {"upload-id-marker", p1.getElementsByTagName("NextUploadIdMarker").item(0).getTextContent()}));
    assertEquals(ids.subList(2, 3), texts(xml(list.call("GET", next, null).body()), "UploadId"));
    assertEquals(204, s3.call("DELETE", S3SigV4.canonicalQuery(List.<String[]>of(new String[] {"uploadId", ids.get(1)})), null)
        .status());
    assertEquals(List.of(ids.get(0), ids.get(2)), texts(xml(list.call("GET", q, null).body()), "UploadId"));
    String other = S3SigV4.canonicalQuery(List.of(new String[] {"uploads", ""}, new String[] {"prefix", ""}));
    assertEquals("AccessDenied", list.call("GET", other, null).code(), "another prefix than the own Key");
    assertEquals("AccessDenied", list.call("GET", "uploads", null).code(), "no prefix");
  }

  private static org.w3c.dom.Element xml(String body) throws Exception {
    javax.xml.parsers.DocumentBuilderFactory dbf = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return dbf.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
  }

  private static List<String> texts(org.w3c.dom.Element e, String name) {
    List<String> out = new ArrayList<>();
    org.w3c.dom.NodeList l = e.getElementsByTagName(name);
    for (int i = 0; i < l.getLength(); i++) out.add(l.item(i).getTextContent());
    return out;
  }

  @Test
  void multipart_rules_partNumbers_sizes_etags_order_abort() throws Exception {
    JsonNode s = request("m.bin", content);
    S3 s3 = new S3(s);
    String id = s3.call("POST", "uploads", new byte[0]).tag("UploadId");
    assertEquals("InvalidArgument", s3.call("PUT", "partNumber=0&uploadId=" + id, new byte[] {1}).code());
    assertEquals("InvalidArgument", s3.call("PUT", "partNumber=10001&uploadId=" + id, new byte[] {1}).code());
    assertEquals("NoSuchUpload", s3.call("PUT", "partNumber=1&uploadId=nope", new byte[] {1}).code());
    String e1 = s3.call("PUT", "partNumber=1&uploadId=" + id, Arrays.copyOfRange(content, 0, 5)).etag();
    String e2 = s3.call("PUT", "partNumber=2&uploadId=" + id, Arrays.copyOfRange(content, 5, 25)).etag();
    Reply small = s3.call("POST", "uploadId=" + id, completeXml(List.of(1, 2), List.of(e1, e2)));
    assertEquals(400, small.status());
    assertEquals("EntityTooSmall", small.code(), "5 bytes < the minimum of 10 for a part that is not the last");
    e1 = s3.call("PUT", "partNumber=1&uploadId=" + id, Arrays.copyOfRange(content, 0, 10)).etag();
    e2 = s3.call("PUT", "partNumber=2&uploadId=" + id, Arrays.copyOfRange(content, 10, 25)).etag();
    assertEquals("InvalidPart", s3.call("POST", "uploadId=" + id, completeXml(List.of(1, 2), List.of(e1, "\"" + "0".repeat(32) + "\""))).code());
    assertEquals("InvalidPart", s3.call("POST", "uploadId=" + id, completeXml(List.of(1, 3), List.of(e1, e2))).code());
    assertEquals("InvalidPartOrder", s3.call("POST", "uploadId=" + id, completeXml(List.of(2, 1), List.of(e2, e1))).code());
    assertEquals("MalformedXML", s3.call("POST", "uploadId=" + id, "<nope".getBytes(StandardCharsets.UTF_8)).code());
    Reply aborted = s3.call("DELETE", "uploadId=" + id, null);
    assertEquals(204, aborted.status(), aborted.body());
    assertEquals("NoSuchUpload", s3.call("PUT", "partNumber=1&uploadId=" + id, new byte[] {1}).code());
    assertEquals(0, f.web.openStsMultipartUploads());
    assertEquals(401, uploadComplete(s).get("code").asInt(), "nothing stored");
  }

  @Test
  void signature_credentials_token_expiry_skew_region_areChecked() throws Exception {
    JsonNode s = request("a.bin", content);
    S3 bad = new S3(s);
    bad.secret = bad.secret + "x";
    assertEquals("SignatureDoesNotMatch", bad.call("PUT", null, content).code());
    S3 region = new S3(s);
    region.region = "us-east-1";
    assertEquals("AuthorizationHeaderMalformed", region.call("PUT", null, content).code());
    S3 ok = new S3(s);
    assertEquals("InvalidToken", ok.call("PUT", null, content, h -> h.put("x-amz-security-token", "other")).code());
    assertEquals("InvalidToken", ok.call("PUT", null, content, h -> h.remove("x-amz-security-token")).code());
    assertEquals("RequestTimeTooSkewed", ok.call("PUT", null, content,
        h -> h.put("x-amz-date", AMZ.format(f.clock.instant().plus(Duration.ofMinutes(16))))).code());
    assertEquals("AccessDenied", ok.call("PUT", null, content, h -> h.remove("x-amz-date")).code());
    Reply mismatch = ok.call("PUT", null, content, h -> h.put("x-amz-content-sha256", "0".repeat(64)));
    assertEquals(400, mismatch.status());
    assertEquals("XAmzContentSHA256Mismatch", mismatch.code());
    Reply badMd5 = ok.call("PUT", null, content, h -> h.put("content-md5", Base64.getEncoder().encodeToString(new byte[16])));
    assertEquals("BadDigest", badMd5.code());
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(content);
    String crc32 = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    assertEquals(200, ok.call("PUT", null, content, h -> h.put("x-amz-checksum-crc32", crc32)).status(),
        "a matching CRC32, as botocore sends it");
    assertEquals("BadDigest", ok.call("PUT", null, content, h -> h.put("x-amz-checksum-crc32", "AAAAAA==")).code());
    String sha1 = Base64.getEncoder().encodeToString(digest("SHA-1", content));
    assertEquals(200, ok.call("PUT", null, content, h -> h.put("x-amz-checksum-sha1", sha1)).status());
    assertEquals("BadDigest", ok.call("PUT", null, content, h -> h.put("x-amz-checksum-sha256", sha1)).code());
    Reply streaming = ok.call("PUT", null, content, h -> h.put("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
    assertEquals(501, streaming.status());
    assertEquals("NotImplemented", streaming.code());
    // An x-amz header sent but not signed.
    try (Response r = f.raw(ok.send("PUT", null, content, null).request().newBuilder().header("x-amz-meta-a", "1").build())) {
      assertEquals(403, r.code());
      assertTrue(r.body().string().contains("<Code>AccessDenied</Code>"));
    }
    try (Response r = f.raw(new Request.Builder().url(ok.url(null)).put(RequestBody.create(content)).build())) {
      assertEquals(403, r.code(), "anonymous");
    }
    S3 unsigned = new S3(s);
    unsigned.payloadHash = "UNSIGNED-PAYLOAD";
    assertEquals(200, unsigned.call("PUT", null, content).status(), "UNSIGNED-PAYLOAD is accepted");
    f.clock.advance(Duration.ofHours(1));
    Reply expired = ok.call("PUT", null, content);
    assertEquals(400, expired.status());
    assertEquals("ExpiredToken", expired.code());
  }

  @Test
  void crc64nvmeChecksum_checkedLikeTheOthers() throws Exception {
    byte[] nine = "123456789".getBytes(StandardCharsets.US_ASCII);
    S3 s3 = new S3(request("c.bin", nine));
    // CRC-64/NVME("123456789") = 0xae8b14860a799888, the catalogue's check value, big-endian in Base64.
    String good = Base64.getEncoder().encodeToString(HexFormat.of().parseHex("ae8b14860a799888"));
    Reply ok = s3.call("PUT", null, nine, h -> h.put("x-amz-checksum-crc64nvme", good));
    assertEquals(200, ok.status(), ok.body());
    Reply bad = s3.call("PUT", null, nine, h -> h.put("x-amz-checksum-crc64nvme",
        Base64.getEncoder().encodeToString(HexFormat.of().parseHex("ae8b14860a799889"))));
    assertEquals(400, bad.status());
    assertEquals("BadDigest", bad.code());
    assertTrue(bad.body().contains("CRC64NVME"), bad.body());
  }

  @Test
  void credentialScope_mustNameTheDayOfXAmzDate_wholly() throws Exception {
    JsonNode s = request("a.bin", content);
    String day = AMZ.format(f.clock.instant()).substring(0, 8);
    for (String other : List.of(day.substring(0, 7), day.substring(0, 4), "", "2001" + day.substring(4))) {
      S3 scoped = new S3(s);
      scoped.scopeDate = other; // signed consistently with that scope: only the check of the day can refuse it
      Reply r = scoped.call("PUT", null, content);
      assertEquals(400, r.status(), "scope day '" + other + "': " + r.body());
      assertEquals("AuthorizationHeaderMalformed", r.code());
    }
    assertEquals(200, new S3(s).call("PUT", null, content).status());
  }

  @Test
  void repeatedToken_date_payloadHash_orAuthorizationField_isRefused_evenWhenSignedOverBothLines() throws Exception {
    JsonNode s = request("a.bin", content);
    String token = s.get("SessionToken").asText();
    S3 twoTokens = new S3(s);
    twoTokens.repeated = java.util.Set.of("x-amz-security-token");
    assertEquals("InvalidToken", twoTokens.call("PUT", null, content, h -> h.put("x-amz-security-token", "other," + token))
        .code(), "S3 reads a repeated header as its lines joined with ','");
    assertEquals("InvalidToken", twoTokens.call("PUT", null, content, h -> h.put("x-amz-security-token", token + "," + token))
        .code());
    String now = AMZ.format(f.clock.instant());
    S3 twoDates = new S3(s);
    twoDates.repeated = java.util.Set.of("x-amz-date");
    assertEquals(403, twoDates.call("PUT", null, content, h -> h.put("x-amz-date", AMZ.format(f.clock.instant()
        .minus(Duration.ofDays(2))) + "," + now)).status(), "a stale date hidden before a current one");
    S3 twoHashes = new S3(s);
    twoHashes.repeated = java.util.Set.of("x-amz-content-sha256");
    assertEquals(400, twoHashes.call("PUT", null, content, h -> h.put("x-amz-content-sha256",
        "UNSIGNED-PAYLOAD," + S3SigV4.sha256Hex(content))).status());
    S3 twoSignatures = new S3(s);
    twoSignatures.authorizationExtra = ", Signature=" + "0".repeat(64);
    assertEquals("AuthorizationHeaderMalformed", twoSignatures.call("PUT", null, content).code());
    assertEquals(200, new S3(s).call("PUT", null, content).status());
  }

  @Test
  void rawPlusInThePath_isASpace_asS3ReadsIt() throws Exception {
    f.web.stsKeyTail("x+y");
    JsonNode plus = request("plus.bin", content);
    S3 raw = new S3(plus) {
      @Override
      HttpUrl url(String query) {
        return HttpUrl.get(super.url(query).toString().replace("%2B", "+"));
      }
    };
    assertTrue(raw.url(null).encodedPath().endsWith("/x+y"), raw.url(null).toString());
    // Signed as a client that takes the '+' literally: S3 reads 'x y', so the signatures differ.
    Reply r = raw.call("PUT", null, content);
    assertEquals(403, r.status(), r.body());
    assertEquals("SignatureDoesNotMatch", r.code());
    assertEquals(200, new S3(plus).call("PUT", null, content).status(), "'+' sent as %2B");

    f.web.stsKeyTail("x y");
    byte[] other = Arrays.copyOf(content, content.length + 1); // new content: not an instant upload of the first
    JsonNode space = request("space.bin", other);
    S3 plusForSpace = new S3(space) {
      @Override
      HttpUrl url(String query) {
        return HttpUrl.get(super.url(query).toString().replace("%20", "+"));
      }
    };
    plusForSpace.signedUri = S3SigV4.canonicalUri(new S3(space).url(null).pathSegments());
    assertTrue(plusForSpace.signedUri.endsWith("/x%20y"), plusForSpace.signedUri);
    assertEquals(200, plusForSpace.call("PUT", null, other).status(), "signed over %20, sent as '+'");
  }

  @Test
  void signature_inUpperCaseHex_orOverAnotherCanonicalUri_isRefused() throws Exception {
    f.web.stsKeyTail("dir/a b+c%d~e=f&g(h)*,;:@!$'/\u00fc\u4e2d.bin");
    JsonNode s = request("awkward.bin", content);
    assertTrue(s.get("Key").asText().endsWith("/dir/a b+c%d~e=f&g(h)*,;:@!$'/\u00fc\u4e2d.bin"), s.toString());
    assertEquals(200, new S3(s).call("PUT", null, content).status(), "the Key's segments encoded once, '/' kept");
    S3 upper = new S3(s);
    upper.signatureForm = x -> x.toUpperCase(java.util.Locale.ROOT);
    assertEquals("SignatureDoesNotMatch", upper.call("PUT", null, content).code());
    String once = S3SigV4.canonicalUri(HttpUrl.get("http://h/" + s.get("Bucket").asText()).newBuilder()
        .addPathSegments(s.get("Key").asText()).build().pathSegments());
    assertTrue(once.contains("/a%20b%2Bc%25d~e%3Df%26g%28h%29%2A%2C%3B%3A%40%21%24%27/%C3%BC%E4%B8%AD.bin"), once);
    for (String other : List.of(once.replace("%", "%25"), once.replace("%2B", "+"), once.replace("%20", "+"),
        once.replace("/dir/", "/dir%2F"), once.toLowerCase(java.util.Locale.ROOT))) {
      S3 wrong = new S3(s);
      wrong.signedUri = other;
      assertEquals("SignatureDoesNotMatch", wrong.call("PUT", null, content).code(), other);
    }
  }

  @Test
  void credentialsOfOneUpload_doNotReachAnotherKey() throws Exception {
    JsonNode a = request("a.bin", content);
    JsonNode b = request("b.bin", new byte[] {1, 2, 3});
    S3 crossed = new S3(a) {
      @Override
      HttpUrl url(String query) {
        return HttpUrl.get(b.get("EndPoint").asText() + "/" + b.get("Bucket").asText() + "/" + b.get("Key").asText());
      }
    };
    Reply r = crossed.call("PUT", null, new byte[] {1, 2, 3});
    assertEquals(403, r.status());
    assertEquals("AccessDenied", r.code());
  }

  @Test
  void unknownAccessKey_isInvalidAccessKeyId() throws Exception {
    JsonNode s = request("a.bin", content);
    com.fasterxml.jackson.databind.node.ObjectNode forged = s.deepCopy();
    forged.put("AccessKeyId", "STS.NOBODY");
    Reply r = new S3(forged).call("PUT", null, content);
    assertEquals(403, r.status());
    assertEquals("InvalidAccessKeyId", r.code());
  }

  @Test
  void stsSession_refusedByV2AndPresign_andCompleteNeedsTheObject() throws Exception {
    JsonNode s = request("a.bin", content);
    JsonNode v1 = uploadComplete(s);
    assertEquals(401, v1.get("code").asInt());
    assertEquals(WebFrontDoor.MSG_NO_UPLOAD, v1.get("message").asText());
    new S3(s).call("PUT", null, content);
    JsonNode v2 = f.post("/file/upload_complete/v2", "{\"StorageNode\":\"m2\",\"bucket\":\"" + s.get("Bucket").asText()
        + "\",\"fileId\":" + s.get("FileId").asLong() + ",\"fileSize\":25,\"isMultipart\":false,\"key\":\"" + s.get("Key").asText()
        + "\",\"uploadId\":\"\"}");
    assertEquals(401, v2.get("code").asInt(), "v2 knows no STS upload: " + v2);
    JsonNode presign = f.post("/file/s3_upload_object/auth", "{\"StorageNode\":\"m2\",\"bucket\":\"" + s.get("Bucket").asText()
        + "\",\"key\":\"" + s.get("Key").asText() + "\",\"partNumberEnd\":2,\"partNumberStart\":1,\"uploadId\":\"\"}");
    assertEquals(400, presign.get("code").asInt());
    assertEquals(0, uploadComplete(s).get("code").asInt(), "the v1 completion still works");
  }

  @Test
  void wrongContent_uploadCompleteRefusesIt() throws Exception {
    JsonNode s = request("a.bin", content);
    byte[] other = content.clone();
    other[3]++;
    assertEquals(200, new S3(s).call("PUT", null, other).status());
    JsonNode done = uploadComplete(s);
    assertEquals(401, done.get("code").asInt());
    assertEquals(WebFrontDoor.MSG_SIZE_INVALID, done.get("message").asText());
    assertEquals(200, new S3(s).call("PUT", null, Arrays.copyOf(content, 24)).status());
    assertEquals(WebFrontDoor.MSG_SIZE_INVALID, uploadComplete(s).get("message").asText());
  }

  @Test
  void uploadMode_andStsSettings_overFakeSettings() throws Exception {
    f.web.uploadMode(WebFrontDoor.UploadMode.PRESIGNED);
    SettingsOverHttp.set(f.cloud, "web", "{\"web.uploadMode\":\"STS\",\"web.stsCredentialTtl\":90,\"web.stsMinPartSize\":1024}");
    assertEquals(WebFrontDoor.UploadMode.STS, f.web.uploadMode);
    assertEquals(1024, f.web.stsMinPartSize);
    JsonNode s = request("a.bin", content);
    assertEquals(f.clock.instant().plusSeconds(90), Instant.parse(s.get("Expiration").asText()));
  }

  @Test
  void presignedModeStaysTheDefault() throws Exception {
    f.web.uploadMode(WebFrontDoor.UploadMode.PRESIGNED);
    JsonNode s = request("a.bin", content);
    assertTrue(s.get("AccessKeyId").isNull());
    assertFalse(s.get("UploadId").asText().isEmpty());
  }
}
