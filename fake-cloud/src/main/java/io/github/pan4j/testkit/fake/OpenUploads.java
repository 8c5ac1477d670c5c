package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;

/**
 * Uploads of the fake open platform: v2 (create / slice / upload_complete / domain / single /
 * sha1_reuse, §8.18) and legacy v1 (create / get_upload_url / presigned PUT / list_upload_parts /
 * upload_complete / upload_async_result, §8.19). Each session's slices are written once, at
 * their offsets in one session file ({@link UploadFile}), whose whole-file MD5 is computed as the
 * slices arrive; completion checks it against the declared etag and moves the file into the store.
 */
final class OpenUploads {
  static final long MAX_SIZE = 10L << 30;
  static final long MAX_SINGLE = 1L << 30;
  private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern SHA1 = Pattern.compile("[0-9a-fA-F]{40}");

  private final OpenApiFrontDoor door;
  private final Map<String, Session> sessions = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Presigned> presigned = Collections.synchronizedMap(new LinkedHashMap<>());

  /** A v1 part URL: the session and part it is for, when it stops working, and the query it was issued with (all of it is signed). */
  private record Presigned(String session, int no, java.time.Instant expiresAt, String query) {}
  private Path sliceDir;
  /** Arrays for multipart bodies, reused: one per concurrent slice, a few kept (see BodyBuffers). */
  private final BodyBuffers bodies = new BodyBuffers(4);

  volatile long sliceSize = 16L << 20;
  /** Verifying replies by declared size: the entry with the greatest key ≤ size applies. */
  final java.util.NavigableMap<Long, Integer> verifyingBySize = new java.util.concurrent.ConcurrentSkipListMap<>(Map.of(0L, 2));
  volatile int asyncReplies = 1;
  volatile int duplicateWhenOmitted;
  volatile boolean overwriteKeepsId;
  volatile boolean refuseEmpty = true;
  /**
   * Off by default: OpenList's widely used driver sends every 16 MiB slice chunked (a Go request
   * body of unknown length), so the real gateway does take chunked slices; the failures reported
   * come after about 60 s, like those of slices that arrive too slowly. On for fault injection.
   */
  volatile boolean rejectChunked;
  /** Whether multipart bodies with bare-LF line ends are read, as Go's mime/multipart reads them (see OpenMultipart). */
  volatile boolean multipartBareLf = true;
  /** Chunked slice / single bodies above this many bytes get the gateway's HTTP 500. */
  volatile long chunkedLimit = 1L << 20;
  /**
   * Whether a v1 create of the same file (account, folder, name, MD5, size) while an earlier
   * session for it is still open and younger than {@link #v1SessionValidity} answers that
   * session's preuploadID again, so a client can resume it through list_upload_parts. What 123
   * does is UNKNOWN (the docs say nothing about repeated creates or a preuploadID's lifetime);
   * answering the same session is the behaviour resumable multipart services commonly have, so
   * it is the default, and {@code false} gives every create a new session.
   */
  volatile boolean v1SameSessionOnRepeat = true;
  /** Whether v2 create lists the upload host in {@code servers}; false answers an empty list (clients then ask the domain endpoint). */
  volatile boolean v2CreateNamesServers = true;
  /**
   * How long a v1 part URL works (its {@code X-Amz-Expires}). The docs give no lifetime (UNKNOWN);
   * one hour is the common lifetime of presigned object-storage URLs, and the URL says it.
   */
  volatile java.time.Duration v1PartUrlLifetime = java.time.Duration.ofHours(1);
  /** How long an open v1 session can be resumed by a repeated create (UNKNOWN; one day chosen). */
  volatile java.time.Duration v1SessionValidity = java.time.Duration.ofDays(1);
  final AtomicInteger failCompletes = new AtomicInteger();
  final AtomicInteger failSlices = new AtomicInteger();

  OpenUploads(OpenApiFrontDoor door) {
    this.door = door;
  }

  /**
   * One upload; guarded by its own monitor. An open session never expires: how long 123 keeps a
   * preuploadID is UNKNOWN, and a fake that dropped it would fail slow tests for no documented
   * reason (v1 part URLs do expire, see {@link #v1PartUrlLifetime}).
   */
  private static final class Session {
    final String id;
    final int version;
    final long uid;
    final long parent;
    final String name;
    final String etag;
    final long size;
    final long sliceSize;
    final Long duplicate;
    /** The slices' bytes and the running whole-file MD5; its own locks (slices are written in parallel). */
    final UploadFile file;
    String state = "OPEN";
    String failure;
    int failureCode = 1;
    long fileId;
    int verifyingLeft;
    int verifyingGiven;
    int asyncLeft = -1;
    java.time.Instant created;

    Session(String id, int version, long uid, long parent, String name, String etag, long size, long sliceSize,
        Long duplicate, Path dir, boolean directIo) {
      this.id = id;
      this.version = version;
      this.uid = uid;
      this.parent = parent;
      this.name = name;
      this.etag = etag;
      this.size = size;
      this.sliceSize = sliceSize;
      this.duplicate = duplicate;
      this.file = new UploadFile(dir, id.substring(0, 16) + "-" + System.identityHashCode(this), sliceSize, directIo);
    }

    int sliceCount() {
      return size == 0 ? 0 : (int) ((size + sliceSize - 1) / sliceSize);
    }

    long expectedLength(int no) {
      return no < sliceCount() ? sliceSize : size - (long) (sliceCount() - 1) * sliceSize;
    }
  }

  void install(FakeCloud cloud) {
    try {
      sliceDir = Files.createTempDirectory("pan4j-open-slices-");
      sliceDir.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    door.api("POST", "/upload/v2/file/create", true, (r, a) -> create(r, a, 2));
    door.route("upload", "POST", "/upload/v2/file/slice", true, this::slice);
    door.api("POST", "/upload/v2/file/upload_complete", true, this::completeV2);
    door.api("GET", "/upload/v2/file/domain", true, (r, a) -> OpenWire.array().add(cloud.baseUrl("upload")));
    door.route("upload", "POST", "/upload/v2/file/single/create", true, this::single);
    door.api("POST", "/upload/v2/file/sha1_reuse", true, this::sha1Reuse);
    door.api("POST", "/upload/v1/file/create", true, (r, a) -> create(r, a, 1));
    door.api("POST", "/upload/v1/file/get_upload_url", true, this::uploadUrl);
    door.api("POST", "/upload/v1/file/list_upload_parts", true, this::listParts);
    door.api("POST", "/upload/v1/file/upload_complete", true, this::completeV1);
    door.api("POST", "/upload/v1/file/upload_async_result", true, this::asyncResult);
    cloud.route("cdn", "PUT", "/open-v1-put/*", this::presignedPut);
  }

  List<OpenApiFrontDoor.UploadSession> sessions() {
    List<Session> all;
    synchronized (sessions) {
      all = new ArrayList<>(sessions.values());
    }
    List<OpenApiFrontDoor.UploadSession> out = new ArrayList<>();
    for (Session s : all) {
      synchronized (s) {
        out.add(new OpenApiFrontDoor.UploadSession(s.id, s.version, s.uid, s.name, s.size, s.sliceSize,
            s.file.count(), s.sliceCount(), s.state, s.fileId));
      }
    }
    return out;
  }

  private FakeStore store() {
    return door.store();
  }

  // ------------------------------------------------------------------ create

  /** Where a new file goes: its folder and name (after containDir folders were made). */
  /** A refusal of a slice or of a session's state, with {@code door.sliceRefusalCode} (UNKNOWN; default 1). */
  private OpenWire.OpenError sliceRefusal(String text) { return OpenWire.error(door.sliceRefusalCode, text); }

  private record Target(long parent, String name) {}

  private Target target(Account a, long parent, String filename, boolean containDir) {
    if (filename == null) throw fail("filename不能为空");
    if (!containDir) {
      door.checkName(filename);
      door.requireLiveFolder(a.uid(), parent);
      return new Target(parent, filename);
    }
    List<String> parts = new ArrayList<>();
    for (String p : filename.split("/")) if (!p.isEmpty()) parts.add(p);
    if (parts.isEmpty()) throw OpenWire.error(door.invalidNameCode, OpenWire.BAD_NAME);
    for (String p : parts) door.checkName(p);
    synchronized (store()) {
      door.requireLiveFolder(a.uid(), parent);
      long cur = parent;
      for (int i = 0; i < parts.size() - 1; i++) {
        Optional<Node> c = store().child(a.uid(), cur, parts.get(i));
        if (c.isPresent() && !c.get().folder()) throw fail(OpenWire.DIR_EXISTS);
        cur = c.isPresent() ? c.get().id() : store().mkdir(a.uid(), cur, parts.get(i)).id();
      }
      return new Target(cur, parts.get(parts.size() - 1));
    }
  }

  private void checkSize(long size, long max) {
    if (size < 0) throw fail("size参数错误");
    if (size == 0 && refuseEmpty) throw fail("文件大小不能为0");
    if (size > max) throw fail(max == MAX_SINGLE ? "文件大小超过1GB，请使用分片上传" : "文件大小超过10GB限制");
  }

  private Long duplicate(FakeRequest req) {
    if (req.field("duplicate") == null || req.field("duplicate").isNull()) return null;
    return swapped(duplicate(req.longField("duplicate")));
  }

  /** {@code duplicate} as the fake reads it: 1 and 2 trade places under {@link OpenApiFrontDoor#duplicateSwapped}. */
  private Long swapped(Long d) {
    return door.duplicateSwapped && d != null && d != 0 ? Long.valueOf(3 - d) : d;
  }

  /**
   * A {@code duplicate} given (null: not a number): 1 and 2 are documented, 0 is taken as "refuse a
   * clash" (p123client's reading); anything else is refused, on create, sha1_reuse and single alike.
   */
  private static Long duplicate(Long d) {
    if (d == null || d < 0 || d > 2) throw fail("duplicate参数错误");
    return d;
  }

  private static boolean bool(JsonNode n) {
    return n != null && (n.asBoolean(false) || "true".equalsIgnoreCase(n.asText()));
  }

  /**
   * Resolves a name clash for a new file and creates it, under the store lock. Policy: the
   * request's {@code duplicate}, else {@link #duplicateWhenOmitted}; 0 refuses (code 1), 1 keeps
   * both by naming the new file {@code name(1).ext}, {@code name(2).ext} … (suffix format
   * UNKNOWN, chosen), 2 overwrites: the old file goes to the trash and the new one gets a new id,
   * unless {@link #overwriteKeepsId} (UNKNOWN which one the server does, §14.4).
   */
  private Node place(long uid, long parent, String name, Long duplicate, Blob blob) {
    synchronized (store()) {
      if (!store().isLiveFolder(uid, parent)) throw fail(OpenWire.NO_PARENT);
      Optional<Node> clash = store().child(uid, parent, name);
      if (clash.isEmpty()) return store().createFile(uid, parent, name, blob);
      long policy = duplicate != null ? duplicate : duplicateWhenOmitted;
      if (policy == 1) return store().createFile(uid, parent, store().freeName(uid, parent, name), blob);
      if (policy == 2 && !clash.get().folder()) {
        if (overwriteKeepsId) {
          store().replaceContent(clash.get(), blob);
          return clash.get();
        }
        store().trash(clash.get());
        return store().createFile(uid, parent, name, blob);
      }
      throw door.nameClash("当前目录有重名文件");
    }
  }

  /** The clash check at create time, so a refused upload fails before any byte is sent. */
  private void precheckClash(long uid, long parent, String name, Long duplicate) {
    long policy = duplicate != null ? duplicate : duplicateWhenOmitted;
    Optional<Node> clash = store().child(uid, parent, name);
    if (clash.isPresent() && (policy == 0 || (policy == 2 && clash.get().folder()))) throw door.nameClash("当前目录有重名文件");
  }

  /** create, v1 and v2 (§8.18.1, §8.19). */
  private JsonNode create(FakeRequest req, Account a, int version) {
    long parent = OpenWire.requireLong(req, "parentFileID");
    String filename = OpenWire.requireText(req, "filename");
    String etag = OpenWire.requireText(req, "etag");
    long size = OpenWire.requireLong(req, "size");
    Long duplicate = duplicate(req);
    boolean containDir = bool(req.field("containDir"));
    if (!MD5.matcher(etag).matches()) throw fail("etag格式错误");
    checkSize(size, MAX_SIZE);
    Target t = target(a, parent, filename, containDir);
    precheckClash(a.uid(), t.parent(), t.name(), duplicate);
    door.checkSpace(a.uid(), size); // an instant upload takes space too: the new file counts in spaceUsed
    Optional<Blob> known = store().blobByMd5(etag, size);
    ObjectNode d = OpenWire.object();
    if (known.isPresent()) {
      Node n = place(a.uid(), t.parent(), t.name(), duplicate, known.get());
      d.put("fileID", n.id());
      d.put("reuse", true);
      return d;
    }
    if (version == 1 && v1SameSessionOnRepeat) {
      Session again = openV1Session(a.uid(), t, etag, size);
      if (again != null) {
        d.put("fileID", 0);
        d.put("reuse", false);
        d.put("preuploadID", again.id);
        d.put("sliceSize", again.sliceSize);
        return d;
      }
    }
    Session s = new Session(OpenTokens.random(96), version, a.uid(), t.parent(), t.name(),
        etag.toLowerCase(Locale.ROOT), size, sliceSize, duplicate, sliceDir, store().directIo());
    s.created = door.cloud().now();
    s.verifyingLeft = verifyingReplies(size);
    sessions.put(s.id, s);
    d.put("fileID", 0);
    d.put("reuse", false);
    d.put("preuploadID", s.id);
    d.put("sliceSize", s.sliceSize);
    if (version == 2) {
      var servers = d.putArray("servers");
      if (v2CreateNamesServers) servers.add(door.cloud().baseUrl("upload"));
    }
    return d;
  }

  /** An open v1 session for the same file, still within {@link #v1SessionValidity}, or null. */
  private Session openV1Session(long uid, Target t, String etag, long size) {
    java.time.Instant oldest = door.cloud().now().minus(v1SessionValidity);
    synchronized (sessions) {
      for (Session s : sessions.values()) {
        if (s.version == 1 && s.uid == uid && s.parent == t.parent() && s.name.equals(t.name()) && s.size == size
            && s.etag.equalsIgnoreCase(etag) && s.state.equals("OPEN") && s.created != null && s.created.isAfter(oldest)) {
          return s;
        }
      }
    }
    return null;
  }

  int verifyingReplies(long size) {
    Map.Entry<Long, Integer> e = verifyingBySize.floorEntry(size);
    return e == null ? 0 : e.getValue();
  }

  private Session session(Account a, String id, int version) {
    Session s = sessions.get(id);
    if (s == null || s.uid != a.uid() || s.version != version) throw sliceRefusal("preuploadID不存在");
    return s;
  }

  // ------------------------------------------------------------------ v2 slices

  /**
   * The gateway's refusal of chunked bodies (§8.18.2), when turned on ({@link #rejectChunked}):
   * the evidence is about large bodies (a 16 MiB slice), answered with an often empty HTTP 500;
   * where "large" starts is UNKNOWN, so the threshold is a setting ({@link #chunkedLimit}, default
   * 1 MiB) and a small chunked body is served.
   */
  private void rejectChunked(FakeRequest req) {
    List<Integer> chunks = req.recorded().getChunkSizes();
    boolean chunked = req.header("Content-Length") == null || (chunks != null && !chunks.isEmpty());
    if (chunked && rejectChunked && req.bodySize() > chunkedLimit) throw gateway500();
    if (failSlices.get() > 0 && failSlices.getAndDecrement() > 0) throw gateway500();
  }

  /** The upload gateway's empty HTTP 500 (it could not read the body, §3). */
  private RawResponse gateway500() {
    return new RawResponse(new MockResponse.Builder().code(500).setHeader("x-traceID", door.cloud().traceId())
        .body("").build());
  }

  /**
   * slice (§8.18.2). Errors for a bad sliceMD5, unknown preuploadID or sliceNo out of range are
   * UNKNOWN (§14.3); we answer code 1 with a short Chinese message. A re-sent slice overwrites.
   * The session's lock is held for the checks only: slices of one upload arriving on several
   * connections are hashed and written in parallel.
   */
  private JsonNode slice(FakeRequest req, Account a) throws IOException {
    rejectChunked(req);
    try (BodyBuffers.Lease body = bodies.lease(req)) {
      return slice(req, a, body, OpenMultipart.parse(req.header("Content-Type"), body.buf, body.length, multipartBareLf));
    }
  }

  private JsonNode slice(FakeRequest req, Account a, BodyBuffers.Lease body, Map<String, OpenMultipart.Part> parts)
      throws IOException {
    if (parts == null) throw fail("请求格式错误，需要multipart/form-data");
    for (String f : List.of("preuploadID", "sliceNo", "sliceMD5")) {
      if (!parts.containsKey(f)) throw fail(f + "不能为空");
    }
    OpenMultipart.Part data = parts.get("slice");
    if (data == null || data.filename() == null) throw fail("slice不能为空");
    Session s = session(a, parts.get("preuploadID").text(), 2);
    int no;
    try {
      no = Integer.parseInt(parts.get("sliceNo").text().trim());
    } catch (NumberFormatException e) {
      throw fail("sliceNo参数错误");
    }
    synchronized (s) {
      if (!s.state.equals("OPEN")) throw fail("上传任务已结束");
      if (no < 1 || no > s.sliceCount()) throw sliceRefusal("sliceNo超出范围");
      if (data.length() != s.expectedLength(no)) throw sliceRefusal("分片大小与sliceSize不一致");
    }
    String md5 = body.md5(data.offset(), data.length()); // mostly hashed while the body arrived
    if (!md5.equalsIgnoreCase(parts.get("sliceMD5").text().trim())) throw sliceRefusal("分片MD5校验失败");
    if (!s.file.write(no, data.length(), md5, UploadFile.of(data.buf(), data.offset(), data.length()))) {
      throw fail("上传任务已结束"); // completed (or failed) while this slice was checked
    }
    return null;
  }

  /**
   * upload_complete v2 (§8.18.3): missing slices → code 1; then {@link #verifyingReplies} answers
   * alternating {@code completed:false} and code 20103; then the MD5 check: mismatch → code 1
   * {@code 文件上传失败} (code UNKNOWN; {@code door.uploadFailedCode}, 1 by default) for good; success → completed + fileID, and the
   * same answer on every later call.
   */
  private JsonNode completeV2(FakeRequest req, Account a) {
    Session s = session(a, OpenWire.requireText(req, "preuploadID"), 2);
    synchronized (s) {
      if (s.state.equals("COMPLETED")) return completed(s.fileId, null);
      if (s.state.equals("FAILED")) throw OpenWire.error(s.failureCode, s.failure);
      requireAllSlices(s);
      if (s.verifyingLeft > 0) {
        s.verifyingLeft--;
        if (s.verifyingGiven++ % 2 == 1) throw OpenWire.error(20103, OpenWire.VERIFYING);
        ObjectNode d = OpenWire.object();
        d.put("completed", false);
        d.put("fileID", 0);
        return d;
      }
      finish(s);
      return completed(s.fileId, null);
    }
  }

  private static ObjectNode completed(long fileId, Boolean async) {
    ObjectNode d = OpenWire.object();
    if (async != null) d.put("async", async);
    d.put("completed", true);
    d.put("fileID", fileId);
    return d;
  }

  private void requireAllSlices(Session s) {
    if (s.file.count() != s.sliceCount()) throw sliceRefusal("分片未全部上传，请检查后重试");
  }

  /**
   * Verifies and places the file; marks the session COMPLETED or FAILED. The session file is the
   * whole upload already: only what the running MD5 has not covered is hashed here, and the file
   * is moved into the store, not copied.
   */
  private void finish(Session s) {
    long received = s.file.pieces().values().stream().mapToLong(UploadFile.Piece::length).sum();
    String md5 = s.file.complete(s.size, s.etag);
    boolean forcedFailure = failCompletes.get() > 0 && failCompletes.getAndDecrement() > 0;
    if (forcedFailure || !md5.equals(s.etag) || received != s.size) {
      s.state = "FAILED";
      s.failure = OpenWire.UPLOAD_FAILED;
      s.failureCode = door.uploadFailedCode;
      s.file.delete();
      throw OpenWire.error(s.failureCode, s.failure);
    }
    try {
      Blob blob = store().adoptFile(s.file.path(), s.size, md5);
      Node n = place(s.uid, s.parent, s.name, s.duplicate, blob);
      s.fileId = n.id();
      s.state = "COMPLETED";
    } catch (OpenWire.OpenError e) {
      s.state = "FAILED";
      s.failure = e.getMessage();
      s.failureCode = e.code;
      throw e;
    } finally {
      s.file.delete(); // gone already when the store took it
    }
  }

  // ------------------------------------------------------------------ single, sha1

  /** single/create (§8.18.5): multipart, file part {@code file}, ≤ 1 GiB, MD5 and size checked. */
  private JsonNode single(FakeRequest req, Account a) {
    rejectChunked(req);
    try (BodyBuffers.Lease body = bodies.lease(req)) {
      return single(req, a, body, OpenMultipart.parse(req.header("Content-Type"), body.buf, body.length, multipartBareLf));
    }
  }

  private JsonNode single(FakeRequest req, Account a, BodyBuffers.Lease body, Map<String, OpenMultipart.Part> parts) {
    if (parts == null) throw fail("请求格式错误，需要multipart/form-data");
    for (String f : List.of("parentFileID", "filename", "etag", "size")) {
      if (!parts.containsKey(f)) throw fail(f + "不能为空");
    }
    OpenMultipart.Part file = parts.get("file");
    if (file == null || file.filename() == null) throw fail("file不能为空");
    long parent;
    long size;
    Long duplicate = null;
    try {
      parent = Long.parseLong(parts.get("parentFileID").text().trim());
      size = Long.parseLong(parts.get("size").text().trim());
    } catch (NumberFormatException e) {
      throw fail("参数格式错误");
    }
    if (parts.containsKey("duplicate")) {
      Long d;
      try {
        d = Long.parseLong(parts.get("duplicate").text().trim());
      } catch (NumberFormatException e) {
        d = null;
      }
      duplicate = swapped(duplicate(d));
    }
    String etag = parts.get("etag").text().trim();
    if (!MD5.matcher(etag).matches()) throw fail("etag格式错误");
    checkSize(size, MAX_SINGLE);
    boolean containDir = parts.containsKey("containDir") && "true".equalsIgnoreCase(parts.get("containDir").text().trim());
    Target t = target(a, parent, parts.get("filename").text(), containDir);
    precheckClash(a.uid(), t.parent(), t.name(), duplicate);
    door.checkSpace(a.uid(), size);
    if (file.length() != size || !body.md5(file.offset(), file.length()).equalsIgnoreCase(etag)) {
      throw OpenWire.error(door.uploadFailedCode, OpenWire.UPLOAD_FAILED);
    }
    Blob blob = store().putBlob(new java.io.ByteArrayInputStream(file.buf(), file.offset(), file.length()),
        etag.toLowerCase(Locale.ROOT)); // the check above hashed these very bytes
    Node n = place(a.uid(), t.parent(), t.name(), duplicate, blob);
    ObjectNode d = OpenWire.object();
    d.put("fileID", n.id());
    d.put("completed", true);
    return d;
  }

  /** sha1_reuse (§8.18.6): instant upload by SHA-1 + size. */
  private JsonNode sha1Reuse(FakeRequest req, Account a) {
    long parent = OpenWire.requireLong(req, "parentFileID");
    String filename = OpenWire.requireText(req, "filename");
    String sha1 = OpenWire.requireText(req, "sha1");
    long size = OpenWire.requireLong(req, "size");
    Long duplicate = duplicate(req);
    if (!SHA1.matcher(sha1).matches()) throw fail("sha1格式错误");
    checkSize(size, MAX_SIZE);
    Target t = target(a, parent, filename, false);
    Optional<Blob> known = store().blobBySha1(sha1, size);
    ObjectNode d = OpenWire.object();
    if (known.isEmpty()) {
      d.put("fileID", 0);
      d.put("reuse", false);
      return d;
    }
    precheckClash(a.uid(), t.parent(), t.name(), duplicate);
    door.checkSpace(a.uid(), size);
    Node n = place(a.uid(), t.parent(), t.name(), duplicate, known.get());
    d.put("fileID", n.id());
    d.put("reuse", true);
    return d;
  }

  // ------------------------------------------------------------------ v1

  /** get_upload_url (§8.19): a presigned PUT URL on the CDN host, no auth needed there. */
  private JsonNode uploadUrl(FakeRequest req, Account a) {
    Session s = session(a, OpenWire.requireText(req, "preuploadID"), 1);
    long no = OpenWire.requireLong(req, "sliceNo");
    synchronized (s) {
      if (!s.state.equals("OPEN")) throw fail("上传任务已结束");
      if (no < 1 || no > Math.max(1, s.sliceCount())) throw sliceRefusal("sliceNo超出范围");
    }
    String key = OpenTokens.random(24);
    java.time.Duration ttl = v1PartUrlLifetime;
    String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=" + ttl.toSeconds()
        + "&X-Amz-Signature=" + OpenTokens.random(16);
    presigned.put(key, new Presigned(s.id, (int) no, door.cloud().now().plus(ttl), query));
    ObjectNode d = OpenWire.object();
    d.put("presignedURL", door.cloud().baseUrl("cdn") + "/open-v1-put/" + key + "?" + query);
    d.put("isMultipart", s.sliceCount() > 1);
    return d;
  }

  /**
   * The presigned PUT (object storage, not the API): the URL exactly as issued (a query changed or
   * dropped is a signature that does not match: 403, as S3 answers), raw bytes, Content-Length
   * required (411 otherwise), no Authorization header allowed (400, as S3 answers a second auth
   * mechanism), and no Platform header either: 123's docs say the part PUT carries neither of the
   * API's headers. What the storage answers a Platform header is UNKNOWN; the fake refuses it with
   * 403 {@code AccessDenied}, as object storage answers a request the URL was not issued for, so a
   * client that sends the API's headers everywhere finds out here. 200 with an empty body.
   */
  private MockResponse presignedPut(FakeRequest req) throws IOException {
    String resource = req.url().encodedPath();
    String key = req.path().substring("/open-v1-put/".length());
    Presigned ref = presigned.get(key);
    Session s = ref == null ? null : sessions.get(ref.session());
    if (s == null) return S3Errors.reply(403, "AccessDenied", "Request has expired or signature does not match", resource);
    if (!ref.query().equals(req.url().encodedQuery())) {
      return S3Errors.reply(403, "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided. Check your key and signing method.", resource);
    }
    if (!door.cloud().now().isBefore(ref.expiresAt())) return S3Errors.reply(403, "AccessDenied", "Request has expired", resource);
    if (req.header("Authorization") != null) {
      return S3Errors.reply(400, "InvalidArgument", "Only one auth mechanism allowed", resource);
    }
    if (req.header("Platform") != null) {
      return S3Errors.reply(403, "AccessDenied", "There were headers present in the request which were not signed: platform", resource);
    }
    List<Integer> chunks = req.recorded().getChunkSizes();
    if (req.header("Content-Length") == null || (chunks != null && !chunks.isEmpty())) {
      return S3Errors.reply(411, "MissingContentLength", "You must provide the Content-Length HTTP header.", resource);
    }
    int no = ref.no();
    long length = req.bodySize();
    synchronized (s) {
      if (!s.state.equals("OPEN")) return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist.", resource);
      if (length != s.expectedLength(no)) {
        return S3Errors.reply(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", resource);
      }
    }
    // Hashed and written from where the body is held (no copy into another array).
    UploadFile.Bytes body = UploadFile.body(req);
    String md5 = body.md5();
    if (!s.file.write(no, length, md5, body)) {
      return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist.", resource);
    }
    return new MockResponse.Builder().code(200).setHeader("ETag", "\"" + md5 + "\"").body("").build();
  }


  /**
   * list_upload_parts (§8.19): {@code partNumber} as a string, as in the doc example (the table
   * says number; §12.9); empty for single-part files.
   */
  private JsonNode listParts(FakeRequest req, Account a) {
    Session s = session(a, OpenWire.requireText(req, "preuploadID"), 1);
    ObjectNode d = OpenWire.object();
    ArrayNode parts = d.putArray("parts");
    synchronized (s) {
      if (s.sliceCount() > 1) {
        for (Map.Entry<Integer, UploadFile.Piece> e : s.file.pieces().entrySet()) {
          ObjectNode p = parts.addObject();
          p.put("partNumber", Integer.toString(e.getKey()));
          p.put("size", e.getValue().length());
          p.put("etag", e.getValue().md5());
        }
      }
    }
    return d;
  }

  /**
   * upload_complete v1: single-part files finish at once ({@code async:false}); multipart ones
   * answer {@code async:true} and finish through upload_async_result after {@link #asyncReplies}
   * polls.
   */
  private JsonNode completeV1(FakeRequest req, Account a) {
    Session s = session(a, OpenWire.requireText(req, "preuploadID"), 1);
    synchronized (s) {
      if (s.state.equals("COMPLETED")) return completed(s.fileId, false);
      if (s.state.equals("FAILED")) throw OpenWire.error(s.failureCode, s.failure);
      requireAllSlices(s);
      if (s.sliceCount() > 1) {
        if (s.asyncLeft < 0) s.asyncLeft = asyncReplies;
        ObjectNode d = OpenWire.object();
        d.put("async", true);
        d.put("completed", false);
        d.put("fileID", 0);
        return d;
      }
      finish(s);
      return completed(s.fileId, false);
    }
  }

  private JsonNode asyncResult(FakeRequest req, Account a) {
    Session s = session(a, OpenWire.requireText(req, "preuploadID"), 1);
    synchronized (s) {
      if (s.state.equals("COMPLETED")) return completed(s.fileId, null);
      if (s.state.equals("FAILED")) throw OpenWire.error(s.failureCode, s.failure);
      if (s.asyncLeft < 0) throw fail("请先调用upload_complete");
      if (s.asyncLeft > 0) {
        s.asyncLeft--;
        ObjectNode d = OpenWire.object();
        d.put("completed", false);
        d.put("fileID", 0);
        return d;
      }
      finish(s);
      return completed(s.fileId, null);
    }
  }

}
