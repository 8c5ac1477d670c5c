package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** mkdir (upload_request type 1), mod_pid, rename, trash (§5.5–§5.8). */
class WebMutationTest {
  private final WebFixture f = new WebFixture();

  @BeforeEach
  void setUp() {
    f.login();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private JsonNode mkdir(long parent, String name, String extra) {
    return f.post("/file/upload_request", "{\"driveId\":0,\"etag\":\"\",\"fileName\":\"" + name + "\",\"parentFileId\":\"" + parent
        + "\",\"size\":0,\"type\":1" + extra + "}");
  }

  @Test
  void mkdir_olBody_createsFolder_infoFileId() {
    JsonNode r = mkdir(0, "new", "");
    assertEquals(0, r.get("code").asInt());
    JsonNode d = r.get("data");
    assertFalse(d.get("Reuse").asBoolean());
    long id = d.get("Info").get("FileId").asLong();
    assertEquals(id, d.get("FileId").asLong());
    assertTrue(f.store.node(f.demo.uid(), id).get().folder());
    assertEquals("", d.get("Key").asText());
  }

  /** A strict 2023 validator: 13 keys for a folder, STS fields null, Info without EnableAppeal/ToolTip/RefuseReason. */
  @Test
  void mkdir_reply_thirteenKeys_stsNull_info21Keys() {
    JsonNode d = mkdir(0, "shape", "").get("data");
    java.util.Set<String> keys = new java.util.TreeSet<>();
    d.fieldNames().forEachRemaining(keys::add);
    assertEquals(new java.util.TreeSet<>(java.util.List.of("FileId", "Key", "Bucket", "Reuse", "UploadId", "StorageNode", "EndPoint",
        "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "UploadFileStatus", "Info")), keys);
    for (String k : new String[] {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}) assertTrue(d.get(k).isNull(), k);
    assertEquals(21, d.get("Info").size());
    assertFalse(d.get("Info").has("EnableAppeal"));
    f.web.folderReplyExtraKey(WebFrontDoor.FolderReplyExtraKey.SLICE_SIZE);
    JsonNode s = mkdir(0, "shape2", "").get("data");
    assertEquals(13, s.size());
    assertTrue(s.has("SliceSize"));
    f.web.folderReplyExtraKey(WebFrontDoor.FolderReplyExtraKey.BOTH);
    assertEquals(14, mkdir(0, "shape3", "").get("data").size());
  }

  @Test
  void mkdir_existingFolder_reusedUnlessNotReuse_then5060OrRenamed() {
    long id = mkdir(0, "a", "").get("data").get("Info").get("FileId").asLong();
    JsonNode again = mkdir(0, "a", "");
    assertTrue(again.get("data").get("Reuse").asBoolean());
    assertEquals(id, again.get("data").get("Info").get("FileId").asLong());
    JsonNode clash = mkdir(0, "a", ",\"NotReuse\":true");
    assertEquals(5060, clash.get("code").asInt());
    assertEquals("检测到1个同名文件", clash.get("message").asText());
    JsonNode renamed = mkdir(0, "a", ",\"NotReuse\":true,\"duplicate\":1");
    assertEquals("a(1)", renamed.get("data").get("Info").get("FileName").asText());
  }

  @Test
  void mkdir_invalidName5064_missingParent5066() {
    assertEquals(5064, mkdir(0, "a:b", "").get("code").asInt());
    assertEquals(5064, mkdir(0, "x".repeat(128), "").get("code").asInt());
    assertEquals(5066, mkdir(987654, "a", "").get("code").asInt());
  }

  /** A JSON number past 64 bits names no id (refused as a bad argument, not wrapped onto an existing entry); past 32 bits it is no 0/1 flag. */
  @Test
  void numbersPastTheirRange_areRefused_notWrappedOntoExistingIdsOrFlags() {
    Node a = f.store.mkdir(f.demo.uid(), 0, "a");
    Node x = f.store.createFile(f.demo.uid(), 0, "x", f.store.putBlob(new byte[] {1}));
    java.math.BigInteger wrap = java.math.BigInteger.ONE.shiftLeft(64);
    JsonNode made = f.post("/file/upload_request", "{\"driveId\":0,\"etag\":\"\",\"fileName\":\"w\",\"parentFileId\":"
        + wrap.add(java.math.BigInteger.valueOf(a.id())) + ",\"size\":0,\"type\":1}");
    assertEquals(400, made.get("code").asInt(), made.toString());
    assertTrue(f.store.children(f.demo.uid(), a.id(), true).isEmpty());
    JsonNode moved = f.post("/file/mod_pid", "{\"fileIdList\":[{\"FileId\":" + wrap.add(java.math.BigInteger.valueOf(x.id()))
        + "}],\"parentFileId\":" + a.id() + "}");
    assertEquals(400, moved.get("code").asInt(), moved.toString());
    assertEquals(0L, x.parentId());
    // 2^32 + 1 is no 0/1 flag either (an int cast would make it 1, "to the recycle bin")
    f.post("/file/trash", "{\"fileTrashInfoList\":[{\"FileId\":" + x.id() + "}],\"operation\":4294967297}");
    assertFalse(x.trashed(), "a flag past 32 bits is not true");
  }

  @Test
  void rename_ok_clash5060_invalid5064() {
    Node a = f.store.mkdir(f.demo.uid(), 0, "a");
    f.store.mkdir(f.demo.uid(), 0, "b");
    JsonNode r = f.post("/file/rename", "{\"driveId\":0,\"fileId\":\"" + a.id() + "\",\"fileName\":\"c\"}");
    assertEquals(0, r.get("code").asInt());
    assertEquals("c", r.get("data").get("Info").get("FileName").asText());
    assertEquals("c", a.name());
    assertEquals(5060, f.post("/file/rename", "{\"driveId\":0,\"fileId\":" + a.id() + ",\"fileName\":\"b\"}").get("code").asInt());
    assertEquals(5064, f.post("/file/rename", "{\"driveId\":0,\"fileId\":" + a.id() + ",\"fileName\":\"b?\"}").get("code").asInt());
    assertEquals(5066, f.post("/file/rename", "{\"driveId\":0,\"fileId\":1,\"fileName\":\"z\"}").get("code").asInt());
  }

  private JsonNode rename(Node n, String name, int duplicate) {
    return f.post("/file/rename", "{\"driveId\":0,\"fileId\":\"" + n.id() + "\",\"fileName\":\"" + name
        + "\",\"duplicate\":" + duplicate + ",\"event\":\"fileRename\"}");
  }

  /** duplicate 2^32 + 1 is no 1 ("keep both"): a server reading it into a 64-bit int refuses it, as any value past 2. */
  @Test
  void duplicatePast32Bits_isRefused_notReadAsKeepBoth() {
    long uid = f.demo.uid();
    Node x = f.store.createFile(uid, 0, "x.bin", f.store.putBlob(new byte[] {1}));
    f.store.createFile(uid, 0, "t.bin", f.store.putBlob(new byte[] {2}));
    JsonNode renamed = f.post("/file/rename", "{\"driveId\":0,\"fileId\":" + x.id()
        + ",\"fileName\":\"t.bin\",\"duplicate\":4294967297}");
    assertEquals(400, renamed.get("code").asInt(), renamed.toString());
    assertEquals("x.bin", x.name());
    f.store.mkdir(uid, 0, "a");
    JsonNode made = mkdir(0, "a", ",\"NotReuse\":true,\"duplicate\":4294967297");
    assertEquals(400, made.get("code").asInt(), made.toString());
  }

  @Test
  void rename_duplicate0_clash5060_1_keepsBothWithFreeName() {
    long uid = f.demo.uid();
    Node x = f.store.createFile(uid, 0, "x.bin", f.store.putBlob(new byte[] {1}));
    Node taken = f.store.createFile(uid, 0, "t.bin", f.store.putBlob(new byte[] {2}));
    f.store.createFile(uid, 0, "t(1).bin", f.store.putBlob(new byte[] {3}));
    assertEquals(5060, rename(x, "t.bin", 0).get("code").asInt());
    assertEquals("x.bin", x.name());
    JsonNode r = rename(x, "t.bin", 1);
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals("t(2).bin", r.get("data").get("Info").get("FileName").asText(), "the free-name rule of uploads");
    assertEquals("t(2).bin", x.name());
    assertEquals("t.bin", taken.name());
    assertFalse(f.store.isTrashed(taken));
    Node folder = f.store.mkdir(uid, 0, "dir");
    Node y = f.store.createFile(uid, 0, "y", f.store.putBlob(new byte[] {4}));
    assertEquals("dir(1)", rename(y, "dir", 1).get("data").get("Info").get("FileName").asText(), "a folder's name is kept too");
    assertEquals("dir", folder.name());
    assertEquals(400, rename(y, "z", 3).get("code").asInt());
  }

  @Test
  void rename_duplicate2_replacesAClashingFile_butNotAFolder() {
    long uid = f.demo.uid();
    Node x = f.store.createFile(uid, 0, "x.bin", f.store.putBlob(new byte[] {1}));
    Node old = f.store.createFile(uid, 0, "t.bin", f.store.putBlob(new byte[] {2}));
    JsonNode r = rename(x, "t.bin", 2);
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals("t.bin", r.get("data").get("Info").get("FileName").asText());
    assertEquals(x.id(), r.get("data").get("Info").get("FileId").asLong());
    assertEquals("t.bin", x.name());
    assertTrue(f.store.isTrashed(old), "the replaced file goes to the recycle bin");
    assertEquals(x.id(), f.store.child(uid, 0, "t.bin").get().id());
    Node folder = f.store.mkdir(uid, 0, "dir");
    JsonNode clash = rename(x, "dir", 2);
    assertEquals(5060, clash.get("code").asInt(), "a clashing folder is never replaced");
    assertEquals("t.bin", x.name());
    assertFalse(f.store.isTrashed(folder));
  }

  @Test
  void move_ok_intoSelf400_clash5060() {
    Node a = f.store.mkdir(f.demo.uid(), 0, "a");
    Node b = f.store.mkdir(f.demo.uid(), 0, "b");
    Node x = f.store.createFile(f.demo.uid(), 0, "x", f.store.putBlob(new byte[] {1}));
    JsonNode r = f.post("/file/mod_pid", "{\"fileIdList\":[{\"FileId\":\"" + x.id() + "\"}],\"parentFileId\":\"" + a.id() + "\"}");
    assertEquals(0, r.get("code").asInt());
    assertEquals(a.id(), x.parentId());
    assertEquals(x.id(), r.get("data").get("Info").get(0).get("FileId").asLong());
    assertEquals(400, f.post("/file/mod_pid", "{\"fileIdList\":[{\"FileId\":" + a.id() + "}],\"parentFileId\":" + a.id() + "}").get("code").asInt());
    f.store.createFile(f.demo.uid(), b.id(), "x", f.store.putBlob(new byte[] {2}));
    assertEquals(5060, f.post("/file/mod_pid", "{\"fileIdList\":[{\"FileId\":" + x.id() + "}],\"parentFileId\":" + b.id() + "}").get("code").asInt());
  }

  @Test
  void move_twoEntriesOfOneName_5060_nothingMoved() {
    Node a = f.store.mkdir(f.demo.uid(), 0, "a");
    Node b = f.store.mkdir(f.demo.uid(), 0, "b");
    Node c = f.store.mkdir(f.demo.uid(), 0, "c");
    Node x1 = f.store.createFile(f.demo.uid(), a.id(), "x.txt", f.store.putBlob(new byte[] {1}));
    Node x2 = f.store.createFile(f.demo.uid(), b.id(), "x.txt", f.store.putBlob(new byte[] {2}));
    JsonNode r = f.post("/file/mod_pid", "{\"fileIdList\":[{\"FileId\":" + x1.id() + "},{\"FileId\":" + x2.id()
        + "}],\"parentFileId\":" + c.id() + "}");
    assertEquals(5060, r.get("code").asInt(), "the second would take the name the first takes: " + r);
    assertEquals("检测到1个同名文件", r.get("message").asText());
    assertEquals(a.id(), x1.parentId());
    assertEquals(b.id(), x2.parentId());
    assertTrue(f.store.children(f.demo.uid(), c.id(), false).isEmpty());
    JsonNode same = f.post("/file/mod_pid", "{\"fileIdList\":[{\"FileId\":" + x1.id() + "},{\"FileId\":" + x1.id()
        + "}],\"parentFileId\":" + c.id() + "}");
    assertEquals(0, same.get("code").asInt(), "one entry named twice is no clash: " + same);
    assertEquals(c.id(), x1.parentId());
  }

  @Test
  void trash_fullItemShape_andFileIdOnlyShape_andRestore() {
    Node x = f.store.createFile(f.demo.uid(), 0, "x", f.store.putBlob(new byte[] {1}));
    Node y = f.store.createFile(f.demo.uid(), 0, "y", f.store.putBlob(new byte[] {2}));
    JsonNode item = f.get("/file/list/new", WebFixture.listQuery(0, 1, 100)).get("data").get("InfoList").get(1);
    assertEquals(x.id(), item.get("FileId").asLong());
    JsonNode r = f.post("/file/trash", "{\"driveId\":0,\"operation\":true,\"fileTrashInfoList\":[" + item + "]}");
    assertEquals(0, r.get("code").asInt());
    assertEquals(1, r.get("data").get("InfoList").size());
    assertTrue(x.trashed());
    assertEquals(0, f.post("/file/trash", "{\"driveId\":0,\"event\":\"intoRecycle\",\"operation\":true,\"fileTrashInfoList\":[{\"FileId\":" + y.id() + "}]}").get("code").asInt());
    assertTrue(y.trashed());
    assertEquals(0, f.get("/file/list/new", WebFixture.listQuery(0, 1, 100)).get("data").get("Total").asInt());
    assertEquals(0, f.post("/file/trash", "{\"driveId\":0,\"operation\":false,\"fileTrashInfoList\":[{\"fileId\":\"" + y.id() + "\"}]}").get("code").asInt());
    assertFalse(y.trashed());
    assertEquals(400, f.post("/file/trash", "{\"driveId\":0,\"operation\":true,\"fileTrashInfoList\":[{\"Name\":\"y\"}]}").get("code").asInt());
  }

  private JsonNode restore(Node... nodes) {
    StringBuilder items = new StringBuilder();
    for (Node n : nodes) items.append(items.length() == 0 ? "" : ",").append("{\"FileId\":").append(n.id()).append('}');
    return f.post("/file/trash", "{\"driveId\":0,\"operation\":false,\"event\":\"recycleRestore\",\"fileTrashInfoList\":["
        + items + "]}");
  }

  private long named(long folder, String name) {
    return f.store.children(f.demo.uid(), folder, false).stream().filter(n -> n.name().equals(name)).count();
  }

  @Test
  void restore_intoAFolderHoldingItsName_keepsNamesUnique_freeNameByDefault_orRefused() {
    Node a = f.store.mkdir(f.demo.uid(), 0, "a");
    Node old = f.store.createFile(f.demo.uid(), a.id(), "x.txt", f.store.putBlob(new byte[] {1}));
    f.store.trash(old);
    Node now = f.store.createFile(f.demo.uid(), a.id(), "x.txt", f.store.putBlob(new byte[] {2}));
    JsonNode r = restore(old);
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertFalse(old.trashed());
    assertEquals("x(1).txt", old.name(), "kept both, as duplicate 1 keeps both");
    assertEquals("x.txt", now.name());
    assertEquals(1, named(a.id(), "x.txt"));

    f.store.trash(old);
    f.store.rename(old, "x.txt");
    f.web.trashBin().restoreNameClash(WebTrash.RestoreNameClash.REFUSE);
    JsonNode refused = restore(old);
    assertEquals(5060, refused.get("code").asInt(), refused.toString());
    assertEquals("检测到1个同名文件", refused.get("message").asText());
    assertTrue(old.trashed(), "nothing restored");
    assertEquals(1, named(a.id(), "x.txt"));
  }

  @Test
  void restore_twoEntriesOfOneName_intoOneFolder_neverTwoOfOneName() {
    Node a = f.store.mkdir(f.demo.uid(), 0, "a");
    Node first = f.store.createFile(f.demo.uid(), a.id(), "y.txt", f.store.putBlob(new byte[] {1}));
    f.store.trash(first);
    Node second = f.store.createFile(f.demo.uid(), a.id(), "y.txt", f.store.putBlob(new byte[] {2}));
    f.store.trash(second);
    assertEquals(0, restore(first, second).get("code").asInt());
    assertEquals(1, named(a.id(), "y.txt"));
    assertEquals(1, named(a.id(), "y(1).txt"));

    f.store.trash(first);
    f.store.trash(second);
    f.store.rename(first, "z.txt");
    f.store.rename(second, "z.txt");
    f.web.trashBin().restoreNameClash(WebTrash.RestoreNameClash.REFUSE);
    assertEquals(5060, restore(first, second).get("code").asInt());
    assertTrue(first.trashed() && second.trashed(), "all or nothing");
  }

  /** 123PanX / the web: {FileId}-only items, the intent in {@code event}, no {@code operation}. */
  @Test
  void trash_withoutOperation_eventIsTheIntent() {
    Node x = f.store.createFile(f.demo.uid(), 0, "x", f.store.putBlob(new byte[] {1}));
    JsonNode r = f.post("/file/trash", "{\"driveId\":0,\"event\":\"intoRecycle\",\"fileTrashInfoList\":[{\"FileId\":" + x.id() + "}]}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals(x.id(), r.get("data").get("InfoList").get(0).get("FileId").asLong());
    assertTrue(x.trashed());
    r = f.post("/file/trash", "{\"driveId\":0,\"event\":\"recycleRestore\",\"fileTrashInfoList\":[{\"FileId\":\"" + x.id() + "\"}]}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertFalse(x.trashed());
    // operation wins over event (OpenList's verified shape)
    assertEquals(0, f.post("/file/trash", "{\"operation\":true,\"event\":\"recycleRestore\",\"fileTrashInfoList\":[{\"FileId\":" + x.id() + "}]}").get("code").asInt());
    assertTrue(x.trashed());
  }

  @Test
  void trash_withNeitherOperationNorEvent_ignoredByDefault_settingRefusesOrTrashes() {
    Node x = f.store.createFile(f.demo.uid(), 0, "x", f.store.putBlob(new byte[] {1}));
    String body = "{\"driveId\":0,\"fileTrashInfoList\":[{\"FileId\":" + x.id() + "}]}";
    JsonNode r = f.post("/file/trash", body);
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals(0, r.get("data").get("InfoList").size());
    assertFalse(x.trashed());
    f.web.trashWithoutIntent(WebFrontDoor.TrashWithoutIntent.REFUSE);
    assertEquals(400, f.post("/file/trash", body).get("code").asInt());
    assertFalse(x.trashed());
    f.web.trashWithoutIntent(WebFrontDoor.TrashWithoutIntent.TRASH);
    assertEquals(0, f.post("/file/trash", body).get("code").asInt());
    assertTrue(x.trashed());
  }
}
