package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes that 123 carried out but whose answer the driver could not read: cut off (HTTP 200, JSON
 * ending mid-way) or a connection dropped before the answer. The driver looks whether the write
 * took effect, as it does after a gateway's error page, instead of failing and leaving the user's
 * retry to meet "already exists". Each write is sent once.
 */
class Pan123UnreadAnswerTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  /** The two ways an answer is lost once the write is done. */
  private static Fault unread(String how) {
    return how.equals("cut") ? Fault.cutReply() : Fault.droppedReply();
  }

  private static List<String> names(Driver d, String folder) {
    return d.list(folder, null).entries().stream().map(Entry::name).sorted().toList();
  }

  private Entry upload(Driver d, String name, byte[] content) {
    return ((Driver.Upload) d).upload("0", name, UploadSource.ofBytes(content), UploadOptions.DEFAULT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cut", "dropped"})
  void mkdir_returnsTheFolderMade(String how) {
    try (Driver d = fake.open()) {
      d.list("0", null);
      fake.cloud().inject("web", r -> r.path().endsWith("/file/upload_request"), unread(how), 1);
      Entry made = ((Driver.Mkdir) d).mkdir("0", "made");
      assertTrue(made.folder());
      assertEquals("made", made.name());
      assertEquals(List.of("made"), names(d, "0"));
    }
    assertEquals(1, fake.cloud().requests("web", "/b/api/file/upload_request").size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cut", "dropped"})
  void rename_returnsTheRenamedEntry(String how) {
    try (Driver d = fake.open()) {
      Entry f = upload(d, "a.txt", new byte[] {1});
      fake.cloud().inject("web", r -> r.path().equals("/b/api/file/rename"), unread(how), 1);
      assertEquals("b.txt", ((Driver.Rename) d).rename(f.id(), "b.txt").name());
      assertEquals(List.of("b.txt"), names(d, "0"));
    }
    assertEquals(1, fake.cloud().requests("web", "/b/api/file/rename").size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cut", "dropped"})
  void move_succeeds(String how) {
    try (Driver d = fake.open()) {
      Entry dir = ((Driver.Mkdir) d).mkdir("0", "dir");
      Entry f = upload(d, "a.txt", new byte[] {1});
      fake.cloud().inject("web", r -> r.path().equals("/b/api/file/mod_pid"), unread(how), 1);
      ((Driver.Move) d).move(List.of(f.id()), dir.id());
      assertEquals(List.of("a.txt"), names(d, dir.id()));
    }
    assertEquals(1, fake.cloud().requests("web", "/b/api/file/mod_pid").size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cut", "dropped"})
  void remove_succeeds(String how) {
    try (Driver d = fake.open()) {
      Entry f = upload(d, "a.txt", new byte[] {1});
      fake.cloud().inject("web", r -> r.path().equals("/b/api/file/trash"), unread(how), 1);
      ((Driver.Remove) d).remove(List.of(f.id()));
      assertEquals(List.of(), names(d, "0"));
    }
    assertEquals(1, fake.cloud().requests("web", "/b/api/file/trash").size());
  }

  /** Interrupted while it looks whether a mkdir whose answer was lost went through: CANCELLED, not the lost answer. */
  @Test
  void mkdir_interruptedWhileLooking_isCancelled() {
    Thread caller = Thread.currentThread();
    io.github.pan4j.testkit.fake.RequestGate gate = io.github.pan4j.testkit.fake.RequestGate.interrupting(caller);
    try (Driver d = fake.open()) {
      d.list("0", null);
      fake.cloud().inject("web", r -> r.path().endsWith("/file/upload_request"), Fault.droppedReply(), 1);
      fake.cloud().inject("web", r -> r.path().equals("/b/api/file/list/new"), Fault.hold(gate::hold), 1);
      DriveException e = assertThrows(DriveException.class, () -> ((Driver.Mkdir) d).mkdir("0", "made"));
      assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    } finally {
      gate.release();
      Thread.interrupted();
    }
  }

  @Test
  void remove_whoseLookFails_reportsTheRemovalsUnknownOutcome_withTheLookSuppressed() {
    try (Driver d = fake.open()) {
      Entry f = upload(d, "a.txt", new byte[] {1});
      fake.cloud().inject("web", r -> r.path().equals("/b/api/file/trash"), Fault.lostReply(), 1);
      // file/info fails only after the trash was sent: the look before it works, the look after it does not.
      fake.cloud().inject("web", r -> r.path().equals("/b/api/file/info")
          && !fake.cloud().requests("web", "/b/api/file/trash").isEmpty(), Fault.html(502), 100);
      DriveException e = assertThrows(DriveException.class, () -> ((Driver.Remove) d).remove(List.of(f.id())));
      assertTrue(e.getMessage().contains("file/trash"), "the removal's failure, not the look's: " + e.getMessage());
      assertEquals(1, e.getSuppressed().length, e::toString);
      assertTrue(e.getSuppressed()[0].getMessage().contains("file/info"), e.getSuppressed()[0]::getMessage);
      fake.cloud().clearFaults();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cut", "dropped"})
  void instantUpload_returnsTheStoredFile(String how) {
    byte[] content = "known content".getBytes();
    try (Driver d = fake.open()) {
      upload(d, "a.txt", content);
      // 123 knows the content: upload_request stores b.txt at once, then its answer is cut.
      fake.cloud().inject("web", r -> r.path().endsWith("/file/upload_request"), unread(how), 1);
      Entry b = upload(d, "b.txt", content);
      assertEquals("b.txt", b.name());
      assertEquals(content.length, b.size());
      assertEquals(List.of("a.txt", "b.txt"), names(d, "0"));
    }
    assertEquals(2, fake.cloud().requests("web", "/b/api/file/upload_request").size(), "one per upload");
  }

  @Test
  void aCutAnswerToAWriteThatDidNotHappen_isStillAFailure_sayingTheReplyWasGarbled() {
    try (Driver d = fake.open()) {
      Entry f = upload(d, "a.txt", new byte[] {1});
      // The rename is refused (the name is taken), and the refusal's answer is cut: nothing changed.
      upload(d, "b.txt", new byte[] {2});
      fake.cloud().inject("web", r -> r.path().equals("/b/api/file/rename"), Fault.cutReply(), 1);
      DriveException e = assertThrows(DriveException.class, () -> ((Driver.Rename) d).rename(f.id(), "b.txt"));
      assertEquals(ErrorKind.PROTOCOL, e.kind(), e.getMessage());
      assertEquals("123pan", e.driverId().orElseThrow());
      assertEquals(List.of("a.txt", "b.txt"), names(d, "0"));
    }
  }
}
