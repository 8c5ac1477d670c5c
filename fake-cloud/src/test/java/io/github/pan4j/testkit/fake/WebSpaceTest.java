package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web API's copy and offline download held to the account's space, like its upload_request. */
class WebSpaceTest {
  private static final String ASYNC = "/restful/goapi/v1/file/copy/async";
  private static final String TASK = "/restful/goapi/v1/file/copy/task";
  private final WebFixture f = new WebFixture();
  private final MockWebServer source = new MockWebServer();
  private Node dir;
  private Node target;

  @BeforeEach
  void setUp() throws IOException {
    source.start(InetAddress.getLoopbackAddress(), 0);
    f.login();
    dir = f.store.mkdir(f.demo.uid(), 0, "dir");
    f.store.createFile(f.demo.uid(), dir.id(), "a.bin", f.store.putBlob(new byte[10]));
    target = f.store.mkdir(f.demo.uid(), 0, "target");
    f.demo.spacePermanent(f.store.spaceUsed(f.demo.uid()) + 5); // 5 bytes left: no copy of a.bin fits
  }

  @AfterEach
  void tearDown() {
    source.close();
    f.close();
  }

  private String copyBody(Node n, long targetId) {
    return "{\"fileList\":[{\"fileId\":" + n.id() + ",\"type\":1,\"driveId\":0}],\"targetFileId\":" + targetId + "}";
  }

  private long used() {
    return f.get("/user/info", Map.of()).get("data").get("SpaceUsed").asLong();
  }

  @Test
  void copy_pastTheSpace_isRefusedAsAnUploadRequestIs() {
    JsonNode r = f.post(ASYNC, copyBody(dir, target.id()));
    assertEquals(400, r.get("code").asInt(), r.toString());
    assertEquals("存储空间不足", r.get("message").asText());
    f.web.copy().immediate(true);
    f.web.spaceFull(5054, "空间不足，请扩容");
    r = f.post(ASYNC, copyBody(dir, target.id()));
    assertEquals(5054, r.get("code").asInt(), r.toString());
    assertEquals("空间不足，请扩容", r.get("message").asText());
    assertTrue(f.store.children(f.demo.uid(), target.id(), false).isEmpty(), "nothing copied");
    assertEquals(10, used());
  }

  @Test
  void copyTask_thatNoLongerFits_failsWithTheSpaceText() {
    f.demo.spacePermanent(20);
    JsonNode r = f.post(ASYNC, copyBody(dir, target.id()));
    assertEquals(0, r.get("code").asInt(), r.toString());
    long task = r.get("data").get("taskId").asLong();
    f.store.createFile(f.demo.uid(), 0, "late.bin", f.store.putBlob(new byte[1]));
    JsonNode d = null;
    for (int i = 0; i < 5 && (d == null || d.get("status").asInt() < 2); i++) {
      d = f.get(TASK, Map.of("taskId", Long.toString(task))).get("data");
    }
    assertEquals(3, d.get("status").asInt(), d.toString());
    assertEquals("存储空间不足", d.get("reason").asText());
    assertTrue(f.store.children(f.demo.uid(), target.id(), false).isEmpty());
    assertEquals(11, used());
    assertEquals(f.store.recountSpaceUsed(f.demo.uid()), used());
  }

  @Test
  void offline_fetchedFilePastTheSpace_failsWithTheReason() {
    source.enqueue(new MockResponse.Builder().body(new okio.Buffer().write(new byte[6])).build());
    JsonNode res = f.post("/v2/offline_download/task/resolve", "{\"urls\":\"" + source.url("/six.bin") + "\"}")
        .get("data").get("list").get(0);
    JsonNode submitted = f.post("/v2/offline_download/task/submit", "{\"resource_list\":[{\"resource_id\":" + res.get("id").asLong()
        + ",\"select_file_id\":[0]}],\"upload_dir\":" + dir.id() + "}");
    assertEquals(0, submitted.get("data").get("task_list").get(0).get("result").asInt(), submitted.toString());
    JsonNode t = f.post("/offline_download/task/list", "{\"current_page\":1,\"page_size\":100,\"status_arr\":[0,1,2,3,4]}")
        .get("data").get("list").get(0);
    assertEquals(1, t.get("status").asInt(), t.toString());
    assertEquals("存储空间不足", FakeOffline.of(f.cloud).tasks().get(0).failReason());
    assertTrue(f.store.child(f.demo.uid(), dir.id(), "six.bin").isEmpty());
    assertEquals(10, used());
  }
}
