package io.github.pan4j.driver.common123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The six worked examples of docs/protocol/123web.md §3.2, reproduced exactly. */
class WebSignerTest {

  @ParameterizedTest(name = "vector {0}")
  @CsvSource({
      "1, /b/api/file/list/new, 1767196800, 1234567, 2543441651=1767196800-1234567-3144878440",
      "2, /b/api/user/info, 1700000000, 5000000, 883022862=1700000000-5000000-1141473329",
      "3, /b/api/share/get, 1735689600, 0, 3628102967=1735689600-0-1615469430",
      "4, /b/api/file/download_info, 1735660799, 10000000, 3010121711=1735660799-10000000-3216294468",
      "5, /b/api/share/download/info, 1767196800, 1234567, 2543441651=1767196800-1234567-1817223802",
      "6, /b/api/user/info, 1722610122, 3353889, 3824721099=1722610122-3353889-561849129",
  })
  void sign_publishedVectors_matchExactly(int vector, String path, long ts, long random, String expected) {
    WebSigner.Signature s = WebSigner.sign(path, Instant.ofEpochSecond(ts), random);
    assertEquals(expected, s.queryParameter(), "vector " + vector);
  }

  @Test
  void sign_randomVariant_hasThreeDecimalPartsAndStableName() {
    Instant t = Instant.ofEpochSecond(1767196800);
    WebSigner.Signature s = WebSigner.sign("/b/api/file/list/new", t);
    assertEquals("2543441651", s.name());
    String[] parts = s.value().split("-");
    assertEquals(3, parts.length);
    assertEquals("1767196800", parts[0]);
    long r = Long.parseLong(parts[1]);
    assertTrue(r >= 0 && r <= WebSigner.MAX_RANDOM);
    assertEquals(WebSigner.sign("/b/api/file/list/new", t, r), s);
  }

  @Test
  void sign_relativePath_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> WebSigner.sign("b/api/x", Instant.EPOCH, 1));
  }
}
