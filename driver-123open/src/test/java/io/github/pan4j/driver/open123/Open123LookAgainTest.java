package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The look after a lost answer when 123 carries the write out a moment later (its reads trail the
 * write): the first look finds it not done, the one after a pause on the driver's sleeper finds it
 * done, and the write is reported done. Bounded: a write still not visible then is reported not
 * confirmed after one extra look; a look that finds the write done goes on without a pause.
 */
class Open123LookAgainTest extends Open123Fixture {
  private Node file(long parent, String name) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(name.getBytes()));
  }

  private static String id(Node n) {
    return Long.toString(n.id());
  }

  private static String endpoint(String op) {
    return switch (op) {
      case "rename" -> Open123Limits.RENAME;
      case "move" -> Open123Limits.MOVE;
      case "remove" -> Open123Limits.TRASH;
      case "purge" -> Open123Limits.DELETE;
      default -> Open123Limits.RECOVER;
    };
  }

  /** Runs {@code op} on {@code a} (moved into {@code dir}; trashed first for purge and restore). */
  private void run(Open123Driver d, String op, Node a, Node dir) {
    switch (op) {
      case "rename" -> assertEquals("b.txt", d.rename(id(a), "b.txt").name());
      case "move" -> d.move(List.of(id(a)), id(dir));
      case "remove" -> d.remove(List.of(id(a)));
      case "purge" -> d.purge(List.of(id(a)));
      default -> assertEquals(List.of(id(a)), d.restore(List.of(id(a)), null).restored());
    }
  }

  private void assertDone(String op, Node a, Node dir) {
    var now = store.node(demo.uid(), a.id());
    switch (op) {
      case "rename" -> assertEquals("b.txt", now.orElseThrow().name());
      case "move" -> assertEquals(dir.id(), now.orElseThrow().parentId());
      case "remove" -> assertTrue(store.isTrashed(now.orElseThrow()));
      case "purge" -> assertTrue(now.isEmpty(), "deleted for good");
      default -> assertFalse(store.isTrashed(now.orElseThrow()));
    }
  }

  private long looks(String op) {
    return calls("open", "/" + (op.equals("rename") || op.equals("move") ? Open123Limits.DETAIL : Open123Limits.INFOS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rename", "move", "remove", "purge", "restore"})
  void answerLost_writeCarriedOutHalfASecondLater_secondLookFindsItDone(String op) {
    door.qpsEnabled(false);
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node a = file(0, "a.txt");
    if (op.equals("purge") || op.equals("restore")) store.trash(a);
    Open123Driver d = driver();
    d.stat(id(dir)); // signed in
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint(op)), Fault.cutReplyCarriedOutLater(Duration.ofMillis(500)), 1);
    long looksBefore = looks(op);
    Duration sleptBefore = clock.totalSlept();
    run(d, op, a, dir);
    assertDone(op, a, dir);
    assertEquals(0, cloud.pendingFaults(), "the write was carried out once, late");
    assertEquals(1, calls("open", "/" + endpoint(op)), "not sent again");
    assertTrue(clock.totalSlept().minus(sleptBefore).compareTo(Open123Api.LOOK_AGAIN_AFTER) >= 0,
        "paused on the driver's sleeper before the second look");
    assertTrue(looks(op) - looksBefore >= 2, "looked twice");
  }

  /** A write that is still not visible after the second look: not confirmed, after exactly one extra look. */
  @ParameterizedTest
  @ValueSource(strings = {"rename", "remove"})
  void answerLost_writeCarriedOutLaterThanThePause_isNotConfirmed_afterOneExtraLook(String op) {
    door.qpsEnabled(false);
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint(op)), Fault.cutReplyCarriedOutLater(Duration.ofSeconds(30)), 1);
    long looksBefore = looks(op);
    DriveException e = assertThrows(DriveException.class, () -> run(d, op, a, null));
    assertTrue(e.mayHaveTakenEffect(), e::getMessage);
    assertEquals(2, looks(op) - looksBefore, "one look, and one more after the pause: " + e.getMessage());
    if (op.equals("remove")) assertTrue(e.getMessage().contains("may still be carried out"), e::getMessage);
    assertEquals(1, cloud.pendingFaults(), "not carried out yet");
    cloud.clearFaults();
  }

  /** A look that finds the write done carries on at once: no pause. */
  @ParameterizedTest
  @ValueSource(strings = {"rename", "remove"})
  void answerLost_writeCarriedOutAtOnce_noPause(String op) {
    door.qpsEnabled(false);
    Node a = file(0, "a.txt");
    Open123Driver d = driver();
    d.stat(id(a));
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint(op)), Fault.cutReply(), 1);
    long looksBefore = looks(op);
    Duration sleptBefore = clock.totalSlept();
    run(d, op, a, null);
    assertDone(op, a, null);
    assertEquals(1, looks(op) - looksBefore, "one look");
    assertTrue(clock.totalSlept().minus(sleptBefore).compareTo(Open123Api.LOOK_AGAIN_AFTER) < 0,
        "no pause: slept " + clock.totalSlept().minus(sleptBefore));
  }
}
