package io.github.pan4j.testkit.fake;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import mockwebserver3.MockResponse;

/**
 * The one form of an S3 error reply, for every object storage the fake plays (the open platform's
 * presigned part URLs, the web API's presigned parts, the STS storage server): as S3 writes it, an
 * XML {@code <Error>} with {@code Code}, {@code Message}, {@code Resource} (the request's path),
 * {@code RequestId} and {@code HostId}, the last two also in the {@code x-amz-request-id} and
 * {@code x-amz-id-2} headers. Texts are XML-escaped.
 */
final class S3Errors {
  private static final SecureRandom RANDOM = new SecureRandom();

  private S3Errors() {}

  /** An S3 error reply for the request at {@code resource} (its path as sent). */
  static MockResponse reply(int status, String code, String message, String resource) {
    String requestId = WebFrontDoor.hex(8).toUpperCase(Locale.ROOT);
    byte[] host = new byte[48];
    RANDOM.nextBytes(host);
    String hostId = Base64.getEncoder().encodeToString(host);
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + escape(code) + "</Code><Message>"
        + escape(message) + "</Message><Resource>" + escape(resource) + "</Resource><RequestId>" + requestId
        + "</RequestId><HostId>" + hostId + "</HostId></Error>";
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/xml")
        .setHeader("x-amz-request-id", requestId).setHeader("x-amz-id-2", hostId).body(xml).build();
  }

  /** {@code s} as XML text: {@code & < > "} escaped. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
