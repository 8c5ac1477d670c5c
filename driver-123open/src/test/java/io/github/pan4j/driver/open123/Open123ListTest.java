package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.NotFoundException;
import io.github.pan4j.core.Page;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

class Open123ListTest extends Open123Fixture {

  private List<Entry> listAll(Open123Driver d, String folder) {
    List<Entry> all = new ArrayList<>();
    String cursor = null;
    do {
      Page p = d.list(folder, cursor);
      all.addAll(p.entries());
      cursor = p.nextCursor();
    } while (cursor != null);
    return all;
  }

  @Test
  void list_threePages_returnsAllInOrder() {
    Node dir = store.mkdir(demo.uid(), 0, "many");
    for (int i = 0; i < 230; i++) store.createFile(demo.uid(), dir.id(), "f" + i, store.putBlob(("x" + i).getBytes()));
    Open123Driver d = driver();
    List<Entry> all = listAll(d, Long.toString(dir.id()));
    assertEquals(230, all.size());
    assertEquals("f0", all.get(0).name());
    assertEquals("f229", all.get(229).name());
    assertEquals(3, calls("open", "/api/v2/file/list"));
  }

  @Test
  void list_trashedItems_areFilteredOut() {
    Node keep = store.createFile(demo.uid(), 0, "keep.txt", store.putBlob("k".getBytes()));
    Node gone = store.createFile(demo.uid(), 0, "gone.txt", store.putBlob("g".getBytes()));
    store.trash(gone);
    List<Entry> all = listAll(driver(), "0");
    assertEquals(List.of("keep.txt"), all.stream().map(Entry::name).toList());
    assertEquals(Long.toString(keep.id()), all.get(0).id());
  }

  @Test
  void list_timesAreParsedAsChinaTime() {
    Node f = store.createFile(demo.uid(), 0, "t.txt", store.putBlob("t".getBytes()));
    Entry e = listAll(driver(), "0").get(0);
    // The fake writes the store clock's instant as UTC+8 wall time at second precision.
    assertEquals(f.created().getEpochSecond(), e.created().getEpochSecond());
    assertNotNull(e.modified());
    assertEquals("t.txt", e.name());
    assertEquals(1, e.size());
    assertEquals(f.md5(), e.hashes().md5());
    assertEquals(8 * 3600, ZoneOffset.ofHours(8).getTotalSeconds());
  }

  @Test
  void list_html502ThenSuccess_isRetried() {
    store.mkdir(demo.uid(), 0, "a");
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", r -> r.path().equals("/api/v2/file/list"), Fault.html(502), 2);
    assertEquals(1, d.list("0", null).entries().size());
    assertEquals(0, cloud.pendingFaults());
  }

  @Test
  void list_droppedConnectionThenSuccess_isRetried() {
    store.mkdir(demo.uid(), 0, "a");
    Open123Driver d = driver();
    d.stat("0");
    // Fault.disconnect() uses onRequestStart, which a Dispatcher-based server never applies; drop
    // the connection where a dispatcher can: before the response starts.
    cloud.inject("open", r -> r.path().equals("/api/v2/file/list"), Fault.response("drop",
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build()), 1);
    assertEquals(1, d.list("0", null).entries().size());
  }

  @Test
  void list_malformedJson_isProtocolError() {
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", r -> r.path().equals("/api/v2/file/list"), Fault.malformedJson(), 10);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", null));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertEquals("123open", e.driverId().orElseThrow());
    assertEquals("list", e.operation().orElseThrow());
  }

  @Test
  void list_unknownFolder_isNotFound() {
    assertThrows(NotFoundException.class, () -> driver().list("987654", null));
  }

  @Test
  void list_aFile_isNotADirectory() {
    Node f = store.createFile(demo.uid(), 0, "f", store.putBlob("f".getBytes()));
    DriveException e = assertThrows(DriveException.class, () -> driver().list(Long.toString(f.id()), null));
    assertEquals(ErrorKind.NOT_A_DIRECTORY, e.kind());
  }

  @Test
  void list_notANumber_isNotFound() {
    DriveException e = assertThrows(DriveException.class, () -> driver().list("abc", null));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertFalse(cloud.requests().stream().anyMatch(r -> r.path().equals("/api/v2/file/list")));
    assertTrue(e.getMessage().contains("abc"));
  }

  /** A v2 list reply with one file item and the given cursor, as a server that misbehaves might send. */
  private static Fault listReply(long lastFileId, long itemId, String name) {
    String body = "{\"code\":0,\"message\":\"ok\",\"data\":{\"lastFileId\":" + lastFileId + ",\"fileList\":[{\"fileId\":"
        + itemId + ",\"filename\":\"" + name + "\",\"type\":0,\"size\":1,\"etag\":\"0cc175b9c0f1b6a831c399e269772661\","
        + "\"status\":0,\"parentFileId\":0,\"category\":0,\"trashed\":0,\"createAt\":\"2026-03-01 12:00:00\","
        + "\"updateAt\":\"2026-03-01 12:00:00\"}]},\"x-traceID\":\"t-loop\"}";
    return Fault.response("lastFileId " + lastFileId, new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json").body(body).build());
  }

  @Test
  void list_lastFileIdZero_endsTheListing() {
    Open123Driver d = driver();
    d.stat("0");
    // docs/protocol/123open.md §8.2: -1 marks the last page; 0 is no file id, so it must not be echoed
    // back (the server would answer the first page again and the listing would never end).
    cloud.inject("open", r -> r.path().equals("/api/v2/file/list"), listReply(0, 9001, "a.txt"), 5);
    Page p = d.list("0", null);
    assertEquals(List.of("a.txt"), p.entries().stream().map(Entry::name).toList());
    assertEquals(null, p.nextCursor());
  }

  @Test
  void list_sameCursorAsSent_isProtocolError() {
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", r -> r.path().equals("/api/v2/file/list"), listReply(9001, 9001, "a.txt"), 5);
    DriveException e = assertThrows(DriveException.class, () -> d.list("0", "9001"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("same cursor"), e.getMessage());
  }

  @Test
  void findChild_lastFileIdZero_stopsAfterOnePage() {
    Open123Driver d = driver();
    d.stat("0");
    cloud.clearRequests();
    cloud.inject("open", r -> r.path().equals("/api/v2/file/list"), listReply(0, 9001, "other.txt"), 5);
    assertEquals(null, d.findChild(0, "wanted.txt"));
    assertEquals(1, calls("open", "/api/v2/file/list"));
  }

  @Test
  void findChild_repeatedCursor_isProtocolErrorNotALoop() {
    Open123Driver d = driver();
    d.stat("0");
    cloud.inject("open", r -> r.path().equals("/api/v2/file/list"), listReply(9001, 9001, "other.txt"), 5);
    DriveException e = assertThrows(DriveException.class, () -> d.findChild(0, "wanted.txt"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
  }
}
