package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeOffline;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 123pan offline download against the fake web API: resolve → submit → list → delete, and faults. */
class Pan123OfflineTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");
  final MockWebServer source = new MockWebServer();

  @BeforeEach
  void startSource() throws IOException {
    source.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopSource() {
    source.close();
  }

  private long folder(String name) {
    return fake.cloud().store().mkdir(fake.demo().uid(), 0, name).id();
  }

  private Driver.OfflineTasks open() {
    return (Driver.OfflineTasks) fake.open();
  }

  @Test
  void add_thenListProgressesToSucceeded_fileInFolder_deleteRemovesTask() {
    source.enqueue(new MockResponse.Builder().body("web offline").build());
    long dir = folder("dl");
    Driver.OfflineTasks d = open();
    OfflineTask t = d.addOffline(source.url("/get/report.pdf").toString(), Long.toString(dir));
    assertEquals(OfflineState.WAITING, t.state());
    assertEquals("report.pdf", t.name());
    List<String> seen = new ArrayList<>();
    while (!t.finished()) {
      t = d.offlineTask(t.id());
      seen.add(t.state() + "@" + t.percent());
    }
    assertEquals(List.of("IN_PROGRESS@33.3", "IN_PROGRESS@66.7", "SUCCEEDED@100.0"), seen);
    assertEquals("web offline",
        new String(fake.cloud().store().child(fake.demo().uid(), dir, "report.pdf").orElseThrow().blob().bytes()));
    assertEquals(1, d.offlineTasks().size());
    d.removeOfflineTask(t.id());
    assertEquals(List.of(), d.offlineTasks());
    String gone = t.id();
    assertEquals(ErrorKind.NOT_FOUND, assertThrows(DriveException.class, () -> d.offlineTask(gone)).kind());
    ((Driver) d).close();
  }

  @Test
  void add_intoRoot_isAllowedOnTheWebApi() {
    source.enqueue(new MockResponse.Builder().body("r").build());
    FakeOffline.of(fake.cloud()).progressPolls(0);
    Driver.OfflineTasks d = open();
    OfflineTask t = d.addOffline(source.url("/r.txt").toString(), "0");
    assertEquals(OfflineState.SUCCEEDED, d.offlineTask(t.id()).state());
    assertTrue(fake.cloud().store().child(fake.demo().uid(), 0, "r.txt").isPresent());
  }

  @Test
  void taskList_429Burst_isRetried() {
    Driver.OfflineTasks d = open();
    OfflineTask t = d.addOffline(source.url("/a.bin").toString(), Long.toString(folder("dl")));
    fake.cloud().inject("web", r -> r.path().endsWith("/offline_download/task/list"),
        WebFrontDoor.businessError(429, "操作频繁，请稍后再试"), 3);
    assertEquals(t.id(), d.offlineTask(t.id()).id());
    assertEquals(0, fake.cloud().pendingFaults());
  }

  @Test
  void submit_answered503_isNotRepeated_resolve502_isRetried() {
    Driver.OfflineTasks d = open();
    String dir = Long.toString(folder("dl"));
    fake.cloud().inject("web", r -> r.path().endsWith("/offline_download/task/resolve"), Fault.html(502), 1);
    fake.cloud().inject("web", r -> r.path().endsWith("/offline_download/task/submit"), Fault.html(503), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.addOffline(source.url("/a.bin").toString(), dir));
    assertTrue(e.getMessage().contains("503"), e::getMessage);
    assertEquals(0, fake.cloud().pendingFaults(), "resolve retried past its 502, submit reached once");
    assertEquals(1, fake.cloud().requests("web", "/b/api/v2/offline_download/task/submit").size());
    assertEquals(0, FakeOffline.of(fake.cloud()).tasks().size(), "no task started twice (nor at all)");
  }

  @Test
  void injectedFailure_showsRetryingThenFailed_noFile() {
    FakeOffline.of(fake.cloud()).failNext(1, "资源失效", 1);
    long dir = folder("dl");
    Driver.OfflineTasks d = open();
    OfflineTask t = d.addOffline(source.url("/a.bin").toString(), Long.toString(dir));
    assertEquals(OfflineState.RETRYING, d.offlineTask(t.id()).state());
    assertEquals(OfflineState.FAILED, d.offlineTask(t.id()).state());
    assertEquals(List.of(), fake.cloud().store().children(fake.demo().uid(), dir, false));
  }

  /** A fetched file that does not fit into the account's space: the task ends FAILED, nothing stored. */
  @Test
  void fileLargerThanTheSpaceLeft_taskFails_noFile() {
    long used = fake.store().spaceUsed(fake.demo().uid());
    fake.demo().spacePermanent(used + 10);
    source.enqueue(new MockResponse.Builder().body("eleven byte").build());
    long dir = folder("dl");
    Driver.OfflineTasks d = open();
    OfflineTask t = d.addOffline(source.url("/big.bin").toString(), Long.toString(dir));
    for (int i = 0; i < 10 && !t.finished(); i++) t = d.offlineTask(t.id());
    assertEquals(OfflineState.FAILED, t.state(), t.toString());
    assertEquals(0, t.percent());
    assertEquals("存储空间不足", FakeOffline.of(fake.cloud()).tasks().get(0).failReason());
    assertEquals(List.of(), fake.cloud().store().children(fake.demo().uid(), dir, false));
    assertEquals(used, fake.store().spaceUsed(fake.demo().uid()));
  }

  @Test
  void add_intoMissingFolder_isNotFound() {
    Driver.OfflineTasks d = open();
    assertEquals(ErrorKind.NOT_FOUND,
        assertThrows(DriveException.class, () -> d.addOffline(source.url("/a.bin").toString(), "987654")).kind());
    assertEquals(0, source.getRequestCount());
  }
}
