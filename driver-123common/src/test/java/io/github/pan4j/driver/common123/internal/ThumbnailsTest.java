package io.github.pan4j.driver.common123.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {
  /** The shape 123 hands out (a test fixture of the web client), 24×24. */
  private static final String LISTED = "https://download-cdn.cjjd19.com/123-4/3b2c1d0e/1815181524-0/"
      + "3b2c1d0e43679699096c7606a7f46050/c-m9011_24_24?v=5&t=1700000000&r=AB12&bzc=1&bzs=x&s=abc&bi=1"
      + "&filename=x.mkv&cache_type=1&w=24&h=24&trade_key=123pan-thumbnail&type=video";

  @Test
  void resizesPathSuffixAndQuery_keepsEverythingElse() {
    HttpUrl u = HttpUrl.parse(Thumbnails.sized(LISTED, 2, 70));
    assertEquals("c-m9011_70_70", u.pathSegments().get(u.pathSize() - 1));
    assertEquals(java.util.List.of("70"), u.queryParameterValues("w"), "w replaced, not duplicated");
    assertEquals(java.util.List.of("70"), u.queryParameterValues("h"));
    assertEquals(java.util.List.of("video"), u.queryParameterValues("type"));
    assertEquals(java.util.List.of("123pan-thumbnail"), u.queryParameterValues("trade_key"));
    assertEquals("x.mkv", u.queryParameter("filename"));
    assertEquals("abc", u.queryParameter("s"));
  }

  @Test
  void missingTypeIsTheMediaKind_notTheFileName() {
    String listed = "https://cdn.example/123-4/a/b/c/c-m2_24_24?v=5&filename=.holiday.jpg&w=24&h=24";
    HttpUrl u = HttpUrl.parse(Thumbnails.sized(listed, 3, 96));
    assertEquals("image", u.queryParameter("type"));
    assertEquals("123pan-thumbnail", u.queryParameter("trade_key"));
    assertEquals("c-m2_96_96", u.pathSegments().get(u.pathSize() - 1));
    assertNull(HttpUrl.parse(Thumbnails.sized(listed, 0, 70)).queryParameter("type"), "unknown category: no type");
  }

  @Test
  void anyListedSizeSuffixIsReplaced() {
    HttpUrl u = HttpUrl.parse(Thumbnails.sized("http://h/p/c-m2_120_90?w=120&h=90", 2, 70));
    assertEquals("c-m2_70_70", u.pathSegments().get(1));
  }

  @Test
  void emptyOrNonHttp_isNoThumbnail() {
    assertNull(Thumbnails.sized("", 2, 70));
    assertNull(Thumbnails.sized(null, 2, 70));
    assertNull(Thumbnails.sized("   ", 2, 70));
    assertNull(Thumbnails.sized("javascript:alert(1)", 2, 70));
    assertNull(Thumbnails.sized("ftp://h/x_24_24", 2, 70));
    assertThrows(IllegalArgumentException.class, () -> Thumbnails.sized(LISTED, 2, 0));
  }
}
