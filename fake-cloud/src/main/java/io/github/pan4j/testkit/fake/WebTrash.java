package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.WebJson.asLong;
import static io.github.pan4j.testkit.fake.WebJson.error;
import static io.github.pan4j.testkit.fake.WebJson.get;
import static io.github.pan4j.testkit.fake.WebJson.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
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
 *       {@code 400 "原文件夹不存在"} ({@link OrphanRestore#REFUSE}).
 * </ul>
 */
public final class WebTrash {
  static final String MSG_NOT_IN_TRASH = "文件不在回收站中";

  /** Where a restore puts an entry whose original folder is gone. */
  public enum OrphanRestore { ROOT, IN_PLACE, REFUSE }

  private final WebFrontDoor door;
  volatile OrphanRestore orphanRestore = OrphanRestore.ROOT;
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
   * Restores one entry ({@code operation:false} of {@code /file/trash}); returns an error reply
   * or null. Caller holds the store's lock.
   */
  MockResponse restore(FakeStore st, long uid, Node n) {
    if (!n.trashed()) return null;
    if (!st.isLiveFolder(uid, n.parentId())) {
      switch (orphanRestore) {
        case ROOT -> st.move(n, FakeStore.ROOT);
        case REFUSE -> {
          return error(400, "原文件夹不存在");
        }
        case IN_PLACE -> { }
      }
    }
    st.recover(n);
    return null;
  }
}
