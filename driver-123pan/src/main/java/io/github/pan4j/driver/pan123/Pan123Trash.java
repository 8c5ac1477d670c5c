package io.github.pan4j.driver.pan123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.TrashedEntry;
import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.driver.common123.web.WebApi;
import io.github.pan4j.driver.common123.web.WebItems;
import io.github.pan4j.driver.common123.web.WebListing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The recycle bin through the web API (docs/protocol/123web.md §5.2, §5.8). What the sources
 * document, and what this does with it:
 *
 * <ul>
 *   <li><b>List</b>: {@code file/list/new} with {@code trashed=true} (the same query as a folder
 *       listing, from the root). Items carry {@code ParentFileId} and {@code TrashedAt}. Whether
 *       the server answers the whole recycle bin or only the trashed entries of
 *       {@code parentFileId} is not documented; only rows marked {@code Trashed} are kept.
 *   <li><b>Restore</b>: {@code file/trash} with {@code operation:false} (event
 *       {@code recycleRestore}). What the server does when the entry's folder is gone is not
 *       documented, so such entries are never sent without a fallback folder: the driver checks the
 *       original folder (and its ancestors) first. With a fallback folder they are restored one by
 *       one, looked up, and moved into the fallback folder with {@code mod_pid}; one the server
 *       does not put anywhere reachable is reported as not restored.
 *   <li><b>Purge</b>: {@code file/delete} with {@code fileIdList} of {@code {fileId}} items and
 *       event {@code recycleDelete}. The reply is not documented: every id is looked up afterwards,
 *       and an entry still there is an error.
 * </ul>
 */
final class Pan123Trash {
  private static final int MAX_DEPTH = 512;
  private static final int BATCH = 100;

  private final Pan123Driver driver;
  private final WebApi api;

  Pan123Trash(Pan123Driver driver, WebApi api) {
    this.driver = driver;
    this.api = api;
  }

  private String id() {
    return Pan123Provider.ID;
  }

  // ---------------------------------------------------------------- list

  TrashPage list(String cursor) {
    WebListing.Chunk chunk = WebListing.readPage(page -> api.get("trash", null, Pan123Driver.LIST, Pan123Driver.listQuery(0, page, true), true),
        cursor, true, id(), "trash", null);
    List<TrashedEntry> out = new ArrayList<>();
    for (JsonNode item : chunk.items()) {
      if (!WebItems.isTrashed(item)) continue;
      String parent = WebItems.field(item, "ParentFileId") == null ? null : Long.toString(WebItems.number(item, "ParentFileId", 0));
      out.add(new TrashedEntry(WebItems.toEntry(item, id(), "trash"), parent, WebItems.time(WebItems.text(item, "TrashedAt"))));
    }
    return new TrashPage(out, chunk.nextCursor());
  }

  // ---------------------------------------------------------------- restore

  RestoreResult restore(List<String> ids, String fallbackParentId) {
    Long fallback = null;
    if (fallbackParentId != null) {
      long f = driver.parseId(fallbackParentId, "restore");
      if (f != 0 && !WebItems.isFolder(driver.item(f, "restore"))) {
        throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "the folder to restore into is a file").driver(id())
            .operation("restore").target(fallbackParentId).build();
      }
      fallback = f;
    }
    // Look every id up before changing anything: an unknown id fails the whole call.
    Map<Long, JsonNode> items = new LinkedHashMap<>();
    for (String s : ids) {
      long fid = parseTrashId(s, "restore");
      JsonNode item = any(fid, "restore").orElseThrow(() -> DriveException.builder(ErrorKind.NOT_FOUND,
          "no such entry in the drive or its trash").driver(id()).operation("restore").target(s).build());
      items.put(fid, item);
    }
    List<String> restored = new ArrayList<>();
    List<String> relocated = new ArrayList<>();
    Map<String, String> left = new LinkedHashMap<>();
    List<JsonNode> inPlace = new ArrayList<>();
    List<JsonNode> orphans = new ArrayList<>();
    for (JsonNode item : items.values()) {
      if (!WebItems.isTrashed(item)) restored.add(Long.toString(WebItems.fileId(item)));
      else if (liveFolder(WebItems.number(item, "ParentFileId", 0))) inPlace.add(item);
      else orphans.add(item);
    }
    // The ids of the call being sent (or sent and not yet looked at): a failure leaves them in doubt.
    List<String> sending = List.of();
    boolean sent = false;
    String outOfTrash = null; // the orphan 123 took out of the trash and not yet reported: a failure tells where it is
    try {
      for (int i = 0; i < inPlace.size(); i += BATCH) {
        List<JsonNode> batch = inPlace.subList(i, Math.min(inPlace.size(), i + BATCH));
        sending = batch.stream().map(it -> Long.toString(WebItems.fileId(it))).toList();
        send(batch);
        sent = true; // acknowledged: until each is found, whether it is back is not known
        for (JsonNode item : batch) {
          long fid = WebItems.fileId(item);
          if (driver.find(fid, "restore").isPresent()) restored.add(Long.toString(fid));
          else left.put(Long.toString(fid), "the server acknowledged the restore but the entry is still in the trash");
        }
        sending = List.of();
        sent = false;
      }
      Set<String> takenInFallback = null;
      for (JsonNode item : orphans) {
        sending = List.of();
        outOfTrash = null;
        long fid = WebItems.fileId(item);
        String key = Long.toString(fid);
        if (fallback == null) {
          left.put(key, "its original folder no longer exists (deleted or in the trash); restore it into another folder");
          continue;
        }
        // The entry comes back where the server puts it and is then moved into the fallback folder:
        // if that folder holds its name, the move would fail after the restore, leaving the entry
        // out of the trash in the wrong place. Check the name first (one listing per restore).
        if (takenInFallback == null) takenInFallback = namesIn(fallback);
        String name = WebItems.text(item, "FileName");
        if (name != null && takenInFallback.contains(name)) {
          left.put(key, "the folder to restore into already holds an entry of that name (or another restored entry has"
              + " it); rename or move that entry, or restore into another folder");
          continue;
        }
        sending = List.of(key);
        try {
          send(List.of(item));
        } catch (DriveException e) {
          if (Outcomes.unknown(e)) {
            // The answer was lost: 123 may have restored it. Look before reporting either way.
            Optional<JsonNode> after;
            try {
              after = driver.find(fid, "restore");
            } catch (DriveException lookup) {
              throw Outcomes.lookFailed(e, lookup);
            }
            if (after.isPresent() && WebItems.isTrashed(after.get())) {
              left.put(key, "the restore request failed (" + e.reason() + ") and it is still in the trash; try again");
              continue;
            }
          } else if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.PROVIDER_ERROR
              || e.kind() == ErrorKind.INVALID_ARGUMENT) {
            left.put(key, "the server refused to restore it without its original folder: " + e.getMessage());
            continue;
          } else {
            throw e;
          }
        }
        sending = List.of(); // out of the trash: a failure from here on says where it is
        outOfTrash = key;
        // 123 took it out of the trash: from here on a failure must not read as if nothing happened.
        String done = "the restore of entry " + key + " from the trash";
        Optional<JsonNode> now = Outcomes.readBack(() -> driver.find(fid, "restore"), done);
        long parent = now.map(it -> WebItems.number(it, "ParentFileId", -1)).orElse(-1L);
        if (now.isEmpty() || !Outcomes.readBack(() -> liveFolder(parent), done)) {
          left.put(key, "the server restored it under its missing original folder, where it cannot be reached");
          continue;
        }
        if (parent != fallback) {
          try {
            moveInto(key, fallback);
          } catch (DriveException e) {
            throw Outcomes.restated(e, "; " + done + " took effect and it is now in folder " + parent + ", but moving it"
                + " into the folder to restore into failed: move it there yourself").retryable(false)
                .mayHaveTakenEffect(true).build();
          }
        }
        relocated.add(key);
        if (name != null) takenInFallback.add(name); // only now: an orphan refused or stranded takes no name
      }
    } catch (DriveException e) {
      // Calls of 100, then orphans one by one: what went before must not be hidden by this failure.
      List<String> doubt = new ArrayList<>(sent || e.mayHaveTakenEffect() ? sending : List.of());
      doubt.removeAll(restored); // looked at already
      doubt.removeAll(left.keySet());
      List<String> elsewhere = outOfTrash == null || relocated.contains(outOfTrash) || left.containsKey(outOfTrash)
          ? List.of() : List.of(outOfTrash);
      throw Outcomes.restorePartly(e, items.size(), restored, relocated, left.keySet(), doubt, elsewhere);
    }
    return new RestoreResult(restored, relocated, left);
  }

  /**
   * Moves the restored entry {@code key} into {@code folder}, asking once more when the move failed
   * in a way a repeat may cure (a cut or lost reply, a dropped connection, a gateway page: one of
   * its reads, or its write, whose outcome {@code move} has already looked at). A repeat is safe:
   * {@code move} skips an entry already in the folder. Without it, one cut listing left the entry
   * out of the trash in the wrong folder.
   */
  private void moveInto(String key, long folder) {
    try {
      driver.move(List.of(key), Long.toString(folder));
    } catch (DriveException e) {
      if (!Outcomes.unknown(e)) throw e;
      try {
        driver.move(List.of(key), Long.toString(folder));
      } catch (DriveException again) {
        again.addSuppressed(e);
        throw again;
      }
    }
  }

  /** The names of the live entries in folder {@code folder}. */
  private Set<String> namesIn(long folder) {
    Set<String> names = new HashSet<>();
    for (JsonNode c : driver.listItems(folder, "restore", Long.toString(folder))) {
      if (!WebItems.isTrashed(c)) names.add(WebItems.text(c, "FileName"));
    }
    return names;
  }

  private void send(List<JsonNode> items) {
    String target = items.size() == 1 ? Long.toString(WebItems.fileId(items.get(0))) : items.size() + " entries";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("driveId", 0);
    body.put("operation", false);
    body.put("event", "recycleRestore");
    body.put("fileTrashInfoList", items);
    api.post("restore", target, "file/trash", body, true);
  }

  /** True when {@code folder} is the root or a folder whose chain up to the root is live. */
  private boolean liveFolder(long folder) {
    long cur = folder;
    for (int depth = 0; cur != 0; depth++) {
      if (depth >= MAX_DEPTH || cur < 0) return false;
      Optional<JsonNode> it = driver.find(cur, "restore");
      if (it.isEmpty() || !WebItems.isFolder(it.get())) return false;
      cur = WebItems.number(it.get(), "ParentFileId", 0);
    }
    return true;
  }

  // ---------------------------------------------------------------- purge

  void purge(List<String> ids) {
    List<Long> doomed = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (String s : ids) {
      long fid = parseTrashId(s, "purge");
      Optional<JsonNode> item = any(fid, "purge");
      if (item.isEmpty()) continue; // already gone
      boolean inTrash = WebItems.isTrashed(item.get()) || !liveFolder(WebItems.number(item.get(), "ParentFileId", 0));
      if (inTrash) doomed.add(fid);
      else live.add("'" + WebItems.text(item.get(), "FileName") + "' (id " + fid + ")");
    }
    if (!live.isEmpty()) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "not in the trash: " + String.join(", ", live)
          + "; only trashed entries can be purged (remove them first); nothing was deleted")
          .driver(id()).operation("purge").target(String.join(",", ids)).build();
    }
    for (int i = 0; i < doomed.size(); i += BATCH) {
      List<Long> batch = doomed.subList(i, Math.min(doomed.size(), i + BATCH));
      List<Map<String, Object>> list = new ArrayList<>();
      for (long fid : batch) list.add(Map.of("fileId", fid));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("driveId", 0);
      body.put("fileIdList", list);
      body.put("event", "recycleDelete");
      String target = batch.size() == 1 ? Long.toString(batch.get(0)) : batch.size() + " entries";
      try {
        api.post("purge", target, "file/delete", body, true);
      } catch (DriveException e) {
        // A repeat after a lost reply finds the entries gone: fine when they really are.
        if (e.kind() != ErrorKind.NOT_FOUND) throw e;
      }
      for (long fid : batch) {
        if (any(fid, "purge").isPresent()) {
          throw DriveException.builder(ErrorKind.PROTOCOL, "the server acknowledged the purge but the entry is still there")
              .driver(id()).operation("purge").target(Long.toString(fid)).build();
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The item with that id, trashed or not, if the server knows it. */
  private Optional<JsonNode> any(long fid, String operation) {
    JsonNode data;
    try {
      data = api.postRead(operation, Long.toString(fid), "file/info", Map.of("fileIdList", List.of(Map.of("fileId", fid))));
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) return Optional.empty();
      throw e;
    }
    JsonNode list = WebItems.field(data, "infoList");
    if (list == null || !list.isArray()) return Optional.empty();
    for (JsonNode item : list) if (WebItems.fileId(item) == fid) return Optional.of(item);
    return Optional.empty();
  }

  private long parseTrashId(String s, String op) {
    long fid = driver.parseId(s, op);
    if (fid == 0) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the root folder is never in the trash").driver(id())
          .operation(op).target(s).build();
    }
    return fid;
  }
}
