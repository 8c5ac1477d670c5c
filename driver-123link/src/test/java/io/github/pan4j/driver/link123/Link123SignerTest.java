package io.github.pan4j.driver.link123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.config.Secret;
import io.github.pan4j.driver.common123.AuthKeySigner;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The auth_key vectors of docs/protocol/123web.md §8.4, reproduced through the public signer. */
class Link123SignerTest {
  private static final Secret MYKEY = Secret.of("mykey");

  @Test
  void sign_vectorA_matches() {
    assertEquals("https://vip.123pan.cn/1812345678/test/video.mp4"
            + "?auth_key=1700001800-123456-1812345678-e9eba91864dd4818c3e2ed94e25fc993",
        AuthKeySigner.sign("https://vip.123pan.cn/1812345678/test/video.mp4", MYKEY, 1812345678L,
            Instant.ofEpochSecond(1700000000).plusSeconds(30 * 60), 123456L));
  }

  @Test
  void sign_vectorB_hashesDecodedPath() {
    String signed = AuthKeySigner.sign("http://vip.123pan.com/10/layout1/layout2/%E6%88%91.txt", MYKEY, 10L,
        Instant.ofEpochSecond(1700000900), "0123456789abcdef0123456789abcdef");
    assertEquals("http://vip.123pan.com/10/layout1/layout2/%E6%88%91.txt"
        + "?auth_key=1700000900-0123456789abcdef0123456789abcdef-10-13d9ddb2ddd9726d0e07fc1ba854badd", signed);
  }

  @Test
  void sign_vectorBNegative_encodedPathDigestDiffersAndIsNotProduced() {
    String encoded = AuthKeySigner.digest("/10/layout1/layout2/%E6%88%91.txt", 1700000900,
        "0123456789abcdef0123456789abcdef", 10, "mykey");
    assertEquals("ec8c3cda0bbe6b56474a3a0f675fb0ca", encoded);
    String signed = AuthKeySigner.sign("http://vip.123pan.com/10/layout1/layout2/%E6%88%91.txt", MYKEY, 10L,
        Instant.ofEpochSecond(1700000900), "0123456789abcdef0123456789abcdef");
    assertFalse(signed.contains(encoded));
  }

  @Test
  void sign_vectorC_keepsQuerySortedByName() {
    assertEquals("https://vip.123pan.cn/1812345678/dir/a%20b.txt"
            + "?a=2&auth_key=1735691400-42-1812345678-05b93e7fc6775c1fa0e7e13d887b0cca&x=1",
        AuthKeySigner.sign("https://vip.123pan.cn/1812345678/dir/a%20b.txt?x=1&a=2", Secret.of("secretKey123"),
            1812345678L, Instant.ofEpochSecond(1735691400), 42L));
  }

  @Test
  void sign_vectorD_largeGoStyleNonce() {
    assertEquals("https://vip.123pan.cn/1812345678/movies/Big%20Buck%20Bunny.mp4"
            + "?auth_key=1735691400-5577006791947779410-1812345678-4a1e555b2a2d898b394472ac79370343",
        AuthKeySigner.sign("https://vip.123pan.cn/1812345678/movies/Big%20Buck%20Bunny.mp4", MYKEY, 1812345678L,
            Instant.ofEpochSecond(1735691400), 5577006791947779410L));
  }

  @Test
  void sign_subSecondExpiry_isTruncated() {
    assertEquals(AuthKeySigner.sign("https://h/1/a.txt", MYKEY, 1, Instant.ofEpochSecond(100), 7L),
        AuthKeySigner.sign("https://h/1/a.txt", MYKEY, 1, Instant.ofEpochSecond(100, 999_000_000), 7L));
  }

  @Test
  void sign_randomNonce_isNonNegativeDecimalAndFresh() {
    Pattern p = Pattern.compile("auth_key=1700001800-(\\d+)-1812345678-[0-9a-f]{32}$");
    String one = AuthKeySigner.sign("https://vip.123pan.cn/1812345678/a.txt", MYKEY, 1812345678L,
        Instant.ofEpochSecond(1700001800));
    String two = AuthKeySigner.sign("https://vip.123pan.cn/1812345678/a.txt", MYKEY, 1812345678L,
        Instant.ofEpochSecond(1700001800));
    Matcher m = p.matcher(one);
    assertTrue(m.find(), one);
    assertTrue(Long.parseLong(m.group(1)) >= 0);
    assertNotEquals(one, two);
  }

  @Test
  void sign_badArguments_areRefusedWithoutEchoingTheKey() {
    Instant t = Instant.ofEpochSecond(1);
    assertThrows(IllegalArgumentException.class, () -> AuthKeySigner.sign("https://h/a", MYKEY, 1, t, -1L));
    assertThrows(IllegalArgumentException.class, () -> AuthKeySigner.sign("https://h/a", MYKEY, -1, t, 1L));
    assertThrows(IllegalArgumentException.class, () -> AuthKeySigner.sign("https://h/a", MYKEY, 1, t, "a-b"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AuthKeySigner.sign("https://h/a", Secret.of(""), 1, t, 1L));
    assertEquals("privateKey must not be empty", e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> AuthKeySigner.sign("https://h/a b", MYKEY, 1, t, 1L));
    assertFalse(bad.getMessage().contains("mykey"));
  }
}
