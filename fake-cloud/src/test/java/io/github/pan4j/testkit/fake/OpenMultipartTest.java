package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenMultipartTest {

  /** The straightforward search the fast one must agree with. */
  private static int naive(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  @Test
  void indexOfAgreesWithAPlainScanOnRandomInput() {
    Random r = new Random(12);
    for (int round = 0; round < 2000; round++) {
      byte[] needle = new byte[1 + r.nextInt(12)];
      // A small alphabet makes near-misses and overlapping partial matches common.
      for (int i = 0; i < needle.length; i++) needle[i] = (byte) ('a' + r.nextInt(3));
      byte[] hay = new byte[r.nextInt(200)];
      for (int i = 0; i < hay.length; i++) hay[i] = (byte) ('a' + r.nextInt(3));
      if (hay.length > needle.length && r.nextBoolean()) {
        System.arraycopy(needle, 0, hay, r.nextInt(hay.length - needle.length), needle.length);
      }
      int from = r.nextInt(hay.length + 2) - 1;
      assertEquals(naive(hay, needle, from), OpenMultipart.indexOf(hay, needle, from),
          () -> new String(hay, StandardCharsets.ISO_8859_1) + " / " + new String(needle, StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void indexOfFindsTheNeedleAtTheVeryEndAndNotPastIt() {
    byte[] hay = "xxxxab".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(4, OpenMultipart.indexOf(hay, "ab".getBytes(StandardCharsets.ISO_8859_1), 0));
    assertEquals(-1, OpenMultipart.indexOf(hay, "abc".getBytes(StandardCharsets.ISO_8859_1), 0));
    assertEquals(-1, OpenMultipart.indexOf(hay, "ab".getBytes(StandardCharsets.ISO_8859_1), 5));
  }

  @Test
  void aSliceContainingBoundaryLookalikesIsCutAtTheRealBoundaryOnly() throws Exception {
    String boundary = "b0undary-123";
    byte[] data = new byte[100_000];
    new Random(3).nextBytes(data);
    // Almost the delimiter, inside the data: CRLF--b0undary-12 followed by something else.
    byte[] near = ("\r\n--" + boundary.substring(0, boundary.length() - 1) + "X").getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(near, 0, data, 5000, near.length);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"sliceNo\"\r\n\r\n7\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"slice\"; filename=\"s.part\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    body.write(data);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    Map<String, OpenMultipart.Part> parts = OpenMultipart.parse("multipart/form-data; boundary=" + boundary, body.toByteArray());
    assertNotNull(parts);
    assertEquals("7", parts.get("sliceNo").text());
    OpenMultipart.Part slice = parts.get("slice");
    assertEquals("s.part", slice.filename());
    assertArrayEquals(data, Arrays.copyOfRange(slice.buf(), slice.offset(), slice.offset() + slice.length()));
  }

  @Test
  void aBodyWithoutItsClosingBoundaryIsRefused() {
    byte[] body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".getBytes(StandardCharsets.ISO_8859_1);
    assertNull(OpenMultipart.parse("multipart/form-data; boundary=b", body));
  }

  @Test
  void dispositionParametersMayBeTokensOrQuotedStringsWithEscapes() {
    assertEquals(Map.of("name", "slice", "filename", "a \"b\".bin"),
        OpenMultipart.disposition("Content-Disposition: form-data; name=slice; filename=\"a \\\"b\\\".bin\""));
    assertEquals(Map.of("name", "x;y", "filename*", "UTF-8''%E4%B8%AD.bin"),
        OpenMultipart.disposition("content-disposition: form-data;name=\"x;y\" ;  FILENAME*=UTF-8''%E4%B8%AD.bin"));
    assertEquals("中.bin", OpenMultipart.filename("Content-Disposition: form-data; name=f; filename*=UTF-8''%E4%B8%AD.bin"));
    assertNull(OpenMultipart.filename("Content-Disposition: form-data; name=sliceNo"));
  }

  /** What Go's Part.FileName gives, which its form reader uses to tell a file from a text field. */
  @Test
  void fileNames_asGoReadsThem_firstDispositionLine_extendedNameFirst_emptyIsNoFile() {
    assertEquals("a.bin", OpenMultipart.filename(
        "Content-Disposition: form-data; name=f; filename=\"a.bin\"\r\nContent-Disposition: form-data; name=g; filename=\"b.bin\"\r\n"),
        "the first Content-Disposition line counts (Header.Get)");
    assertEquals("form-data", OpenMultipart.dispositionType(
        "Content-Disposition: form-data; name=f\r\nContent-Disposition: attachment\r\n"));
    assertNull(OpenMultipart.filename("Content-Disposition: form-data; name=slice; filename=\"\""), "an empty name is a text field");
    assertEquals("中.bin", OpenMultipart.filename(
        "Content-Disposition: form-data; name=f; filename=\"plain.bin\"; filename*=utf-8''%E4%B8%AD.bin"), "filename* wins");
    assertEquals("plain.bin", OpenMultipart.filename(
        "Content-Disposition: form-data; name=f; filename=\"plain.bin\"; filename*=iso-8859-1''%E9.bin"), "only UTF-8 and US-ASCII are decoded");
    assertNull(OpenMultipart.filename("Content-Disposition: form-data; name=f; filename*=''a.bin"), "no charset: ignored");
    Map<String, OpenMultipart.Part> parts = parse("--b\r\nContent-Disposition: form-data; name=\"slice\"; filename=\"\"\r\n\r\nbytes\r\n--b--\r\n");
    assertNull(parts.get("slice").filename(), "so the slice endpoint finds no file in it");
  }

  private static Map<String, OpenMultipart.Part> parse(String body) {
    return OpenMultipart.parse("multipart/form-data; boundary=b", body.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Map<String, String> texts(Map<String, OpenMultipart.Part> parts) {
    Map<String, String> t = new java.util.LinkedHashMap<>();
    parts.forEach((k, v) -> t.put(k, v.text()));
    return t;
  }

  @Test
  void partsWithoutAFormName_areSkipped_asGosReadFormSkipsThem() {
    String body = "--b\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n"
        + "--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n"
        + "--b\r\nContent-Disposition: form-data; name=\"\"; filename=\"e.bin\"\r\n\r\nempty name\r\n"
        + "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nnot form-data\r\n"
        + "--b\r\nContent-Disposition: FORM-DATA; name=\"a\"\r\n\r\n1\r\n"
        + "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\nfile\r\n--b--\r\n";
    Map<String, OpenMultipart.Part> parts = parse(body);
    assertNotNull(parts);
    assertEquals(Map.of("a", "1", "f", "file"), texts(parts));
    assertEquals("f.bin", parts.get("f").filename());
    byte[] raw = body.getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(body.indexOf("file\r\n"), OpenMultipart.fileContentStart("b", raw, raw.length), "the first named file part");
  }

  @Test
  void aNamelessPart_isStillFramedAndItsHeadersChecked() {
    assertNull(parse("--b\r\nnot a header line\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"));
    assertNull(parse("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\nContent-Type: text/plain\r\n\r\nunclosed"));
    assertNull(parse("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b junk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"));
  }

  @Test
  void moreThanAThousandParts_areRefused_asGoRefusesThem_namelessOnesCounted() {
    String head = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
    String nameless = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n";
    assertNotNull(parse(head + nameless.repeat(OpenMultipart.MAX_PARTS - 1) + "--b--\r\n"));
    assertNull(parse(head + nameless.repeat(OpenMultipart.MAX_PARTS) + "--b--\r\n"));
  }

  @Test
  void aDelimiterRightAfterTheHeaders_endsAnEmptyPart_asInGo() {
    String a = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n";
    String c = "Content-Disposition: form-data; name=\"c\"\r\n\r\nv\r\n--b--\r\n";
    assertEquals(Map.of("a", "", "c", "v"), texts(parse(a + "--b\r\n" + c)));
    assertEquals(Map.of("a", "", "c", "v"), texts(parse(a + "--b \t\r\n" + c)), "blanks after the boundary");
    assertEquals(Map.of("a", ""), texts(parse(a + "--b--\r\n")), "the closing delimiter");
    assertEquals(Map.of("a", ""), texts(parse(a + "--b--")), "the closing delimiter at the end of the body");
    assertEquals(Map.of("a", "", "c", "v"), texts(parse((a + "--b\r\n" + c).replace("\r\n", "\n"))), "LF-only lines");
    // Not a delimiter: the boundary followed by another character is content.
    assertEquals(Map.of("a", "--bX", "c", "v"), texts(parse(a + "--bX\r\n--b\r\n" + c)));
    assertEquals(Map.of("a", "--b-x"), texts(parse(a + "--b-x\r\n--b--\r\n")));
    // A delimiter by its first character, but not a delimiter line: Go refuses the body.
    assertNull(parse(a + "--b junk\r\n" + c));
    assertNull(parse(a + "--b\n" + c), "a bare LF in a CRLF body");
    assertNull(parse(a + "--b\rx\r\n" + c));
    assertNull(parse(a + "--b"), "the body ends after the boundary");
    assertNull(parse(a + "--b--junk\r\n"));
  }
}
