package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import okhttp3.HttpUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The six vectors of docs/protocol/123web.md §3.2, and tampering of each part. */
class WebSignatureTest {

  @ParameterizedTest
  @CsvSource({
      "/b/api/file/list/new, 1767196800, 1234567, 2543441651, 3144878440",
      "/b/api/user/info, 1700000000, 5000000, 883022862, 1141473329",
      "/b/api/share/get, 1735689600, 0, 3628102967, 1615469430",
      "/b/api/file/download_info, 1735660799, 10000000, 3010121711, 3216294468",
      "/b/api/share/download/info, 1767196800, 1234567, 2543441651, 1817223802",
      "/b/api/user/info, 1722610122, 3353889, 3824721099, 561849129"})
  void vectors_signAndVerify(String path, long ts, long r, String k, String v) {
    assertEquals(k, WebSignature.minuteKey(ts));
    assertEquals(java.util.List.of(k, ts + "-" + r + "-" + v), WebSignature.sign(path, ts, r));
    HttpUrl url = HttpUrl.get("https://yun.123pan.com" + path + "?" + k + "=" + ts + "-" + r + "-" + v + "&driveId=0");
    assertEquals(WebSignature.Outcome.VALID, WebSignature.verify(url, path, Instant.ofEpochSecond(ts), Duration.ofMinutes(20)));
  }

  @Test
  void vector6_isTheRealAlistUrl() {
    HttpUrl real = HttpUrl.get("https://www.123pan.com/b/api/user/info?3824721099=1722610122-3353889-561849129");
    assertEquals(WebSignature.Outcome.VALID, WebSignature.verify(real, "/b/api/user/info", Instant.ofEpochSecond(1722610122), null));
  }

  @Test
  void tampered_isInvalid() {
    Instant at = Instant.ofEpochSecond(1767196800);
    String p = "/b/api/file/list/new";
    assertEquals(WebSignature.Outcome.INVALID, verify(p, "2543441651=1767196800-1234567-3144878441", at)); // V
    assertEquals(WebSignature.Outcome.INVALID, verify(p, "2543441651=1767196800-1234568-3144878440", at)); // r
    assertEquals(WebSignature.Outcome.INVALID, verify(p, "2543441652=1767196800-1234567-3144878440", at)); // name
    assertEquals(WebSignature.Outcome.INVALID, verify("/b/api/user/info", "2543441651=1767196800-1234567-3144878440", at)); // path
    assertEquals(WebSignature.Outcome.INVALID, verify(p, "2543441651=1767196800-1234567", at)); // two parts
    assertEquals(WebSignature.Outcome.INVALID, verify(p, "2543441651=1767196800-1234567-3144878440&42=1-2-3", at)); // two names
    assertEquals(WebSignature.Outcome.ABSENT, verify(p, "driveId=0", at));
  }

  @Test
  void freshness_twentyMinutes() {
    String q = "2543441651=1767196800-1234567-3144878440";
    String p = "/b/api/file/list/new";
    assertEquals(WebSignature.Outcome.VALID, verify(p, q, Instant.ofEpochSecond(1767196800 + 1200)));
    assertEquals(WebSignature.Outcome.STALE, verify(p, q, Instant.ofEpochSecond(1767196800 + 1201)));
    assertEquals(WebSignature.Outcome.STALE, verify(p, q, Instant.ofEpochSecond(1767196800 - 1201)));
  }

  private static WebSignature.Outcome verify(String path, String query, Instant now) {
    return WebSignature.verify(HttpUrl.get("http://x" + path + "?" + query), path, now, Duration.ofMinutes(20));
  }
}
