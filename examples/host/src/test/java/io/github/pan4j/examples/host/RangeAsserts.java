package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.Arrays;

/** Assertions on the host's answers to Range requests (downloads, the signed route, WebDAV GET). */
final class RangeAsserts {
  private RangeAsserts() {}

  /**
   * {@code r} is a 206 carrying bytes {@code first} to {@code last} (inclusive) of {@code whole},
   * and its Content-Range says so; {@code why} explains a failing status.
   */
  static void assertPart(HttpResponse<byte[]> r, byte[] whole, int first, int last, String why) {
    assertEquals(206, r.statusCode(), why);
    assertEquals("bytes " + first + "-" + last + "/" + whole.length, r.headers().firstValue("Content-Range").orElse(null));
    assertArrayEquals(Arrays.copyOfRange(whole, first, last + 1), r.body(), "bytes " + first + "-" + last);
  }

  static void assertPart(HttpResponse<byte[]> r, byte[] whole, int first, int last) {
    assertPart(r, whole, first, last, "a partial answer to a satisfiable Range");
  }
}
