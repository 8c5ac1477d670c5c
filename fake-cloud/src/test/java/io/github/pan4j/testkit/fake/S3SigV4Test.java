package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The storage server's SigV4 check against the four examples AWS publishes for S3's
 * Authorization header (access key AKIAIOSFODNN7EXAMPLE, 24 May 2013, us-east-1, bucket
 * examplebucket): the signatures below are AWS's; the fake must arrive at the same ones.
 */
class S3SigV4Test {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String DATE = "20130524T000000Z";
  private static final String SCOPE = "20130524/us-east-1/s3/aws4_request";
  private static final String HOST = "examplebucket.s3.amazonaws.com";
  private static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static String sign(String method, List<String> path, List<String[]> query, Map<String, String> headers,
      String payload) {
    List<String> signed = headers.keySet().stream().sorted().toList();
    String creq = S3SigV4.canonicalRequest(method, S3SigV4.canonicalUri(path), S3SigV4.canonicalQuery(query), signed,
        headers::get, payload);
    return S3SigV4.signature(SECRET, DATE, SCOPE, creq);
  }

  @Test
  void getObject_withRange() {
    assertEquals("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
        sign("GET", List.of("test.txt"), List.of(), Map.of("host", HOST, "range", "bytes=0-9",
            "x-amz-content-sha256", EMPTY_SHA, "x-amz-date", DATE), EMPTY_SHA));
  }

  @Test
  void putObject_pathWithDollarIsEncoded_bodyHashSigned() {
    String body = "Welcome to Amazon S3.";
    String sha = S3SigV4.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
    assertEquals("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", sha);
    assertEquals("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
        sign("PUT", List.of("test$file.text"), List.of(), Map.of("date", "Fri, 24 May 2013 00:00:00 GMT", "host", HOST,
            "x-amz-content-sha256", sha, "x-amz-date", DATE, "x-amz-storage-class", "REDUCED_REDUNDANCY"), sha));
  }

  @Test
  void getBucketLifecycle_nameWithoutValue() {
    assertEquals("fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
        sign("GET", List.of(), List.<String[]>of(new String[] {"lifecycle", null}), Map.of("host", HOST,
            "x-amz-content-sha256", EMPTY_SHA, "x-amz-date", DATE), EMPTY_SHA));
  }

  @Test
  void listObjects_querySorted() {
    assertEquals("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
        sign("GET", List.of(), List.of(new String[] {"prefix", "J"}, new String[] {"max-keys", "2"}), Map.of("host", HOST,
            "x-amz-content-sha256", EMPTY_SHA, "x-amz-date", DATE), EMPTY_SHA));
  }

  @Test
  void anotherSecret_anotherSignature() {
    String creq = S3SigV4.canonicalRequest("GET", "/test.txt", "", List.of("host"), n -> HOST, EMPTY_SHA);
    assertNotEquals(S3SigV4.signature(SECRET, DATE, SCOPE, creq), S3SigV4.signature(SECRET + "x", DATE, SCOPE, creq));
  }

  @Test
  void authorizationHeader_parsed_andMalformedOnesRefused() {
    S3SigV4.Authorization a = S3SigV4.Authorization.parse("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
        + "us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8");
    assertEquals("AKIAIOSFODNN7EXAMPLE", a.accessKeyId());
    assertEquals(SCOPE, a.scope());
    assertEquals(List.of("host", "range", "x-amz-content-sha256", "x-amz-date"), a.signedHeaders());
    assertNull(S3SigV4.Authorization.parse("AWS AKIAIOSFODNN7EXAMPLE:abc"));
    assertNull(S3SigV4.Authorization.parse("AWS4-HMAC-SHA256 Credential=AKIA/20130524/us-east-1/s3, SignedHeaders=host, Signature=1"));
    assertNull(S3SigV4.Authorization.parse("AWS4-HMAC-SHA256 Credential=AKIA/20130524/us-east-1/s3/aws4_request, Signature=1"));
  }

  @Test
  void headerValue_trimmed_andInnerRunsOfSpacesFoldedToOne() {
    String creq = S3SigV4.canonicalRequest("GET", "/k", "", List.of("host", "x-amz-meta-a"),
        n -> n.equals("host") ? HOST : "  a   b  c ", EMPTY_SHA);
    assertEquals("GET\n/k\n\nhost:" + HOST + "\nx-amz-meta-a:a b c\n\nhost;x-amz-meta-a\n" + EMPTY_SHA, creq);
  }

  @Test
  void query_sortedByEncodedNames_thenEncodedValues() {
    // Raw, 'Z' (0x5A) sorts before '[' (0x5B); encoded, "%5B" sorts first ('%' is 0x25).
    assertEquals("a%5B=1&aZ=2", S3SigV4.canonicalQuery(List.of(new String[] {"aZ", "2"}, new String[] {"a[", "1"})));
    // One name several times: by encoded value (raw order would be % Z [ ~; encoded, [ is %5B and goes before Z).
    assertEquals("k=%25&k=%5B&k=Z&k=~", S3SigV4.canonicalQuery(List.of(new String[] {"k", "~"}, new String[] {"k", "Z"},
        new String[] {"k", "["}, new String[] {"k", "%"})));
  }
}
