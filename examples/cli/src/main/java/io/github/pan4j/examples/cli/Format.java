package io.github.pan4j.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Entry;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.TreeMap;

/** Sizes, times and the JSON shape of an entry. */
final class Format {
  static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private Format() {}

  /** {@code node} as indented JSON, one value per call, on {@code out}. */
  static void printJson(PrintStream out, Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code 1.5 MiB}, {@code 512 B}. */
  static String bytes(long n) {
    if (n < 0) return "?";
    if (n < 1024) return n + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }

  static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** {@code 1:05}, {@code 1:02:03}. */
  static String duration(long seconds) {
    if (seconds < 0) return "--:--";
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
  }

  /**
   * The JSON object of an entry: {@code name, path, id, parentId, type ("file"|"folder"), size,
   * modified, created, md5, sha1, extras}. Absent values are null; the shape is stable.
   */
  static ObjectNode json(Entry e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", e.name());
    n.put("path", e.path());
    n.put("id", e.id());
    n.put("parentId", e.parentId());
    n.put("type", e.folder() ? "folder" : "file");
    n.put("size", e.size());
    n.put("modified", e.modified() == null ? null : e.modified().toString());
    n.put("created", e.created() == null ? null : e.created().toString());
    n.put("md5", e.hashes().md5());
    n.put("sha1", e.hashes().sha1());
    ObjectNode extras = n.putObject("extras");
    new TreeMap<>(e.extras()).forEach(extras::put);
    return n;
  }
}
