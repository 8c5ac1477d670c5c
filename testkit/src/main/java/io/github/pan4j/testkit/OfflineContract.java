package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offline downloads: the provider fetches a URL served by a loopback server of this test into a
 * folder. Tasks are polled (at most {@link #MAX_POLLS} times) until finished; fake providers
 * progress per poll, so nothing waits.
 */
public abstract class OfflineContract extends ContractSupport {
  /** Polls of one task before the test gives up. */
  static final int MAX_POLLS = 50;

  private MockWebServer source;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  @BeforeEach
  void startSource() throws IOException {
    source = new MockWebServer();
    source.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        byte[] b = files.get(r.getUrl().encodedPath());
        if (b == null) return new MockResponse.Builder().code(404).body("not here").build();
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/octet-stream")
            .body(new Buffer().write(b)).build();
      }
    });
    source.start(java.net.InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopSource() {
    source.close();
  }

  private String serve(String path, byte[] content) {
    files.put(path, content);
    return source.url(path).toString();
  }

  /** Polls until the task is finished; asserts progress never goes backwards while it runs. */
  protected OfflineTask await(OfflineTask t) {
    double last = t.percent();
    for (int i = 0; i < MAX_POLLS && !t.finished(); i++) {
      t = drive.offlineTask(t.id());
      if (!t.finished()) {
        double seen = last;
        assertTrue(t.percent() >= seen, () -> "progress went backwards from " + seen);
        last = t.percent();
      }
    }
    assertTrue(t.finished(), "task still not finished after " + MAX_POLLS + " polls: " + t);
    return t;
  }

  @Test
  void addOffline_fetchesUrlIntoFolder() {
    assume(Capability.OFFLINE_DOWNLOAD, Capability.MKDIR);
    byte[] content = bytes(70_000, 14);
    String url = serve("/files/fetched.bin", content);
    drive.mkdirs(scratch + "/dl");
    OfflineTask t = drive.addOffline(url, scratch + "/dl");
    assertNotNull(t.id());
    assertFalse(t.finished(), "a new task has not finished yet: " + t);
    OfflineTask done = await(t);
    assertEquals(OfflineState.SUCCEEDED, done.state(), done::toString);
    assertEquals(100.0, done.percent(), 0.001);
    contract().afterOfflineDownload(drive);
    assertEquals(List.of("fetched.bin"), names(scratch + "/dl"));
    assertSameBytes(content, download(scratch + "/dl/fetched.bin"), "fetched bytes");
    assertEquals(1, source.getRequestCount(), "fetched once");
  }

  @Test
  void addOffline_sourceAnswers404_taskFails_noFile() {
    assume(Capability.OFFLINE_DOWNLOAD, Capability.MKDIR);
    drive.mkdirs(scratch + "/dl");
    OfflineTask done = await(drive.addOffline(source.url("/files/missing.bin").toString(), scratch + "/dl"));
    assertEquals(OfflineState.FAILED, done.state(), done::toString);
    assertEquals(List.of(), names(scratch + "/dl"), "nothing stored for a failed task");
  }

  @Test
  void addOffline_notHttp_refusedBeforeAnythingIsSent() {
    assume(Capability.OFFLINE_DOWNLOAD, Capability.MKDIR);
    drive.mkdirs(scratch + "/dl");
    for (String bad : List.of("ftp://127.0.0.1/a.iso", "file:///etc/passwd", "magnet:?xt=urn:btih:abc", "127.0.0.1/a.bin", " ")) {
      DriveException e = assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.addOffline(bad, scratch + "/dl"));
      assertTrue(e.getMessage().contains("http"), () -> "the message says what to give instead: " + e.getMessage());
    }
    assertEquals(0, source.getRequestCount());
    assertEquals(List.of(), names(scratch + "/dl"));
  }

  @Test
  void addOffline_intoFile_notADirectory() {
    assume(Capability.OFFLINE_DOWNLOAD, Capability.UPLOAD, Capability.MKDIR);
    drive.put(scratch + "/plain.txt", new byte[] {1, 2});
    assertFails(ErrorKind.NOT_A_DIRECTORY, () -> drive.addOffline(serve("/x.bin", new byte[] {3}), scratch + "/plain.txt"));
    assertFails(ErrorKind.NOT_FOUND, () -> drive.addOffline(serve("/x.bin", new byte[] {3}), scratch + "/nowhere"));
    assertEquals(0, source.getRequestCount());
  }

  @Test
  void offlineTasks_listsAddedTask_andRemoveDropsIt() {
    assume(Capability.OFFLINE_TASKS, Capability.MKDIR);
    drive.mkdirs(scratch + "/dl");
    OfflineTask t = await(drive.addOffline(serve("/files/listed.txt", "listed".getBytes()), scratch + "/dl"));
    contract().afterOfflineDownload(drive);
    OfflineTask listed = drive.offlineTasks().stream().filter(x -> x.id().equals(t.id())).findFirst()
        .orElseThrow(() -> new AssertionError("task " + t.id() + " not listed"));
    assertEquals(OfflineState.SUCCEEDED, listed.state());
    drive.removeOfflineTask(t.id());
    assertTrue(drive.offlineTasks().stream().noneMatch(x -> x.id().equals(t.id())), "removed task not listed");
    drive.removeOfflineTask(t.id()); // removing again succeeds
    assertEquals(List.of("listed.txt"), names(scratch + "/dl"), "the fetched file stays");
  }
}
