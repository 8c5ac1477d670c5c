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

  static String icon(Kind k) {
    return switch (k) {
      case FOLDER -> "\uD83D\uDCC1";
      case IMAGE -> "\uD83D\uDDBC\uFE0F";
      case AUDIO -> "\uD83C\uDFB5";
      case VIDEO -> "\uD83C\uDFAC";
      case TEXT -> "\uD83D\uDCC4";
      case ARCHIVE -> "\uD83D\uDCE6";
      case DOCUMENT -> "\uD83D\uDCD1";
      case OTHER -> "\uD83D\uDCCE";
    };
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
