package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.driver.common123.internal.Thumbnails;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns 123 file objects (list v2, detail, infos) into {@link Entry}s. */
final class Open123Entries {
  /** 123 times carry no zone and are China time (docs/protocol/123open.md §7.1). */
  static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

  private Open123Entries() {}

  /** One item of list v2 / infos (keys {@code fileId}, {@code parentFileId}) or detail ({@code fileID}, {@code parentFileID}). */
  static Entry entry(JsonNode n) {
    String id = text(n, "fileId", "fileID");
    String parent = text(n, "parentFileId", "parentFileID");
    boolean folder = n.path("type").asInt(0) == 1;
    String etag = n.path("etag").asText("");
    Hashes hashes = !folder && MD5.matcher(etag).matches() ? Hashes.md5(etag) : Hashes.NONE;
    Instant created = time(n.path("createAt"));
    Instant modified = time(n.path("updateAt"));
    if (modified == null) modified = created;
    Map<String, String> extras = new LinkedHashMap<>();
    for (String k : new String[] {"category", "status", "s3KeyFlag", "storageNode", "punishFlag"}) {
      JsonNode v = n.get(k);
      if (v != null && !v.isNull() && !v.asText().isEmpty()) extras.put(k, v.asText());
    }
    return new Entry(id, parent, n.path("filename").asText(""), null, folder, Math.max(0, n.path("size").asLong(0)),
        modified, created, hashes, extras,
        Thumbnails.sized(n.path("thumbnail").asText(""), n.path("category").asInt(0), Thumbnails.SIZE));
  }

  static boolean trashed(JsonNode n) {
    JsonNode t = n.path("trashed");
    return t.isBoolean() ? t.asBoolean() : t.asInt(0) != 0;
  }

  private static String text(JsonNode n, String a, String b) {
    JsonNode v = n.has(a) ? n.get(a) : n.get(b);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** {@code yyyy-MM-dd HH:mm:ss} in UTC+8 (or epoch seconds, which some endpoints send), else null. */
  static Instant time(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) return null;
    if (v.isNumber()) {
      long n = v.asLong();
      return n <= 0 ? null : Instant.ofEpochSecond(n);
    }
    String s = v.asText("").trim();
    if (s.length() < 19) return null;
    try {
      return LocalDateTime.parse(s.substring(0, 19), TIME).toInstant(CHINA);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
