package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.TrashedEntry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The trash: what {@code remove} takes away can be listed, restored (in place, or into another
 * folder when its own is gone) and purged for good; purge refuses live entries.
 */
public abstract class TrashContract extends ContractSupport {

  private Optional<TrashedEntry> inTrash(String id) {
    try (Stream<TrashedEntry> s = drive.trash()) {
      return s.filter(t -> t.id().equals(id)).findFirst();
    }
  }

  @Test
  void removedFile_isListedInTrash_andRestoresToItsFolder() {
    assume(Capability.TRASH, Capability.UPLOAD, Capability.MKDIR, Capability.REMOVE);
    byte[] content = bytes(1234, 7);
    Entry folder = drive.mkdirs(scratch + "/box");
    Entry file = drive.put(scratch + "/box/keep.bin", content);
    assertTrue(drive.remove(scratch + "/box/keep.bin"));
    assertFalse(drive.exists(scratch + "/box/keep.bin"), "gone from its folder");

    TrashedEntry t = inTrash(file.id()).orElseThrow(() -> new AssertionError("removed file not listed in the trash"));
    assertEquals("keep.bin", t.name());
    assertEquals(1234, t.entry().size());
    assertFalse(t.entry().folder());
    if (t.originalParentId() != null) assertEquals(folder.id(), t.originalParentId(), "original parent");

    RestoreResult r = drive.restore(List.of(file.id()));
    assertEquals(List.of(file.id()), r.restored(), () -> "restored in place: " + r);
    assertTrue(r.complete());
    assertEquals(List.of("keep.bin"), names(scratch + "/box"), "back in its folder");
    assertSameBytes(content, download(scratch + "/box/keep.bin"), "restored bytes");
    assertTrue(inTrash(file.id()).isEmpty(), "no longer in the trash");

    RestoreResult again = drive.restore(List.of(file.id()));
    assertEquals(List.of(file.id()), again.restored(), "restoring again is harmless");
  }

  @Test
  void restore_whenOriginalFolderIsGone_reportsIt_orUsesFallback() {
    assume(Capability.TRASH, Capability.UPLOAD, Capability.MKDIR, Capability.REMOVE);
    drive.mkdirs(scratch + "/old");
    drive.mkdirs(scratch + "/new");
    Entry file = drive.put(scratch + "/old/orphan.txt", new byte[] {1, 2, 3});
    drive.remove(scratch + "/old/orphan.txt");
    drive.remove(scratch + "/old");

    RestoreResult stuck = drive.restore(List.of(file.id()));
    assertEquals(List.of(), stuck.restored(), () -> "nothing restored: " + stuck);
    assertTrue(stuck.notRestored().containsKey(file.id()), () -> "reported: " + stuck);
    assertEquals(List.of(), names(scratch + "/new"), "nothing came back anywhere");

    RestoreResult moved = drive.restore(List.of(file.id()), scratch + "/new");
    assertEquals(List.of(file.id()), moved.relocated(), () -> "relocated: " + moved);
    assertTrue(moved.complete());
    assertEquals(List.of("orphan.txt"), names(scratch + "/new"));
    assertEquals(3, drive.stat(scratch + "/new/orphan.txt").size());
  }

  @Test
  void restore_intoAFallbackHoldingOneName_reportsThatOne_andRelocatesTheOthers() {
    assume(Capability.TRASH, Capability.UPLOAD, Capability.MKDIR, Capability.REMOVE);
    Assumptions.assumeFalse(contract().allowsDuplicateNames(), "provider allows duplicate names");
    drive.mkdirs(scratch + "/gone");
    drive.mkdirs(scratch + "/fallback");
    Entry clash = drive.put(scratch + "/gone/same.txt", new byte[] {1});
    Entry free = drive.put(scratch + "/gone/free.txt", new byte[] {2});
    drive.put(scratch + "/fallback/same.txt", new byte[] {3, 3});
    drive.remove(scratch + "/gone/same.txt");
    drive.remove(scratch + "/gone/free.txt");
    drive.remove(scratch + "/gone");

    RestoreResult r = drive.restore(List.of(clash.id(), free.id()), scratch + "/fallback");
    assertEquals(List.of(free.id()), r.relocated(), () -> "relocated: " + r);
    assertTrue(r.notRestored().containsKey(clash.id()), () -> "the clash is reported, not thrown: " + r);
    assertEquals(Set.of("free.txt", "same.txt"), nameSet(scratch + "/fallback"));
    assertEquals(2, drive.stat(scratch + "/fallback/same.txt").size(), "what the folder held is untouched");
  }

  @Test
  void purge_deletesForGood_refusesLiveEntries_andSkipsGoneOnes() {
    assume(Capability.TRASH, Capability.UPLOAD, Capability.MKDIR, Capability.REMOVE);
    Entry doomed = drive.put(scratch + "/doomed.bin", new byte[] {9});
    Entry live = drive.put(scratch + "/live.bin", new byte[] {8, 8});
    drive.remove(scratch + "/doomed.bin");

    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.purge(List.of(doomed.id(), live.id())));
    assertTrue(inTrash(doomed.id()).isPresent(), "a refused purge deletes nothing");
    assertEquals(2, drive.stat(scratch + "/live.bin").size(), "the live entry is untouched");

    drive.purge(List.of(doomed.id()));
    assertTrue(inTrash(doomed.id()).isEmpty(), "purged entries leave the trash");
    assertFails(ErrorKind.NOT_FOUND, () -> drive.restore(List.of(doomed.id())));
    drive.purge(List.of(doomed.id())); // already gone: nothing to do
  }
}
