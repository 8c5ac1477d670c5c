package io.github.pan4j.driver.common123.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.core.spi.http.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRepliesTest {
  private static ApiResponse reply(int status, String type, String body) {
    return new ApiResponse(status, Map.of("Content-Type", List.of(type)), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void json_isParsed() {
    assertEquals(1, JsonReplies.parse(Json.mapper(), reply(200, "application/json", "{\"code\":0,\"data\":{\"uid\":1}}"),
        "user/info").path("data").path("uid").asInt());
  }

  @Test
  void htmlGatewayPage_isARetryableOutage_notAProtocolError() {
    DriveException e = assertThrows(DriveException.class, () -> JsonReplies.parse(Json.mapper(),
        reply(502, "text/html", "<html><body>502 Bad Gateway</body></html>"), "user/info"));
    assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
    assertTrue(e.retryable());
    assertEquals("502", e.providerCode().orElseThrow());
    assertTrue(e.getMessage().contains("HTTP 502 with an error page instead of an API reply"), e.getMessage());
    assertTrue(e.getMessage().contains("retry later"), e.getMessage());
  }

  @Test
  void malformedJsonWith200_isNonRetryableProtocolError() {
    DriveException e = assertThrows(DriveException.class, () -> JsonReplies.parse(Json.mapper(),
        reply(200, "application/json", "{\"code\":0,\"data\":{\"fil"), "list"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertFalse(e.retryable());
  }
}
