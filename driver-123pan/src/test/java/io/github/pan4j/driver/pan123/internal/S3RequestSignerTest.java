package io.github.pan4j.driver.pan123.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The driver's SigV4 signer against two of the examples AWS publishes for S3's Authorization
 * header (the two that sign exactly host, x-amz-content-sha256 and x-amz-date): AWS's signatures.
 */
class S3RequestSignerTest {
  private static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final Instant AT = Instant.parse("2013-05-24T00:00:00Z");
  private final S3RequestSigner signer = new S3RequestSigner("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      null, "us-east-1", "s3");

  private static Map<String, String> query(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void getBucketLifecycle() {
    Map<String, String> h = signer.sign("GET", "examplebucket.s3.amazonaws.com", "/", S3RequestSigner.query(query("lifecycle", "")),
        EMPTY_SHA, AT);
    assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        + "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543", h.get("Authorization"));
    assertEquals("20130524T000000Z", h.get("x-amz-date"));
    assertEquals(EMPTY_SHA, h.get("x-amz-content-sha256"));
  }

  @Test
  void listObjects_queryInCanonicalOrder() {
    String q = S3RequestSigner.query(query("prefix", "J", "max-keys", "2"));
    assertEquals("max-keys=2&prefix=J", q);
    Map<String, String> h = signer.sign("GET", "examplebucket.s3.amazonaws.com", "/", q, EMPTY_SHA, AT);
    assertEquals("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
        h.get("Authorization").substring(h.get("Authorization").indexOf("Signature=") + 10));
  }

  @Test
  void sessionToken_isSentAndSigned_butNeverShown() {
    S3RequestSigner s = new S3RequestSigner("STS.ID", "the-secret", "the-token", "123pan", "s3");
    Map<String, String> h = s.sign("PUT", "127.0.0.1:8080", S3RequestSigner.path("b", "k/1"), "", "UNSIGNED-PAYLOAD", AT);
    assertEquals("the-token", h.get("x-amz-security-token"));
    assertEquals(true, h.get("Authorization").contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
    assertFalse(s.toString().contains("the-secret") || s.toString().contains("the-token") || s.toString().contains("STS.ID"));
  }

  @Test
  void path_encodesOnce_keepsTheKeysSlashes() {
    assertEquals("/b/a%24b/c%20d/%E4%BA%91", S3RequestSigner.path("b", "a$b/c d/云"));
  }

  @Test
  void headerValues_trimmedAndInnerRunsOfSpacesFolded_beforeSigning() {
    S3RequestSigner spaced = new S3RequestSigner("STS.ID", "the-secret", "  tok   en  a ", "123pan", "s3");
    S3RequestSigner folded = new S3RequestSigner("STS.ID", "the-secret", "tok en a", "123pan", "s3");
    Map<String, String> a = spaced.sign("PUT", "127.0.0.1:8080", "/b/k", "", "UNSIGNED-PAYLOAD", AT);
    Map<String, String> b = folded.sign("PUT", "127.0.0.1:8080", "/b/k", "", "UNSIGNED-PAYLOAD", AT);
    assertEquals("  tok   en  a ", a.get("x-amz-security-token"), "sent as given");
    assertEquals(b.get("Authorization"), a.get("Authorization"), "signed as SigV4 canonicalises the value");
  }

  @Test
  void query_sortedByEncodedNames_notRawOnes() {
    // Raw, 'Z' (0x5A) sorts before '[' (0x5B); encoded, "%5B" sorts before "Z" ('%' is 0x25).
    assertEquals("a%5B=1&aZ=2", S3RequestSigner.query(query("aZ", "2", "a[", "1")));
    assertEquals("k=%26x&k%2B=y&uploadId=", S3RequestSigner.query(query("uploadId", "", "k+", "y", "k", "&x")));
  }
}
