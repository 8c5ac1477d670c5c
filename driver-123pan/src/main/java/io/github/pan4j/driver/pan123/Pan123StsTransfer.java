package io.github.pan4j.driver.pan123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.http.RetryPolicy;
import io.github.pan4j.core.spi.http.ApiCall;
import io.github.pan4j.core.spi.http.ApiClient;
import io.github.pan4j.core.spi.http.ApiResponse;
import io.github.pan4j.core.spi.http.PartUploader;
import io.github.pan4j.core.spi.http.RequestContent;
import io.github.pan4j.driver.common123.web.WebItems;
import io.github.pan4j.driver.pan123.internal.S3RequestSigner;
import io.github.pan4j.driver.pan123.internal.S3Xml;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy STS upload mode of the web API (docs/protocol/123web.md §5.9.3): upload_request gave
 * temporary S3 credentials, an endpoint, a bucket and a key; the bytes go to that S3 endpoint
 * (path-style, region {@code 123pan}), signed with SigV4 ({@link S3RequestSigner}), through the
 * same request engine and part uploader as presigned mode.
 *
 * <ul>
 *   <li>One part ({@code size <= SliceSize}, also 0 bytes): a single PutObject.
 *   <li>Several: CreateMultipartUpload, parts of the server's {@code SliceSize} sent by
 *       {@code uploadThreads} workers streaming from the source (a part is never held in memory;
 *       its payload is {@code UNSIGNED-PAYLOAD}, so it is read once, and the whole file's MD5 is
 *       checked by 123 at completion and by the driver afterwards), each part retried on 5xx and
 *       network failures (a part PUT is idempotent), then CompleteMultipartUpload (repeated once
 *       when its outcome is unknown or S3 answers InternalError, also inside a 200 reply; S3
 *       answers a repeated Complete as the first). Any failure or
 *       cancellation after Create sends one AbortMultipartUpload, so no parts are left behind. A
 *       Create sent again after an unknown outcome is followed by ListMultipartUploads for the Key
 *       and an Abort of each upload there but ours (best effort, logged at DEBUG when refused).
 *   <li>Credentials that expire mid-upload end it with {@link ErrorKind#EXPIRED}: new ones would
 *       come only with a new upload_request, i.e. a new upload, which is the caller's to start.
 * </ul>
 *
 * <p>The secret and the token appear in no message, log or {@code toString()}.
 */
final class Pan123StsTransfer {
  static final String REGION = "123pan";
  private static final Logger LOG = LoggerFactory.getLogger(Pan123StsTransfer.class);

  /** The STS part of an upload_request reply. */
  static final class Grant {
    final S3RequestSigner signer;
    /** Scheme, host and port, as sent and signed. */
    final String endpoint;
    /** The EndPoint's own path ("" when it has none), before the bucket's. */
    final String prefix;
    final String host;
    final String bucket;
    final String key;
    final Instant expiresAt;

    private Grant(S3RequestSigner signer, String endpoint, String prefix, String host, String bucket, String key,
        Instant expiresAt) {
      this.signer = signer;
      this.endpoint = endpoint;
      this.prefix = prefix;
      this.host = host;
      this.bucket = bucket;
      this.key = key;
      this.expiresAt = expiresAt;
    }

    /**
     * The grant of an upload_request reply; null when it has none of the three credentials
     * (presigned mode). Some but not all three, or STS credentials without an endpoint, bucket or
     * key, is a broken reply: {@link ErrorKind#PROTOCOL}, before anything is sent.
     */
    static Grant of(JsonNode data, String target) {
      String id = WebItems.text(data, "AccessKeyId");
      String secret = WebItems.text(data, "SecretAccessKey");
      String token = WebItems.text(data, "SessionToken");
      int present = (empty(id) ? 0 : 1) + (empty(secret) ? 0 : 1) + (empty(token) ? 0 : 1);
      if (present == 0) return null;
      if (present < 3) {
        throw refused("upload_request answered with only some of the temporary S3 credentials (AccessKeyId "
            + (empty(id) ? "missing" : "present") + ", SecretAccessKey " + (empty(secret) ? "missing" : "present")
            + ", SessionToken " + (empty(token) ? "missing" : "present") + "); nothing was uploaded — try again later", target);
      }
      String endpoint = WebItems.text(data, "EndPoint");
      String bucket = WebItems.text(data, "Bucket");
      String key = WebItems.text(data, "Key");
      if (empty(endpoint) || empty(bucket) || empty(key)) {
        throw refused("upload_request answered with S3 credentials but without " + (empty(endpoint) ? "EndPoint"
            : empty(bucket) ? "Bucket" : "Key") + "; nothing was uploaded — try again later", target);
      }
      for (String segment : key.split("/", -1)) {
        if (segment.equals(".") || segment.equals("..")) {
          // OkHttp resolves such a segment (also as %2E) before sending: the request would name
          // another object than the one signed, and S3 answers SignatureDoesNotMatch.
          throw refused("upload_request gave a Key with a '" + segment + "' path segment, which cannot be sent over HTTP"
              + " as it is; nothing was uploaded — try again, and report it if it persists", target);
        }
      }
      // The SDK OpenList uses takes an endpoint without scheme as https.
      String base = endpoint.contains("://") ? endpoint : "https://" + endpoint;
      while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
      URI uri;
      try {
        uri = URI.create(base);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri == null || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
        throw refused("upload_request's EndPoint is not an http(s) address; nothing was uploaded", target);
      }
      boolean defaultPort = uri.getPort() == -1 || uri.getPort() == (scheme.equals("https") ? 443 : 80);
      // Signed as the HTTP client sends it: host names in lower case.
      String name = uri.getHost().toLowerCase(Locale.ROOT);
      String h = name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name;
      String host = defaultPort ? h : h + ":" + uri.getPort();
      Instant expires = null;
      String exp = WebItems.text(data, "Expiration");
      if (!empty(exp)) {
        try {
          expires = java.time.OffsetDateTime.parse(exp).toInstant();
        } catch (DateTimeParseException e) {
          expires = null; // a form we do not know: the storage server will tell
        }
      }
      // The path the object is sent to is the one signed, the EndPoint's own path included.
      String prefix = uri.getRawPath() == null ? "" : uri.getRawPath();
      return new Grant(new S3RequestSigner(id, secret, token, REGION, "s3"), scheme + "://" + host, prefix, host, bucket,
          key, expires);
    }

    /** The object's path as sent and signed (path-style: the EndPoint's path, the bucket, the key). */
    String path() {
      return prefix + S3RequestSigner.path(bucket, key);
    }

    @Override
    public String toString() {
      return "Grant{" + endpoint + prefix + "/" + bucket + "/" + key + "}"; // no credentials
    }
  }

  private final ApiClient engine;
  private final PartUploader uploader;
  private final RetryPolicy retry;
  private final Clock clock;

  Pan123StsTransfer(ApiClient engine, PartUploader uploader, RetryPolicy retry, Clock clock) {
    this.engine = engine;
    this.uploader = uploader;
    this.retry = retry;
    this.clock = clock;
  }

  /** Sends {@code size} bytes of {@code source} to the grant's key; returns once S3 holds the object. */
  void transfer(Grant g, long slice, long size, UploadSource source, UploadListener listener, String target) {
    listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, size, false));
    int parts = PartUploader.partCount(size, slice);
    if (parts == 1) {
      uploader.upload(target, size, slice, part -> put(g, null, part, source, target),
          done -> listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, size, false)));
      return;
    }
    // Repeated after a failure whose outcome is unknown: an upload created then never named its id
    // to us, so once a repeat succeeds, the Key's other open uploads are looked up and aborted.
    AtomicInteger creates = new AtomicInteger();
    Instant firstSent = clock.instant();
    String uploadId = retry.execute(true, () -> {
      creates.incrementAndGet();
      return create(g, target);
    });
    // How long the Creates took, on our clock: an orphan of ours was started by the storage server
    // at most this long before ours (its clock may differ from ours; a length of time does not).
    Duration creating = Duration.between(firstSent, clock.instant());
    AtomicReferenceArray<String> etags = new AtomicReferenceArray<>(parts);
    try {
      if (creates.get() > 1) abortOrphans(g, uploadId, creating, target);
      uploader.upload(target, size, slice, part -> etags.set(part.number() - 1, put(g, uploadId, part, source, target)),
          done -> listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, size, false)));
      complete(g, uploadId, etags, target);
    } catch (RuntimeException e) {
      abort(g, uploadId, target, e);
      throw e;
    }
  }

  private String create(Grant g, String target) {
    ApiResponse r = send(g, "POST", g.path(), Map.of("uploads", ""), new byte[0], target + " (create multipart upload)");
    if (r.status() != 200) throw failure(r, "starting the multipart upload", target);
    S3Xml reply = S3Xml.parse(r.text());
    String id = reply == null ? null : reply.text("UploadId");
    if (id == null || id.isEmpty()) {
      throw refused("the storage server started a multipart upload but named no UploadId", target);
    }
    return id;
  }

  /** PutObject ({@code uploadId} null) or UploadPart; the part's ETag. */
  private String put(Grant g, String uploadId, PartUploader.Part part, UploadSource source, String target) {
    Map<String, String> query = new LinkedHashMap<>();
    if (uploadId != null) {
      query.put("partNumber", Integer.toString(part.number()));
      query.put("uploadId", uploadId);
    }
    checkNotExpired(g, target);
    String path = g.path();
    String q = S3RequestSigner.query(query);
    Map<String, String> signed = g.signer.sign("PUT", g.host, path, q, S3RequestSigner.UNSIGNED_PAYLOAD, clock.instant());
    ApiCall.Builder b = ApiCall.builder("upload", "PUT", null).url(g.endpoint + path + (q.isEmpty() ? "" : "?" + q))
        .target(target + (uploadId == null ? "" : " part " + part.number())).authenticated(false)
        .deadline(PartUploader.PART_DEADLINE)
        .body(RequestContent.stream(null, part.length(), () -> source.open(part.offset(), part.length())));
    signed.forEach(b::header);
    ApiResponse r = engine.exchange(b.build());
    if (r.status() != 200) {
      throw failure(r, uploadId == null ? "uploading the file" : "uploading part " + part.number(), target);
    }
    String etag = r.header("ETag");
    if (uploadId != null && (etag == null || etag.isBlank())) {
      throw refused("the storage server took part " + part.number() + " but sent no ETag for it", target);
    }
    return etag;
  }

  private void complete(Grant g, String uploadId, AtomicReferenceArray<String> etags, String target) {
    StringBuilder xml = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (int i = 0; i < etags.length(); i++) {
      xml.append("<Part><ETag>").append(escape(etags.get(i))).append("</ETag><PartNumber>").append(i + 1)
          .append("</PartNumber></Part>");
    }
    byte[] body = xml.append("</CompleteMultipartUpload>").toString().getBytes(StandardCharsets.UTF_8);
    DriveException first = null;
    for (int attempt = 1; attempt <= 2; attempt++) {
      ApiResponse r;
      try {
        r = send(g, "POST", g.path(), Map.of("uploadId", uploadId), body, target + " (complete multipart upload)");
      } catch (DriveException e) {
        if (attempt == 2 || !e.retryable()) throw e;
        first = e;
        continue;
      }
      S3Xml reply = S3Xml.parse(r.text());
      // S3 may answer 200 and put the error in the body.
      if (r.status() == 200 && !isError(reply, r)) return;
      DriveException e = failure(r, "completing the multipart upload", target);
      // After a first attempt whose outcome is unknown, "no such upload" means it was completed.
      if (first != null && reply != null && "NoSuchUpload".equals(reply.text("Code"))) return;
      if (attempt == 2 || !e.retryable()) throw e;
      first = e;
    }
  }

  /**
   * Best effort, after a Create that was sent again: ListMultipartUploads for this Key, then an
   * AbortMultipartUpload for each upload of exactly this Key but {@code ours} that the storage
   * server started while our Creates were under way (a Create whose reply was lost): no later than
   * ours and at most {@code creating} before it. The same Key may be another upload's too (the
   * same content uploaded elsewhere at the same time); one started before our first Create, or
   * after ours, is not ours to abort, nor is any when the listing does not show ours or a time.
   * The credentials' policy may not allow the listing (403): any failure is logged at DEBUG and
   * never fails the upload (a cancel still cancels it); what is left, the storage server's
   * clean-up removes.
   */
  private void abortOrphans(Grant g, String ours, Duration creating, String target) {
    try {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("uploads", "");
      query.put("prefix", g.key);
      ApiResponse r = send(g, "GET", g.prefix + S3RequestSigner.path(g.bucket, ""), query, null,
          target + " (list multipart uploads)");
      S3Xml list = S3Xml.parse(r.text());
      if (r.status() != 200 || list == null || !list.name().equals("ListMultipartUploadsResult")) {
        LOG.debug("{}: listing the Key's multipart uploads after a repeated create answered HTTP {} {}; orphans are"
            + " left to the storage server", target, r.status(), list == null ? "" : list.text("Code"));
        return;
      }
      Instant oursStarted = null;
      for (S3Xml upload : list.all("Upload")) {
        if (g.key.equals(upload.text("Key")) && ours.equals(upload.text("UploadId"))) oursStarted = initiated(upload);
      }
      if (oursStarted == null) {
        LOG.debug("{}: the Key's multipart uploads listed after a repeated create do not show ours with its time;"
            + " orphans are left to the storage server", target);
        return;
      }
      // S3 states the time to the millisecond: one more keeps an orphan started in our first one.
      Instant earliest = oursStarted.minus(creating).minusMillis(1);
      for (S3Xml upload : list.all("Upload")) {
        String id = upload.text("UploadId");
        if (!g.key.equals(upload.text("Key")) || id == null || id.isEmpty() || id.equals(ours)) continue;
        Instant started = initiated(upload);
        if (started == null || started.isBefore(earliest) || started.isAfter(oursStarted)) continue;
        ApiResponse a = send(g, "DELETE", g.path(), Map.of("uploadId", id), null, target + " (abort orphaned multipart upload)");
        if (a.status() != 204 && a.status() != 200) {
          LOG.debug("{}: aborting an orphaned multipart upload answered HTTP {}", target, a.status());
        }
      }
    } catch (DriveException e) {
      if (e.kind() == ErrorKind.CANCELLED) throw e; // the upload is cancelled: ours is aborted too
      LOG.debug("{}: cleaning up after a repeated create failed: {}", target, e.getMessage());
    }
  }

  /** The {@code Initiated} time of a listed upload, or null when it has none that parses. */
  private static Instant initiated(S3Xml upload) {
    String t = upload.text("Initiated");
    if (t == null) return null;
    try {
      return java.time.OffsetDateTime.parse(t.trim()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Best effort: one AbortMultipartUpload, with the caller's interrupt held back meanwhile and restored. */
  private void abort(Grant g, String uploadId, String target, RuntimeException cause) {
    boolean interrupted = Thread.interrupted();
    try {
      ApiResponse r = send(g, "DELETE", g.path(), Map.of("uploadId", uploadId), null, target + " (abort multipart upload)");
      if (r.status() != 204 && r.status() != 200) cause.addSuppressed(failure(r, "aborting the multipart upload", target));
    } catch (DriveException e) {
      cause.addSuppressed(e);
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** One S3 call at {@code path} (the object's, or the bucket's for a listing). */
  private ApiResponse send(Grant g, String method, String path, Map<String, String> query, byte[] body, String target) {
    checkNotExpired(g, target);
    String q = S3RequestSigner.query(query);
    String hash = S3RequestSigner.sha256(body == null ? new byte[0] : body);
    Map<String, String> signed = g.signer.sign(method, g.host, path, q, hash, clock.instant());
    // Not repeated by the engine: Create and Complete decide themselves what a repeat means.
    ApiCall.Builder b = ApiCall.builder("upload", method, null).url(g.endpoint + path + "?" + q).target(target)
        .authenticated(false);
    if (body != null) b.body(RequestContent.bytes(body, body.length == 0 ? null : "application/xml"));
    signed.forEach(b::header);
    return engine.exchange(b.build());
  }

  private void checkNotExpired(Grant g, String target) {
    if (g.expiresAt != null && !clock.instant().isBefore(g.expiresAt)) {
      throw DriveException.builder(ErrorKind.EXPIRED, "the temporary S3 credentials 123 gave for this upload expired at "
              + g.expiresAt + " before it finished; nothing was stored — upload again")
          .driver(Pan123Provider.ID).operation("upload").target(target).build();
    }
  }

  /** The error of an S3 reply that is not a success, keeping S3's code, message and request id. */
  private static DriveException failure(ApiResponse r, String doing, String target) {
    S3Xml reply = S3Xml.parse(r.text());
    if (r.status() < 300 && !isError(reply, r)) reply = null;
    String code = reply == null ? null : reply.text("Code");
    String message = reply == null ? null : reply.text("Message");
    String requestId = r.header("x-amz-request-id") != null ? r.header("x-amz-request-id")
        : reply == null ? null : reply.text("RequestId");
    int status = r.status();
    ErrorKind kind;
    boolean retryable = false;
    String hint;
    if ("ExpiredToken".equals(code)) {
      kind = ErrorKind.EXPIRED;
      hint = "the temporary S3 credentials 123 gave for this upload expired; upload again";
    } else if ("RequestTimeTooSkewed".equals(code)) {
      kind = ErrorKind.PROTOCOL;
      hint = "this machine's clock is more than 15 minutes off; set it right and upload again";
    } else if ("SlowDown".equals(code) || status == 429) {
      kind = ErrorKind.RATE_LIMITED;
      retryable = true;
      hint = "the storage server asks to slow down";
    } else if (status >= 500 || "InternalError".equals(code) || "ServiceUnavailable".equals(code)) {
      // Also a 200 whose body is such an error: S3 may start Complete's reply, then fail, and asks
      // for the request to be sent again.
      kind = ErrorKind.PROVIDER_ERROR;
      retryable = true;
      hint = "the storage server failed; it is retried a few times";
    } else if ("SignatureDoesNotMatch".equals(code)) {
      kind = ErrorKind.PERMISSION_DENIED;
      hint = "the storage server signs this request differently (its Key, EndPoint or this machine's request);"
          + " upload again, and report it if it persists";
    } else if (status == 403 || "InvalidAccessKeyId".equals(code) || "InvalidToken".equals(code)) {
      kind = ErrorKind.PERMISSION_DENIED;
      hint = "the storage server refused the temporary credentials 123 gave; upload again, and report it if it persists";
    } else {
      kind = ErrorKind.PROTOCOL;
      hint = "the storage server refused the request; upload again, and report it if it persists";
    }
    String said = code != null ? message : r.snippet(200); // the code is the provider code already
    return DriveException.builder(kind, doing + " failed with HTTP " + status + (code != null ? " " + code : "") + "; " + hint)
        .driver(Pan123Provider.ID).operation("upload").target(target).providerCode(code != null ? code : status)
        .providerMessage(said == null || said.isEmpty() ? null : said).traceId(requestId).retryable(retryable).build();
  }

  private static DriveException refused(String message, String target) {
    return DriveException.builder(ErrorKind.PROTOCOL, message).driver(Pan123Provider.ID).operation("upload").target(target)
        .build();
  }

  /**
   * Whether a reply body is S3's {@code <Error>} (also inside a 200). A body that is not XML counts
   * as one only when it names an Error element: a reply cut short is not taken as a success.
   */
  private static boolean isError(S3Xml reply, ApiResponse r) {
    return reply != null ? reply.name().equals("Error") : r.text().contains("<Error>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
