package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.testkit.fake.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The open platform's realistic quirks: inclusive cursor, listing lag by rate, 20103 on fresh files. */
class OpenRealisticTest extends OpenFixture {
  private List<Long> ids(JsonNode data) {
    List<Long> out = new ArrayList<>();
    for (JsonNode n : data.get("fileList")) out.add(n.get("fileId").asLong());
    return out;
  }

  @Test
  void inclusiveCursor_isTheFirstIdOfTheNextPage() {
    door.qpsEnabled(false).listCursorInclusive(true);
    List<Long> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) made.add(store.createFile(demo.uid(), 0, "f" + i, store.putBlob(new byte[] {(byte) i})).id());
    JsonNode p1 = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "2")).data();
    assertEquals(made.subList(0, 2), ids(p1));
    assertEquals((long) made.get(2), p1.get("lastFileId").asLong());
    JsonNode p2 = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "2", "lastFileId", p1.get("lastFileId").asText())).data();
    assertEquals(made.subList(2, 4), ids(p2));
    JsonNode p3 = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "2", "lastFileId", p2.get("lastFileId").asText())).data();
    assertEquals(made.subList(4, 5), ids(p3));
    assertEquals(-1, p3.get("lastFileId").asLong());
  }

  @Test
  void listingLag_hidesAShareOfNewEntriesUntilItPasses() {
    door.qpsEnabled(false).quirkSeed(11).listingLag(Duration.ofSeconds(3), 0.5);
    for (int i = 0; i < 40; i++) store.createFile(demo.uid(), 0, "f" + i, store.putBlob(new byte[] {(byte) i}));
    int visible = ids(get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100")).data()).size();
    org.junit.jupiter.api.Assertions.assertTrue(visible > 5 && visible < 35, "about half visible: " + visible);
    assertEquals(visible, ids(get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100")).data()).size(),
        "the same entries lag on every call");
    clock.advance(Duration.ofSeconds(3));
    assertEquals(40, ids(get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100")).data()).size());
  }

  @Test
  void freshFile_answers20103_untilTheWindowPasses() {
    door.qpsEnabled(false).verifyingAfterUpload(Duration.ofSeconds(2), 1.0);
    Node n = store.createFile(demo.uid(), 0, "new.bin", store.putBlob(new byte[] {1}));
    Reply r = get("/api/v1/file/download_info", Map.of("fileId", String.valueOf(n.id())));
    assertEquals(20103, r.code());
    assertEquals("文件正在校验中,请间隔1秒后再试", r.message());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(0, get("/api/v1/file/download_info", Map.of("fileId", String.valueOf(n.id()))).code());
  }
}
