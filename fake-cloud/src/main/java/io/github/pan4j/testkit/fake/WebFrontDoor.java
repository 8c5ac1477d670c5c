package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.WebJson.F;
import static io.github.pan4j.testkit.fake.WebJson.asBool;
import static io.github.pan4j.testkit.fake.WebJson.asLong;
import static io.github.pan4j.testkit.fake.WebJson.envelope;
import static io.github.pan4j.testkit.fake.WebJson.error;
import static io.github.pan4j.testkit.fake.WebJson.get;
import static io.github.pan4j.testkit.fake.WebJson.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import okhttp3.HttpUrl;

/**
 * The web API of 123云盘 (personal driver, docs/protocol/123web.md §2–§6, checklist §12) over the shared
 * {@link FakeStore}:
 *
 * <ul>
 *   <li>server {@code login}: {@code POST /api/user/sign_in};
 *   <li>server {@code web}: {@code POST /api/user/refresh_token};
 *   <li>server {@code web}: {@code /b/api/**} (user/info, file/list/new, file/info, download_info,
 *       batch_download_info ({@link WebBatchDownload}), upload_request, the presigned-upload calls, upload_complete/v2, the older
 *       upload_complete ({@code {"fileId"}}) and s3_complete_multipart_upload, mod_pid, rename, trash,
 *       user/logout, the server-side copy of {@link WebCopy}) and {@code GET /api/get/server/time};
 *   <li>server {@code cdn}: the download relay {@code /download-v2/?params=<base64 inner>&is_s3=0},
 *       the inner CDN URL {@code /123-web/…} (302, or JSON {@code redirect_url} in HTTP 200/210),
 *       the final edge URL {@code /web-edge/…} (bytes with Range), presigned part PUTs
 *       {@code /web-s3/…} and, in the legacy STS upload mode ({@link #uploadMode}), the S3 storage
 *       server {@code /123pan-sts-m2/…} ({@link WebStsStorage}).
 * </ul>
 *
 * <p>Strictness: every business reply is HTTP 200 with exactly {@code {"code","message","data"}};
 * keys of JSON bodies and query names match case-insensitively; ids may be numbers or numeric
 * strings. Calls need {@code Authorization: Bearer <token>} from sign_in; a missing, unknown or
 * expired token gets {@code code 401 "token is expired"}, or {@code code 2} for a caller sending
 * {@code platform: android} (its text UNKNOWN, {@link #MSG_ANDROID_SESSION_EXPIRED} chosen). The signing parameter (§3.1) is accepted
 * when absent but verified when present ({@link #signatureMode}).
 *
 * <p>Decisions where the protocol is UNKNOWN here (docs/protocol/123web.md §13; all configurable, all listed in the report):
 * <ul>
 *   <li>bad signature: {@code code 400 "签名错误"} ({@link #signatureErrorCode}), freshness ±20 min;
 *       a missing one where required: the same code with {@code "签名错误:auth-key empty"};
 *   <li>login failures: see {@link LoginFailure} for each code and text; a wrong password:
 *       {@code 401 账号或密码错误} ({@link #wrongPassword}); a {@code mail} sign-in without
 *       {@code type}: {@code 400 参数错误} ({@link #mailLoginNeedsType});
 *   <li>token lifetime 30 days (P123, 2026), {@link #tokenLifetime};
 *   <li>{@code POST /api/user/refresh_token} (server {@code web}) is served and leaves the old
 *       token valid ({@link #refreshTokenEnabled}, {@link #refreshRevokesOld});
 *   <li>rate limiting: off by default ({@link #rateLimiting}). 123 does throttle (code 429, a 403 on
 *       lists) but at a rate no source gives; the 700 ms spacing clients keep is their own limiter.
 *       When on: a token bucket per endpoint and caller (bearer token; share key for anonymous share
 *       calls), {@code file/list/new} and {@code share/get} one request per 700 ms with a burst of 2
 *       (absorbs client/server timer jitter), others unlimited; spent only by calls whose signature
 *       and token (or share key and code) passed; over the limit {@code code 429 "操作频繁，请稍后再试"};
 *   <li>listing an unknown or trashed folder: {@code 5066 "文件不存在"};
 *   <li>{@code Next} on a non-final page: the last FileId of that page, as a string ({@link #listNext});
 *   <li>a file refused by review ({@code Status} above 100) downloads as any other
 *       ({@link #reviewRefusedDownloadCode});
 *   <li>upload_request type 1 without {@code NotReuse:true} returns an existing same-name folder
 *       ({@code Reuse:true}); with {@code NotReuse:true}, {@code duplicate} 0/absent ⇒ 5060, 1/2 ⇒
 *       {@code name(1)};
 *   <li>the final FileId after a multipart upload differs from the session's FileId; a single-part
 *       upload keeps it ({@link #completeAlwaysNewFileId} gives every upload a new one), an
 *       overwrite keeps the overwritten file's;
 *   <li>presigned URLs live 1 hour; the 403 body is S3-style XML; a part PUT with Authorization
 *       gets 400, without Content-Length 411;
 *   <li>uploaded part sizes must follow {@code SliceSize} (all but the last exactly, the last at
 *       most), checked at complete ({@code 401 上传文件大小无效}); an MD5 that differs from the
 *       declared etag (compared exactly, so an upper-case etag fails) ⇒ {@code 401 上传文件大小无效}
 *       too ({@link #md5MismatchMessage});
 *   <li>upload_complete/v2 missing one of its seven keys ⇒ {@code 401 没有找到上传的文件};
 *   <li>{@code file/trash} with neither {@code operation} nor {@code event}: {@code code 0} and
 *       nothing done ({@link #trashWithoutIntent});
 *   <li>moving a folder into itself ⇒ {@code 400 "不能移动到自身或其子目录"}; download_info of a
 *       folder ⇒ {@code 400 "文件夹不支持直接下载"}; malformed arguments ⇒ {@code 400 "参数错误"}.
 * </ul>
 */
public final class WebFrontDoor implements FrontDoor {
  public static final String DEMO_PHONE = "13800000000";
  public static final String DEMO_MAIL = "demo@example.com";
  public static final String DEMO_PASSWORD = "demo-password";
  /** The API prefix on server {@code web}. */
  public static final String API = "/b/api";

  static final String LIST = API + "/file/list/new";
  static final String SHARE_GET = API + "/share/get";
  static final String REFRESH = "/api/user/refresh_token";
  static final String MSG_TOKEN_EXPIRED = "token is expired";
  static final String MSG_TOKEN_SEGMENTS = "token contains an invalid number of segments";
  /**
   * The message of the {@code code 2} an Android-profile client gets for a session that is gone.
   * The code is documented (two Android clients re-sign in on it); the text is UNKNOWN, this one
   * is chosen ({@link #androidSessionExpiredMessage}).
   */
  static final String MSG_ANDROID_SESSION_EXPIRED = "登录状态已失效，请重新登录";
  static final String MSG_RATE = "操作频繁，请稍后再试";
  /** A wrong, stale or misplaced signature. */
  static final String MSG_SIGNATURE_BAD = "签名错误";
  /** No signature where one is required. */
  static final String MSG_SIGNATURE_MISSING = "签名错误:auth-key empty";
  static final String MSG_BAD_ARG = "参数错误";
  static final String MSG_NOT_FOUND = "文件不存在";
  /** The text 123 shows for an item of Status 104 (refused by review); as a download refusal it is chosen. */
  static final String MSG_REVIEW_REFUSED = "文件已失效";
  static final String MSG_SAME_NAME = "检测到1个同名文件";
  static final String MSG_BAD_NAME = "文件名要小于128个字符且不能包含以下任何字符：\"\\/:*?|><";
  /** The protocol's text for an upload_complete/v2 whose size or content does not check out. */
  static final String MSG_SIZE_INVALID = "上传文件大小无效";
  /** The protocol's text for a completion that names no upload. */
  static final String MSG_NO_UPLOAD = "没有找到上传的文件";
  static final String MSG_TRAFFIC = "您今日下载流量已超出10GB限制，购买VIP会员即可体验无限流量下载";
  private static final Pattern PHONE = Pattern.compile("1\\d{10}");
  private static final Pattern MAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * The origins of 123's own web front ends, which real clients hard-code as {@code Referer} on the
   * download chain: {@code www.123pan.com} (alist), {@code yun.123pan.com} (OpenList),
   * {@code yun.123pan.cn} (the official web page) and {@code www.123pan.cn} (an Android client's
   * primary host). The real CDN served the first two; see {@link #refererOrigins(List)}.
   */
  public static final List<String> WEB_ORIGINS = List.of(
      "https://www.123pan.com/", "https://yun.123pan.com/", "https://www.123pan.cn/", "https://yun.123pan.cn/",
      // 123's other web hosts that clients are known to use (p123client's list of usable domains)
      "https://123pan.com/", "https://123pan.cn/", "https://login.123pan.com/", "https://www.123684.com/",
      "https://www.123865.com/", "https://www.123912.com/", "https://123912.com/");
  /**
   * 123's download relay hosts (the outer {@code DownloadUrl}'s origin in captures of 2023 and
   * 2025–2026), which OpenList sends as {@code Referer} to the edge URL: a client that takes them
   * from a capture instead of from the answer is served too.
   */
  static final List<String> RELAY_ORIGINS = List.of("https://web-pro2.123952.com/", "https://web-pro2.cjjd18.com/");

  /** How the signing query parameter is treated. */
  public enum SignatureMode {
    /** Never looked at. */
    IGNORE,
    /** Absent is fine; present must be valid and fresh (default). */
    VERIFY_WHEN_PRESENT,
    /** Must be present, valid and fresh. */
    REQUIRED
  }

  /** What {@code file/trash} does with a body that has neither {@code operation} nor a known {@code event}. */
  public enum TrashWithoutIntent {
    /**
     * {@code code 0} with an empty {@code InfoList}, nothing changed (default): the sources say
     * the server answers bodies it does not honour with {@code code 0} and does nothing, and a
     * server decoding a missing boolean as false would "restore" live entries, also a no-op.
     */
    IGNORE,
    /** {@code 400 参数错误}. */
    REFUSE,
    /** Moves the entries to the recycle bin, as the endpoint's name suggests. */
    TRASH
  }

  /** Which of {@code SliceSize} / {@code UploadFileStatus} a folder's upload_request reply carries. */
  public enum FolderReplyExtraKey {
    /** {@code UploadFileStatus} only, 13 keys (default; {@code SliceSize} means nothing for a folder). */
    UPLOAD_FILE_STATUS,
    /** {@code SliceSize} only, 13 keys. */
    SLICE_SIZE,
    /** Both, 14 keys, as a file's reply. */
    BOTH
  }

  /**
   * Which keys {@code user/info}'s {@code data} has. Today's set is UNKNOWN: a strict 2023 client
   * (WList) asserts exactly 22 keys, a later rewrite script shows six more. The default is the later
   * object, the newer of the two sources; every client reads only keys both have.
   */
  public enum UserInfoKeys {
    /** Exactly the 22 keys of the 2023 validator. */
    WLIST_2023,
    /**
     * Those 22 and the six a later script shows (default): {@code IsShowAdvertisement},
     * {@code UserVipDetailInfos}, {@code IsAuthentication}, {@code VipLevel},
     * {@code GrowSpaceAddCount}, {@code IsBeforeBuyVipProduct}; their types are not given
     * anywhere, the fake's are flags as booleans, counts and levels as numbers and the VIP details
     * as an array, always empty (what its elements hold is not known).
     */
    LATER
  }

  /** What the inner CDN URL answers (§5.4 step 3). */
  /** How upload_request answers for content the store does not have yet (docs/protocol/123web.md §5.9.1). */
  public enum UploadMode {
    /** Empty STS fields: parts go to presigned URLs, finished by {@code upload_complete/v2} (what 123 answers today). */
    PRESIGNED,
    /**
     * The legacy mode: temporary S3 credentials, an {@code EndPoint}, {@code Bucket} and {@code Key};
     * the client uploads with S3 calls and finishes with {@code upload_complete {"fileId"}}.
     */
    STS
  }

  public enum RedirectMode {
    /** HTTP 302 with {@code Location} (default). */
    FOUND_302,
    /** HTTP 200 with {@code {"code":0,"message":"ok","data":{"redirect_url":…}}} (2023 capture). */
    JSON_200,
    /** HTTP 210 with the same JSON (2026 observation). */
    JSON_210
  }

  /**
   * What {@code Next} holds on a page of {@code file/list/new} or {@code share/get} that is not the
   * last (the last always has {@code "-1"}). Clients only compare it with {@code "-1"}; its meaning
   * is UNKNOWN.
   */
  public enum ListNext {
    /** The FileId of the page's last row, as a string (default). */
    LAST_FILE_ID,
    /** The number of the next page, as a string ({@code "2"} on page 1). */
    NEXT_PAGE,
    /** A token that is neither: 16 hex digits, different on every page. */
    OPAQUE
  }

  /**
   * Configurable sign_in refusals. Codes are UNKNOWN in every source except where noted; the
   * texts are the real ones where a source quotes them (§4.3).
   */
  public enum LoginFailure {
    /** UNKNOWN text and code; picked {@code 401 账号或密码错误}. Also served for a wrong password. */
    WRONG_PASSWORD(401, "账号或密码错误"),
    /** Real text (ALD/OLD); code UNKNOWN, picked 403. */
    SECURITY_RISK(403, "当前账号存在安全风险，请使用短信验证码或者微信进行登录。"),
    /** Real text (OpenList #141); code UNKNOWN, picked 403. */
    OVERSEAS_RISK(403, "当前账号存在境外登录风险，请使用短信验证码或者微信进行登录"),
    /** UNKNOWN text and code; picked {@code 403 请完成图形验证码验证后再登录}. */
    CAPTCHA_REQUIRED(403, "请完成图形验证码验证后再登录"),
    /** Real text (alist #4756); code UNKNOWN, picked 403. */
    DEVICE_LIMIT(403, "123pan forbidden"),
    /** Real text (alist #4697); code UNKNOWN, picked 429. */
    TOO_FREQUENT(429, "当前登录操作频繁，请稍后再试"),
    /** A blocked client: {@code data} is a JSON string (ALD FAQ); code UNKNOWN, picked 403. */
    BLOCKED(403, "forbidden");

    final int code;
    final String message;

    LoginFailure(int code, String message) {
      this.code = code;
      this.message = message;
    }

    public int code() { return code; }
    public String message() { return message; }
  }

  private FakeCloud cloud;
  private final WebOffline offline = new WebOffline(this);
  private final WebCopy copy = new WebCopy(this);
  private final WebBatchDownload batchDownload = new WebBatchDownload(this);

  // knobs
  volatile SignatureMode signatureMode = SignatureMode.VERIFY_WHEN_PRESENT;
  volatile OpenApiFrontDoor.BearerScheme bearerScheme = OpenApiFrontDoor.BearerScheme.EXACT;
  volatile Duration signatureWindow = Duration.ofMinutes(20);
  volatile int signatureErrorCode = 400;
  volatile RedirectMode redirectMode = RedirectMode.FOUND_302;
  volatile boolean requireReferer = true;
  volatile boolean requireEdgeReferer = true;
  private volatile List<String> refererOrigins = WEB_ORIGINS;
  // realistic quirks (RealisticProfile); all off by default
  private volatile java.util.Random quirkRandom = new java.util.Random(1);
  volatile double listThrottle403Rate;
  volatile double stringCodeThrottleRate;
  volatile double download5114Rate;
  volatile double download50002Rate;
  // Answers the protocol notes leave open (each also a /_fake/settings entry; see the setters).
  volatile double download1010Rate;
  volatile double download50001Rate;
  volatile int reviewRefusedDownloadCode;
  volatile ListNext listNext = ListNext.LAST_FILE_ID;
  volatile int wrongPasswordCode = LoginFailure.WRONG_PASSWORD.code;
  volatile String wrongPasswordMessage = LoginFailure.WRONG_PASSWORD.message;
  volatile boolean mailLoginNeedsType = true;
  volatile int loginFailureCode;
  volatile int passwordCompareLength = 16;
  volatile boolean passportAsText;
  volatile long largeSliceThreshold = Long.MAX_VALUE;
  /** The SliceSize of files above {@link #largeSliceThreshold}: 32 MiB, what rclone-123pan saw for 160 MiB + 1. */
  volatile long largeSliceSize = 32L * 1024 * 1024;
  volatile boolean stsFieldsNull = true;
  volatile UploadMode uploadMode = UploadMode.PRESIGNED;
  volatile Duration stsCredentialTtl = Duration.ofHours(1);
  volatile long stsMinPartSize = 5L << 20;
  volatile String stsKeyTail;
  volatile String stsEndPoint;
  volatile String stsUploadIdTail;
  final WebStsStorage sts = new WebStsStorage(this);
  volatile UserInfoKeys userInfoKeys = UserInfoKeys.LATER;
  volatile FolderReplyExtraKey folderReplyExtraKey = FolderReplyExtraKey.UPLOAD_FILE_STATUS;
  volatile String md5MismatchMessage = MSG_SIZE_INVALID;
  volatile String androidSessionExpiredMessage = MSG_ANDROID_SESSION_EXPIRED;
  private final java.util.Set<Long> lastDownloadError = java.util.concurrent.ConcurrentHashMap.newKeySet();
  volatile boolean downloadUrlWithoutParams;
  volatile Duration downloadTtl = Duration.ofHours(24);
  volatile Duration tokenLifetime = Duration.ofDays(30);
  volatile int totalSkew;
  volatile Integer forcedListLimit;
  volatile boolean missingFolderListsEmpty;
  volatile long sliceSize = 16L * 1024 * 1024;
  volatile boolean enforceSliceSize = true;
  volatile Duration partUrlTtl = Duration.ofHours(1);
  final AtomicInteger partUrlsToExpire = new AtomicInteger();
  volatile boolean reuseWithZeroFileId;
  volatile boolean folderReuseUnlessNotReuse = true;
  volatile TrashWithoutIntent trashWithoutIntent = TrashWithoutIntent.IGNORE;
  volatile boolean pageRequired = true;
  volatile boolean legacyPrefixes = true;
  volatile boolean refreshTokenEnabled = true;
  volatile boolean refreshRevokesOld;
  volatile boolean renameReplacedToTrash = true;
  volatile boolean duplicateSwapped;
  volatile boolean malformedLoginChecked = true;
  volatile int malformedLoginCode = 401;
  volatile int spaceFullCode = 400;
  volatile String spaceFullMessage = "存储空间不足";
  volatile boolean completeAlwaysNewFileId;
  private final Map<String, Limit> limits = new ConcurrentHashMap<>();
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  volatile boolean rateLimiting;

  // state
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  final WebTrash trashBin = new WebTrash(this);
  private volatile Integer pendingCallBudget;
  private final Deque<LoginFailure> loginFailures = new ArrayDeque<>();
  volatile LoginFailure permanentLoginFailure;
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger loginAttempts = new AtomicInteger();
  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  /** upload_request FileId of each finished upload → the id of the file it stored. */
  private final Map<Long, Long> completed = new ConcurrentHashMap<>();
  private final Map<String, PartUrl> partUrls = new ConcurrentHashMap<>();

  public WebFrontDoor() {
    limits.put(LIST, new Limit(Duration.ofMillis(700), 2));
    limits.put(SHARE_GET, new Limit(Duration.ofMillis(700), 2));
  }

  /**
   * Creates the demo account: phone {@value #DEMO_PHONE}, mail {@value #DEMO_MAIL}, password
   * {@value #DEMO_PASSWORD}, nickname {@code demo}.
   */
  public static Account demoAccount(FakeStore store) {
    return store.createAccount("demo").phone(DEMO_PHONE).mail(DEMO_MAIL).password(DEMO_PASSWORD);
  }

  @Override
  public void install(FakeCloud cloud) {
    this.cloud = cloud;
    cloud.route("login", "POST", "/api/user/sign_in", this::signIn);
    cloud.route("web", "GET", "/api/get/server/time", req -> {
      ObjectNode d = F.objectNode();
      d.put("timestamp", now().getEpochSecond());
      return ok(d);
    });
    api("GET", "/user/info", true, this::userInfo);
    api("POST", "/user/logout", true, this::logout);
    cloud.route("web", "POST", REFRESH, req -> gate(req, REFRESH, true, this::refreshToken));
    legacyPrefixes(legacyPrefixes);
    api("GET", "/file/list/new", true, this::list);
    api("POST", "/file/info", true, this::fileInfo);
    api("POST", "/file/download_info", true, this::downloadInfo);
    api("POST", "/file/upload_request", true, this::uploadRequest);
    api("POST", "/file/s3_repare_upload_parts_batch", true, (r, s) -> presign(r, s, 10));
    api("POST", "/file/s3_upload_object/auth", true, (r, s) -> presign(r, s, 1));
    api("POST", "/file/s3_list_upload_parts", true, this::listParts);
    api("POST", "/file/upload_complete/v2", true, this::complete);
    api("POST", "/file/upload_complete", true, this::legacyComplete);
    api("POST", "/file/s3_complete_multipart_upload", true, this::s3CompleteMultipart);
    api("POST", "/file/mod_pid", true, this::move);
    api("POST", "/file/rename", true, this::rename);
    api("POST", "/file/trash", true, this::trash);
    api("POST", "/file/delete", true, trashBin::delete);
    cloud.route("cdn", "GET", "/download-v2/*", this::relay);
    cloud.route("cdn", "GET", "/123-web/*", this::inner);
    cloud.route("cdn", "GET", "/web-edge/*", this::edge);
    cloud.route("cdn", "PUT", "/web-s3/*", this::putPart);
    sts.install(cloud);
    offline.install(cloud);
    copy.install();
    batchDownload.install();
  }

  // ================================================================== knobs

  /** The recycle bin's delete endpoint and restore choices, with their settings. */
  public WebTrash trashBin() { return trashBin; }


  /**
   * How the {@code authorization} header is read. The web clients send {@code Bearer <token>},
   * the word and one space (and {@code Bearer} alone without a token, which is anonymous); what
   * 123 does with {@code bearer x}, a bare token or {@code BearerX} is UNKNOWN. The default,
   * {@link OpenApiFrontDoor.BearerScheme#EXACT}, is a guess, the same as the open API's: a Go
   * service that cuts the literal prefix {@code "Bearer "} finds no token in any other form, so a
   * call that needs a session is answered 401 and a share call is anonymous.
   * {@link OpenApiFrontDoor.BearerScheme#ANY_CASE} reads the scheme in any case and one or more
   * spaces (RFC 9110 §11.4).
   */
  public WebFrontDoor bearerScheme(OpenApiFrontDoor.BearerScheme s) {
    bearerScheme = java.util.Objects.requireNonNull(s);
    return this;
  }
  /** How the signing parameter is checked (default {@link SignatureMode#VERIFY_WHEN_PRESENT}). */
  public WebFrontDoor signatureMode(SignatureMode mode) { signatureMode = Objects.requireNonNull(mode); return this; }
  /** Allowed distance of the signed {@code ts} from the cloud clock (default 20 min; null = any). */
  public WebFrontDoor signatureWindow(Duration window) { signatureWindow = window; return this; }
  /** The {@code code} of a {@code 签名错误} reply (UNKNOWN; default 400). */
  public WebFrontDoor signatureErrorCode(int code) { signatureErrorCode = code; return this; }
  /** What the inner CDN URL answers (default 302). */
  public WebFrontDoor redirectMode(RedirectMode mode) { redirectMode = Objects.requireNonNull(mode); return this; }
  /** The random source of the rate-based quirks below (seed it for a reproducible run). */
  public WebFrontDoor quirkSeed(long seed) { quirkRandom = new java.util.Random(seed); return this; }
  /**
   * Share of {@code file/list/new} calls answered {@code code 403} (throttling as TOS saw it,
   * §5.12; message UNKNOWN, {@code 操作频繁，请稍后再试} chosen). Default 0.
   */
  public WebFrontDoor listThrottle403Rate(double rate) { listThrottle403Rate = rate; return this; }
  /**
   * Share of authenticated API calls answered with a throttling reply whose {@code code} is a
   * string ({@code "429"}), as alist #2032 saw (§2.3, §5.12). Default 0.
   */
  public WebFrontDoor stringCodeThrottleRate(double rate) { stringCodeThrottleRate = rate; return this; }
  /**
   * Share of download_info calls answered {@code 5114} (traffic) and {@code 50002} (risk control),
   * §5.4/§6. The same file is not refused twice in a row, so a retry gets through. Default 0.
   */
  public WebFrontDoor downloadErrorRates(double rate5114, double rate50002) {
    download5114Rate = rate5114;
    download50002Rate = rate50002;
    return this;
  }

  // ------------------------------------------------------------------ unknown answers, chosen

  /**
   * Share of download_info calls (personal and share) refused with the other two risk-control
   * codes, {@code 1010} and {@code 50001} ({@code "download err"}, §5.4/§6), checked after 5114 and
   * 50002; as those, never twice in a row for a file. Default 0. Settings
   * {@code web.download1010Rate}, {@code web.download50001Rate}.
   */
  public WebFrontDoor downloadRiskControlRates(double rate1010, double rate50001) {
    download1010Rate = rate1010;
    download50001Rate = rate50001;
    return this;
  }
  /**
   * What a download (personal or share download_info) of a file refused by review ({@code Status}
   * above 100, e.g. 104 {@code 文件已失效}) answers: 0, the default, serves it as any file (no source
   * says it is refused); another code refuses it with that code and {@code 文件已失效}. UNKNOWN.
   * Setting {@code web.reviewRefusedDownloadCode}.
   */
  public WebFrontDoor reviewRefusedDownloadCode(int code) { reviewRefusedDownloadCode = code; return this; }
  /** What {@code Next} holds on a page that is not the last (UNKNOWN; {@link ListNext}). Setting {@code web.listNext}. */
  public WebFrontDoor listNext(ListNext mode) { listNext = java.util.Objects.requireNonNull(mode); return this; }
  /**
   * The code and text of sign_in's reply to a wrong password or an unknown account, also used by
   * {@link LoginFailure#WRONG_PASSWORD}: no source quotes them. Default {@code 401 账号或密码错误}.
   * Settings {@code web.wrongPasswordCode}, {@code web.wrongPasswordMessage}.
   */
  public WebFrontDoor wrongPassword(int code, String message) {
    if (code == 200 || code == 0) throw new IllegalArgumentException("a refusal's code, not " + code);
    if (message == null || message.isEmpty()) throw new IllegalArgumentException("a text, not empty");
    wrongPasswordCode = code;
    wrongPasswordMessage = message;
    return this;
  }
  /**
   * Whether a {@code mail} sign-in must carry {@code type: 2} (default: without it, {@code 400
   * 参数错误}; every client sends it, what the server does without is UNKNOWN); false reads a
   * {@code mail} sign-in without {@code type} as an e-mail one. Setting {@code web.mailLoginNeedsType}.
   */
  public WebFrontDoor mailLoginNeedsType(boolean v) { mailLoginNeedsType = v; return this; }
  /**
   * The code of every scripted sign-in refusal ({@link #failLogins}, {@link #failAllLogins}) but
   * {@link LoginFailure#WRONG_PASSWORD}: their texts are known, their codes not. 0, the default,
   * keeps each one's own pick ({@link LoginFailure#code()}); another code replaces it. Setting
   * {@code web.loginFailureCode}.
   */
  public WebFrontDoor loginFailureCode(int code) {
    if (code == 200) throw new IllegalArgumentException("a refusal's code, not 200 (success)");
    loginFailureCode = code;
    return this;
  }
  /**
   * How many leading characters of a password sign_in compares: 16 (default; a claim that 123 cuts
   * longer passwords there, unconfirmed), or 0 for the whole password. Setting {@code web.passwordCompareLength}.
   */
  public WebFrontDoor passwordCompareLength(int n) {
    if (n < 0) throw new IllegalArgumentException("0 (whole) or more characters, not " + n);
    passwordCompareLength = n;
    return this;
  }
  /**
   * user/info's {@code Passport}: a number (default, as the 2023 client reads it) or a string of
   * digits ({@code ""} without a phone); which one 123 sends today is UNKNOWN. Setting {@code web.passportAsText}.
   */
  public WebFrontDoor passportAsText(boolean v) { passportAsText = v; return this; }
  /**
   * Files larger than {@code threshold} bytes get {@code sliceSize} as {@code SliceSize} (RC saw
   * 32 MiB for 160 MiB + 1 and 16 MiB for 48 MiB + 1, §5.9.2; the exact threshold is UNKNOWN).
   */
  public WebFrontDoor largeSliceSize(long threshold, long sliceSize) {
    if (sliceSize <= 0) throw new IllegalArgumentException("a SliceSize of at least 1 byte, not " + sliceSize);
    largeSliceThreshold = threshold;
    largeSliceSize = sliceSize;
    return this;
  }
  /**
   * STS fields of upload_request as JSON {@code null} (default; the only reply that shows their
   * values, §5.5) or as {@code ""} (false). Clients test them for "empty", which both satisfy.
   */
  public WebFrontDoor stsFieldsNull(boolean value) { stsFieldsNull = value; return this; }
  /**
   * Which upload mode upload_request answers for new content (default {@link UploadMode#PRESIGNED}).
   * {@link UploadMode#STS} hands out temporary credentials for the S3 storage server instead
   * ({@link WebStsStorage}); the upload is then finished by the older {@code upload_complete}.
   */
  public WebFrontDoor uploadMode(UploadMode mode) { uploadMode = Objects.requireNonNull(mode); return this; }
  /**
   * How long STS credentials from upload_request are accepted (default 1 h; 123's real lifetime
   * is UNKNOWN). Applies to credentials issued from now on.
   */
  public WebFrontDoor stsCredentialTtl(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("a positive lifetime, not " + ttl);
    stsCredentialTtl = ttl;
    return this;
  }
  /** The least size of every part but the last of an STS multipart upload (default 5 MiB, S3's; tests use small ones). */
  public WebFrontDoor stsMinPartSize(long bytes) {
    if (bytes < 1) throw new IllegalArgumentException("at least 1 byte, not " + bytes);
    stsMinPartSize = bytes;
    return this;
  }
  /**
   * The last part of the Key of STS uploads requested from now on (default: 6 random hex digits
   * after {@code <etag prefix>/<uid>-0/<etag>/}); null for the default. 123 does not say what its
   * Keys may hold, so tests give awkward ones: spaces, {@code + % ~ =}, {@code /}, non-ASCII.
   */
  public WebFrontDoor stsKeyTail(String tail) { stsKeyTail = tail; return this; }
  /**
   * The {@code EndPoint} of STS upload_request replies from now on, instead of the storage
   * server's base URL (it must still reach server {@code cdn}, e.g. with the host in capitals);
   * null for the default.
   */
  public WebFrontDoor stsEndPoint(String endpoint) { stsEndPoint = endpoint; return this; }
  /**
   * Text appended to the UploadId of every STS multipart upload created from now on (default none:
   * 48 hex digits); null for the default. S3's ids are opaque, so tests give ones that must be
   * escaped in XML and encoded in a query: {@code &}, {@code +}, {@code /}, {@code =}, {@code %}.
   */
  public WebFrontDoor stsUploadIdTail(String tail) { stsUploadIdTail = tail; return this; }
  /** Every STS credential issued so far expires now (S3 answers 400 ExpiredToken from here on). */
  public WebFrontDoor expireStsCredentials() { sts.expireAll(); return this; }
  /** STS multipart uploads created and neither completed nor aborted. */
  public int openStsMultipartUploads() { return sts.openMultipartUploads(); }
  /**
   * An S3 error reply as the STS storage server writes it, for {@link FakeCloud#inject} on server
   * {@code cdn} (paths under {@code /}{@value WebStsStorage#BUCKET}{@code /}).
   */
  public static Fault stsError(int status, String code, String message) {
    return Fault.response("S3 " + status + " " + code, S3Errors.reply(status, code, message, "/"));
  }
  /** The bucket of STS uploads: their S3 requests have paths under {@code /<bucket>/} on server {@code cdn}. */
  public static String stsBucket() { return WebStsStorage.BUCKET; }
  /** Which keys {@code user/info} answers (UNKNOWN; default {@link UserInfoKeys#LATER}). */
  public WebFrontDoor userInfoKeys(UserInfoKeys keys) { userInfoKeys = Objects.requireNonNull(keys); return this; }
  /** Which of {@code SliceSize} / {@code UploadFileStatus} a folder's upload_request reply carries (UNKNOWN; default {@code UploadFileStatus}). */
  public WebFrontDoor folderReplyExtraKey(FolderReplyExtraKey key) { folderReplyExtraKey = Objects.requireNonNull(key); return this; }
  /**
   * The message of the 401 answered when the assembled MD5 differs from the declared etag
   * (default {@code 上传文件大小无效}, the text given for a failed size or MD5 check; the real text
   * for the MD5 case alone is UNKNOWN). {@code 上传文件校验失败} lets a test tell the two apart.
   */
  public WebFrontDoor md5MismatchMessage(String message) { md5MismatchMessage = Objects.requireNonNull(message); return this; }

  /**
   * The message of the {@code code 2} answered to {@code platform: android} callers whose session
   * is gone (UNKNOWN; default {@value #MSG_ANDROID_SESSION_EXPIRED}).
   */
  public WebFrontDoor androidSessionExpiredMessage(String message) {
    androidSessionExpiredMessage = Objects.requireNonNull(message);
    return this;
  }

  private boolean chance(double rate) {
    if (rate <= 0) return false;
    java.util.Random r = quirkRandom;
    synchronized (r) {
      return r.nextDouble() < rate;
    }
  }

  /**
   * Whether the final edge URL also checks {@code Referer} (default true, when {@link
   * #requireReferer} is on). OpenList hands the link out with a Referer, but whether the edge
   * needs it is not shown anywhere (web §5.4); the realistic profile serves it without.
   */
  public WebFrontDoor requireEdgeReferer(boolean value) { requireEdgeReferer = value; return this; }
  /** Whether the inner and edge CDN URLs check {@code Referer} (default true). */
  public WebFrontDoor requireReferer(boolean value) { requireReferer = value; return this; }
  /**
   * The 123 web origins the download chain takes as {@code Referer} besides the fake's own
   * (default {@link #WEB_ORIGINS}; an empty list leaves only the fake's origins). The inner URL
   * takes these and {@link #webOrigin()}; the edge URL takes these and {@link #relayOrigin()}
   * (OpenList sends the outer DownloadUrl's origin there, alist {@code https://www.123pan.com/}).
   * Whether the real CDN checks Referer at all is UNKNOWN: the fake keeps requiring one so a client
   * that forgets it is noticed, and compares only the origin ({@code scheme://host[:port]/}) of
   * what is sent, as hot-link protection by domain would.
   */
  public WebFrontDoor refererOrigins(List<String> origins) {
    List<String> out = new ArrayList<>();
    for (String o : origins) {
      String n = origin(o);
      if (n == null) throw new IllegalArgumentException("not an http(s) origin: " + o);
      out.add(n);
    }
    refererOrigins = List.copyOf(out);
    return this;
  }
  /** DownloadUrl without the {@code params} hop: the inner URL itself (§12 knob). */
  public WebFrontDoor downloadUrlWithoutParams(boolean value) { downloadUrlWithoutParams = value; return this; }
  /** Lifetime of download tickets ({@code t}); default 24 h (P123). */
  public WebFrontDoor downloadTtl(Duration ttl) { downloadTtl = Objects.requireNonNull(ttl); return this; }
  /** Lifetime of tokens issued from now on (default 30 days). */
  public WebFrontDoor tokenLifetime(Duration lifetime) { tokenLifetime = Objects.requireNonNull(lifetime); return this; }
  /** Adds {@code delta} to every listing's {@code Total} (alist #6814 behaviour). */
  public WebFrontDoor totalSkew(int delta) { totalSkew = delta; return this; }
  /** Ignores {@code limit} and pages by this size (P123's "forced 500" claim); null = honour ≤100. */
  public WebFrontDoor forceListLimit(Integer limit) { forcedListLimit = limit; return this; }
  /** Listing an unknown folder answers an empty page instead of 5066. */
  public WebFrontDoor missingFolderListsEmpty(boolean value) { missingFolderListsEmpty = value; return this; }
  /** The {@code SliceSize} upload sessions announce (default 16 MiB; tests use small ones). */
  public WebFrontDoor sliceSize(long bytes) { if (bytes <= 0) throw new IllegalArgumentException(); sliceSize = bytes; return this; }
  /** Whether part sizes must follow {@code SliceSize} (default true; UNKNOWN for the real server). */
  public WebFrontDoor enforceSliceSize(boolean value) { enforceSliceSize = value; return this; }
  /** Lifetime of presigned part URLs (default 1 h). */
  public WebFrontDoor partUrlTtl(Duration ttl) { partUrlTtl = Objects.requireNonNull(ttl); return this; }
  /** The next {@code n} part PUTs get 403 (and their URLs die) whatever their age. */
  public WebFrontDoor expireNextPartUrls(int n) { partUrlsToExpire.set(n); return this; }
  /** Rapid upload answers {@code Reuse:true, FileId:0} with a Key and no Info (RC's observation). */
  public WebFrontDoor reuseWithZeroFileId(boolean value) { reuseWithZeroFileId = value; return this; }
  /** Whether a folder upload_request without {@code NotReuse:true} returns an existing folder (default true). */
  public WebFrontDoor folderReuseUnlessNotReuse(boolean value) { folderReuseUnlessNotReuse = value; return this; }
  /**
   * Whether a completed single-part upload also gets a FileId of its own (default false: it keeps
   * upload_request's FileId, since only a multipart upload is seen to come back with another;
   * multipart uploads always get a new one).
   */
  public WebFrontDoor completeAlwaysNewFileId(boolean value) { completeAlwaysNewFileId = value; return this; }
  /**
   * Whether the file a {@code rename} with {@code duplicate:2} replaces goes to the recycle bin
   * (default true) or is deleted for good (false); which one 123 does is UNKNOWN.
   */
  public WebFrontDoor renameReplacedToTrash(boolean value) { renameReplacedToTrash = value; return this; }
  /**
   * Reads {@code duplicate} 1 as "overwrite" and 2 as "keep both" in upload_request and rename
   * (default false: 1 keeps both, 2 overwrites, as most clients send them). One client's interface
   * maps them the other way round; this lets a suite check that its client does not rely on that
   * reading. Setting {@code web.duplicateSwapped}.
   */
  public WebFrontDoor duplicateSwapped(boolean value) { duplicateSwapped = value; return this; }
  /**
   * How sign_in answers a phone number or e-mail address that is not one: by default code 401 with
   * {@code 请输入正确的手机号码} / {@code 请输入正确的邮箱号}, the texts a client answers with
   * before it sends anything (taken to copy the server's; the code comes from that client too).
   * {@code checked=false} has the server look the login up like any other, so it answers as for an
   * unknown account (the wrong-password reply). Settings {@code web.malformedLoginChecked},
   * {@code web.malformedLoginCode}.
   */
  public WebFrontDoor malformedLogin(boolean checked, int code) {
    if (code == 0 || code == 200) throw new IllegalArgumentException("a refusal's code is not 0 or 200");
    malformedLoginChecked = checked;
    malformedLoginCode = code;
    return this;
  }
  /**
   * The refusal of a file {@code upload_request} (instant ones too), or of a {@code copy/async}
   * (its task's {@code reason} when it no longer fits as it runs), that does not fit into the
   * account's space: no source shows it, so both are guesses; default code 400 (the web API's
   * refusal of a request) and {@code 存储空间不足}. Settings {@code web.spaceFullCode},
   * {@code web.spaceFullMessage}; the space is the account's ({@link Account#spacePermanent(long)})
   * and {@link FakeStore#checkSpace(boolean)} turns the check off.
   */
  public WebFrontDoor spaceFull(int code, String message) {
    if (code == 0 || code == 200) throw new IllegalArgumentException("a refusal's code is not 0 or 200");
    spaceFullCode = code;
    spaceFullMessage = Objects.requireNonNull(message);
    return this;
  }
  /** What {@code file/trash} does without {@code operation} and {@code event} (UNKNOWN; default {@link TrashWithoutIntent#IGNORE}). */
  public WebFrontDoor trashWithoutIntent(TrashWithoutIntent mode) { trashWithoutIntent = Objects.requireNonNull(mode); return this; }
  /**
   * Whether {@code file/list/new} and {@code share/get} need {@code Page} (default true: every
   * known client sends it, so its absence is UNKNOWN); false reads a missing Page as 1.
   */
  public WebFrontDoor pageRequired(boolean value) { pageRequired = value; return this; }
  /**
   * Turns rate limiting on or off (default off: that 123 throttles is known, at what rate is not;
   * the 700 ms spacing of OpenList and rclone-123pan is their own client-side limiter, and
   * p123client, which does not pace itself, works against 123). See {@link #rateLimit}.
   */
  public WebFrontDoor rateLimiting(boolean on) { rateLimiting = on; buckets.clear(); return this; }
  /**
   * Sets the limit of one endpoint path (e.g. {@code /b/api/file/list/new}): one request per
   * {@code interval} with a burst of {@code burst} for each caller; null interval removes it.
   */
  public WebFrontDoor rateLimit(String path, Duration interval, int burst) {
    if (interval == null) limits.remove(path); else limits.put(path, new Limit(interval, Math.max(1, burst)));
    buckets.keySet().removeIf(k -> k.startsWith(path + " "));
    return this;
  }

  /** The next {@code times} sign_in attempts fail this way (queued after earlier ones). */
  public synchronized WebFrontDoor failLogins(LoginFailure failure, int times) {
    for (int i = 0; i < times; i++) loginFailures.add(failure);
    return this;
  }
  /** Every sign_in fails this way until {@link #clearLoginFailures()}. */
  public synchronized WebFrontDoor failAllLogins(LoginFailure failure) { permanentLoginFailure = failure; return this; }
  public synchronized WebFrontDoor clearLoginFailures() { loginFailures.clear(); permanentLoginFailure = null; return this; }

  /** Whether {@code POST /api/user/refresh_token} is served (default true; its existence today is UNKNOWN). */
  public WebFrontDoor refreshTokenEnabled(boolean value) { refreshTokenEnabled = value; return this; }
  /** Whether a refresh ends the token it was called with (default false: it lives to its expiry; UNKNOWN). */
  public WebFrontDoor refreshRevokesOld(boolean value) { refreshRevokesOld = value; return this; }
  /** Every token issued so far expires now. */
  public WebFrontDoor expireAllTokens() { sessions.values().forEach(s -> s.expired = true); return this; }
  /**
   * A token from a sign-in in a browser, as a user copies it into the {@code 123pan} driver's
   * {@code accessToken} option; not counted by {@link #loginCount()}. Lives {@link #tokenLifetime}.
   */
  public String browserToken(Account a) {
    return mint(a, 1, false);
  }
  /** That token is gone, as after signing out in the browser (the next call with it answers 401). */
  public WebFrontDoor revokeToken(String token) { sessions.remove(token); return this; }
  /** That token expires now. */
  public WebFrontDoor expireToken(String token) { Session s = sessions.get(token); if (s != null) s.expired = true; return this; }
  /**
   * Current tokens, and the next token issued, expire after {@code calls} more authenticated
   * calls each (the next one after those answers 401).
   */
  public WebFrontDoor expireTokensAfter(int calls) {
    sessions.values().forEach(s -> s.callsLeft.set(calls));
    pendingCallBudget = calls;
    return this;
  }

  /** Successful sign_ins so far. */
  public int loginCount() { return logins.get(); }
  /** sign_in requests so far, successful or not. */
  public int loginAttempts() { return loginAttempts.get(); }
  /** Live login tokens of one account. */
  public List<String> liveTokens(long uid) {
    List<String> out = new ArrayList<>();
    sessions.forEach((t, s) -> { if (s.uid == uid && s.valid(now())) out.add(t); });
    return out;
  }

  /** Login tokens currently valid, of every account. */
  public List<String> liveTokens() {
    List<String> out = new ArrayList<>();
    sessions.forEach((t, s) -> { if (s.valid(now())) out.add(t); });
    return out;
  }
  /** Upload sessions not yet completed. */
  public int openUploads() { return uploads.size(); }

  /** The fake's own web origin with a trailing slash, a Referer the inner CDN URL takes (see {@link #refererOrigins}). */
  public String webOrigin() { return cloud.baseUrl("web") + "/"; }
  /** The API base, e.g. {@code http://127.0.0.1:4711/b/api}. */
  public String apiBase() { return cloud.baseUrl("web") + API; }
  /** The sign_in URL. */
  public String loginUrl() { return cloud.baseUrl("login") + "/api/user/sign_in"; }
  /** {@code <scheme>://<host>/} of the relay, a Referer the final edge URL takes (see {@link #refererOrigins}). */
  public String relayOrigin() { return cloud.baseUrl("cdn") + "/"; }

  /**
   * The next {@code times} calls of an endpoint (path as sent, like {@code /b/api/file/list/new})
   * answer code 429 {@code 操作频繁，请稍后再试}, the web API's throttle reply, in place of the
   * fake (nothing is carried out).
   */
  public WebFrontDoor failNext(String path, int times) {
    return failNext(path, times, 429, MSG_RATE);
  }

  /**
   * The next {@code times} calls of an endpoint answer this code and message (HTTP 200,
   * {@link #businessError}) in place of the fake; counted in {@link FakeCloud#pendingFaults()}.
   *
   * @throws IllegalArgumentException when the web server serves no such path (a misspelt path, or
   *     one without the {@code /b/api} prefix, would otherwise wait for a call that never comes)
   */
  public WebFrontDoor failNext(String path, int times, int code, String message) {
    if (cloud == null) throw new IllegalStateException("install the web front door in a FakeCloud before arming failNext");
    if (!cloud.reaches("web", path)) {
      ServedPaths.require(cloud.routedPaths("web"), path, "the fake web API serves no endpoint", "failNext");
    }
    cloud.inject("web", r -> r.path().equals(path), businessError(code, message), times);
    return this;
  }

  /** A business-error reply ({@code {"code":code,"message":message,"data":null}}) to inject. */
  public static Fault businessError(int code, String message) {
    return Fault.response("code " + code, error(code, message));
  }

  // ================================================================== gate

  /** Handles one authenticated (or optionally anonymous) API call. */
  @FunctionalInterface
  interface ApiHandler {
    MockResponse handle(FakeRequest req, Session session) throws Exception;
  }

  void api(String method, String endpoint, boolean userRequired, ApiHandler h) {
    String path = API + endpoint;
    cloud.route("web", method, path, req -> gate(req, path, userRequired, h));
  }

  /**
   * Whether the API also answers under {@code /a/api} and {@code /api} (default true). Both are
   * declared bases in the drivers, each served the web API in its time (the {@code /a/api} era
   * before mid-2023, the app's {@code /api} in between), and p123client notes that any of
   * {@code /a}, {@code /b} or none may stand before {@code /api}. What they answer today is
   * UNKNOWN; served here like {@code /b/api}, with the signature checked over the path as sent.
   */
  public WebFrontDoor legacyPrefixes(boolean value) {
    legacyPrefixes = value;
    if (cloud != null) {
      cloud.alias("web", "/a/api/", value ? API + "/" : null);
      cloud.alias("web", "/api/", value ? API + "/" : null);
    }
    return this;
  }

  /**
   * Signature, token and rate-limit checks in front of every /b/api call. The limit is checked
   * last, so a refused call spends nothing. A call that needs no user (the share endpoints) is
   * not limited here: its handler calls {@link #throttle} once the share key and code passed.
   */
  MockResponse gate(FakeRequest req, String path, boolean userRequired, ApiHandler h) throws Exception {
    MockResponse sig = checkSignature(req);
    if (sig != null) return sig;
    if (chance(stringCodeThrottleRate)) {
      ObjectNode o = F.objectNode();
      o.put("code", "429");
      o.put("message", "too frequent");
      o.putNull("data");
      return WebJson.json(200, o);
    }
    if ((path.equals(LIST) || path.equals(SHARE_GET)) && chance(listThrottle403Rate)) return error(403, MSG_RATE);
    String auth = req.header("Authorization");
    String token = bearer(auth);
    Session s = token == null ? null : sessions.get(token);
    if (s != null && !s.valid(now())) s = null;
    if (userRequired && s == null) return sessionRefused(req, token);
    if (userRequired) {
      MockResponse limited = throttle(req, path, s, null); // before the call is counted against the token
      if (limited != null) return limited;
    }
    if (s != null && !s.use(now())) {
      if (userRequired) return sessionRefused(req, token);
      s = null;
    }
    return h.handle(req, s);
  }

  /** The reply to a call without a valid session where one is needed. */
  private MockResponse sessionRefused(FakeRequest req, String token) {
    if (isAndroid(req)) return error(2, androidSessionExpiredMessage);
    if (token != null && sessions.get(token) == null && token.split("\\.", -1).length != 3) {
      return error(401, MSG_TOKEN_SEGMENTS);
    }
    return error(401, MSG_TOKEN_EXPIRED);
  }

  /**
   * The rate limit of {@code path} for this caller: null when admitted (a token is spent), else
   * the {@code 429} reply. The caller is the bearer token of a valid session; without one, the
   * share key of an anonymous share call; else anyone anonymous (every other endpoint needs a
   * token, so none reaches this without one).
   */
  MockResponse throttle(FakeRequest req, String path, Session s, String shareKey) {
    String caller = s != null ? "token:" + bearer(req.header("Authorization"))
        : shareKey != null ? "share:" + shareKey : "anonymous";
    if (admit(path, caller)) return null;
    cloud.counters().overLimit("web", path);
    return error(429, MSG_RATE);
  }

  /**
   * Whether the call comes from an Android-profile client ({@code platform: android}, any case):
   * those see {@code code 2} instead of {@code 401} when their session is refused (§2.4, §6). The
   * sources show it for an expired session; that a missing, unknown or malformed token gets the
   * same is UNKNOWN and taken to be so (the profile has no other "sign in again" signal).
   */
  private static boolean isAndroid(FakeRequest req) {
    String p = req.header("platform");
    return p != null && p.trim().equalsIgnoreCase("android");
  }

  private MockResponse checkSignature(FakeRequest req) {
    SignatureMode mode = signatureMode;
    if (mode == SignatureMode.IGNORE) return null;
    WebSignature.Outcome o = WebSignature.verify(req.url(), req.path(), now(), signatureWindow);
    if (o == WebSignature.Outcome.VALID) return null;
    if (o == WebSignature.Outcome.ABSENT && mode == SignatureMode.VERIFY_WHEN_PRESENT) return null;
    // The recorded texts: a missing signature 签名错误:auth-key empty, a wrong one 签名错误 (§3.1, §6).
    return error(signatureErrorCode, o == WebSignature.Outcome.ABSENT ? MSG_SIGNATURE_MISSING : MSG_SIGNATURE_BAD);
  }

  /**
   * The token of an {@code Authorization} value, or null for none. {@code Bearer} alone (what Go's
   * clients send without a token, the trailing space trimmed) and an empty value are anonymous.
   * Anything else is read as {@link #bearerScheme} says.
   */
  private String bearer(String header) {
    return OpenApiFrontDoor.bearerToken(header, bearerScheme);
  }

  /** Takes a token from the caller's bucket of the endpoint; false when it is empty. */
  private boolean admit(String path, String caller) {
    if (!rateLimiting) return true;
    Limit l = limits.get(path);
    if (l == null) return true;
    Bucket b = buckets.computeIfAbsent(path + " " + caller, k -> new Bucket(l.burst, now()));
    synchronized (b) {
      Instant t = now();
      double refill = (double) Duration.between(b.last, t).toNanos() / l.interval.toNanos();
      if (refill > 0) {
        b.tokens = Math.min(l.burst, b.tokens + refill);
        b.last = t;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** The session of a valid bearer token, without spending a call (share endpoints). */
  Session peekSession(FakeRequest req) {
    String t = bearer(req.header("Authorization"));
    Session s = t == null ? null : sessions.get(t);
    return s != null && s.valid(now()) ? s : null;
  }

  Instant now() { return cloud.now(); }
  FakeStore store() { return cloud.store(); }
  FakeCloud cloud() { return cloud; }
  /** Server-side copy ({@code restful/goapi/v1/file/copy/…}) and its settings. */
  public WebCopy copy() { return copy; }
  /** Offline download settings of this door (the tasks themselves: {@link FakeOffline#of}). */
  public WebOffline offline() { return offline; }

  // ================================================================== login

  private MockResponse signIn(FakeRequest req) {
    loginAttempts.incrementAndGet();
    Map<String, String> body = loginBody(req);
    LoginFailure forced;
    synchronized (this) {
      forced = loginFailures.poll();
      if (forced == null) forced = permanentLoginFailure;
    }
    if (forced != null) {
      if (forced == LoginFailure.WRONG_PASSWORD) return error(wrongPasswordCode, wrongPasswordMessage);
      int code = loginFailureCode != 0 ? loginFailureCode : forced.code;
      if (forced == LoginFailure.BLOCKED) return envelope(code, forced.message, F.textNode("123pan forbidden"));
      return error(code, forced.message);
    }
    String password = body.get("password");
    String mail = body.get("mail");
    String passport = body.get("passport");
    Long type = WebJson.parseLong(body.get("type"));
    int loginType;
    String login;
    if (mail != null && !mail.isEmpty()) {
      if (type == null ? mailLoginNeedsType : type != 2) return error(400, MSG_BAD_ARG);
      if (malformedLoginChecked && !MAIL.matcher(mail).matches()) return error(malformedLoginCode, "请输入正确的邮箱号");
      login = mail;
      loginType = 2;
    } else if (passport != null && !passport.isEmpty()) {
      if (type != null && type != 1) return error(400, MSG_BAD_ARG);
      if (malformedLoginChecked && !PHONE.matcher(passport).matches()) return error(malformedLoginCode, "请输入正确的手机号码");
      login = passport;
      loginType = 1;
    } else {
      return malformedLoginChecked ? error(malformedLoginCode, "请输入正确的手机号码") : error(wrongPasswordCode, wrongPasswordMessage);
    }
    if (password == null || password.isEmpty()) return error(401, wrongPasswordMessage);
    Optional<Account> account = store().accountByLogin(login)
        .filter(a -> loginType == 1 ? login.equals(a.phone()) : login.equalsIgnoreCase(a.mail()));
    // 123 silently truncates passwords to 16 characters (123panNextGen #50, a claim): passwordCompareLength.
    if (account.isEmpty() || account.get().password() == null
        || !truncate(account.get().password()).equals(truncate(password))) {
      return error(wrongPasswordCode, wrongPasswordMessage);
    }
    logins.incrementAndGet();
    return envelope(200, "success", issue(account.get(), loginType));
  }

  /**
   * A new token of {@code a}, living {@link #tokenLifetime}, counted as minted; with
   * {@code budgeted}, the call budget set by {@link #expireTokensAfter} for the next token applies.
   */
  private String mint(Account a, int loginType, boolean budgeted) {
    Instant iat = now();
    Instant exp = iat.plus(tokenLifetime);
    String token = jwt(a, iat, exp);
    Session s = new Session(a.uid(), exp, loginType);
    Integer budget = budgeted ? pendingCallBudget : null;
    if (budget != null) {
      s.callsLeft.set(budget);
      pendingCallBudget = null;
    }
    sessions.put(token, s);
    cloud.counters().tokenMinted("web");
    return token;
  }

  /** Mints a token for a sign-in (or a refresh) and returns the sign-in reply's {@code data}. */
  private ObjectNode issue(Account a, int loginType) {
    String token = mint(a, loginType, true);
    Instant exp = sessions.get(token).expiresAt;
    ObjectNode d = F.objectNode();
    d.put("token", token);
    d.put("expire", WebJson.time(exp));
    d.put("login_type", loginType);
    d.put("refresh_token_expire_time", exp.plus(Duration.ofDays(30)).getEpochSecond());
    return d;
  }

  /**
   * {@code POST /api/user/refresh_token} on the web host with a valid bearer: a new token in the
   * sign-in reply's shape ({@code code 200 "success"}), as an old client recorded it. Whether the
   * call still exists is UNKNOWN ({@link #refreshTokenEnabled}; off answers the router's plain 404),
   * and so is what becomes of the old token: it stays valid until its expiry unless
   * {@link #refreshRevokesOld} is on. Not counted by {@link #loginCount()}.
   */
  private MockResponse refreshToken(FakeRequest req, Session s) {
    if (!refreshTokenEnabled) return FakeCloud.notRouted();
    ObjectNode d = issue(account(s), s.loginType);
    if (refreshRevokesOld) sessions.values().removeIf(x -> x == s);
    return envelope(200, "success", d);
  }

  private String truncate(String p) {
    int n = passwordCompareLength;
    return n > 0 && p.length() > n ? p.substring(0, n) : p;
  }

  /** The sign_in body: JSON (the normal case) or form-encoded (older clients). */
  private static Map<String, String> loginBody(FakeRequest req) {
    Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    JsonNode j = req.json();
    if (j.isObject()) {
      j.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
      return out;
    }
    String ct = req.header("Content-Type");
    if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      Map<String, String> fields = FakeRequest.formFields(req.bodyText());
      if (fields != null) out.putAll(fields);
    }
    return out;
  }

  /** An HS256-looking JWT with exactly the claims of a real 2023 token (§4.2), the signature random. */
  private static String jwt(Account a, Instant iat, Instant exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    ObjectNode c = F.objectNode();
    c.put("exp", exp.getEpochSecond());
    c.put("iat", iat.getEpochSecond());
    c.put("id", a.uid());
    c.put("nickname", a.nickname() == null ? "" : a.nickname());
    c.put("supper", false);
    c.put("username", a.phone() == null ? 0L : Long.parseLong(a.phone()));
    c.put("v", 0);
    String claims = b64.encodeToString(c.toString().getBytes(StandardCharsets.UTF_8));
    byte[] sig = new byte[32];
    RANDOM.nextBytes(sig);
    return header + "." + claims + "." + b64.encodeToString(sig);
  }

  private MockResponse logout(FakeRequest req, Session s) {
    sessions.values().removeIf(x -> x == s);
    // the documented reply has exactly these two keys, no data (§4.4)
    return WebJson.json(200, F.objectNode().put("code", 200).put("message", "请重新登录！"));
  }

  // ================================================================== user/info, listing

  private MockResponse userInfo(FakeRequest req, Session s) {
    Account a = account(s);
    FakeStore st = store();
    long files = st.allNodes(a.uid()).stream().filter(n -> !n.folder() && !st.isTrashed(n)).count();
    ObjectNode d = F.objectNode();
    d.put("UID", a.uid());
    d.put("Nickname", a.nickname() == null ? "" : a.nickname());
    d.put("SpaceUsed", st.spaceUsed(a.uid()));
    d.put("SpacePermanent", a.spacePermanent());
    d.put("SpaceTemp", 0);
    d.put("FileCount", files);
    d.put("SpaceTempExpr", WebJson.ZERO_TIME);
    d.put("Mail", a.mail() == null ? "" : a.mail());
    if (passportAsText) d.put("Passport", a.phone() == null ? "" : a.phone());
    else if (a.phone() != null) d.put("Passport", Long.parseLong(a.phone())); else d.put("Passport", 0);
    d.put("HeadImage", "");
    d.put("BindWechat", false);
    d.put("StraightLink", a.vip());
    d.put("OpenLink", 0);
    d.put("Vip", a.vip());
    d.put("VipExpire", a.vip() ? WebJson.VIP_EXPIRE : "");
    d.put("SpaceBuy", false);
    d.put("VipExplain", a.vip() ? a.vipLabel() : "");
    d.put("SignType", 0);
    d.put("ContinuousPayment", false);
    d.put("ContinuousPaymentDate", "");
    d.put("ContinuousPaymentAmount", 0);
    d.put("ContinuousPaymentDuration", 0);
    if (userInfoKeys == UserInfoKeys.LATER) {
      d.put("IsShowAdvertisement", !a.vip());
      d.putArray("UserVipDetailInfos"); // what its elements hold is UNKNOWN: always empty here
      d.put("IsAuthentication", false);
      d.put("VipLevel", a.vip() ? a.vipLevel() : 0);
      d.put("GrowSpaceAddCount", 0);
      d.put("IsBeforeBuyVipProduct", false);
    }
    return ok(d);
  }

  private MockResponse list(FakeRequest req, Session s) {
    long uid = s.uid;
    Long parent = WebJson.parseLong(req.queryIgnoreCase("parentFileId"));
    Long page = page(req);
    Long limit = WebJson.parseLong(req.queryIgnoreCase("limit"));
    String trashedParam = req.queryIgnoreCase("trashed");
    if (parent == null || page == null || page < 1 || limit == null || limit < 1) return error(400, MSG_BAD_ARG);
    boolean trashed = "true".equalsIgnoreCase(trashedParam);
    String search = req.queryIgnoreCase("SearchData");
    FakeStore st = store();
    List<Node> all;
    if (search != null && !search.isBlank() && !trashed) {
      // A search: the whole drive's live entries whose name contains the text, case ignored,
      // parentFileId ignored. How 123 matches is UNKNOWN (the web app's search box sends it, no
      // client in the sources does); this is what the open platform's default searchMode does.
      all = new ArrayList<>(st.search(uid, search.strip()).stream().filter(n -> !st.isTrashed(n)).toList());
    } else if (trashed) {
      all = new ArrayList<>(st.allNodes(uid).stream().filter(Node::trashed).toList());
    } else {
      if (!st.isLiveFolder(uid, parent)) {
        if (!missingFolderListsEmpty) return error(5066, MSG_NOT_FOUND);
        all = new ArrayList<>();
      } else {
        all = new ArrayList<>(st.children(uid, parent, false));
      }
    }
    int size = forcedListLimit != null ? forcedListLimit : (int) Math.min(limit, 100);
    ObjectNode d = page(all, page, size, true, n -> withThumbnail(WebJson.item(st, n), n), listNext);
    if (totalSkew != 0) d.put("Total", d.get("Total").asInt() + totalSkew);
    return ok(d);
  }

  /**
   * The {@code Page} query of {@code file/list/new} and {@code share/get}, or null when missing or
   * not a number. Every client in the sources sends it, so what the server does without it is
   * UNKNOWN; the fake refuses that ({@code 400 参数错误}) unless {@link #pageRequired} is off,
   * which reads a missing Page as 1.
   */
  Long page(FakeRequest req) {
    String p = req.queryIgnoreCase("Page");
    if (p == null && !pageRequired) return 1L;
    return WebJson.parseLong(p);
  }

  /** {@code DownloadUrl} of a listed picture or video is its 24×24 thumbnail (§5.2), see {@link FakeThumbnails}. */
  private ObjectNode withThumbnail(ObjectNode item, Node n) {
    item.put("DownloadUrl", cloud.thumbnails().url(n, item.path("Category").asInt()));
    return item;
  }

  /** One page of items in {@code file_id desc} order, as list/new and share/get render it. */
  static ObjectNode page(List<Node> all, long page, int size, boolean withTotal,
      java.util.function.Function<Node, ObjectNode> render, ListNext nextMode) {
    all.sort(Comparator.comparingLong(Node::id).reversed());
    // A Page far past the end is an empty last page (no overflow of (page - 1) × size).
    long from = page - 1 >= all.size() ? all.size() : Math.min(all.size(), (page - 1) * size);
    long to = Math.min(all.size(), from + size);
    ArrayNode items = F.arrayNode();
    for (long i = from; i < to; i++) items.add(render.apply(all.get((int) i)));
    boolean last = to >= all.size();
    ObjectNode d = F.objectNode();
    d.put("Next", last ? "-1" : switch (nextMode) {
      case LAST_FILE_ID -> Long.toString(all.get((int) to - 1).id());
      case NEXT_PAGE -> Long.toString(page + 1);
      case OPAQUE -> hex(8);
    });
    d.put("Len", items.size());
    d.put("IsFirst", page == 1);
    if (withTotal) d.put("Total", all.size()); else d.put("Expired", false);
    d.set("InfoList", items);
    return d;
  }

  private MockResponse fileInfo(FakeRequest req, Session s) {
    JsonNode list = req.field("fileIdList");
    if (list == null || !list.isArray()) return error(400, MSG_BAD_ARG);
    ArrayNode out = F.arrayNode();
    for (JsonNode e : list) {
      Long id = asLong(get(e, "fileId"));
      if (id == null) return error(400, MSG_BAD_ARG);
      store().node(s.uid, id).ifPresent(n -> out.add(withThumbnail(WebJson.item(store(), n), n)));
    }
    ObjectNode d = F.objectNode();
    d.set("infoList", out);
    return ok(d);
  }

  // ================================================================== download

  private MockResponse downloadInfo(FakeRequest req, Session s) {
    Long id = req.longField("fileId");
    if (id == null) return error(400, MSG_BAD_ARG);
    Optional<Node> n = store().node(s.uid, id).filter(x -> !store().isTrashed(x));
    if (n.isEmpty()) return error(5066, MSG_NOT_FOUND);
    if (n.get().folder()) return error(400, "文件夹不支持直接下载");
    MockResponse refused = downloadRefusal(n.get());
    if (refused != null) return refused;
    if (!spendTraffic(account(s), n.get().size())) return error(5113, MSG_TRAFFIC);
    ObjectNode d = F.objectNode();
    d.put("DownloadUrl", downloadUrl(n.get()));
    return ok(d);
  }

  /**
   * A download refused by review ({@link #reviewRefusedDownloadCode}), or the realistic 5114 / 50002
   * / 1010 / 50001 refusal of a download, or null (those never twice in a row per file).
   */
  MockResponse downloadRefusal(Node n) {
    int refusedByReview = reviewRefusedDownloadCode;
    if (refusedByReview != 0 && n.reviewStatus() > 100) return error(refusedByReview, MSG_REVIEW_REFUSED);
    if (lastDownloadError.remove(n.id())) return null;
    if (chance(download5114Rate)) {
      lastDownloadError.add(n.id());
      return error(5114, MSG_TRAFFIC);
    }
    if (chance(download50002Rate)) {
      lastDownloadError.add(n.id());
      return error(50002, "download err");
    }
    if (chance(download1010Rate)) {
      lastDownloadError.add(n.id());
      return error(1010, "download err");
    }
    if (chance(download50001Rate)) {
      lastDownloadError.add(n.id());
      return error(50001, "download err");
    }
    return null;
  }

  /** Takes {@code bytes} off the account's traffic for today; false when it does not suffice. */
  boolean spendTraffic(Account a, long bytes) {
    return a.spendDownload(bytes, cloud.now());
  }

  /** Issues a download ticket and returns the outer relay URL (or the inner URL, see knob). */
  String downloadUrl(Node n) {
    return downloadUrl(n.blob(), n.name(), n.uid());
  }

  /** The same for any blob served under {@code name} to user {@code uid} (a batch's zip). */
  String downloadUrl(Blob blob, String name, long uid) {
    String ticket = hex(16);
    Instant exp = now().plus(downloadTtl);
    tickets.put(ticket, new Ticket(blob, name, exp));
    String md5 = blob.md5();
    HttpUrl inner = cloud.url("cdn", "/123-web/" + md5.substring(0, 8) + "/" + uid + "-0/" + md5 + "/c-m2")
        .newBuilder()
        .addQueryParameter("v", "5")
        .addQueryParameter("t", Long.toString(exp.getEpochSecond()))
        .addQueryParameter("s", ticket)
        .addQueryParameter("r", hex(3).toUpperCase(Locale.ROOT))
        .addQueryParameter("filename", name)
        .addQueryParameter("x-mf-biz-cid", UUID.randomUUID().toString())
        .addQueryParameter("auto_redirect", "0")
        .build();
    if (downloadUrlWithoutParams) return inner.toString();
    String params = Base64.getEncoder().encodeToString(inner.toString().getBytes(StandardCharsets.UTF_8));
    return cloud.url("cdn", "/download-v2/").newBuilder()
        .addQueryParameter("params", params)
        .addQueryParameter("is_s3", "0")
        .build().toString();
  }

  /** The relay itself: a browser would land here; it forwards to the inner URL. */
  private MockResponse relay(FakeRequest req) {
    String params = req.query("params");
    if (params == null) return cdnDenied();
    String inner;
    try {
      inner = new String(Base64.getDecoder().decode(params), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return cdnDenied();
    }
    return new MockResponse.Builder().code(302).setHeader("Location", inner).body("").build();
  }

  private MockResponse inner(FakeRequest req) {
    Ticket t = ticket(req);
    if (t == null) return cdnDenied();
    if (requireReferer && !refererAllowed(req, webOrigin(), List.of())) return cdnDenied();
    String edge = cloud.url("cdn", "/web-edge/" + req.query("s")).newBuilder()
        .addQueryParameter("t", req.query("t"))
        .addQueryParameter("filename", t.name)
        .addQueryParameter("xmfcid", hex(8))
        .build().toString();
    if (redirectMode == RedirectMode.FOUND_302 || "1".equals(req.query("auto_redirect"))) {
      return new MockResponse.Builder().code(302).setHeader("Location", edge).body("").build();
    }
    ObjectNode o = F.objectNode();
    o.put("message", "ok");
    ObjectNode d = F.objectNode();
    d.put("redirect_url", edge);
    o.set("data", d);
    o.put("code", 0);
    return WebJson.json(redirectMode == RedirectMode.JSON_210 ? 210 : 200, o);
  }

  private MockResponse edge(FakeRequest req) {
    String path = req.path();
    String ticket = path.substring(path.lastIndexOf('/') + 1);
    Ticket t = tickets.get(ticket);
    if (t == null || !Long.toString(t.expiresAt.getEpochSecond()).equals(req.query("t"))) return cdnDenied();
    if (now().isAfter(t.expiresAt)) return cdnDenied();
    if (requireReferer && requireEdgeReferer && !refererAllowed(req, relayOrigin(), RELAY_ORIGINS)) return cdnDenied();
    return BlobResponses.serve(req, t.blob, "application/octet-stream", t.name);
  }

  /** True when the request's Referer has the fake's {@code own} origin or one of {@link #refererOrigins}. */
  /**
   * Whether the request's {@code Referer} names the fake's {@code own} origin, one of
   * {@link #refererOrigins}, or one of 123's real hosts for this hop ({@code real}), which count
   * with 123's web origins and so not once those are narrowed to the fake's own.
   */
  private boolean refererAllowed(FakeRequest req, String own, List<String> real) {
    String sent = origin(req.header("Referer"));
    return sent != null && (sent.equals(origin(own)) || refererOrigins.contains(sent)
        || !refererOrigins.isEmpty() && real.contains(sent));
  }

  /** {@code scheme://host[:port]/} of an http(s) URL (default port left out), or null. */
  static String origin(String url) {
    HttpUrl u = url == null ? null : HttpUrl.parse(url);
    if (u == null) return null;
    boolean defaultPort = u.port() == HttpUrl.defaultPort(u.scheme());
    return u.scheme() + "://" + u.host() + (defaultPort ? "" : ":" + u.port()) + "/";
  }

  private Ticket ticket(FakeRequest req) {
    String s = req.query("s");
    Ticket t = s == null ? null : tickets.get(s);
    if (t == null || !Long.toString(t.expiresAt.getEpochSecond()).equals(req.query("t"))) return null;
    return now().isAfter(t.expiresAt) ? null : t;
  }

  private static MockResponse cdnDenied() {
    return new MockResponse.Builder().code(403).setHeader("Content-Type", "text/html")
        .body("<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>").build();
  }

  // ================================================================== mkdir, move, rename, trash

  static boolean validName(String name) {
    if (name == null || name.isBlank() || name.length() >= 128) return false;
    for (char c : name.toCharArray()) if ("\"\\/:*?|><".indexOf(c) >= 0) return false;
    return true;
  }

  private MockResponse move(FakeRequest req, Session s) {
    JsonNode list = req.field("fileIdList");
    Long target = req.longField("parentFileId");
    if (list == null || !list.isArray() || list.isEmpty() || target == null) return error(400, MSG_BAD_ARG);
    FakeStore st = store();
    synchronized (st) {
      if (!st.isLiveFolder(s.uid, target)) return error(5066, MSG_NOT_FOUND);
      // The entries by name: two of one name cannot both land in the target (5060, as a server-side
      // copy of them refuses), and the check comes before anything moves.
      Map<String, Node> nodes = new LinkedHashMap<>();
      for (JsonNode e : list) {
        Long id = asLong(get(e, "FileId"));
        if (id == null) return error(400, MSG_BAD_ARG);
        Optional<Node> n = st.node(s.uid, id).filter(x -> !st.isTrashed(x));
        if (n.isEmpty()) return error(5066, MSG_NOT_FOUND);
        if (n.get().folder() && st.isSelfOrDescendant(s.uid, target, n.get().id())) {
          return error(400, "不能移动到自身或其子目录");
        }
        Optional<Node> clash = st.child(s.uid, target, n.get().name());
        if (clash.isPresent() && clash.get() != n.get()) return sameName(clash.get());
        Node sibling = nodes.putIfAbsent(n.get().name(), n.get());
        if (sibling != null && sibling != n.get()) return sameName(sibling);
      }
      ArrayNode out = F.arrayNode();
      for (Node n : nodes.values()) {
        st.move(n, target);
        out.add(WebJson.item(st, n));
      }
      ObjectNode d = F.objectNode();
      d.set("Info", out);
      return ok(d);
    }
  }

  /**
   * {@code POST /file/rename} with {@code duplicate} as upload_request reads it (§5.7, §5.9.1):
   * 0 or absent ⇒ a name taken by another entry is {@code 5060}; 1 ⇒ keep both, the renamed entry
   * gets the free name uploads get ({@code name(1).ext}, …); 2 ⇒ a clashing file is replaced, a
   * clashing folder is still {@code 5060}. What becomes of the replaced file is UNKNOWN: it goes to
   * the recycle bin, as a deletion from the web app does ({@link #renameReplacedToTrash}; false
   * deletes it for good).
   */
  private MockResponse rename(FakeRequest req, Session s) {
    Long id = req.longField("fileId");
    String name = req.textField("fileName");
    if (id == null || name == null) return error(400, MSG_BAD_ARG);
    Long dupField = req.longField("duplicate");
    // Checked as the long it was sent as: an int cast would read 2^32 + 1 as 1.
    if (dupField != null && (dupField < 0 || dupField > 2)) return error(400, MSG_BAD_ARG);
    int duplicate = swapped(dupField == null ? 0 : dupField.intValue());
    if (!validName(name)) return error(5064, MSG_BAD_NAME);
    FakeStore st = store();
    synchronized (st) {
      Optional<Node> n = st.node(s.uid, id).filter(x -> !st.isTrashed(x));
      if (n.isEmpty()) return error(5066, MSG_NOT_FOUND);
      Optional<Node> clash = st.child(s.uid, n.get().parentId(), name);
      String finalName = name;
      if (clash.isPresent() && clash.get() != n.get()) {
        Node other = clash.get();
        if (duplicate == 0 || (duplicate == 2 && other.folder())) return sameName(other);
        if (duplicate == 1) {
          finalName = st.freeName(s.uid, n.get().parentId(), name);
        } else if (renameReplacedToTrash) {
          st.trash(other);
        } else {
          st.delete(other);
        }
      }
      st.rename(n.get(), finalName);
      ObjectNode d = F.objectNode();
      d.set("Info", WebJson.item(st, n.get()));
      return ok(d);
    }
  }

  /**
   * {@code POST /file/trash}. The intent is {@code operation} (true = into the bin, false =
   * restore; OpenList's body, verified live); without it, {@code event} ({@code intoRecycle} /
   * {@code recycleRestore}, what the web and the Android-profile clients send with
   * {@code {FileId}}-only items). A body with neither is UNKNOWN: see {@link #trashWithoutIntent}.
   */
  private MockResponse trash(FakeRequest req, Session s) {
    JsonNode list = req.field("fileTrashInfoList");
    if (list == null || !list.isArray() || list.isEmpty()) return error(400, MSG_BAD_ARG);
    Boolean operation = asBool(req.field("operation"));
    if (operation == null) operation = trashEvent(req.textField("event"));
    if (operation == null) {
      switch (trashWithoutIntent) {
        case REFUSE -> { return error(400, MSG_BAD_ARG); }
        case IGNORE -> {
          ObjectNode d = F.objectNode();
          d.set("InfoList", F.arrayNode());
          return ok(d);
        }
        case TRASH -> operation = true;
      }
    }
    FakeStore st = store();
    synchronized (st) {
      List<Node> nodes = new ArrayList<>();
      for (JsonNode e : list) {
        // Both shapes of §5.8 carry FileId; everything else in the item is ignored.
        Long id = asLong(get(e, "FileId"));
        if (id == null) return error(400, MSG_BAD_ARG);
        Optional<Node> n = st.node(s.uid, id);
        if (n.isEmpty()) return error(5066, MSG_NOT_FOUND);
        nodes.add(n.get());
      }
      if (!operation) {
        MockResponse refused = trashBin.restore(st, s.uid, nodes);
        if (refused != null) return refused;
      }
      ArrayNode out = F.arrayNode();
      for (Node n : nodes) {
        if (operation) st.trash(n);
        out.add(WebJson.item(st, n));
      }
      ObjectNode d = F.objectNode();
      d.set("InfoList", out);
      return ok(d);
    }
  }

  /** {@code intoRecycle} → true, {@code recycleRestore} → false (any case), anything else null. */
  private static Boolean trashEvent(String event) {
    if ("intoRecycle".equalsIgnoreCase(event)) return true;
    if ("recycleRestore".equalsIgnoreCase(event)) return false;
    return null;
  }

  static MockResponse sameName(Node existing) {
    ObjectNode d = F.objectNode();
    d.put("etag", existing.md5());
    d.put("size", existing.size());
    d.put("updated_at", WebJson.time(existing.updated()));
    return envelope(5060, MSG_SAME_NAME, d);
  }

  // ================================================================== upload

  /** {@code duplicate} as the fake reads it: 1 and 2 trade places under {@link #duplicateSwapped}. */
  private int swapped(int duplicate) {
    return duplicateSwapped && duplicate != 0 ? 3 - duplicate : duplicate;
  }

  private MockResponse uploadRequest(FakeRequest req, Session s) throws IOException {
    Long type = req.longField("type");
    String name = req.textField("fileName");
    Long parent = req.longField("parentFileId");
    Long size = req.longField("size");
    if (type == null || (type != 0 && type != 1) || name == null || parent == null) return error(400, MSG_BAD_ARG);
    Long dupField = req.longField("duplicate");
    // Checked as the long it was sent as: an int cast would read 2^32 + 1 as 1.
    if (dupField != null && (dupField < 0 || dupField > 2)) return error(400, MSG_BAD_ARG);
    int duplicate = swapped(dupField == null ? 0 : dupField.intValue());
    if (!validName(name)) return error(5064, MSG_BAD_NAME);
    FakeStore st = store();
    if (type == 1) {
      Boolean notReuse = asBool(req.field("NotReuse"));
      synchronized (st) {
        if (!st.isLiveFolder(s.uid, parent)) return error(5066, MSG_NOT_FOUND);
        Optional<Node> clash = st.child(s.uid, parent, name);
        String finalName = name;
        if (clash.isPresent()) {
          if (clash.get().folder() && folderReuseUnlessNotReuse && !Boolean.TRUE.equals(notReuse)) {
            return ok(uploadData(clash.get().id(), true, clash.get(), null, true));
          }
          if (duplicate == 0) return sameName(clash.get());
          finalName = st.freeName(s.uid, parent, name);
        }
        Node folder = st.mkdir(s.uid, parent, finalName);
        return ok(uploadData(folder.id(), false, folder, null, true));
      }
    }
    String etag = req.textField("etag");
    if (etag == null || etag.isEmpty()) return error(400, "请输入Etag");
    if (!MD5.matcher(etag).matches() || size == null || size < 0) return error(400, MSG_BAD_ARG);
    synchronized (st) {
      if (!st.isLiveFolder(s.uid, parent)) return error(5066, MSG_NOT_FOUND);
      Optional<Node> clash = st.child(s.uid, parent, name);
      if (clash.isPresent() && (duplicate == 0 || (duplicate == 2 && clash.get().folder()))) return sameName(clash.get());
      // An instant upload is refused too: the new file counts in SpaceUsed like any other.
      if (st.spaceFor(s.uid, size) != null) return error(spaceFullCode, spaceFullMessage);
      // Content addressing compares the etag exactly: an upper-case etag never matches (OL #349).
      Optional<Blob> blob = st.blobByMd5(etag, size).filter(b -> b.md5().equals(etag));
      if (blob.isPresent()) {
        Node n = place(s.uid, parent, name, duplicate, blob.get(), null);
        if (reuseWithZeroFileId) {
          ObjectNode d = uploadData(0, true, null, null, false);
          d.put("Key", etag.substring(0, 8) + "/" + s.uid + "-0/" + etag);
          return ok(d);
        }
        return ok(uploadData(n.id(), true, n, null, false));
      }
      long announced = size > largeSliceThreshold ? largeSliceSize : sliceSize;
      boolean viaSts = uploadMode == UploadMode.STS;
      Upload u = new Upload(hex(16) + "-" + hex(8), s.uid, parent, name, duplicate, etag, size, announced,
          st.nextId(), viaSts ? WebStsStorage.BUCKET : "pan-yun-m2",
          etag.substring(0, 8) + "/" + s.uid + "-0/" + etag + (viaSts ? "/" + (stsKeyTail != null ? stsKeyTail : hex(6)) : ""), "m2",
          partDir(), enforceSliceSize && !viaSts, st.directIo());
      // An STS upload's key is its own (the object it names is made by that upload only).
      if (viaSts) u.grant = sts.grant(u.key);
      uploads.put(u.uploadId, u);
      return ok(uploadData(u.fileId, false, null, u, false));
    }
  }

  /**
   * The upload_request data object (§5.5, §5.9.1), STS fields empty (presigned mode). A file's
   * reply has the 14 keys a 2026 client decodes: {@code Reuse, FileId, Key, Bucket, UploadId,
   * StorageNode, EndPoint, SliceSize, UploadFileStatus}, the four STS fields and {@code Info}. A
   * folder's has the 13 keys of a strict 2023 validator: those minus one of {@code SliceSize} /
   * {@code UploadFileStatus}, and which one it was is UNKNOWN ({@link #folderReplyExtraKey}).
   */
  private ObjectNode uploadData(long fileId, boolean reuse, Node info, Upload u, boolean folder) {
    ObjectNode d = F.objectNode();
    WebStsStorage.Grant g = u == null ? null : u.grant;
    if (g != null) {
      d.put("AccessKeyId", g.accessKeyId());
      d.put("SecretAccessKey", g.secret());
      d.put("SessionToken", g.token());
      d.put("Expiration", g.expiration());
    } else {
      for (String k : List.of("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")) {
        if (stsFieldsNull) d.putNull(k); else d.put(k, "");
      }
    }
    d.put("Key", u == null ? "" : u.key);
    d.put("Bucket", u == null ? "" : u.bucket);
    d.put("FileId", fileId);
    d.put("Reuse", reuse);
    d.set("Info", info == null ? F.nullNode() : infoItem(info));
    // STS mode: the client creates its multipart upload at the storage server; 123's own id is not given out.
    d.put("UploadId", u == null || g != null ? "" : u.uploadId);
    d.put("StorageNode", u == null ? "" : u.storageNode);
    d.put("EndPoint", u == null ? "" : g != null && stsEndPoint != null ? stsEndPoint : cloud.baseUrl("cdn"));
    FolderReplyExtraKey extra = folderReplyExtraKey;
    if (!folder || extra != FolderReplyExtraKey.UPLOAD_FILE_STATUS) d.put("SliceSize", u == null ? "" : Long.toString(u.sliceSize));
    if (!folder || extra != FolderReplyExtraKey.SLICE_SIZE) d.put("UploadFileStatus", u == null ? 0 : 1);
    return d;
  }

  /**
   * {@code Info} of an upload_request reply: the list item without {@code EnableAppeal},
   * {@code ToolTip} and {@code RefuseReason} (21 keys, as captured for a folder; a reused file's
   * is taken to be the same object).
   */
  private ObjectNode infoItem(Node n) {
    ObjectNode o = WebJson.item(store(), n);
    o.remove(List.of("EnableAppeal", "ToolTip", "RefuseReason"));
    return o;
  }

  /**
   * Creates (or overwrites, or renames) the uploaded file under the duplicate rule. A new file
   * gets {@code id} when it is not null (a session's FileId), else a fresh one; an overwrite keeps
   * the overwritten file's id.
   */
  private Node place(long uid, long parent, String name, int duplicate, Blob blob, Long id) {
    FakeStore st = store();
    synchronized (st) {
      Optional<Node> clash = st.child(uid, parent, name);
      String finalName = name;
      if (clash.isPresent()) {
        if (duplicate == 2 && !clash.get().folder()) {
          st.replaceContent(clash.get(), blob);
          return clash.get();
        }
        finalName = st.freeName(uid, parent, name);
      }
      return id != null && st.idFree(id) ? st.createFile(id, uid, parent, finalName, blob) : st.createFile(uid, parent, finalName, blob);
    }
  }

  /** The session named by a body's uploadId/bucket/key/StorageNode, or null when any differs. */
  private Upload session(FakeRequest req, Session s) {
    String id = req.textField("uploadId");
    Upload u = id == null ? null : uploads.get(id);
    if (u == null || u.uid != s.uid || u.grant != null) return null; // an STS upload has no presigned parts
    if (!u.bucket.equals(req.textField("bucket")) || !u.key.equals(req.textField("key"))
        || !u.storageNode.equals(req.textField("StorageNode"))) {
      return null;
    }
    return u;
  }

  private MockResponse presign(FakeRequest req, Session s, int maxPerCall) {
    Upload u = session(req, s);
    if (u == null) return error(400, MSG_BAD_ARG);
    Long start = req.longField("partNumberStart");
    Long end = req.longField("partNumberEnd");
    if (start == null || end == null || start < 1 || end <= start || end - start > maxPerCall) return error(400, MSG_BAD_ARG);
    long maxParts = enforceSliceSize ? u.partCount() : 10_000;
    if (end > maxParts + 1) return error(400, MSG_BAD_ARG);
    ObjectNode urls = F.objectNode();
    Instant exp = now().plus(partUrlTtl);
    for (long p = start; p < end; p++) {
      String token = hex(20);
      partUrls.put(token, new PartUrl(u.uploadId, (int) p, exp));
      urls.put(Long.toString(p), cloud.url("cdn", "/web-s3/" + u.bucket + "/" + u.key + "/" + p).newBuilder()
          .addQueryParameter("uploadId", u.uploadId)
          .addQueryParameter("partNumber", Long.toString(p))
          .addQueryParameter("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
          .addQueryParameter("X-Amz-Expires", Long.toString(partUrlTtl.toSeconds()))
          .addQueryParameter("X-Amz-Signature", token)
          .build().toString());
    }
    ObjectNode d = F.objectNode();
    d.set("presignedUrls", urls);
    return ok(d);
  }

  private MockResponse listParts(FakeRequest req, Session s) {
    Upload u = session(req, s);
    if (u == null) return error(400, MSG_BAD_ARG);
    ObjectNode d = F.objectNode();
    synchronized (u) {
      if (u.parts.isEmpty()) {
        d.putNull("Parts");
      } else {
        ArrayNode parts = d.putArray("Parts");
        u.parts.forEach((n, p) -> {
          ObjectNode o = parts.addObject();
          o.put("ETag", "\"" + p.md5 + "\"");
          o.put("PartNumber", Integer.toString(n));
          o.put("Size", Long.toString(p.size));
        });
      }
    }
    return ok(d);
  }

  private MockResponse putPart(FakeRequest req) throws IOException {
    String resource = req.url().encodedPath();
    PartUrl pu = partUrls.get(String.valueOf(req.query("X-Amz-Signature")));
    if (pu == null || !pu.uploadId.equals(req.query("uploadId"))
        || !Integer.toString(pu.part).equals(req.query("partNumber"))) {
      return S3Errors.reply(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.", resource);
    }
    if (pu.dead || now().isAfter(pu.expiresAt)) return S3Errors.reply(403, "AccessDenied", "Request has expired", resource);
    if (partUrlsToExpire.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      pu.dead = true;
      return S3Errors.reply(403, "AccessDenied", "Request has expired", resource);
    }
    if (req.header("Authorization") != null) {
      return S3Errors.reply(400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified", resource);
    }
    if (!req.hasContentLength()) return S3Errors.reply(411, "MissingContentLength", "You must provide the Content-Length HTTP header.", resource);
    Upload u = uploads.get(pu.uploadId);
    if (u == null) return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist.", resource);
    UploadFile.Bytes body = UploadFile.body(req); // where the body is held, no copy
    long length = req.bodySize();
    String md5 = body.md5();
    Path file = null;
    if (u.file != null) {
      // Written once, at its offset in the upload's file (see UploadFile). A part longer than
      // SliceSize would overrun the next part's range: it is only recorded (completion refuses it).
      if (length <= u.sliceSize && !u.file.write(pu.part, length, md5, body)) {
        return S3Errors.reply(404, "NoSuchUpload", "The specified upload does not exist.", resource);
      }
    } else {
      file = u.dir.resolve("part-" + pu.part);
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
        body.writeTo(ch, 0);
      }
      file.toFile().deleteOnExit(); // sessions that never complete must not litter /tmp
    }
    synchronized (u) {
      u.parts.put(pu.part, new Part(file, length, md5));
    }
    return new MockResponse.Builder().code(200).setHeader("ETag", "\"" + md5 + "\"").body("").build();
  }

  private MockResponse complete(FakeRequest req, Session s) throws IOException {
    for (String k : List.of("StorageNode", "bucket", "fileId", "fileSize", "isMultipart", "key", "uploadId")) {
      if (req.field(k) == null || req.field(k).isNull()) return error(401, MSG_NO_UPLOAD);
    }
    Upload u = session(req, s);
    Long fileId = req.longField("fileId");
    Long fileSize = req.longField("fileSize");
    Boolean multipart = asBool(req.field("isMultipart"));
    if (u == null || fileId == null || fileId != u.fileId) return error(401, MSG_NO_UPLOAD);
    if (fileSize == null || multipart == null) return error(400, MSG_BAD_ARG);
    MockResponse r = finish(u, s, fileSize, multipart);
    return r != null ? r : error(401, MSG_NO_UPLOAD); // finished by a call at the same moment: as a later call
  }

  /**
   * {@code POST /file/upload_complete} with {@code {"fileId": <upload_request's FileId>}}: the
   * completion old clients and the STS branch call (§5.9.1, §5.9.2). It finishes the session of that
   * FileId as upload_complete/v2 does, with the same checks, the size and multipart flag taken from
   * the session and its parts. Its reply is UNKNOWN: the fake mirrors v2's ({@code data.file_info}).
   * A FileId whose session was finished already (by {@code s3_complete_multipart_upload} or v2)
   * answers the file it made; an unknown one {@code 401 没有找到上传的文件}, as v2.
   */
  private MockResponse legacyComplete(FakeRequest req, Session s) throws IOException {
    Long fileId = req.longField("fileId");
    if (fileId == null) return error(401, MSG_NO_UPLOAD);
    if (completed.containsKey(fileId)) return completedFile(s, fileId);
    Upload u = null;
    for (Upload x : uploads.values()) if (x.uid == s.uid && x.fileId == fileId) u = x;
    // Not pending: unknown, or finished by a completion at the same moment since the check above.
    if (u == null) return completed.containsKey(fileId) ? completedFile(s, fileId) : error(401, MSG_NO_UPLOAD);
    MockResponse r = u.grant != null ? finishSts(u, s) : finish(u, s, null, null);
    return r != null ? r : completedFile(s, fileId); // finished by a call at the same moment: as a later call
  }

  /** The reply naming the file a finished upload (its upload_request FileId) stored. */
  private MockResponse completedFile(Session s, long fileId) {
    Long done = completed.get(fileId);
    Optional<Node> n = done == null ? Optional.empty() : store().node(s.uid, done).filter(x -> !store().isTrashed(x));
    return n.isEmpty() ? error(401, MSG_NO_UPLOAD) : fileInfo(n.get());
  }

  /**
   * {@code POST /file/s3_complete_multipart_upload}, which old clients call before a plain
   * {@code upload_complete} (§5.9.2). Its body and reply are UNKNOWN: the session is named as
   * for {@code s3_list_upload_parts} ({@code StorageNode, bucket, key, uploadId}), and it finishes
   * the upload as upload_complete/v2 does, with v2's checks and reply ({@code data.file_info});
   * the {@code upload_complete} that follows answers the same file.
   */
  private MockResponse s3CompleteMultipart(FakeRequest req, Session s) throws IOException {
    Upload u = session(req, s);
    if (u == null) return error(401, MSG_NO_UPLOAD);
    MockResponse r = finish(u, s, null, null);
    return r != null ? r : error(401, MSG_NO_UPLOAD); // finished by a call at the same moment: as a later call
  }

  /**
   * Assembles and stores an upload: the parts must be 1…n without gaps and sum to the session's
   * size (and the declared {@code fileSize}, when given), follow {@code SliceSize} when enforced,
   * agree with a declared {@code isMultipart}, and hash to the declared etag.
   *
   * <p>Returns null when another completion of the same upload, sent at the same moment, stored
   * the file first: the session is checked, the file placed and the session ended under one store
   * lock, so one upload stores one file. The caller then answers as it answers a completion sent
   * after the upload finished (what 123 answers a completion racing another is UNKNOWN; a later
   * one is the closest documented case): v2 and {@code s3_complete_multipart_upload}
   * {@code 401 没有找到上传的文件}, the older {@code upload_complete} the stored file.
   */
  private MockResponse finish(Upload u, Session s, Long fileSize, Boolean multipart) throws IOException {
    List<Part> parts;
    synchronized (u) {
      parts = new ArrayList<>(new TreeMap<>(u.parts).values());
      List<Integer> numbers = new ArrayList<>(new TreeMap<>(u.parts).keySet());
      for (int i = 0; i < numbers.size(); i++) if (numbers.get(i) != i + 1) return error(401, MSG_SIZE_INVALID);
    }
    if (parts.isEmpty() && u.size > 0) return error(401, MSG_NO_UPLOAD);
    long total = parts.stream().mapToLong(p -> p.size).sum();
    if ((fileSize != null && fileSize != u.size) || total != u.size) return error(401, MSG_SIZE_INVALID);
    if (enforceSliceSize) {
      for (int i = 0; i < parts.size(); i++) {
        long sz = parts.get(i).size;
        if (i < parts.size() - 1 ? sz != u.sliceSize : sz > u.sliceSize) return error(401, MSG_SIZE_INVALID);
      }
    }
    if (multipart != null && multipart != (parts.size() > 1)) return error(400, MSG_BAD_ARG);
    Blob blob;
    synchronized (u) {
      if (u.blob == null && u.file != null) {
        // The parts are the file already and their MD5 ran as they came: only the rest is hashed.
        String md5 = u.file.complete(u.size, u.etag);
        if (!md5.equals(u.etag)) return error(401, md5MismatchMessage); // still open: parts can be sent again
        u.blob = store().adoptFile(u.file.path(), u.size, md5);
      } else if (u.blob == null) {
        // Parts of free sizes (enforceSliceSize off): concatenated and hashed here.
        List<InputStream> streams = new ArrayList<>();
        for (Part p : parts) streams.add(Files.newInputStream(p.file));
        Blob assembled = store().putBlob(new SequenceInputStream(Collections.enumeration(streams)));
        if (!assembled.md5().equals(u.etag)) return error(401, md5MismatchMessage);
        u.blob = assembled;
      }
      blob = u.blob;
    }
    return storeFile(u, s, blob, parts.size());
  }

  /**
   * Finishes an STS upload ({@code upload_complete {"fileId"}}): the object its Key names must
   * have been stored at the storage server (PutObject or a completed multipart upload), else
   * {@code 401 没有找到上传的文件}; its size must be the session's ({@code 401 上传文件大小无效}) and its
   * MD5 the declared etag. Returns null as {@link #finish} does.
   */
  private MockResponse finishSts(Upload u, Session s) throws IOException {
    WebStsStorage.StoredObject o = sts.object(u.key);
    if (o == null) return error(401, MSG_NO_UPLOAD);
    if (o.blob().size() != u.size) return error(401, MSG_SIZE_INVALID);
    if (!o.blob().md5().equals(u.etag)) return error(401, md5MismatchMessage);
    MockResponse r = storeFile(u, s, o.blob(), o.parts());
    if (!uploads.containsKey(u.uploadId)) sts.forget(u.key); // a file was made of it
    return r;
  }

  /** Places a finished upload's content under the session's name; null when another completion did first. */
  private MockResponse storeFile(Upload u, Session s, Blob blob, int partCount) {
    FakeStore st = store();
    Node n;
    synchronized (st) {
      if (uploads.get(u.uploadId) != u) return null; // another completion stored it meanwhile
      if (!st.isLiveFolder(s.uid, u.parent)) return error(5066, MSG_NOT_FOUND);
      Optional<Node> clash = st.child(s.uid, u.parent, u.name);
      if (clash.isPresent() && (u.duplicate == 0 || clash.get().folder())) return sameName(clash.get());
      // Only a multipart upload is seen to come back with another FileId (§5.9.2).
      Long keepId = partCount > 1 || completeAlwaysNewFileId ? null : u.fileId;
      n = place(s.uid, u.parent, u.name, u.duplicate, blob, keepId);
      completed.put(u.fileId, n.id());
      uploads.remove(u.uploadId);
    }
    u.deleteParts();
    return fileInfo(n);
  }

  /** A completion's reply: {@code data.file_info} = the stored file. */
  private MockResponse fileInfo(Node n) {
    ObjectNode d = F.objectNode();
    d.set("file_info", WebJson.item(store(), n));
    return ok(d);
  }


  // ================================================================== helpers

  private static Path partDir() throws IOException {
    Path dir = Files.createTempDirectory("pan4j-fake-web-parts-");
    dir.toFile().deleteOnExit();
    return dir;
  }

  Account account(Session s) {
    return store().account(s.uid).orElseThrow(() -> new IllegalStateException("session of unknown uid " + s.uid));
  }

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** One signed-in token. */
  static final class Session {
    final long uid;
    final Instant expiresAt;
    /** The sign-in's {@code type} (1 phone, 2 e-mail), echoed by a refresh. */
    final int loginType;
    volatile boolean expired;
    /** Authenticated calls left before the token dies; -1 = unlimited. */
    final AtomicInteger callsLeft = new AtomicInteger(-1);

    Session(long uid, Instant expiresAt, int loginType) {
      this.uid = uid;
      this.expiresAt = expiresAt;
      this.loginType = loginType;
    }

    boolean valid(Instant now) {
      return !expired && now.isBefore(expiresAt) && callsLeft.get() != 0;
    }

    /** Spends one call; false when the token is (now) dead. */
    boolean use(Instant now) {
      if (!valid(now)) return false;
      int left = callsLeft.getAndUpdate(n -> n > 0 ? n - 1 : n);
      return left != 0;
    }
  }

  private record Limit(Duration interval, int burst) {}

  private static final class Bucket {
    double tokens;
    Instant last;

    Bucket(int burst, Instant now) {
      this.tokens = burst;
      this.last = now;
    }
  }

  private record Ticket(Blob blob, String name, Instant expiresAt) {}

  private static final class PartUrl {
    final String uploadId;
    final int part;
    final Instant expiresAt;
    volatile boolean dead;

    PartUrl(String uploadId, int part, Instant expiresAt) {
      this.uploadId = uploadId;
      this.part = part;
      this.expiresAt = expiresAt;
    }
  }

  /** A received part: its size and MD5, and its own file only when parts are not written in place. */
  private record Part(Path file, long size, String md5) {}

  private static final class Upload {
    final String uploadId;
    final long uid;
    final long parent;
    final String name;
    final int duplicate;
    final String etag;
    final long size;
    final long sliceSize;
    final long fileId;
    final String bucket;
    final String key;
    final String storageNode;
    final Path dir;
    final Map<Integer, Part> parts = new LinkedHashMap<>();
    /** Parts at their offsets ((n - 1) × sliceSize) in one file; null when part sizes are free (enforceSliceSize off). */
    final UploadFile file;
    /** The stored content once the MD5 matched (a completion refused later, e.g. by a name clash, reuses it). */
    Blob blob;
    /** The STS credentials of an upload in STS mode; null in presigned mode. */
    volatile WebStsStorage.Grant grant;

    Upload(String uploadId, long uid, long parent, String name, int duplicate, String etag, long size, long sliceSize,
        long fileId, String bucket, String key, String storageNode, Path dir, boolean inPlace, boolean directIo) {
      this.uploadId = uploadId;
      this.uid = uid;
      this.parent = parent;
      this.name = name;
      this.duplicate = duplicate;
      this.etag = etag;
      this.size = size;
      this.sliceSize = sliceSize;
      this.fileId = fileId;
      this.bucket = bucket;
      this.key = key;
      this.storageNode = storageNode;
      this.dir = dir;
      this.file = inPlace ? new UploadFile(dir, "upload", sliceSize, directIo) : null;
    }

    long partCount() {
      return Math.max(1, (size + sliceSize - 1) / sliceSize);
    }

    void deleteParts() {
      if (file != null) file.delete(); // gone already when the store took it
      synchronized (this) {
        for (Part p : parts.values()) {
          if (p.file == null) continue;
          try {
            Files.deleteIfExists(p.file);
          } catch (IOException ignored) {
            // best effort
          }
        }
        try {
          Files.deleteIfExists(dir);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }
}
