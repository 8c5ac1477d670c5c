package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.WebJson.asLong;
import static io.github.pan4j.testkit.fake.WebJson.error;
import static io.github.pan4j.testkit.fake.WebJson.get;
import static io.github.pan4j.testkit.fake.WebJson.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;

/**
 * The recycle bin of the web API (docs/protocol/123web.md §5.2, §5.8): permanent delete
 * ({@code POST /b/api/file/delete}, {@code fileIdList} of {@code {fileId}} items, event
 * {@code recycleDelete}) and what a restore ({@code POST /file/trash} with {@code operation:false})
 * does when the entry's folder is gone. Listing the bin is {@code file/list/new} with
 * {@code trashed=true}, which {@link WebFrontDoor} answers with every trashed entry of the account,
 * whatever {@code parentFileId} says.
 *
 * <p>What the sources leave UNKNOWN and is chosen here (settings below):
 * <ul>
 *   <li>the delete reply: {@code code 0}, {@code data: null};
 *   <li>delete of an entry not in the trash: {@code code 400 "文件不在回收站中"}, all or nothing
 *       ({@link #deleteNotTrashedError});
 *   <li>delete of an unknown id: {@code 5066 "文件不存在"};
 *   <li>restore of an entry whose folder is gone (deleted or in the trash): it is put back in the
 *       root folder ({@link OrphanRestore#ROOT}, default), or left under the missing folder
 *       ({@link OrphanRestore#IN_PLACE}: unreachable, as a naive server would), or refused with
 *       {@code 400 "原文件夹不存在"} ({@link OrphanRestore#REFUSE});
 *   <li>restore into a folder that holds a live entry of the same name (or with another restored
 *       entry of that name): names stay unique in a folder, as every call that creates a name
 *       keeps them ({@code 5060}); the entry comes back under the free name an upload with
 *       {@code duplicate:1} gets, {@code name(1).ext} ({@link RestoreNameClash#RENAME}, default), or
 *       the restore is refused with {@code 5060 检测到1个同名文件} ({@link RestoreNameClash#REFUSE}).
 * </ul>
 * A restore is all or nothing: a refusal restores none of the entries listed.
 */
public final class WebTrash {
  static final String MSG_NOT_IN_TRASH = "文件不在回收站中";

  /** Where a restore puts an entry whose original folder is gone. */
  public enum OrphanRestore { ROOT, IN_PLACE, REFUSE }

  /** What a restore does when the folder it restores into holds the entry's name. */
  public enum RestoreNameClash { RENAME, REFUSE }

  private final WebFrontDoor door;
  volatile OrphanRestore orphanRestore = OrphanRestore.ROOT;
  volatile RestoreNameClash restoreNameClash = RestoreNameClash.RENAME;
  volatile int deleteNotTrashedCode = 400;
  volatile String deleteNotTrashedMessage = MSG_NOT_IN_TRASH;

  WebTrash(WebFrontDoor door) {
    this.door = door;
  }

  /** Where restores put entries whose folder is gone (UNKNOWN; default {@link OrphanRestore#ROOT}). */
  public WebTrash orphanRestore(OrphanRestore mode) {
    orphanRestore = java.util.Objects.requireNonNull(mode);
    return this;
  }

  /** What a restore does when its folder holds the entry's name (UNKNOWN; default {@link RestoreNameClash#RENAME}). */
  public WebTrash restoreNameClash(RestoreNameClash mode) {
    restoreNameClash = java.util.Objects.requireNonNull(mode);
    return this;
  }

  /** The answer to a delete of an entry not in the trash (UNKNOWN; default 400 {@value #MSG_NOT_IN_TRASH}). */
  public WebTrash deleteNotTrashedError(int code, String message) {
    deleteNotTrashedCode = code;
    deleteNotTrashedMessage = message;
    return this;
  }

  /** {@code POST /b/api/file/delete}: deletes trashed entries (and their contents) for good. */
  MockResponse delete(FakeRequest req, WebFrontDoor.Session s) {
    JsonNode list = req.field("fileIdList");
    if (list == null || !list.isArray() || list.isEmpty()) return error(400, WebFrontDoor.MSG_BAD_ARG);
    FakeStore st = door.store();
    synchronized (st) {
      List<Node> nodes = new ArrayList<>();
      for (JsonNode e : list) {
        Long id = asLong(get(e, "fileId"));
        if (id == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
        Optional<Node> n = st.node(s.uid, id);
        if (n.isEmpty()) return error(5066, WebFrontDoor.MSG_NOT_FOUND);
        if (!st.isTrashed(n.get())) return error(deleteNotTrashedCode, deleteNotTrashedMessage);
        nodes.add(n.get());
      }
      for (Node n : nodes) if (st.node(s.uid, n.id()).isPresent()) st.delete(n);
    }
    return ok(null);
  }

  /**
   * Restores entries ({@code operation:false} of {@code /file/trash}), all or none: returns an
   * error reply (nothing restored) or null. An entry not in the trash itself is left as it is.
   * Caller holds the store's lock.
   */
  MockResponse restore(FakeStore st, long uid, List<Node> nodes) {
    Map<Node, Long> into = new LinkedHashMap<>();
    for (Node n : nodes) {
      if (!n.trashed() || into.containsKey(n)) continue;
      long folder = n.parentId();
      if (!st.isLiveFolder(uid, folder)) {
        switch (orphanRestore) {
          case ROOT -> folder = FakeStore.ROOT;
          case REFUSE -> {
            return error(400, "原文件夹不存在");
          }
          case IN_PLACE -> { }
        }
      }
      into.put(n, folder);
    }
    if (restoreNameClash == RestoreNameClash.REFUSE) {
      Map<String, Node> names = new HashMap<>();
      for (Map.Entry<Node, Long> e : into.entrySet()) {
        Optional<Node> clash = st.child(uid, e.getValue(), e.getKey().name());
        if (clash.isPresent()) return WebFrontDoor.sameName(clash.get());
        Node other = names.putIfAbsent(e.getValue() + "/" + e.getKey().name(), e.getKey());
        if (other != null) return WebFrontDoor.sameName(other);
      }
    }
    for (Map.Entry<Node, Long> e : into.entrySet()) {
      Node n = e.getKey();
      if (n.parentId() != e.getValue()) st.move(n, e.getValue());
      String free = st.freeName(uid, e.getValue(), n.name());
      if (!free.equals(n.name())) st.rename(n, free);
      st.recover(n);
    }
    return null;
  }
}
