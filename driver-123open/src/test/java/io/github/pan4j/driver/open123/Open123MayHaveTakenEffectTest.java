package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.testkit.SoakHttp;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DriveException#mayHaveTakenEffect()} as a caller of a 123open {@link Drive} reads it, over
 * HTTP against the fake: set where a write may have been carried out (its reply dropped, cut, or a
 * gateway's page after 123 acted), not for a refusal, a write stopped before its request was sent
 * whole, or a read.
 */
class Open123MayHaveTakenEffectTest extends Open123Fixture {
  private SoakHttp cutter;
  private Drive drive;

  @BeforeEach
  void open() {
    cutter = new SoakHttp(Duration.ofSeconds(30));
    drive = cutter.drive("123open", options("singleUploadMax", "512"), clock, tokenStore);
    store.createFile(demo.uid(), 0, "a.txt", store.putBlob("a".getBytes()));
    drive.ls("/"); // signed in, the root listed: the faults below strike the call under test
  }

  @AfterEach
  void close() {
    cutter.close();
  }

  private void fault(String endpoint, Fault fault, int times) {
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint), fault, times);
  }

  @Test
  void share_whoseReplyWasDroppedOrCut_mayHaveTakenEffect() {
    fault(Open123Limits.SHARE_CREATE, Fault.droppedReply(), 1);
    DriveException dropped = assertThrows(DriveException.class, () -> drive.share("/a.txt", ShareOptions.DEFAULT));
    assertTrue(dropped.mayHaveTakenEffect(), dropped::getMessage);
    assertEquals(1, door.sharesCreated(demo), "123 made the share");
    fault(Open123Limits.SHARE_CREATE, Fault.cutReply(), 1);
    DriveException cut = assertThrows(DriveException.class, () -> drive.share("/a.txt", ShareOptions.DEFAULT));
    assertTrue(cut.mayHaveTakenEffect(), cut::getMessage);
    assertEquals(2, door.sharesCreated(demo));
    assertEquals("share", cut.operation().orElseThrow());
  }

  @Test
  void writesRefusedBy123_didNotTakeEffect() {
    door.failNext("/" + Open123Limits.SHARE_CREATE, 1, 1, "系统错误");
    DriveException refused = assertThrows(DriveException.class, () -> drive.share("/a.txt", ShareOptions.DEFAULT));
    assertEquals("1", refused.providerCode().orElse(null), refused::getMessage);
    assertFalse(refused.mayHaveTakenEffect(), refused::getMessage);
    assertEquals(0, door.sharesCreated(demo));
    // A validation error, as 123 answers one: a business code in an HTTP 200.
    door.failNext("/" + Open123Limits.MKDIR, 1, 1, "文件名要小于256个字符");
    DriveException invalid = assertThrows(DriveException.class, () -> drive.mkdirs("/d"));
    assertEquals(ErrorKind.INVALID_NAME, invalid.kind(), invalid::getMessage);
    assertFalse(invalid.mayHaveTakenEffect(), invalid::getMessage);
  }

  @Test
  void put_interruptedBeforeItsBytesWereSentWhole_didNotTakeEffect() {
    DriveException e = cutter.interruptedMidBody(() -> drive.put("/b.bin", new byte[300]));
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::getMessage);
    assertFalse(e.mayHaveTakenEffect(), e::getMessage);
    assertEquals(List.of("a.txt"), store.children(demo.uid(), 0, false).stream().map(n -> n.name()).toList());
  }

  @Test
  void readsNeverSayTheyMayHaveTakenEffect() {
    fault(Open123Limits.LIST, Fault.droppedReply(), 100);
    DriveException dropped = assertThrows(DriveException.class, () -> drive.ls("/"));
    assertFalse(dropped.mayHaveTakenEffect(), dropped::getMessage);
    cloud.clearFaults();
    fault(Open123Limits.LIST, Fault.cutReply(), 100);
    DriveException cut = assertThrows(DriveException.class, () -> drive.ls("/"));
    assertFalse(cut.mayHaveTakenEffect(), cut::getMessage);
  }

  /**
   * A rename (repeated by the engine, since renaming to the same name again is harmless) whose
   * first answer is a gateway's page after 123 renamed, and whose repeat is refused: the refusal
   * is reported, and still says the rename may have taken effect.
   */
  @Test
  void rename_whoseRepeatIsRefused_afterAFirstAttemptThatMayHaveActed_mayHaveTakenEffect() {
    fault(Open123Limits.RENAME, Fault.lostReply(), 1);
    fault(Open123Limits.RENAME, Fault.response("code 1", new mockwebserver3.MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json")
        .body("{\"code\":1,\"message\":\"系统错误\",\"data\":null,\"x-traceID\":\"t_emu\"}").build()), 1);
    DriveException e = assertThrows(DriveException.class, () -> drive.rename("/a.txt", "b.txt"));
    assertEquals(2, calls("open", "/" + Open123Limits.RENAME));
    assertEquals("1", e.providerCode().orElse(null), "the repeat's refusal is reported: " + e.getMessage());
    assertEquals("b.txt", store.children(demo.uid(), 0, false).get(0).name(), "123 renamed it");
    assertTrue(e.getMessage().contains("may have"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
  }

  private static final String GENERAL = "it may have reached the server and taken effect: look before repeating it";

  private static int times(String text, String words) {
    return text.split(java.util.regex.Pattern.quote(words), -1).length - 1;
  }

  /**
   * A rename answered with a reply the driver cannot read (a code that is no number), whose own
   * reason already says "the 123 API may have changed": 123 may still have renamed, so the error
   * says that too, once, after the look found the old name. (The engine used to skip its words
   * whenever a reason contained "may have".)
   */
  @Test
  void rename_answeredWithAnUnreadableCode_saysOnceThatItMayHaveTakenEffect() {
    fault(Open123Limits.RENAME, Fault.response("code x", new mockwebserver3.MockResponse.Builder().code(200)
        .setHeader("Content-Type", "application/json").body("{\"code\":\"x\",\"message\":\"?\",\"data\":null}").build()), 1);
    DriveException e = assertThrows(DriveException.class, () -> drive.rename("/a.txt", "b.txt"));
    assertEquals(ErrorKind.PROTOCOL, e.kind(), e::getMessage);
    assertEquals("a.txt", store.children(demo.uid(), 0, false).get(0).name(), "the fake did not rename");
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertTrue(e.getMessage().contains("the 123 API may have changed"), e::getMessage);
    assertEquals(1, times(e.getMessage(), GENERAL), e::getMessage);
  }

  /**
   * A rename whose reply was cut, and whose look at the entry afterwards fails too: the driver's
   * words on what may have happened take the place of the engine's, so the message says it once.
   */
  @Test
  void rename_whoseLookFailsToo_saysItMayHaveTakenEffectOnce_inTheDriversWords() {
    fault(Open123Limits.RENAME, Fault.cutReply(), 1);
    fault(Open123Limits.DETAIL, Fault.status(400, "no"), 100);
    DriveException e = assertThrows(DriveException.class, () -> drive.rename("/a.txt", "b.txt"));
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertEquals(0, times(e.getMessage(), GENERAL), e::getMessage);
    assertEquals(1, times(e.getMessage(), "may have reached"), e::getMessage);
    assertTrue(e.getMessage().contains("; the request may have reached 123 and taken effect, and looking whether it did"
        + " failed too ("), e::getMessage);
    assertEquals("b.txt", store.children(demo.uid(), 0, false).get(0).name(), "123 renamed it");
  }

  /**
   * Every slice of a sliced upload answered by a gateway's page: each may have reached 123, but a
   * slice is no file and the upload was never completed, so the error does not say that anything
   * may have taken effect, in words or by the flag.
   */
  @Test
  void put_whoseSlicesGetAGatewayPage_saysNoFileWasStored_andNothingMayHaveTakenEffect() {
    cloud.inject("upload", r -> r.path().equals("/" + Open123Limits.SLICE), Fault.html(502), 100);
    DriveException e = assertThrows(DriveException.class, () -> drive.put("/big.bin", new byte[3 * 64 * 1024 + 5]));
    assertFalse(e.mayHaveTakenEffect(), e::getMessage);
    assertTrue(e.getMessage().contains("no file was stored: upload it again"), e::getMessage);
    assertEquals(0, times(e.getMessage(), "may have"), e::getMessage);
  }
}
