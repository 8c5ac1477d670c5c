package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The fake's behaviour switches that a test in Java sets on the front doors, by name, for
 * {@code GET/POST /_fake/settings}: so that a client or a conformance suite in any language, run
 * against {@code pan4j fake-cloud}, can turn the QPS limits off, shorten a token's lifetime, pick
 * one of the answers the sources disagree on, and so on. Each setting is read from and written to
 * the object that uses it, so the Java setters and this endpoint never disagree.
 *
 * <p>Names are {@code <server>.<name>} ({@code open}, {@code web}, {@code cdn}, {@code share}, {@code store}) and
 * {@code account.<uid>.<name>} for each account. Values: booleans, whole numbers (reply codes among
 * them), {@code seconds} (a number, fractions allowed), {@code bytes}, texts (JSON strings) and enum names.
 */
final class FakeSettings {
  private record Setting(String type, String help, Supplier<Object> get, Function<JsonNode, Object> parse,
      Consumer<Object> set) {}

  private final Map<String, Setting> settings = new LinkedHashMap<>();

  /** The settings of the doors and accounts {@code cloud} has now. */
  FakeSettings(FakeCloud cloud) {
    OpenApiFrontDoor open = door(cloud, OpenApiFrontDoor.class);
    if (open != null) {
      OpenUploads up = open.uploads;
      bool("open.qps", "QPS limits per endpoint; off: every request is admitted (and still counted)",
          () -> open.qps.enabled, v -> open.qps.enabled = v);
      seconds("open.tokenLifetime", "lifetime of an access token from access_token (30 days)",
          () -> open.tokenLifetime, v -> open.tokenLifetime = v);
      seconds("open.oauthTokenLifetime", "lifetime of an OAuth access token (7200 s)",
          () -> open.oauthTokenLifetime, v -> open.oauthTokenLifetime = v);
      count("open.oauthTokenPerMinute", 0, "oauth2/access_token requests one client address may send a minute before it is blocked"
          + " (0: no limit)", () -> open.oauthLimit.perMinute, v -> open.oauthLimit.perMinute = v);
      seconds("open.oauthTokenBlock", "how long an address over open.oauthTokenPerMinute is blocked"
          + " (0: refused only while the last minute holds the limit)", () -> open.oauthLimit.block, v -> open.oauthLimit.block = v);
      count("open.maxLiveTokens", 1, "access tokens a client may hold at once; the oldest is revoked past it",
          () -> open.maxLiveTokens, v -> open.maxLiveTokens = v);
      bool("open.requirePlatform", "refuse requests without the header platform: open_platform",
          () -> open.requirePlatform, v -> open.requirePlatform = v);
      bool("open.infosUseListKey", "file/infos answers data.list instead of data.fileList (sources disagree)",
          () -> open.infosUseListKey, v -> open.infosUseListKey = v);
      bool("open.recoverNameClashAbnormal", "recover refuses (abnormalFileIDs) an entry whose folder now holds a live entry"
          + " of its name, instead of restoring a second one", () -> open.trashBin.recoverNameClashAbnormal,
          open.trashBin::recoverNameClashAbnormal);
      bool("open.infosNumericUpdateAt", "file/infos gives updateAt as a number of Unix seconds instead of a string (sources disagree)",
          () -> open.infosNumericUpdateAt, open::infosNumericUpdateAt);
      seconds("open.downloadUrlLifetime", "how long a download_info URL is served",
          () -> open.downloadUrlLifetime, v -> open.downloadUrlLifetime = v);
      bool("open.directLinkRequiresVip", "direct-link/url refuses accounts that are not VIP",
          () -> open.directLinkRequiresVip, v -> open.directLinkRequiresVip = v);
      count("open.maxNameLength", 1, "longest file name accepted, in characters",
          () -> open.maxNameLength, v -> open.maxNameLength = v);
      bool("open.listCursorInclusive", "v2/file/list's lastFileId page starts with that file again",
          () -> open.listCursorInclusive, v -> open.listCursorInclusive = v);
      bool("open.listCategoryZeroFilters", "v2/file/list's category=0 keeps only entries of category 0 instead of being no filter",
          () -> open.listCategoryZeroFilters, open::listCategoryZeroFilters);
      seconds("open.listingLag", "how long a new or changed entry is missing from listings",
          () -> open.listingLag, v -> open.listingLag = v);
      bytes("open.sliceSize", 1, "the sliceSize upload create answers", () -> up.sliceSize, v -> up.sliceSize = v);
      count("open.verifyingReplies", 0, "\"still verifying\" answers of upload_complete before the final one",
          () -> up.verifyingBySize.getOrDefault(0L, 0), open::verifyingReplies);
      count("open.asyncReplies", 0, "polls of upload_async_result answered \"not yet\" (v1)",
          () -> up.asyncReplies, v -> up.asyncReplies = v);
      bool("open.rejectChunkedUploads", "refuse slice bodies sent with chunked transfer encoding",
          () -> up.rejectChunked, v -> up.rejectChunked = v);
      bool("open.multipartBareLf", "slice and single-upload bodies with LF-only line ends are read, as Go's mime/multipart reads"
          + " them (a guess at 123's parser); off: CRLF only (RFC 2046)", () -> up.multipartBareLf, open::multipartBareLf);
      bool("open.refuseEmptyFiles", "upload create refuses size 0", () -> up.refuseEmpty, v -> up.refuseEmpty = v);
      bool("open.overwriteKeepsId", "an overwriting upload keeps the old file's id",
          () -> up.overwriteKeepsId, v -> up.overwriteKeepsId = v);
      // Answers the protocol notes leave open and ask to be configurable (their emulator checklist).
      bool("open.rejectLimitOver100", "v2/file/list refuses limit over 100 with code 1; off: clamps it to 100",
          () -> open.rejectLimitOver100, open::rejectLimitOver100);
      bool("open.listUnknownParentError", "v2/file/list of an unknown or trashed folder is code 1 parentFileId不存在;"
          + " off: an empty last page", () -> open.listUnknownParentError, open::listUnknownParentError);
      count("open.duplicateWhenOmitted", 0, 2, "what create, single and sha1_reuse do on a name clash without duplicate:"
          + " 0 refuse (code 1), 1 keep both, 2 overwrite", () -> up.duplicateWhenOmitted, open::duplicateWhenOmitted);
      count("open.missingPlatformCode", 1, "code answered when the platform header is missing or wrong",
          () -> open.missingPlatformCode, v -> open.missingPlatformError(v, open.missingPlatformMessage));
      count("open.badCredentialsCode", 1, "code access_token answers for a wrong clientID or clientSecret",
          () -> open.badCredentialsCode, open::badCredentialsCode);
      choice("open.bearerScheme", OpenApiFrontDoor.BearerScheme.class, "how Authorization is read: EXACT only \"Bearer <token>\""
          + " with one space (a guess), ANY_CASE the scheme in any case and one or more spaces (RFC 9110)",
          () -> open.bearerScheme, open::bearerScheme);
      bool("open.formBodies", "form-encoded bodies (a=1&b=x) are read like JSON ones; off: JSON only",
          () -> open.formBodies, open::formBodies);
      bytes("open.chunkedUploadLimit", 0, "with open.rejectChunkedUploads, chunked slice / single bodies above this many bytes"
          + " get the gateway's empty HTTP 500 (0: every chunked body)", () -> up.chunkedLimit, open::chunkedUploadLimit);
      bool("open.v2CreateNamesServers", "v2 create lists the upload host in servers; off: an empty list (clients then ask"
          + " upload/v2/file/domain)", () -> up.v2CreateNamesServers, open::v2CreateNamesServers);
      bool("open.v1SameSessionOnRepeat", "a repeated v1 create of a file whose upload is still open answers that"
          + " session's preuploadID; off: a new session every time", () -> up.v1SameSessionOnRepeat, open::v1SameSessionOnRepeat);
      seconds("open.v1PartUrlLifetime", "how long a v1 part URL from get_upload_url is taken (its X-Amz-Expires)",
          () -> up.v1PartUrlLifetime, open::v1PartUrlLifetime);
      count("open.deleteNotTrashedCode", 1, "code file/delete answers for an entry not in the recycle bin (nothing is deleted)",
          () -> open.trashBin.deleteNotTrashedCode,
          v -> open.trashBin.deleteNotTrashedError(v, open.trashBin.deleteNotTrashedMessage));
      bool("open.offlineRefuseRootDirId", "offline/download refuses dirID 0 with code 1; off: the file goes to the default"
          + " folder 来自:离线下载, as when dirID is absent", open.offline::refusesRootDirId, open.offline::refuseRootDirId);
      openUnknowns(open);
    }
    WebFrontDoor web = door(cloud, WebFrontDoor.class);
    if (web != null) {
      choice("web.bearerScheme", OpenApiFrontDoor.BearerScheme.class, "how authorization is read: EXACT only \"Bearer <token>\""
          + " with one space (a guess; \"Bearer\" alone is anonymous), ANY_CASE the scheme in any case and one or more spaces"
          + " (RFC 9110)", () -> web.bearerScheme, web::bearerScheme);
      bool("web.rateLimiting", "list and share/get calls limited to one per 700 ms (burst 2) per token, or per share key"
          + " when anonymous (code 429 操作频繁); off by default: 123's real rate is unknown",
          () -> web.rateLimiting, web::rateLimiting);
      seconds("web.tokenLifetime", "lifetime of a login token", () -> web.tokenLifetime, web::tokenLifetime);
      bool("web.refreshTokenEnabled", "user/refresh_token renews a token",
          () -> web.refreshTokenEnabled, web::refreshTokenEnabled);
      bool("web.refreshRevokesOld", "a renewal revokes the token it renewed",
          () -> web.refreshRevokesOld, web::refreshRevokesOld);
      bool("web.requireReferer", "the download CDN (inner redirect URL, and the edge URL with web.requireEdgeReferer) needs a Referer"
          + " of 123's web app; API calls never need Referer or Origin",
          () -> web.requireReferer, web::requireReferer);
      bool("web.requireEdgeReferer", "download edge URLs need such a Referer",
          () -> web.requireEdgeReferer, web::requireEdgeReferer);
      choice("web.signatureMode", WebFrontDoor.SignatureMode.class, "the query signature: ignored, checked when present, or required",
          () -> web.signatureMode, web::signatureMode);
      seconds("web.signatureWindow", "how old a signature's timestamp may be",
          () -> web.signatureWindow, web::signatureWindow);
      choice("web.redirectMode", WebFrontDoor.RedirectMode.class, "how the download redirector answers",
          () -> web.redirectMode, web::redirectMode);
      bool("web.downloadUrlWithoutParams", "download_info's DownloadUrl without its query",
          () -> web.downloadUrlWithoutParams, web::downloadUrlWithoutParams);
      seconds("web.downloadTtl", "how long a download URL is served", () -> web.downloadTtl, web::downloadTtl);
      bytes("web.sliceSize", 1, "the SliceSize upload_request answers", () -> web.sliceSize, web::sliceSize);
      bool("web.enforceSliceSize", "parts other than the last must be SliceSize bytes",
          () -> web.enforceSliceSize, web::enforceSliceSize);
      seconds("web.partUrlTtl", "how long a presigned part URL is accepted", () -> web.partUrlTtl, web::partUrlTtl);
      count("web.expireNextPartUrls", 0, "the next N presigned part uploads answer 403 as expired",
          web.partUrlsToExpire::get, web::expireNextPartUrls);
      bool("web.reuseWithZeroFileId", "instant upload answers Reuse true with FileId 0 and a Key",
          () -> web.reuseWithZeroFileId, web::reuseWithZeroFileId);
      bool("web.stsFieldsNull", "upload_request's AccessKeyId, SecretAccessKey, SessionToken are null",
          () -> web.stsFieldsNull, web::stsFieldsNull);
      choice("web.uploadMode", WebFrontDoor.UploadMode.class, "how upload_request answers for new content: PRESIGNED"
          + " (empty STS fields, presigned part URLs, upload_complete/v2) or STS (temporary S3 credentials for the fake's"
          + " storage server, then upload_complete {\"fileId\"})", () -> web.uploadMode, web::uploadMode);
      seconds("web.stsCredentialTtl", "how long STS credentials from upload_request are accepted (1 h)",
          () -> web.stsCredentialTtl, web::stsCredentialTtl);
      bytes("web.stsMinPartSize", 1, "least size of every part but the last of an STS multipart upload (5 MiB)",
          () -> web.stsMinPartSize, web::stsMinPartSize);
      count("web.forceListLimit", 0, "file/list/new pages by this many entries whatever limit asks (P123's claim of a fixed 500);"
          + " 0: limit is honoured up to 100", () -> web.forcedListLimit == null ? 0 : web.forcedListLimit,
          v -> web.forceListLimit(v == 0 ? null : v));
      bool("web.pageRequired", "file/list/new refuses a request without Page",
          () -> web.pageRequired, web::pageRequired);
      bool("web.legacyPrefixes", "/a/api/ and /api/ answer as /b/api/", () -> web.legacyPrefixes, web::legacyPrefixes);
      bool("web.completeAlwaysNewFileId", "a single-part upload's file also gets a new FileId at completion"
          + " (off: it keeps upload_request's; multipart uploads always get a new one)",
          () -> web.completeAlwaysNewFileId, web::completeAlwaysNewFileId);
      bool("web.renameReplacedToTrash", "the file a rename with duplicate 2 replaces goes to the recycle bin; off: deleted for good",
          () -> web.renameReplacedToTrash, web::renameReplacedToTrash);
      choice("web.trashWithoutIntent", WebFrontDoor.TrashWithoutIntent.class, "file/trash without event or operation",
          () -> web.trashWithoutIntent, web::trashWithoutIntent);
      count("web.signatureErrorCode", 0, "the code of a 签名错误 reply (UNKNOWN; 400)",
          () -> web.signatureErrorCode, web::signatureErrorCode);
      choice("web.folderReplyExtraKey", WebFrontDoor.FolderReplyExtraKey.class,
          "which of SliceSize / UploadFileStatus a folder's upload_request reply carries (UNKNOWN)",
          () -> web.folderReplyExtraKey, web::folderReplyExtraKey);
      bool("web.missingFolderListsEmpty", "file/list/new of an unknown or trashed folder answers an empty page instead of 5066 (UNKNOWN)",
          () -> web.missingFolderListsEmpty, web::missingFolderListsEmpty);
      bool("web.folderReuseUnlessNotReuse", "a folder upload_request without NotReuse:true returns an existing folder of that name"
          + " (Reuse true) instead of applying duplicate", () -> web.folderReuseUnlessNotReuse, web::folderReuseUnlessNotReuse);
      choice("web.trashOrphanRestore", WebTrash.OrphanRestore.class,
          "where a restore puts an entry whose folder is gone: the root, left in place (unreachable), or refused (UNKNOWN)",
          () -> web.trashBin.orphanRestore, web.trashBin::orphanRestore);
      choice("web.trashRestoreNameClash", WebTrash.RestoreNameClash.class,
          "a restore into a folder holding the entry's name: under a free name (name(1).ext) or refused with 5060 (UNKNOWN)",
          () -> web.trashBin.restoreNameClash, web.trashBin::restoreNameClash);
      choice("web.userInfoKeys", WebFrontDoor.UserInfoKeys.class, "user/info's keys: the 22 of a strict 2023 client (WLIST_2023)"
          + " or those and the six a later script shows (LATER) (UNKNOWN)", () -> web.userInfoKeys, web::userInfoKeys);
      // The knobs the protocol notes ask a faithful fake to have, for clients that are not in Java.
      add("web.loginFailure", "one of NONE|" + String.join("|", Arrays.stream(WebFrontDoor.LoginFailure.values()).map(Enum::name).toList()),
          "every sign_in is refused this way (code and text in docs/protocol/123web.md §4.3) until set back to NONE",
          () -> web.permanentLoginFailure == null ? "NONE" : web.permanentLoginFailure.name(), v -> {
            if (v.isTextual() && v.asText().equalsIgnoreCase("NONE")) return "NONE";
            for (WebFrontDoor.LoginFailure e : WebFrontDoor.LoginFailure.values()) {
              if (v.isTextual() && e.name().equalsIgnoreCase(v.asText())) return e.name();
            }
            throw new IllegalArgumentException("NONE or a LoginFailure name, not " + v);
          }, o -> {
            if (o.equals("NONE")) web.clearLoginFailures(); else web.failAllLogins(WebFrontDoor.LoginFailure.valueOf((String) o));
          });
      rate("web.listThrottle403Rate", "share of file/list/new and share/get calls answered code 403 (throttled)",
          () -> web.listThrottle403Rate, web::listThrottle403Rate);
      rate("web.stringCodeThrottleRate", "share of API calls answered a throttling reply whose code is the string \"429\"",
          () -> web.stringCodeThrottleRate, web::stringCodeThrottleRate);
      rate("web.download5114Rate", "share of download_info calls refused with 5114 (traffic); never twice in a row for a file",
          () -> web.download5114Rate, v -> web.downloadErrorRates(v, web.download50002Rate));
      rate("web.download50002Rate", "share of download_info calls refused with 50002 (risk control); never twice in a row for a file",
          () -> web.download50002Rate, v -> web.downloadErrorRates(web.download5114Rate, v));
      count("web.totalSkew", Integer.MIN_VALUE, "added to every file/list/new Total, which then disagrees with the rows (0: none)",
          () -> web.totalSkew, web::totalSkew);
      bytes("web.largeSliceThreshold", 0, "files larger than this get web.largeSliceSize as SliceSize"
          + " (9223372036854775807: never; the real threshold is UNKNOWN)",
          () -> web.largeSliceThreshold, v -> web.largeSliceSize(v, web.largeSliceSize));
      bytes("web.largeSliceSize", 1, "the SliceSize of files above web.largeSliceThreshold (32 MiB, as seen for 160 MiB + 1)",
          () -> web.largeSliceSize, v -> web.largeSliceSize(web.largeSliceThreshold, v));
      webUnknowns(web);
    }
    VipCdnFrontDoor cdn = door(cloud, VipCdnFrontDoor.class);
    if (cdn != null) {
      bool("cdn.requireDirectLinkSpace", "direct links only for files in a direct-link-space folder",
          () -> cdn.requireDirectLinkSpace, cdn::requireDirectLinkSpace);
      bool("cdn.acceptEncodedPathSignatures", "auth_key may also sign the percent-encoded path (off: only the decoded path, as the official samples sign)",
          () -> cdn.acceptEncodedPathSignatures, cdn::acceptEncodedPathSignatures);
      seconds("cdn.authKeyGrace", "how long past its expiry an auth_key is still served (UNKNOWN for 123's CDN; 0: none)",
          () -> cdn.authKeyGrace, cdn::authKeyGrace);
    }
    ShareFrontDoor share = door(cloud, ShareFrontDoor.class);
    if (share != null) {
      bytes("share.loginThreshold", 0, "shared files larger than this need a logged-in downloader (5112); files of this size or less do not",
          () -> share.loginThreshold, share::loginThreshold);
      bool("share.keysIgnoreCase", "a share key matches whatever its letters' case (UNKNOWN; off: exactly; codes always ignore case)",
          () -> share.keysIgnoreCase, share::keysIgnoreCase);
      choice("share.expiredReply", ShareFrontDoor.ExpiredReply.class, "an expired share: code 5104, or (EXPIRED_FLAG) share/get"
          + " answers code 0 with Expired true and no items (UNKNOWN)", () -> share.expiredReply, share::expiredReply);
      count("share.loginRequiredCode", 1, "the code refusing a download over share.loginThreshold without a login: 5112 or 401"
          + " (UNKNOWN)", () -> share.loginRequiredCode, share::loginRequiredCode);
    }
    FakeOffline offline = FakeOffline.of(cloud);
    seconds("offline.stepEvery", "offline downloads also move one step per this many seconds of real time, unpolled"
        + " (0: only when polled)", offline::stepEvery, offline::stepEvery);
    text("offline.spaceFullReason", "the fail reason of an offline download (either protocol) whose fetched file does not"
        + " fit into the account's space (UNKNOWN): 存储空间不足 (default), or e.g. 空间不足", offline::spaceFullReason,
        offline::spaceFullReason);
    FakeStore store = cloud.store();
    bool("store.cdnMd5Etag", "download hosts give the ETag as the file's MD5 in quotes (as object stores do) instead of nginx's"
        + " \"<hex mtime>-<hex length>\" (UNKNOWN for 123's CDN)", store::cdnMd5Etag, store::cdnMd5Etag);
    count("store.cdnMaxRanges", -1, "ranges one download request may ask for before the whole file is served (nginx's max_ranges;"
        + " -1 no limit, 0 no range support; UNKNOWN for 123's CDN)", store::cdnMaxRanges, store::cdnMaxRanges);
    add("store.nextId", "integer, at least its value", "the id the next new entry gets; ids only grow, so it must be above every id so far"
        + " (default start " + FakeStore.FIRST_ID + ", 13 digits as 123's are)", store::peekNextId, v -> {
          if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < store.peekNextId()) {
            throw new IllegalArgumentException("a whole number of at least " + store.peekNextId() + " (ids only grow), not " + v);
          }
          return v.longValue();
        }, o -> {
          if ((Long) o != store.peekNextId()) store.startIdsAt((Long) o);
        });
    bool("store.checkSpace", "uploads and copies that would take an account past its space (account.<uid>.spacePermanent)"
        + " are refused (open.spaceFullCode, web.spaceFullCode) and such offline downloads fail (offline.spaceFullReason);"
        + " off: anything is stored", store::checkSpace, store::checkSpace);
    bool("store.directIo", "upload slices of 1 MiB and more are written past the page cache (O_DIRECT) where the file system allows it",
        store::directIo, store::directIo);
    for (Account a : cloud.store().accounts()) {
      String p = "account." + a.uid() + ".";
      bool(p + "vip", "VIP: direct links, the VIP QPS column, no daily download quota", () -> a.vip, a::vip);
      count(p + "vipLevel", 1, 3, "the VIP level both APIs report while vip: 1 VIP, 2 SVIP, 3 long-term VIP",
          () -> a.vipLevel, a::vipLevel);
      bytes(p + "downloadQuota", -1, "download bytes per day (UTC+8) without VIP; setting it starts the day afresh"
          + " (-1: unlimited; 0: code 5113)", () -> a.downloadQuota, a::downloadQuota);
      bytes(p + "spacePermanent", 0, "the account's space (user/info spacePermanent / SpacePermanent; spaceTemp is 0):"
          + " uploads past it are refused while store.checkSpace (default 2 TiB)", a::spacePermanent, a::spacePermanent);
      bytes(p + "directTraffic", 0, "direct-link traffic left (user/info directTraffic); direct-link downloads use it up",
          () -> a.directTraffic, a::directTraffic);
      bool(p + "forbiddenIpsOn", "the direct-link IP blacklist is on", () -> a.forbiddenIpsOn, a::forbiddenIpsOn);
    }
  }

  /**
   * The open platform's answers that no source settles and that only Java tests could choose
   * before: each help text names the fake's pick and the alternative.
   */
  private void openUnknowns(OpenApiFrontDoor open) {
    text("open.invalidTokenMessage", "the 401 text for a missing or unknown access token (UNKNOWN): access_token无效 by default;"
        + " e.g. the expired text, for a service that does not tell them apart", () -> open.invalidTokenMessage,
        open::invalidTokenMessage);
    text("open.expiredTokenMessage", "the 401 text for an expired access token (UNKNOWN): access_token已过期 by default;"
        + " e.g. access_token无效, the same as an unknown token", () -> open.expiredTokenMessage, open::expiredTokenMessage);
    code("open.folderDownloadInfoCode", "the code download_info answers for a folder's id (UNKNOWN):"
        + " 5066 文件不存在 as for no file (default), or another code, e.g. 1, with 不支持下载文件夹",
        () -> open.folderDownloadCode, open::folderDownloadInfoCode, 0);
    code("open.outsideDirectLinkSpaceCode", "the code direct-link/url answers for a file outside every"
        + " direct-link space (UNKNOWN; text 该文件不在直链空间内，请先开启直链空间): 1 (default), or e.g. 5066 or 403",
        () -> open.outsideDirectLinkSpaceCode, open::outsideDirectLinkSpaceCode, 0);
    count("open.infosMaxIds", 0, "the most ids one file/infos call takes (UNKNOWN): 0 no cap (default), or e.g. 100 as the"
        + " other batch calls, past which the call is code 1 fileIds最多支持N个", () -> open.infosMaxIds, open::infosMaxIds);
    code("open.nameClashCode", "the code refusing a name already taken in the folder (rename, move, copy, recover/by_path,"
        + " creates that may not replace; texts 当前目录有重名文件 / 目标目录下存在同名文件) (UNKNOWN): 1 (default), or e.g. 5060"
        + " as the web API's", () -> open.nameClashCode, open::nameClashCode, 0);
    code("open.sliceRefusalCode", "the code refusing an unknown preuploadID, a sliceNo out of range, a slice of the wrong"
        + " length or MD5, and a complete with slices missing (UNKNOWN): 1 (default), or e.g. 400", () -> open.sliceRefusalCode,
        open::sliceRefusalCode, 0);
    code("open.intoItselfCode", "the code refusing a move or async copy of a folder into itself or a descendant (UNKNOWN):"
        + " 1 (default), or e.g. 400", () -> open.intoItselfCode, open::intoItselfCode, 0);
    bool("open.infosRefuseUnknownIds", "file/infos with an id that names nothing (UNKNOWN): off, that id is left out of the"
        + " list (default); on, the whole call is refused with 5066", () -> open.infosRefuseUnknownIds, open::infosRefuseUnknownIds);
    seconds("open.verifyingAfterUpload", "how long after a file is made download_info and direct-link/url answer code 20103"
        + " 文件正在校验中 for the files open.verifyingAfterUploadRate picks (UNKNOWN window): 0 never (default), e.g. 5",
        () -> open.verifyingAfterUpload, v -> open.verifyingAfterUpload(v, open.verifyingAfterUploadRate));
    rate("open.verifyingAfterUploadRate", "share of new files open.verifyingAfterUpload holds back (picked per file by the"
        + " quirk seed): 1 every file (default), 0 none", () -> open.verifyingAfterUploadRate,
        v -> open.verifyingAfterUpload(open.verifyingAfterUpload, v));
    text("open.tooFrequentMessage", "the text of code 429 (QPS limits, the OAuth token limit, 429 faults): 请求太频繁 as the"
        + " documentation writes it (default); the live text is UNKNOWN, e.g. 请求过于频繁", () -> open.tooFrequentMessage,
        open::tooFrequentMessage);
    code("open.uploadFailedCode", "the code of 文件上传失败, the final refusal of an upload whose bytes miss its MD5 or size"
        + " (UNKNOWN): 1 (default), or e.g. 5000", () -> open.uploadFailedCode, open::uploadFailedCode, 0);
    code("open.invalidNameCode", "the code of the invalid-name refusal (文件名要小于256个字符…) of mkdir, rename, creates and"
        + " offline downloads (UNKNOWN): 1 (default), or e.g. 5064 as the web API's", () -> open.invalidNameCode,
        open::invalidNameCode, 0);
    code("open.spaceFullCode", "the code refusing an upload (create, single/create, an instant create or sha1_reuse) or a"
        + " copy (file/copy, async/copy) that does not fit into the account's space (UNKNOWN): 1 (default), or e.g. 5054", () -> open.spaceFullCode,
        v -> open.spaceFull(v, open.spaceFullMessage), 0);
    text("open.spaceFullMessage", "the text of that refusal (UNKNOWN): 存储空间不足 (default), or e.g. 空间不足，请扩容",
        () -> open.spaceFullMessage, v -> open.spaceFull(open.spaceFullCode, v));
    bool("open.duplicateSwapped", "create, single/create and sha1_reuse read duplicate 1 as overwrite and 2 as keep both"
        + " (one web client's reading); off (default): 1 keeps both, 2 overwrites, as the documentation says",
        () -> open.duplicateSwapped, open::duplicateSwapped);
    choice("open.oauthErrorShape", OpenApiFrontDoor.OAuthErrorShape.class, "how oauth2/access_token answers a refused exchange"
        + " (UNKNOWN): ENVELOPE HTTP 200 with code 401 (bad refresh token or code) or 1 (default), OAUTH RFC 6749's"
        + " {error, error_description} with HTTP 400 (401 for invalid_client)", () -> open.oauthErrorShape, open::oauthErrorShape);
    add("open.permanentShareExpiration", "text", "how share/list writes a permanent share's expiration (UNKNOWN): empty"
        + " (default), or e.g. 2099-12-31 23:59:59, a far-off date", () -> open.shares.permanentExpiration, v -> {
          if (!v.isTextual()) throw new IllegalArgumentException("a JSON string, not " + v);
          return v.asText();
        }, o -> open.permanentShareExpiration((String) o));
  }

  /**
   * The web API's answers that no source settles: each help text names the fake's pick and the
   * alternative.
   */
  private void webUnknowns(WebFrontDoor web) {
    rate("web.download1010Rate", "share of download_info calls (personal and share) refused with 1010 (risk control,"
        + " download err; 0 by default); never twice in a row for a file", () -> web.download1010Rate,
        v -> web.downloadRiskControlRates(v, web.download50001Rate));
    rate("web.download50001Rate", "share of download_info calls (personal and share) refused with 50001 (risk control,"
        + " download err; 0 by default); never twice in a row for a file", () -> web.download50001Rate,
        v -> web.downloadRiskControlRates(web.download1010Rate, v));
    code("web.reviewRefusedDownloadCode", "what a download of a file refused by review (Status above 100)"
        + " answers (UNKNOWN): 0 served as any file (default), or that code with 文件已失效, e.g. 5066 or 400",
        () -> web.reviewRefusedDownloadCode, web::reviewRefusedDownloadCode);
    choice("web.listNext", WebFrontDoor.ListNext.class, "Next on a page of file/list/new and share/get that is not the last"
        + " (UNKNOWN; the last is always \"-1\"): LAST_FILE_ID the page's last FileId (default), NEXT_PAGE the next page's"
        + " number, OPAQUE a token that is neither", () -> web.listNext, web::listNext);
    code("web.wrongPasswordCode", "the code sign_in answers a wrong password or unknown account (UNKNOWN):"
        + " 401 (default), or e.g. 400 or 1; not 0 or 200", () -> web.wrongPasswordCode, v -> web.wrongPassword(v, web.wrongPasswordMessage), 0, 200);
    text("web.wrongPasswordMessage", "the text of that reply (UNKNOWN): 账号或密码错误 (default), or e.g. 密码错误",
        () -> web.wrongPasswordMessage, v -> web.wrongPassword(web.wrongPasswordCode, v));
    text("web.md5MismatchMessage", "the text of the 401 upload_complete/v2 answers when the parts' MD5 misses the declared"
        + " etag (UNKNOWN): 上传文件大小无效 as for a wrong size (default), or e.g. 上传文件校验失败",
        () -> web.md5MismatchMessage, web::md5MismatchMessage);
    text("web.androidSessionExpiredMessage", "the text of the code 2 a platform: android caller gets for a gone session"
        + " (UNKNOWN): 登录状态已失效，请重新登录 (default), or e.g. 会话已过期", () -> web.androidSessionExpiredMessage,
        web::androidSessionExpiredMessage);
    code("web.deleteNotTrashedCode", "the code file/delete answers for an entry not in the recycle bin, nothing deleted"
        + " (UNKNOWN; text 文件不在回收站中): 400 (default), or e.g. 1", () -> web.trashBin.deleteNotTrashedCode,
        v -> web.trashBin.deleteNotTrashedError(v, web.trashBin.deleteNotTrashedMessage), 0);
    code("web.loginFailureCode", "the code of the sign-in refusal web.loginFailure scripts, but WRONG_PASSWORD (their texts"
        + " are known, their codes UNKNOWN): 0 each one's own pick, 403 or 429 (default), or a code for all, e.g. 1 or 400",
        () -> web.loginFailureCode, web::loginFailureCode, 200);
    count("web.passwordCompareLength", 0, "leading characters of a password sign_in compares (a claim, UNKNOWN): 16 (default),"
        + " or 0 for the whole password", () -> web.passwordCompareLength, web::passwordCompareLength);
    bool("web.passportAsText", "user/info's Passport (UNKNOWN): a number (default), or on, a string of digits",
        () -> web.passportAsText, web::passportAsText);
    bool("web.mailLoginNeedsType", "a mail sign-in without type (UNKNOWN): refused 400 参数错误 (default), or, off, read"
        + " as an e-mail sign-in (type 2)", () -> web.mailLoginNeedsType, web::mailLoginNeedsType);
    code("web.spaceFullCode", "the code refusing a file upload_request (instant ones too) or a copy/async that does not"
        + " fit into the account's space (UNKNOWN): 400 (default), or e.g. 5054; not 0 or 200", () -> web.spaceFullCode,
        v -> web.spaceFull(v, web.spaceFullMessage), 0, 200);
    text("web.spaceFullMessage", "the text of that refusal (UNKNOWN): 存储空间不足 (default), or e.g. 空间不足，请扩容",
        () -> web.spaceFullMessage, v -> web.spaceFull(web.spaceFullCode, v));
    bool("web.duplicateSwapped", "upload_request and rename read duplicate 1 as overwrite and 2 as keep both (one client's"
        + " reading); off (default): 1 keeps both, 2 overwrites, as most clients send them", () -> web.duplicateSwapped,
        web::duplicateSwapped);
    bool("web.malformedLoginChecked", "sign_in refuses a badly formed phone number or e-mail with 请输入正确的手机号码 /"
        + " 请输入正确的邮箱号 (default; texts from a client's own check, taken to copy the server); off: looked up like any"
        + " login, so answered as an unknown account (web.wrongPasswordCode)", () -> web.malformedLoginChecked,
        v -> web.malformedLogin(v, web.malformedLoginCode));
    code("web.malformedLoginCode", "the code of that refusal (a client's copy, UNKNOWN): 401 (default), or e.g. 400;"
        + " not 0 or 200", () -> web.malformedLoginCode, v -> web.malformedLogin(web.malformedLoginChecked, v), 0, 200);
  }

  /** A reply code: any whole number but the {@code excluded} ones (the codes of success). */
  private void code(String name, String help, IntSupplier get, IntConsumer set, int... excluded) {
    String not = String.join(", ", Arrays.stream(excluded).mapToObj(Integer::toString).toList());
    add(name, excluded.length == 0 ? "integer" : "integer, not " + not, help, get::getAsInt, v -> {
      if (!v.canConvertToInt() || !v.isIntegralNumber() || Arrays.stream(excluded).anyMatch(x -> x == v.intValue())) {
        throw new IllegalArgumentException("a whole number" + (excluded.length == 0 ? "" : " other than " + not) + ", not " + v);
      }
      return v.intValue();
    }, o -> set.accept((Integer) o));
  }

  private static <T extends FrontDoor> T door(FakeCloud cloud, Class<T> type) {
    try {
      return cloud.door(type);
    } catch (IllegalArgumentException absent) {
      return null;
    }
  }

  private void add(String name, String type, String help, Supplier<Object> get, Function<JsonNode, Object> parse,
      Consumer<Object> set) {
    if (settings.put(name, new Setting(type, help, get, parse, set)) != null) throw new IllegalStateException(name);
  }

  private void bool(String name, String help, BooleanSupplier get, Consumer<Boolean> set) {
    add(name, "boolean", help, get::getAsBoolean, v -> {
      if (!v.isBoolean()) throw new IllegalArgumentException("true or false, not " + v);
      return v.booleanValue();
    }, o -> set.accept((Boolean) o));
  }

  /** A non-empty JSON string. */
  private void text(String name, String help, Supplier<String> get, Consumer<String> set) {
    add(name, "text", help, get::get, v -> {
      if (!v.isTextual() || v.asText().isEmpty()) throw new IllegalArgumentException("a non-empty JSON string, not " + v);
      return v.asText();
    }, o -> set.accept((String) o));
  }

  private void count(String name, int min, String help, IntSupplier get, IntConsumer set) {
    count(name, min, Integer.MAX_VALUE, help, get, set);
  }

  private void count(String name, int min, int max, String help, IntSupplier get, IntConsumer set) {
    String range = max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
    add(name, max == Integer.MAX_VALUE ? "integer >= " + min : "integer " + min + ".." + max, help, get::getAsInt, v -> {
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < min || v.intValue() > max) {
        throw new IllegalArgumentException("a whole number " + range + ", not " + v);
      }
      return v.intValue();
    }, o -> set.accept((Integer) o));
  }

  /** A share of calls, 0 to 1. */
  private void rate(String name, String help, java.util.function.DoubleSupplier get, java.util.function.DoubleConsumer set) {
    add(name, "number 0..1", help, get::getAsDouble, v -> {
      if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 1) throw new IllegalArgumentException("a number from 0 to 1, not " + v);
      return v.doubleValue();
    }, o -> set.accept((Double) o));
  }

  private void bytes(String name, long min, String help, LongSupplier get, LongConsumer set) {
    add(name, "bytes >= " + min, help, get::getAsLong, v -> {
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < min) {
        throw new IllegalArgumentException("a whole number of bytes of at least " + min + ", not " + v);
      }
      return v.longValue();
    }, o -> set.accept((Long) o));
  }

  private void seconds(String name, String help, Supplier<Duration> get, Consumer<Duration> set) {
    add(name, "seconds", help, () -> seconds(get.get()), FakeSettings::duration, o -> set.accept((Duration) o));
  }

  /** A JSON number of seconds (0 or more, fractions allowed) as a duration. */
  static Duration duration(JsonNode v) {
    if (v == null || !v.isNumber() || v.decimalValue().signum() < 0) throw new IllegalArgumentException("seconds (0 or more), not " + v);
    try {
      return Duration.ofNanos(v.decimalValue().movePointRight(9).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("seconds with at most 9 decimals and below 292 years, not " + v);
    }
  }

  private static Object seconds(Duration d) {
    return d.toNanos() % 1_000_000_000L == 0 ? (Object) d.getSeconds() : (Object) (d.toNanos() / 1e9);
  }

  private <E extends Enum<E>> void choice(String name, Class<E> type, String help, Supplier<E> get, Consumer<E> set) {
    E[] all = type.getEnumConstants();
    String names = String.join("|", Arrays.stream(all).map(Enum::name).toList());
    add(name, "one of " + names, help, () -> get.get().name(), v -> {
      for (E e : all) {
        if (v.isTextual() && e.name().equalsIgnoreCase(v.asText())) return e;
      }
      throw new IllegalArgumentException("one of " + names + ", not " + v);
    }, o -> set.accept(type.cast(o)));
  }

  /** Every setting with its value, type and meaning. */
  ObjectNode describe() {
    ObjectNode out = Json.mapper().createObjectNode();
    settings.forEach((name, s) -> {
      ObjectNode o = out.putObject(name);
      o.set("value", Json.mapper().valueToTree(s.get().get()));
      o.put("type", s.type());
      o.put("help", s.help());
    });
    return out;
  }

  /** Whether {@code name} is a setting whose value is text (so a command line's {@code 401} is the text "401"). */
  boolean isText(String name) {
    Setting s = settings.get(name);
    return s != null && s.type().equals("text");
  }

  /**
   * Applies {@code {"name": value, ...}}: all of them, or none when one name is unknown or one
   * value is not of its type.
   *
   * @return the new values of the settings named
   * @throws IllegalArgumentException naming the first bad entry
   */
  ObjectNode apply(JsonNode body) {
    if (body == null || !body.isObject() || body.isEmpty()) {
      throw new IllegalArgumentException(
          "body must be a JSON object of settings, e.g. {\"open.qps\": false}; GET /_fake/settings lists them");
    }
    Map<String, Object> parsed = new LinkedHashMap<>();
    body.fields().forEachRemaining(e -> {
      Setting s = settings.get(e.getKey());
      if (s == null) throw new IllegalArgumentException("no setting '" + e.getKey() + "'; GET /_fake/settings lists them");
      try {
        parsed.put(e.getKey(), s.parse().apply(e.getValue()));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(e.getKey() + " takes " + bad.getMessage());
      }
    });
    parsed.forEach((name, v) -> settings.get(name).set().accept(v));
    ObjectNode out = Json.mapper().createObjectNode();
    for (String n : parsed.keySet()) out.set(n, Json.mapper().valueToTree(settings.get(n).get().get()));
    return out;
  }
}
