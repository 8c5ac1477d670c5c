package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.testkit.fake.FakeOffline;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 123open offline download against the fake over loopback: wire, root rule, callback, faults. */
class Open123OfflineTest extends Open123Fixture {
  static final String DOWNLOAD = "/api/v1/offline/download";
  static final String PROCESS = "/api/v1/offline/download/process";
  final MockWebServer source = new MockWebServer();

  @BeforeEach
  void startSource() throws IOException {
    source.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopSource() {
    source.close();
  }

  private String dir(String name) {
    return Long.toString(store.mkdir(demo.uid(), 0, name).id());
  }

  private OfflineTask await(Open123Driver d, OfflineTask t) {
    for (int i = 0; i < 20 && !t.finished(); i++) t = d.offlineTask(t.id());
    return t;
  }

  @Test
  void add_sendsUrlDirIdAndCallback_thenFileArrives() throws Exception {
    source.enqueue(new MockResponse.Builder().body("hello offline").build());
    source.enqueue(new MockResponse.Builder().body("thanks").build());
    List<String> bodies = new ArrayList<>();
    // A matcher that never matches: it only sees each request body on its way to the fake.
    cloud.inject("open", r -> r.path().equals(DOWNLOAD) && bodies.add(r.bodyText()) && false, Fault.html(502), 1);
    Open123Driver d = driver("offlineCallbackUrl", source.url("/hook").toString());
    String dir = dir("in");
    OfflineTask t = d.addOffline(source.url("/pub/hello.txt").toString(), dir);
    assertEquals(OfflineState.IN_PROGRESS, t.state());
    JsonNode sent = Json.mapper().readTree(bodies.get(0));
    assertEquals(Long.parseLong(dir), sent.get("dirID").asLong());
    assertTrue(sent.get("dirID").isNumber(), "dirID is a number, as documented");
    assertEquals(source.url("/hook").toString(), sent.get("callBackUrl").asText());

    List<String> seen = new ArrayList<>();
    while (!t.finished()) {
      t = d.offlineTask(t.id());
      seen.add(t.state() + "@" + t.percent());
    }
    assertEquals(List.of("IN_PROGRESS@33.3", "IN_PROGRESS@66.7", "SUCCEEDED@100.0"), seen);
    assertEquals(source.url("/pub/hello.txt").toString(), t.url(), "the URL of a task this driver added");
    assertEquals("hello offline", new String(store.child(demo.uid(), Long.parseLong(dir), "hello.txt").orElseThrow().blob().bytes()));
    source.takeRequest(); // the fetch
    RecordedRequest hook = source.takeRequest();
    assertEquals("/hook", hook.getUrl().encodedPath());
    JsonNode cb = Json.mapper().readTree(hook.getBody().utf8());
    assertEquals(0, cb.get("status").asInt());
    assertEquals(store.child(demo.uid(), Long.parseLong(dir), "hello.txt").orElseThrow().id(), cb.get("fileID").asLong());
  }

  @Test
  void add_intoRoot_refusedBeforeAnythingIsSent_namingTheDefaultFolder() {
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class, () -> d.addOffline(source.url("/a.bin").toString(), "0"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains("root") && e.getMessage().contains("来自:离线下载"), e::getMessage);
    try (Drive drive = Drive.of(driver())) {
      DriveException viaPath = assertThrows(DriveException.class, () -> drive.addOffline("sftp://127.0.0.1/a.bin", "/"));
      assertEquals(ErrorKind.INVALID_ARGUMENT, viaPath.kind());
      assertTrue(viaPath.getMessage().contains("http"), viaPath::getMessage);
    }
    assertEquals(0, calls("open", DOWNLOAD));
    assertEquals(0, source.getRequestCount());
  }

  @Test
  void add_answered429_isRetried_andMakesOneTask() {
    Open123Driver d = driver();
    String dir = dir("in");
    cloud.inject("open", OpenApiFrontDoor.endpoint(DOWNLOAD), Fault.response("code 429", okhttp429()), 2);
    OfflineTask t = d.addOffline(source.url("/a.bin").toString(), dir);
    assertEquals(3, calls("open", DOWNLOAD));
    assertEquals(1, FakeOffline.of(cloud).tasks().size());
    assertEquals(Long.toString(FakeOffline.of(cloud).tasks().get(0).id()), t.id());
  }

  private MockResponse okhttp429() {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"code\":429,\"message\":\"请求太频繁\",\"data\":null,\"x-traceID\":\"t\"}").build();
  }

  @Test
  void add_answered500_isNotRepeated_noDuplicateTask() {
    Open123Driver d = driver();
    String dir = dir("in");
    cloud.inject("open", OpenApiFrontDoor.endpoint(DOWNLOAD), Fault.response("HTTP 500", new MockResponse.Builder().code(500).body("").build()), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.addOffline(source.url("/a.bin").toString(), dir));
    assertEquals(1, calls("open", DOWNLOAD), "starting a download is not idempotent: no blind retry");
    assertEquals(0, FakeOffline.of(cloud).tasks().size());
    assertTrue(e.getMessage().contains("500"), e::getMessage);
  }

  @Test
  void process_answered502Html_isRetried() {
    source.enqueue(new MockResponse.Builder().body("x").build());
    FakeOffline.of(cloud).progressPolls(0);
    Open123Driver d = driver();
    OfflineTask t = d.addOffline(source.url("/x.bin").toString(), dir("in"));
    cloud.inject("open", r -> r.path().equals(PROCESS), Fault.html(502), 2);
    assertEquals(OfflineState.SUCCEEDED, d.offlineTask(t.id()).state());
    assertEquals(0, cloud.pendingFaults());
  }

  @Test
  void failureInjectedThroughControlEndpoint_retryingThenFailed() throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(cloud.baseUrl("open") + "/_fake/offline/fail")
        .post(RequestBody.create("{\"times\":1,\"reason\":\"源站拒绝\",\"retrying\":1}", MediaType.get("application/json"))).build())
        .execute()) {
      assertEquals(200, r.code());
    }
    Open123Driver d = driver();
    String dir = dir("in");
    OfflineTask t = d.addOffline(source.url("/never.bin").toString(), dir);
    assertEquals(OfflineState.RETRYING, d.offlineTask(t.id()).state());
    OfflineTask failed = d.offlineTask(t.id());
    assertEquals(OfflineState.FAILED, failed.state());
    assertEquals(0.0, failed.percent());
    assertEquals(List.of(), store.children(demo.uid(), Long.parseLong(dir), false));
    assertEquals(0, source.getRequestCount());
  }

  @Test
  void unknownTask_isNotFound() {
    Open123Driver d = driver();
    DriveException unknown = assertThrows(DriveException.class, () -> d.offlineTask("777"));
    assertEquals(ErrorKind.NOT_FOUND, unknown.kind());
    // It names a task, not a file or folder, and keeps 123's own code and message.
    assertTrue(unknown.getMessage().startsWith("123open: offline 777: 123 knows no offline task 777"), unknown.getMessage());
    assertEquals("离线下载任务不存在", unknown.providerMessage().orElse(null));
    assertEquals(ErrorKind.NOT_FOUND, assertThrows(DriveException.class, () -> d.offlineTask("abc")).kind());
  }

  @Test
  void nonLoopbackSource_failsLikeAnUnreachableHost() {
    Open123Driver d = driver();
    OfflineTask t = await(d, d.addOffline("https://example.com/file.iso", dir("in")));
    assertEquals(OfflineState.FAILED, t.state());
  }
}
