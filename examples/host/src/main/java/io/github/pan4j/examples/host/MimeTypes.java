package io.github.pan4j.examples.host;

import java.util.Locale;
import java.util.Map;

/** Content types and preview kinds by file extension (the drivers rarely know a content type). */
final class MimeTypes {
  enum Kind { FOLDER, IMAGE, AUDIO, VIDEO, TEXT, ARCHIVE, DOCUMENT, OTHER }

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("bmp", "image/bmp"),
      Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/x-icon"), Map.entry("avif", "image/avif"),
      Map.entry("mp3", "audio/mpeg"), Map.entry("flac", "audio/flac"), Map.entry("wav", "audio/wav"),
      Map.entry("ogg", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"), Map.entry("opus", "audio/opus"),
      Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mkv", "video/x-matroska"),
      Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"), Map.entry("ogv", "video/ogg"),
      Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("log", "text/plain"),
      Map.entry("csv", "text/csv"), Map.entry("json", "application/json"), Map.entry("xml", "application/xml"),
      Map.entry("yaml", "text/yaml"), Map.entry("yml", "text/yaml"), Map.entry("ini", "text/plain"), Map.entry("conf", "text/plain"),
      Map.entry("properties", "text/plain"), Map.entry("java", "text/plain"), Map.entry("py", "text/plain"),
      Map.entry("js", "text/javascript"), Map.entry("css", "text/css"), Map.entry("sh", "text/plain"), Map.entry("go", "text/plain"),
      Map.entry("rs", "text/plain"), Map.entry("c", "text/plain"), Map.entry("h", "text/plain"), Map.entry("srt", "text/plain"),
      Map.entry("html", "text/html"), Map.entry("htm", "text/html"),
      Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"), Map.entry("7z", "application/x-7z-compressed"),
      Map.entry("rar", "application/vnd.rar"), Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"),
      Map.entry("doc", "application/msword"), Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

  private MimeTypes() {}

  static String extension(String name) {
    int i = name.lastIndexOf('.');
    return i <= 0 ? "" : name.substring(i + 1).toLowerCase(Locale.ROOT);
  }

  static String type(String name) {
    return TYPES.getOrDefault(extension(name), "application/octet-stream");
  }

  /**
   * The Content-Type header for a file's bytes: {@link #type}, and for text {@code charset=utf-8},
   * the encoding the file page's preview reads it in. Without one a browser shows the file in its
   * locale's default encoding (windows-1252 for English), so UTF-8 text such as "云盘" is garbled
   * when opened from the Download button.
   */
  static String contentType(String name) {
    String t = type(name);
    return t.startsWith("text/") ? t + "; charset=utf-8" : t;
  }

  static Kind kind(String name, boolean folder) {
    if (folder) return Kind.FOLDER;
    String t = type(name);
    if (t.startsWith("image/")) return Kind.IMAGE;
    if (t.startsWith("audio/")) return Kind.AUDIO;
    if (t.startsWith("video/")) return Kind.VIDEO;
    if (t.startsWith("text/") || t.equals("application/json") || t.equals("application/xml")) return Kind.TEXT;
    if (t.contains("zip") || t.contains("compressed") || t.contains("rar") || t.contains("tar")) return Kind.ARCHIVE;
    if (t.startsWith("application/")  && !t.equals("application/octet-stream")) return Kind.DOCUMENT;
    return Kind.OTHER;
  }

  /**
   * A small inline SVG icon (no emoji: many servers and headless browsers have no emoji font).
   * Folders are a folder shape; files a page whose colour and label tell the kind.
   */
  static String icon(Kind k) {
    if (k == Kind.FOLDER) {
      return "<svg class=\"ic ic-folder\" width=\"20\" height=\"16\" viewBox=\"0 0 20 16\" aria-label=\"folder\">"
          + "<path d=\"M1 3a2 2 0 0 1 2-2h5l2 2h7a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2z\" fill=\"#54aeff\"/></svg>";
    }
    String[] style = switch (k) {
      case IMAGE -> new String[] {"#8250df", "IMG"};
      case AUDIO -> new String[] {"#bf3989", "AUD"};
      case VIDEO -> new String[] {"#cf222e", "VID"};
      case TEXT -> new String[] {"#1a7f37", "TXT"};
      case ARCHIVE -> new String[] {"#9a6700", "ZIP"};
      case DOCUMENT -> new String[] {"#0969da", "DOC"};
      default -> new String[] {"#6e7781", "BIN"};
    };
    return "<svg class=\"ic ic-" + k.name().toLowerCase(Locale.ROOT) + "\" width=\"16\" height=\"20\" viewBox=\"0 0 16 20\" aria-label=\""
        + k.name().toLowerCase(Locale.ROOT) + "\"><path d=\"M1 1h9l5 5v13H1z\" fill=\"#fff\" stroke=\"" + style[0] + "\"/>"
        + "<rect x=\"0\" y=\"11\" width=\"16\" height=\"6\" fill=\"" + style[0] + "\"/><text x=\"8\" y=\"16\" font-size=\"5\" "
        + "font-family=\"sans-serif\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\">" + style[1] + "</text></svg>";
  }

  /**
   * True for types a browser would run as active content on the host's origin (HTML, SVG, XML,
   * JavaScript): the proxy serves these as attachments under a sandbox CSP, never inline.
   */
  static boolean active(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT);
    return t.contains("html") || t.contains("svg") || t.contains("xml") || t.contains("javascript") || t.contains("xhtml");
  }
}
