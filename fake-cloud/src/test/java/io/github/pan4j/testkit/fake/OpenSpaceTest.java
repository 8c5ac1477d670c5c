package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What else adds bytes to an open-platform account besides an upload: file/copy, async copy and
 * offline downloads, each held to the account's space, over raw HTTP as any client sees it.
 */
class OpenSpaceTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T04:00:00Z"));
  private final OpenApiFrontDoor open = new OpenApiFrontDoor();
  private final FakeCloud cloud = FakeCloud.builder().clock(clock).door(open).door(new VipCdnFrontDoor()).build().start();
  private final FakeStore store = cloud.store();
  private final Account demo = OpenApiFrontDoor.demoAccount(store);
  private final OkHttpClient http = new OkHttpClient();
  private final MockWebServer source = new MockWebServer();
  private String token;
  private Node dir;
  private Node ten;

  @BeforeEach
  void setUp() throws IOException {
    source.start(InetAddress.getLoopbackAddress(), 0);
    token = call("POST", "/api/v1/access_token", "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}")
        .get("data").get("accessToken").asText();
    dir = store.mkdir(demo.uid(), FakeStore.ROOT, "d");
    ten = store.createFile(demo.uid(), dir.id(), "ten.bin", store.putBlob("ten bytes!".getBytes(StandardCharsets.UTF_8)));
    // 10 bytes used, 15 in all: one more copy of ten.bin does not fit.
    demo.spacePermanent(store.spaceUsed(demo.uid()) + 5);
  }

  @AfterEach
  void tearDown() {
    source.close();
    cloud.close();
  }

  private JsonNode call(String method, String path, String json) throws IOException {
    clock.advance(java.time.Duration.ofSeconds(1)); // stay inside the QPS limits
    Request.Builder b = new Request.Builder().url(cloud.baseUrl("open") + path).header("Platform", "open_platform");
    if (token != null) b.header("Authorization", "Bearer " + token);
    b.method(method, json == null ? null : RequestBody.create(json, MediaType.get("application/json")));
    try (Response r = http.newCall(b.build()).execute()) {
      assertEquals(200, r.code());
      return Json.mapper().readTree(r.body().string());
    }
  }

  private static void assertReply(int code, String message, JsonNode r) {
    assertEquals(code, r.get("code").asInt(), r.toString());
    if (message != null) assertEquals(message, r.get("message").asText(), r.toString());
  }

  private long used() throws IOException {
    return call("GET", "/api/v1/user/info", null).get("data").get("spaceUsed").asLong();
  }

  @Test
  void copy_pastTheSpace_isRefusedAsAnUploadIs_andFitsOnceThereIsRoom() throws IOException {
    Node target = store.mkdir(demo.uid(), FakeStore.ROOT, "t");
    String body = "{\"fileId\":" + ten.id() + ",\"targetDirId\":" + target.id() + "}";
    assertReply(1, "存储空间不足", call("POST", "/api/v1/file/copy", body));
    assertTrue(store.child(demo.uid(), target.id(), "ten.bin").isEmpty(), "nothing copied");
    assertEquals(10, used());

    open.spaceFull(5054, "空间不足，请扩容");
    assertReply(5054, "空间不足，请扩容", call("POST", "/api/v1/file/copy", body));
    demo.spacePermanent(20);
    assertReply(0, null, call("POST", "/api/v1/file/copy", body));
    assertEquals(20, used(), "the copy counts");
    assertEquals(store.recountSpaceUsed(demo.uid()), used());
  }

  @Test
  void asyncCopy_pastTheSpace_isRefusedAtSubmit_andATaskThatNoLongerFitsFails() throws IOException {
    Node target = store.mkdir(demo.uid(), FakeStore.ROOT, "t");
    String body = "{\"fileIds\":[" + dir.id() + "],\"targetDirId\":" + target.id() + "}";
    assertReply(1, "存储空间不足", call("POST", "/api/v1/file/async/copy", body));
    assertEquals(0, open.asyncCopy().taskCount(), "no task started");

    demo.spacePermanent(20);
    JsonNode r = call("POST", "/api/v1/file/async/copy", body);
    assertReply(0, null, r);
    long task = r.get("data").get("taskId").asLong();
    // Another upload takes the room before the task copies.
    store.createFile(demo.uid(), FakeStore.ROOT, "late.bin", store.putBlob(new byte[1]));
    int status = -1;
    for (int i = 0; i < 5 && status < 2; i++) {
      status = call("GET", "/api/v1/file/async/copy/process?taskId=" + task, null).get("data").get("status").asInt();
    }
    assertEquals(3, status, "failed");
    assertTrue(store.child(demo.uid(), target.id(), "d").isEmpty(), "nothing copied");
    assertEquals(11, used());
  }

  @Test
  void offline_fetchedFilePastTheSpace_failsWithTheReason_andStoresNothing() throws IOException {
    source.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[6])).build());
    JsonNode r = call("POST", "/api/v1/offline/download", "{\"url\":\"" + source.url("/six.bin") + "\",\"dirID\":" + dir.id() + "}");
    assertReply(0, null, r);
    long task = r.get("data").get("taskID").asLong();
    JsonNode d = call("GET", "/api/v1/offline/download/process?taskID=" + task, null).get("data");
    assertEquals(1, d.get("status").asInt(), d.toString());
    assertEquals(0, d.get("process").asDouble());
    FakeOffline.TaskView v = FakeOffline.of(cloud).tasks().get(0);
    assertEquals("存储空间不足", v.failReason());
    assertTrue(store.child(demo.uid(), dir.id(), "six.bin").isEmpty());
    assertEquals(10, used());

    // The reason is a setting; five bytes fit exactly.
    FakeOffline.of(cloud).spaceFullReason("空间不足");
    source.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[6])).build());
    source.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[5])).build());
    long six = call("POST", "/api/v1/offline/download", "{\"url\":\"" + source.url("/six.bin") + "\",\"dirID\":" + dir.id() + "}")
        .get("data").get("taskID").asLong();
    long five = call("POST", "/api/v1/offline/download", "{\"url\":\"" + source.url("/five.bin") + "\",\"dirID\":" + dir.id() + "}")
        .get("data").get("taskID").asLong();
    call("GET", "/api/v1/offline/download/process?taskID=" + six, null);
    for (int i = 0; i < 3; i++) call("GET", "/api/v1/offline/download/process?taskID=" + five, null);
    assertEquals("空间不足", FakeOffline.of(cloud).tasks().get(1).failReason());
    assertEquals(2, FakeOffline.of(cloud).tasks().get(2).status(), FakeOffline.of(cloud).tasks().toString());
    assertEquals(15, used());
  }

  @Test
  void offline_spaceTakenWhileInProgress_failsWhenTheFileWouldBeStored() throws IOException {
    source.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[5])).build());
    long task = call("POST", "/api/v1/offline/download", "{\"url\":\"" + source.url("/five.bin") + "\",\"dirID\":" + dir.id() + "}")
        .get("data").get("taskID").asLong();
    assertEquals(0, call("GET", "/api/v1/offline/download/process?taskID=" + task, null).get("data").get("status").asInt());
    store.createFile(demo.uid(), FakeStore.ROOT, "late.bin", store.putBlob(new byte[1]));
    int status = 0;
    for (int i = 0; i < 3 && status == 0; i++) {
      status = call("GET", "/api/v1/offline/download/process?taskID=" + task, null).get("data").get("status").asInt();
    }
    assertEquals(1, status);
    assertEquals("存储空间不足", FakeOffline.of(cloud).tasks().get(0).failReason());
    assertTrue(store.child(demo.uid(), dir.id(), "five.bin").isEmpty());
  }

  @Test
  void checkOff_copiesAndOfflineDownloadsStoreAnything() throws IOException {
    store.checkSpace(false);
    Node target = store.mkdir(demo.uid(), FakeStore.ROOT, "t");
    assertReply(0, null, call("POST", "/api/v1/file/copy", "{\"fileId\":" + ten.id() + ",\"targetDirId\":" + target.id() + "}"));
    assertReply(0, null, call("POST", "/api/v1/file/async/copy", "{\"fileIds\":[" + dir.id() + "],\"targetDirId\":" + target.id() + "}"));
  }
}
