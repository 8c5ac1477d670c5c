package io.github.pan4j.driver.common123.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.driver.common123.internal.Thumbnails;
import java.text.Normalizer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the file items of {@code file/list/new}, {@code file/info}, {@code share/get} and the
 * upload replies (docs/protocol/123web.md §5.2): {@code FileId}, {@code FileName}, {@code Type} (1 folder),
 * {@code Size}, {@code Etag}, {@code S3KeyFlag}, RFC 3339 {@code CreateAt}/{@code UpdateAt}, and the
 * thumbnail a picture or video carries in {@code DownloadUrl} ({@link Thumbnails}) …
 * Keys are looked up case-insensitively, ids accepted as numbers or numeric strings.
 */
public final class WebItems {
  private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

  private WebItems() {}

  /** A field matched ignoring case, or null. */
  public static JsonNode field(JsonNode obj, String name) {
    if (obj == null || !obj.isObject()) return null;
    JsonNode exact = obj.get(name);
    if (exact != null) return exact;
    for (var it = obj.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (k.equalsIgnoreCase(name)) return obj.get(k);
    }
    return null;
  }

  public static String text(JsonNode obj, String name) {
    JsonNode n = field(obj, name);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** A numeric field (number or numeric string), or {@code dflt}. */
  public static long number(JsonNode obj, String name, long dflt) {
    JsonNode n = field(obj, name);
    if (n == null || n.isNull()) return dflt;
    if (n.isNumber()) return n.asLong();
    try {
      return Long.parseLong(n.asText().trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  public static boolean bool(JsonNode obj, String name) {
    JsonNode n = field(obj, name);
    return n != null && (n.asBoolean() || "true".equalsIgnoreCase(n.asText()));
  }

  public static long fileId(JsonNode item) {
    return number(item, "FileId", 0);
  }

  public static boolean isFolder(JsonNode item) {
    return number(item, "Type", 0) == 1;
  }

  public static boolean isTrashed(JsonNode item) {
    return bool(item, "Trashed");
  }

  /** The entry for an item; a PROTOCOL error when it has no id or name. */
  public static Entry toEntry(JsonNode item, String driverId, String operation) {
    long id = fileId(item);
    String name = text(item, "FileName");
    if (id <= 0 || name == null || name.isEmpty()) {
      throw DriveException.builder(ErrorKind.PROTOCOL, "an item without FileId or FileName: " + abbreviate(item))
          .driver(driverId).operation(operation).build();
    }
    boolean folder = isFolder(item);
    String parent = field(item, "ParentFileId") == null ? null : Long.toString(number(item, "ParentFileId", 0));
    String etag = text(item, "Etag");
    Hashes hashes = !folder && etag != null && MD5.matcher(etag).matches() ? Hashes.md5(etag.toLowerCase(Locale.ROOT)) : Hashes.NONE;
    Map<String, String> extras = new LinkedHashMap<>();
    putIf(extras, "s3KeyFlag", text(item, "S3KeyFlag"));
    putIf(extras, "storageNode", text(item, "StorageNode"));
    putIf(extras, "status", text(item, "Status"));
    putIf(extras, "category", text(item, "Category"));
    putIf(extras, "etag", etag == null || etag.isEmpty() ? null : etag);
    return new Entry(Long.toString(id), parent, Normalizer.normalize(name, Normalizer.Form.NFC), null, folder,
        folder ? 0 : Math.max(0, number(item, "Size", 0)), time(text(item, "UpdateAt")), time(text(item, "CreateAt")),
        hashes, extras, Thumbnails.sized(text(item, "DownloadUrl"), (int) number(item, "Category", 0), Thumbnails.SIZE));
  }

  /** Parses RFC 3339 with offset; the zero value {@code 0001-01-01T00:00:00+00:00} and garbage are null. */
  public static Instant time(String s) {
    if (s == null || s.isBlank() || s.startsWith("0001-01-01")) return null;
    try {
      return OffsetDateTime.parse(s.trim()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void putIf(Map<String, String> m, String k, String v) {
    if (v != null && !v.isEmpty()) m.put(k, v);
  }

  static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}
