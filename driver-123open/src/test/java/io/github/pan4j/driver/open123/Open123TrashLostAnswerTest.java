package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The look after a lost answer of remove, purge and restore (file/infos) on the shapes the
 * simple cases miss: more than one call of 100, ids already gone, a folder and an entry inside it.
 */
class Open123TrashLostAnswerTest extends Open123Fixture {
  private Node file(long parent, String name) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(name.getBytes()));
  }

  private static String id(Node n) {
    return Long.toString(n.id());
  }

  private void loseEveryAnswer(String endpoint) {
    cloud.inject("open", OpenApiFrontDoor.endpoint("/" + endpoint), Fault.cutReply(), 1000);
  }

  /** 150 entries (two calls), every answer cut off after 123 acted: each call is looked at and found done. */
  @ParameterizedTest
  @ValueSource(strings = {"remove", "purge", "restore"})
  void moreThanOneCall_everyAnswerLost_isDone(String op) {
    door.qpsEnabled(false);
    door.infosMaxIds(100);
    List<Node> nodes = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      Node n = file(0, "f" + i);
      if (!op.equals("remove")) store.trash(n);
      nodes.add(n);
      ids.add(id(n));
    }
    Open123Driver d = driver();
    loseEveryAnswer(op.equals("remove") ? Open123Limits.TRASH : op.equals("purge") ? Open123Limits.DELETE : Open123Limits.RECOVER);
    switch (op) {
      case "remove" -> d.remove(ids);
      case "purge" -> d.purge(ids);
      default -> assertEquals(ids, d.restore(ids, null).restored());
    }
    for (Node n : nodes) {
      var now = store.node(demo.uid(), n.id());
      switch (op) {
        case "remove" -> assertTrue(store.isTrashed(now.orElseThrow()));
        case "purge" -> assertTrue(now.isEmpty());
        default -> assertFalse(store.isTrashed(now.orElseThrow()));
      }
    }
  }

  /** A folder and a file inside it, in one call whose answer is lost: both count as done. */
  @ParameterizedTest
  @ValueSource(strings = {"remove", "removePermanently", "purge", "restore"})
  void folderAndAnEntryInside_answerLost_isDone(String op) {
    Node dir = store.mkdir(demo.uid(), 0, "dir");
    Node inside = file(dir.id(), "in.txt");
    if (op.equals("purge") || op.equals("restore")) {
      store.trash(inside);
      store.trash(dir);
    }
    Open123Driver d = op.equals("removePermanently") ? driver("removePermanently", "true") : driver();
    loseEveryAnswer(op.startsWith("remove") ? (op.equals("remove") ? Open123Limits.TRASH : Open123Limits.DELETE)
        : op.equals("purge") ? Open123Limits.DELETE : Open123Limits.RECOVER);
    List<String> ids = List.of(id(dir), id(inside));
    switch (op) {
      case "remove", "removePermanently" -> d.remove(ids);
      case "purge" -> d.purge(ids);
      default -> assertEquals(ids, d.restore(ids, null).restored());
    }
    for (Node n : List.of(dir, inside)) {
      var now = store.node(demo.uid(), n.id());
      switch (op) {
        case "remove" -> assertTrue(store.isTrashed(now.orElseThrow()));
        case "restore" -> assertFalse(store.isTrashed(now.orElseThrow()));
        default -> assertTrue(now.isEmpty(), "deleted for good");
      }
    }
  }

  /** An id already gone for good among those of a call whose answer is lost. */
  @ParameterizedTest
  @ValueSource(strings = {"remove", "removePermanently", "removePermanentlyTrashLost", "purge"})
  void anIdAlreadyGone_answerLost_isDone(String op) {
    Node a = file(0, "a.txt");
    Node gone = file(0, "gone.txt");
    if (op.equals("purge")) store.trash(a);
    store.delete(gone);
    Open123Driver d = op.startsWith("removePermanently") ? driver("removePermanently", "true") : driver();
    loseEveryAnswer(op.startsWith("remove") && !op.equals("removePermanently") ? Open123Limits.TRASH : Open123Limits.DELETE);
    List<String> ids = List.of(id(a), id(gone));
    switch (op) {
      case "purge" -> d.purge(ids);
      default -> d.remove(ids);
    }
    var now = store.node(demo.uid(), a.id());
    if (op.equals("remove")) assertTrue(store.isTrashed(now.orElseThrow()));
    else assertTrue(now.isEmpty());
  }
}
