package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ShareExpiry, ShareOptions and ShareLink: validation with advice, and codes kept out of toString. */
class ShareTypesTest {
  private static final Instant T = Instant.parse("2026-03-01T04:00:00Z");

  @Test
  void expiry_onlyTheFourLifetimes() {
    assertEquals(ShareExpiry.PERMANENT, ShareExpiry.ofDays(0));
    assertEquals(ShareExpiry.THIRTY_DAYS, ShareExpiry.ofDays(30));
    assertEquals(T.plus(Duration.ofDays(7)), ShareExpiry.SEVEN_DAYS.expiresAt(T).orElseThrow());
    assertTrue(ShareExpiry.PERMANENT.expiresAt(T).isEmpty());
    for (int bad : new int[] {-1, 2, 14, 31, 365}) {
      DriveException e = assertThrows(DriveException.class, () -> ShareExpiry.ofDays(bad));
      assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
      assertTrue(e.getMessage().contains("pick 1, 7, 30 or 0"), e::getMessage);
    }
  }

  @Test
  void options_validateAtOnce_andHideTheCode() {
    ShareOptions o = ShareOptions.DEFAULT.withName("  report  ").withPassword("a1B2").withTrafficLimit(0);
    assertEquals("report", o.name(), "stripped");
    assertTrue(o.hasPassword() && o.hasTrafficSettings());
    assertFalse(o.toString().contains("a1B2"), o::toString);
    assertNull(ShareOptions.DEFAULT.withPassword("").password(), "empty means none");
    for (String bad : new String[] {"a1B", "a1B2c", "a1-2", "ａ1B2"}) {
      assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(DriveException.class, () -> ShareOptions.DEFAULT.withPassword(bad)).kind(), bad);
    }
    assertThrows(DriveException.class, () -> ShareOptions.DEFAULT.withName("   "));
    assertThrows(DriveException.class, () -> ShareOptions.DEFAULT.withName("x".repeat(256)));
    assertThrows(DriveException.class, () -> ShareOptions.DEFAULT.withName("a\nb"));
    assertThrows(DriveException.class, () -> ShareOptions.DEFAULT.withTrafficLimit(-2));
  }

  @Test
  void link_urlWithCode_options_andToString() {
    ShareLink l = new ShareLink("7", "abcDEF-12345", "n", "Zz99", "https://www.123pan.com/s/abcDEF-12345", T);
    assertEquals("https://www.123pan.com/s/abcDEF-12345?pwd=Zz99", l.urlWithPassword());
    assertEquals(Map.of("shareUrl", l.url(), "password", "Zz99"), l.options());
    assertFalse(l.toString().contains("Zz99"), l::toString);
    assertFalse(l.expiredAt(T.minusSeconds(1)));
    assertTrue(l.expiredAt(T));
    ShareLink open = new ShareLink(null, "k", null, "", "https://www.123pan.com/s/k", null);
    assertNull(open.password());
    assertEquals(open.url(), open.urlWithPassword());
    assertEquals(Map.of("shareUrl", open.url()), open.options());
    assertTrue(open.permanent() && !open.expiredAt(T.plus(Duration.ofDays(10_000))));
  }
}
