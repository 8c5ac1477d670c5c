package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How an upload_request reply's STS fields are read (docs/protocol/123web.md §5.9.3). */
class Pan123StsGrantTest {
  private static JsonNode reply(String endpoint, String id, String secret, String token) throws Exception {
    return new ObjectMapper().readTree("{\"AccessKeyId\":" + q(id) + ",\"SecretAccessKey\":" + q(secret) + ",\"SessionToken\":"
        + q(token) + ",\"Expiration\":\"2026-12-01T19:00:00Z\",\"EndPoint\":" + q(endpoint) + ",\"Bucket\":\"b\",\"Key\":\"k/1\"}");
  }

  private static String q(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  @Test
  void noCredentials_isPresignedMode() throws Exception {
    assertNull(Pan123StsTransfer.Grant.of(reply("", null, null, null), "t"));
    assertNull(Pan123StsTransfer.Grant.of(reply("", "", "", ""), "t"));
  }

  @Test
  void endpointWithoutScheme_isHttps_defaultPortLeftOut() throws Exception {
    Pan123StsTransfer.Grant g = Pan123StsTransfer.Grant.of(reply("s3.example.com", "id", "sec", "tok"), "t");
    assertEquals("https://s3.example.com", g.endpoint);
    assertEquals("s3.example.com", g.host);
    assertEquals(Instant.parse("2026-12-01T19:00:00Z"), g.expiresAt);
  }

  @Test
  void endpointWithPortAndSlash_keepsThePortInHost() throws Exception {
    Pan123StsTransfer.Grant g = Pan123StsTransfer.Grant.of(reply("http://127.0.0.1:9000/", "id", "sec", "tok"), "t");
    assertEquals("http://127.0.0.1:9000", g.endpoint);
    assertEquals("127.0.0.1:9000", g.host);
    assertEquals("s3.example.com", Pan123StsTransfer.Grant.of(reply("http://s3.example.com:80", "i", "s", "t"), "t").host);
  }

  /**
   * An EndPoint with a path of its own: the object goes under it, and the path signed is the path
   * sent (before, the URL held the EndPoint's path and the signature did not, so S3 would refuse
   * every request as SignatureDoesNotMatch).
   */
  @Test
  void endpointWithAPath_isSentAndSignedUnderIt() throws Exception {
    Pan123StsTransfer.Grant g = Pan123StsTransfer.Grant.of(reply("https://S3.example.com/store/", "id", "sec", "tok"), "t");
    assertEquals("https://s3.example.com", g.endpoint);
    assertEquals("/store/b/k/1", g.path());
    Pan123StsTransfer.Grant bare = Pan123StsTransfer.Grant.of(reply("https://s3.example.com", "id", "sec", "tok"), "t");
    assertEquals("/b/k/1", bare.path());
  }

  @Test
  void partialSet_orMissingEndpoint_isProtocol_withoutTheValues() throws Exception {
    DriveException partial = assertThrows(DriveException.class,
        () -> Pan123StsTransfer.Grant.of(reply("h", "id", "", "TOKEN-x"), "t"));
    assertEquals(ErrorKind.PROTOCOL, partial.kind());
    assertFalse(partial.toString().contains("TOKEN-x"));
    assertEquals(ErrorKind.PROTOCOL, assertThrows(DriveException.class,
        () -> Pan123StsTransfer.Grant.of(reply("", "id", "sec", "tok"), "t")).kind());
    assertEquals(ErrorKind.PROTOCOL, assertThrows(DriveException.class,
        () -> Pan123StsTransfer.Grant.of(reply("ftp://h", "id", "sec", "tok"), "t")).kind());
  }

  @Test
  void toString_showsNoCredential() throws Exception {
    String s = Pan123StsTransfer.Grant.of(reply("h", "ID-x", "SECRET-x", "TOKEN-x"), "t").toString();
    assertFalse(s.contains("ID-x") || s.contains("SECRET-x") || s.contains("TOKEN-x"), s);
  }
}
