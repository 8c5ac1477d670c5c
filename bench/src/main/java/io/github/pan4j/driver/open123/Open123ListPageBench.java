package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.testkit.fake.FakeStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 123open listing page from its bytes to the driver's entries: the JSON decode plus the driver's
 * own mapping ({@code Open123Entries}: ids, MD5 check, China-time dates, extras, thumbnails), as
 * {@code Open123Driver.list} does for each page. The class sits in the driver's package (the
 * mapping is package-private); the bench runs on the class path, where that is allowed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1) // the mapping's many small methods need longer than the decode to settle
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Open123ListPageBench {
  private byte[] page;
  /** The listed files' first id: the fake's default, 13 digits as 123's ids are today. */
  private static final long FIRST_ID = FakeStore.FIRST_ID;

  @Setup
  public void setUp() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("code", 0);
    root.put("message", "ok");
    ObjectNode data = root.putObject("data");
    data.put("lastFileId", -1);
    ArrayNode list = data.putArray("fileList");
    for (int i = 0; i < 100; i++) { // list v2's page (limit 100), the fields 123 sends
      ObjectNode f = list.addObject();
      f.put("fileId", FIRST_ID + i); // 13 digits, as 123's ids are now: JSON longs, not ints
      f.put("filename", "文件-" + i + ".bin");
      f.put("type", i % 10 == 0 ? 1 : 0);
      f.put("size", 1234567L * i);
      f.put("etag", i % 10 == 0 ? "" : String.format("%032x", i));
      f.put("status", 0);
      f.put("parentFileId", 0);
      f.put("category", i % 3);
      f.put("trashed", 0);
      f.put("createAt", "2026-11-29 12:00:00");
      f.put("updateAt", "2026-11-29 12:34:56");
      if (i % 3 == 3 - 1) f.put("thumbnail", "https://thumb.example/" + i + ".jpg");
    }
    page = root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes to JSON tree to entries, skipping trashed items as the driver does. */
  @Benchmark
  public List<Entry> decodeAndMapListPage() throws Exception {
    JsonNode items = Json.mapper().readTree(page).path("data").path("fileList");
    List<Entry> entries = new ArrayList<>(items.size());
    for (JsonNode n : items) {
      if (!Open123Entries.trashed(n)) entries.add(Open123Entries.entry(n));
    }
    return entries;
  }
}
