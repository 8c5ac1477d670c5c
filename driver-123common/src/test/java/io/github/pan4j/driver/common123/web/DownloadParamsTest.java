package io.github.pan4j.driver.common123.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The {@code params} hop of the download chain is decoded tolerantly (docs/protocol/123web.md §5.4). */
class DownloadParamsTest {
  // Chosen so that the standard encoding contains '+' and '/' and needs padding.
  private static final String INNER = "https://download-cdn.123pan.cn/123-80/34fa77af/1815181524-0/34fa77af43679699096c7606a7f46050/c-m2?v=5&t=1684830347&filename=a~b>?.txt&auto_redirect=0";

  @Test
  void decodeParams_standardPadded_decodes() {
    String std = Base64.getEncoder().encodeToString(INNER.getBytes(StandardCharsets.UTF_8));
    assertEquals(INNER, DownloadChain.decodeParams(std));
  }

  @Test
  void decodeParams_urlSafeWithoutPadding_decodes() {
    String safe = Base64.getUrlEncoder().withoutPadding().encodeToString(INNER.getBytes(StandardCharsets.UTF_8));
    assertEquals(INNER, DownloadChain.decodeParams(safe));
  }

  @Test
  void decodeParams_plusTurnedIntoSpace_restored() {
    String std = Base64.getEncoder().encodeToString(INNER.getBytes(StandardCharsets.UTF_8));
    org.junit.jupiter.api.Assumptions.assumeTrue(std.contains("+"), "fixture must contain '+'");
    assertEquals(INNER, DownloadChain.decodeParams(std.replace('+', ' ')));
  }

  @Test
  void decodeParams_garbage_isNull() {
    assertNull(DownloadChain.decodeParams("%%%not base64%%%"));
    assertNull(DownloadChain.decodeParams("abcde"));
  }
}
