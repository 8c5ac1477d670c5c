package io.github.pan4j.testkit.fake;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict multipart/form-data parser for the upload host's slice and single-upload requests. */
final class OpenMultipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern FILENAME = Pattern.compile("\\bfilename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

  /**
   * One part: its field name, file name (null for text fields) and its bytes as a range of the
   * request body (not copied, so a 16 MiB slice is held once).
   */
  record Part(String name, String filename, byte[] buf, int offset, int length) {
    String text() {
      return new String(buf, offset, length, StandardCharsets.UTF_8);
    }
  }

  private OpenMultipart() {}

  /** Parts by field name (first wins), or null when the body is not well-formed multipart. */
  static Map<String, Part> parse(String contentType, byte[] body) {
    return parse(contentType, body, body.length);
  }

  /** Parts of the multipart body in {@code body[0, length)}, or null when it is not well-formed. */
  static Map<String, Part> parse(String contentType, byte[] whole, int length) {
    byte[] body = whole;
    if (length < 0 || length > whole.length) throw new IllegalArgumentException("length " + length);
    String boundary = boundary(contentType);
    if (boundary == null) return null;
    byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] sep = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, length, delim, 0);
    if (pos < 0) return null;
    pos += delim.length;
    Map<String, Part> parts = new LinkedHashMap<>();
    while (true) {
      if (pos + 2 <= length && body[pos] == '-' && body[pos + 1] == '-') return parts; // closing delimiter
      if (pos + 2 > length || body[pos] != '\r' || body[pos + 1] != '\n') return null;
      pos += 2;
      int headerEnd = indexOf(body, length, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
      if (headerEnd < 0) return null;
      String headers = new String(body, pos, headerEnd - pos, StandardCharsets.UTF_8);
      int contentStart = headerEnd + 4;
      int next = indexOf(body, length, sep, contentStart);
      if (next < 0) return null;
      String name = disposition(headers, NAME);
      String filename = disposition(headers, FILENAME);
      if (name == null) return null;
      parts.putIfAbsent(name, new Part(name, filename, body, contentStart, next - contentStart));
      pos = next + sep.length;
    }
  }

  /** The boundary of a {@code multipart/form-data} content type, or null for any other type. */
  static String boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) return null;
    Matcher m = BOUNDARY.matcher(contentType);
    return m.find() ? m.group(1) : null;
  }

  /** The file name a part's header block gives in its Content-Disposition, or null (a text field). */
  static String filename(String headers) {
    return disposition(headers, FILENAME);
  }

  /** The first match of {@code p} in the Content-Disposition lines of a header block, or null. */
  private static String disposition(String headers, Pattern p) {
    String found = null;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
        Matcher m = p.matcher(line);
        if (m.find()) found = m.group(1);
      }
    }
    return found;
  }

  /**
   * The first index of {@code needle} in {@code hay} at or after {@code from}, or -1.
   * Boyer-Moore-Horspool: the search for the boundary after a 16 MiB slice is most of what parsing
   * costs, and a byte-by-byte scan of the body took half the fake's CPU time per uploaded GiB
   * (profiled with JFR); this one skips up to the boundary's length per step.
   */
  static int indexOf(byte[] hay, byte[] needle, int from) {
    return indexOf(hay, hay.length, needle, from);
  }

  /** As {@link #indexOf(byte[], byte[], int)} within {@code hay[0, end)}. */
  static int indexOf(byte[] hay, int end, byte[] needle, int from) {
    int n = needle.length;
    int start = Math.max(0, from);
    if (n == 0) return start <= end ? start : -1;
    int[] shift = new int[256];
    java.util.Arrays.fill(shift, n);
    for (int i = 0; i < n - 1; i++) shift[needle[i] & 0xff] = n - 1 - i;
    byte lastOfNeedle = needle[n - 1];
    for (int i = start; i <= end - n; ) {
      byte last = hay[i + n - 1];
      if (last == lastOfNeedle && java.util.Arrays.equals(hay, i, i + n - 1, needle, 0, n - 1)) return i;
      i += shift[last & 0xff];
    }
    return -1;
  }
}
