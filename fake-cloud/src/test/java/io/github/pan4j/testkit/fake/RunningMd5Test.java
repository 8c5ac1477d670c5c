package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The digest the fake runs while a body arrives: whatever the layout of the body and however the
 * socket cuts it, it either gives exactly the MD5 a fresh pass over the handler's range gives, or
 * nothing (and the handler hashes afresh). It gives it for the layouts uploads use.
 */
class RunningMd5Test {
  private static final String TYPE = "multipart/form-data; boundary=b0und4ry";

  /** A multipart body: {@code fields} are (name, value, filename or null) in order. */
  private static byte[] multipart(String boundary, String preamble, List<String[]> fields, byte[] fileBytes,
      String epilogue) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
    for (String[] f : fields) {
      String disposition = "Content-Disposition: form-data; name=\"" + f[0] + "\""
          + (f[2] == null ? "" : "; filename=\"" + f[2] + "\"");
      String type = f[2] == null ? "" : "\r\nContent-Type: application/octet-stream";
      out.writeBytes(("--" + boundary + "\r\n" + disposition + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(f[2] == null ? f[1].getBytes(StandardCharsets.UTF_8) : fileBytes);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes(("--" + boundary + "--\r\n" + epilogue).getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static List<String[]> sliceFields(String fileField) {
    List<String[]> f = new ArrayList<>();
    f.add(new String[] {"preuploadID", "abc123", null});
    f.add(new String[] {"sliceNo", "7", null});
    f.add(new String[] {"sliceMD5", "0123456789abcdef0123456789abcdef", null});
    f.add(new String[] {fileField, null, "f.part7"});
    return f;
  }

  /** The separator and the head of another part: written into a file's bytes, it ends the file part there. */
  private static byte[] innerPart(String boundary) {
    return ("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"inner\"\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Feeds {@code body} as a socket would hand it over: in pieces of random size. */
  private static RunningMd5 feed(String method, String type, byte[] body, Random cuts) {
    RunningMd5 r = RunningMd5.forBody(method, type);
    for (int off = 0; off < body.length; ) {
      off = Math.min(body.length, off + 1 + cuts.nextInt(cuts.nextBoolean() ? 300 : 70_000));
      r.advance(body, off);
    }
    return r;
  }

  @Test
  void aSliceAsClientsSendIt_isHashedAhead_andGivesTheFreshMd5() {
    for (int size : new int[] {0, 1, 5_000, 8_192, 100_000, 1 << 20}) {
      byte[] content = TestBytes.random(size, size);
      byte[] body = multipart("b0und4ry", "", sliceFields("slice"), content, "");
      RunningMd5 r = feed("POST", TYPE, body, new Random(size));
      OpenMultipart.Part part = OpenMultipart.parse(TYPE, body).get("slice");
      assertEquals(part.offset(), r.start(), "hashing began where the slice's bytes begin, size " + size);
      assertEquals(Digests.md5(content), r.md5(body, part.offset(), part.length()), "size " + size);
    }
  }

  @Test
  void anyLayout_anyCuts_givesTheFreshMd5OrNothing() {
    Random rnd = new Random(42);
    int ahead = 0;
    for (int round = 0; round < 400; round++) {
      String boundary = "bnd" + Long.toHexString(rnd.nextLong());
      String type = "multipart/form-data; boundary=" + (rnd.nextBoolean() ? boundary : "\"" + boundary + "\"");
      byte[] content = TestBytes.random(rnd.nextInt(3) == 0 ? rnd.nextInt(100) : rnd.nextInt(200_000), round);
      if (rnd.nextInt(5) == 0 && content.length > 1000) { // the separator inside the file: the part ends there
        byte[] sep = innerPart(boundary);
        System.arraycopy(sep, 0, content, rnd.nextInt(content.length - sep.length), sep.length);
      }
      List<String[]> fields = new ArrayList<>();
      int before = rnd.nextInt(3);
      int after = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0;
      for (int i = 0; i < before; i++) fields.add(new String[] {"a" + i, "v".repeat(rnd.nextInt(50)), null});
      if (rnd.nextInt(10) == 0) fields.add(new String[] {"other", null, "x.bin"}); // another file part first
      fields.add(new String[] {"slice", null, "f.part"});
      for (int i = 0; i < after; i++) fields.add(new String[] {"z" + i, "w".repeat(rnd.nextInt(20_000)), null});
      String preamble = rnd.nextInt(6) == 0 ? "ignored preamble\r\n" : "";
      String epilogue = rnd.nextInt(6) == 0 ? "x".repeat(rnd.nextInt(20_000)) : "";
      byte[] body = multipart(boundary, preamble, fields, content, epilogue);

      RunningMd5 r = feed("POST", type, body, rnd);
      Map<String, OpenMultipart.Part> parts = OpenMultipart.parse(type, body);
      assertNotNull(parts, "round " + round);
      for (OpenMultipart.Part p : parts.values()) {
        String got = r.md5(body, p.offset(), p.length());
        if (got != null) {
          assertEquals(Digests.md5(body, p.offset(), p.length()), got, "round " + round + ", part " + p.name());
          ahead++;
        }
      }
    }
    assertTrue(ahead > 100, "hashed ahead in " + ahead + " of 400 rounds");
  }

  @Test
  void aFilePartFollowedByFields_orTheSeparatorInsideIt_isHashedAfresh() {
    byte[] content = TestBytes.random(100_000, 7);
    List<String[]> fields = new ArrayList<>(List.of(new String[][] {{"slice", null, "f"}}));
    fields.add(new String[] {"sliceNo", "1".repeat(RunningMd5.RESERVE + 10), null}); // longer than the reserve
    byte[] body = multipart("b0und4ry", "", fields, content, "");
    RunningMd5 r = feed("POST", TYPE, body, new Random(1));
    OpenMultipart.Part part = OpenMultipart.parse(TYPE, body).get("slice");
    assertNull(r.md5(body, part.offset(), part.length()), "hashed past the part's end: no answer");

    byte[] withSep = content.clone();
    byte[] inner = innerPart("b0und4ry");
    System.arraycopy(inner, 0, withSep, 50_000, inner.length);
    byte[] body2 = multipart("b0und4ry", "", sliceFields("slice"), withSep, "");
    RunningMd5 r2 = feed("POST", TYPE, body2, new Random(2));
    OpenMultipart.Part cut = OpenMultipart.parse(TYPE, body2).get("slice");
    assertEquals(50_000, cut.length(), "the parser ends the part at the separator");
    assertNull(r2.md5(body2, cut.offset(), cut.length()));
  }

  @Test
  void rawPutBodies_areHashedWhole_jsonAndFormPosts_notAtAll() {
    byte[] body = TestBytes.random(300_000, 3);
    RunningMd5 put = feed("PUT", "application/octet-stream", body, new Random(3));
    assertEquals(Digests.md5(body), put.md5(body, 0, body.length));
    assertNull(put.md5(body, 1, body.length - 1), "another range than the whole body");
    assertEquals(Digests.md5(body), feed("PUT", null, body, new Random(4)).md5(body, 0, body.length));
    assertNull(RunningMd5.forBody("POST", "application/json"));
    assertNull(RunningMd5.forBody("POST", "application/x-www-form-urlencoded"));
    assertNull(RunningMd5.forBody("POST", null));
  }

  @Test
  void multipartWithoutAFile_orNotMultipartAtAll_isNotHashed() {
    List<String[]> textOnly = List.of(new String[] {"a", "1", null}, new String[] {"b", "2", null});
    byte[] body = multipart("b0und4ry", "", textOnly, new byte[0], "");
    RunningMd5 r = feed("POST", TYPE, body, new Random(5));
    assertEquals(-1, r.start());

    byte[] notMultipart = TestBytes.random(RunningMd5.SEARCH_LIMIT + 1000, 6); // no delimiter anywhere
    RunningMd5 r2 = feed("POST", TYPE, notMultipart, new Random(6));
    assertEquals(-1, r2.start(), "gave up after " + RunningMd5.SEARCH_LIMIT + " bytes without a file part");
    assertNull(r2.md5(notMultipart, 0, notMultipart.length));
  }

  @Test
  void lfOnlyBodies_emptyAndNamelessPartsFirst_areHashedAhead_asTheParserReadsThem() {
    byte[] content = TestBytes.random(300_000, 9);
    String plain = "--b0und4ry\r\nContent-Disposition: form-data; name=\"sliceNo\"\r\n\r\n7\r\n";
    String odd = "--b0und4ry\r\nContent-Type: text/plain\r\n\r\nno name\r\n" // skipped by the parser
        + "--b0und4ry\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n"; // empty, no line end before the delimiter
    String file = "--b0und4ry\r\nContent-Disposition: form-data; name=\"slice\"; filename=\"s\"\r\n\r\n";
    String[][] layouts = {{plain, "\n"}, {odd, "\r\n"}, {odd, "\n"}};
    for (String[] l : layouts) {
      String nl = l[1];
      String what = (l[0] == plain ? "plain" : "nameless and empty parts") + ", line ends " + nl.length();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes((l[0] + file).replace("\r\n", nl).getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(content);
      out.writeBytes((nl + "--b0und4ry--" + nl).getBytes(StandardCharsets.ISO_8859_1));
      byte[] body = out.toByteArray();
      RunningMd5 r = feed("POST", TYPE, body, new Random(nl.length()));
      OpenMultipart.Part part = OpenMultipart.parse(TYPE, body).get("slice");
      assertEquals(part.offset(), r.start(), what);
      assertEquals(Digests.md5(content), r.md5(body, part.offset(), part.length()), "hashed ahead, " + what);
    }
  }
}
