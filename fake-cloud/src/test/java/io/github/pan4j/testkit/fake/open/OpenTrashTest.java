package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The recycle-bin endpoints' choices where the protocol is UNKNOWN, and their settings. */
class OpenTrashTest extends OpenFixture {

  @Override
  OpenApiFrontDoor newDoor() {
    return super.newDoor().qpsEnabled(false);
  }

  @Test
  void delete_ofLiveEntry_isRefusedAllOrNothing_withConfigurableAnswer() {
    long a = mkdir(0, "a");
    long b = mkdir(0, "b");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + a + "]}");
    Reply r = post("/api/v1/file/delete", "{\"fileIDs\":[" + a + "," + b + "]}");
    assertEquals(1, r.code());
    assertEquals("文件不在回收站中，无法彻底删除", r.message());
    assertTrue(store.node(demo.uid(), a).isPresent(), "nothing deleted");
    door.trashBin().deleteNotTrashedError(400, "参数错误");
    assertEquals(400, post("/api/v1/file/delete", "{\"fileIDs\":[" + b + "]}").code());
  }

  @Test
  void deleteAndRecover_ofUnknownId_is5066() {
    assertEquals(5066, post("/api/v1/file/delete", "{\"fileIDs\":[99999999]}").code());
    assertEquals(5066, post("/api/v1/file/recover", "{\"fileIDs\":[99999999]}").code());
  }

  @Test
  void recover_nameTaken_reportsAbnormalByDefault_orRestoresAlongsideWhenSet() {
    long a = mkdir(0, "x");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + a + "]}");
    long b = mkdir(0, "x");
    Reply r = post("/api/v1/file/recover", "{\"fileIDs\":[" + a + "]}");
    assertEquals(a, r.data().get("abnormalFileIDs").get(0).asLong());
    assertTrue(store.node(demo.uid(), a).orElseThrow().trashed(), "left in the trash: names are unique in a folder");
    door.trashBin().recoverNameClashAbnormal(false);
    r = post("/api/v1/file/recover", "{\"fileIDs\":[" + a + "]}");
    assertEquals(0, r.data().get("abnormalFileIDs").size());
    assertFalse(store.node(demo.uid(), a).orElseThrow().trashed());
    assertTrue(store.node(demo.uid(), b).isPresent());
  }

  @Test
  void recover_ofAnEntryTrashedThroughItsFolder_reportsIt_andLiveEntriesAreANoOp() {
    long dir = mkdir(0, "d");
    long child = mkdir(dir, "c");
    long live = mkdir(0, "live");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + dir + "]}");
    Reply r = post("/api/v1/file/recover", "{\"fileIDs\":[" + child + "," + live + "]}");
    assertEquals(0, r.code());
    assertEquals(1, r.data().get("abnormalFileIDs").size(), r.raw());
    assertEquals(child, r.data().get("abnormalFileIDs").get(0).asLong(), "its folder is trashed");
    assertTrue(store.isTrashed(store.node(demo.uid(), child).orElseThrow()), "left as it was");
    assertEquals(0, post("/api/v1/file/recover", "{\"fileIDs\":[" + dir + "]}").data().get("abnormalFileIDs").size());
    assertFalse(store.isTrashed(store.node(demo.uid(), child).orElseThrow()), "back with its folder");
  }

  @Test
  void recoverByPath_intoTrashedFolder_isParentMissing() {
    long dir = mkdir(0, "dir");
    long f = mkdir(0, "f");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + dir + "," + f + "]}");
    Reply r = post("/api/v1/file/recover/by_path", "{\"fileIDs\":[" + f + "],\"parentFileID\":" + dir + "}");
    assertEquals(1, r.code());
    assertEquals("parentFileID不存在", r.message());
  }

  @Test
  void recoverByPath_intoAFolderHoldingTheName_isRefused_andNothingRestored() {
    long dir = mkdir(0, "dir");
    long x = mkdir(0, "x");
    long y = mkdir(0, "y");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + x + "," + y + "]}");
    mkdir(dir, "y");
    Reply r = post("/api/v1/file/recover/by_path", "{\"fileIDs\":[" + x + "," + y + "],\"parentFileID\":" + dir + "}");
    assertEquals(1, r.code());
    assertEquals("目标目录下存在同名文件", r.message());
    assertTrue(store.node(demo.uid(), x).orElseThrow().trashed(), "all or nothing");
    assertTrue(store.node(demo.uid(), y).orElseThrow().trashed());
    assertEquals(0, store.node(demo.uid(), x).orElseThrow().parentId(), "not moved");
  }

  @Test
  void recoverByPath_ofLiveEntries_leavesThemWhereTheyAre_likeRecover() {
    long folder = mkdir(0, "f");
    long child = mkdir(folder, "c");
    long other = mkdir(0, "o");
    // Not in the bin: nothing to recover, so not a move either; a live folder sent into its own
    // child would otherwise make a cycle.
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      Reply r = post("/api/v1/file/recover/by_path", "{\"fileIDs\":[" + folder + "],\"parentFileID\":" + child + "}");
      assertEquals(0, r.code(), r.raw());
      r = post("/api/v1/file/recover/by_path", "{\"fileIDs\":[" + other + "],\"parentFileID\":" + folder + "}");
      assertEquals(0, r.code(), r.raw());
      assertEquals(0, store.node(demo.uid(), folder).orElseThrow().parentId(), "not moved into its child");
      assertEquals(0, store.node(demo.uid(), other).orElseThrow().parentId(), "a live entry is not moved");
      assertEquals(0, get("/api/v2/file/list", java.util.Map.of("parentFileId", Long.toString(child), "limit", "100")).code());
    });
  }

  @Test
  void recoverByPath_ofTwoEntriesOfOneName_isRefused() {
    long dir = mkdir(0, "dir");
    long a = mkdir(0, "z");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + a + "]}");
    long b = mkdir(0, "z");
    post("/api/v1/file/trash", "{\"fileIDs\":[" + b + "]}");
    Reply r = post("/api/v1/file/recover/by_path", "{\"fileIDs\":[" + a + "," + b + "],\"parentFileID\":" + dir + "}");
    assertEquals("目标目录下存在同名文件", r.message());
    assertEquals(0, post("/api/v1/file/recover/by_path", "{\"fileIDs\":[" + a + "],\"parentFileID\":" + dir + "}").code());
    assertFalse(store.node(demo.uid(), a).orElseThrow().trashed());
  }
}
