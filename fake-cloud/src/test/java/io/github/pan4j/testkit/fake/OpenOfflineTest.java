package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake open platform's offline download, over raw HTTP as any client sees it. */
class OpenOfflineTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T04:00:00Z"));
  private final OpenApiFrontDoor open = new OpenApiFrontDoor();
  private final FakeCloud cloud = FakeCloud.builder().clock(clock).door(open).door(new VipCdnFrontDoor()).build().start();
  private final Account demo = OpenApiFrontDoor.demoAccount(cloud.store());
  private final OkHttpClient http = new OkHttpClient();
  private final MockWebServer source = new MockWebServer();
  private String token;

  @BeforeEach
  void setUp() throws IOException {
    source.start(InetAddress.getLoopbackAddress(), 0);
    token = call("POST", "/api/v1/access_token", "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}")
        .get("data").get("accessToken").asText();
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

  private JsonNode add(String body) throws IOException {
    return call("POST", "/api/v1/offline/download", body);
  }

  private JsonNode poll(long task) throws IOException {
    return call("GET", "/api/v1/offline/download/process?taskID=" + task, null);
  }

  private long folder(String name) {
    return cloud.store().mkdir(demo.uid(), FakeStore.ROOT, name).id();
  }

  @Test
  void task_progressesPerPoll_thenFileIsInFolder() throws IOException {
    byte[] content = "offline bytes".getBytes();
    source.enqueue(new MockResponse.Builder().body(new Buffer().write(content)).build());
    long dir = folder("in");
    JsonNode r = add("{\"url\":\"" + source.url("/files/a%20b.txt") + "\",\"dirID\":\"" + dir + "\"}");
    assertEquals(0, r.get("code").asInt(), r::toString);
    long task = r.get("data").get("taskID").asLong();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode d = poll(task).get("data");
      seen.add(d.get("status").asInt() + "@" + d.get("process").asDouble());
    }
    assertEquals(List.of("0@33.3", "0@66.7", "2@100.0"), seen);
    Node f = cloud.store().child(demo.uid(), dir, "a b.txt").orElseThrow();
    assertArrayEquals(content, f.blob().bytes());
    assertEquals(1, source.getRequestCount(), "fetched once");
    assertEquals("2@100.0", poll(task).get("data").get("status").asInt() + "@" + poll(task).get("data").get("process").asDouble());
  }

  @Test
  void noDirId_goesToDefaultFolder_rootRefusedWhenSet() throws IOException {
    source.enqueue(new MockResponse.Builder().body("x").build());
    FakeOffline.of(cloud).progressPolls(0);
    long task = add("{\"url\":\"" + source.url("/x.bin") + "\"}").get("data").get("taskID").asLong();
    assertEquals(2, poll(task).get("data").get("status").asInt());
    Node def = cloud.store().child(demo.uid(), FakeStore.ROOT, OpenOffline.DEFAULT_FOLDER).orElseThrow();
    assertTrue(cloud.store().child(demo.uid(), def.id(), "x.bin").isPresent());
    open.offline().refuseRootDirId(true);
    JsonNode r = add("{\"url\":\"" + source.url("/y.bin") + "\",\"dirID\":0}");
    assertEquals(1, r.get("code").asInt());
    assertTrue(r.get("data").isNull());
  }

  @Test
  void badInput_refused() throws IOException {
    assertEquals(1, add("{\"url\":\"ftp://127.0.0.1/a\",\"dirID\":" + folder("d") + "}").get("code").asInt());
    assertEquals(1, add("{\"dirID\":1}").get("code").asInt());
    assertEquals(1, add("{\"url\":\"" + source.url("/a") + "\",\"dirID\":987654}").get("code").asInt());
    assertEquals(1, poll(42).get("code").asInt());
    assertEquals(0, source.getRequestCount());
  }

  @Test
  void fileName_followsTheNameRules_ofEveryOtherNewFile() throws IOException {
    long dir = folder("d");
    for (String bad : new String[] {"a/b.bin", "a:b.bin", "a\\\\b.bin", "   ", "x".repeat(256)}) {
      JsonNode r = add("{\"url\":\"" + source.url("/a.bin") + "\",\"dirID\":" + dir + ",\"fileName\":\"" + bad + "\"}");
      assertEquals(1, r.get("code").asInt(), bad);
      assertTrue(r.get("message").asText().startsWith("文件名要小于256个字符且不能包含以下任何字符"), r::toString);
    }
    assertEquals(0, FakeOffline.of(cloud).tasks().size(), "no task made");
    source.enqueue(new MockResponse.Builder().body("x").build());
    FakeOffline.of(cloud).progressPolls(0);
    JsonNode ok = add("{\"url\":\"" + source.url("/a.bin") + "\",\"dirID\":" + dir + ",\"fileName\":\"named.bin\"}");
    assertEquals(2, poll(ok.get("data").get("taskID").asLong()).get("data").get("status").asInt());
    assertTrue(cloud.store().child(demo.uid(), dir, "named.bin").isPresent());
  }

  @Test
  void nonLoopbackHost_failsAtFirstPoll_withoutFetching() throws IOException {
    long task = add("{\"url\":\"http://example.com/big.iso\",\"dirID\":" + folder("d") + "}").get("data").get("taskID").asLong();
    JsonNode d = poll(task).get("data");
    assertEquals(1, d.get("status").asInt());
    assertEquals(0.0, d.get("process").asDouble());
    assertEquals(FakeOffline.UNREACHABLE, FakeOffline.of(cloud).tasks().get(0).failReason());
  }

  @Test
  void injectedFailure_retriesThenFails_andCallbackIsPosted() throws IOException, InterruptedException {
    FakeOffline.of(cloud).failNext(1, "资源失效", 2);
    long task = add("{\"url\":\"" + source.url("/gone.bin") + "\",\"dirID\":" + folder("d") + ",\"callBackUrl\":\""
        + source.url("/callback") + "\"}").get("data").get("taskID").asLong();
    source.enqueue(new MockResponse.Builder().body("ok").build());
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) statuses.add(poll(task).get("data").get("status").asInt());
    assertEquals(List.of(3, 3, 1, 1), statuses);
    RecordedRequest cb = source.takeRequest();
    assertEquals("/callback", cb.getUrl().encodedPath());
    JsonNode j = Json.mapper().readTree(cb.getBody().utf8());
    assertEquals(1, j.get("status").asInt());
    assertEquals("资源失效", j.get("failReason").asText());
    assertEquals(source.url("/gone.bin").toString(), j.get("url").asText());
    assertEquals(1, source.getRequestCount(), "the source itself was never fetched, the callback posted once");
  }

  @Test
  void stepEvery_runsATaskUnpolled_andPostsTheCallback() throws Exception {
    byte[] content = "fetched without polls".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    source.enqueue(new MockResponse.Builder().body(new Buffer().write(content)).build());
    source.enqueue(new MockResponse.Builder().body("ok").build());
    long dir = folder("d");
    FakeOffline.of(cloud).progressPolls(1).stepEvery(java.time.Duration.ofMillis(20));
    add("{\"url\":\"" + source.url("/a.txt") + "\",\"dirID\":" + dir + ",\"callBackUrl\":\"" + source.url("/callback") + "\"}");
    assertTrue(source.takeRequest(10, java.util.concurrent.TimeUnit.SECONDS) != null, "the fetch, made by a step: nobody polled");
    // A client that waits only for the callback gets it: the step after the in-progress one stores
    // the file and posts. (Bounded wait: the steps run on real time, which no test clock moves.)
    RecordedRequest cb = source.takeRequest(10, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(cb != null, "no callback within 10 s");
    JsonNode j = Json.mapper().readTree(cb.getBody().utf8());
    assertEquals(0, j.get("status").asInt(), j.toString());
    Node stored = cloud.store().children(demo.uid(), dir, false).get(0);
    assertEquals(j.get("fileID").asLong(), stored.id());
    assertEquals(2, FakeOffline.of(cloud).tasks().get(0).polls(), "two steps: the fetch with progress, then done");
    FakeOffline.of(cloud).stepEvery(java.time.Duration.ZERO);
  }
}
