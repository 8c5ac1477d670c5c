package io.github.pan4j.driver.open123;

import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.driver.common123.AuthKeySigner;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.internal.http.HttpLinks;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.ShareLink;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.core.SharePage;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.CloseGuard;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 123 open platform driver. Ids are 123's decimal file ids; {@code 0} is the account root.
 * Everything goes through {@link Open123Api} (tokens, pacing, retries, error mapping).
 */
final class Open123Driver implements Driver, Driver.Stat, Driver.Mkdir, Driver.Rename, Driver.Move, Driver.Remove,
    Driver.Upload, Driver.InstantUpload, Driver.Copy, Driver.StorageInfo, Driver.Share, Driver.Trash, Driver.OfflineDownload {
  /** list v2 returns at most 100 items per page (docs/protocol/123open.md §8.2). */
  static final int PAGE_LIMIT = 100;
  /** trash / delete / move take at most 100 ids per call (docs/protocol/123open.md §8.9–8.11). */
  static final int BATCH = 100;

  private final Open123Config config;
  private final Open123Api api;
  private final Open123Uploads uploads;
  private final Open123AsyncCopy asyncCopy;
  private final Link.Opener opener;
  private final CloseGuard guard = new CloseGuard(Open123Provider.ID);
  private final RecentWrites recent;
  private final Open123Shares shares;
  private final Open123Trash trash;
  private final Open123Offline offline;
  private final io.github.pan4j.core.spi.Sleeper sleeper;

  Open123Driver(Open123Config config, DriverContext context) {
    this.config = config;
    this.api = new Open123Api(config, context);
    this.uploads = new Open123Uploads(this, api, config, context);
    this.asyncCopy = new Open123AsyncCopy(api, context.sleeper(), Open123AsyncCopy.DEADLINE);
    this.opener = api.linkOpener();
    this.recent = new RecentWrites(context.clock());
    this.shares = new Open123Shares(api);
    this.trash = new Open123Trash(this, api);
    this.offline = new Open123Offline(api, config);
    this.sleeper = context.sleeper();
  }

  Open123Api api() { return api; }

  @Override
  public String id() { return Open123Provider.ID; }

  @Override
  public String rootId() { return config.rootFolderId(); }

  private void ready(String operation) {
    guard.ensureOpen(operation);
    api.account();
  }

  // ---------------------------------------------------------------- list

  @Override
  public Page list(String folderId, String cursor) {
    ready("list");
    long parent = Open123Errors.id(folderId, "list");
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("parentFileId", parent);
    q.put("limit", PAGE_LIMIT);
    if (cursor != null) q.put("lastFileId", cursor);
    JsonNode data = api.get("list", folderId, Open123Limits.LIST, q);
    JsonNode items = data.path("fileList");
    if (!items.isArray()) {
      throw Open123Api.protocol("list", folderId, "list v2 answered without a fileList array", null);
    }
    List<Entry> entries = new ArrayList<>(items.size());
    for (JsonNode n : items) {
      if (Open123Entries.trashed(n)) {
        recent.forget(n.path("fileId").asText());
        continue;
      }
      entries.add(Open123Entries.entry(n));
    }
    String next = nextCursor(data, items, cursor, "list", folderId);
    recent.seen(entries);
    if (next == null) entries.addAll(recentNotListed(String.valueOf(parent)));
    if (cursor == null && entries.isEmpty() && next == null && parent != 0) {
      // An unknown or trashed folder lists as empty; tell that apart from a real empty folder.
      Entry self = find(folderId);
      if (!self.folder()) {
        throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "this id is a file, not a folder; list its parent instead")
            .driver(Open123Provider.ID).operation("list").target(folderId).build();
      }
    }
    return new Page(entries, next);
  }

  /**
   * Entries this driver created in the folder that the (lagging) listing did not return, each
   * checked by id: detail is current, so one removed or moved meanwhile is left out.
   */
  private List<Entry> recentNotListed(String parent) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : recent.missing(parent)) {
      try {
        Entry now = find(e.id());
        if (parent.equals(now.parentId())) out.add(now);
        else recent.changed(now);
      } catch (DriveException gone) {
        if (gone.kind() != ErrorKind.NOT_FOUND) throw gone;
        recent.forget(e.id());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- stat

  @Override
  public Entry stat(String id) {
    ready("stat");
    return find(id);
  }

  /**
   * {@link #stat} without the close check, for the driver's own operations: one that was running
   * when the driver closed then fails as CANCELLED at its next request, not as a call after close.
   */
  Entry find(String id) {
    long fid = Open123Errors.id(id, "stat");
    if (fid == 0) return new Entry("0", null, "", "/", true, 0, null, null, null, Map.of());
    JsonNode d = api.get("stat", id, Open123Limits.DETAIL, Map.of("fileID", fid));
    if (d.isNull() || d.isMissingNode() || Open123Entries.trashed(d)) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "no such file or folder (it is in the trash or was deleted)")
          .driver(Open123Provider.ID).operation("stat").target(id).build();
    }
    return Open123Entries.entry(d);
  }

  // ---------------------------------------------------------------- link

  @Override
  public Link link(String fileId) {
    ready("link");
    Entry e = find(fileId);
    if (e.folder()) {
      throw DriveException.builder(ErrorKind.IS_A_DIRECTORY, "cannot link a folder; link one of its files")
          .driver(Open123Provider.ID).operation("link").target(fileId).build();
    }
    long fid = Long.parseLong(e.id());
    if (config.directLink()) {
      JsonNode d;
      try {
        d = api.get("link", fileId, Open123Limits.DIRECT_LINK_URL, Map.of("fileID", fid));
      } catch (DriveException refused) {
        throw outsideDirectLinkSpace(refused, fileId);
      }
      String url = d.path("url").asText("");
      if (url.isEmpty()) throw Open123Api.protocol("link", fileId, "direct-link/url answered without a url", null);
      Link.Builder b;
      if (config.directLinkPrivateKey() != null && !config.directLinkPrivateKey().isEmpty()) {
        Instant expires = api.clock().instant().plus(config.directLinkValidity()).plusMillis(999)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long uid = config.directLinkUid() != null ? config.directLinkUid() : api.account().path("uid").asLong();
        b = Link.builder(AuthKeySigner.sign(url, config.directLinkPrivateKey(), uid, expires, AuthKeySigner.newNonce())).expiresAt(expires)
            .note("signed direct link (direct-link space, spends direct-link traffic); valid until " + expires);
      } else {
        b = Link.builder(url).note("unsigned direct link (direct-link space, spends direct-link traffic)");
      }
      return b.contentLength(e.size()).md5(e.hashes().md5()).preferProxy(false)
          .opener(HttpLinks.labelled(opener, Open123Provider.ID, fileId)).build();
    }
    JsonNode d = api.get("link", fileId, Open123Limits.DOWNLOAD_INFO, Map.of("fileId", fid));
    String url = d.path("downloadUrl").asText("");
    if (url.isEmpty()) throw Open123Api.protocol("link", fileId, "download_info answered without a downloadUrl", null);
    return Link.builder(url).contentLength(e.size()).md5(e.hashes().md5()).preferProxy(true)
        .note("download_info URL: bound to the region of the machine that asked for it, lifetime undocumented;"
            + " counts against the account's download traffic")
        .opener(HttpLinks.labelled(opener, Open123Provider.ID, fileId)).build();
  }

  /**
   * direct-link/url's refusal of a file that exists (we just looked it up) restated as what it most
   * likely is: a file outside every direct-link space. The code and text of that refusal are not
   * known (docs/protocol/123open.md §14.6), so a text naming the space, or a refusal with no better
   * reading (not VIP, not a limit, not temporary), is taken for it; anything else is left as it is.
   */
  private static DriveException outsideDirectLinkSpace(DriveException e, String fileId) {
    String m = e.providerMessage().orElse("");
    boolean named = m.contains("直链空间");
    boolean vague = e.kind() == ErrorKind.PROVIDER_ERROR && !e.retryable() && !m.contains("VIP") && !m.contains("会员");
    if (!named && !vague) return e;
    return DriveException.builder(ErrorKind.PERMISSION_DENIED, "123 gives no direct link for this file" + (named ? "" : " (probably)")
            + ": direct links are only for files inside a folder with direct-link space enabled (enable it on a folder"
            + " under the root in 123's web app and move the file there), or set directLink=false to download through"
            + " download_info")
        .driver(Open123Provider.ID).operation("link").target(fileId).providerFrom(e).cause(e).build();
  }

  // ---------------------------------------------------------------- mkdir / rename / move / remove / copy

  @Override
  public Entry mkdir(String parentId, String name) {
    ready("mkdir");
    Open123Errors.checkName(name, "mkdir", name);
    long parent = Open123Errors.id(parentId, "mkdir");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("parentID", parent);
    JsonNode d;
    try {
      d = api.post("mkdir", name, Open123Limits.MKDIR, body, false);
    } catch (DriveException e) {
      // A lost reply, a dropped connection or a gateway error: 123 may have made the folder. Look
      // before reporting a failure that a retry would turn into "already exists".
      if (!Outcomes.unknown(e)) throw e;
      Entry made;
      try {
        made = findChild(parent, name);
      } catch (DriveException lookup) {
        throw Outcomes.lookFailed(e, lookup);
      }
      if (made == null || !made.folder()) throw e;
      recent.created(made);
      return made;
    }
    long dirId = d.path("dirID").asLong(0);
    if (dirId <= 0) throw Open123Api.protocol("mkdir", name, "mkdir answered without a dirID", null);
    Entry e = Outcomes.readBack(() -> find(String.valueOf(dirId)), "making the folder (id " + dirId + ")");
    recent.created(e);
    return e;
  }

  @Override
  public Entry rename(String id, String newName) {
    ready("rename");
    Open123Errors.checkName(newName, "rename", id);
    long fid = Open123Errors.id(id, "rename");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fileId", fid);
    body.put("fileName", newName);
    try {
      api.put("rename", id, Open123Limits.RENAME, body, true);
    } catch (DriveException e) {
      // Repeated already where a repeat is safe; a cut or garbled answer is not repeated, and 123
      // may have renamed it: look before reporting a failure a retry would turn into "not found".
      if (!Outcomes.unknown(e)) throw e;
      Entry now = lookAt(e, id);
      if (!newName.equals(now.name())) {
        // 123's reads may trail a rename it is still carrying out: look once more after a pause.
        api.pauseBeforeLookingAgain(e);
        now = lookAt(e, id);
      }
      if (!newName.equals(now.name())) throw e;
      recent.changed(now);
      return now;
    }
    Entry e = Outcomes.readBack(() -> find(id), "the rename");
    recent.changed(e);
    return e;
  }

  @Override
  public void move(List<String> ids, String newParentId) {
    ready("move");
    long parent = Open123Errors.id(newParentId, "move");
    int moved = 0;
    for (List<Long> batch : batches(ids, "move")) {
      try {
        moveBatch(batch, parent);
      } catch (DriveException e) {
        if (moved == 0) throw e;
        // 123 takes at most 100 ids per call: the earlier calls went through. Say so, or a retry of
        // the whole list would move those again.
        throw Outcomes.restated(e, "; the first " + moved + " of the " + ids.size()
                + " entries were moved before this (calls of 100); retry with the others only")
            .driver(Open123Provider.ID).operation("move").build();
      }
      moved += batch.size();
      for (Long id : batch) {
        String sid = String.valueOf(id);
        if (!recent.isRecent(sid)) continue;
        try {
          recent.changed(Outcomes.readBack(() -> find(sid), "the move"));
        } catch (DriveException e) {
          if (e.kind() == ErrorKind.CANCELLED) throw e;
          // The batch is moved: failing here would report it as failed and leave the next batches
          // unsent. Only the note for listings that lag is out of date; drop it rather than have
          // a listing add the entry in the folder it left.
          recent.forget(sid);
        }
      }
    }
  }

  /**
   * One move call of at most 100 ids, sent once by the engine (a 429 or a rejected token aside:
   * 123 did nothing then). When the answer leaves open whether 123 moved them (a lost, cut or
   * garbled reply, a dropped connection, a gateway page), the entries are looked at: those in the
   * target folder are done, and only the rest is sent again, after the retry policy's pause and
   * within its attempts. What 123 answers a move of an entry into the folder it is already in is
   * not documented (it may be "name taken"), so a move that went through is never sent blindly.
   */
  private void moveBatch(List<Long> batch, long parent) {
    List<Long> pending = batch;
    for (int attempt = 1; ; attempt++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("fileIDs", pending);
      body.put("toParentFileID", parent);
      try {
        api.post("move", pending.size() == 1 ? String.valueOf(pending.get(0)) : pending.size() + " entries",
            Open123Limits.MOVE, body, false);
        return;
      } catch (DriveException e) {
        if (!Outcomes.unknown(e)) throw e;
        List<Long> notMoved = notMoved(e, pending, parent);
        if (!notMoved.isEmpty()) {
          // 123's reads may trail a move it is still carrying out: look once more after a pause.
          api.pauseBeforeLookingAgain(e);
          notMoved = notMoved(e, notMoved, parent);
        }
        if (notMoved.isEmpty()) return;
        if (!e.retryable() || attempt >= api.retry().maxAttempts()) throw e;
        try {
          api.sleepUnlessClosed(api.retry().delayAfter(attempt, e)); // closed meanwhile: the next attempt is CANCELLED
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw DriveException.builder(ErrorKind.CANCELLED, "cancelled by interrupt before the move was sent again")
              .driver(Open123Provider.ID).operation("move").target(String.valueOf(notMoved.get(0)))
              .mayHaveTakenEffect(notMoved.size() < batch.size()).cause(e).build();
        }
        pending = notMoved;
      }
    }
  }

  /** Entry {@code id} as 123 shows it now, after {@code e} (a write whose answer was lost); a look that fails is {@link Outcomes#lookFailed}. */
  private Entry lookAt(DriveException e, String id) {
    try {
      return find(id);
    } catch (DriveException lookup) {
      throw Outcomes.lookFailed(e, lookup);
    }
  }

  /** The ids of {@code ids} not in folder {@code parent} by their detail; a look that fails is {@link Outcomes#lookFailed}. */
  private List<Long> notMoved(DriveException e, List<Long> ids, long parent) {
    List<Long> notMoved = new ArrayList<>();
    try {
      for (Long id : ids) if (!String.valueOf(parent).equals(find(String.valueOf(id)).parentId())) notMoved.add(id);
    } catch (DriveException lookup) {
      throw Outcomes.lookFailed(e, lookup);
    }
    return notMoved;
  }

  @Override
  public void remove(List<String> ids) {
    ready("remove");
    trash(ids);
  }

  /**
   * {@link #remove} without the close check, for the driver's own operations (see {@link #find}).
   * A trash or delete whose answer is lost is looked at before it is reported (see {@link Open123Trash#send}).
   */
  void trash(List<String> ids) {
    for (String id : ids) recent.forget(id);
    for (List<Long> batch : batches(ids, "remove")) {
      try {
        trash.send("remove", Open123Limits.TRASH, batch, Open123Trash.TRASHED);
      } catch (DriveException e) {
        if (e.kind() != ErrorKind.NOT_FOUND) throw e;
        // Removing something already gone succeeds: retry one by one, skipping the missing.
        List<Long> present = new ArrayList<>();
        for (Long id : batch) {
          try {
            trash.send("remove", Open123Limits.TRASH, List.of(id), Open123Trash.TRASHED);
            present.add(id);
          } catch (DriveException one) {
            if (one.kind() != ErrorKind.NOT_FOUND) throw one;
          }
        }
        batch = present;
      }
      // A trash whose lost answer was looked at can leave ids already gone in the batch: skipped there too.
      if (config.removePermanently() && !batch.isEmpty()) trash.delete("remove", batch);
      else trash.trashed(batch.stream().map(String::valueOf).toList());
    }
  }

  private static List<List<Long>> batches(List<String> ids, String op) {
    List<List<Long>> out = new ArrayList<>();
    List<Long> cur = new ArrayList<>();
    for (String id : ids) {
      long v = Open123Errors.id(id, op);
      if (v == 0) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the root folder cannot be " + op + "d")
            .driver(Open123Provider.ID).operation(op).target(id).build();
      }
      cur.add(v);
      if (cur.size() == BATCH) {
        out.add(cur);
        cur = new ArrayList<>();
      }
    }
    if (!cur.isEmpty()) out.add(cur);
    return out;
  }

  @Override
  public Entry copy(String id, String newParentId) {
    ready("copy");
    Entry source = find(id);
    if (source.folder()) return copyFolder(source, newParentId);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fileId", Long.parseLong(source.id()));
    body.put("targetDirId", Open123Errors.id(newParentId, "copy"));
    JsonNode d;
    try {
      d = api.post("copy", id, Open123Limits.COPY, body, false);
    } catch (DriveException e) {
      if (Outcomes.spaceFull(e)) throw Open123SpaceFull.error(api, e, "copy", id, "the copy", source.size());
      throw Outcomes.mayHaveTakenEffect(e, "copied the file", "look in the target folder");
    }
    long target = d.path("targetFileId").asLong(0);
    if (target <= 0) throw Open123Api.protocol("copy", id, "copy answered without a targetFileId", null);
    Entry e = Outcomes.readBack(() -> find(String.valueOf(target)), "the copy (id " + target + ")");
    recent.created(e);
    return e;
  }

  // ---------------------------------------------------------------- offline download

  /** Starts an offline download into a folder other than the root (123 refuses the root). */
  @Override
  public OfflineTask addOffline(String url, String folderId) {
    ready("offline");
    return offline.add(url, folderId);
  }

  /** Percent and state; 123 reports neither the file nor a fail reason here. */
  @Override
  public OfflineTask offlineTask(String taskId) {
    ready("offline");
    return offline.status(taskId);
  }

  /**
   * A folder is copied with its whole subtree by an async copy task (file/copy takes single
   * files only); the copy is then found by name in the target. A name already taken there is
   * refused before the task is started.
   */
  private Entry copyFolder(Entry source, String newParentId) {
    long target = Open123Errors.id(newParentId, "copy");
    if (findChild(target, source.name()) != null) {
      throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "the target folder already holds an entry named '"
              + source.name() + "'; remove or rename it, or copy into another folder")
          .driver(Open123Provider.ID).operation("copy").target(source.id()).build();
    }
    copyMany(List.of(source.id()), newParentId, p -> { });
    // The listing (and its search) may lag behind writes: look again a few times, briefly. The copy
    // is made: a lost or cut answer to a look is asked again rather than reported as a failed copy.
    Entry copy = Outcomes.readBack(() -> findChild(target, source.name()), "the copy");
    java.time.Duration wait = java.time.Duration.ofMillis(500);
    for (int i = 0; copy == null && i < 6; i++, wait = wait.multipliedBy(2)) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DriveException.builder(ErrorKind.CANCELLED, "copy cancelled by interrupt; 123 has copied the folder")
            .driver(Open123Provider.ID).operation("copy").target(source.id()).mayHaveTakenEffect(true).build();
      }
      copy = Outcomes.readBack(() -> findChild(target, source.name()), "the copy");
    }
    if (copy == null) {
      throw Open123Api.protocol("copy", source.id(), "the async copy task finished but the copy of '" + source.name()
          + "' is not in the target folder", null);
    }
    recent.created(copy);
    try {
      java.util.ArrayDeque<String[]> pairs = new java.util.ArrayDeque<>();
      pairs.add(new String[] {source.id(), copy.id()});
      awaitListed(pairs);
    } catch (DriveException settling) {
      // The copy is made; waiting until the listing shows all of it is a courtesy, not the copy.
      // A cancel of that wait (an interrupt during a listing) says so: a retry would meet "already exists".
      if (settling.kind() == ErrorKind.CANCELLED) {
        throw Outcomes.restated(settling, "; the copy took effect (id " + copy.id() + "), only waiting for its"
            + " folders to list it all was cancelled").retryable(false).mayHaveTakenEffect(true).build();
      }
    }
    return copy;
  }

  /** Folders compared at most by {@link #awaitListed}; a larger copy is returned without waiting for the rest. */
  static final int SETTLE_FOLDERS = 200;

  /**
   * 123's listing shows new entries with a delay, and a copied subtree is all new: before
   * returning, waits (briefly, at most about 30 s in all, on the context's sleeper) until the copy's folders list
   * the same names as the source's, so a caller can use the copy's paths at once. {@code pairs}
   * holds (source folder id, copy id) pairs to start from. Gives up quietly when the budget is
   * spent: the copy itself is done.
   */
  private void awaitListed(java.util.ArrayDeque<String[]> pairs) {
    long budgetMs = 30_000;
    int folders = 0;
    while (!pairs.isEmpty() && folders++ < SETTLE_FOLDERS) {
      String[] pair = pairs.poll();
      Map<String, Entry> want = children(pair[0]);
      Map<String, Entry> have = children(pair[1]);
      long wait = 250;
      while (!have.keySet().containsAll(want.keySet()) && budgetMs > 0) {
        try {
          sleeper.sleep(java.time.Duration.ofMillis(Math.min(wait, budgetMs)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        budgetMs -= wait;
        wait = Math.min(wait * 2, 4000);
        have = children(pair[1]);
      }
      for (Map.Entry<String, Entry> w : want.entrySet()) {
        Entry h = have.get(w.getKey());
        if (w.getValue().folder() && h != null && h.folder()) pairs.add(new String[] {w.getValue().id(), h.id()});
      }
    }
  }

  private Map<String, Entry> children(String folderId) {
    Map<String, Entry> out = new LinkedHashMap<>();
    String cursor = null;
    do {
      Page page = list(folderId, cursor);
      for (Entry e : page.entries()) out.putIfAbsent(e.name(), e);
      cursor = page.nextCursor();
    } while (cursor != null);
    return out;
  }

  /**
   * Copies any number of entries (files and folders with their subtrees) into {@code newParentId}
   * through async copy tasks of at most 3000 ids each, reporting each task's state changes.
   */
  /**
   * Any number of files and folders in async copy tasks of up to 3,000 entries; progress moves
   * when a task is done (123 reports a task only as waiting, running, done or failed).
   */
  @Override
  public void copyAll(List<String> ids, String newParentId, java.util.function.Consumer<io.github.pan4j.core.CopyProgress> progress) {
    int total = ids.size();
    if (total == 0) {
      progress.accept(new io.github.pan4j.core.CopyProgress(0, 0));
      return;
    }
    java.util.Set<String> before = children(newParentId).keySet();
    copyMany(ids, newParentId, p -> {
      if (p.status() == Open123AsyncCopy.Status.DONE && p.task() < p.tasks()) {
        progress.accept(new io.github.pan4j.core.CopyProgress(p.task() * Open123AsyncCopy.MAX_IDS, total));
      }
    });
    // The listing lags behind writes (§11): wait briefly, as for a folder copy, until the target
    // lists every copy, so the caller can use the new paths at once. Name clashes are refused at
    // submission, so the target grows by exactly the number of entries. What the copied folders
    // hold is new as well: then it waits for their subtrees as a folder copy does.
    // The copy is done by now: a listing that fails here ends the wait, it does not fail the copy
    // (a retry would copy everything again); an interrupt is CANCELLED, saying the copy took effect.
    long budgetMs = 30_000;
    long wait = 250;
    try {
      Map<String, Entry> listed;
      while ((listed = children(newParentId)).size() < before.size() + total && budgetMs > 0) {
        try {
          sleeper.sleep(java.time.Duration.ofMillis(Math.min(wait, budgetMs)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw DriveException.builder(ErrorKind.CANCELLED, "cancelled by interrupt").driver(Open123Provider.ID)
              .operation("copy").target(total == 1 ? ids.get(0) : total + " entries").build();
        }
        budgetMs -= wait;
        wait = Math.min(wait * 2, 4000);
      }
      awaitListed(copiedFolders(ids, listed, before));
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.CANCELLED) {
        throw Outcomes.restated(e, "; the copy took effect, only waiting for the target folder to list it was cancelled")
            .retryable(false).mayHaveTakenEffect(true).build();
      }
    }
    progress.accept(new io.github.pan4j.core.CopyProgress(total, total));
  }

  /**
   * (source id, copy id) of the folders among {@code ids} whose copies are in {@code listed}, the
   * target's listing after the copy, at most {@link #SETTLE_FOLDERS}; each source is looked up only
   * while new folders in the target are left unmatched.
   */
  private java.util.ArrayDeque<String[]> copiedFolders(List<String> ids, Map<String, Entry> listed, java.util.Set<String> before) {
    Map<String, Entry> newFolders = new LinkedHashMap<>();
    listed.forEach((name, e) -> {
      if (e.folder() && !before.contains(name)) newFolders.put(name, e);
    });
    java.util.ArrayDeque<String[]> pairs = new java.util.ArrayDeque<>();
    for (int i = 0; i < ids.size() && !newFolders.isEmpty() && pairs.size() < SETTLE_FOLDERS; i++) {
      Entry source = find(ids.get(i));
      Entry copy = source.folder() ? newFolders.remove(source.name()) : null;
      if (copy != null) pairs.add(new String[] {source.id(), copy.id()});
    }
    return pairs;
  }

  void copyMany(List<String> ids, String newParentId, java.util.function.Consumer<Open123AsyncCopy.Progress> progress) {
    ready("copy");
    long target = Open123Errors.id(newParentId, "copy");
    List<Long> numeric = new ArrayList<>(ids.size());
    for (String id : ids) numeric.add(Open123Errors.id(id, "copy"));
    asyncCopy.copy(numeric, target, ids.size() == 1 ? ids.get(0) : ids.size() + " entries", progress);
  }

  // ---------------------------------------------------------------- upload

  @Override
  public void prepare(UploadSource source) {
    uploads.prepare(source);
  }

  @Override
  public Entry upload(String parentId, String name, UploadSource source, UploadOptions options) {
    ready("upload");
    Entry e = uploads.upload(parentId, name, source, options == null ? UploadOptions.DEFAULT : options);
    recent.created(e);
    return e;
  }

  /** Finds a live child by exact name via global exact search (no need to page a huge folder). */
  Entry findChild(long parentId, String name) {
    String cursor = null;
    while (true) {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("parentFileId", parentId);
      q.put("limit", PAGE_LIMIT);
      q.put("searchData", name);
      q.put("searchMode", 1);
      if (cursor != null) q.put("lastFileId", cursor);
      JsonNode data = api.get("upload", name, Open123Limits.LIST, q);
      for (JsonNode n : data.path("fileList")) {
        if (Open123Entries.trashed(n)) continue;
        Entry e = Open123Entries.entry(n);
        if (name.equals(e.name()) && String.valueOf(parentId).equals(e.parentId())) return e;
      }
      cursor = nextCursor(data, data.path("fileList"), cursor, "upload", name);
      if (cursor == null) return null;
    }
  }

  /**
   * The cursor for the page after this one, or null at the end. {@code lastFileId} -1 marks the
   * last page (docs/protocol/123open.md §8.2); 0 (or any other non-positive value) is no file id
   * either and is taken as the end too, as other clients do, so a server that answers 0 cannot make
   * us ask for the first page again forever. A page without items ends the listing. A cursor equal
   * to the one just sent would loop: that is a protocol error, not a page.
   */
  static String nextCursor(JsonNode data, JsonNode items, String sent, String op, String target) {
    long last = data.path("lastFileId").asLong(-1);
    if (last <= 0 || items.isEmpty()) return null;
    String next = String.valueOf(last);
    if (next.equals(sent)) {
      throw Open123Api.protocol(op, target, "the listing answered with the same cursor it was sent (lastFileId "
          + next + "), which would repeat the same page forever", null);
    }
    return next;
  }

  // ---------------------------------------------------------------- shares

  /** At most 100 ids per share/create (docs/protocol/123open.md §8.21). */
  @Override
  public int maxShareEntries() { return BATCH; }

  @Override
  public ShareLink share(List<String> ids, ShareOptions options) {
    ready("share");
    return shares.create(ids, options == null ? ShareOptions.DEFAULT : options, maxShareEntries(), id -> find(id).name());
  }

  @Override
  public SharePage shares(String cursor) {
    ready("shares");
    return shares.list(cursor);
  }

  // ---------------------------------------------------------------- trash (see Open123Trash)

  @Override
  public TrashPage listTrash(String cursor) {
    ready("listTrash");
    return trash.list(cursor);
  }

  @Override
  public RestoreResult restore(List<String> ids, String fallbackParentId) {
    ready("restore");
    RestoreResult r = trash.restore(ids, fallbackParentId);
    // The listing can lag behind writes (docs/protocol/123open.md §11): remember what came back,
    // as for created entries, so listing its folder right away shows it. Bounded: one detail
    // call per entry, for the first BATCH entries.
    List<String> back = new ArrayList<>(r.restored());
    back.addAll(r.relocated());
    for (String id : back.subList(0, Math.min(back.size(), BATCH))) {
      try {
        recent.created(find(id));
      } catch (DriveException e) {
        if (e.kind() != ErrorKind.NOT_FOUND) throw e;
      }
    }
    return r;
  }

  @Override
  public void purge(List<String> ids) {
    ready("purge");
    trash.purge(ids);
  }

  // ---------------------------------------------------------------- storage details

  @Override
  public StorageDetails storageDetails() {
    ready("storageDetails");
    JsonNode u = api.freshAccount();
    long total = u.path("spacePermanent").asLong(0) + u.path("spaceTemp").asLong(0);
    long used = u.path("spaceUsed").asLong(-1);
    boolean vip = Open123Api.isVip(u);
    String plan = null;
    int best = 0;
    for (JsonNode v : u.path("vipInfo")) {
      int level = v.path("vipLevel").asInt(0);
      if (level > best) {
        best = level;
        plan = v.path("vipLabel").asText(null);
      }
    }
    if (plan == null) plan = vip ? "VIP" : "free";
    Map<String, String> extras = new LinkedHashMap<>();
    extras.put("uid", u.path("uid").asText());
    extras.put("directTrafficBytes", u.path("directTraffic").asText("0"));
    extras.put("spacePermanentBytes", u.path("spacePermanent").asText("0"));
    extras.put("spaceTempBytes", u.path("spaceTemp").asText("0"));
    JsonNode exp = u.path("spaceTempExpr");
    if (!exp.isMissingNode() && !exp.isNull()) extras.put("spaceTempExpires", exp.asText());
    return new StorageDetails(total, used, vip, plan, extras);
  }

  @Override
  public void close() {
    if (guard.close()) api.close();
  }

  @Override
  public String toString() {
    return "Open123Driver{root=" + config.rootFolderId() + ", api=" + config.apiBaseUrl()
        + (config.clientId() != null ? ", clientId=" + config.clientId() : "") + "}";
  }
}
