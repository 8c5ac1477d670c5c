package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offline download on the web API end to end over raw HTTP, as OpenList drives it (docs/protocol/
 * 123web.md §5.10): resolve → submit → task list until the status goes from 0 (downloading) to 2
 * (succeeded), or to 1 (failed) → delete; every documented key of each reply, with its type.
 */
class WebOfflineFlowTest {
  private static final List<String> TASK_KEYS = List.of("task_id", "name", "status", "size", "third_task_id", "downloaded",
      "progress", "upload_idr", "upload_name", "type", "speed");
  private final WebFixture f = new WebFixture();
  private final MockWebServer source = new MockWebServer();
  private final byte[] content = "offline bytes".getBytes(StandardCharsets.UTF_8);
  private Node dir;

  @BeforeEach
  void setUp() throws IOException {
    source.start(InetAddress.getLoopbackAddress(), 0);
    source.enqueue(new MockResponse.Builder().code(200).body(new okio.Buffer().write(content)).build());
    f.login();
    dir = f.store.mkdir(f.demo.uid(), FakeStore.ROOT, "downloads");
  }

  @AfterEach
  void tearDown() {
    source.close();
    f.close();
  }

  private long submit() {
    JsonNode resolved = f.post("/v2/offline_download/task/resolve", "{\"urls\":\"" + source.url("/movie.bin") + "\"}");
    assertEquals(0, resolved.get("code").asInt(), resolved.toString());
    JsonNode res = resolved.get("data").get("list").get(0);
    assertEquals(0, res.get("result").asInt());
    assertEquals(0, res.get("err_code").asInt());
    assertEquals("", res.get("err_msg").asText());
    assertTrue(res.get("id").asLong() > 0, res.toString());
    long fileId = res.get("files").get(0).get("id").asLong();
    JsonNode submitted = f.post("/v2/offline_download/task/submit", "{\"resource_list\":[{\"resource_id\":" + res.get("id").asLong()
        + ",\"select_file_id\":[" + fileId + "]}],\"upload_dir\":" + dir.id() + "}");
    assertEquals(0, submitted.get("code").asInt(), submitted.toString());
    JsonNode task = submitted.get("data").get("task_list").get(0);
    assertEquals(0, task.get("result").asInt());
    return task.get("task_id").asLong();
  }

  /** One poll: the task's row of the list (OpenList's body), or null when it is not listed. */
  private JsonNode row(long taskId) {
    JsonNode r = f.post("/offline_download/task/list", "{\"current_page\":1,\"page_size\":100,\"status_arr\":[0,1,2,3]}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    JsonNode d = r.get("data");
    assertTrue(d.get("has_run").isNumber() && d.get("total").isNumber(), d.toString());
    for (JsonNode t : d.get("list")) if (t.get("task_id").asLong() == taskId) return t;
    return null;
  }

  @Test
  void statusGoesFrom0To2_withEveryDocumentedKey_thenTheFileIsThere_andDeleteRemovesTheTask() {
    long taskId = submit();
    List<Integer> statuses = new ArrayList<>();
    JsonNode t = null;
    for (int i = 0; i < 10 && (t == null || t.get("status").asInt() != 2); i++) {
      t = row(taskId);
      List<String> keys = new ArrayList<>();
      t.fieldNames().forEachRemaining(keys::add);
      assertEquals(TASK_KEYS, keys);
      assertTrue(t.get("progress").isFloatingPointNumber(), "progress is a float: " + t);
      assertEquals(dir.id(), t.get("upload_idr").asLong());
      assertEquals("downloads", t.get("upload_name").asText());
      statuses.add(t.get("status").asInt());
    }
    assertEquals(0, statuses.get(0), "downloading first: " + statuses);
    assertEquals(2, statuses.get(statuses.size() - 1), "then succeeded: " + statuses);
    assertTrue(statuses.stream().allMatch(s -> s == 0 || s == 2), statuses.toString());
    assertEquals(100.0, t.get("progress").asDouble());
    assertEquals(content.length, t.get("size").asLong());
    assertEquals(content.length, t.get("downloaded").asLong());
    Node stored = f.store.child(f.demo.uid(), dir.id(), "movie.bin").orElseThrow();
    assertArrayEquals(content, stored.blob().bytes());

    JsonNode deleted = f.post("/offline_download/task/delete", "{\"task_ids\":[" + taskId + "]}");
    assertEquals(0, deleted.get("code").asInt(), deleted.toString());
    assertEquals(null, row(taskId));
  }

  @Test
  void failedTask_isStatus1() {
    FakeOffline.of(f.cloud).failNext(1, "下载失败", 0);
    long taskId = submit();
    JsonNode t = row(taskId);
    for (int i = 0; i < 10 && t.get("status").asInt() == 0; i++) t = row(taskId);
    assertEquals(1, t.get("status").asInt(), t.toString());
    assertNotEquals(100.0, t.get("progress").asDouble());
    assertTrue(f.store.child(f.demo.uid(), dir.id(), "movie.bin").isEmpty(), "nothing stored");
  }

  @Test
  void resolveOfANonHttpUrl_hasANonZeroResult() {
    JsonNode r = f.post("/v2/offline_download/task/resolve", "{\"urls\":\"ftp://example.com/a.bin\"}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    assertNotEquals(0, r.get("data").get("list").get(0).get("result").asInt());
  }
}
