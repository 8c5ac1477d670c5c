package io.github.pan4j.driver.common123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The worked vectors A–D of docs/protocol/123web.md §8.4, plus the encoded-path negative check of B. */
class AuthKeySignerTest {

  @Test
  void vectorA_simplePath() {
    assertEquals(
        "https://vip.123pan.cn/1812345678/test/video.mp4?auth_key=1700001800-123456-1812345678-e9eba91864dd4818c3e2ed94e25fc993",
        AuthKeySigner.sign("https://vip.123pan.cn/1812345678/test/video.mp4", "mykey", 1812345678L,
            Instant.ofEpochSecond(1700001800L), "123456"));
  }

  @Test
  void vectorB_percentEncodedPathIsSignedDecoded() {
    assertEquals(
        "http://vip.123pan.com/10/layout1/layout2/%E6%88%91.txt?auth_key=1700000900-0123456789abcdef0123456789abcdef-10-13d9ddb2ddd9726d0e07fc1ba854badd",
        AuthKeySigner.sign("http://vip.123pan.com/10/layout1/layout2/%E6%88%91.txt", "mykey", 10L,
            Instant.ofEpochSecond(1700000900L), "0123456789abcdef0123456789abcdef"));
  }

  @Test
  void vectorB_negative_encodedPathDigestDiffers() {
    String encoded = AuthKeySigner.digest("/10/layout1/layout2/%E6%88%91.txt", 1700000900L,
        "0123456789abcdef0123456789abcdef", 10L, "mykey");
    assertEquals("ec8c3cda0bbe6b56474a3a0f675fb0ca", encoded);
    assertNotEquals("13d9ddb2ddd9726d0e07fc1ba854badd", encoded);
  }

  @Test
  void vectorC_existingQueryIsSortedAroundAuthKey() {
    assertEquals(
        "https://vip.123pan.cn/1812345678/dir/a%20b.txt?a=2&auth_key=1735691400-42-1812345678-05b93e7fc6775c1fa0e7e13d887b0cca&x=1",
        AuthKeySigner.sign("https://vip.123pan.cn/1812345678/dir/a%20b.txt?x=1&a=2", "secretKey123", 1812345678L,
            Instant.ofEpochSecond(1735691400L), "42"));
  }

  @Test
  void vectorD_spacesInPath() {
    String signed = AuthKeySigner.sign("https://vip.123pan.cn/1812345678/movies/Big%20Buck%20Bunny.mp4", "mykey",
        1812345678L, Instant.ofEpochSecond(1735691400L), "5577006791947779410");
    assertTrue(signed.endsWith(
        "/Big%20Buck%20Bunny.mp4?auth_key=1735691400-5577006791947779410-1812345678-4a1e555b2a2d898b394472ac79370343"),
        signed);
  }

  @Test
  void nonceWithHyphen_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> AuthKeySigner.sign("https://x/a", "k", 1, Instant.EPOCH, "a-b"));
  }

  @Test
  void randomNonce_isThirtyTwoHexAndVerifies() {
    String signed = AuthKeySigner.sign("https://cdn.example/1/a.bin", "k", 1, Instant.ofEpochSecond(100));
    String[] parts = signed.substring(signed.indexOf("auth_key=") + 9).split("-");
    assertEquals(4, parts.length);
    assertTrue(parts[1].matches("[0-9a-f]{32}"), parts[1]);
    assertEquals(AuthKeySigner.digest("/1/a.bin", 100, parts[1], 1, "k"), parts[3]);
  }
}
