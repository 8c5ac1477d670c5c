package io.github.pan4j.driver.pan123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.OfflineTask;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.TrashPage;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.CloseGuard;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.driver.common123.web.DownloadChain;
import io.github.pan4j.driver.common123.web.WebApi;
import io.github.pan4j.driver.common123.web.WebItems;
import io.github.pan4j.driver.common123.web.WebListing;
import io.github.pan4j.driver.common123.web.WebProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A personal 123云盘 drive through the web API. Thread-safe. See {@code docs/drivers/123pan.md}.
 */
final class Pan123Driver implements Driver, Driver.Stat, Driver.Mkdir, Driver.Rename, Driver.Move, Driver.Remove,
    Driver.Upload, Driver.Copy, Driver.StorageInfo, Driver.Trash, Driver.OfflineTasks {
  static final String LIST = "file/list/new";
  private static final int MAX_DEPTH = 512;

  private final Pan123Config config;
  private final DriverContext context;
  private final Pan123Session session;
  private final WebApi api;
  private final DownloadChain downloads;
  private final Pan123Uploads uploads;
  private final Pan123Offline offline;
  private final CloseGuard guard = new CloseGuard(Pan123Provider.ID);
  private final Pan123Trash trash;
  private final Pan123Copy copies;

  Pan123Driver(Pan123Config config, WebProfile profile, DriverContext context) {
    this.config = config;
    this.context = context;
    double listQps = config.listInterval().isZero() ? 0 : 1_000_000_000.0 / config.listInterval().toNanos();
    // Account state: the list pacing and the token manager belong to the account, shared by every
    // mount of it (the token manager lives in the session, whose refresher signs in).
    RateLimiter limiter = context.rateLimiter(Pan123Session.accountKey(config, profile), Map.of(LIST, listQps), 0.0);
    this.session = new Pan123Session(config, profile, Json.mapper(), context);
    this.api = new WebApi(Pan123Provider.ID, context, profile, limiter, session.tokenSource(),
        session.unauthenticatedHint());
    session.bind(api);
    this.downloads = new DownloadChain(api);
    this.uploads = new Pan123Uploads(this, api, context, config.uploadThreads());
    this.trash = new Pan123Trash(this, api);
    this.offline = new Pan123Offline(api, Pan123Provider.ID);
    this.copies = new Pan123Copy(this, api, context);
  }

  @Override
  public String id() { return Pan123Provider.ID; }

  @Override
  public String rootId() { return config.rootFolderId(); }

  Pan123Session session() { return session; }

  // ------------------------------------------------------------------ list / stat / link

  @Override
  public Page list(String folderId, String cursor) {
    guard.ensureOpen("list");
    long folder = parseId(folderId, "list");
    WebListing.Chunk chunk = WebListing.readPage(page -> api.get("list", folderId, LIST, listQuery(folder, page, false), true),
        cursor, true, id(), "list", folderId);
    List<Entry> entries = new ArrayList<>(chunk.items().size());
    for (JsonNode item : chunk.items()) {
      if (WebItems.isTrashed(item)) continue;
      entries.add(WebItems.toEntry(item, id(), "list"));
    }
    if (cursor == null && entries.isEmpty() && chunk.nextCursor() == null && folder != 0) {
      // Some servers list an unknown folder id as empty; tell "empty" from "missing".
      Entry self = stat(folderId);
      if (!self.folder()) {
        throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "not a folder").driver(id()).operation("list").target(folderId).build();
      }
    }
    return new Page(entries, chunk.nextCursor());
  }

  /** Every live item of a folder, complete and consistent (or an error). */
  List<JsonNode> listItems(long folder, String operation, String target) {
    return WebListing.readAll(page -> api.get(operation, target, LIST, listQuery(folder, page, false), true), true, id(),
        operation, target);
  }

  /** The web list query for a folder's page; {@code trashed} asks for the recycle bin instead. */
  static Map<String, String> listQuery(long folder, int page, boolean trashed) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("driveId", "0");
    q.put("limit", "100");
    q.put("next", "0");
    q.put("orderBy", "file_id");
    q.put("orderDirection", "desc");
    q.put("parentFileId", Long.toString(folder));
    q.put("trashed", Boolean.toString(trashed));
    q.put("SearchData", "");
    q.put("Page", Integer.toString(page));
    q.put("OnlyLookAbnormalFile", "0");
    q.put("event", "homeListFile");
    q.put("operateType", "4");
    q.put("inDirectSpace", "false");
    return q;
  }

  @Override
  public Entry stat(String id) {
    guard.ensureOpen("stat");
    long fid = parseId(id, "stat");
    if (fid == 0) return new Entry("0", null, "", null, true, 0, null, null, null, Map.of());
    return WebItems.toEntry(item(fid, "stat"), id(), "stat");
  }

  /** The live item with that id, or NOT_FOUND. */
  JsonNode item(long fid, String operation) {
    return find(fid, operation).orElseThrow(() -> DriveException.builder(ErrorKind.NOT_FOUND, "no such file or folder (or it is in the trash)")
        .driver(id()).operation(operation).target(Long.toString(fid)).build());
  }

  /** The live item with that id, if any. */
  Optional<JsonNode> find(long fid, String operation) {
    JsonNode data;
    try {
      data = api.postRead(operation, Long.toString(fid), "file/info",
          Map.of("fileIdList", List.of(Map.of("fileId", fid))));
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.NOT_FOUND) return Optional.empty();
      throw e;
    }
    JsonNode list = WebItems.field(data, "infoList");
    if (list == null || !list.isArray()) return Optional.empty();
    for (JsonNode item : list) {
      if (WebItems.fileId(item) == fid && !WebItems.isTrashed(item)) return Optional.of(item);
    }
    return Optional.empty();
  }

  @Override
  public Link link(String fileId) {
    guard.ensureOpen("link");
    long fid = parseId(fileId, "link");
    JsonNode item = fid == 0 ? null : item(fid, "link");
    if (fid == 0 || WebItems.isFolder(item)) {
      throw DriveException.builder(ErrorKind.IS_A_DIRECTORY, "a folder has no download link").driver(id()).operation("link")
          .target(fileId).build();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("driveId", 0);
    body.put("etag", WebItems.text(item, "Etag"));
    body.put("fileId", fid);
    body.put("fileName", WebItems.text(item, "FileName"));
    body.put("s3keyFlag", WebItems.text(item, "S3KeyFlag"));
    body.put("size", WebItems.number(item, "Size", 0));
    body.put("type", 0);
    JsonNode data = api.postRead("link", fileId, "file/download_info", body);
    JsonNode url = data == null ? null : data.get("DownloadUrl");
    return downloads.resolve(url == null || url.isNull() ? null : url.asText(), WebItems.number(item, "Size", -1),
        item.path("Etag").asText(null), "link", fileId);
  }

  // ------------------------------------------------------------------ writes

  @Override
  public Entry mkdir(String parentId, String name) {
    guard.ensureOpen("mkdir");
    long parent = parseId(parentId, "mkdir");
    Pan123Uploads.checkName(name, "mkdir", parentId);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("driveId", 0);
    body.put("etag", "");
    body.put("fileName", name);
    body.put("parentFileId", Long.toString(parent));
    body.put("size", 0);
    body.put("type", 1);
    JsonNode data;
    try {
      data = api.post("mkdir", parentId + "/" + name, "file/upload_request", body, false);
    } catch (DriveException e) {
      // A lost reply, a dropped connection or a gateway error: 123 may have made the folder. Look
      // before reporting a failure that a retry would turn into "already exists".
      if (!Outcomes.unknown(e)) throw e;
      Optional<JsonNode> made;
      try {
        made = childNamed(parent, name, "mkdir").filter(WebItems::isFolder);
      } catch (DriveException lookup) {
        throw Outcomes.lookFailed(e, lookup);
      }
      return made.map(i -> WebItems.toEntry(i, id(), "mkdir")).orElseThrow(() -> e);
    }
    if (WebItems.bool(data, "Reuse")) {
      throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "a folder of that name already exists").driver(id())
          .operation("mkdir").target(parentId + "/" + name).build();
    }
    JsonNode info = WebItems.field(data, "Info");
    if (info != null && WebItems.fileId(info) > 0) return WebItems.toEntry(info, id(), "mkdir");
    long fid = WebItems.number(data, "FileId", 0);
    if (fid > 0) return Outcomes.readBack(() -> stat(Long.toString(fid)), "making the folder (id " + fid + ")");
    return childNamed(parent, name, "mkdir").map(i -> WebItems.toEntry(i, id(), "mkdir"))
        .orElseThrow(() -> DriveException.builder(ErrorKind.INTEGRITY, "the server accepted the folder but it is not in the listing")
            .driver(id()).operation("mkdir").target(parentId + "/" + name).build());
  }

  @Override
  public Entry rename(String id, String newName) {
    guard.ensureOpen("rename");
    long fid = parseId(id, "rename");
    Pan123Uploads.checkName(newName, "rename", id);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("driveId", 0);
    body.put("fileId", Long.toString(fid));
    body.put("fileName", newName);
    try {
      api.post("rename", id, "file/rename", body, false);
    } catch (DriveException e) {
      // A lost reply, a dropped connection or a gateway error: 123 may have renamed it. Look.
      if (!Outcomes.unknown(e)) throw e;
      Entry now;
      try {
        now = stat(id);
      } catch (DriveException lookup) {
        throw Outcomes.lookFailed(e, lookup);
      }
      if (!newName.equals(now.name())) throw e;
      return now;
    }
    return Outcomes.readBack(() -> stat(id), "the rename");
  }

  @Override
  public void move(List<String> ids, String newParentId) {
    guard.ensureOpen("move");
    long target = parseId(newParentId, "move");
    if (ids.isEmpty()) return;
    List<Long> fids = new ArrayList<>();
    for (String s : ids) fids.add(parseId(s, "move"));
    checkTarget(fids, target, "move");
    Set<String> taken = new HashSet<>();
    for (JsonNode c : listItems(target, "move", newParentId)) taken.add(WebItems.text(c, "FileName"));
    List<Map<String, Object>> list = new ArrayList<>();
    for (long fid : fids) {
      JsonNode it = item(fid, "move");
      if (WebItems.number(it, "ParentFileId", -1) == target) continue; // already there
      if (taken.contains(WebItems.text(it, "FileName"))) {
        throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "the target folder already has an entry named '"
                + WebItems.text(it, "FileName") + "'").driver(id()).operation("move").target(Long.toString(fid)).build();
      }
      list.add(Map.of("FileId", Long.toString(fid)));
    }
    if (list.isEmpty()) return;
    try {
      api.post("move", String.join(",", ids), "file/mod_pid", Map.of("fileIdList", list, "parentFileId", Long.toString(target)), false);
    } catch (DriveException e) {
      // 123 may have moved them: look before failing.
      if (!Outcomes.unknown(e)) throw e;
      for (Map<String, Object> m : list) {
        Optional<JsonNode> it;
        try {
          it = find(Long.parseLong((String) m.get("FileId")), "move");
        } catch (DriveException lookup) {
          throw Outcomes.lookFailed(e, lookup);
        }
        if (it.isEmpty() || WebItems.number(it.get(), "ParentFileId", -1) != target) throw e;
      }
    }
  }

  /**
   * Refuses a target that is not a live folder (NOT_A_DIRECTORY) or that is one of {@code fids} or
   * below one of them (INVALID_ARGUMENT: a folder into itself), before anything is sent.
   */
  private void checkTarget(List<Long> fids, long target, String operation) {
    if (target == 0) return;
    JsonNode t = item(target, operation);
    if (!WebItems.isFolder(t)) {
      throw DriveException.builder(ErrorKind.NOT_A_DIRECTORY, "the " + operation + " target is not a folder").driver(id())
          .operation(operation).target(Long.toString(target)).build();
    }
    Set<Long> moving = new HashSet<>(fids);
    long cur = target;
    for (int depth = 0; cur != 0 && depth < MAX_DEPTH; depth++) {
      if (moving.contains(cur)) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "cannot " + operation + " a folder into itself or one of"
                + " its subfolders").driver(id()).operation(operation).target(Long.toString(cur)).build();
      }
      cur = WebItems.number(depth == 0 ? t : item(cur, operation), "ParentFileId", 0);
    }
  }

  /**
   * A server-side copy of a file or a folder with everything below it (see {@link Pan123Copy}).
   * A name already in the target is ALREADY_EXISTS, found before anything is sent.
   */
  @Override
  public Entry copy(String id, String newParentId) {
    guard.ensureOpen("copy");
    long fid = parseId(id, "copy");
    long target = parseId(newParentId, "copy");
    if (fid == 0) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the root folder cannot be copied").driver(id())
          .operation("copy").target(id).build();
    }
    JsonNode source = item(fid, "copy");
    checkTarget(List.of(fid), target, "copy");
    String name = WebItems.text(source, "FileName");
    if (childNamed(target, name, "copy").isPresent()) {
      throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "the target folder already has an entry named '" + name
              + "'; nothing was copied (remove or rename it, or copy into another folder)")
          .driver(id()).operation("copy").target(id).build();
    }
    return copies.copy(source, target);
  }

  /**
   * Several entries in as few copy tasks as the web API's copy takes them ({@link
   * Pan123Copy#MAX_ENTRIES} per task). Everything is checked before anything is sent: every
   * source (NOT_FOUND; the root or an id given twice, INVALID_ARGUMENT), the target, and the
   * names: one already in the target, or two sources of the same name, is ALREADY_EXISTS and
   * nothing is copied. Progress moves a task at a time.
   */
  @Override
  public void copyAll(List<String> ids, String newParentId, java.util.function.Consumer<io.github.pan4j.core.CopyProgress> progress) {
    guard.ensureOpen("copy");
    int total = ids.size();
    if (total == 0) {
      progress.accept(new io.github.pan4j.core.CopyProgress(0, 0));
      return;
    }
    long target = parseId(newParentId, "copy");
    String label = total == 1 ? ids.get(0) : total + " entries";
    List<Long> fids = new ArrayList<>(total);
    for (String s : ids) {
      long fid = parseId(s, "copy");
      if (fid == 0) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the root folder cannot be copied").driver(id())
            .operation("copy").target(s).build();
      }
      if (fids.contains(fid)) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "entry " + s + " is given twice; list each entry once;"
            + " nothing was copied").driver(id()).operation("copy").target(s).build();
      }
      fids.add(fid);
    }
    List<JsonNode> sources = new ArrayList<>(total);
    for (long fid : fids) sources.add(item(fid, "copy"));
    checkTarget(fids, target, "copy");
    Set<String> names = new HashSet<>();
    for (JsonNode c : listItems(target, "copy", newParentId)) {
      if (!WebItems.isTrashed(c)) names.add(WebItems.text(c, "FileName"));
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode source : sources) {
      String name = WebItems.text(source, "FileName");
      String why = names.contains(name) ? "the target folder already has an entry named '" + name + "'"
          : !seen.add(name) ? "two of the entries are named '" + name + "' and one folder cannot hold both" : null;
      if (why != null) {
        throw DriveException.builder(ErrorKind.ALREADY_EXISTS, why + "; nothing was copied (remove or rename it, or copy"
                + " into another folder)")
            .driver(id()).operation("copy").target(Long.toString(WebItems.fileId(source))).build();
      }
    }
    copies.copy(sources, target, label, copied -> progress.accept(new io.github.pan4j.core.CopyProgress(copied, total)));
  }

  @Override
  public void remove(List<String> ids) {
    guard.ensureOpen("remove");
    List<JsonNode> live = new ArrayList<>();
    for (String s : ids) {
      long fid = parseId(s, "remove");
      if (fid == 0) {
        throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the root folder cannot be removed").driver(id())
            .operation("remove").target(s).build();
      }
      find(fid, "remove").ifPresent(live::add);
    }
    if (live.isEmpty()) return;
    String target = String.join(",", ids);
    DriveException unknownOutcome = null;
    try {
      api.post("remove", target, "file/trash", Map.of("driveId", 0, "operation", true, "fileTrashInfoList", live), false);
    } catch (DriveException e) {
      // 123 may have trashed them: the check below looks before failing.
      if (!Outcomes.unknown(e)) throw e;
      unknownOutcome = e;
    }
    List<Map<String, Object>> stillThere = new ArrayList<>();
    try {
      for (JsonNode it : live) {
        if (find(WebItems.fileId(it), "remove").isPresent()) stillThere.add(Map.of("FileId", WebItems.fileId(it)));
      }
    } catch (DriveException lookup) {
      // After a removal whose outcome is unknown, its failure is the one to report, the look's attached.
      if (unknownOutcome == null) throw lookup;
      throw Outcomes.lookFailed(unknownOutcome, lookup);
    }
    if (stillThere.isEmpty()) return;
    if (unknownOutcome != null) throw unknownOutcome;
    // Sources disagree on the body the server honours (§11.1); some say only {FileId} items work and other
    // shapes are ignored with code 0. Verify, and send that shape once before giving up.
    api.post("remove", target, "file/trash",
        Map.of("driveId", 0, "operation", true, "event", "intoRecycle", "fileTrashInfoList", stillThere), false);
    for (Map<String, Object> it : stillThere) {
      long fid = (Long) it.get("FileId");
      if (find(fid, "remove").isPresent()) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "the server acknowledged the removal but the entry is still there")
            .driver(id()).operation("remove").target(Long.toString(fid)).build();
      }
    }
  }

  @Override
  public Entry upload(String parentId, String name, UploadSource source, UploadOptions options) {
    guard.ensureOpen("upload");
    if (!source.hasBytes()) {
      // The web upload_request does match by etag, but this driver has not been built and
      // tested for hash-only uploads yet: refuse before anything is sent.
      throw DriveException.builder(ErrorKind.UNSUPPORTED, "the 123pan driver cannot upload from hashes alone (no"
              + " INSTANT_UPLOAD); use the 123open driver for hash-only uploads, or give the file's bytes")
          .driver(id()).operation("upload").target(name).build();
    }
    return uploads.upload(parseId(parentId, "upload"), name, source, options == null ? UploadOptions.DEFAULT : options);
  }

  /** Starts the whole-file MD5 the upload will need, so that it overlaps the folder lookup. */
  @Override
  public void prepare(UploadSource source) {
    prefetch(source);
  }

  /** The hashing pass an upload asks for: the whole-file MD5 alone. */
  static void prefetch(UploadSource source) {
    if (source.hasBytes()) source.prefetchHashes(false, 0);
  }

  // ------------------------------------------------------------------ trash (see Pan123Trash)

  @Override
  public TrashPage listTrash(String cursor) {
    guard.ensureOpen("listTrash");
    return trash.list(cursor);
  }

  @Override
  public RestoreResult restore(List<String> ids, String fallbackParentId) {
    guard.ensureOpen("restore");
    return trash.restore(ids, fallbackParentId);
  }

  @Override
  public void purge(List<String> ids) {
    guard.ensureOpen("purge");
    trash.purge(ids);
  }

  @Override
  public StorageDetails storageDetails() {
    guard.ensureOpen("storageDetails");
    return storageDetails(api.get("storage_details", null, "user/info", Map.of(), true));
  }

  /**
   * {@link #storageDetails()} asked once: no repeat, no wait on a 429, for the figures of an error
   * already decided (an upload refused for space).
   */
  StorageDetails storageDetailsOnce() {
    return storageDetails(api.getOnce("storage_details", null, "user/info", Map.of()));
  }

  private static StorageDetails storageDetails(JsonNode d) {
    long permanent = WebItems.number(d, "SpacePermanent", -1);
    long temp = WebItems.number(d, "SpaceTemp", 0);
    long used = WebItems.number(d, "SpaceUsed", -1);
    boolean vip = WebItems.bool(d, "Vip");
    Map<String, String> extras = new LinkedHashMap<>();
    String uid = WebItems.text(d, "UID");
    if (uid != null) extras.put("uid", uid);
    String count = WebItems.text(d, "FileCount");
    if (count != null) extras.put("fileCount", count);
    return new StorageDetails(permanent < 0 ? -1 : permanent + Math.max(0, temp), used, vip, vip ? "VIP" : "free", extras);
  }

  Optional<JsonNode> childNamed(long parent, String name, String operation) {
    for (JsonNode c : listItems(parent, operation, Long.toString(parent))) {
      if (!WebItems.isTrashed(c) && name.equals(WebItems.text(c, "FileName"))) return Optional.of(c);
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ offline download

  /** Resolves the URL, then submits it into the folder (the root included). */
  @Override
  public OfflineTask addOffline(String url, String folderId) {
    guard.ensureOpen("offline");
    Driver.OfflineDownload.checkUrl(url);
    return offline.add(url, parseId(folderId, "offline"));
  }

  /** The task as the task list shows it (the web API has no per-task status call). */
  @Override
  public OfflineTask offlineTask(String taskId) {
    guard.ensureOpen("offline");
    return offline.find(taskId);
  }

  @Override
  public List<OfflineTask> offlineTasks() {
    guard.ensureOpen("offline_tasks");
    return offline.all();
  }

  @Override
  public void removeOfflineTask(String taskId) {
    guard.ensureOpen("offline_remove");
    offline.remove(taskId);
  }

  long parseId(String id, String operation) {
    if (id == null || !id.matches("\\d{1,18}")) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "not a 123pan file id (digits expected)").driver(id())
          .operation(operation).target(String.valueOf(id)).build();
    }
    return Long.parseLong(id);
  }

  @Override
  public void close() {
    if (!guard.close()) return;
    api.close(); // operations still running stop at their next request
    if (!config.logoutOnClose()) return;
    // Signs out the token held now, as it is: an expired one is not renewed just to sign it out.
    io.github.pan4j.core.auth.Token held = session.unexpiredToken().orElse(null);
    if (held == null) {
      session.invalidate();
      return;
    }
    try {
      api.postWhileClosing("close", "user/logout", Map.of(), held);
    } catch (DriveException e) {
      // Signing out is best effort; the token is forgotten either way.
    } finally {
      session.invalidate();
    }
  }

  @Override
  public String toString() {
    return "Pan123Driver{root=" + config.rootFolderId() + ", api=" + config.apiBaseUrl() + "}";
  }
}
