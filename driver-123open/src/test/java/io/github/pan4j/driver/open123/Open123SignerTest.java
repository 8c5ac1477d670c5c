package io.github.pan4j.driver.open123;

import io.github.pan4j.driver.common123.AuthKeySigner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Open123SignerTest {
  @Test
  void sign_isDeterministic_andMatchesTheDocumentedRule() throws Exception {
    Instant exp = Instant.ofEpochSecond(1_700_000_000L);
    String nonce = "0123456789abcdef0123456789abcdef";
    String signed = AuthKeySigner.sign("https://vip.123pan.cn/1814442530/dir/a.txt", "pk", 1814442530L, exp, nonce);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
        ("/1814442530/dir/a.txt-1700000000-" + nonce + "-1814442530-pk").getBytes(StandardCharsets.UTF_8)));
    assertEquals("https://vip.123pan.cn/1814442530/dir/a.txt?auth_key=1700000000-" + nonce + "-1814442530-" + md5, signed);
    assertEquals(signed, AuthKeySigner.sign("https://vip.123pan.cn/1814442530/dir/a.txt", "pk", 1814442530L, exp, nonce));
  }

  @Test
  void newNonce_is32HexWithoutHyphens() {
    String n = AuthKeySigner.newNonce();
    assertTrue(n.matches("[0-9a-f]{32}"), n);
    assertNotEquals(n, AuthKeySigner.newNonce());
  }
}
