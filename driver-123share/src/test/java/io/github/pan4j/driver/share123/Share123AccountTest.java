package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code account} option: a share borrows the session of a {@code 123pan} mount that uses the
 * same token store, for files the share serves only to signed-in users. Over HTTP against the fake.
 */
class Share123AccountTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new, ShareFrontDoor::new).driver("123share");

  private final byte[] content = "0123456789".getBytes();

  /** A 123pan mount of the demo account on the same context (token store) as the share mounts. */
  private Driver panMount(Map<String, String> extra) {
    FakeCloud c = fake.cloud();
    Map<String, String> o = new HashMap<>();
    o.put("username", WebFrontDoor.DEMO_PHONE);
    o.put("password", WebFrontDoor.DEMO_PASSWORD);
    o.put("apiBaseUrl", c.baseUrl("web"));
    o.put("loginBaseUrl", c.baseUrl("login"));
    o.putAll(extra);
    return Drives.create().provider("123pan").openWith(o, fake.context());
  }

  private Map<String, String> withAccount(String account) {
    Map<String, String> o = fake.options();
    o.put("account", account);
    return o;
  }

  @Test
  void namedAccount_usesThe123panSession_forALoginOnlyDownload() throws Exception {
    fake.shares().loginThreshold(4); // this file needs a signed-in caller (protocol: large files)
    fake.file("", "big.bin", content);
    try (Driver pan = panMount(Map.of())) {
      pan.list("0", null); // signs in; the session is published in the token store
      try (Driver share = fake.open(withAccount(WebFrontDoor.DEMO_PHONE))) {
        Entry big = share.list("0", null).entries().get(0);
        Link link = share.link(big.id());
        try (Link.Content c = link.open()) {
          assertArrayEquals(content, c.body().readAllBytes());
        }
        String bearer = fake.cloud().requests("web", "/b/api/share/download/info").get(0).header("Authorization");
        assertEquals("Bearer " + fake.web().liveTokens().get(0), bearer);
        assertTrue(share.toString().contains("account=" + WebFrontDoor.DEMO_PHONE));
      }
    }
    assertEquals(1, fake.web().loginCount(), "the share never signs in itself");
  }

  @Test
  void accountWithoutSession_isUnauthenticated_sayingWhichAccount() {
    fake.shares().loginThreshold(4);
    fake.file("", "big.bin", content);
    try (Driver share = fake.open(withAccount("nobody@example.com"))) {
      Entry big = share.list("0", null).entries().get(0); // listing works anonymously
      DriveException e = assertThrows(DriveException.class, () -> share.link(big.id()));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      assertEquals("5112", e.providerCode().orElseThrow());
      assertTrue(e.getMessage().contains("'nobody@example.com'"), e.getMessage());
      assertTrue(e.getMessage().contains("123pan mount"), e.getMessage());
    }
    assertEquals(0, fake.web().loginAttempts());
  }

  @Test
  void revokedSession_thenRenewedBy123pan_isPickedUp() throws Exception {
    fake.shares().loginThreshold(4);
    fake.file("", "big.bin", content);
    try (Driver pan = panMount(Map.of()); Driver share = fake.open(withAccount(WebFrontDoor.DEMO_PHONE))) {
      pan.list("0", null);
      Entry big = share.list("0", null).entries().get(0);
      share.link(big.id());
      fake.web().expireAllTokens();
      DriveException e = assertThrows(DriveException.class, () -> share.link(big.id()));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      for (String t : fake.web().liveTokens()) assertFalse(e.getMessage().contains(t));
      pan.list("0", null); // the 123pan mount signs in again and republishes
      try (Link.Content c = share.link(big.id()).open()) {
        assertArrayEquals(content, c.body().readAllBytes());
      }
    }
    assertEquals(2, fake.web().loginCount());
  }

  @Test
  void pastedTokenMount_publishesUnderItsUserName() throws Exception {
    fake.shares().loginThreshold(4);
    fake.file("", "big.bin", content);
    String token = fake.web().browserToken(fake.demo());
    Map<String, String> pasted = new HashMap<>();
    pasted.put("password", "");
    pasted.put("accessToken", token);
    try (Driver pan = panMount(pasted); Driver share = fake.open(withAccount(WebFrontDoor.DEMO_PHONE))) {
      pan.list("0", null);
      Entry big = share.list("0", null).entries().get(0);
      try (Link.Content c = share.link(big.id()).open()) {
        assertArrayEquals(content, c.body().readAllBytes());
      }
    }
    assertEquals(0, fake.web().loginAttempts());
  }

  @Test
  void accountAndAccessToken_together_isConfigInvalid() {
    Map<String, String> o = withAccount(WebFrontDoor.DEMO_PHONE);
    o.put("accessToken", "some-token-value");
    DriveException e = assertThrows(DriveException.class, () -> fake.open(o));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
    assertFalse(e.getMessage().contains("some-token-value"));
  }
}
