package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The used space kept per account as files change equals a full recount, whatever the sequence. */
class SpaceUsedTest {
  @Test
  void keptFigureMatchesRecountAfterMixedOperations() throws Exception {
    try (FakeStore st = new FakeStore(Clock.systemUTC())) {
      long me = st.createAccount("me").uid();
      long other = st.createAccount("other").uid();
      Blob small = st.putBlob(new byte[10]);
      Blob big = st.putBlob(new byte[1000]);
      Blob mid = st.putBlob(new byte[100]);

      Node dir = st.mkdir(me, FakeStore.ROOT, "d");
      Node sub = st.mkdir(me, dir.id(), "s");
      Node a = st.createFile(me, dir.id(), "a", small);
      Node b = st.createFile(me, sub.id(), "b", big);
      st.createFile(other, FakeStore.ROOT, "o", mid);
      check(st, me, 1010);
      check(st, other, 100);

      st.replaceContent(a, mid); // overwrite keeping the id
      check(st, me, 1100);
      st.trash(b); // the bin's files count
      check(st, me, 1100);
      st.recover(b);
      st.trash(sub);
      check(st, me, 1100);
      assertEquals(CopyTasks.Result.CHANGED, new CopyTasks(() -> st, 1).copy(me, List.of(dir.id()), FakeStore.ROOT),
          "a copy into a folder holding the name is not made");
      Node target = st.mkdir(me, FakeStore.ROOT, "t");
      assertEquals(CopyTasks.Result.DONE, new CopyTasks(() -> st, 1).copy(me, List.of(a.id()), target.id()));
      check(st, me, 1200);
      st.delete(dir); // a subtree with a trashed folder in it
      check(st, me, 100);
      st.delete(dir); // deleting it twice frees nothing twice
      check(st, me, 100);
      Node c = st.createFile(st.nextId(), me, FakeStore.ROOT, "c", big);
      st.replaceContent(c, small);
      check(st, me, 110);

      // Loading a saved tree replaces the account's figure with the loaded one.
      Node x = new Node(st.nextId(), me, FakeStore.ROOT, "x", false, big, st.clock().instant());
      st.restore(me, List.of(x));
      check(st, me, 1000);
      check(st, other, 100);
    }
  }

  private static void check(FakeStore st, long uid, long expected) {
    assertEquals(expected, st.recountSpaceUsed(uid), "recount");
    assertEquals(st.recountSpaceUsed(uid), st.spaceUsed(uid), "kept figure");
  }
}
