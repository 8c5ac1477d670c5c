package io.github.pan4j.testkit.fake;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A multipart/form-data parser for the upload host's slice and single-upload requests, as strict as Go's. */
final class OpenMultipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

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
    return parse(contentType, body, body.length, true);
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LF = {'\n'};

  /**
   * Parts of the multipart body in {@code body[0, length)}, or null when it is not well-formed.
   *
   * <p>Read as Go's {@code mime/multipart} reads it, the parser of the Go services behind 123's
   * upload host (which the sources show to be Go; which parser they use is not known, so this is
   * a guess at the most likely one): lines before the first delimiter line are a preamble; a
   * delimiter line is {@code --boundary}, optional spaces or tabs, and a line end; if the
   * <em>first</em> delimiter line ends in a bare LF, every delimiter is then expected after an LF
   * instead of a CRLF (RFC 2046 asks for CRLF, but Go accepts LF-only bodies "as they occur in
   * practice"), and a CR before that LF stays in the part's content; part header lines may end
   * in LF or CRLF; a delimiter found in content counts only when a blank, a line end or
   * {@code --} follows it; a part whose content is empty may also end with the delimiter right
   * after its headers' blank line, without a line end before it (some MIME writers make empty
   * parts so), while {@code --boundary} followed by anything else there is content; a part
   * without a form name (no Content-Disposition, a type other than {@code form-data}, no or an
   * empty {@code name}) is skipped, its headers and framing still checked; more than
   * {@value #MAX_PARTS} parts are refused; after the closing {@code --boundary--} nothing is read.
   */
  static Map<String, Part> parse(String contentType, byte[] whole, int length) {
    return parse(contentType, whole, length, true);
  }

  /**
   * As {@link #parse(String, byte[], int)}; with {@code bareLf} false only CRLF line ends are
   * read (RFC 2046), and a body whose delimiter lines end in a bare LF is not well-formed.
   */
  static Map<String, Part> parse(String contentType, byte[] whole, int length, boolean bareLf) {
    if (length < 0 || length > whole.length) throw new IllegalArgumentException("length " + length);
    String boundary = boundary(contentType);
    if (boundary == null) return null;
    return read(boundary, whole, length, bareLf, null);
  }

  /**
   * Where the content of the first part with a form name and a file name begins in
   * {@code body[0, length)}, read as {@link #parse} reads the body (LF-only lines included), or -1
   * while those bytes do not show it (too few of them, none such, or not well-formed).
   */
  static int fileContentStart(String boundary, byte[] body, int length) {
    int[] at = {-1};
    read(boundary, body, length, true, at);
    return at[0];
  }

  /** Parts a Go server's {@code ReadForm} takes before it refuses the whole body as too large. */
  static final int MAX_PARTS = 1000;

  /**
   * The parser behind {@link #parse} and {@link #fileContentStart}: with {@code fileStart} given, it
   * stops at the first part with a form name and a file name and stores where its content begins.
   */
  private static Map<String, Part> read(String boundary, byte[] body, int length, boolean bareLf, int[] fileStart) {
    byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] nl = null;
    int pos = -1;
    for (int at = indexOf(body, length, dash, 0); at >= 0 && nl == null; at = indexOf(body, length, dash, at + 1)) {
      if (at > 0 && body[at - 1] != '\n') continue; // not at the start of a line: preamble
      int p = blanks(body, length, at + dash.length);
      if (startsWith(body, length, p, CRLF)) nl = CRLF;
      else if (bareLf && startsWith(body, length, p, LF)) nl = LF;
      else if (p + 2 <= length && body[p] == '-' && body[p + 1] == '-' && closes(body, length, p + 2, CRLF)) return new LinkedHashMap<>();
      if (nl != null) pos = p + nl.length;
    }
    if (nl == null) return null;
    byte[] sep = new byte[nl.length + dash.length];
    System.arraycopy(nl, 0, sep, 0, nl.length);
    System.arraycopy(dash, 0, sep, nl.length, dash.length);
    Map<String, Part> parts = new LinkedHashMap<>();
    for (int count = 1; ; count++) {
      if (count > MAX_PARTS) return null; // Go: "multipart: message too large", nameless parts counted too
      StringBuilder headers = new StringBuilder();
      int p = pos;
      while (true) { // header lines, each ending in LF or CRLF, up to a blank line
        int eol = indexOf(body, length, LF, p);
        if (eol < 0) return null;
        int end = eol > p && body[eol - 1] == '\r' ? eol - 1 : eol;
        if (end == p) {
          p = eol + 1;
          break;
        }
        String line = new String(body, p, end - p, StandardCharsets.UTF_8);
        if (line.indexOf(':') <= 0 && !(headers.length() > 0 && (line.startsWith(" ") || line.startsWith("\t")))) return null;
        headers.append(line).append("\r\n");
        p = eol + 1;
      }
      int contentStart = p;
      Map<String, String> params = disposition(headers.toString());
      // Go's ReadForm skips a part without a form name: no Content-Disposition, a type other than
      // form-data, or no (or an empty) name parameter; its content is still read up to the delimiter.
      String name = "form-data".equals(dispositionType(headers.toString())) ? params.get("name") : null;
      if (name != null && name.isEmpty()) name = null;
      String filename = filename(params);
      if (fileStart != null && name != null && filename != null) {
        fileStart[0] = contentStart;
        return null;
      }
      int next = -1; // where the content ends
      int delimEnd = -1; // just past the "--boundary" of the delimiter that ends it
      if (startsWith(body, length, contentStart, dash) && delimiterFollows(body, length, contentStart + dash.length)) {
        next = contentStart; // a delimiter right after the headers, without a line end first: empty content (as Go)
        delimEnd = contentStart + dash.length;
      } else {
        for (int at = indexOf(body, length, sep, contentStart); at >= 0; at = indexOf(body, length, sep, at + 1)) {
          if (delimiterFollows(body, length, at + sep.length)) {
            next = at;
            delimEnd = at + sep.length;
            break;
          }
        }
      }
      if (next < 0) return null;
      if (name != null) parts.putIfAbsent(name, new Part(name, filename, body, contentStart, next - contentStart));
      int q = blanks(body, length, delimEnd);
      if (q + 2 <= length && body[q] == '-' && body[q + 1] == '-') return closes(body, length, q + 2, nl) ? parts : null;
      if (!startsWith(body, length, q, nl)) return null;
      pos = q + nl.length;
    }
  }

  /**
   * Whether {@code --boundary} just before {@code after} ends a part's content: a blank, a line end,
   * {@code --} or the end of the body follows it (else it is content, e.g. {@code --boundaryX}).
   */
  private static boolean delimiterFollows(byte[] body, int length, int after) {
    if (after >= length) return true;
    byte c = body[after];
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || (c == '-' && after + 1 < length && body[after + 1] == '-');
  }

  /** Whether what follows a closing {@code --boundary--} at {@code p} is blanks, then a line end or the end. */
  private static boolean closes(byte[] body, int length, int p, byte[] nl) {
    int q = blanks(body, length, p);
    return q == length || startsWith(body, length, q, nl);
  }

  private static int blanks(byte[] body, int length, int p) {
    while (p < length && (body[p] == ' ' || body[p] == '\t')) p++;
    return p;
  }

  private static boolean startsWith(byte[] body, int length, int p, byte[] what) {
    return p + what.length <= length && java.util.Arrays.equals(body, p, p + what.length, what, 0, what.length);
  }

  /** The boundary of a {@code multipart/form-data} content type, or null for any other type. */
  static String boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) return null;
    Matcher m = BOUNDARY.matcher(contentType);
    return m.find() ? m.group(1) : null;
  }

  /** The file name a part's header block gives in its Content-Disposition, or null (a text field). */
  static String filename(String headers) {
    return filename(disposition(headers));
  }

  /**
   * The file name of a part's Content-Disposition parameters, or null for a text field, as Go's
   * {@code Part.FileName} gives it and {@code ReadForm} uses it: a {@code filename*} (RFC 5987;
   * .NET's HttpClient sends it beside {@code filename}) in UTF-8 or US-ASCII wins over
   * {@code filename}, one in another charset is ignored, and an empty name makes the part a text
   * field (a file part named {@code filename=""} is not a file to Go's form reader).
   */
  private static String filename(Map<String, String> params) {
    String name = params.get("filename");
    String extended = params.get("filename*");
    if (extended != null) {
      int q1 = extended.indexOf('\'');
      int q2 = q1 < 0 ? -1 : extended.indexOf('\'', q1 + 1);
      String charset = q2 < 0 ? null : extended.substring(0, q1).toLowerCase(Locale.ROOT);
      if ("utf-8".equals(charset) || "us-ascii".equals(charset)) {
        try {
          name = java.net.URLDecoder.decode(extended.substring(q2 + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          // a malformed %-escape: Go ignores the parameter too
        }
      }
    }
    return name == null || name.isEmpty() ? null : name;
  }

  /**
   * The type of the Content-Disposition line of a part's header block (the same line
   * {@link #disposition} reads), in lower case; null when the block has none.
   */
  static String dispositionType(String headers) {
    for (String line : headers.split("\r\n")) {
      if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) continue;
      String v = line.substring("content-disposition:".length());
      int semi = v.indexOf(';');
      return (semi < 0 ? v : v.substring(0, semi)).trim().toLowerCase(Locale.ROOT); // the first line, as Go's Header.Get
    }
    return null;
  }

  /**
   * The parameters of the Content-Disposition line of a part's header block, names in lower case,
   * values unquoted (RFC 7578 §4.2 and the parameter syntax it refers to: a value is a token or a
   * quoted string). Clients differ here: Go, curl, browsers and Python quote every value, .NET's
   * HttpClient writes {@code form-data; name=sliceNo} and {@code filename=a.bin; filename*=utf-8''a.bin}
   * unquoted, and a Go upload server (Go's {@code mime.ParseMediaType}) reads both. Empty when the
   * block has no such line.
   */
  static Map<String, String> disposition(String headers) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String line : headers.split("\r\n")) {
      if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) continue;
      String v = line.substring("content-disposition:".length());
      int i = v.indexOf(';');
      while (i >= 0 && i < v.length()) {
        int eq = v.indexOf('=', i + 1);
        if (eq < 0) break;
        String key = v.substring(i + 1, eq).trim().toLowerCase(Locale.ROOT);
        int p = eq + 1;
        while (p < v.length() && (v.charAt(p) == ' ' || v.charAt(p) == '\t')) p++;
        StringBuilder value = new StringBuilder();
        if (p < v.length() && v.charAt(p) == '"') {
          p++;
          while (p < v.length() && v.charAt(p) != '"') {
            char c = v.charAt(p);
            if (c == '\\' && p + 1 < v.length()) c = v.charAt(++p); // quoted-pair
            value.append(c);
            p++;
          }
          i = v.indexOf(';', p);
        } else {
          int end = v.indexOf(';', p);
          value.append((end < 0 ? v.substring(p) : v.substring(p, end)).trim());
          i = end;
        }
        if (!key.isEmpty()) params.putIfAbsent(key, value.toString());
      }
      break; // the first such line counts, as Go's Header.Get reads it
    }
    return params;
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
