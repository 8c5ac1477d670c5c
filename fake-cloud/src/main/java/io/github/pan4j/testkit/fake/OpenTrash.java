package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.error;
import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The recycle-bin endpoints of the open API (docs/protocol/123open.md §8.10–§8.13) other than
 * {@code trash} itself: permanent {@code delete}, {@code recover} and {@code recover/by_path}.
 * There is no endpoint that lists the whole recycle bin: trashed entries show in their folder's
 * v2 listing with {@code trashed: 1}, and the legacy v1 list takes {@code trashed=true}.
 *
 * <p>Choices where the protocol is UNKNOWN (each a setting below):
 * <ul>
 *   <li>{@code delete} of an entry not in the trash: the docs only say it fails; we answer code 1
 *       {@code 文件不在回收站中，无法彻底删除} and delete nothing ({@link #deleteNotTrashedError});
 *   <li>{@code delete} / {@code recover} of an unknown id: code 5066 {@code 文件不存在…}, as
 *       {@code download_info} documents it for unknown ids;
 *   <li>{@code recover} of an entry that is not in the trash: a no-op success (the id is not listed
 *       in {@code abnormalFileIDs}); of an entry trashed only through its folder: listed there, its
 *       parent being trashed, and left as it is;
 *   <li>{@code recover} when the original folder now holds a live entry of the same name: the id is
 *       reported in {@code abnormalFileIDs} and stays in the trash, since names are unique within a
 *       folder (§7.2); {@link #recoverNameClashAbnormal}(false) restores it next to the other one;
 *   <li>{@code recover/by_path} of an entry not in the trash: left where it is, like {@code recover};
 *       into a missing or trashed folder: code 1 {@code parentFileID不存在};
 *       into a folder that holds a live entry of the same name (or when two of the ids share a
 *       name): code 1 {@code 目标目录下存在同名文件}, as {@code move} answers, and nothing restored.
 * </ul>
 */
public final class OpenTrash {
  static final String NOT_IN_TRASH = "文件不在回收站中，无法彻底删除";

  private final OpenApiFrontDoor door;
  volatile int deleteNotTrashedCode = 1;
  volatile String deleteNotTrashedMessage = NOT_IN_TRASH;
  volatile boolean recoverNameClashAbnormal = true;

  OpenTrash(OpenApiFrontDoor door) {
    this.door = door;
  }

  void install() {
    door.api("POST", "/api/v1/file/delete", true, this::delete);
    door.api("POST", "/api/v1/file/recover", true, this::recover);
    door.api("POST", "/api/v1/file/recover/by_path", true, this::recoverByPath);
  }

  // ------------------------------------------------------------------ settings

  /** The answer to {@code delete} of an entry not in the trash (UNKNOWN; default code 1 and {@value #NOT_IN_TRASH}). */
  public OpenTrash deleteNotTrashedError(int code, String message) {
    deleteNotTrashedCode = code;
    deleteNotTrashedMessage = message;
    return this;
  }

  /**
   * Whether {@code recover} reports an entry whose name is taken in its original folder in
   * {@code abnormalFileIDs} (true, default: names are unique within a folder) or restores it next
   * to the other one (false). UNKNOWN.
   */
  public OpenTrash recoverNameClashAbnormal(boolean v) {
    recoverNameClashAbnormal = v;
    return this;
  }

  // ------------------------------------------------------------------ endpoints

  private FakeStore store() {
    return door.store();
  }

  private Node requireNode(long uid, long id) {
    return store().node(uid, id).orElseThrow(() -> error(5066, OpenWire.NO_FILE));
  }

  private static List<Long> ids(FakeRequest req) {
    List<Long> ids = OpenWire.longList(req, "fileIDs");
    if (ids.size() > 100) throw fail("fileIDs最多支持100个");
    return ids;
  }

  /** Permanent delete (§8.11): only entries in the trash (or inside a trashed folder); all or nothing. */
  private JsonNode delete(FakeRequest req, Account a) {
    List<Long> ids = ids(req);
    synchronized (store()) {
      List<Node> nodes = new ArrayList<>();
      for (long id : ids) {
        Node n = requireNode(a.uid(), id);
        if (!store().isTrashed(n)) throw error(deleteNotTrashedCode, deleteNotTrashedMessage);
        nodes.add(n);
      }
      for (Node n : nodes) if (store().node(a.uid(), n.id()).isPresent()) store().delete(n);
    }
    return null;
  }

  /** Recover (§8.12): entries whose original folder is gone or trashed stay trashed and are reported. */
  private JsonNode recover(FakeRequest req, Account a) {
    List<Long> ids = ids(req);
    ObjectNode d = OpenWire.object();
    ArrayNode abnormal = d.putArray("abnormalFileIDs");
    synchronized (store()) {
      List<Node> nodes = new ArrayList<>();
      for (long id : ids) nodes.add(requireNode(a.uid(), id));
      for (Node n : nodes) {
        if (!n.trashed()) {
          // In the trash only through its folder: its parent is trashed, so it is reported, as
          // entries whose folder is gone or trashed are (a live entry: nothing to do).
          if (store().isTrashed(n)) abnormal.add(n.id());
          continue;
        }
        if (!store().isLiveFolder(a.uid(), n.parentId())
            || recoverNameClashAbnormal && store().child(a.uid(), n.parentId(), n.name()).isPresent()) {
          abnormal.add(n.id());
          continue;
        }
        store().recover(n);
      }
    }
    return d;
  }

  /**
   * Recover into a chosen folder (§8.13): {@code data: null}. An entry not in the recycle bin is
   * left where it is, as {@code recover} leaves it: this call restores, it does not move (a live
   * folder sent into its own subtree would otherwise close a cycle).
   */
  private JsonNode recoverByPath(FakeRequest req, Account a) {
    List<Long> ids = ids(req);
    long parent = OpenWire.requireLong(req, "parentFileID");
    synchronized (store()) {
      door.requireLiveFolder(a.uid(), parent);
      List<Node> nodes = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (long id : ids) {
        Node n = requireNode(a.uid(), id);
        if (!store().isTrashed(n)) continue;
        boolean staysPut = n.parentId() == parent && !n.trashed();
        if (!staysPut && (store().child(a.uid(), parent, n.name()).isPresent() || !names.add(n.name()))) {
          throw door.nameClash("目标目录下存在同名文件");
        }
        nodes.add(n);
      }
      for (Node n : nodes) {
        store().move(n, parent);
        store().recover(n);
      }
    }
    return null;
  }
}
