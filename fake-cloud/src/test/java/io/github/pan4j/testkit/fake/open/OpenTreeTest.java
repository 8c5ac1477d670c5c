package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenTreeTest extends OpenFixture {
  private static final String NAME_MSG = "文件名要小于256个字符且不能包含以下任何字符";

  @Override
  OpenApiFrontDoor newDoor() {
    return super.newDoor().qpsEnabled(false);
  }

  @Test
  void mkdir_clash_isCode1WithExactMessage() {
    mkdir(0, "a");
    Reply r = post("/upload/v1/file/mkdir", "{\"name\":\"a\",\"parentID\":0}");
    assertEquals(1, r.code());
    assertEquals("该目录下已经有同名文件夹,无法进行创建", r.message());
  }

  @Test
  void mkdir_unknownParent_isParentFileIdMissing() {
    Reply r = post("/upload/v1/file/mkdir", "{\"name\":\"a\",\"parentID\":123}");
    assertEquals(1, r.code());
    assertEquals("parentFileID不存在", r.message());
  }

  @Test
  void nameRules_onMkdirAndRename() {
    for (String bad : new String[] {"a/b", "a\\\\b", "a:b", "a*b", "a?b", "a|b", "a>b", "a<b", "a\\\"b", "   ",
        "x".repeat(256)}) {
      Reply r = post("/upload/v1/file/mkdir", "{\"name\":\"" + bad + "\",\"parentID\":0}");
      assertEquals(1, r.code(), bad);
      assertTrue(r.message().startsWith(NAME_MSG), r.message());
    }
    // "under 256" (the laxer reading of §7.2) by default: 255 is accepted, 256 refused above;
    // maxNameLength(254) gives the stricter reading.
    assertEquals(0, post("/upload/v1/file/mkdir", "{\"name\":\"" + "x".repeat(255) + "\",\"parentID\":0}").code());
    door.maxNameLength(254);
    assertEquals(1, post("/upload/v1/file/mkdir", "{\"name\":\"" + "y".repeat(255) + "\",\"parentID\":0}").code());
    long a = mkdir(0, "a");
    Reply r = call("PUT", "open", "/api/v1/file/name", null, "{\"fileId\":" + a + ",\"fileName\":\"b:c\"}", true);
    assertTrue(r.message().startsWith(NAME_MSG));
  }

  @Test
  void rename_single_andBatch() {
    long a = mkdir(0, "a");
    long b = mkdir(0, "b");
    assertEquals(0, call("PUT", "open", "/api/v1/file/name", null, "{\"fileId\":" + a + ",\"fileName\":\"a2\"}", true).code());
    assertEquals("a2", store.node(demo.uid(), a).orElseThrow().name());
    assertEquals(1, call("PUT", "open", "/api/v1/file/name", null, "{\"fileId\":" + a + ",\"fileName\":\"b\"}", true).code());
    Reply batch = post("/api/v1/file/rename", "{\"renameList\":[\"" + a + "|x\",\"" + b + "|x\"]}");
    assertEquals(0, batch.code());
    assertEquals(1, batch.data().get("successList").size());
    assertEquals(1, batch.data().get("failList").size());
    StringBuilder many = new StringBuilder("{\"renameList\":[");
    for (int i = 0; i < 31; i++) many.append(i == 0 ? "" : ",").append("\"").append(a).append("|n").append(i).append("\"");
    assertEquals(1, post("/api/v1/file/rename", many + "]}").code());
  }

  @Test
  void move_refusesDescendantAndClash() {
    long a = mkdir(0, "a");
    long b = mkdir(a, "b");
    long c = mkdir(0, "c");
    assertEquals(1, post("/api/v1/file/move", "{\"fileIDs\":[" + a + "],\"toParentFileID\":" + b + "}").code());
    assertEquals(1, post("/api/v1/file/move", "{\"fileIDs\":[" + a + "],\"toParentFileID\":" + a + "}").code());
    assertEquals(0, post("/api/v1/file/move", "{\"fileIDs\":[" + c + "],\"toParentFileID\":" + a + "}").code());
    assertEquals(a, store.node(demo.uid(), c).orElseThrow().parentId());
    mkdir(0, "b");
    assertEquals(1, post("/api/v1/file/move", "{\"fileIDs\":[" + b + "],\"toParentFileID\":0}").code());
  }

  @Test
  void move_ofTwoEntriesOfOneName_intoOneFolder_isRefused_andNothingMoves() {
    long a = mkdir(0, "a");
    long b = mkdir(0, "b");
    long target = mkdir(0, "t");
    long xa = mkdir(a, "x");
    long xb = mkdir(b, "x");
    Reply r = post("/api/v1/file/move", "{\"fileIDs\":[" + xa + "," + xb + "],\"toParentFileID\":" + target + "}");
    assertEquals(1, r.code(), r.raw());
    assertEquals("目标目录下存在同名文件", r.message());
    assertEquals(a, store.node(demo.uid(), xa).orElseThrow().parentId(), "all or nothing");
    assertEquals(b, store.node(demo.uid(), xb).orElseThrow().parentId());
    // the same id twice is one entry, not a clash
    assertEquals(0, post("/api/v1/file/move", "{\"fileIDs\":[" + xa + "," + xa + "],\"toParentFileID\":" + target + "}").code());
    assertEquals(target, store.node(demo.uid(), xa).orElseThrow().parentId());
  }

  @Test
  void move_ofATrashedEntry_is5066_likeRenameAndCopy_andLeavesItInTheBin() {
    long bin = mkdir(0, "bin");
    long inside = mkdir(bin, "inside");
    long loose = mkdir(0, "loose");
    long target = mkdir(0, "t");
    assertEquals(0, post("/api/v1/file/trash", "{\"fileIDs\":[" + bin + "," + loose + "]}").code());
    for (long id : new long[] {loose, inside}) {
      Reply r = post("/api/v1/file/move", "{\"fileIDs\":[" + id + "],\"toParentFileID\":" + target + "}");
      assertEquals(5066, r.code(), r.raw());
    }
    assertEquals(0, post("/api/v1/file/move", "{\"fileIDs\":[" + target + "],\"toParentFileID\":0}").code());
    assertEquals(bin, store.node(demo.uid(), inside).orElseThrow().parentId(), "not taken out of the bin by a move");
    assertTrue(store.isTrashed(store.node(demo.uid(), inside).orElseThrow()));
    assertTrue(store.node(demo.uid(), loose).orElseThrow().trashed());
  }

  @Test
  void trashDeleteRecover() {
    long a = mkdir(0, "a");
    long b = mkdir(a, "b");
    assertEquals(1, post("/api/v1/file/delete", "{\"fileIDs\":[" + b + "]}").code());
    assertEquals(0, post("/api/v1/file/trash", "{\"fileIDs\":[" + a + "]}").code());
    assertEquals(0, post("/api/v1/file/recover", "{\"fileIDs\":[" + a + "]}").code());
    assertTrue(!store.node(demo.uid(), a).orElseThrow().trashed());
    assertEquals(0, post("/api/v1/file/trash", "{\"fileIDs\":[" + b + "]}").code());
    assertEquals(0, post("/api/v1/file/trash", "{\"fileIDs\":[" + a + "]}").code());
    Reply rec = post("/api/v1/file/recover", "{\"fileIDs\":[" + b + "]}");
    assertEquals(b, rec.data().get("abnormalFileIDs").get(0).asLong());
    long c = mkdir(0, "c");
    assertEquals(0, post("/api/v1/file/recover/by_path", "{\"fileIDs\":[" + b + "],\"parentFileID\":" + c + "}").code());
    Node nb = store.node(demo.uid(), b).orElseThrow();
    assertEquals(c, nb.parentId());
    assertTrue(!nb.trashed());
    clock.advance(Duration.ofMillis(1000));
    assertEquals(0, post("/api/v1/file/delete", "{\"fileIDs\":[" + a + "]}").code());
    assertTrue(store.node(demo.uid(), a).isEmpty());
  }

  @Test
  void copy_singleFile() {
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob(new byte[] {7}));
    long d = mkdir(0, "d");
    Reply r = post("/api/v1/file/copy", "{\"fileId\":" + f.id() + ",\"targetDirId\":" + d + "}");
    assertEquals(0, r.code(), r.toString());
    assertEquals(f.id(), r.data().get("sourceFileId").asLong());
    assertEquals(d, store.node(demo.uid(), r.data().get("targetFileId").asLong()).orElseThrow().parentId());
    assertEquals(1, post("/api/v1/file/copy", "{\"fileId\":" + d + ",\"targetDirId\":0}").code());
  }

  @Test
  void unknownId_is5066() {
    Reply r = get("/api/v1/file/detail", Map.of("fileID", "99"));
    assertEquals(5066, r.code());
  }

  @Test
  void nameLimit_isASetting() {
    door.maxNameLength(255);
    assertEquals(0, post("/upload/v1/file/mkdir", "{\"name\":\"" + "y".repeat(255) + "\",\"parentID\":0}").code());
    Reply r = post("/upload/v1/file/mkdir", "{\"name\":\"" + "y".repeat(256) + "\",\"parentID\":0}");
    assertEquals(1, r.code());
    assertTrue(r.message().startsWith(NAME_MSG), r.message());
  }
}
