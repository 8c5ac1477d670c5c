package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server-side copy (§5.11), as rclone-123pan calls it: submit, then poll the task. */
class WebCopyTest {
  private static final String ASYNC = "/restful/goapi/v1/file/copy/async";
  private static final String TASK = "/restful/goapi/v1/file/copy/task";
  private final WebFixture f = new WebFixture();
  private Node dir;
  private Node file;
  private Node target;

  @BeforeEach
  void setUp() {
    f.login();
    dir = f.store.mkdir(f.demo.uid(), 0, "dir");
    file = f.store.createFile(f.demo.uid(), dir.id(), "a.txt", f.store.putBlob(new byte[] {1, 2, 3}));
    target = f.store.mkdir(f.demo.uid(), 0, "target");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** rclone-123pan's body: the whole item, ids as numbers. */
  private String body(Node n, long targetId) {
    return "{\"fileList\":[{\"fileId\":" + n.id() + ",\"size\":" + n.size() + ",\"etag\":\"" + n.md5() + "\",\"type\":"
        + (n.folder() ? 1 : 0) + ",\"parentFileId\":" + n.parentId() + ",\"fileName\":\"" + n.name() + "\",\"driveId\":0}],"
        + "\"targetFileId\":" + targetId + "}";
  }

  private JsonNode poll(long taskId) {
    return f.get(TASK, Map.of("taskId", Long.toString(taskId)));
  }

  @Test
  void copyFolder_task_pendingThenDone_treeCopiedWithNewIds() {
    JsonNode r = f.post(ASYNC, body(dir, target.id()));
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals("ok", r.get("message").asText());
    assertNotEquals(2, r.get("data").get("mode").asInt());
    long taskId = r.get("data").get("taskId").asLong();
    assertTrue(f.store.children(f.demo.uid(), target.id(), false).isEmpty(), "nothing copied before the task runs");
    assertEquals(0, poll(taskId).get("data").get("status").asInt());
    assertEquals(1, poll(taskId).get("data").get("status").asInt());
    JsonNode done = poll(taskId).get("data");
    assertEquals(2, done.get("status").asInt());
    assertEquals(taskId, done.get("taskId").asLong());
    Node copied = f.store.child(f.demo.uid(), target.id(), "dir").orElseThrow();
    assertNotEquals(dir.id(), copied.id());
    Node a = f.store.child(f.demo.uid(), copied.id(), "a.txt").orElseThrow();
    assertNotEquals(file.id(), a.id());
    assertEquals(file.md5(), a.md5());
    assertTrue(f.store.child(f.demo.uid(), dir.id(), "a.txt").isPresent(), "the source stays");
    assertEquals(2, poll(taskId).get("data").get("status").asInt(), "done stays done");
  }

  @Test
  void immediateMode_answersMode2_andHasCopied() {
    f.web.copy().immediate(true);
    JsonNode r = f.post(ASYNC, "{\"FileList\":[{\"FileId\":\"" + file.id() + "\"}],\"targetFileId\":\"" + target.id() + "\"}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertEquals(2, r.get("data").get("mode").asInt());
    assertArrayEquals(new byte[] {1, 2, 3}, f.store.child(f.demo.uid(), target.id(), "a.txt").orElseThrow().blob().bytes());
  }

  @Test
  void failedTask_status3_withReason_nothingCopied() {
    f.web.copy().polls(0, 0).failTasks(1);
    long taskId = f.post(ASYNC, body(file, target.id())).get("data").get("taskId").asLong();
    JsonNode d = poll(taskId).get("data");
    assertEquals(3, d.get("status").asInt());
    assertTrue(!d.get("reason").asText().isEmpty());
    assertTrue(f.store.children(f.demo.uid(), target.id(), false).isEmpty());
  }

  @Test
  void refusals() {
    assertEquals(400, f.post(ASYNC, "{\"fileList\":[],\"targetFileId\":" + target.id() + "}").get("code").asInt());
    assertEquals(400, f.post(ASYNC, "{\"fileList\":[{\"fileId\":" + file.id() + "}]}").get("code").asInt());
    assertEquals(5066, f.post(ASYNC, body(file, 987654)).get("code").asInt());
    assertEquals(5066, f.post(ASYNC, "{\"fileList\":[{\"fileId\":987654}],\"targetFileId\":0}").get("code").asInt());
    assertEquals(400, f.post(ASYNC, body(dir, dir.id())).get("code").asInt(), "into itself");
    JsonNode clash = f.post(ASYNC, body(file, dir.id()));
    assertEquals(5060, clash.get("code").asInt());
    assertEquals("检测到1个同名文件", clash.get("message").asText());
    assertEquals(file.md5(), clash.get("data").get("etag").asText());
    assertEquals(400, poll(424242).get("code").asInt(), "unknown task");
    assertEquals(0, f.web.copy().taskCount());
  }

  @Test
  void needsAToken() {
    f.token = null;
    assertEquals(401, f.post(ASYNC, body(file, target.id())).get("code").asInt());
  }
}
