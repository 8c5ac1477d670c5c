package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.http.ApiCall;
import io.github.pan4j.core.spi.http.ApiResponse;
import io.github.pan4j.core.spi.http.PartUploader;
import io.github.pan4j.core.spi.http.RequestContent;
import io.github.pan4j.core.spi.http.RequestContent.FormPart;
import okhttp3.HttpUrl;

/**
 * Upload v2 (docs/protocol/123open.md §8.18): files up to {@code singleUploadMax} in one
 * {@code single/create} request; larger ones (and hash-only sources) by SHA-1 reuse when the source
 * already carries a SHA-1, then {@code create} (instant upload when 123 already has the MD5), else slices of the server's {@code sliceSize} sent in parallel with a known
 * Content-Length, {@code upload_complete} polled until a deadline, and a final check of the stored
 * file's size and MD5. Memory is bounded by {@code uploadThreads × sliceSize}.
 */
final class Open123Uploads {
  /** The platform's per-file limit for developers (docs/protocol/123open.md §7.3: "10 GB"; taken as 10 GiB). */
  static final long MAX_SIZE = 10L << 30;
  /** Attempts per slice (the same bytes are re-sent). */
  static final int SLICE_ATTEMPTS = 4;
  /** The single-step upload's limit (docs/protocol/123open.md §7.3: "1 GB"; taken as 1 GiB, as the fake does). */
  static final long MAX_SINGLE = 1L << 30;
  /**
   * Files up to this size go up in one {@code single/create} request by default (1 MiB). It saves
   * {@code create} (one a second on the free tier), the slice request, the completion polls and the
   * slice MD5 of the hashing pass. What it gives up is {@code create}'s instant upload: the bytes
   * are sent even when 123 already stores the content, which for 1 MiB costs at most about a second
   * on a slow (1 MB/s) uplink. Larger files keep create first (instant when 123 knows the MD5),
   * then parallel, separately retried slices. Any file up to one slice (16 MiB) could go either way
   * without losing parallelism: users who rarely upload content 123 already has may raise it.
   */
  static final long DEFAULT_SINGLE_MAX = 1L << 20;
  /** The slice size hashed for before 123 has named one: 16 MiB, the protocol's example, which every observer reports. */
  static final long SLICE_HINT = 16L << 20;
  /** Attempts of a single-step upload whose reply was lost, when repeating it is safe. */
  static final int SINGLE_ATTEMPTS = 3;

  private final Open123Driver driver;
  private final Open123Api api;
  private final Open123Config config;
  private final PartUploader uploader;
  /**
   * The slice size to hash for before {@code create} names it: the last one 123 gave (16 MiB by
   * the protocol's example, which every observer reports). When 123 names another size, each
   * slice's MD5 is computed by reading that slice once more before sending it.
   */
  private final java.util.concurrent.atomic.AtomicLong sliceHint = new java.util.concurrent.atomic.AtomicLong(SLICE_HINT);
  /**
   * The upload host from {@code GET upload/v2/file/domain}, asked once per driver and forgotten
   * when a request to it fails without an answer (the next upload asks again); null until asked.
   */
  private volatile String uploadHost;

  Open123Uploads(Open123Driver driver, Open123Api api, Open123Config config, DriverContext context) {
    this.driver = driver;
    this.api = api;
    this.config = config;
    this.uploader = PartUploader.of(Open123Provider.ID, context.executor(), config.uploadThreads(),
        api.retry().withMaxAttempts(SLICE_ATTEMPTS), context.clock());
  }

  /**
   * Starts the hashing pass {@link #upload} will ask for (whole MD5 and the MD5 of each slice of the
   * expected size), so that it overlaps the folder lookup and the name check.
   */
  void prepare(UploadSource source) {
    prefetch(source, sliceDigests());
  }

  /**
   * The slice size whose MD5s an upload needs before sending: v2 sends each slice's MD5 with it;
   * v1 sends parts without one, and hashes only the parts 123 already holds when resuming (0).
   */
  private long sliceDigests() {
    return sliceDigests(config, sliceHint.get());
  }

  /** As {@link #sliceDigests()} for a driver of {@code config} expecting slices of {@code hint}. */
  static long sliceDigests(Open123Config config, long hint) {
    return usesV1(config) ? 0 : hint;
  }

  /** Whether uploads go through the v1 protocol (presigned parts) rather than v2. */
  private static boolean usesV1(Open123Config config) {
    return "v1".equals(config.uploadApi());
  }

  /** The hashing pass an upload asks for: whole MD5 (no SHA-1) and the MD5s of slices of {@code sliceSize}. */
  static void prefetch(UploadSource source, long sliceSize) {
    if (source.hasBytes()) source.prefetchHashes(false, sliceSize);
  }

  /** Reports phases and progress; {@code completed}/{@code failed} are the caller's (see {@link io.github.pan4j.core.spi.Driver.Upload}). */
  Entry upload(String parentId, String name, UploadSource source, UploadOptions options) {
    UploadListener listener = options.listener();
    Entry e = doUpload(parentId, name, source, options.conflict(), listener);
    safe(() -> listener.phase(new UploadProgress(UploadPhase.DONE, e.size(), e.size(), false)));
    return e;
  }

  private Entry doUpload(String parentId, String name, UploadSource source, ConflictPolicy conflict,
      UploadListener listener) {
    Open123Errors.checkName(name, "upload", name);
    long parent = Open123Errors.id(parentId, "upload");
    // No SHA-1 is computed: create does instant upload by MD5 anyway, so sha1_reuse is only worth
    // its request when the source already carries a SHA-1 (a hash-only source, known hashes).
    source.planHashes(false, sliceDigests());
    long size = source.size(listener); // a stream is read (and hashed) here: the caller sees it advance
    if (size > MAX_SIZE) {
      throw fail(ErrorKind.INVALID_ARGUMENT, name, "the file has " + size + " bytes; 123 Open accepts at most 10 GiB ("
          + MAX_SIZE + " bytes) per file; nothing was sent");
    }
    if (size == 0) {
      throw fail(ErrorKind.INVALID_ARGUMENT, name, "123 Open does not store empty (0-byte) files; nothing was sent");
    }
    if (conflict == ConflictPolicy.FAIL && driver.findChild(parent, name) != null) {
      throw fail(ErrorKind.ALREADY_EXISTS, name,
          "an entry with this name already exists in the folder; choose KEEP_BOTH or OVERWRITE, or another name");
    }
    try {
      return send(parent, name, source, size, conflict, listener);
    } catch (DriveException e) {
      if (Outcomes.spaceFull(e)) throw Open123SpaceFull.error(api, e, "upload", name, "this file", size);
      throw e;
    }
  }

  /** The upload itself, once the name, the size and a FAIL clash are checked. */
  private Entry send(long parent, String name, UploadSource source, long size, ConflictPolicy conflict,
      UploadListener listener) {
    String knownSha1 = source.knownHashes().sha1();
    // Small files go up in one request (single/create); a hash-only source has no bytes to send.
    boolean single = source.hasBytes() && size <= config.singleUploadMax() && !usesV1(config);
    // One read: whole MD5 and (for v2 slices) the MD5 of each slice of the expected size.
    Hashes hashes = source.hashes(listener, false, single ? 0 : sliceDigests());
    Integer duplicate = switch (conflict) {
      case KEEP_BOTH -> 1;
      case OVERWRITE -> 2;
      case FAIL -> null;
    };
    safe(() -> listener.phase(new UploadProgress(UploadPhase.PREPARING, 0, size, false)));

    // 1. SHA-1 reuse, only with a SHA-1 the source brought: costs one call, sends no bytes.
    if (knownSha1 != null && !knownSha1.isEmpty()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("parentFileID", parent);
      body.put("filename", name);
      body.put("sha1", knownSha1.toLowerCase(java.util.Locale.ROOT));
      body.put("size", size);
      if (duplicate != null) body.put("duplicate", duplicate);
      try {
        JsonNode d = api.post("upload", name, Open123Limits.SHA1_REUSE, body, false);
        long fileId = d.path("fileID").asLong(0);
        if (d.path("reuse").asBoolean(false) && fileId > 0) {
          safe(() -> listener.progressed(new UploadProgress(UploadPhase.PREPARING, size, size, true)));
          return verify(fileId, name, size, hashes, listener);
        }
      } catch (DriveException e) {
        if (e.kind() != ErrorKind.PROVIDER_ERROR && e.kind() != ErrorKind.PROTOCOL) throw e;
        // SHA-1 reuse is optional; any provider refusal falls back to the MD5 path below.
      }
    }

    if (usesV1(config)) return v1(parent, name, source, size, hashes, duplicate, listener);
    if (single) {
      try {
        return single(parent, name, source, size, hashes, conflict, duplicate, listener);
      } catch (V2Refused refused) {
        // 123 refused its upload domain: the v2 hosts are closed to this account, v1 needs none.
        return v1(parent, name, source, size, hashes, duplicate, listener);
      }
    }

    // 2. create: instant upload by MD5, else an upload session.
    Created c = create(Open123Limits.CREATE, "create", parent, name, source, size, hashes, duplicate, listener);
    if (c.stored() != null) return c.stored();
    String preuploadId = c.preuploadId();
    long sliceSize = c.sliceSize();
    String server;
    try {
      server = server(c.data().path("servers"), name);
    } catch (V2Refused refused) {
      // The v2 session just created is left to expire; v1 needs no upload domain.
      return v1(parent, name, source, size, hashes, duplicate, listener);
    }

    // 3. slices, in parallel.
    transfer(server, preuploadId, sliceSize, name, source, size, listener);

    // 4. upload_complete until the server has verified the MD5.
    safe(() -> listener.phase(new UploadProgress(UploadPhase.COMPLETING, 0, size, false)));
    long completed = complete(preuploadId, name);
    return verify(completed, name, size, hashes, listener);
  }

  private String server(JsonNode servers, String name) {
    for (JsonNode n : servers) {
      if (!n.asText("").isBlank()) return normalizeHost(n.asText().trim());
    }
    return uploadHost(name);
  }

  /** The cached upload host, asked from {@code upload/v2/file/domain} when there is none. */
  private String uploadHost(String name) {
    String cached = uploadHost;
    if (cached != null) return cached;
    String s = null;
    {
      JsonNode domains;
      try {
        domains = api.get("upload", name, Open123Limits.DOMAIN, Map.of());
      } catch (DriveException e) {
        // "Refused": 123 answered the domain request with a business error or a 4xx (not a
        // transient failure, a throttle, a sign-in problem, a cancel, or a reply that is not
        // 123's JSON at all): the v2 path is closed.
        boolean refused = !e.retryable() && e.kind() != ErrorKind.UNAUTHENTICATED && e.kind() != ErrorKind.CANCELLED
            && e.kind() != ErrorKind.NETWORK && e.kind() != ErrorKind.RATE_LIMITED && e.kind() != ErrorKind.PROTOCOL;
        if (refused) throw new V2Refused(e);
        throw e;
      }
      for (JsonNode n : domains) {
        if (!n.asText("").isBlank()) {
          s = n.asText().trim();
          break;
        }
      }
      if (s == null) throw new V2Refused(null); // an empty list: no upload host to send slices to
    }
    String host = normalizeHost(s);
    uploadHost = host;
    return host;
  }

  /** A host string as 123 gives it, with a scheme (http:// when it has none, as rclone does) and no trailing slash. */
  private static String normalizeHost(String s) {
    if (!s.startsWith("http://") && !s.startsWith("https://")) s = "http://" + s;
    if (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s;
  }

  // ---------------------------------------------------------------- single-step upload

  /**
   * {@code single/create} (docs/protocol/123open.md §8.18.5): the whole file in one multipart
   * request of known length to the upload host, answered with the new file's id; then the usual
   * check of the stored file. 429 and a rejected token are repeated by the engine (123 did nothing).
   *
   * <p>A reply that never came or could not be read (dropped connection, 5xx, a gateway's HTML
   * page, a timeout) leaves open whether 123 stored the file, so the request is not simply sent
   * again. The host is forgotten (the next attempt asks the domain again), and then, by conflict
   * policy: FAIL and OVERWRITE look for the name in the folder — a file there with the source's size
   * and MD5 is the upload (under FAIL the name was free before) and is returned; otherwise the
   * request is repeated, which at worst lands on the same name again (FAIL: refused as taken,
   * then found; OVERWRITE: the same bytes overwrite themselves). KEEP_BOTH cannot tell its file
   * from a renamed copy, so it is repeated only when nothing was sent (the connection was never
   * made), else it fails saying the file may have been stored.
   */
  private Entry single(long parent, String name, UploadSource source, long size, Hashes hashes, ConflictPolicy conflict,
      Integer duplicate, UploadListener listener) {
    safe(() -> listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, size, false)));
    Instant deadline = api.clock().instant().plus(PartUploader.PART_DEADLINE);
    for (int attempt = 1; ; attempt++) {
      String host = uploadHost(name);
      String url = host + "/" + Open123Limits.SINGLE;
      if (HttpUrl.parse(url) == null) throw Open123Api.protocol("upload", name, "upload host '" + host + "' is not a URL", null);
      JsonNode d;
      try {
        d = api.call(singleCall(url, parent, name, source, size, hashes, duplicate));
      } catch (DriveException e) {
        if (e.kind() == ErrorKind.CANCELLED) throw e;
        boolean nothingSent = Outcomes.neverSent(e);
        if (!nothingSent && !Outcomes.unknown(e)) {
          // A definite answer. After a lost reply, a clash under FAIL may be our own earlier attempt.
          if (attempt > 1 && e.kind() == ErrorKind.ALREADY_EXISTS) {
            Entry ours = storedAlready(parent, name, size, hashes, listener, e);
            if (ours != null) return ours;
          }
          throw e;
        }
        if (host.equals(uploadHost)) uploadHost = null; // ask the domain again next time
        if (conflict != ConflictPolicy.KEEP_BOTH && !nothingSent) {
          Entry ours = storedAlready(parent, name, size, hashes, listener, e);
          if (ours != null) return ours;
        }
        Duration wait = api.retry().delayAfter(attempt, e);
        boolean repeatable = conflict != ConflictPolicy.KEEP_BOTH || nothingSent;
        if (!repeatable || attempt >= SINGLE_ATTEMPTS || api.clock().instant().plus(wait).isAfter(deadline)) {
          throw singleLost(e, name, conflict, nothingSent);
        }
        try {
          api.sleepUnlessClosed(wait); // closed meanwhile: the next attempt is refused as CANCELLED
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw fail(ErrorKind.CANCELLED, name, "upload cancelled by interrupt");
        }
        continue;
      }
      long fileId = d.path("fileID").asLong(0);
      if (!d.path("completed").asBoolean(false) || fileId <= 0) {
        throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "123 took the file in one request but did not confirm it"
                + " (completed=" + d.path("completed").asText("?") + ", fileID=" + fileId + "); check the folder before"
                + " uploading again")
            .driver(Open123Provider.ID).operation("upload").target(name).retryable(true).mayHaveTakenEffect(true).build();
      }
      safe(() -> listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, size, size, false)));
      return verify(fileId, name, size, hashes, listener);
    }
  }

  /** The single/create request: text fields first, then the file part (its length known, so Content-Length is sent). */
  private static ApiCall singleCall(String url, long parent, String name, UploadSource source, long size, Hashes hashes,
      Integer duplicate) {
    List<FormPart> parts = new java.util.ArrayList<>(6);
    parts.add(FormPart.field("parentFileID", String.valueOf(parent)));
    parts.add(FormPart.field("filename", name));
    parts.add(FormPart.field("etag", hashes.md5()));
    parts.add(FormPart.field("size", String.valueOf(size)));
    if (duplicate != null) parts.add(FormPart.field("duplicate", String.valueOf(duplicate)));
    parts.add(FormPart.file("file", name, RequestContent.stream("application/octet-stream", size, () -> source.open(0, size))));
    // Not idempotent: the engine neither repeats it nor lets OkHttp resend it; single() decides.
    return ApiCall.post("upload", Open123Limits.SINGLE).url(url).target(name).deadline(PartUploader.PART_DEADLINE)
        .body(RequestContent.multipart(parts)).build();
  }

  /**
   * The file at {@code name} when it has the source's size and MD5 (a single upload whose reply was
   * lost), else null; when the look itself fails, its failure is attached to {@code failure}.
   */
  private Entry storedAlready(long parent, String name, long size, Hashes hashes, UploadListener listener,
      DriveException failure) {
    Entry found;
    try {
      found = driver.findChild(parent, name);
    } catch (DriveException e) {
      DriveException cancel = Outcomes.cancelledMeanwhile(failure, e); // the caller stopped the upload while it looked
      if (cancel != null) throw cancel;
      failure.addSuppressed(e); // reported with the failure that made it look, if that is thrown
      return null; // cannot look: the caller decides as if nothing were there
    }
    return ours(found, name, size, hashes, listener);
  }

  /**
   * {@code found} (the entry of the upload's name, or null) when it is this upload's file: a file of
   * the source's size and MD5, verified as a finished upload is; else null.
   */
  private Entry ours(Entry found, String name, long size, Hashes hashes, UploadListener listener) {
    if (found == null || found.folder() || found.size() != size || found.hashes().md5() == null
        || !found.hashes().md5().equalsIgnoreCase(hashes.md5())) {
      return null;
    }
    safe(() -> listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, size, size, false)));
    return verify(Long.parseLong(found.id()), name, size, hashes, listener);
  }

  /**
   * After create (sent once) failed in a way that leaves open whether 123 acted on it (a lost
   * reply, a dropped connection, a gateway error): when 123 knew the content it stored the file
   * then (instant upload), and the caller's retry would meet its own file. Under FAIL (the name was
   * free before) and OVERWRITE, a file of the source's name, size and MD5 in the folder is this
   * upload and is returned. KEEP_BOTH cannot tell its file from another copy, so the failure says
   * a renamed copy may have been stored (not retryable), as it does when the look fails. Null:
   * nothing of ours is there, report the failure.
   */
  private Entry afterLostCreate(DriveException e, long parent, String name, long size, Hashes hashes, Integer duplicate,
      UploadListener listener) {
    return afterLost(e, parent, name, size, hashes, duplicate, listener,
        "stored the file under a new name (when it already had the content)");
  }

  /**
   * After a call that may have stored the file (create, v1's upload_complete) failed with an
   * unknown outcome: the file of the source's name, size and MD5 when it is there (verified), null
   * when it is not; under KEEP_BOTH ({@code keepBothEffect}) or when the look fails, the failure
   * says the file may have been stored.
   */
  private Entry afterLost(DriveException e, long parent, String name, long size, Hashes hashes, Integer duplicate,
      UploadListener listener, String keepBothEffect) {
    if (!Outcomes.unknown(e)) return null;
    if (duplicate != null && duplicate == 1) {
      throw Outcomes.mayHaveTakenEffect(e, keepBothEffect, "look in the folder for a renamed copy");
    }
    Entry found;
    try {
      found = driver.findChild(parent, name);
    } catch (DriveException lookup) {
      throw Outcomes.lookFailed(e, lookup);
    }
    return ours(found, name, size, hashes, listener);
  }

  private static DriveException singleLost(DriveException e, String name, ConflictPolicy conflict, boolean nothingSent) {
    String why = nothingSent ? "the upload host could not be reached"
        : "the reply to the one-request upload was lost (" + e.reason() + "), so 123 may or may not have stored the file";
    String advice = conflict == ConflictPolicy.KEEP_BOTH && !nothingSent
        ? "; with KEEP_BOTH it is not sent again (a repeat could store a second copy): look in the folder for the file"
            + " or a renamed copy before uploading again"
        : "; retry later";
    return DriveException.builder(e.kind() == ErrorKind.NETWORK ? ErrorKind.NETWORK : ErrorKind.PROVIDER_ERROR, why + advice)
        .driver(Open123Provider.ID).operation("upload").target(name).providerFrom(e)
        .retryable(!(conflict == ConflictPolicy.KEEP_BOTH && !nothingSent)).mayHaveTakenEffect(!nothingSent).cause(e).build();
  }

  private void transfer(String server, String preuploadId, long sliceSize, String name, UploadSource source, long size,
      UploadListener listener) {
    String url = server + "/" + Open123Limits.SLICE;
    if (HttpUrl.parse(url) == null) throw Open123Api.protocol("upload", name, "upload server '" + server + "' is not a URL", null);
    safe(() -> listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, size, false)));
    uploader.upload(name, size, sliceSize, part -> sendSlice(url, preuploadId, sliceSize, part, source, name),
        done -> safe(() -> listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, size, false))));
  }

  /**
   * Sends one slice. The slice is never held in memory: its MD5 comes from the hashing pass (or,
   * when 123 chose another slice size, from reading the slice once), and the request body streams
   * it from the source (every attempt re-reads the identical bytes), so an upload's heap does not
   * grow with the server's slice size or the thread count.
   * The slice part has a known length, so the whole body does: OkHttp sends Content-Length (the
   * real gateway answers 500 to large chunked bodies).
   */
  private void sendSlice(String url, String preuploadId, long sliceSize, PartUploader.Part part, UploadSource source, String name) {
    long offset = part.offset();
    int len = (int) part.length();
    String md5 = source.sliceMd5s(sliceSize).filter(l -> l.size() >= part.number()).map(l -> l.get(part.number() - 1)).orElseGet(() -> md5(source, offset, len));
    api.call(ApiCall.post("upload", Open123Limits.SLICE).url(url).target(name + " slice " + part.number())
        .deadline(PartUploader.PART_DEADLINE)
        .body(RequestContent.multipart(List.of(
            FormPart.field("preuploadID", preuploadId),
            FormPart.field("sliceNo", String.valueOf(part.number())),
            FormPart.field("sliceMD5", md5),
            FormPart.file("slice", "slice.part" + part.number(),
                RequestContent.stream("application/octet-stream", len, () -> source.open(offset, len))))))
        .build());
  }

  /** The v2 upload domain was refused: the upload goes the v1 way. */
  private static final class V2Refused extends RuntimeException {
    V2Refused(DriveException cause) {
      super("v2 upload domain refused", cause, false, false);
    }
  }

  // ---------------------------------------------------------------- v1 (presigned parts, resumable)

  /**
   * What {@code create} (v1 or v2) gave: the stored file when 123 already had the content (or a
   * lost answer turned out to have stored it), else the upload session and its whole answer.
   */
  private record Created(Entry stored, JsonNode data, String preuploadId, long sliceSize) {}

  /**
   * Sends {@code create} ({@code endpoint}, called {@code label} in errors) once: instant upload
   * by MD5, else an upload session whose slice size becomes the hint for the next hashing pass.
   */
  private Created create(String endpoint, String label, long parent, String name, UploadSource source, long size,
      Hashes hashes, Integer duplicate, UploadListener listener) {
    JsonNode d;
    try {
      d = api.post("upload", name, endpoint, createBody(parent, name, hashes, size, duplicate), false);
    } catch (DriveException e) {
      Entry ours = afterLostCreate(e, parent, name, size, hashes, duplicate, listener);
      if (ours != null) return new Created(ours, null, null, 0);
      throw e;
    }
    Entry reused = reused(d, parent, name, size, hashes, listener, label);
    if (reused != null) return new Created(reused, d, null, 0);
    if (!source.hasBytes()) {
      // A hash-only source: 123 does not store this content, and there are no bytes to send. The
      // upload session create opened is left to expire on 123's side; nothing was stored.
      throw unknownContent(name, size, hashes);
    }
    String preuploadId = d.path("preuploadID").asText("");
    long sliceSize = d.path("sliceSize").asLong(0);
    if (preuploadId.isEmpty() || sliceSize <= 0) {
      throw Open123Api.protocol("upload", name, label + " answered without preuploadID/sliceSize", null);
    }
    sliceHint.set(sliceSize);
    return new Created(null, d, preuploadId, sliceSize);
  }

  /** The body of create, the same for v1 and v2: instant upload by MD5, else an upload session. */
  private static Map<String, Object> createBody(long parent, String name, Hashes hashes, long size, Integer duplicate) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parentFileID", parent);
    body.put("filename", name);
    body.put("etag", hashes.md5());
    body.put("size", size);
    if (duplicate != null) body.put("duplicate", duplicate);
    body.put("containDir", false);
    return body;
  }

  /** The verified file when create answered reuse=true (instant upload), else null. */
  private Entry reused(JsonNode d, long parent, String name, long size, Hashes hashes, UploadListener listener,
      String call) {
    if (!d.path("reuse").asBoolean(false)) return null;
    long fileId = d.path("fileID").asLong(0);
    if (fileId <= 0) {
      Entry found = driver.findChild(parent, name);
      if (found == null) throw Open123Api.protocol("upload", name, call + " answered reuse=true without a fileID", null);
      fileId = Long.parseLong(found.id());
    }
    safe(() -> listener.progressed(new UploadProgress(UploadPhase.PREPARING, size, size, true)));
    return verify(fileId, name, size, hashes, listener);
  }

  /**
   * Upload v1 (docs/protocol/123open.md §8.19): create, then the parts 123 does not have yet —
   * {@code list_upload_parts} names those it has, and a part whose size and MD5 match the source's
   * is not sent again — each PUT to a presigned URL, then upload_complete and, when 123 answers
   * {@code async}, upload_async_result until the file is verified. Resuming relies on 123 handing
   * back the same preuploadID when the same file (parent, name, MD5, size) is created again while
   * the earlier session is still valid; with a new id, the parts list is empty and every part is sent.
   */
  private Entry v1(long parent, String name, UploadSource source, long size, Hashes hashes, Integer duplicate,
      UploadListener listener) {
    Created c = create(Open123Limits.CREATE_V1, "v1 create", parent, name, source, size, hashes, duplicate, listener);
    if (c.stored() != null) return c.stored();
    String preuploadId = c.preuploadId();
    long sliceSize = c.sliceSize();
    Map<Integer, JsonNode> have = partsOnServer(preuploadId, name);
    safe(() -> listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, size, false)));
    uploader.upload(name, size, sliceSize, part -> {
      JsonNode known = have.get(part.number());
      if (known != null && known.path("size").asLong(-1) == part.length()
          && stripQuotes(known.path("etag").asText("")).equalsIgnoreCase(sliceMd5(source, sliceSize, part))) {
        return; // 123 has this part already (an earlier, interrupted upload of the same file)
      }
      putPart(preuploadId, part, source, name);
    }, done -> safe(() -> listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, size, false))));
    safe(() -> listener.phase(new UploadProgress(UploadPhase.COMPLETING, 0, size, false)));
    long fileId;
    try {
      fileId = completeV1(preuploadId, name);
    } catch (DriveException e) {
      // The completion's answer was lost (twice, see completeV1): 123 may have stored the file.
      // Under FAIL and OVERWRITE a file of the source's name, size and MD5 is ours; KEEP_BOTH cannot
      // tell its renamed copy from others, and a look that fails cannot tell either: both say the
      // file may have been stored (not retryable), since a plain retry stores a second copy or
      // meets "already exists".
      Entry ours = afterLost(e, parent, name, size, hashes, duplicate, listener, "stored the file under a new name");
      if (ours != null) return ours;
      throw e;
    }
    return verify(fileId, name, size, hashes, listener);
  }

  /** The parts 123 holds for the session by number; empty for single-part files (as documented). */
  private Map<Integer, JsonNode> partsOnServer(String preuploadId, String name) {
    JsonNode d = api.postRead("upload", name, Open123Limits.LIST_PARTS_V1, Map.of("preuploadID", preuploadId));
    Map<Integer, JsonNode> out = new java.util.HashMap<>();
    for (JsonNode p : d.path("parts")) {
      // partNumber is a number in the docs' table but a string in their example; read both.
      String no = p.path("partNumber").asText("").trim();
      try {
        out.put(Integer.parseInt(no), p);
      } catch (NumberFormatException e) {
        throw Open123Api.protocol("upload", name, "list_upload_parts answered partNumber '" + no + "'", null);
      }
    }
    return out;
  }

  private static String stripQuotes(String etag) {
    String e = etag.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }

  private String sliceMd5(UploadSource source, long sliceSize, PartUploader.Part part) {
    return source.sliceMd5s(sliceSize).filter(l -> l.size() >= part.number()).map(l -> l.get(part.number() - 1))
        .orElseGet(() -> md5(source, part.offset(), (int) part.length()));
  }

  /**
   * One part: a fresh presigned URL (get_upload_url only hands out a URL, so asking again is
   * harmless), then a PUT of the raw bytes without Authorization or Platform. A refused URL (403)
   * or a server error is retried by the uploader with a new URL; the same bytes are re-read.
   */
  private void putPart(String preuploadId, PartUploader.Part part, UploadSource source, String name) {
    String target = name + " part " + part.number();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("preuploadID", preuploadId);
    body.put("sliceNo", part.number());
    JsonNode d = api.post("upload", target, Open123Limits.UPLOAD_URL_V1, body, true);
    String url = d.path("presignedURL").asText("");
    if (HttpUrl.parse(url) == null) throw Open123Api.protocol("upload", target, "get_upload_url answered no presignedURL", null);
    long offset = part.offset();
    long len = part.length();
    ApiResponse r = api.presigned(ApiCall.builder("upload", "PUT", null).url(url).target(target).authenticated(false)
        .idempotent(true).deadline(PartUploader.PART_DEADLINE)
        .body(RequestContent.stream("application/octet-stream", len, () -> source.open(offset, len))).build());
    if (r.status() == 200 || r.status() == 204) return;
    String text = r.snippet(200);
    boolean retry = r.status() == 403 || r.status() >= 500;
    throw DriveException.builder(r.status() >= 500 ? ErrorKind.PROVIDER_ERROR : r.status() == 403 ? ErrorKind.EXPIRED
            : ErrorKind.PROTOCOL, "the presigned PUT of part " + part.number() + " answered HTTP " + r.status())
        .driver(Open123Provider.ID).operation("upload").target(name).providerCode(r.status())
        .providerMessage(text.isEmpty() ? null : text).retryable(retry).build();
  }

  /**
   * upload_complete v1 (asked once more when its outcome is unknown), then (when 123 answers
   * {@code async}) upload_async_result, at least 1 s apart and growing ×1.5 to {@link #MAX_POLL},
   * until {@code uploadCompleteTimeout}.
   */
  private long completeV1(String preuploadId, String name) {
    Map<String, String> body = Map.of("preuploadID", preuploadId);
    JsonNode first;
    DriveException lost = null; // both completions' answers lost: the async result decides
    try {
      first = api.post("upload", name, Open123Limits.COMPLETE_V1, body, false);
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.INTEGRITY || !Outcomes.unknown(e)) throw integrity(e, name);
      // A gateway error, a dropped connection, a lost or cut answer: 123 may or may not have taken
      // the completion. Every part is there, so ask once more for the same upload, as the v2 poll
      // does; finishing one upload session twice stores one file.
      try {
        first = api.post("upload", name, Open123Limits.COMPLETE_V1, body, false);
      } catch (DriveException again) {
        if (again.kind() == ErrorKind.INTEGRITY) throw integrity(again, name);
        DriveException cancel = Outcomes.cancelledMeanwhile(e, again); // the caller stopped the upload: no look
        if (cancel != null) throw cancel;
        e.addSuppressed(again);
        if (!Outcomes.unknown(again)) throw e;
        // Lost twice. If 123 took either, it is verifying the file now or has stored it, whether
        // or not anyone asks: its async result says which. If it refuses that question (no
        // completion arrived), the caller looks in the folder and reports e.
        lost = e;
        first = null;
      }
    }
    long fileId;
    if (first != null) {
      fileId = first.path("fileID").asLong(0);
      if (!first.path("async").asBoolean(false) && first.path("completed").asBoolean(true) && fileId > 0) return fileId;
    }
    Instant deadline = api.clock().instant().plus(config.uploadCompleteTimeout());
    Duration delay = Duration.ofSeconds(1);
    boolean firstPoll = true;
    DriveException lastPollFailure = null; // why the last poll told nothing: the cause at the deadline
    while (true) {
      if (!(firstPoll && lost != null)) delay = awaitNextPoll(delay, deadline, name, lastPollFailure);
      firstPoll = false;
      JsonNode d;
      try {
        d = api.postRead("upload", name, Open123Limits.ASYNC_RESULT_V1, body);
        lastPollFailure = null;
      } catch (DriveException e) {
        if (e.kind() == ErrorKind.INTEGRITY) throw integrity(e, name);
        if (lost != null && !e.retryable()) {
          DriveException cancel = Outcomes.cancelledMeanwhile(lost, e);
          if (cancel != null) throw cancel;
          lost.addSuppressed(e);
          throw lost;
        }
        if (e.kind() == ErrorKind.CANCELLED) {
          // 123 took the completion (it answered async): the status query changed nothing, but the
          // upload may still be stored.
          throw Outcomes.restated(e, "; 123 took the upload's completion and was verifying it, so it may still store"
              + " the file: look in the folder before uploading again").retryable(false).mayHaveTakenEffect(true).build();
        }
        if (!e.retryable()) throw e;
        lastPollFailure = e;
        continue;
      }
      fileId = d.path("fileID").asLong(0);
      if (d.path("completed").asBoolean(false) && fileId > 0) return fileId;
    }
  }

  private static DriveException integrity(DriveException e, String name) {
    if (e.kind() != ErrorKind.INTEGRITY) return e;
    return DriveException.builder(ErrorKind.INTEGRITY,
            "123 could not verify the uploaded bytes against the file's MD5, so it did not store the file;"
                + " the source may have changed while uploading — retry the upload")
        .driver(Open123Provider.ID).operation("upload").target(name).providerFrom(e).cause(e).build();
  }

  private static DriveException unknownContent(String name, long size, Hashes hashes) {
    return DriveException.builder(ErrorKind.NOT_FOUND, "123 does not know content with MD5 " + hashes.md5() + " and "
            + size + " bytes" + (hashes.sha1() != null ? " (nor SHA-1 " + hashes.sha1() + ")" : "")
            + ", so it cannot be created from hashes (instant upload); upload the file's bytes instead. Nothing was sent")
        .driver(Open123Provider.ID).operation("upload").target(name).build();
  }

  /** The first wait between upload_complete polls: short, since small files verify at once. */
  static final Duration FIRST_POLL = Duration.ofMillis(50);
  /** The longest wait between two polls. */
  static final Duration MAX_POLL = Duration.ofSeconds(5);

  /** The wait after {@code delay}: ×1.5, at most {@link #MAX_POLL}. */
  static Duration nextPoll(Duration delay) {
    return Duration.ofMillis(Math.min(MAX_POLL.toMillis(), delay.toMillis() * 3 / 2));
  }

  /**
   * Polls upload_complete: {@code completed=false} and code 20103 mean "still verifying". The
   * waits start at {@link #FIRST_POLL} and grow ×1.5 up to {@link #MAX_POLL} (50, 75, 112, 168,
   * 253 ms, ...; the endpoint's QPS, five per second on the free tier, bounds the early ones), so
   * a small file is confirmed in a fraction of a second and a large one is not polled more than
   * once per 5 s; the whole wait ends at {@code uploadCompleteTimeout}.
   */
  private long complete(String preuploadId, String name) {
    Instant deadline = api.clock().instant().plus(config.uploadCompleteTimeout());
    Duration delay = FIRST_POLL;
    DriveException last = null;
    while (true) {
      try {
        JsonNode d = api.post("upload", name, Open123Limits.COMPLETE, Map.of("preuploadID", preuploadId), false);
        long fileId = d.path("fileID").asLong(0);
        if (d.path("completed").asBoolean(false) && fileId > 0) return fileId;
      } catch (DriveException e) {
        if (e.kind() == ErrorKind.INTEGRITY) throw integrity(e, name);
        boolean verifying = e.providerCode().filter(c -> c.equals(String.valueOf(Open123Errors.VERIFYING))).isPresent();
        // A cut or garbled answer is asked again too: completing one session twice stores one file.
        if (!verifying && !e.retryable() && !Outcomes.unknown(e)) throw e;
        last = e;
      }
      delay = awaitNextPoll(delay, deadline, name, last);
    }
  }

  /**
   * Waits {@code delay} before the next completion poll and returns the wait after it; fails
   * instead when that poll would come after {@code deadline} ({@code last}: the latest error seen
   * while polling, or null), and on interrupt.
   */
  private Duration awaitNextPoll(Duration delay, Instant deadline, String name, DriveException last) {
    if (api.clock().instant().plus(delay).isAfter(deadline)) {
      throw DriveException.builder(ErrorKind.PROVIDER_ERROR,
              "123 did not confirm the upload within " + config.uploadCompleteTimeout()
                  + "; the file may still appear later — check the folder, or raise uploadCompleteTimeout")
          .driver(Open123Provider.ID).operation("upload").target(name).retryable(true).mayHaveTakenEffect(true)
          .cause(last).build();
    }
    boolean waited;
    try {
      waited = api.sleepUnlessClosed(delay);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw completionPending(name, "upload cancelled by interrupt while 123 was verifying it");
    }
    if (!waited) {
      throw completionPending(name, "upload stopped (the driver was closed) while 123 was verifying it");
    }
    return nextPoll(delay);
  }

  /** Success only when the stored entry has the source's size and MD5. */
  private Entry verify(long fileId, String name, long size, Hashes hashes, UploadListener listener) {
    safe(() -> listener.phase(new UploadProgress(UploadPhase.VERIFYING, 0, size, false)));
    Entry e;
    try {
      e = Outcomes.readBack(() -> driver.find(String.valueOf(fileId)), "the upload (123 stored it as id " + fileId + ")");
    } catch (DriveException stopped) {
      if (stopped.kind() != ErrorKind.CANCELLED) throw stopped;
      String why = api.closed() ? "the driver was closed" : "cancelled";
      DriveException told = DriveException.builder(ErrorKind.CANCELLED, "upload stopped (" + why + ") while checking the"
              + " stored file: 123 has stored it (id " + fileId + ") but its size and MD5 were not checked; check it, or"
              + " delete it")
          .driver(Open123Provider.ID).operation("upload").target(name).mayHaveTakenEffect(true).build();
      told.addSuppressed(stopped);
      throw told;
    }
    String why = null;
    if (e.folder()) why = "the id 123 returned is a folder";
    else if (e.size() != size) why = "123 stored " + e.size() + " bytes but " + size + " were uploaded";
    else if (e.hashes().md5() == null) why = "123 reported no MD5 for the stored file";
    else if (!e.hashes().md5().equals(hashes.md5())) why = "123 stored MD5 " + e.hashes().md5() + " but the source's is " + hashes.md5();
    if (why != null) {
      DriveException removal = null;
      try {
        driver.trash(List.of(e.id()));
      } catch (DriveException failed) {
        removal = failed;
      }
      DriveException mismatch = fail(ErrorKind.INTEGRITY, name, why + (removal == null
          ? "; the stored file (id " + fileId + ") was moved to the trash"
          : "; the stored file (id " + fileId + ") is still there (moving it to the trash failed: "
              + removal.getMessage() + "); delete it"));
      if (removal != null) mismatch.addSuppressed(removal);
      throw mismatch;
    }
    return e;
  }

  /** A cancel while 123 verified the completion it took: the file may still be stored. */
  private static DriveException completionPending(String name, String why) {
    return DriveException.builder(ErrorKind.CANCELLED, why + ": all its bytes were sent, so 123 may still store it; check"
        + " the folder").driver(Open123Provider.ID).operation("upload").target(name).mayHaveTakenEffect(true).build();
  }

  private static DriveException fail(ErrorKind kind, String name, String message) {
    return DriveException.builder(kind, message).driver(Open123Provider.ID).operation("upload").target(name).build();
  }

  /** Lower-case hex MD5 of a range of the source, read in 64 KiB blocks. */
  static String md5(UploadSource source, long offset, int len) {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every JDK", e);
    }
    try (InputStream in = source.open(offset, len)) {
      byte[] buf = new byte[64 * 1024];
      long read = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        md5.update(buf, 0, n);
        read += n;
      }
      if (read != len) {
        throw DriveException.builder(ErrorKind.INTEGRITY, "the source ended early at " + (offset + read)
            + "; the file changed while uploading").driver(Open123Provider.ID).operation("upload").build();
      }
    } catch (IOException e) {
      throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "reading the upload source failed: " + e.getMessage())
          .driver(Open123Provider.ID).operation("upload").cause(e).build();
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  private static void safe(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ignored) {
      // Listeners must not break uploads (UploadListener contract).
    }
  }
}
