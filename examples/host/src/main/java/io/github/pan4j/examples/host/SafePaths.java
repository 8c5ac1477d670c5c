package io.github.pan4j.examples.host;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Turns request paths and user-given names into safe strings, and names into safe header values.
 * Everything that could walk out of a folder ({@code ..}, {@code %2e%2e}, backslashes, an encoded
 * {@code /}) or break a header (CR, LF, NUL or any other control character) is refused with
 * {@link BadRequest}, never "cleaned up" into something the user did not ask for.
 */
final class SafePaths {
  private SafePaths() {}

  /** A request the host refuses with HTTP 400 and a message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  /**
   * Decodes the raw (still percent-encoded) path after a route prefix into a canonical absolute
   * path: "/" or "/a/b" (a trailing slash is dropped). Strict UTF-8.
   */
  static String decodePath(String raw) {
    if (raw == null || raw.isEmpty()) return "/";
    String lower = raw.toLowerCase(java.util.Locale.ROOT);
    if (raw.indexOf('\\') >= 0 || lower.contains("%5c")) throw new BadRequest("backslashes are not allowed in paths");
    if (lower.contains("%2f")) throw new BadRequest("an encoded '/' (%2F) is not allowed in paths");
    String decoded = percentDecode(raw);
    if (!decoded.startsWith("/")) decoded = "/" + decoded;
    StringBuilder out = new StringBuilder();
    for (String seg : decoded.split("/", -1)) {
      if (seg.isEmpty()) continue; // leading, trailing or doubled slash
      checkName(seg);
      out.append('/').append(seg);
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  /**
   * Checks a single name (a new folder, a rename, an uploaded file): no '/', '\\', '.', '..',
   * control characters (CR/LF/NUL would end up in Content-Disposition headers) and not blank.
   */
  static String checkName(String name) {
    if (name == null || name.isBlank()) throw new BadRequest("a name must not be empty");
    String n = Normalizer.normalize(name, Normalizer.Form.NFC);
    if (n.equals(".") || n.equals("..")) throw new BadRequest("'.' and '..' are not allowed in paths or names");
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c == '/' || c == '\\') throw new BadRequest("a name must not contain '/' or '\\'");
      if (Character.isISOControl(c)) {
        throw new BadRequest(String.format("control character U+%04X (such as CR, LF or NUL) is not allowed in names", (int) c));
      }
    }
    if (n.length() > 1024) throw new BadRequest("a name must be at most 1024 characters long");
    return n;
  }

  /** Strict percent-decoding ('+' stays '+'); malformed escapes and invalid UTF-8 are refused. */
  static String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) throw new BadRequest("malformed percent escape in path");
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) throw new BadRequest("malformed percent escape in path");
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new BadRequest("path is not valid UTF-8");
    }
  }

  /** Percent-encodes each segment of an absolute path for use in a URL. */
  static String encodePath(String path) {
    StringBuilder b = new StringBuilder();
    for (String seg : path.split("/")) {
      if (seg.isEmpty()) continue;
      b.append('/').append(encodeSegment(seg));
    }
    return b.length() == 0 ? "/" : b.toString();
  }

  /** RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
  static String encodeSegment(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }

  /**
   * A Content-Disposition value for {@code name}: an ASCII fallback without quotes, backslashes or
   * control characters, and the exact name in RFC 5987 {@code filename*}. Nothing of the name can
   * end the header.
   */
  static String contentDisposition(String type, String name) {
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' ? c : '_');
    }
    return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encodeSegment(name);
  }

  /** True when a header value is safe to send (no CR, LF or other control characters). */
  static boolean headerSafe(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) return false;
    }
    return true;
  }

  /** The parent of a canonical path ("/" for "/x"). */
  static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "/" : path.substring(0, i);
  }

  /** The last segment of a canonical path ("" for "/"). */
  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static String child(String parent, String name) {
    return "/".equals(parent) ? "/" + name : parent + "/" + name;
  }
}
