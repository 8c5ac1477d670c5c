package io.github.pan4j.driver.common123.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.http.Redactor;
import io.github.pan4j.core.spi.http.ApiResponse;
import io.github.pan4j.core.spi.http.RequestContent;
import java.io.IOException;

/** JSON in and out of the 123 APIs, for the envelope decoders of the 123 drivers. Not public API. */
public final class JsonReplies {
  private JsonReplies() {}

  /**
   * Parses a reply as JSON. HTML or garbage with a 5xx status is an outage page (of 123 or a
   * gateway before it): PROVIDER_ERROR, retryable. An HTML page with another status (a proxy's or
   * a network's sign-in page answering in 123's place, often with 200) is a PROTOCOL error, not
   * retried, that says so; so is another body with a 4xx status (a refusal by something in front
   * of 123, which refuses in JSON); anything else that is not JSON is a PROTOCOL error, not
   * retried, whose message says what to do.
   */
  public static JsonNode parse(ObjectMapper mapper, ApiResponse response, String what) {
    if (!response.looksLikeHtml()) {
      try {
        JsonNode node = mapper.readTree(response.body());
        if (node != null && !node.isMissingNode()) return node;
      } catch (IOException e) {
        // fall through to the protocol error below
      }
    }
    if (response.status() >= 500) {
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR, what + " answered HTTP " + response.status()
              + " with an error page instead of an API reply: 123 (or a gateway before it) is having trouble; retry later")
          .providerCode(response.status()).providerMessage(snippet(response)).retryable(true).build();
    }
    if (response.looksLikeHtml()) {
      // A web page with any other status: not 123's API (which answers JSON, errors included)
      // but whatever stands between this machine and it, or an address that is not the API.
      throw DriveException.builder(ErrorKind.PROTOCOL, what + " answered HTTP " + response.status()
              + " with an HTML page instead of an API reply: " + snippet(response) + " (something between this"
              + " machine and 123 answered in its place, such as a proxy, a firewall or the sign-in page of a"
              + " hotel or office network, or the configured address is not 123's API); open the address in a"
              + " browser or check the network and the configured address, then retry")
          .providerCode(response.status()).retryable(false).build();
    }
    if (response.status() >= 400) {
      // A refusal that is not 123's (which refuses in JSON, with its code): whatever stands in
      // front of it (a gateway, a proxy, a firewall) turned the request away.
      throw DriveException.builder(ErrorKind.PROTOCOL, what + " answered HTTP " + response.status()
              + " with a body that is not an API reply: " + snippet(response) + " (something between this machine"
              + " and 123, such as a gateway, a proxy or a firewall, refused the request in 123's place, or the"
              + " configured address is not 123's API); check the network and the configured address, then retry")
          .providerCode(response.status()).retryable(false).build();
    }
    throw DriveException.builder(ErrorKind.PROTOCOL,
            what + " answered HTTP " + response.status() + " with a body that is not JSON: " + snippet(response)
                + " (the reply was cut off on its way, or the server is not the API the driver expects); try again,"
                + " and if it keeps happening check the configured address or report it")
        .retryable(false)
        .build();
  }

  /**
   * The start of a reply for a message, with the values of credential fields masked (the names
   * {@link Redactor} takes as secret): a token call's reply cut off on its way is not JSON, and
   * its first bytes are the token (or a renewal's new single-use refresh token).
   */
  static String snippet(ApiResponse response) {
    return Redactor.json(response.snippet(120));
  }

  /** {@code body} encoded as a JSON request body. */
  public static RequestContent body(ObjectMapper mapper, Object body) {
    try {
      return RequestContent.json(mapper.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("request body is not serialisable", e);
    }
  }
}
