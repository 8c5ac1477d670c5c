package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import mockwebserver3.MockResponse;

/** Wire helpers shared by the web and share front doors (docs/protocol/123web.md §2.3, §5.2). */
final class WebJson {
  static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final ZoneOffset CST = ZoneOffset.ofHours(8);
  static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(CST);
  /** The "zero" timestamp the service uses for empty times. */
  static final String ZERO_TIME = "0001-01-01T00:00:00+00:00";
  /** When a fake account's VIP ends, in both APIs' {@code yyyy-MM-dd HH:mm:ss} (UTC+8). */
  static final String VIP_EXPIRE = "2099-12-31 23:59:59";

  private WebJson() {}

  /** The three-key envelope {@code {"code","message","data"}} in HTTP 200. */
  static MockResponse envelope(int code, String message, JsonNode data) {
    ObjectNode o = F.objectNode();
    o.put("code", code);
    o.put("message", message);
    o.set("data", data == null ? F.nullNode() : data);
    return json(200, o);
  }

  static MockResponse ok(JsonNode data) {
    return envelope(0, "ok", data);
  }

  static MockResponse error(int code, String message) {
    return envelope(code, message, null);
  }

  static MockResponse json(int status, JsonNode body) {
    try {
      return new MockResponse.Builder().code(status)
          .setHeader("Content-Type", "application/json; charset=utf-8")
          .body(Json.mapper().writeValueAsString(body)).build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String time(Instant t) {
    return t == null ? ZERO_TIME : RFC3339.format(t);
  }

  /** A key of a JSON object matched case-insensitively, or null. */
  static JsonNode get(JsonNode obj, String name) {
    if (obj == null || !obj.isObject()) return null;
    JsonNode exact = obj.get(name);
    if (exact != null) return exact;
    String lower = name.toLowerCase(Locale.ROOT);
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) return e.getValue();
    }
    return null;
  }

  /**
   * A number or numeric string as a long; null when absent, null-valued or not numeric (a number
   * beyond 64 bits included: it names no id, and {@code asLong()} would wrap it onto one).
   */
  static Long asLong(JsonNode n) {
    if (n == null || n.isNull()) return null;
    if (n.isIntegralNumber()) return n.canConvertToLong() ? n.asLong() : null;
    if (n.isTextual()) return parseLong(n.asText());
    return null;
  }

  static Long parseLong(String s) {
    if (s == null) return null;
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A boolean, or the strings "true"/"false"; null otherwise. */
  static Boolean asBool(JsonNode n) {
    if (n == null || n.isNull()) return null;
    if (n.isBoolean()) return n.asBoolean();
    if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) return Boolean.valueOf(n.asText());
    if (n.isIntegralNumber() && n.canConvertToInt() && (n.asInt() == 0 || n.asInt() == 1)) return n.asInt() == 1;
    return null;
  }

  /** The list-item object of §5.2 (24 keys, WL 2023). */
  static ObjectNode item(FakeStore store, Node n) {
    ObjectNode o = F.objectNode();
    o.put("FileId", n.id());
    o.put("FileName", n.name());
    o.put("Type", n.folder() ? 1 : 0);
    o.put("Size", n.size());
    o.put("ContentType", "0");
    o.put("S3KeyFlag", n.uid() + "-0");
    o.put("CreateAt", time(n.created()));
    o.put("UpdateAt", time(n.updated()));
    o.put("Hidden", false);
    o.put("Etag", n.md5());
    o.put("Status", status(n));
    o.put("ParentFileId", n.parentId());
    o.put("Category", n.folder() ? 0 : category(n.name()));
    o.put("PunishFlag", 0);
    o.put("ParentName", "");
    o.put("DownloadUrl", "");
    o.put("AbnormalAlert", 1);
    o.put("Trashed", n.trashed());
    o.put("TrashedExpire", n.trashed() ? time(n.updated().plusSeconds(30L * 86400)) : ZERO_TIME);
    o.put("TrashedAt", n.trashed() ? time(n.updated()) : ZERO_TIME);
    o.put("StorageNode", "m2");
    o.put("EnableAppeal", 0);
    o.put("ToolTip", "");
    o.put("RefuseReason", 0);
    return o;
  }

  /** The share-listing item (the keys of the 2023 capture, §7.2). */
  static ObjectNode shareItem(Node n) {
    ObjectNode o = F.objectNode();
    o.put("FileId", n.id());
    o.put("FileName", n.name());
    o.put("Type", n.folder() ? 1 : 0);
    o.put("Size", n.size());
    o.put("ContentType", "0");
    o.put("S3KeyFlag", n.uid() + "-0");
    o.put("CreateAt", time(n.created()));
    o.put("UpdateAt", time(n.updated()));
    o.put("Etag", n.md5());
    o.put("DownloadUrl", "");
    o.put("Status", status(n));
    o.put("ParentFileId", n.parentId());
    o.put("Category", n.folder() ? 0 : category(n.name()));
    o.put("PunishFlag", 0);
    o.put("StorageNode", "m2");
    return o;
  }

  /**
   * An item's {@code Status}: the review verdict set on the node (above 100 = refused, e.g. 104),
   * else 2, the value of the one captured item (a file in a share listing). The owner's listing
   * and a share listing show the same entry alike; what 123 gives an unreviewed folder is UNKNOWN.
   */
  static int status(Node n) {
    return n.reviewStatus() > 0 ? n.reviewStatus() : 2;
  }

  /** 123's category guess by extension (1 audio, 2 video, 3 image, 6 document, 0 other). */
  static int category(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "mp3", "flac", "wav", "aac", "ogg", "m4a" -> 1;
      case "mp4", "mkv", "avi", "mov", "wmv", "flv", "ts", "webm" -> 2;
      case "jpg", "jpeg", "png", "gif", "bmp", "webp", "heic" -> 3;
      case "txt", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "md", "csv" -> 6;
      default -> 0;
    };
  }
}
