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

  /**
   * A token reply cut off on its way (or a renewal service's reply that is not JSON) must not put
   * the token in the error message: the value of a credential field is masked, also when its
   * closing quote never came, and the rest of the snippet stays readable.
   */
  @Test
  void cutReplyOfATokenCall_doesNotPutTheTokenInTheMessage() {
    DriveException e = assertThrows(DriveException.class, () -> JsonReplies.parse(Json.mapper(),
        reply(200, "application/json", "{\"refresh_token\":\"R3fr3sh-S3cret\",\"access_token\":\"Acc3ss-S3cret-cut-o"),
        "the token renewal service"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertFalse(e.getMessage().contains("R3fr3sh-S3cret"), e.getMessage());
    assertFalse(e.getMessage().contains("Acc3ss-S3cret"), e.getMessage());
    assertTrue(e.getMessage().contains("\"refresh_token\":\"****\""), e.getMessage());
    DriveException open = assertThrows(DriveException.class, () -> JsonReplies.parse(Json.mapper(),
        reply(200, "application/json", "{\"code\":0,\"message\":\"ok\",\"data\":{\"accessToken\":\"eyJhbGciOiJIUzI1NiJ9.c2VjcmV0"),
        "POST /api/v1/access_token"));
    assertFalse(open.getMessage().contains("c2VjcmV0"), open.getMessage());
    assertTrue(open.getMessage().contains("\"message\":\"ok\""), "the rest stays readable: " + open.getMessage());
  }

  /**
   * An HTML page with a status other than 5xx (a proxy's block page, the sign-in page of a hotel's
   * network, answered with 200 or 403) is no reply cut off on its way: the message says a page
   * answered in 123's place and what to check, and it is not retried.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {200, 403})
  void htmlPageWithAnotherStatus_isSaidToComeFromSomethingInBetween_notRetried(int status) {
    DriveException e = assertThrows(DriveException.class, () -> JsonReplies.parse(Json.mapper(),
        reply(status, "text/html; charset=utf-8", "<html><head><title>Sign in to Hotel WiFi</title></head></html>"), "list"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertFalse(e.retryable());
    assertEquals(String.valueOf(status), e.providerCode().orElseThrow());
    assertTrue(e.getMessage().contains("list answered HTTP " + status + " with an HTML page instead of an API reply"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Sign in to Hotel WiFi"), e.getMessage());
    assertTrue(e.getMessage().contains("proxy") && e.getMessage().contains("check the network and the configured address"),
        e.getMessage());
    assertFalse(e.getMessage().contains("cut off"), e.getMessage());
  }

  /**
   * A 4xx whose body is neither JSON nor a page (an empty body, a gateway's plain "Unauthorized")
   * is a refusal by something in front of 123, not a reply cut off on its way: the message says
   * so and what to check, keeping the status.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "Unauthorized"})
  void plainRefusalWith4xx_isSaidToComeFromSomethingInBetween_notACutReply(String body) {
    DriveException e = assertThrows(DriveException.class, () -> JsonReplies.parse(Json.mapper(),
        reply(401, "text/plain", body), "share/get"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertFalse(e.retryable());
    assertEquals("401", e.providerCode().orElseThrow());
    assertTrue(e.getMessage().contains("share/get answered HTTP 401 with a body that is not an API reply"), e.getMessage());
    assertTrue(e.getMessage().contains("refused the request in 123's place"), e.getMessage());
    assertFalse(e.getMessage().contains("cut off"), e.getMessage());
  }
}
