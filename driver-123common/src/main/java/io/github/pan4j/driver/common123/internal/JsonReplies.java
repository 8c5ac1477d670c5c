package io.github.pan4j.driver.common123.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.http.ApiResponse;
import io.github.pan4j.core.spi.http.RequestContent;
import java.io.IOException;

/** JSON in and out of the 123 APIs, for the envelope decoders of the 123 drivers. Not public API. */
public final class JsonReplies {
  private JsonReplies() {}

  /**
   * Parses a reply as JSON. HTML or garbage is a PROTOCOL error, retryable when the HTTP status
   * was 5xx (a gateway page) and not otherwise.
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
    throw DriveException.builder(ErrorKind.PROTOCOL,
            what + " answered HTTP " + response.status() + " with a body that is not JSON: " + response.snippet(120))
        .retryable(response.status() >= 500)
        .build();
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
