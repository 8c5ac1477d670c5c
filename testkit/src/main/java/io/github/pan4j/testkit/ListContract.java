package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Page;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Listing, stat and walk: thousands of entries across pages, empty folders, files, the root. */
public abstract class ListContract extends ContractSupport {

  @Test
  void list_thousandsOfEntries_returnsEachOnceWithItsPath() {
    int count = contract().bulkListCount();
    String folder = contract().seedFolderWithFiles(drive, scratch, count);
    List<Entry> all;
    try (Stream<Entry> s = drive.list(folder)) {
      all = s.toList();
    }
    assertEquals(count, all.size(), "entries listed");
    assertEquals(count, all.stream().map(Entry::id).distinct().count(), "distinct ids");
    assertEquals(count, all.stream().map(Entry::name).distinct().count(), "distinct names");
    for (Entry e : all) assertEquals(folder + "/" + e.name(), e.path(), "path of " + e);
  }

  @Test
  void list_thousandsOfEntries_driverCursorsVisitEachEntryOnceAcrossPages() {
    Assumptions.assumeFalse(contract().listsInOnePage(),
        "the driver lists a folder in one page (listsInOnePage()), so it has no cursors to check");
    int count = contract().bulkListCount();
    String folderId = bulkFolderId(count);
    Set<String> ids = new HashSet<>();
    int pages = 0;
    String cursor = null;
    do {
      Page page = driver().list(folderId, cursor);
      pages++;
      for (Entry e : page.entries()) {
        assertTrue(ids.add(e.id()), () -> "entry " + e + " listed twice");
        assertEquals(folderId, e.parentId() == null ? folderId : e.parentId(), "parent id of " + e);
      }
      cursor = page.nextCursor();
    } while (cursor != null && pages <= count + 1);
    assertEquals(count, ids.size(), "entries over all pages");
    assertTrue(pages > 1, "all " + count + " entries (bulkListCount()) came back in one page, so the suite could"
        + " not check the cursors of list(folderId, cursor): if the driver pages, raise bulkListCount() above its page"
        + " size; if its source answers a whole folder at once (a local folder, a map, an API that returns"
        + " everything), override listsInOnePage() to return true");
  }

  @Test
  void list_thousandsOfEntries_driverThatListsInOnePage_answersEveryEntryWithNoCursor() {
    Assumptions.assumeTrue(contract().listsInOnePage(),
        "the driver pages (listsInOnePage() is false); the cursor test checks its pages");
    int count = contract().bulkListCount();
    String folderId = bulkFolderId(count);
    Page page = driver().list(folderId, null);
    assertEquals(null, page.nextCursor(), () -> "listsInOnePage() is true, but the first page (" + page.entries().size()
        + " of " + count + " entries) came with a next cursor: if the driver pages, drop the override so that the"
        + " suite checks its cursors");
    assertEquals(count, page.entries().size(), "entries in the one page");
    assertEquals(count, page.entries().stream().map(Entry::id).distinct().count(), "distinct ids in the one page");
  }

  /** The id of a folder the contract seeded with {@code count} entries. */
  private String bulkFolderId(int count) {
    return drive.stat(contract().seedFolderWithFiles(drive, scratch, count)).id();
  }

  @Test
  void list_stoppedEarly_returnsOnlyWhatWasAsked() {
    String folder = contract().seedFolderWithFiles(drive, scratch, 10);
    try (Stream<Entry> s = drive.list(folder)) {
      assertEquals(3, s.limit(3).count());
    }
  }

  @Test
  void list_emptyFolder_returnsNothing() {
    String empty = contract().seedEmptyFolder(drive, scratch);
    assertEquals(List.of(), drive.ls(empty));
  }

  @Test
  void list_file_throwsNotADirectory() {
    String file = seedFile("plain.txt", "x".getBytes(StandardCharsets.UTF_8));
    assertFails(ErrorKind.NOT_A_DIRECTORY, () -> drive.ls(file));
  }

  @Test
  void listById_folder_matchesListByPath() {
    String folder = contract().seedFolderWithFiles(drive, scratch, 5);
    List<String> byPath = drive.ls(folder).stream().map(Entry::id).toList();
    List<String> byId;
    try (Stream<Entry> s = drive.listById(drive.stat(folder).id())) {
      byId = s.map(Entry::id).toList();
    }
    assertEquals(byPath, byId);
  }

  @Test
  void stat_root_isFolderAtSlash() {
    Entry root = drive.stat("/");
    assertTrue(root.folder(), "root is a folder");
    assertEquals("/", root.path());
    assertEquals(driver().rootId(), root.id());
  }

  @Test
  void stat_file_reportsSizeNameAndPath() {
    byte[] content = bytes(1234, 7);
    String file = seedFile("sized.bin", content);
    Entry e = drive.stat(file);
    assertEquals(false, e.folder());
    assertEquals(1234, e.size());
    assertEquals(file, e.path());
    assertEquals(file.substring(file.lastIndexOf('/') + 1), e.name());
    if (e.hashes().md5() != null) assertEquals(md5(content), e.hashes().md5(), "md5 the driver reports");
    if (e.hashes().sha1() != null) assertEquals(sha1(content), e.hashes().sha1(), "sha1 the driver reports");
  }

  @Test
  void walk_tree_visitsEachEntryOnceParentsFirst() {
    String top = contract().seedTree(drive, scratch);
    List<String> walked;
    try (Stream<Entry> s = drive.walk(top)) {
      walked = s.map(Entry::path).toList();
    }
    Set<String> expected = Set.of(top, top + "/a", top + "/a/b", top + "/c", top + "/a/x.txt", top + "/a/b/y.txt", top + "/z.txt");
    assertEquals(expected, new HashSet<>(walked), "walked paths");
    assertEquals(expected.size(), walked.size(), "each entry once: " + walked);
    Map<String, Integer> position = new java.util.HashMap<>();
    for (int i = 0; i < walked.size(); i++) position.put(walked.get(i), i);
    for (String p : walked) {
      if (p.equals(top)) continue;
      String parent = p.substring(0, p.lastIndexOf('/'));
      assertTrue(position.get(parent) < position.get(p), () -> parent + " must come before " + p + ": " + walked);
    }
    assertEquals(top, walked.get(0), "walk starts at the entry it was given");
    // Depth first: the subtree of /a is walked right after /a, not interleaved with its siblings.
    List<Integer> underA = new ArrayList<>();
    for (int i = 0; i < walked.size(); i++) if (walked.get(i).startsWith(top + "/a/")) underA.add(i);
    int first = position.get(top + "/a");
    assertEquals(IntStream.rangeClosed(first + 1, first + underA.size()).boxed().toList(), underA,
        "the subtree of " + top + "/a is contiguous: " + walked);
  }
}
