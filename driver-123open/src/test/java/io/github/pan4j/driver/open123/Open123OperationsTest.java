package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.AlreadyExistsException;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.NotFoundException;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.testkit.fake.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class Open123OperationsTest extends Open123Fixture {

  @Test
  void mkdir_returnsTheNewFolder_andClashIsAlreadyExists() {
    Open123Driver d = driver();
    Entry dir = d.mkdir("0", "docs");
    assertTrue(dir.folder());
    assertEquals("docs", dir.name());
    assertEquals("0", dir.parentId());
    assertTrue(store.node(demo.uid(), Long.parseLong(dir.id())).isPresent());
    assertThrows(AlreadyExistsException.class, () -> d.mkdir("0", "docs"));
  }

  @Test
  void rename_returnsRenamedEntry_andClashIsAlreadyExists() {
    Node a = store.createFile(demo.uid(), 0, "a.txt", store.putBlob("a".getBytes()));
    store.createFile(demo.uid(), 0, "b.txt", store.putBlob("b".getBytes()));
    Open123Driver d = driver();
    assertEquals("c.txt", d.rename(Long.toString(a.id()), "c.txt").name());
    assertThrows(AlreadyExistsException.class, () -> d.rename(Long.toString(a.id()), "b.txt"));
  }

  @Test
  void move_movesEntries_intoDescendantIsInvalid() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node sub = store.mkdir(demo.uid(), dir.id(), "sub");
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob("f".getBytes()));
    Open123Driver d = driver();
    d.move(List.of(Long.toString(f.id())), Long.toString(dir.id()));
    assertEquals(dir.id(), store.node(demo.uid(), f.id()).orElseThrow().parentId());
    DriveException e = assertThrows(DriveException.class,
        () -> d.move(List.of(Long.toString(dir.id())), Long.toString(sub.id())));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
  }

  @Test
  void remove_trashes_andStatThenSaysNotFound() {
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob("f".getBytes()));
    Open123Driver d = driver();
    d.remove(List.of(Long.toString(f.id())));
    assertTrue(store.isTrashed(store.node(demo.uid(), f.id()).orElseThrow()));
    assertThrows(NotFoundException.class, () -> d.stat(Long.toString(f.id())));
    assertTrue(d.list("0", null).entries().isEmpty());
  }

  @Test
  void remove_permanently_deletesAfterTrash_andGoneIdsSucceed() {
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob("f".getBytes()));
    Open123Driver d = driver("removePermanently", "true");
    d.remove(List.of(Long.toString(f.id()), "999999"));
    assertTrue(store.node(demo.uid(), f.id()).isEmpty());
    d.remove(List.of(Long.toString(f.id())));
  }

  @Test
  void copy_file_createsAnIndependentCopy() {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob("hello".getBytes()));
    Entry c = driver().copy(Long.toString(f.id()), Long.toString(dir.id()));
    assertNotEquals(Long.toString(f.id()), c.id());
    assertEquals("f.txt", c.name());
    assertEquals(Long.toString(dir.id()), c.parentId());
    assertEquals(f.md5(), c.hashes().md5());
  }

  @Test
  void copy_folderIntoItsOwnParent_isAlreadyExistsBeforeAnyTask() {
    // Folders are copied by async copy tasks now (Open123AsyncCopyTest); the name clash is caught first.
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    DriveException e = assertThrows(DriveException.class, () -> driver().copy(Long.toString(dir.id()), "0"));
    assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
    assertEquals(0, door.asyncCopy().taskCount());
  }

  @Test
  void stat_root_andFile() {
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob("hello".getBytes()));
    Open123Driver d = driver();
    assertTrue(d.stat("0").folder());
    Entry e = d.stat(Long.toString(f.id()));
    assertEquals(5, e.size());
    assertEquals(f.md5(), e.hashes().md5());
    assertThrows(NotFoundException.class, () -> d.stat("424242"));
  }

  @Test
  void link_downloadInfo_preferProxy_andServesBytes() throws Exception {
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob("hello world".getBytes()));
    var link = driver().link(Long.toString(f.id()));
    assertTrue(link.preferProxy());
    assertEquals(11, link.contentLength().orElseThrow());
    try (var c = link.open(6, 5)) {
      assertArrayEquals("world".getBytes(), c.body().readAllBytes());
    }
  }

  @Test
  void link_quotaExhausted_isQuotaExceeded_andFolderIsADirectory() {
    Node f = store.createFile(demo.uid(), 0, "f.txt", store.putBlob("hello world".getBytes()));
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    demo.downloadQuota(3);
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class, () -> d.link(Long.toString(f.id())));
    assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind());
    assertEquals("5113", e.providerCode().orElseThrow());
    assertTrue(e.getMessage().contains("00:00 China time"), "says when the traffic comes back: " + e.getMessage());
    assertEquals(ErrorKind.IS_A_DIRECTORY, assertThrows(DriveException.class, () -> d.link(Long.toString(dir.id()))).kind());
  }

  @Test
  void link_directLinkSigned_carriesExpiry_andCdnAcceptsIt() throws Exception {
    demo.vip(true).urlAuth("my-private-key");
    Node space = store.mkdir(demo.uid(), 0, "pub");
    store.setDirectLinkSpace(space, true);
    Node f = store.createFile(demo.uid(), space.id(), "f.txt", store.putBlob("direct".getBytes()));
    Open123Driver d = driver("directLink", "true", "directLinkPrivateKey", "my-private-key", "directLinkValidity", "10m");
    var link = d.link(Long.toString(f.id()));
    assertFalse(link.preferProxy());
    assertEquals(clock.instant().plusSeconds(600).getEpochSecond(), link.expiresAt().orElseThrow().getEpochSecond(), 1);
    assertTrue(link.url().contains("auth_key="));
    try (var c = link.open()) {
      assertArrayEquals("direct".getBytes(), c.body().readAllBytes());
    }
  }

  @Test
  void storageDetails_reportsQuotaAndVip() {
    store.createFile(demo.uid(), 0, "f.txt", store.putBlob("hello".getBytes()));
    StorageDetails s = driver().storageDetails();
    assertEquals(5, s.usedBytes());
    assertTrue(s.totalBytes() > 0);
    assertFalse(s.vip());
    assertEquals(Long.toString(demo.uid()), s.extras().get("uid"));
  }
}
