package io.github.pan4j.examples.host;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small streaming multipart/form-data reader: text fields are kept (bounded), file parts go to
 * temporary files, so an upload never sits in memory.
 */
final class Multipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
  private static final Pattern DISPOSITION_PARAM = Pattern.compile(";\\s*(name|filename)=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final int MAX_FIELD = 64 * 1024;
  private static final int MAX_HEADER_LINE = 8 * 1024;

  /** One part: a field (value set) or a file (file set; the caller deletes it). */
  record Part(String name, String filename, String value, Path file, long size) {}

  private Multipart() {}

  static String boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) return null;
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) return null;
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  /** Reads all parts; on failure every temporary file already written is deleted. */
  static List<Part> parse(InputStream raw, String boundary, Path tmpDir) throws IOException {
    List<Part> parts = new ArrayList<>();
    boolean ok = false;
    try {
      InputStream in = new BufferedInputStream(raw, 64 * 1024);
      byte[] delim = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
      // The body starts with the delimiter without its leading CRLF.
      if (!readUntil(in, java.util.Arrays.copyOfRange(delim, 2, delim.length), OutputStream.nullOutputStream(), 1024)) {
        throw new SafePaths.BadRequest("malformed multipart body: no opening boundary");
      }
      while (true) {
        int a = in.read();
        int b = in.read();
        if (a == '-' && b == '-') break;
        if (a != '\r' || b != '\n') throw new SafePaths.BadRequest("malformed multipart body after a boundary");
        String name = null;
        String filename = null;
        while (true) {
          String line = readLine(in);
          if (line.isEmpty()) break;
          if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
            Matcher m = DISPOSITION_PARAM.matcher(line);
            while (m.find()) {
              if (m.group(1).equalsIgnoreCase("name")) name = m.group(2);
              else filename = m.group(2);
            }
          }
        }
        if (name == null) throw new SafePaths.BadRequest("malformed multipart body: a part has no name");
        if (filename != null) {
          Path f = Files.createTempFile(tmpDir, "upload", ".part");
          long size;
          try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f))) {
            CountingStream counting = new CountingStream(out);
            if (!readUntil(in, delim, counting, Long.MAX_VALUE)) {
              Files.deleteIfExists(f);
              throw new SafePaths.BadRequest("malformed multipart body: the upload was cut short");
            }
            size = counting.count;
          }
          parts.add(new Part(name, filename, null, f, size));
        } else {
          ByteArrayOutputStream v = new ByteArrayOutputStream();
          if (!readUntil(in, delim, v, MAX_FIELD)) throw new SafePaths.BadRequest("a form field is too long or the body was cut short");
          parts.add(new Part(name, null, v.toString(StandardCharsets.UTF_8), null, v.size()));
        }
      }
      ok = true;
      return parts;
    } finally {
      if (!ok) for (Part p : parts) if (p.file() != null) Files.deleteIfExists(p.file());
    }
  }

  /**
   * Copies bytes to {@code out} until {@code delim} (not copied). Correct as a streaming match
   * because the delimiter's first byte does not occur again in it (CR, or '-' followed by the
   * boundary for the opening one, whose characters RFC 2046 limits). False at end of input or when
   * more than {@code max} bytes came first.
   */
  private static boolean readUntil(InputStream in, byte[] delim, OutputStream out, long max) throws IOException {
    int matched = 0;
    long written = 0;
    int c;
    while ((c = in.read()) >= 0) {
      if (c == (delim[matched] & 0xff)) {
        if (++matched == delim.length) return true;
        continue;
      }
      if (matched > 0) {
        out.write(delim, 0, matched);
        written += matched;
        matched = 0;
        if (c == (delim[0] & 0xff)) {
          matched = 1;
          continue;
        }
      }
      out.write(c);
      if (++written > max) return false;
    }
    return false;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        int n = in.read();
        if (n == '\n') return b.toString(StandardCharsets.UTF_8);
        throw new SafePaths.BadRequest("malformed multipart header line");
      }
      b.write(c);
      if (b.size() > MAX_HEADER_LINE) throw new SafePaths.BadRequest("multipart header line too long");
    }
    throw new SafePaths.BadRequest("malformed multipart body: headers cut short");
  }

  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
