package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.TrashedEntry;
import io.github.pan4j.driver.common123.internal.Outcomes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The recycle bin on the open API (docs/protocol/123open.md §8.2, §8.10–§8.13).
 *
 * <p><b>Listing.</b> The open API has no listing of the whole recycle bin. What it offers: every
 * folder's v2 listing includes that folder's trashed entries, marked {@code trashed: 1}. So the
 * trash is listed by walking the live folders below the driver's root, one v2 page per call, and
 * keeping the trashed rows: it costs one listing request per live folder (more for folders over
 * 100 entries) at the list endpoint's QPS, and finds only entries trashed directly (a trashed
 * folder's contents travel with it). The cursor holds the folders still to visit. The v1 listing's
 * {@code trashed=true} is not used: it is per folder as well and its free-tier limit is 0.2 QPS.
 * The open API gives no trashed time; {@link TrashedEntry#trashedAt()} is null. The listing can lag
 * behind writes (docs/protocol/123open.md §11), so entries this driver trashed in the last two
 * minutes that the walk did not meet are looked up by id (detail is current) and added to the last
 * page, as {@link RecentWrites} does for folder listings.
 *
 * <p><b>Restore.</b> {@code recover} (to the original folder; it answers the ids whose folder is
 * gone, or holds their name again, in {@code abnormalFileIDs}), then {@code recover/by_path} for those when a fallback folder
 * is given. Both are safe to repeat, so they are retried like reads. When the fallback folder holds
 * the name of one of them, 123 restores none of that call: they are then sent one by one, and those
 * refused are reported in the result, not thrown.
 *
 * <p><b>Purge.</b> {@code delete} works only on entries in the recycle bin. Every id is read first
 * ({@code infos}); a live one stops the purge before anything is deleted. {@code delete} is
 * retried on 429 and 5xx: a repeat can only delete the same trashed entries, and a repeat after
 * a reply that was lost answers "file does not exist" for ids already deleted, which is checked
 * and taken as done.
 *
 * <p><b>Lost answers.</b> A trash, delete, recover or recover/by_path that still fails in a way that leaves open
 * whether 123 carried it out is looked after with {@code infos} (docs/protocol/123open.md §8.5):
 * done when every id shows the effect, else the failure names the ids that do and those that do
 * not ({@link #send}, {@link #restore}).
 */
final class Open123Trash {
  private static final String RESTORE_HINT =
      "123 could not put it back: its original folder no longer exists (deleted or in the trash) or now holds an entry of "
          + "that name; restore it into another folder";

  private static final String FALLBACK_TAKEN_HINT =
      "the folder to restore into already holds an entry of that name (or another restored entry has it); rename or"
          + " move that entry, or restore into another folder";

  /** How long an entry this driver trashed is looked up by id if no listing returns it. */
  static final java.time.Duration HORIZON = RecentWrites.HORIZON;

  private final Open123Driver driver;
  private final Open123Api api;
  /** Ids this driver trashed recently and no trash listing has returned yet, with when. */
  private final Map<String, java.time.Instant> recentlyTrashed = new LinkedHashMap<>();

  Open123Trash(Open123Driver driver, Open123Api api) {
    this.driver = driver;
    this.api = api;
  }

  /** {@link Open123Driver#remove} moved these to the trash. */
  synchronized void trashed(List<String> ids) {
    java.time.Instant now = api.clock().instant();
    for (String id : ids) recentlyTrashed.put(id, now);
  }

  private synchronized void forget(java.util.Collection<String> ids) {
    ids.forEach(recentlyTrashed::remove);
  }

  /** Recently trashed ids not yet listed (expired ones are dropped). */
  private synchronized List<String> unlisted() {
    java.time.Instant floor = api.clock().instant().minus(HORIZON);
    recentlyTrashed.values().removeIf(at -> at.isBefore(floor));
    return new ArrayList<>(recentlyTrashed.keySet());
  }

  // ---------------------------------------------------------------- list

  TrashPage list(String cursor) {
    Deque<String[]> queue = cursor == null ? new ArrayDeque<>(List.<String[]>of(new String[] {driver.rootId(), null}))
        : decode(cursor);
    String[] head = queue.pollFirst();
    long folder = Open123Errors.id(head[0], "trash");
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("parentFileId", folder);
    q.put("limit", Open123Driver.PAGE_LIMIT);
    if (head[1] != null) q.put("lastFileId", head[1]);
    JsonNode data = api.get("trash", head[0], Open123Limits.LIST, q);
    JsonNode items = data.path("fileList");
    if (!items.isArray()) throw Open123Api.protocol("trash", head[0], "list v2 answered without a fileList array", null);
    List<TrashedEntry> out = new ArrayList<>();
    List<String[]> subfolders = new ArrayList<>();
    for (JsonNode n : items) {
      Entry e = Open123Entries.entry(n);
      if (Open123Entries.trashed(n)) out.add(new TrashedEntry(e, e.parentId(), null));
      else if (e.folder()) subfolders.add(new String[] {e.id(), null});
    }
    String next = Open123Driver.nextCursor(data, items, head[1], "trash", head[0]);
    for (String[] f : subfolders) queue.addLast(f);
    if (next != null) queue.addFirst(new String[] {head[0], next});
    forget(out.stream().map(TrashedEntry::id).toList());
    if (queue.isEmpty()) out.addAll(recentNotListed());
    return new TrashPage(out, queue.isEmpty() ? null : encode(queue));
  }

  /** Entries this driver trashed that the (lagging) walk did not return, each checked by id. */
  private List<TrashedEntry> recentNotListed() {
    List<TrashedEntry> out = new ArrayList<>();
    for (String id : unlisted()) {
      JsonNode d;
      try {
        d = api.get("trash", id, Open123Limits.DETAIL, Map.of("fileID", Long.parseLong(id)));
      } catch (DriveException e) {
        if (e.kind() != ErrorKind.NOT_FOUND) throw e;
        forget(List.of(id));
        continue;
      }
      if (d == null || !d.isObject() || !Open123Entries.trashed(d)) {
        forget(List.of(id)); // restored or gone meanwhile
        continue;
      }
      Entry e = Open123Entries.entry(d);
      out.add(new TrashedEntry(e, e.parentId(), null));
    }
    return out;
  }

  /** {@code folder[@lastFileId],folder,...}: the folders still to list, the first maybe part-way. */
  private static String encode(Deque<String[]> queue) {
    StringBuilder s = new StringBuilder();
    for (String[] f : queue) {
      if (s.length() > 0) s.append(',');
      s.append(f[0]);
      if (f[1] != null) s.append('@').append(f[1]);
    }
    return s.toString();
  }

  private static Deque<String[]> decode(String cursor) {
    Deque<String[]> q = new ArrayDeque<>();
    for (String part : cursor.split(",")) {
      int at = part.indexOf('@');
      String folder = at < 0 ? part : part.substring(0, at);
      String last = at < 0 ? null : part.substring(at + 1);
      if (!folder.matches("\\d{1,19}") || last != null && !last.matches("\\d{1,19}")) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "malformed trash cursor; start the listing again")
            .driver(Open123Provider.ID).operation("trash").target(cursor).build();
      }
      q.addLast(new String[] {folder, last});
    }
    return q;
  }

  // ---------------------------------------------------------------- restore

  RestoreResult restore(List<String> ids, String fallbackParentId) {
    List<Long> all = parse(ids, "restore");
    Long fallback = null;
    if (fallbackParentId != null) {
      Entry f = driver.find(fallbackParentId);
      if (!f.folder()) {
        throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "the folder to restore into is a file")
            .driver(Open123Provider.ID).operation("restore").target(fallbackParentId).build();
      }
      fallback = Long.parseLong(f.id());
    }
    List<String> restored = new ArrayList<>();
    List<String> relocated = new ArrayList<>();
    Map<String, String> left = new LinkedHashMap<>();
    // The ids of the call being sent: when it fails, whether 123 acted on them may be unknown.
    List<Long> sending = List.of();
    // Ids of the failed call that a look found back (its failure names them).
    List<String> outOfTrash = new ArrayList<>();
    try {
      for (List<Long> batch : batches(all)) {
        sending = batch;
        JsonNode d;
        try {
          d = api.post("restore", target(batch), Open123Limits.RECOVER, Map.of("fileIDs", batch), true);
        } catch (DriveException e) {
          if (!Outcomes.unknown(e)) throw e;
          // The answer (and with it abnormalFileIDs) is lost: all of the batch back is a restore
          // that went through; otherwise the ids still in the trash stay in doubt.
          List<Long> notBack = notDone(e, "restore", batch, LIVE);
          if (!notBack.isEmpty()) {
            batch.stream().filter(id -> !notBack.contains(id)).map(String::valueOf).forEach(outOfTrash::add);
            throw told(e, batch, notBack, "restored", "restoring them again is safe and tells where each one is");
          }
          d = null;
        }
        sending = List.of();
        Set<Long> abnormal = new HashSet<>();
        if (d != null) for (JsonNode a : d.path("abnormalFileIDs")) abnormal.add(a.asLong());
        List<Long> stuck = new ArrayList<>();
        for (Long id : batch) {
          if (abnormal.contains(id)) stuck.add(id);
          else restored.add(String.valueOf(id));
        }
        if (stuck.isEmpty()) continue;
        if (fallback == null) {
          for (Long id : stuck) left.put(String.valueOf(id), RESTORE_HINT);
          continue;
        }
        try {
          sending = stuck;
          restoreInto(stuck, fallback, outOfTrash);
          sending = List.of();
          for (Long id : stuck) relocated.add(String.valueOf(id));
        } catch (DriveException e) {
          if (e.kind() != ErrorKind.ALREADY_EXISTS) throw e;
          // The fallback folder holds the name of one of them (or two of them share a name), and 123
          // then restores none of the call. One by one, the others still come back, and the result
          // says which did not: an exception would hide what the earlier batches restored.
          for (Long id : stuck) {
            try {
              sending = List.of(id);
              restoreInto(List.of(id), fallback, outOfTrash);
              sending = List.of();
              relocated.add(String.valueOf(id));
            } catch (DriveException one) {
              if (one.kind() != ErrorKind.ALREADY_EXISTS) throw one;
              sending = List.of();
              left.put(String.valueOf(id), FALLBACK_TAKEN_HINT);
            }
          }
        }
      }
    } catch (DriveException e) {
      // Calls of 100: what the calls before this one did must not be hidden by its failure.
      // Those of the failed call a look found back are named by its failure (outOfTrash), not in doubt.
      List<String> doubt = e.mayHaveTakenEffect()
          ? sending.stream().map(String::valueOf).filter(id -> !outOfTrash.contains(id)).toList() : List.of();
      throw Outcomes.restorePartly(e, all.size(), restored, relocated, left.keySet(), doubt, outOfTrash);
    } finally {
      forget(restored);
      forget(relocated);
      forget(outOfTrash);
    }
    return new RestoreResult(restored, relocated, left);
  }

  /**
   * {@code recover/by_path}: the trashed {@code ids} into folder {@code parent}. When its answer is
   * lost for good, done if infos shows all of them live in {@code parent}; else the failure names
   * those that are, which are added to {@code outOfTrash}.
   */
  private void restoreInto(List<Long> ids, long parent, List<String> outOfTrash) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fileIDs", ids);
    body.put("parentFileID", parent);
    try {
      api.post("restore", target(ids), Open123Limits.RECOVER_BY_PATH, body, true);
    } catch (DriveException e) {
      if (!Outcomes.unknown(e)) throw e;
      String folder = String.valueOf(parent);
      List<Long> notThere = notDone(e, "restore", ids,
          row -> LIVE.test(row) && folder.equals(Open123Entries.entry(row).parentId()));
      if (notThere.isEmpty()) return;
      ids.stream().filter(id -> !notThere.contains(id)).map(String::valueOf).forEach(outOfTrash::add);
      throw told(e, ids, notThere, "restored into the folder to restore into", "restoring them again is safe and"
          + " tells where each one is");
    }
  }

  // ---------------------------------------------------------------- purge

  void purge(List<String> ids) {
    List<Long> all = parse(ids, "purge");
    List<Long> trashed = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (List<Long> batch : batches(all)) {
      Map<Long, JsonNode> rows = infos(batch);
      for (Long id : batch) {
        JsonNode row = rows.get(id);
        if (row == null) continue; // already gone
        if (Open123Entries.trashed(row)) trashed.add(id);
        else live.add("'" + row.path("filename").asText() + "' (id " + id + ")");
      }
    }
    if (!live.isEmpty()) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "not in the trash: " + String.join(", ", live)
              + "; only trashed entries can be purged (remove them first); nothing was deleted")
          .driver(Open123Provider.ID).operation("purge").target(String.join(",", ids)).build();
    }
    for (List<Long> batch : batches(trashed)) delete("purge", batch);
    forget(ids);
  }

  /** Deletes trashed entries for good ({@code op}: purge, or remove with removePermanently); ids already gone are skipped. */
  void delete(String op, List<Long> batch) {
    try {
      send(op, Open123Limits.DELETE, batch, GONE);
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) {
        // Some ids are gone already (deleted by a repeat whose first reply was lost, or by someone
        // else): delete what is still there, one by one.
        Map<Long, JsonNode> rows = infos(op, batch);
        for (Long id : batch) {
          if (rows.containsKey(id)) {
            try {
              send(op, Open123Limits.DELETE, List.of(id), GONE);
            } catch (DriveException one) {
              if (one.kind() != ErrorKind.NOT_FOUND) throw notInTrash(one);
            }
          }
        }
        return;
      }
      throw notInTrash(e);
    }
  }

  /** A refusal because an entry left the trash meanwhile (restored by someone) reads as such. */
  private static DriveException notInTrash(DriveException e) {
    String m = e.providerMessage().orElse("");
    if (e.kind() != ErrorKind.PROVIDER_ERROR || !m.contains("回收站")) return e;
    return DriveException.builder(ErrorKind.INVALID_ARGUMENT,
            "123 refused to delete an entry that is not in the trash (restored meanwhile?); list the trash and try again")
        .driver(Open123Provider.ID).operation(e.operation().orElse("purge")).target(e.target().orElse(null))
        .providerFrom(e).cause(e).build();
  }

  /** The file objects of these ids that exist (trashed or not), by id. */
  private Map<Long, JsonNode> infos(List<Long> ids) {
    return infos("purge", ids);
  }

  private Map<Long, JsonNode> infos(String op, List<Long> ids) {
    Map<Long, JsonNode> out = new LinkedHashMap<>();
    JsonNode d;
    try {
      d = api.postRead(op, target(ids), Open123Limits.INFOS, Map.of("fileIds", ids));
    } catch (DriveException e) {
      if (e.kind() != ErrorKind.NOT_FOUND) throw e;
      // How infos answers unknown ids is undocumented; if it refuses the batch, ask one by one.
      for (Long id : ids) {
        try {
          JsonNode row = api.get(op, String.valueOf(id), Open123Limits.DETAIL, Map.of("fileID", id));
          if (row != null && row.isObject()) out.put(id, row);
        } catch (DriveException one) {
          if (one.kind() != ErrorKind.NOT_FOUND) throw one;
        }
      }
      return out;
    }
    JsonNode list = d.has("fileList") ? d.get("fileList") : d.path("list");
    for (JsonNode row : list) {
      long id = row.has("fileId") ? row.path("fileId").asLong() : row.path("fileID").asLong();
      out.put(id, row);
    }
    return out;
  }

  // ---------------------------------------------------------------- after a lost answer

  /** Whether a trash took effect on an id, from its infos row (null: 123 no longer knows it, deleted). */
  static final Predicate<JsonNode> TRASHED = row -> row == null || Open123Entries.trashed(row);
  /** Whether a delete took effect: the id is gone from infos. */
  static final Predicate<JsonNode> GONE = Objects::isNull;
  /** Whether a restore took effect: the id is live again. */
  static final Predicate<JsonNode> LIVE = row -> row != null && !Open123Entries.trashed(row);

  /**
   * A trash or delete call ({@code endpoint}) of {@code batch}, safe to repeat, so the engine
   * repeats it; when it still fails in a way that leaves open whether 123 carried it out (past the
   * call deadline, a dropped connection, a lost or cut answer: {@link Outcomes#unknown}), infos
   * tells: done when it shows {@code done} for every id, else the failure, naming which ids are
   * done and which not.
   */
  void send(String op, String endpoint, List<Long> batch, Predicate<JsonNode> done) {
    try {
      api.post(op, target(batch), endpoint, Map.of("fileIDs", batch), true);
    } catch (DriveException e) {
      if (!Outcomes.unknown(e)) throw e;
      Map<Long, JsonNode> rows = new LinkedHashMap<>();
      List<Long> notDone = notDone(e, op, batch, done, rows);
      if (notDone.isEmpty()) return;
      // Some ids are gone for good: 123 may refuse a whole call over one missing id, and a remove or
      // purge of a gone id succeeds, so the lost answer was most likely that refusal. Sent again
      // for the others (safe to repeat), as after a refusal that arrived (the NOT_FOUND paths).
      if (notDone.size() < batch.size() && batch.stream().anyMatch(id -> rows.get(id) == null)) {
        send(op, endpoint, notDone, done);
        return;
      }
      throw told(e, batch, notDone, endpoint.equals(Open123Limits.TRASH) ? "in the trash" : "deleted for good",
          (op.equals("purge") ? "purging" : "removing") + " them again is safe");
    }
  }

  /** The ids of {@code batch} on which infos does not show {@code done}; a look that fails is {@link Outcomes#lookFailed}. */
  private List<Long> notDone(DriveException e, String op, List<Long> batch, Predicate<JsonNode> done) {
    return notDone(e, op, batch, done, new LinkedHashMap<>());
  }

  /**
   * As above; {@code rows} receives the infos rows read. 123's reads may trail a write it is still
   * carrying out, so when the look finds ids not done it looks at those once more after a pause
   * ({@link Open123Api#pauseBeforeLookingAgain}); a look that finds everything done ends at once.
   */
  private List<Long> notDone(DriveException e, String op, List<Long> batch, Predicate<JsonNode> done,
      Map<Long, JsonNode> rows) {
    List<Long> notDone = look(e, op, batch, done, rows);
    if (notDone.isEmpty()) return notDone;
    api.pauseBeforeLookingAgain(e);
    for (Long id : notDone) rows.remove(id); // an id gone since the first look has no row now
    return look(e, op, notDone, done, rows);
  }

  /** One look: the ids of {@code ids} on which infos does not show {@code done}. */
  private List<Long> look(DriveException e, String op, List<Long> ids, Predicate<JsonNode> done,
      Map<Long, JsonNode> rows) {
    try {
      rows.putAll(infos(op, ids));
    } catch (DriveException lookup) {
      throw Outcomes.lookFailed(e, lookup);
    }
    return ids.stream().filter(id -> !done.test(rows.get(id))).toList();
  }

  private static DriveException told(DriveException e, List<Long> batch, List<Long> notDone, String effect, String then) {
    List<String> confirmed = batch.stream().filter(id -> !notDone.contains(id)).map(String::valueOf).toList();
    return Outcomes.notConfirmed(e, effect, confirmed, notDone.stream().map(String::valueOf).toList(), then);
  }

  // ---------------------------------------------------------------- helpers

  private static List<Long> parse(List<String> ids, String op) {
    List<Long> out = new ArrayList<>();
    for (String id : ids) {
      long v = Open123Errors.id(id, op);
      if (v == 0) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the root folder is never in the trash")
            .driver(Open123Provider.ID).operation(op).target(id).build();
      }
      out.add(v);
    }
    return out;
  }

  private static List<List<Long>> batches(List<Long> ids) {
    List<List<Long>> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += Open123Driver.BATCH) out.add(ids.subList(i, Math.min(ids.size(), i + Open123Driver.BATCH)));
    return out;
  }

  private static String target(List<Long> batch) {
    return batch.size() == 1 ? String.valueOf(batch.get(0)) : batch.size() + " entries";
  }
}
