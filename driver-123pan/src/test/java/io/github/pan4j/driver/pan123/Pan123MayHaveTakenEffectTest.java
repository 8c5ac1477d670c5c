package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.SoakHttp;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DriveException#mayHaveTakenEffect()} as a caller of a 123pan {@link Drive} reads it, over
 * HTTP against the fake: set where a write may have been carried out, not for a refusal, a write
 * stopped before its request was sent whole, or a read.
 */
class Pan123MayHaveTakenEffectTest {
  private static final String API = "/b/api/file/";

  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");
  private SoakHttp cutter;
  private Drive drive;
  private Node a;

  @BeforeEach
  void open() {
    cutter = new SoakHttp(Duration.ofSeconds(30));
    drive = cutter.drive("123pan", fake.options(), fake.clock(), fake.tokenStore());
    a = fake.store().createFile(fake.demo().uid(), 0, "a.txt", fake.store().putBlob("a".getBytes()));
    drive.ls("/"); // signed in, the root listed: the faults below strike the call under test
  }

  @AfterEach
  void close() {
    cutter.close();
  }

  private void fault(String endpoint, Fault fault, int times) {
    fake.cloud().inject("web", r -> r.path().equals(API + endpoint), fault, times);
  }

  private List<String> root() {
    return fake.store().children(fake.demo().uid(), 0, false).stream().map(Node::name).toList();
  }

  /** The rename went through, its reply was dropped, and looking whether it did failed too. */
  @Test
  void rename_whoseReplyWasDropped_andWhoseLookFailed_mayHaveTakenEffect() {
    fault("rename", Fault.droppedReply(), 1);
    fake.cloud().inject("web", r -> r.path().equals(API + "info")
        && !fake.cloud().requests("web", API + "rename").isEmpty(), Fault.html(502), 100);
    DriveException e = assertThrows(DriveException.class, () -> drive.rename("/a.txt", "b.txt"));
    assertEquals(List.of("b.txt"), root(), "123 renamed it");
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertEquals("rename", e.operation().orElseThrow());
  }

  @Test
  void writesRefusedBy123_didNotTakeEffect() {
    fault("rename", WebFrontDoor.businessError(2, "无权限操作"), 1);
    DriveException refused = assertThrows(DriveException.class, () -> drive.rename("/a.txt", "b.txt"));
    assertEquals("2", refused.providerCode().orElse(null), refused::getMessage);
    assertFalse(refused.mayHaveTakenEffect(), refused::getMessage);
    fault("rename", WebFrontDoor.businessError(400, "参数错误"), 1);
    DriveException invalid = assertThrows(DriveException.class, () -> drive.rename("/a.txt", "b.txt"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, invalid.kind(), invalid::getMessage);
    assertFalse(invalid.mayHaveTakenEffect(), invalid::getMessage);
    assertEquals(List.of("a.txt"), root());
  }

  @Test
  void put_interruptedBeforeItsBytesWereSentWhole_didNotTakeEffect() {
    DriveException e = cutter.interruptedMidBody(() -> drive.put("/b.bin", new byte[3000]));
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::getMessage);
    assertFalse(e.mayHaveTakenEffect(), e::getMessage);
    assertEquals(List.of("a.txt"), root());
  }

  @Test
  void readsNeverSayTheyMayHaveTakenEffect() {
    fault("list/new", Fault.droppedReply(), 100);
    DriveException dropped = assertThrows(DriveException.class, () -> drive.ls("/"));
    assertFalse(dropped.mayHaveTakenEffect(), dropped::getMessage);
    fake.cloud().clearFaults();
    fault("info", Fault.cutReply(), 100);
    DriveException cut = assertThrows(DriveException.class, () -> drive.statById(Long.toString(a.id())));
    assertFalse(cut.mayHaveTakenEffect(), cut::getMessage);
  }

  /**
   * A purge (repeated by the engine: deleting what is gone is harmless) whose first answer is a
   * gateway's page after 123 deleted, and whose repeat is refused: the refusal is reported, and
   * still says the purge may have taken effect.
   */
  @Test
  void purge_whoseRepeatIsRefused_afterAFirstAttemptThatMayHaveActed_mayHaveTakenEffect() {
    fake.store().trash(a);
    fault("delete", Fault.lostReply(), 1);
    fault("delete", WebFrontDoor.businessError(400, "参数错误"), 1);
    DriveException e = assertThrows(DriveException.class, () -> drive.purge(List.of(Long.toString(a.id()))));
    assertEquals(2, fake.cloud().requests("web", API + "delete").size());
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), "the repeat's refusal is reported: " + e.getMessage());
    assertTrue(fake.store().node(fake.demo().uid(), a.id()).isEmpty(), "123 deleted it");
    assertTrue(e.getMessage().contains("may have"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
  }
}
