package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mockwebserver3.MockResponse;

/**
 * Wire conventions of the 123 open platform (docs/protocol/123open.md §3, §7): the envelope, China-time
 * timestamps, the file object and the name rules. Shared by the open API door's handlers.
 */
final class OpenWire {
  static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Forbidden characters in names (create page of the docs, §7.2). */
  static final String FORBIDDEN = "\"\\/:*?|><";
  /**
   * Invalid-name message. Only its beginning is confirmed (a client matches on the prefix, §4);
   * the tail listing the characters is our plausible completion.
   */
  static final String BAD_NAME = "文件名要小于256个字符且不能包含以下任何字符：\"\\/:*?|><";
  static final String DIR_EXISTS = "该目录下已经有同名文件夹,无法进行创建";
  static final String NO_PARENT = "parentFileID不存在";
  static final String NO_FILE = "文件不存在，检查传入fileId是否正确";
  static final String QUOTA = "您今日自用下载流量已超出1GB上限，升级VIP会员可无限流量下载";
  static final String VERIFYING = "文件正在校验中,请间隔1秒后再试";
  static final String UPLOAD_FAILED = "文件上传失败";
  static final int FILE_NOT_FOUND = 5066;
  /** Chosen: download_info's text for a folder when it is not answered as 5066 (UNKNOWN). */
  static final String FOLDER_NOT_DOWNLOADABLE = "不支持下载文件夹";
  /** Chosen: direct-link/url's text for a file outside every direct-link space (UNKNOWN). */
  static final String OUTSIDE_DIRECT_LINK_SPACE = "该文件不在直链空间内，请先开启直链空间";
  static final String TOO_MANY_TOKENS = "tokens number has exceeded the limit";

  private OpenWire() {}

  /** A business failure, answered as HTTP 200 with the code in the envelope. */
  static final class OpenError extends RuntimeException {
    final int code;

    OpenError(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  static OpenError error(int code, String message) {
    return new OpenError(code, message);
  }

  /** Generic business failure: code 1, the code real servers use for rule violations (§4). */
  static OpenError fail(String message) {
    return new OpenError(1, message);
  }

  static MockResponse ok(String traceId, JsonNode data) {
    return envelope(traceId, 0, "ok", data);
  }

  /** {@code {code, message, data, x-traceID}} in that key order, HTTP 200, trace id also as header. */
  static MockResponse envelope(String traceId, int code, String message, JsonNode data) {
    ObjectNode o = F.objectNode();
    o.put("code", code);
    o.put("message", message);
    o.set("data", data == null ? F.nullNode() : data);
    o.put("x-traceID", traceId);
    return json(200, traceId, o);
  }

  static MockResponse json(int status, String traceId, JsonNode body) {
    try {
      return new MockResponse.Builder().code(status)
          .setHeader("Content-Type", "application/json; charset=utf-8")
          .setHeader("x-traceID", traceId)
          .body(Json.mapper().writeValueAsString(body))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String time(Instant t) {
    return TIME.format(t.atOffset(CHINA));
  }

  static String rfc3339(Instant t) {
    return RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(CHINA));
  }

  /** Validates a file or folder name against §7.2, at most {@code maxLength} code points; refusals get {@code code}. */
  static void checkName(String name, int maxLength, int code) {
    if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > maxLength) throw error(code, BAD_NAME);
    for (int i = 0; i < name.length(); i++) {
      if (FORBIDDEN.indexOf(name.charAt(i)) >= 0) throw error(code, BAD_NAME);
    }
  }

  /** 0 unknown, 1 audio, 2 video, 3 image, from the extension (doc values). */
  static int category(Node n) {
    if (n.folder()) return 0;
    String name = n.name().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    return switch (ext) {
      case "mp3", "flac", "wav", "aac", "m4a", "ogg", "ape" -> 1;
      case "mp4", "mkv", "avi", "mov", "flv", "wmv", "ts", "webm", "rmvb" -> 2;
      case "jpg", "jpeg", "png", "gif", "bmp", "webp", "heic", "tif", "tiff" -> 3;
      default -> 0;
    };
  }

  /** The file object of v2 list and infos (§7.1), key order of the doc example. */
  static ObjectNode fileObject(FakeStore store, Node n) {
    ObjectNode o = F.objectNode();
    o.put("fileId", n.id());
    o.put("filename", n.name());
    o.put("type", n.folder() ? 1 : 0);
    o.put("size", n.size());
    o.put("etag", n.md5());
    o.put("status", n.reviewStatus());
    o.put("parentFileId", n.parentId());
    o.put("category", category(n));
    o.put("trashed", store.isTrashed(n) ? 1 : 0);
    o.put("punishFlag", 0);
    o.put("s3KeyFlag", n.folder() ? "x-0" : n.uid() + "-0");
    o.put("storageNode", n.folder() ? "m0" : "m51");
    o.put("createAt", time(n.created()));
    o.put("updateAt", time(n.updated()));
    return o;
  }

  /** A JSON body field holding an array of ids (numbers or numeric strings). */
  static List<Long> longList(FakeRequest req, String name) {
    JsonNode n = req.field(name);
    if (n == null || n.isNull()) throw fail(name + "不能为空");
    if (!n.isArray()) throw fail(name + "参数格式错误");
    List<Long> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (e.isIntegralNumber()) {
        if (!e.canConvertToLong()) throw fail(name + "参数格式错误"); // beyond 64 bits: not an id
        out.add(e.asLong());
      } else if (e.isTextual()) {
        try {
          out.add(Long.parseLong(e.asText().trim()));
        } catch (NumberFormatException ex) {
          throw fail(name + "参数格式错误");
        }
      } else {
        throw fail(name + "参数格式错误");
      }
    }
    if (out.isEmpty()) throw fail(name + "不能为空");
    return out;
  }

  static long requireLong(FakeRequest req, String name) {
    if (req.field(name) == null || req.field(name).isNull()) throw fail(name + "不能为空");
    Long v = req.longField(name);
    if (v == null) throw fail(name + "参数格式错误");
    return v;
  }

  static String requireText(FakeRequest req, String name) {
    String v = req.textField(name);
    if (v == null) throw fail(name + "不能为空");
    return v;
  }

  /** A query parameter by exact name; empty values count as absent (§13). */
  static String query(FakeRequest req, String name) {
    String v = req.query(name);
    return v == null || v.isEmpty() ? null : v;
  }

  static Long queryLong(FakeRequest req, String name) {
    String v = query(req, name);
    if (v == null) return null;
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw fail(name + "参数格式错误");
    }
  }

  static ArrayNode array() {
    return F.arrayNode();
  }

  static ObjectNode object() {
    return F.objectNode();
  }
}
