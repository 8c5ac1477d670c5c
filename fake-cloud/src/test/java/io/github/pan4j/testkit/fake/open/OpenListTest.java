package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenListTest extends OpenFixture {

  private List<JsonNode> listAll(long parent, int limit) {
    return listAll(parent, limit, Map.of());
  }

  private List<JsonNode> listAll(long parent, int limit, Map<String, String> extra) {
    List<JsonNode> all = new ArrayList<>();
    long last = 0;
    while (true) {
      Map<String, String> q = new HashMap<>(Map.of("parentFileId", Long.toString(parent), "limit", Integer.toString(limit)));
      q.putAll(extra);
      if (last != 0) q.put("lastFileId", Long.toString(last));
      clock.advance(Duration.ofMillis(250));
      Reply r = get("/api/v2/file/list", q);
      assertEquals(0, r.code(), r.toString());
      r.data().get("fileList").forEach(all::add);
      last = r.data().get("lastFileId").asLong();
      if (last == -1) return all;
    }
  }

  @Test
  void list_pagesAscendingWithoutGapsOrDuplicates() {
    for (int i = 0; i < 25; i++) store.mkdir(demo.uid(), 0, "d" + i);
    List<JsonNode> all = listAll(0, 10);
    assertEquals(25, all.size());
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i).get("fileId").asLong() > all.get(i - 1).get("fileId").asLong());
    }
  }

  @Test
  void list_exactMultipleOfLimit_lastPageIsMinusOne() {
    for (int i = 0; i < 20; i++) store.mkdir(demo.uid(), 0, "d" + i);
    assertEquals(20, listAll(0, 10).size());
  }

  @Test
  void list_includesTrashedItemsAndTheirChildren_flagged() {
    long a = mkdir(0, "a");
    long b = mkdir(a, "b");
    mkdir(0, "c");
    assertEquals(0, post("/api/v1/file/trash", "{\"fileIDs\":[" + a + "]}").code());
    List<JsonNode> root = listAll(0, 100);
    assertEquals(2, root.size());
    assertEquals(1, root.get(0).get("trashed").asInt());
    assertEquals(0, root.get(1).get("trashed").asInt());
    // the trashed parameter is ignored
    Reply r = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100", "trashed", "false"));
    assertEquals(2, r.data().get("fileList").size());
    assertEquals(0, store.node(demo.uid(), b).orElseThrow().trashed() ? 1 : 0);
  }

  @Test
  void list_withoutV2Thumbnails_hasExactlyTheDocumentedKeys() {
    cloud.thumbnails().openV2(false);
    store.createFile(demo.uid(), 0, "clip.mp4", store.putBlob(new byte[] {1, 2, 3}));
    List<String> keys = new ArrayList<>();
    listAll(0, 100).get(0).fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("fileId", "filename", "type", "size", "etag", "status", "parentFileId", "category", "trashed",
        "punishFlag", "s3KeyFlag", "storageNode", "createAt", "updateAt"), keys);
  }

  @Test
  void list_fileObjectFields_andChinaTime() {
    store.createFile(demo.uid(), 0, "song.mp3", store.putBlob(new byte[] {1, 2, 3}));
    JsonNode f = listAll(0, 100).get(0);
    List<String> keys = new ArrayList<>();
    f.fieldNames().forEachRemaining(keys::add);
    // The documented keys, then thumbnail (UNKNOWN whether v2 has it: a FakeThumbnails setting, on by default).
    assertEquals(List.of("fileId", "filename", "type", "size", "etag", "status", "parentFileId", "category", "trashed",
        "punishFlag", "s3KeyFlag", "storageNode", "createAt", "updateAt", "thumbnail"), keys);
    assertEquals("", f.get("thumbnail").asText(), "audio has no thumbnail by default");
    assertEquals(0, f.get("type").asInt());
    assertEquals(3, f.get("size").asLong());
    assertEquals(md5(new byte[] {1, 2, 3}), f.get("etag").asText());
    assertEquals(1, f.get("category").asInt());
    assertEquals("2026-03-01 12:00:00", f.get("createAt").asText());
  }

  @Test
  void list_limitOver100_isRefused_andMissingLimitToo() {
    assertEquals(1, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "101")).code());
    assertEquals(1, get("/api/v2/file/list", Map.of("parentFileId", "0")).code());
    door.rejectLimitOver100(false);
    assertEquals(0, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "101")).code());
  }

  @Test
  void search_isGlobal() {
    long a = mkdir(0, "a");
    mkdir(a, "needle-1");
    mkdir(0, "needle-2");
    Reply r = get("/api/v2/file/list", Map.of("parentFileId", Long.toString(a), "limit", "100", "searchData", "needle"));
    assertEquals(2, r.data().get("fileList").size());
    Reply exact = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100", "searchData", "needle-1",
        "searchMode", "1"));
    assertEquals(1, exact.data().get("fileList").size());
  }

  @Test
  void detailAndInfos_useTheirOwnKeys() {
    long a = mkdir(0, "a");
    store.createFile(demo.uid(), a, "x.bin", store.putBlob(new byte[10]));
    Reply d = get("/api/v1/file/detail", Map.of("fileID", Long.toString(a)));
    assertEquals(10, d.data().get("size").asLong());
    assertEquals(0, d.data().get("parentFileID").asLong());
    assertEquals(a, d.data().get("fileID").asLong());
    Reply i = post("/api/v1/file/infos", "{\"fileIds\":[" + a + ",424242]}");
    assertEquals(1, i.data().get("fileList").size());
    String text = i.data().get("fileList").get(0).get("updateAt").asText();
    assertTrue(text.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), "the example's string by default: " + text);
    door.infosUseListKey(true);
    assertTrue(post("/api/v1/file/infos", "{\"fileIds\":[" + a + "]}").data().has("list"));
    door.infosNumericUpdateAt(true);
    JsonNode numeric = post("/api/v1/file/infos", "{\"fileIds\":[" + a + "]}").data().get("list").get(0).get("updateAt");
    assertTrue(numeric.isIntegralNumber(), numeric.toString());
    assertEquals(store.node(demo.uid(), a).orElseThrow().updated().getEpochSecond(), numeric.asLong());
  }

  @Test
  void listingLag_hidesFreshEntries() {
    door.listingLag(Duration.ofSeconds(2));
    mkdir(0, "fresh");
    assertEquals(0, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100")).data().get("fileList").size());
    clock.advance(Duration.ofMillis(2000));
    assertEquals(1, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100")).data().get("fileList").size());
  }

  @Test
  void legacyList_pagesWithTotal_andSeparatesTrash() {
    door.qpsEnabled(false);
    long a = mkdir(0, "a");
    mkdir(0, "b");
    mkdir(0, "c");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + a + "]}");
    Reply r = get("/api/v1/file/list", Map.of("parentFileId", "0", "page", "1", "limit", "1", "orderBy", "file_name",
        "orderDirection", "desc"));
    assertEquals(2, r.data().get("total").asInt());
    assertEquals("c", r.data().get("fileList").get(0).get("filename").asText());
    assertTrue(r.data().get("fileList").get(0).has("fileID"));
    Reply bin = get("/api/v1/file/list", Map.of("parentFileId", "0", "page", "1", "limit", "10", "orderBy", "file_id",
        "orderDirection", "asc", "trashed", "true"));
    assertEquals(1, bin.data().get("total").asInt());
  }

  private static List<String> names(List<JsonNode> items) {
    return items.stream().map(i -> i.get("filename").asText()).toList();
  }

  @Test
  void category_keepsOnlyThatCategory_andPagesOverTheFilteredEntries() {
    door.qpsEnabled(false);
    long dir = mkdir(0, "media");
    for (String n : List.of("a.mp4", "b.jpg", "c.mp4", "d.txt", "e.mkv", "f.png", "g.mp4")) {
      store.createFile(demo.uid(), dir, n, store.putBlob(n.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    mkdir(dir, "sub");
    List<JsonNode> videos = listAll(dir, 2, Map.of("category", "2"));
    assertEquals(List.of("a.mp4", "c.mp4", "e.mkv", "g.mp4"), names(videos));
    videos.forEach(v -> assertEquals(2, v.get("category").asInt()));
    assertEquals(List.of("b.jpg", "f.png"), names(listAll(dir, 1, Map.of("category", "3"))));
    // the cursor the filter leaves behind pages the same with the doc's (inclusive) reading
    door.listCursorInclusive(true);
    assertEquals(List.of("a.mp4", "c.mp4", "e.mkv", "g.mp4"), names(listAll(dir, 3, Map.of("category", "2"))));
    door.listCursorInclusive(false);
    // no entry of a category: one empty last page
    Reply none = get("/api/v2/file/list", Map.of("parentFileId", Long.toString(dir), "limit", "100", "category", "7"));
    assertEquals(0, none.data().get("fileList").size());
    assertEquals(-1, none.data().get("lastFileId").asLong());
    // 0 and an empty value are no filter at all (everything, folders too)
    assertEquals(8, listAll(dir, 3, Map.of("category", "0")).size());
    assertEquals(8, listAll(dir, 3, Map.of("category", "")).size());
    door.listCategoryZeroFilters(true);
    assertEquals(List.of("d.txt", "sub"), names(listAll(dir, 3, Map.of("category", "0"))));
    // a search is filtered too
    Reply found = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100", "searchData", "g", "category", "2"));
    assertEquals(List.of("g.mp4"), names(iterable(found.data().get("fileList"))));
    assertEquals(1, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100", "category", "video")).code());
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  @Test
  void businessType2_listsTheTranscodeSpace_emptyUntilSeeded() {
    door.qpsEnabled(false);
    long dir = mkdir(0, "movies");
    store.createFile(demo.uid(), dir, "drive.mp4", store.putBlob(new byte[] {1}));
    Reply empty = get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100", "businessType", "2"));
    assertEquals(0, empty.code(), empty.toString());
    assertEquals(0, empty.data().get("fileList").size(), "the drive's entries are not in the transcode space");
    assertEquals(-1, empty.data().get("lastFileId").asLong());
    assertEquals(0, get("/api/v2/file/list", Map.of("parentFileId", Long.toString(dir), "limit", "100", "businessType", "2"))
        .data().get("fileList").size());

    long folder = door.transcodeSpace().folder(demo, 0, "转码").id();
    long clip = door.transcodeSpace().file(demo, folder, "clip.mp4", store.putBlob(new byte[] {1, 2})).id();
    door.transcodeSpace().file(demo, folder, "cover.jpg", store.putBlob(new byte[] {3}));
    door.transcodeSpace().file(demo, folder, "clip2.mp4", store.putBlob(new byte[] {4}));
    assertEquals(List.of("转码"), names(listAll(0, 100, Map.of("businessType", "2"))));
    assertEquals(List.of("clip.mp4", "cover.jpg", "clip2.mp4"), names(listAll(folder, 1, Map.of("businessType", "2"))));
    assertEquals(List.of("clip.mp4", "clip2.mp4"), names(listAll(folder, 1, Map.of("businessType", "2", "category", "2"))));
    JsonNode first = listAll(folder, 100, Map.of("businessType", "2")).get(0);
    assertEquals(clip, first.get("fileId").asLong());
    assertEquals(folder, first.get("parentFileId").asLong());
    assertEquals(md5(new byte[] {1, 2}), first.get("etag").asText());
    // the transcode space stays out of the drive: its listing, its search and its ids
    assertEquals(List.of("movies"), names(listAll(0, 100)));
    assertEquals(0, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100", "searchData", "clip"))
        .data().get("fileList").size());
    assertEquals(5066, get("/api/v1/file/detail", Map.of("fileID", Long.toString(clip))).code());
    assertEquals(List.of("clip.mp4", "clip2.mp4"), names(iterable(get("/api/v2/file/list", Map.of("parentFileId", "0",
        "limit", "100", "searchData", "clip", "businessType", "2")).data().get("fileList"))));
    // no business type, or 0, is the drive; other values are refused
    assertEquals(List.of("movies"), names(listAll(0, 100, Map.of("businessType", "0"))));
    assertEquals(1, get("/api/v2/file/list", Map.of("parentFileId", "0", "limit", "100", "businessType", "3")).code());
  }
}
