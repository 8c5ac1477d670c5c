package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.error;
import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.testkit.fake.OpenWire.OpenError;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.MockResponse;

/**
 * The 123 open platform ({@code open-api.123pan.com}) of the fake cloud, as described in
 * {@code docs/protocol/123open.md}: the API on server {@code open}, the slice / single upload host on
 * {@code upload}, and download URLs plus v1 presigned part uploads on {@code cdn}. Direct links are
 * served by the {@link VipCdnFrontDoor}, which must be installed in the same cloud.
 *
 * <p>It is strict about the wire: the {@code Platform: open_platform} header, bearer tokens,
 * case-sensitive query names, the QPS table, exact limits and messages. Where the protocol is UNKNOWN here
 * (docs/protocol/123open.md §14), the behaviour chosen is documented at the knob that changes it.
 *
 * <pre>{@code
 * OpenApiFrontDoor open = new OpenApiFrontDoor().sliceSize(1 << 20);
 * FakeCloud cloud = FakeCloud.builder().clock(clock).door(open).door(new VipCdnFrontDoor()).build().start();
 * Account demo = OpenApiFrontDoor.demoAccount(cloud.store()); // demo-client / demo-secret
 * }</pre>
 */
public final class OpenApiFrontDoor implements FrontDoor {
  /** Client id of {@link #demoAccount}. */
  public static final String DEMO_CLIENT_ID = "demo-client";
  /** Client secret of {@link #demoAccount}. */
  public static final String DEMO_CLIENT_SECRET = "demo-secret";
  /** The one value of the Platform header the service accepts. */
  public static final String PLATFORM = "open_platform";

  private FakeCloud cloud;
  private VipCdnFrontDoor vip;
  final OpenTokens tokens = new OpenTokens();
  final OpenQps qps = new OpenQps();
  final OpenOAuthLimit oauthLimit = new OpenOAuthLimit();
  final OpenUploads uploads = new OpenUploads(this);
  final OpenShares shares = new OpenShares(this);
  final OpenTrash trashBin = new OpenTrash(this);
  final OpenOffline offline = new OpenOffline(this);
  final OpenDirectLinks directLinks = new OpenDirectLinks(this);
  private final OpenAsyncCopy asyncCopy = new OpenAsyncCopy(this);
  private final OpenTranscodeSpace transcodeSpace = new OpenTranscodeSpace(this);
  private final Map<String, Integer> forcedFailures = new HashMap<>();
  /** The paths (without the leading slash) of the endpoints that {@link #failNext} can fail. */
  private final Set<String> authEndpoints = ConcurrentHashMap.newKeySet();
  private final Map<String, int[]> forcedCodes = new HashMap<>();
  private final Map<String, String> forcedMessages = new HashMap<>();
  private final Map<String, Link> downloads = new ConcurrentHashMap<>();
  private final Map<String, OAuthApp> oauthApps = new ConcurrentHashMap<>();

  // ------------------------------------------------------------------ knobs
  volatile Duration tokenLifetime = Duration.ofDays(30);
  volatile Duration oauthTokenLifetime = Duration.ofSeconds(7200);
  volatile Duration refreshTokenLifetime = Duration.ofDays(90);
  volatile int maxLiveTokens = 3;
  volatile boolean requirePlatform = true;
  /**
   * Whether form-encoded bodies are read like JSON ones. Whether 123 does is UNKNOWN, but 123's own
   * PHP example posts form-encoded data (labelled as JSON) and p123client posts {@code sha1_reuse}
   * as a form, both in use; so the fake takes them. False: JSON only.
   */
  volatile boolean formBodies = true;
  volatile int missingPlatformCode = 1;
  volatile String missingPlatformMessage = "请求头platform不能为空";
  volatile boolean rejectLimitOver100 = true;
  volatile boolean listUnknownParentError;
  volatile Duration listingLag = Duration.ZERO;
  volatile double listingLagRate = 1.0;
  volatile long quirkSeed = 1;
  volatile boolean listCursorInclusive;
  volatile boolean listCategoryZeroFilters;
  volatile int maxNameLength = 255;
  volatile Duration verifyingAfterUpload = Duration.ZERO;
  volatile double verifyingAfterUploadRate = 1.0;
  volatile boolean infosUseListKey;
  volatile boolean infosNumericUpdateAt;
  volatile Duration downloadUrlLifetime = Duration.ofHours(2);
  volatile boolean directLinkRequiresVip = true;
  volatile int badCredentialsCode = 401;
  volatile BearerScheme bearerScheme = BearerScheme.EXACT;
  // Answers the protocol notes leave open (each also a /_fake/settings entry; see the setters).
  volatile String invalidTokenMessage = "access_token无效";
  volatile String expiredTokenMessage = "access_token已过期";
  volatile int folderDownloadCode = OpenWire.FILE_NOT_FOUND;
  volatile int outsideDirectLinkSpaceCode = 1;
  volatile int infosMaxIds;
  volatile boolean infosRefuseUnknownIds;
  volatile int nameClashCode = 1;
  volatile int sliceRefusalCode = 1;
  volatile int intoItselfCode = 1;
  volatile String tooFrequentMessage = "请求太频繁";
  volatile int uploadFailedCode = 1;
  volatile int invalidNameCode = 1;
  volatile int spaceFullCode = 1;
  volatile String spaceFullMessage = "存储空间不足";
  volatile boolean duplicateSwapped;
  volatile OAuthErrorShape oauthErrorShape = OAuthErrorShape.ENVELOPE;
  /** When every fake VIP began; a fixed date, like the end both APIs report. */
  private static final String VIP_START = "2024-01-01 00:00:00";

  @Override
  public void install(FakeCloud cloud) {
    this.cloud = cloud;
    // auth
    api("POST", "/api/v1/access_token", false, this::accessToken);
    cloud.route("open", "POST", "/api/v1/oauth2/access_token", this::oauthToken);
    // account and tree
    api("GET", "/api/v1/user/info", true, this::userInfo);
    api("GET", "/api/v2/file/list", true, this::listV2);
    api("GET", "/api/v1/file/list", true, this::listV1);
    api("GET", "/api/v1/file/detail", true, this::detail);
    api("POST", "/api/v1/file/infos", true, this::infos);
    api("POST", "/upload/v1/file/mkdir", true, this::mkdir);
    api("PUT", "/api/v1/file/name", true, this::rename);
    api("POST", "/api/v1/file/rename", true, this::batchRename);
    api("POST", "/api/v1/file/move", true, this::move);
    api("POST", "/api/v1/file/trash", true, this::trash);
    trashBin.install(); // delete, recover, recover/by_path
    api("POST", "/api/v1/file/copy", true, this::copy);
    asyncCopy.install();
    api("GET", "/api/v1/file/download_info", true, this::downloadInfo);
    api("POST", "/api/v1/direct-link/enable", true, (r, a) -> directLinkSwitch(r, a, true));
    api("POST", "/api/v1/direct-link/disable", true, (r, a) -> directLinkSwitch(r, a, false));
    api("GET", "/api/v1/direct-link/url", true, this::directLinkUrl);
    directLinks.install(); // cache/refresh, log, offline/logs, forbide-ip/*
    cloud.route("cdn", "GET", "/open-dl/*", this::serveDownload);
    uploads.install(cloud);
    shares.install();
    offline.install(cloud);
  }

  // ------------------------------------------------------------------ setup helpers

  /**
   * Creates the demo account: nickname {@code demo}, client id {@value #DEMO_CLIENT_ID}, secret
   * {@value #DEMO_CLIENT_SECRET}, free tier.
   */
  public static Account demoAccount(FakeStore store) {
    return store.createAccount("demo").client(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
        .phone("13800000000").mail("demo@example.com");
  }

  /** The account owning a client id. */
  public Optional<Account> accountByClientId(String clientId) {
    return cloud.store().accountByClientId(clientId);
  }

  // ------------------------------------------------------------------ configuration

  /** Lifetime of client-credential tokens (default 30 days, §6.2). */
  public OpenApiFrontDoor tokenLifetime(Duration d) { tokenLifetime = d; return this; }
  /** Lifetime of OAuth access tokens ({@code expires_in}, default 7200 s, §6.3). */
  public OpenApiFrontDoor oauthTokenLifetime(Duration d) { oauthTokenLifetime = d; return this; }
  /**
   * Requests a minute that one client address may send to {@code oauth2/access_token} (default 100,
   * as documented); the next one is refused and the address blocked (see {@link #oauthTokenBlock}).
   * 0 turns the limit off. It runs on the cloud's clock.
   */
  public OpenApiFrontDoor oauthTokenPerMinute(int n) { oauthLimit.perMinute = n; return this; }
  /**
   * How long an address that went over {@link #oauthTokenPerMinute} stays blocked, from the request
   * that went over; then it starts a new minute. UNKNOWN; default one minute. Zero: no block, a
   * request is refused only while the last minute holds the limit.
   */
  public OpenApiFrontDoor oauthTokenBlock(Duration d) { oauthLimit.block = d; return this; }
  /** Live client-credential tokens per client id before the oldest is kicked (default 3). */
  public OpenApiFrontDoor maxLiveTokens(int n) { maxLiveTokens = n; return this; }
  /**
   * Whether a missing or wrong {@code Platform} header is refused (default true). The real
   * answer is UNKNOWN; we answer code {@code code} (default 1) with {@code message}.
   */
  public OpenApiFrontDoor requirePlatform(boolean v) { requirePlatform = v; return this; }
  /**
   * How the {@code Authorization} header is read. 123's docs write it {@code Bearer <token>}, the
   * word and one space; what the gateway does with {@code bearer x}, {@code BEARER x} or two
   * spaces is UNKNOWN. The default, {@link BearerScheme#EXACT}, is a guess: Go services commonly
   * cut the literal prefix {@code "Bearer "} and look the rest up, so any other form finds no
   * token (401 {@code access_token无效}). {@link BearerScheme#ANY_CASE} reads it as HTTP defines
   * credentials instead (RFC 9110 §11.4: the scheme in any case, then one or more spaces).
   */
  public OpenApiFrontDoor bearerScheme(BearerScheme s) { bearerScheme = java.util.Objects.requireNonNull(s); return this; }

  /** The readings of the {@code Authorization} header's scheme ({@link #bearerScheme}). */
  public enum BearerScheme {
    /** {@code Bearer}, exactly so, and one space before the token (default; a guess). */
    EXACT,
    /** {@code Bearer} in any letter case and one or more spaces before the token (RFC 9110 §11.4). */
    ANY_CASE
  }

  /**
   * How {@code oauth2/access_token} answers a refused exchange (UNKNOWN; its success is plain JSON,
   * not the envelope). Setting {@code open.oauthErrorShape}.
   */
  public OpenApiFrontDoor oauthErrorShape(OAuthErrorShape s) { oauthErrorShape = java.util.Objects.requireNonNull(s); return this; }

  /** The shapes of a refusal from the OAuth token endpoint ({@link #oauthErrorShape}). */
  public enum OAuthErrorShape {
    /**
     * HTTP 200 and the usual envelope: code 401 for a bad refresh token or authorization code, 1 for
     * anything else (default; what the platform's other calls do).
     */
    ENVELOPE,
    /**
     * As RFC 6749 §5.2 words it: {@code {"error", "error_description"}} (the fake's Chinese text in
     * the description) with HTTP 400, or 401 for {@code invalid_client}; {@code error} is
     * {@code invalid_grant} for a bad refresh token or code, {@code invalid_client} for an unknown
     * app or secret, {@code unsupported_grant_type}, else {@code invalid_request}.
     */
    OAUTH
  }

  /** Whether form-encoded bodies ({@code a=1&b=x}) are read like JSON ones on JSON calls (default true; UNKNOWN, §14.10). */
  public OpenApiFrontDoor formBodies(boolean v) { formBodies = v; return this; }
  public OpenApiFrontDoor missingPlatformError(int code, String message) {
    missingPlatformCode = code;
    missingPlatformMessage = message;
    return this;
  }
  /**
   * Code for wrong client id / secret on {@code access_token}: UNKNOWN (§6.1); default 401 with
   * {@code clientID或clientSecret错误}.
   */
  public OpenApiFrontDoor badCredentialsCode(int code) { badCredentialsCode = code; return this; }
  /** Turns the QPS limits on or off (default on). */
  public OpenApiFrontDoor qpsEnabled(boolean v) { qps.enabled = v; return this; }
  /** Sets an endpoint's limit (path like {@code /api/v2/file/list}); ≤ 0 = unlimited. */
  public OpenApiFrontDoor qps(String endpoint, double freeQps, double vipQps) { qps.put(endpoint, freeQps, vipQps); return this; }
  /** The current free-tier table (endpoint without leading slash → QPS), a copy. */
  public Map<String, Double> freeQpsTable() { synchronized (qps) { return Map.copyOf(qps.free); } }
  /** The current VIP table, a copy. */
  public Map<String, Double> vipQpsTable() { synchronized (qps) { return Map.copyOf(qps.vip); } }
  /**
   * {@code limit > 100} on v2 list: refused with code 1 (default, true) or clamped to 100 —
   * which one the server does is UNKNOWN (§14.3).
   */
  public OpenApiFrontDoor rejectLimitOver100(boolean v) { rejectLimitOver100 = v; return this; }
  /**
   * Listing an unknown or trashed folder: the real answer is UNKNOWN. Default: an empty page
   * ({@code lastFileId -1}); true: code 1 {@code parentFileId不存在}.
   */
  public OpenApiFrontDoor listUnknownParentError(boolean v) { listUnknownParentError = v; return this; }
  /** Hide entries younger than this from v2 list (rclone saw lag, §11). Default zero. */
  public OpenApiFrontDoor listingLag(Duration d) { listingLag = d; return this; }
  /**
   * Which share of new entries lag ({@link #listingLag}); each entry is picked once, from
   * {@link #quirkSeed} and its id. Default 1 (every entry).
   */
  public OpenApiFrontDoor listingLag(Duration d, double rate) { listingLag = d; listingLagRate = rate; return this; }
  /** The seed of the per-entry quirk choices (listing lag, 20103 after upload). Default 1. */
  public OpenApiFrontDoor quirkSeed(long seed) { quirkSeed = seed; return this; }
  /**
   * The v2 list cursor as the official doc words it ("the id where the next page starts"):
   * {@code lastFileId} is the first id of the next page and the next page starts at it. Default
   * false: the id of the last entry returned, the next page starting after it (p123client's
   * reading). Which one the server does is UNKNOWN (§12.6, §14.1); drivers echo it either way.
   */
  public OpenApiFrontDoor listCursorInclusive(boolean v) { listCursorInclusive = v; return this; }
  /**
   * What v2 list's {@code category=0} asks for: UNKNOWN. 0 is documented as the value of a file of
   * no known kind, not as a filter; servers that read query numbers into plain integers cannot
   * tell 0 from an absent parameter, and 0 is what a client sends when it means "any". So by default
   * (false) 0 is no filter, like an absent or empty {@code category}. True: 0 keeps only the
   * entries of category 0 (folders and files of no known kind), as p123client's list of filter
   * values (0 未知, …) would have it.
   */
  public OpenApiFrontDoor listCategoryZeroFilters(boolean v) { listCategoryZeroFilters = v; return this; }
  /**
   * The longest name (in code points) that mkdir, rename and the upload creates accept. The
   * official create page says both "under 256" (its notes) and "under 255" (its parameter table),
   * so the real limit is UNKNOWN (docs/protocol/123open.md §7.2). The default, 255, refuses only
   * what both readings refuse, as an independent client's validator does, so no client is refused
   * a name the server may take (pan4j's driver itself stops at 254). Longer names get code 1 with
   * the invalid-name message.
   */
  public OpenApiFrontDoor maxNameLength(int v) { maxNameLength = v; return this; }
  /**
   * For {@code window} after a file is created, download_info and direct-link/url answer code
   * 20103 {@code 文件正在校验中,请间隔1秒后再试} for a share {@code rate} of files (picked per file
   * from {@link #quirkSeed}); the CH SDK retries this (§11). Default: off.
   */
  public OpenApiFrontDoor verifyingAfterUpload(Duration window, double rate) {
    verifyingAfterUpload = window;
    verifyingAfterUploadRate = rate;
    return this;
  }

  /** A per-entry choice: true for a share {@code rate} of ids, the same answer every time. */
  boolean picked(String salt, long id, double rate) {
    if (rate >= 1) return true;
    if (rate <= 0) return false;
    long mix = quirkSeed * 0x9E3779B97F4A7C15L ^ id * 0xC2B2AE3D27D4EB4FL ^ salt.hashCode();
    return new java.util.SplittableRandom(mix).nextDouble() < rate;
  }

  private void checkFreshlyUploaded(Node n) {
    Duration w = verifyingAfterUpload;
    if (w.isZero() || !cloud.now().isBefore(n.created().plus(w))) return;
    if (picked("20103", n.id(), verifyingAfterUploadRate)) throw error(20103, OpenWire.VERIFYING);
  }
  /** Name the infos list {@code list} (the 2025-03 example) instead of {@code fileList}. */
  public OpenApiFrontDoor infosUseListKey(boolean v) { infosUseListKey = v; return this; }
  /**
   * Give infos' {@code updateAt} as a number, as the docs' table types it (one Go SDK decodes it
   * as int64), instead of the example's {@code "yyyy-MM-dd HH:mm:ss"} string. The number's unit is
   * UNKNOWN; the fake sends Unix seconds.
   */
  public OpenApiFrontDoor infosNumericUpdateAt(boolean v) { infosNumericUpdateAt = v; return this; }
  /** Lifetime of download_info URLs (UNKNOWN, default 2 h); expired URLs answer 403. */
  public OpenApiFrontDoor downloadUrlLifetime(Duration d) { downloadUrlLifetime = d; return this; }
  /** Whether direct-link calls need a VIP account (default true, the documented prerequisite). */
  public OpenApiFrontDoor directLinkRequiresVip(boolean v) { directLinkRequiresVip = v; return this; }
  /** The VIP direct-link door to use (default: the one installed in the cloud). */
  public OpenApiFrontDoor vipDoor(VipCdnFrontDoor door) { vip = door; return this; }
  /** Slice size announced by create (default 16 MiB); tests use small values. */
  public OpenApiFrontDoor sliceSize(long bytes) { uploads.sliceSize = bytes; return this; }
  /**
   * How many "still verifying" answers upload_complete gives before the result, for every size
   * (default 2): they alternate {@code completed:false} (code 0) and code 20103.
   */
  public OpenApiFrontDoor verifyingReplies(int n) {
    synchronized (uploads.verifyingBySize) {
      uploads.verifyingBySize.clear();
      uploads.verifyingBySize.put(0L, n);
    }
    return this;
  }
  /**
   * How many "still verifying" answers uploads of at least {@code minSize} bytes get (until a
   * larger threshold applies). The real service verifies longer for larger files; how long is
   * UNKNOWN. Example: {@code verifyingReplies(0).verifyingRepliesFrom(64 << 20, 4)}.
   */
  public OpenApiFrontDoor verifyingRepliesFrom(long minSize, int n) {
    uploads.verifyingBySize.put(Math.max(0, minSize), n);
    return this;
  }
  /**
   * Whether a repeated v1 create of the same file answers the still-open session's preuploadID
   * (default true; what 123 does is undocumented, see {@code OpenUploads#v1SameSessionOnRepeat}).
   */
  public OpenApiFrontDoor v1SameSessionOnRepeat(boolean same) {
    uploads.v1SameSessionOnRepeat = same;
    return this;
  }

  /** How long a v1 part URL from get_upload_url works (default 1 hour, stated in its X-Amz-Expires; UNKNOWN). */
  public OpenApiFrontDoor v1PartUrlLifetime(java.time.Duration ttl) {
    uploads.v1PartUrlLifetime = ttl;
    return this;
  }

  /** Whether v2 create names the upload host in {@code servers} (default true; false: an empty list). */
  public OpenApiFrontDoor v2CreateNamesServers(boolean names) {
    uploads.v2CreateNamesServers = names;
    return this;
  }

  /** How many {@code upload_async_result} polls answer {@code completed:false} (v1, default 1). */
  public OpenApiFrontDoor asyncReplies(int n) { uploads.asyncReplies = n; return this; }
  /**
   * Behaviour of create when the name exists and {@code duplicate} is omitted (UNKNOWN, §14.4):
   * 0 = refuse with code 1 (default), 1 = keep both, 2 = overwrite.
   */
  public OpenApiFrontDoor duplicateWhenOmitted(int policy) { uploads.duplicateWhenOmitted = policy; return this; }
  /**
   * Whether {@code duplicate: 2} keeps the old file id (replacing its content) — UNKNOWN; by
   * default (false) the old file goes to the trash and the upload gets a new id.
   */
  public OpenApiFrontDoor overwriteKeepsId(boolean v) { uploads.overwriteKeepsId = v; return this; }
  /** Whether zero-byte uploads are refused at create (default true; UNKNOWN, §7.3). */
  public OpenApiFrontDoor refuseEmptyFiles(boolean v) { uploads.refuseEmpty = v; return this; }
  /**
   * Whether slice / single uploads without Content-Length and larger than
   * {@link #chunkedUploadLimit} get an empty HTTP 500, as the real gateway has been seen to answer
   * large chunked bodies (§8.18.2). Default false: a widely used client sends every slice chunked
   * and works against the real gateway, whose reported failures come after about 60 s.
   */
  public OpenApiFrontDoor rejectChunkedUploads(boolean v) { uploads.rejectChunked = v; return this; }
  /**
   * Whether slice and single-upload bodies whose multipart lines end in a bare LF are read
   * (default true). RFC 2046 asks for CRLF; the upload host is a Go service and Go's
   * {@code mime/multipart} reads a body whose first delimiter line ends in LF with LF line ends
   * throughout. Which parser 123 runs is UNKNOWN, so this is a guess; false: CRLF only.
   */
  public OpenApiFrontDoor multipartBareLf(boolean v) { uploads.multipartBareLf = v; return this; }
  /**
   * Above how many body bytes a chunked slice / single upload is refused (default 1 MiB; the
   * evidence is about 16 MiB slices, the exact threshold is UNKNOWN). 0 refuses every chunked body.
   */
  public OpenApiFrontDoor chunkedUploadLimit(long bytes) { uploads.chunkedLimit = bytes; return this; }

  // ------------------------------------------------------------------ test hooks

  /**
   * How {@code share/list} writes the {@code expiration} of a permanent share (UNKNOWN; default
   * {@code ""}). E.g. {@code "2099-12-31 23:59:59"} to try a far-future date instead.
   */
  public OpenApiFrontDoor permanentShareExpiration(String text) { shares.permanentExpiration = text; return this; }

  // ------------------------------------------------------------------ unknown answers, chosen

  /**
   * The text of the 401 for a missing or unknown access token. Only {@code tokens number has
   * exceeded the limit} (a kicked token) is confirmed; this one is UNKNOWN. Default
   * {@code access_token无效}; setting {@code open.invalidTokenMessage}.
   */
  public OpenApiFrontDoor invalidTokenMessage(String text) { invalidTokenMessage = requireText(text); return this; }
  /**
   * The text of the 401 for an expired access token (UNKNOWN). Default {@code access_token已过期};
   * e.g. the invalid-token text for a service that does not tell the two apart. Setting
   * {@code open.expiredTokenMessage}.
   */
  public OpenApiFrontDoor expiredTokenMessage(String text) { expiredTokenMessage = requireText(text); return this; }
  /**
   * The code download_info answers for a folder's id (UNKNOWN): 5066 {@code 文件不存在} by default,
   * as for an id that names no file; any other code comes with {@code 不支持下载文件夹}. Setting
   * {@code open.folderDownloadInfoCode}.
   */
  public OpenApiFrontDoor folderDownloadInfoCode(int code) { folderDownloadCode = requireErrorCode(code); return this; }
  /**
   * The code direct-link/url answers for a file outside every direct-link space (UNKNOWN): 1 by
   * default, with {@code 该文件不在直链空间内，请先开启直链空间}. Setting {@code open.outsideDirectLinkSpaceCode}.
   */
  public OpenApiFrontDoor outsideDirectLinkSpaceCode(int code) { outsideDirectLinkSpaceCode = requireErrorCode(code); return this; }
  /**
   * The most ids one file/infos call takes (UNKNOWN): 0, the default, sets no cap; above a cap the
   * call is refused with code 1 {@code fileIds最多支持N个}, as the other batch calls refuse past 100.
   * Setting {@code open.infosMaxIds}.
   */
  public OpenApiFrontDoor infosMaxIds(int max) {
    if (max < 0) throw new IllegalArgumentException("a cap of 0 (none) or more ids, not " + max);
    infosMaxIds = max;
    return this;
  }

  /**
   * The text of code 429 (a QPS limit, the OAuth token endpoint's limit, {@link #failNext}): the
   * documentation writes {@code 请求太频繁}, the text the live service sends is UNKNOWN. Setting
   * {@code open.tooFrequentMessage}.
   */
  public OpenApiFrontDoor tooFrequentMessage(String text) { tooFrequentMessage = requireText(text); return this; }
  /**
   * The code of {@code 文件上传失败}, the final refusal of an upload whose bytes do not match its MD5
   * or size (UNKNOWN; default 1). Setting {@code open.uploadFailedCode}.
   */
  public OpenApiFrontDoor uploadFailedCode(int code) { uploadFailedCode = requireErrorCode(code); return this; }
  /**
   * The code of the invalid-name refusal of mkdir, rename, upload creates and offline downloads,
   * whose text begins {@code 文件名要小于256个字符} (UNKNOWN; default 1). Setting {@code open.invalidNameCode}.
   */
  public OpenApiFrontDoor invalidNameCode(int code) { invalidNameCode = requireErrorCode(code); return this; }

  /** Refuses a name 123 refuses (§7.2): too long for {@link #maxNameLength}, blank or with a forbidden character. */
  void checkName(String name) { OpenWire.checkName(name, maxNameLength, invalidNameCode); }

  /**
   * What file/infos does with ids that name nothing (UNKNOWN): leaves them out of the list
   * (default, false), or refuses the whole call with 5066 (true). Setting {@code open.infosRefuseUnknownIds}.
   */
  public OpenApiFrontDoor infosRefuseUnknownIds(boolean v) { infosRefuseUnknownIds = v; return this; }

  /**
   * The code of a refusal for a name already taken in the folder: rename, move, copy, async copy,
   * recover/by_path, and upload creates that may not replace (UNKNOWN; default 1, texts
   * {@code 当前目录有重名文件} / {@code 目标目录下存在同名文件}). Setting {@code open.nameClashCode}.
   */
  public OpenApiFrontDoor nameClashCode(int code) { nameClashCode = requireErrorCode(code); return this; }

  OpenWire.OpenError nameClash(String text) { return OpenWire.error(nameClashCode, text); }

  /**
   * The refusal of an upload that does not fit into the account's space (create v1/v2,
   * single/create, and sha1_reuse and create when they would reuse content), and of a copy
   * ({@code file/copy}, {@code file/async/copy}) that does not: no source shows it, so both are
   * guesses; default code 1 (the generic business refusal) and {@code 存储空间不足}.
   * Settings {@code open.spaceFullCode}, {@code open.spaceFullMessage}; the space itself is the
   * account's ({@link Account#spacePermanent(long)}), and {@link FakeStore#checkSpace(boolean)}
   * turns the check off.
   */
  public OpenApiFrontDoor spaceFull(int code, String message) {
    spaceFullCode = requireErrorCode(code);
    spaceFullMessage = java.util.Objects.requireNonNull(message);
    return this;
  }

  /** Refuses a new file of {@code size} bytes that would take the account past its space. */
  void checkSpace(long uid, long size) {
    if (store().spaceFor(uid, size) != null) throw OpenWire.error(spaceFullCode, spaceFullMessage);
  }

  /**
   * Reads {@code duplicate} 1 as "overwrite" and 2 as "keep both" (default false: 1 keeps both, 2
   * overwrites, as the official create page says). One web client is known to map them the other
   * way round; this lets a suite check that its client does not rely on that reading. Setting
   * {@code open.duplicateSwapped}.
   */
  public OpenApiFrontDoor duplicateSwapped(boolean v) { duplicateSwapped = v; return this; }
  /**
   * The code refusing a slice or a session (UNKNOWN; default 1): an unknown {@code preuploadID}, a
   * {@code sliceNo} out of range, a slice of the wrong length or MD5, and completing with slices
   * missing. Setting {@code open.sliceRefusalCode}.
   */
  public OpenApiFrontDoor sliceRefusalCode(int code) { sliceRefusalCode = requireErrorCode(code); return this; }
  /**
   * The code refusing a move, or an async copy, of a folder into itself or one of its descendants
   * (UNKNOWN; default 1). Setting {@code open.intoItselfCode}.
   */
  public OpenApiFrontDoor intoItselfCode(int code) { intoItselfCode = requireErrorCode(code); return this; }

  private static String requireText(String text) {
    if (text == null || text.isEmpty()) throw new IllegalArgumentException("a text, not empty");
    return text;
  }

  private static int requireErrorCode(int code) {
    if (code == 0) throw new IllegalArgumentException("an error code, not 0 (success)");
    return code;
  }
  /** Shares made through {@code share/create} by an account. */
  public int sharesCreated(Account account) { return shares.created(account.uid()); }
  /** The {@code [trafficSwitch, trafficLimitSwitch, trafficLimit]} a share has now (as made, or as changed by share/list/info), or null. */
  public long[] shareTraffic(String shareKey) { return shares.traffic(shareKey); }
  /** The recycle-bin endpoints and their settings (delete, recover, recover/by_path). */
  public OpenTrash trashBin() { return trashBin; }
  /** The direct-link management endpoints (cache refresh, logs, IP blacklist) and their settings. */
  public OpenDirectLinks directLinks() { return directLinks; }
  /** The transcoding space ({@code businessType=2} on v2 list), empty until a test adds entries. */
  public OpenTranscodeSpace transcodeSpace() { return transcodeSpace; }
  /** Offline download settings of this door (the tasks themselves: {@link FakeOffline#of}). */
  public OpenOffline offline() { return offline; }

  /** How many successful {@code POST /api/v1/access_token} calls were served. */
  public int accessTokenCalls() { return tokens.accessTokenCalls(); }

  /** Requests to {@code endpoint} (e.g. {@code /api/v2/file/list}) refused with 429 for exceeding its QPS limit. */
  public int overLimit(String endpoint) { return qps.refused(endpoint); }
  /** Live client-credential and OAuth tokens of a client id (neither revoked nor expired). */
  public List<String> liveTokens(String clientId) { return tokens.live(clientId, cloud.now()); }
  /** Every access token issued so far, oldest first. */
  public List<String> issuedTokens() { return tokens.all().stream().map(t -> t.token).toList(); }
  /** Revokes a token: its next use answers code 401 {@code tokens number has exceeded the limit}. */
  public boolean revokeToken(String token) { return tokens.revoke(token, OpenWire.TOO_MANY_TOKENS); }
  /** Revokes every token of a client id; returns how many. */
  public int revokeAllTokens(String clientId) { return tokens.revokeClient(clientId, OpenWire.TOO_MANY_TOKENS); }

  /** The next {@code times} calls of an endpoint (path like {@code /api/v2/file/list}) answer code 429. */
  public OpenApiFrontDoor failNext(String endpoint, int times) {
    return failNext(endpoint, times, 429, tooFrequentMessage);
  }

  /**
   * The next {@code times} calls of an endpoint answer this code and message (HTTP 200).
   *
   * @throws IllegalArgumentException when the installed door serves no signed-in endpoint of that
   *     path (a misspelt path would otherwise wait for a call that never comes)
   */
  public synchronized OpenApiFrontDoor failNext(String endpoint, int times, int code, String message) {
    String k = OpenQps.key(endpoint);
    if (!authEndpoints.isEmpty()) {
      ServedPaths.require(authEndpoints.stream().map(e -> "/" + e).toList(), "/" + k,
          "the fake open platform serves no signed-in endpoint", "failNext");
    }
    forcedFailures.put(k, times);
    forcedCodes.put(k, new int[] {code});
    forcedMessages.put(k, message);
    return this;
  }

  /**
   * A request matcher for {@link FakeCloud#inject}: requests whose path is {@code path}, e.g.
   * {@code cloud.inject("open", OpenApiFrontDoor.endpoint("/api/v2/file/list"), Fault.html(502), 2)}.
   */
  public static java.util.function.Predicate<FakeRequest> endpoint(String path) {
    return r -> r.path().equals(path);
  }

  /** The next {@code times} upload_complete verifications (v1 and v2) fail with {@code 文件上传失败}. */
  public OpenApiFrontDoor failUploadCompletes(int times) { uploads.failCompletes.set(times); return this; }
  /** The next {@code times} slices received fail with an HTTP 500 (empty body), like the gateway. */
  public OpenApiFrontDoor failSlices(int times) { uploads.failSlices.set(times); return this; }
  /** Upload sessions (v1 and v2) so far. */
  public List<UploadSession> uploadSessions() { return uploads.sessions(); }
  /** Registers an OAuth app ({@code client_id}/{@code client_secret} of §6.3). */
  public OpenApiFrontDoor oauthApp(String clientId, String clientSecret) {
    oauthApps.put(clientId, new OAuthApp(clientId, clientSecret));
    return this;
  }
  /**
   * Issues a refresh token for an account under an OAuth app, as if the user had authorised it
   * (the app is registered on the fly with the secret given).
   */
  public String issueRefreshToken(Account account, String clientId, String clientSecret) {
    oauthApp(clientId, clientSecret);
    return tokens.newRefresh(account.uid(), clientId, cloud.now().plus(refreshTokenLifetime), null).token();
  }
  /**
   * An authorization code for {@code grant_type=authorization_code}, as if the account's user had
   * authorised the app on the authorise page with this {@code redirect_uri} (the app is registered
   * on the fly with the secret given). Only that app, sending exactly that {@code redirect_uri},
   * can redeem it, once.
   */
  public String issueAuthorizationCode(Account account, String clientId, String clientSecret, String redirectUri) {
    if (redirectUri == null || redirectUri.isEmpty()) throw new IllegalArgumentException("an authorisation has a redirect_uri");
    oauthApp(clientId, clientSecret);
    return tokens.newAuthCode(account.uid(), clientId, redirectUri);
  }

  /**
   * A view of one upload session for assertions.
   *
   * @param preuploadId the id create returned
   * @param version 1 or 2
   * @param uid the owner
   * @param filename the name requested
   * @param size declared size
   * @param sliceSize the slice size announced
   * @param slicesReceived distinct slices stored
   * @param sliceCount slices needed
   * @param state {@code OPEN}, {@code COMPLETED} or {@code FAILED}
   * @param fileId the resulting file id, 0 before completion
   */
  public record UploadSession(String preuploadId, int version, long uid, String filename, long size, long sliceSize,
      int slicesReceived, int sliceCount, String state, long fileId) {}

  // ------------------------------------------------------------------ plumbing

  /** An authenticated API handler. */
  @FunctionalInterface
  interface Api {
    JsonNode handle(FakeRequest req, Account account) throws Exception;
  }

  FakeCloud cloud() { return cloud; }
  /** The async copy endpoints (§8.14) and their settings. */
  public OpenAsyncCopy asyncCopy() { return asyncCopy; }
  FakeStore store() { return cloud.store(); }

  /** Registers an enveloped endpoint on the API host. */
  void api(String method, String path, boolean auth, Api handler) {
    route("open", method, path, auth, handler);
  }

  void route(String server, String method, String path, boolean auth, Api handler) {
    String endpoint = OpenQps.key(path);
    if (auth || endpoint.equals("api/v1/access_token")) authEndpoints.add(endpoint);
    cloud.route(server, method, path, req -> {
      String trace = cloud.traceId();
      if (formBodies) req.acceptFormBody();
      try {
        Account a = null;
        if (auth) {
          checkPlatform(req, endpoint);
          a = authenticate(req);
          checkForced(endpoint);
          admitQps(server, a, endpoint);
        }
        JsonNode data = handler.handle(req, a);
        return OpenWire.ok(trace, data);
      } catch (OpenError e) {
        return OpenWire.envelope(trace, e.code, e.getMessage(), null);
      } catch (RawResponse r) {
        return r.response;
      }
    });
  }

  /** Thrown by a handler that answers outside the envelope (gateway failures). */
  static final class RawResponse extends RuntimeException {
    final transient MockResponse response;

    RawResponse(MockResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  /**
   * The QPS check: a request over the limit is counted ({@link FakeCounters#overLimit}) even when
   * limits are off, and refused with code 429 when they are on.
   */
  private void admitQps(String server, Account a, String endpoint) {
    OpenQps.Verdict v = qps.admit(a.uid(), a.vip(), endpoint, cloud.now());
    if (v == OpenQps.Verdict.ADMIT) return;
    cloud.counters().overLimit(server, "/" + endpoint);
    // Code 429 is documented; the text of a real refusal is UNKNOWN ("too frequent" is our choice).
    if (v == OpenQps.Verdict.REFUSE) throw error(429, tooFrequentMessage);
  }

  void checkPlatform(FakeRequest req) {
    checkPlatform(req, null);
  }

  /**
   * Values of {@code Platform} besides {@code open_platform} that an endpoint takes: a client in
   * production use asks for download links with {@code platform: android}. Whether other values
   * pass anywhere is UNKNOWN; they are refused like a missing header.
   */
  private static final Map<String, Set<String>> OTHER_PLATFORMS =
      Map.of("api/v1/file/download_info", Set.of("android"));

  private void checkPlatform(FakeRequest req, String endpoint) {
    if (!requirePlatform) return;
    String p = req.header("Platform");
    if (PLATFORM.equals(p)) return;
    if (p != null && endpoint != null && OTHER_PLATFORMS.getOrDefault(endpoint, Set.of()).contains(p)) return;
    throw error(missingPlatformCode, missingPlatformMessage);
  }

  /** How many {@link #failNext} answers are still to be served. */
  synchronized int forcedFailuresLeft() {
    return forcedFailures.values().stream().mapToInt(left -> Math.max(0, left)).sum();
  }

  synchronized void clearForcedFailures() {
    forcedFailures.clear();
  }

  private synchronized void checkForced(String endpoint) {
    Integer left = forcedFailures.get(endpoint);
    if (left == null || left <= 0) return;
    forcedFailures.put(endpoint, left - 1);
    throw error(forcedCodes.get(endpoint)[0], forcedMessages.get(endpoint));
  }

  /**
   * Resolves the bearer token. Missing / unknown → 401 {@link #invalidTokenMessage}; expired → 401
   * {@link #expiredTokenMessage}; kicked or revoked → 401 {@code tokens number has exceeded the
   * limit}. Only the last text is confirmed (§4); the other two are UNKNOWN and chosen here.
   */
  Account authenticate(FakeRequest req) {
    String token = bearerToken(req.header("Authorization"), bearerScheme);
    if (token == null) throw error(401, invalidTokenMessage);
    OpenTokens.Issued t = tokens.find(token);
    if (t == null) throw error(401, invalidTokenMessage);
    synchronized (tokens) {
      if (t.revoked != null) throw error(401, t.revoked);
    }
    if (!cloud.now().isBefore(t.expiresAt)) throw error(401, expiredTokenMessage);
    return store().account(t.uid).orElseThrow(() -> error(401, invalidTokenMessage));
  }

  /** The token of an {@code Authorization} value read as {@code scheme} says, or null when it names none. */
  static String bearerToken(String header, BearerScheme scheme) {
    if (header == null) return null;
    if (scheme == BearerScheme.EXACT) return header.startsWith("Bearer ") && header.length() > 7 ? header.substring(7) : null;
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    String token = header.substring(7).replaceFirst("^ +", "");
    return token.isEmpty() ? null : token;
  }

  // ------------------------------------------------------------------ auth endpoints

  private JsonNode accessToken(FakeRequest req, Account unused) {
    checkPlatform(req);
    String id = req.textField("clientID");
    String secret = req.textField("clientSecret");
    if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) throw fail("clientID和clientSecret不能为空");
    Account a = store().accountByClientId(id).orElse(null);
    if (a == null || !secret.equals(a.clientSecret())) throw error(badCredentialsCode, "clientID或clientSecret错误");
    checkForced("api/v1/access_token");
    admitQps("open", a, "api/v1/access_token");
    OpenTokens.Issued t = tokens.issue(a, cloud.now(), tokenLifetime, maxLiveTokens);
    cloud.counters().tokenMinted("open");
    ObjectNode d = OpenWire.object();
    d.put("accessToken", t.token);
    d.put("expiredAt", OpenWire.rfc3339(t.expiresAt));
    return d;
  }

  private record OAuthApp(String clientId, String secret) {}

  /**
   * OAuth token exchange (§6.3): query parameters, un-enveloped answer. The error shape is
   * UNKNOWN; by default we answer HTTP 200 with the usual envelope, code 401 (bad refresh token /
   * code) or 1 (bad parameters / app), so a driver sees a business error either way;
   * {@link #oauthErrorShape} switches to RFC 6749's {@code error}/{@code error_description}.
   *
   * <p>Before anything else, the per-address limit (§5.4, {@link OpenOAuthLimit}): a refused
   * request gets HTTP 429 with the envelope's code 429 {@code 请求太频繁}. Both are UNKNOWN: a block
   * of the caller's IP is the gateway's doing, and the gateway answers with real HTTP statuses
   * (§3), while the body has the shape of the endpoint's other errors and the documented 429 code.
   */
  private MockResponse oauthToken(FakeRequest req) {
    String trace = cloud.traceId();
    if (!oauthLimit.admit(req.clientAddress(), cloud.now())) {
      cloud.counters().overLimit("open", req.path());
      ObjectNode e = OpenWire.object();
      e.put("code", 429);
      e.put("message", tooFrequentMessage);
      e.putNull("data");
      e.put("x-traceID", trace);
      return OpenWire.json(429, trace, e);
    }
    try {
      checkPlatform(req);
      String clientId = OpenWire.query(req, "client_id");
      String secret = OpenWire.query(req, "client_secret");
      String grant = OpenWire.query(req, "grant_type");
      // The parameters go in the query string (the docs); 123's answer when they are missing is
      // UNKNOWN, so the fake says which one is missing rather than that it is wrong.
      if (clientId == null) throw fail("client_id不能为空");
      if (secret == null) throw fail("client_secret不能为空");
      OAuthApp app = oauthApps.get(clientId);
      if (app == null || !app.secret().equals(secret)) throw new OAuthRefusal(1, "client_id或client_secret错误", "invalid_client");
      long uid;
      if ("refresh_token".equals(grant)) {
        String rt = OpenWire.query(req, "refresh_token");
        OpenTokens.Refresh r = rt == null ? null : tokens.takeRefresh(rt, cloud.now());
        if (r == null || !r.clientId().equals(clientId)) throw new OAuthRefusal(401, "refresh_token无效", "invalid_grant");
        if (r.accessToken() != null) tokens.revoke(r.accessToken(), "access_token无效");
        uid = r.uid();
      } else if ("authorization_code".equals(grant)) {
        String code = OpenWire.query(req, "code");
        String redirectUri = OpenWire.query(req, "redirect_uri");
        if (redirectUri == null) throw fail("redirect_uri不能为空");
        // A code is spent by any attempt, and redeems only for the app it was given to with the
        // redirect_uri of that authorisation, compared exactly (standard OAuth). 123's answer to a
        // mismatch is UNKNOWN: it gets the same answer as an unknown code.
        OpenTokens.AuthCode c = code == null ? null : tokens.takeAuthCode(code);
        if (c == null || !c.clientId().equals(clientId) || !c.redirectUri().equals(redirectUri)) {
          throw new OAuthRefusal(401, "code无效", "invalid_grant");
        }
        uid = c.uid();
      } else {
        throw new OAuthRefusal(1, "grant_type错误", "unsupported_grant_type");
      }
      OAuthGrant g = grant(uid, clientId);
      ObjectNode o = OpenWire.object();
      o.put("access_token", g.accessToken());
      o.put("expires_in", g.expiresIn());
      o.put("refresh_token", g.refreshToken());
      o.put("scope", "user:base,file:all:read,file:all:write");
      o.put("token_type", "Bearer");
      return OpenWire.json(200, trace, o);
    } catch (OAuthRefusal e) {
      return oauthRefusal(trace, e.code, e.getMessage(), e.error);
    } catch (OpenError e) {
      return oauthRefusal(trace, e.code, e.getMessage(), "invalid_request");
    }
  }

  /** A refused token exchange in the shape {@link #oauthErrorShape} picks. */
  private MockResponse oauthRefusal(String trace, int code, String message, String error) {
    if (oauthErrorShape == OAuthErrorShape.ENVELOPE) return OpenWire.envelope(trace, code, message, null);
    ObjectNode o = OpenWire.object();
    o.put("error", error);
    o.put("error_description", message);
    return OpenWire.json(error.equals("invalid_client") ? 401 : 400, trace, o);
  }

  /** A refused token exchange: its envelope code and text, and its RFC 6749 {@code error}. */
  private static final class OAuthRefusal extends RuntimeException {
    final int code;
    final String error;

    OAuthRefusal(int code, String message, String error) {
      super(message, null, false, false);
      this.code = code;
      this.error = error;
    }
  }

  /** The tokens of one OAuth grant: what the token endpoint hands out (and a renewal service relays). */
  record OAuthGrant(String accessToken, long expiresIn, String refreshToken) {}

  /** Issues an OAuth access token and its single-use refresh token for {@code uid} under an app. */
  OAuthGrant grant(long uid, String clientId) {
    OpenTokens.Issued t = tokens.issueOauth(uid, clientId, cloud.now(), oauthTokenLifetime);
    cloud.counters().tokenMinted("oauth");
    OpenTokens.Refresh next = tokens.newRefresh(uid, clientId, cloud.now().plus(refreshTokenLifetime), t.token);
    return new OAuthGrant(t.token, oauthTokenLifetime.toSeconds(), next.token());
  }

  /**
   * Redeems a refresh token of app {@code clientId} as {@code grant_type=refresh_token} does: the
   * refresh token is spent, the access token issued with it stops working, a new pair is granted.
   * Null when the refresh token is unknown, already used, expired or of another app.
   */
  OAuthGrant redeem(String refreshToken, String clientId) {
    OpenTokens.Refresh r = refreshToken == null ? null : tokens.takeRefresh(refreshToken, cloud.now());
    if (r == null || !r.clientId().equals(clientId)) return null;
    if (r.accessToken() != null) tokens.revoke(r.accessToken(), "access_token无效");
    return grant(r.uid(), clientId);
  }

  // ------------------------------------------------------------------ account

  private JsonNode userInfo(FakeRequest req, Account a) {
    ObjectNode d = OpenWire.object();
    d.put("uid", a.uid());
    d.put("nickname", a.nickname() == null ? "" : a.nickname());
    d.put("headImage", "https://download-cdn.123pan.cn/avatar/default.png");
    d.put("passport", a.phone() == null ? "" : a.phone());
    d.put("mail", a.mail() == null ? "" : a.mail());
    d.put("spaceUsed", store().spaceUsed(a.uid()));
    d.put("spacePermanent", a.spacePermanent());
    d.put("spaceTemp", 0L);
    d.put("spaceTempExpr", 0); // number 0 on the wire (the table says string; §12.8)
    d.put("vip", a.vip());
    d.put("directTraffic", a.directTraffic());
    d.put("isHideUID", false);
    d.put("httpsCount", 0);
    if (a.vip()) {
      ArrayNode vipInfo = d.putArray("vipInfo");
      ObjectNode v = vipInfo.addObject();
      v.put("vipLevel", a.vipLevel());
      v.put("vipLabel", a.vipLabel());
      v.put("startTime", VIP_START);
      v.put("endTime", WebJson.VIP_EXPIRE); // the web API's VipExpire for the same account
    } else {
      d.putNull("vipInfo");
    }
    ObjectNode dev = d.putObject("developerInfo");
    dev.put("startTime", OpenWire.time(cloud.now().minus(Duration.ofDays(30))));
    dev.put("endTime", OpenWire.time(cloud.now().plus(Duration.ofDays(335))));
    return d;
  }

  // ------------------------------------------------------------------ listing

  /**
   * v2 list (§8.2). Ascending id order; trashed entries (and entries of trashed folders) are
   * INCLUDED with {@code trashed:1}; the {@code trashed} parameter is ignored. The cursor is
   * exclusive: {@code lastFileId} is the id of the last entry returned, the next page starts after
   * it; -1 marks the last page (UNKNOWN semantics, §14.1 — drivers must echo it verbatim).
   *
   * <p>{@code category} keeps only the entries of that category (§7.1; folders are category 0),
   * before paging, so the cursor walks the filtered entries; absent, empty or (see
   * {@link #listCategoryZeroFilters}) 0 is no filter. {@code businessType=2} lists the transcoding
   * space ({@link OpenTranscodeSpace}) instead of the drive; absent, empty or 0 is the drive. Other
   * business types are undocumented and refused with code 1 rather than answered with the drive.
   */
  /** The {@code businessType} of the transcoding space (§8.2). */
  private static final long TRANSCODE_SPACE = 2;

  private JsonNode listV2(FakeRequest req, Account a) {
    Long parent = OpenWire.queryLong(req, "parentFileId");
    Long limit = OpenWire.queryLong(req, "limit");
    if (parent == null) throw fail("parentFileId不能为空");
    if (limit == null) throw fail("limit不能为空");
    if (limit <= 0) throw fail("limit参数错误");
    if (limit > 100) {
      if (rejectLimitOver100) throw fail("limit不能大于100");
      limit = 100L;
    }
    Long last = OpenWire.queryLong(req, "lastFileId");
    long after = last == null || last < 0 ? 0 : listCursorInclusive ? last - 1 : last;
    String search = OpenWire.query(req, "searchData");
    Long mode = OpenWire.queryLong(req, "searchMode");
    Long category = OpenWire.queryLong(req, "category");
    if (category != null && category == 0 && !listCategoryZeroFilters) category = null;
    Long business = OpenWire.queryLong(req, "businessType");
    if (business != null && business != 0 && business != TRANSCODE_SPACE) throw fail("businessType参数错误");
    List<Node> all;
    if (business != null && business == TRANSCODE_SPACE) {
      boolean exact = mode != null && mode == 1;
      boolean known = transcodeSpace.isFolder(a.uid(), parent);
      if (search == null && !known && listUnknownParentError) throw fail("parentFileId不存在");
      all = search != null ? transcodeSpace.search(a.uid(), search, exact)
          : known ? transcodeSpace.children(a.uid(), parent) : List.of();
    } else if (search != null && mode != null && mode == 1) {
      all = new ArrayList<>(store().allNodes(a.uid()).stream().filter(n -> n.name().equals(search)).toList());
    } else if (search != null) {
      all = store().search(a.uid(), search);
    } else {
      boolean known = parent == FakeStore.ROOT
          || store().node(a.uid(), parent).filter(Node::folder).filter(n -> !store().isTrashed(n)).isPresent();
      if (!known && listUnknownParentError) throw fail("parentFileId不存在");
      all = known ? store().children(a.uid(), parent, true) : List.of();
    }
    Instant visibleBefore = cloud.now().minus(listingLag);
    ArrayNode list = OpenWire.array();
    long lastId = -1;
    long nextId = -1;
    int count = 0;
    boolean more = false;
    for (Node n : all) {
      if (n.id() <= after) continue;
      if (category != null && OpenWire.category(n) != category) continue;
      if (!listingLag.isZero() && n.created().isAfter(visibleBefore) && picked("lag", n.id(), listingLagRate)) continue;
      if (count == limit) {
        more = true;
        nextId = n.id();
        break;
      }
      ObjectNode item = OpenWire.fileObject(store(), n);
      // v2 thumbnail: UNKNOWN whether the field is there (see FakeThumbnails); a setting.
      if (cloud.thumbnails().openV2()) item.put("thumbnail", cloud.thumbnails().url(n, OpenWire.category(n)));
      list.add(item);
      lastId = n.id();
      count++;
    }
    ObjectNode d = OpenWire.object();
    d.put("lastFileId", more ? (listCursorInclusive ? nextId : lastId) : -1);
    d.set("fileList", list);
    return d;
  }

  /**
   * Legacy v1 list (§8.3): page-based with {@code total}; {@code trashed=true} lists the recycle
   * bin of that folder, otherwise only live entries; {@code fileID} with a capital D and times
   * like {@code 2025-02-24 17:57:01 +0800 CST}. Low priority: neither OpenList nor our driver uses it (docs/protocol/123open.md §8.3); ordering supports
   * {@code file_id}, {@code file_name}, {@code size}, {@code create_at}, {@code update_at}.
   */
  private JsonNode listV1(FakeRequest req, Account a) {
    Long parent = OpenWire.queryLong(req, "parentFileId");
    Long page = OpenWire.queryLong(req, "page");
    Long limit = OpenWire.queryLong(req, "limit");
    String orderBy = OpenWire.query(req, "orderBy");
    String dir = OpenWire.query(req, "orderDirection");
    if (parent == null || limit == null || orderBy == null || dir == null) throw fail("参数错误");
    if (limit <= 0 || limit > 100) throw fail("limit参数错误");
    long p = page == null || page < 1 ? 1 : page;
    boolean trashed = "true".equalsIgnoreCase(OpenWire.query(req, "trashed"));
    String search = OpenWire.query(req, "searchData");
    java.util.Comparator<Node> order = switch (orderBy) {
      case "file_id" -> java.util.Comparator.comparingLong(Node::id);
      case "file_name" -> java.util.Comparator.comparing(Node::name);
      case "size" -> java.util.Comparator.comparingLong(Node::size);
      case "create_at" -> java.util.Comparator.comparing(Node::created);
      case "update_at" -> java.util.Comparator.comparing(Node::updated);
      default -> throw fail("orderBy参数错误");
    };
    if ("desc".equalsIgnoreCase(dir)) order = order.reversed();
    else if (!"asc".equalsIgnoreCase(dir)) throw fail("orderDirection参数错误");
    List<Node> all = new ArrayList<>();
    List<Node> source = search != null ? store().search(a.uid(), search) : store().children(a.uid(), parent, true);
    for (Node n : source) {
      if (store().isTrashed(n) == trashed) all.add(n);
    }
    all.sort(order);
    ObjectNode d = OpenWire.object();
    d.put("total", all.size());
    ArrayNode list = d.putArray("fileList");
    for (int i = (int) Math.min(all.size(), (p - 1) * limit); i < Math.min(all.size(), p * limit); i++) {
      Node n = all.get(i);
      ObjectNode o = list.addObject();
      o.put("fileID", n.id());
      o.put("filename", n.name());
      o.put("parentFileId", n.parentId());
      o.put("parentName", n.parentId() == FakeStore.ROOT ? "" : store().node(a.uid(), n.parentId()).map(Node::name).orElse(""));
      o.put("type", n.folder() ? 1 : 0);
      o.put("etag", n.md5());
      o.put("size", n.size());
      o.put("contentType", "0");
      o.put("category", OpenWire.category(n));
      o.put("hidden", false);
      o.put("status", n.reviewStatus());
      o.put("punishFlag", 0);
      o.put("s3KeyFlag", n.folder() ? "x-0" : n.uid() + "-0");
      o.put("storageNode", n.folder() ? "m0" : "m51");
      o.put("createAt", OpenWire.time(n.created()) + " +0800 CST");
      o.put("updateAt", OpenWire.time(n.updated()) + " +0800 CST");
      o.put("thumbnail", cloud.thumbnails().url(n, OpenWire.category(n)));
      o.put("downloadUrl", "");
    }
    return d;
  }

  /** detail (§8.4): capital-ID keys; folder size = live contents; unknown → 5066 (UNKNOWN code). */
  private JsonNode detail(FakeRequest req, Account a) {
    Long id = OpenWire.queryLong(req, "fileID");
    if (id == null) throw fail("fileID不能为空");
    Node n = store().node(a.uid(), id).orElseThrow(() -> error(5066, OpenWire.NO_FILE));
    ObjectNode d = OpenWire.object();
    d.put("fileID", n.id());
    d.put("filename", n.name());
    d.put("type", n.folder() ? 1 : 0);
    d.put("size", n.folder() ? store().folderSize(a.uid(), n.id()) : n.size());
    d.put("etag", n.md5());
    d.put("status", n.reviewStatus());
    d.put("parentFileID", n.parentId());
    d.put("createAt", OpenWire.time(n.created()));
    d.put("trashed", store().isTrashed(n) ? 1 : 0);
    return d;
  }

  /**
   * infos (§8.5): unknown ids are left out, or the call refused ({@link #infosRefuseUnknownIds}; UNKNOWN); list key per {@link #infosUseListKey}, the
   * type of {@code updateAt} per {@link #infosNumericUpdateAt}. The
   * most ids one call takes is UNKNOWN too; the fake sets none unless {@link #infosMaxIds} does.
   */
  private JsonNode infos(FakeRequest req, Account a) {
    List<Long> ids = OpenWire.longList(req, "fileIds");
    int max = infosMaxIds;
    if (max > 0 && ids.size() > max) throw fail("fileIds最多支持" + max + "个");
    if (infosRefuseUnknownIds) {
      for (long id : ids) if (store().node(a.uid(), id).isEmpty()) throw error(OpenWire.FILE_NOT_FOUND, OpenWire.NO_FILE);
    }
    ArrayNode list = OpenWire.array();
    for (long id : ids) {
      store().node(a.uid(), id).ifPresent(n -> {
        ObjectNode o = OpenWire.fileObject(store(), n);
        if (infosNumericUpdateAt) o.put("updateAt", n.updated().getEpochSecond());
        list.add(o);
      });
    }
    ObjectNode d = OpenWire.object();
    d.set(infosUseListKey ? "list" : "fileList", list);
    return d;
  }

  // ------------------------------------------------------------------ mutations

  Node requireLiveFolder(long uid, long id) {
    if (id == FakeStore.ROOT) return null;
    Node n = store().node(uid, id).orElse(null);
    if (n == null || !n.folder() || store().isTrashed(n)) throw fail(OpenWire.NO_PARENT);
    return n;
  }

  private Node requireNode(long uid, long id) {
    return store().node(uid, id).orElseThrow(() -> error(5066, OpenWire.NO_FILE));
  }

  /** mkdir (§8.6): {@code {dirID}}; any live entry of that name clashes. */
  private JsonNode mkdir(FakeRequest req, Account a) {
    String name = req.textField("name");
    long parent = OpenWire.requireLong(req, "parentID");
    checkName(name);
    synchronized (store()) {
      requireLiveFolder(a.uid(), parent);
      if (store().child(a.uid(), parent, name).isPresent()) throw fail(OpenWire.DIR_EXISTS);
      Node n = store().mkdir(a.uid(), parent, name);
      ObjectNode d = OpenWire.object();
      d.put("dirID", n.id());
      return d;
    }
  }

  /**
   * Rename one (§8.7). Name clash among live siblings → code 1 {@code 当前目录有重名文件} and unknown
   * id → 5066: both UNKNOWN (§14.3), chosen here.
   */
  private JsonNode rename(FakeRequest req, Account a) {
    long id = OpenWire.requireLong(req, "fileId");
    String name = req.textField("fileName");
    checkName(name);
    synchronized (store()) {
      renameOne(a, id, name);
    }
    return null;
  }

  private void renameOne(Account a, long id, String name) {
    Node n = requireNode(a.uid(), id);
    if (store().isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
    Optional<Node> clash = store().child(a.uid(), n.parentId(), name);
    if (clash.isPresent() && clash.get().id() != n.id()) throw nameClash("当前目录有重名文件");
    store().rename(n, name);
  }

  /** Batch rename (§8.8): {@code "id|name"} strings, at most 30; per-item success / fail lists. */
  private JsonNode batchRename(FakeRequest req, Account a) {
    JsonNode list = req.field("renameList");
    if (list == null || !list.isArray() || list.isEmpty()) throw fail("renameList不能为空");
    if (list.size() > 30) throw fail("renameList最多支持30个");
    List<long[]> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (JsonNode e : list) {
      String s = e.isTextual() ? e.asText() : null;
      int bar = s == null ? -1 : s.indexOf('|');
      if (bar <= 0) throw fail("renameList参数格式错误");
      try {
        ids.add(new long[] {Long.parseLong(s.substring(0, bar).trim())});
      } catch (NumberFormatException ex) {
        throw fail("renameList参数格式错误");
      }
      names.add(s.substring(bar + 1));
    }
    ObjectNode d = OpenWire.object();
    ArrayNode ok = d.putArray("successList");
    ArrayNode bad = d.putArray("failList");
    synchronized (store()) {
      for (int i = 0; i < ids.size(); i++) {
        long id = ids.get(i)[0];
        try {
          checkName(names.get(i));
          renameOne(a, id, names.get(i));
          ObjectNode o = ok.addObject();
          o.put("fileID", id);
          o.put("updateAt", OpenWire.time(cloud.now()));
        } catch (OpenError e) {
          ObjectNode o = bad.addObject();
          o.put("fileID", id);
          o.put("message", e.getMessage());
        }
      }
    }
    return d;
  }

  /**
   * Move (§8.9), all or nothing: ≤ 100 ids; unknown ids → 5066, and so are ids in the recycle bin
   * (themselves or through a trashed folder), as rename and copy answer them: the bin's entries
   * come out through recover and recover/by_path (§8.12, §8.13), and what 123 answers a move of one
   * is UNKNOWN; target not a live folder → code 1
   * {@code 目标文件夹不存在}; into itself or a descendant → code 1; a live entry of the same name in
   * the target, or two of the moved entries sharing a name (names are unique within a folder,
   * §7.2) → code 1 {@code 目标目录下存在同名文件} (conflict behaviour UNKNOWN, chosen here).
   */
  private JsonNode move(FakeRequest req, Account a) {
    List<Long> ids = OpenWire.longList(req, "fileIDs");
    long target = OpenWire.requireLong(req, "toParentFileID");
    if (ids.size() > 100) throw fail("fileIDs最多支持100个");
    synchronized (store()) {
      if (target != FakeStore.ROOT) {
        Node t = store().node(a.uid(), target).orElse(null);
        if (t == null || !t.folder() || store().isTrashed(t)) throw fail("目标文件夹不存在");
      }
      List<Node> nodes = new ArrayList<>();
      Set<String> arriving = new java.util.HashSet<>();
      for (long id : ids) {
        Node n = requireNode(a.uid(), id);
        if (store().isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
        if (nodes.contains(n)) continue; // the same id twice is one entry
        if (n.folder() && store().isSelfOrDescendant(a.uid(), target, n.id())) throw error(intoItselfCode, "不能将文件夹移动到自身或其子文件夹下");
        if (n.parentId() != target) {
          Optional<Node> clash = store().child(a.uid(), target, n.name());
          if (clash.isPresent() || !arriving.add(n.name())) throw nameClash("目标目录下存在同名文件");
        }
        nodes.add(n);
      }
      for (Node n : nodes) store().move(n, target);
    }
    return null;
  }

  /** Trash (§8.10): ≤ 100 ids; idempotent; descendants then list with {@code trashed:1}. */
  private JsonNode trash(FakeRequest req, Account a) {
    List<Long> ids = OpenWire.longList(req, "fileIDs");
    if (ids.size() > 100) throw fail("fileIDs最多支持100个");
    synchronized (store()) {
      List<Node> nodes = new ArrayList<>();
      for (long id : ids) nodes.add(requireNode(a.uid(), id));
      for (Node n : nodes) if (!n.trashed()) store().trash(n);
    }
    return null;
  }

  /**
   * Copy one file (§8.14) → {@code {sourceFileId, targetFileId}}. Folders and name clashes are
   * refused with code 1 (UNKNOWN; chosen), a copy that does not fit into the account's space as an
   * upload is ({@link #spaceFull}).
   */
  private JsonNode copy(FakeRequest req, Account a) {
    long id = OpenWire.requireLong(req, "fileId");
    long target = OpenWire.requireLong(req, "targetDirId");
    synchronized (store()) {
      Node n = requireNode(a.uid(), id);
      if (n.folder()) throw fail("仅支持复制单个文件");
      if (store().isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
      if (target != FakeStore.ROOT) {
        Node t = store().node(a.uid(), target).orElse(null);
        if (t == null || !t.folder() || store().isTrashed(t)) throw fail("目标文件夹不存在");
      }
      if (store().child(a.uid(), target, n.name()).isPresent()) throw nameClash("目标目录下存在同名文件");
      checkSpace(a.uid(), n.size()); // the copy counts in spaceUsed like an uploaded file
      Node c = store().createFile(a.uid(), target, n.name(), n.blob());
      ObjectNode d = OpenWire.object();
      d.put("sourceFileId", n.id());
      d.put("targetFileId", c.id());
      return d;
    }
  }

  // ------------------------------------------------------------------ downloads

  private record Link(long uid, long fileId, Blob blob, String name, Instant expiresAt) {}

  /**
   * download_info (§8.15): unknown or trashed ids → 5066; a folder's id → {@link #folderDownloadInfoCode}
   * (5066 by default). When the account has a daily
   * quota ({@link Account#downloadQuota(long)} ≥ 0, no VIP) a file larger than what is left today
   * → 5113, otherwise its size is deducted.
   */
  private JsonNode downloadInfo(FakeRequest req, Account a) {
    Long id = OpenWire.queryLong(req, "fileId");
    if (id == null) throw fail("fileId不能为空");
    Node n = store().node(a.uid(), id).orElseThrow(() -> error(5066, OpenWire.NO_FILE));
    if (store().isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
    if (n.folder()) {
      int code = folderDownloadCode;
      throw error(code, code == OpenWire.FILE_NOT_FOUND ? OpenWire.NO_FILE : OpenWire.FOLDER_NOT_DOWNLOADABLE);
    }
    checkFreshlyUploaded(n);
    if (!a.spendDownload(n.size(), cloud.now())) throw error(5113, OpenWire.QUOTA);
    String key = OpenTokens.random(24);
    downloads.put(key, new Link(a.uid(), n.id(), n.blob(), n.name(), cloud.now().plus(downloadUrlLifetime)));
    long exp = cloud.now().plus(downloadUrlLifetime).getEpochSecond();
    ObjectNode d = OpenWire.object();
    d.put("downloadUrl", cloud.baseUrl("cdn") + "/open-dl/" + key + "/"
        + URLEncoder.encode(n.name(), StandardCharsets.UTF_8).replace("+", "%20") + "?e=" + exp);
    return d;
  }

  private MockResponse serveDownload(FakeRequest req) {
    String rest = req.path().substring("/open-dl/".length());
    int slash = rest.indexOf('/');
    Link l = downloads.get(slash < 0 ? rest : rest.substring(0, slash));
    if (l == null || !cloud.now().isBefore(l.expiresAt())) {
      return new MockResponse.Builder().code(403).setHeader("Content-Type", "text/html")
          .body("<html><body><h1>403 Forbidden</h1></body></html>").build();
    }
    return BlobResponses.serve(req, l.blob(), "application/octet-stream", l.name());
  }

  // ------------------------------------------------------------------ direct links

  VipCdnFrontDoor vip() {
    if (vip == null) vip = cloud.door(VipCdnFrontDoor.class);
    return vip;
  }

  void requireVip(Account a) {
    if (directLinkRequiresVip && !a.vip()) throw fail("直链功能仅限VIP会员使用");
  }

  /**
   * enable / disable (§8.16): a live non-root folder → {@code {filename}}; idempotent. A folder in
   * the recycle bin (itself or through its parent) is 5066, as rename and move answer a trashed id
   * (UNKNOWN what 123 answers; chosen).
   */
  private JsonNode directLinkSwitch(FakeRequest req, Account a, boolean enable) {
    requireVip(a);
    long id = OpenWire.requireLong(req, "fileID");
    if (id == FakeStore.ROOT) throw fail("根目录不支持开启直链空间");
    Node n = requireNode(a.uid(), id);
    if (store().isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
    if (!n.folder()) throw fail("只能对文件夹开启直链空间");
    store().setDirectLinkSpace(n, enable);
    ObjectNode d = OpenWire.object();
    d.put("filename", n.name());
    return d;
  }

  /**
   * url (§8.16): only files inside an enabled folder; others get {@link #outsideDirectLinkSpaceCode}
   * with a chosen text (code and text UNKNOWN).
   */
  private JsonNode directLinkUrl(FakeRequest req, Account a) {
    requireVip(a);
    Long id = OpenWire.queryLong(req, "fileID");
    if (id == null) throw fail("fileID不能为空");
    Node n = store().node(a.uid(), id).orElseThrow(() -> error(5066, OpenWire.NO_FILE));
    if (n.folder() || store().isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
    if (store().directLinkSpaceOf(n).isEmpty()) throw error(outsideDirectLinkSpaceCode, OpenWire.OUTSIDE_DIRECT_LINK_SPACE);
    checkFreshlyUploaded(n);
    ObjectNode d = OpenWire.object();
    d.put("url", vip().urlOf(n));
    return d;
  }
}
