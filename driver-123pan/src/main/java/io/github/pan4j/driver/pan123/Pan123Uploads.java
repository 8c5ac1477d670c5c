package io.github.pan4j.driver.pan123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.http.ApiCall;
import io.github.pan4j.core.spi.http.ApiResponse;
import io.github.pan4j.core.spi.http.PartUploader;
import io.github.pan4j.core.spi.http.RequestContent;
import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.driver.common123.web.WebApi;
import io.github.pan4j.driver.common123.web.WebItems;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Uploads through the web API (docs/protocol/123web.md §5.9): MD5 first, then {@code upload_request};
 * instant upload when the server already has the content; in the legacy STS mode (temporary S3
 * credentials in the reply) the bytes go by S3 calls ({@link Pan123StsTransfer}) and
 * {@code upload_complete {"fileId"}} finishes; else presigned multipart parts of the
 * server's {@code SliceSize}, URLs fetched in batches of ten, PUT by {@code uploadThreads}
 * workers streaming straight from the source (no part is held in memory), a 403 refreshing that
 * batch's URLs once per expiry (single-flight) and bounded retries per part; then
 * {@code upload_complete/v2} and a check of the stored entry's size and MD5 before success.
 */
final class Pan123Uploads {
  static final long DEFAULT_SLICE = 16L << 20;
  static final int BATCH = 10;
  static final int MAX_PARTS = 10_000;
  static final int PART_ATTEMPTS = 4;

  private final Pan123Driver driver;
  private final WebApi api;
  private final PartUploader uploader;
  private final Pan123StsTransfer sts;

  Pan123Uploads(Pan123Driver driver, WebApi api, DriverContext context, int threads) {
    this.driver = driver;
    this.api = api;
    RetryPolicy retry = RetryPolicy.of(PART_ATTEMPTS, Duration.ofSeconds(1), Duration.ofSeconds(8), context.sleeper());
    this.uploader = PartUploader.of(Pan123Provider.ID, context.executor(), threads, retry, context.clock());
    this.sts = new Pan123StsTransfer(api.engine(), uploader, retry, context.clock());
  }

  /** Longest name the web API accepts: it refuses 128 characters or more (docs/protocol/123web.md §5.5). */
  static final int MAX_NAME = 127;

  /**
   * Refuses names the server would refuse with 5064 (docs/protocol/123web.md §5.5: no
   * {@code \ / : * ? " < > |}, not blank, fewer than 128 characters), before anything is hashed or sent.
   * Used by upload, mkdir and rename.
   */
  static void checkName(String name, String operation, String target) {
    String problem = null;
    if (name == null || name.isBlank()) problem = "the name is blank";
    else if (name.length() > MAX_NAME) {
      problem = "the name has " + name.length() + " characters; the 123云盘 web API accepts at most " + MAX_NAME
          + " (fewer than 128); choose a shorter name";
    }
    else if (name.chars().anyMatch(c -> "\\/:*?\"<>|".indexOf(c) >= 0)) problem = "the name contains one of \\ / : * ? \" < > |";
    else if (name.equals(".") || name.equals("..")) problem = "'.' and '..' are not names";
    else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) problem = "the name contains a control character";
    if (problem != null) {
      throw DriveException.builder(ErrorKind.INVALID_NAME, problem).driver(Pan123Provider.ID).operation(operation)
          .target(target).build();
    }
  }

  /**
   * The account's space is full (upload_request refused with a text of 空间不足 or 容量): says how
   * full from a fresh user/info (asked once: failing or rate-limited, the error comes at once
   * without the figures), keeping 123's code, text and trace id. Nothing was stored; not retried.
   */
  private DriveException spaceFull(DriveException refused, String target, long size) {
    return spaceFull(driver, refused, "upload", target, "this file needs " + size, "upload again. Nothing was stored");
  }

  /**
   * A write refused because the account's space is full (an upload, a copy), in one set of words:
   * the figures from a fresh user/info (with {@code needs}, e.g. "this file needs 2000", when the
   * size is known, else null), what to free, then {@code after} (what to do next and what was left
   * undone). Keeps 123's code, text and trace id; not retryable.
   */
  static DriveException spaceFull(Pan123Driver driver, DriveException refused, String operation, String target,
      String needs, String after) {
    long used = -1;
    long total = 0;
    try {
      StorageDetails d = driver.storageDetailsOnce(); // once: a rate-limited look gives no figures rather than a wait
      used = d.usedBytes();
      total = d.totalBytes();
    } catch (DriveException e) {
      // The figures are a courtesy; the refusal stands without them.
    }
    return Outcomes.spaceFull(Pan123Provider.ID, refused, operation, target, used, total, needs, after);
  }

  /** Reports phases and progress; {@code completed}/{@code failed} are the caller's (see {@link io.github.pan4j.core.spi.Driver.Upload}). */
  Entry upload(long parent, String name, UploadSource source, UploadOptions options) {
    UploadListener listener = options.listener();
    Entry e = doUpload(parent, name, source, options.conflict(), listener);
    listener.phase(new UploadProgress(UploadPhase.DONE, e.size(), e.size(), false));
    return e;
  }

  private Entry doUpload(long parent, String name, UploadSource source, ConflictPolicy conflict, UploadListener listener) {
    String target = parent + "/" + name;
    checkName(name, "upload", target);
    // The web protocol needs only the MD5 (no SHA-1, no per-part MD5): one read for it, one to send.
    Hashes hashes = source.hashes(listener, false, 0);
    long size = source.size();
    String md5 = hashes.md5();
    if (conflict == ConflictPolicy.FAIL && driver.childNamed(parent, name, "upload").isPresent()) {
      throw DriveException.builder(ErrorKind.ALREADY_EXISTS, "the folder already has an entry of that name; nothing was"
              + " uploaded (choose KEEP_BOTH or OVERWRITE to upload anyway)")
          .driver(Pan123Provider.ID).operation("upload").target(target).build();
    }
    listener.phase(new UploadProgress(UploadPhase.PREPARING, 0, size, false));
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("driveId", 0);
    req.put("duplicate", switch (conflict) {
      case FAIL -> 0;
      case KEEP_BOTH -> 1;
      case OVERWRITE -> 2;
    });
    req.put("etag", md5);
    req.put("fileName", name);
    req.put("parentFileId", Long.toString(parent));
    req.put("size", size);
    req.put("type", 0);
    JsonNode data;
    try {
      data = api.post("upload", target, "file/upload_request", req, false);
    } catch (DriveException e) {
      if (Outcomes.spaceFull(e)) throw spaceFull(e, target, size);
      // A lost reply, a dropped connection or a gateway error: when 123 knew the content it stored
      // the file right then (instant upload). Under FAIL (the name was free before) and OVERWRITE a
      // file of this name, size and MD5 is this upload; KEEP_BOTH cannot tell it from another copy.
      if (!Outcomes.unknown(e)) throw e;
      if (conflict == ConflictPolicy.KEEP_BOTH) {
        // Not retryable as it stands: a retry could store a second renamed copy.
        throw Outcomes.mayHaveTakenEffect(e, "stored the file under a new name (when it already had the content)",
            "look in the folder for a renamed copy");
      }
      Optional<JsonNode> ours;
      try {
        ours = driver.childNamed(parent, name, "upload").filter(c -> !WebItems.isFolder(c)
            && md5.equalsIgnoreCase(String.valueOf(WebItems.text(c, "Etag"))) && WebItems.number(c, "Size", -1) == size);
      } catch (DriveException lookup) {
        throw Outcomes.lookFailed(e, lookup);
      }
      if (ours.isEmpty()) throw e;
      listener.progressed(new UploadProgress(UploadPhase.PREPARING, size, size, true));
      return verify(WebItems.fileId(ours.get()), parent, name, md5, size, target, listener);
    }
    String key = WebItems.text(data, "Key");
    if (WebItems.bool(data, "Reuse") || key == null || key.isEmpty()) {
      listener.progressed(new UploadProgress(UploadPhase.PREPARING, size, size, true));
      JsonNode info = WebItems.field(data, "Info");
      long fid = info != null ? WebItems.fileId(info) : 0;
      if (fid <= 0) fid = WebItems.number(data, "FileId", 0);
      return verify(fid, parent, name, md5, size, target, listener);
    }
    Pan123StsTransfer.Grant grant = Pan123StsTransfer.Grant.of(data, target); // null: presigned mode
    if (grant != null) {
      long slice = sliceSize(data);
      checkPartCount(size, slice, target);
      sts.transfer(grant, slice, size, source, listener, target);
      listener.phase(new UploadProgress(UploadPhase.COMPLETING, size, size, false));
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("fileId", WebItems.number(data, "FileId", 0));
      return finish("file/upload_complete", done, parent, name, md5, size, target, listener);
    }
    Session s = new Session(WebItems.text(data, "Bucket"), key, WebItems.text(data, "UploadId"),
        WebItems.text(data, "StorageNode"), WebItems.number(data, "FileId", 0), sliceSize(data), size, target);
    if (s.bucket == null || s.uploadId == null || s.uploadId.isEmpty()) {
      throw DriveException.builder(ErrorKind.PROTOCOL, "upload_request answered without Bucket/UploadId")
          .driver(Pan123Provider.ID).operation("upload").target(target).traceId(null).build();
    }
    transfer(s, source, listener);
    listener.phase(new UploadProgress(UploadPhase.COMPLETING, size, size, false));
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("StorageNode", s.storageNode);
    done.put("bucket", s.bucket);
    done.put("fileId", s.fileId);
    done.put("fileSize", size);
    done.put("isMultipart", s.parts > 1);
    done.put("key", s.key);
    done.put("uploadId", s.uploadId);
    return finish("file/upload_complete/v2", done, parent, name, md5, size, target, listener);
  }

  /**
   * Finishes an upload whose bytes are all at 123 ({@code upload_complete/v2} in presigned mode,
   * {@code upload_complete {"fileId"}} in STS mode) and checks the stored file.
   */
  private Entry finish(String endpoint, Map<String, Object> done, long parent, String name, String md5, long size,
      String target, UploadListener listener) {
    JsonNode completed;
    try {
      completed = api.post("upload", target, endpoint, done, false);
    } catch (DriveException e) {
      // A refusal stands. After a gateway error, a dropped connection, a lost or cut reply, 123 may
      // or may not have assembled the file; the parts are all there, so ask once more for the same
      // upload. If that fails too, the folder tells whether the file was stored.
      if (!Outcomes.unknown(e)) throw e;
      try {
        completed = api.post("upload", target, endpoint, done, false);
      } catch (DriveException again) {
        DriveException cancel = Outcomes.cancelledMeanwhile(e, again); // the caller stopped the upload: no look
        if (cancel != null) throw cancel;
        try {
          return verify(0, parent, name, md5, size, target, listener);
        } catch (DriveException notStored) {
          DriveException stopped = Outcomes.cancelledMeanwhile(e, notStored);
          if (stopped != null) throw stopped;
          // verify's INTEGRITY: the folder was read and the file is not there. Then a definite answer
          // to the repeat (the upload is unknown, a size refused) says more than the first failure
          // did. When the folder could not be read, the first completion may have stored the file,
          // and the repeat's refusal ("no such upload": the session is over) would wrongly say
          // nothing was stored: the first failure stands, told as one that may have stored the
          // file (Outcomes.lookFailed), with the repeat's answer and the look's.
          if (notStored.kind() != ErrorKind.INTEGRITY) {
            DriveException told = Outcomes.lookFailed(e, notStored);
            told.addSuppressed(again);
            throw told;
          }
          DriveException reported = !again.retryable() && !Outcomes.unknown(again) ? again : e;
          reported.addSuppressed(reported == e ? again : e);
          throw reported;
        }
      }
    }
    JsonNode info = WebItems.field(completed, "file_info");
    long fid = info != null ? WebItems.fileId(info) : 0;
    return verify(fid, parent, info != null && WebItems.text(info, "FileName") != null ? WebItems.text(info, "FileName") : name,
        md5, size, target, listener);
  }

  /** Refuses a file that needs more than {@value #MAX_PARTS} parts of {@code slice} bytes. */
  static void checkPartCount(long size, long slice, String target) {
    long n = Math.max(1, (size + slice - 1) / slice);
    if (n > MAX_PARTS) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the file needs " + n + " parts of " + slice
              + " bytes; 123 accepts at most " + MAX_PARTS)
          .driver(Pan123Provider.ID).operation("upload").target(target).build();
    }
  }

  private long sliceSize(JsonNode data) {
    long v = WebItems.number(data, "SliceSize", 0);
    return v > 0 ? v : DEFAULT_SLICE;
  }

  /** Looks the stored file up fresh and checks it against the source. */
  private Entry verify(long fid, long parent, String name, String md5, long size, String target, UploadListener listener) {
    listener.phase(new UploadProgress(UploadPhase.VERIFYING, 0, size, false));
    Optional<JsonNode> item = fid > 0
        ? Outcomes.readBack(() -> driver.find(fid, "upload"), "the upload (123 stored it as id " + fid + ")") : Optional.empty();
    if (item.isEmpty()) {
      // Reuse with FileId 0 (RC's observation) or a complete reply without file_info: find it by listing.
      JsonNode best = null;
      for (JsonNode c : driver.listItems(parent, "upload", target)) {
        if (WebItems.isFolder(c) || WebItems.isTrashed(c)) continue;
        if (!md5.equalsIgnoreCase(String.valueOf(WebItems.text(c, "Etag"))) || WebItems.number(c, "Size", -1) != size) continue;
        if (name.equals(WebItems.text(c, "FileName"))) {
          best = c;
          break;
        }
        if (best == null || WebItems.fileId(c) > WebItems.fileId(best)) best = c;
      }
      item = Optional.ofNullable(best);
    }
    if (item.isEmpty()) {
      throw DriveException.builder(ErrorKind.INTEGRITY, "the server reported the upload as done but the file is not in the"
              + " folder; it was not stored — upload again")
          .driver(Pan123Provider.ID).operation("upload").target(target).build();
    }
    Entry e = WebItems.toEntry(item.get(), Pan123Provider.ID, "upload");
    if (e.folder() || e.size() != size || e.hashes().md5() == null || !e.hashes().md5().equalsIgnoreCase(md5)) {
      throw DriveException.builder(ErrorKind.INTEGRITY, "the stored file does not match the source (stored " + e.size()
              + " bytes, md5 " + e.hashes().md5() + "; sent " + size + " bytes, md5 " + md5 + ")")
          .driver(Pan123Provider.ID).operation("upload").target(target).build();
    }
    listener.progressed(new UploadProgress(UploadPhase.VERIFYING, size, size, false));
    return e;
  }

  // ------------------------------------------------------------------ presigned parts

  private void transfer(Session s, UploadSource source, UploadListener listener) {
    listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, s.size, false));
    uploader.upload(s.target, s.size, s.slice, part -> putPart(s, source, part),
        done -> listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, s.size, false)));
  }

  /**
   * PUTs one part to its presigned URL, streaming it from the source (no part is held in memory).
   * A 403 means the batch's URLs expired: they are fetched again (once per expiry, whichever
   * worker sees it first) and the part is retried by the uploader with the new URL.
   */
  private void putPart(Session s, UploadSource source, PartUploader.Part part) {
    int p = part.number();
    Batch batch = s.batch(p);
    Batch.Ticket ticket = batch.ticket(p);
    ApiResponse r = api.engine().exchange(ApiCall.builder("upload", "PUT", null).url(ticket.url())
        .target(s.target + " part " + p).authenticated(false).deadline(PartUploader.PART_DEADLINE)
        .body(RequestContent.stream(null, part.length(), () -> source.open(part.offset(), part.length()))).build());
    if (r.status() == 200) return;
    String body = r.snippet(200);
    if (r.status() == 403) {
      batch.refreshed(p, ticket);
      throw DriveException.builder(ErrorKind.EXPIRED, "part " + p + " was refused (HTTP 403) even with fresh upload URLs")
          .driver(Pan123Provider.ID).operation("upload").target(s.target).providerCode(403)
          .providerMessage(body.isEmpty() ? null : body).retryable(true).build();
    }
    throw DriveException.builder(r.status() >= 500 ? ErrorKind.PROVIDER_ERROR : ErrorKind.PROTOCOL,
            "part " + p + " upload answered HTTP " + r.status())
        .driver(Pan123Provider.ID).operation("upload").target(s.target).providerCode(r.status())
        .providerMessage(body.isEmpty() ? null : body).retryable(r.status() >= 500).build();
  }

  /** One presigned multipart session. */
  private final class Session {
    final String bucket;
    final String key;
    final String uploadId;
    final String storageNode;
    final long fileId;
    final long slice;
    final long size;
    final int parts;
    final String target;
    private final Map<Integer, Batch> batches = new HashMap<>();

    Session(String bucket, String key, String uploadId, String storageNode, long fileId, long slice, long size, String target) {
      this.bucket = bucket;
      this.key = key;
      this.uploadId = uploadId;
      this.storageNode = storageNode;
      this.fileId = fileId;
      this.slice = slice;
      this.size = size;
      this.target = target;
      checkPartCount(size, slice, target);
      this.parts = PartUploader.partCount(size, slice);
    }

    long partOffset(int part) {
      return (part - 1) * slice;
    }

    long partLength(int part) {
      return Math.min(slice, size - partOffset(part));
    }

    synchronized Batch batch(int part) {
      int start = ((part - 1) / BATCH) * BATCH + 1;
      return batches.computeIfAbsent(start, st -> new Batch(this, st, Math.min(st + BATCH, parts + 1)));
    }
  }

  /** The presigned URLs of parts {@code [start, end)}, fetched once and again after each expiry. */
  private final class Batch {
    record Ticket(String url, int generation) {}

    private final Session s;
    private final int start;
    private final int end;
    private Map<Integer, String> urls;
    private int generation;
    private int refreshes;
    /**
     * The answer that refused this batch's URLs for good (not retryable, e.g. a body that is not
     * the API's): the workers waiting for the same URLs take it instead of asking again.
     */
    private DriveException refused;

    Batch(Session s, int start, int end) {
      this.s = s;
      this.start = start;
      this.end = end;
    }

    synchronized Ticket ticket(int part) {
      if (refused != null) throw refused;
      if (urls == null) fetch();
      return new Ticket(url(part), generation);
    }

    /** New URLs unless another worker already refreshed after {@code stale} was handed out. */
    synchronized Ticket refreshed(int part, Ticket stale) {
      if (stale.generation() == generation) {
        if (++refreshes > PART_ATTEMPTS) {
          throw DriveException.builder(ErrorKind.EXPIRED, "the upload URLs of parts " + start + "–" + (end - 1)
                  + " keep being refused")
              .driver(Pan123Provider.ID).operation("upload").target(s.target).build();
        }
        fetch();
      }
      return new Ticket(url(part), generation);
    }

    private String url(int part) {
      String u = urls.get(part);
      if (u == null) {
        throw DriveException.builder(ErrorKind.PROTOCOL, "the server sent no upload URL for part " + part)
            .driver(Pan123Provider.ID).operation("upload").target(s.target).build();
      }
      return u;
    }

    private void fetch() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("bucket", s.bucket);
      body.put("key", s.key);
      body.put("partNumberEnd", end);
      body.put("partNumberStart", start);
      body.put("uploadId", s.uploadId);
      body.put("StorageNode", s.storageNode);
      String endpoint = s.parts == 1 ? "file/s3_upload_object/auth" : "file/s3_repare_upload_parts_batch";
      JsonNode data;
      try {
        data = api.post("upload", s.target, endpoint, body, true);
      } catch (DriveException e) {
        if (!e.retryable() && e.kind() != ErrorKind.CANCELLED) refused = e;
        throw e;
      }
      JsonNode presigned = WebItems.field(data, "presignedUrls");
      Map<Integer, String> m = new HashMap<>();
      if (presigned != null && presigned.isObject()) {
        presigned.fields().forEachRemaining(e -> {
          try {
            m.put(Integer.parseInt(e.getKey().trim()), e.getValue().asText());
          } catch (NumberFormatException ignored) {
            // not a part number
          }
        });
      }
      urls = m;
      generation++;
    }
  }
}
