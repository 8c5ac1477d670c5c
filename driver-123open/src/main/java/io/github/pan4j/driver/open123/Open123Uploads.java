package io.github.pan4j.driver.open123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.ConflictPolicy;
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
import io.github.pan4j.core.spi.Sleeper;
import io.github.pan4j.core.spi.http.ApiCall;
import io.github.pan4j.core.spi.http.PartUploader;
import io.github.pan4j.core.spi.http.RequestContent;
import io.github.pan4j.core.spi.http.RequestContent.FormPart;
import okhttp3.HttpUrl;

/**
 * Upload v2 (docs/protocol/123open.md §8.18): SHA-1 reuse, then {@code create} (instant upload when 123 already has
 * the MD5), else slices of the server's {@code sliceSize} sent in parallel with a known
 * Content-Length, {@code upload_complete} polled until a deadline, and a final check of the stored
 * file's size and MD5. Memory is bounded by {@code uploadThreads × sliceSize}.
 */
final class Open123Uploads {
  /** The platform's per-file limit for developers (docs/protocol/123open.md §7.3: "10 GB"; taken as 10 GiB). */
  static final long MAX_SIZE = 10L << 30;
  /** Attempts per slice (the same bytes are re-sent). */
  static final int SLICE_ATTEMPTS = 4;

  private final Open123Driver driver;
  private final Open123Api api;
  private final Open123Config config;
  private final PartUploader uploader;
  private final Sleeper sleeper;
  /**
   * The slice size to hash for before {@code create} names it: the last one 123 gave (16 MiB by
   * the protocol's example, which every observer reports). When 123 names another size, each
   * slice's MD5 is computed by reading that slice once more before sending it.
   */
  private final java.util.concurrent.atomic.AtomicLong sliceHint = new java.util.concurrent.atomic.AtomicLong(16L << 20);

  Open123Uploads(Open123Driver driver, Open123Api api, Open123Config config, DriverContext context) {
    this.driver = driver;
    this.api = api;
    this.config = config;
    this.sleeper = context.sleeper();
    this.uploader = PartUploader.of(Open123Provider.ID, context.executor(), config.uploadThreads(),
        api.retry().withMaxAttempts(SLICE_ATTEMPTS));
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
    source.planHashes(true, sliceHint.get());
    long size = source.size();
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
    // One read: whole MD5, SHA-1 and the MD5 of each slice of the expected size.
    Hashes hashes = source.hashes(listener, true, sliceHint.get());
    Integer duplicate = switch (conflict) {
      case KEEP_BOTH -> 1;
      case OVERWRITE -> 2;
      case FAIL -> null;
    };
    safe(() -> listener.phase(new UploadProgress(UploadPhase.PREPARING, 0, size, false)));

    // 1. SHA-1 reuse: costs one call, sends no bytes.
    if (hashes.sha1() != null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("parentFileID", parent);
      body.put("filename", name);
      body.put("sha1", hashes.sha1());
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

    // 2. create: instant upload by MD5, else an upload session.
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parentFileID", parent);
    body.put("filename", name);
    body.put("etag", hashes.md5());
    body.put("size", size);
    if (duplicate != null) body.put("duplicate", duplicate);
    body.put("containDir", false);
    JsonNode d = api.post("upload", name, Open123Limits.CREATE, body, false);
    long fileId = d.path("fileID").asLong(0);
    if (d.path("reuse").asBoolean(false)) {
      if (fileId <= 0) {
        Entry found = driver.findChild(parent, name);
        if (found == null) throw Open123Api.protocol("upload", name, "create answered reuse=true without a fileID", null);
        fileId = Long.parseLong(found.id());
      }
      safe(() -> listener.progressed(new UploadProgress(UploadPhase.PREPARING, size, size, true)));
      return verify(fileId, name, size, hashes, listener);
    }
    String preuploadId = d.path("preuploadID").asText("");
    long sliceSize = d.path("sliceSize").asLong(0);
    if (preuploadId.isEmpty() || sliceSize <= 0) {
      throw Open123Api.protocol("upload", name, "create answered without preuploadID/sliceSize", null);
    }
    sliceHint.set(sliceSize);
    String server = server(d.path("servers"), name);

    // 3. slices, in parallel.
    transfer(server, preuploadId, sliceSize, name, source, size, listener);

    // 4. upload_complete until the server has verified the MD5.
    safe(() -> listener.phase(new UploadProgress(UploadPhase.COMPLETING, 0, size, false)));
    long completed = complete(preuploadId, name);
    return verify(completed, name, size, hashes, listener);
  }

  private String server(JsonNode servers, String name) {
    String s = null;
    for (JsonNode n : servers) {
      if (!n.asText("").isBlank()) {
        s = n.asText().trim();
        break;
      }
    }
    if (s == null) {
      JsonNode domains = api.get("upload", name, Open123Limits.DOMAIN, Map.of());
      for (JsonNode n : domains) {
        if (!n.asText("").isBlank()) {
          s = n.asText().trim();
          break;
        }
      }
    }
    if (s == null) throw Open123Api.protocol("upload", name, "neither create nor domain named an upload server", null);
    if (!s.startsWith("http://") && !s.startsWith("https://")) s = "http://" + s;
    if (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s;
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
        if (e.kind() == ErrorKind.INTEGRITY) {
          throw DriveException.builder(ErrorKind.INTEGRITY,
                  "123 could not verify the uploaded bytes against the file's MD5, so it did not store the file;"
                      + " the source may have changed while uploading — retry the upload")
              .driver(Open123Provider.ID).operation("upload").target(name).providerCode(e.providerCode().orElse(null))
              .providerMessage(e.providerMessage().orElse(null)).traceId(e.traceId().orElse(null)).build();
        }
        boolean verifying = e.providerCode().filter(c -> c.equals(String.valueOf(Open123Errors.VERIFYING))).isPresent();
        if (!verifying && !e.retryable()) throw e;
        last = e;
      }
      if (api.clock().instant().plus(delay).isAfter(deadline)) {
        throw DriveException.builder(ErrorKind.PROVIDER_ERROR,
                "123 did not confirm the upload within " + config.uploadCompleteTimeout()
                    + "; the file may still appear later — check the folder, or raise uploadCompleteTimeout")
            .driver(Open123Provider.ID).operation("upload").target(name).retryable(true).cause(last).build();
      }
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw fail(ErrorKind.CANCELLED, name, "upload cancelled by interrupt while 123 was verifying it");
      }
      delay = nextPoll(delay);
    }
  }

  /** Success only when the stored entry has the source's size and MD5. */
  private Entry verify(long fileId, String name, long size, Hashes hashes, UploadListener listener) {
    safe(() -> listener.phase(new UploadProgress(UploadPhase.VERIFYING, 0, size, false)));
    Entry e = driver.stat(String.valueOf(fileId));
    String why = null;
    if (e.folder()) why = "the id 123 returned is a folder";
    else if (e.size() != size) why = "123 stored " + e.size() + " bytes but " + size + " were uploaded";
    else if (e.hashes().md5() == null) why = "123 reported no MD5 for the stored file";
    else if (!e.hashes().md5().equals(hashes.md5())) why = "123 stored MD5 " + e.hashes().md5() + " but the source's is " + hashes.md5();
    if (why != null) {
      try {
        driver.remove(List.of(e.id()));
      } catch (DriveException ignored) {
        // best effort: the error below names the id either way
      }
      throw fail(ErrorKind.INTEGRITY, name, why + "; the stored file (id " + fileId + ") was moved to the trash");
    }
    return e;
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
