package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.WebJson.F;
import static io.github.pan4j.testkit.fake.WebJson.envelope;
import static io.github.pan4j.testkit.fake.WebJson.error;
import static io.github.pan4j.testkit.fake.WebJson.ok;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;

/**
 * The public-share API of 123云盘 (docs/protocol/123web.md §7) on server {@code web}:
 * {@code GET /b/api/share/get} and {@code POST /b/api/share/download/info}, over shares created in
 * test setup with {@link FakeStore#createShare(Share)} or by the open platform's {@code share/create}
 * ({@link OpenShares}). A share of several entries lists them at its root. It needs a {@link WebFrontDoor} in the same
 * cloud (registered in any order): signing, rate limits, bearer tokens and the download
 * relay/CDN chain are the web door's. The rate limit (off by default) is checked once the key and
 * code passed, per bearer token, or per share key for anonymous visitors.
 *
 * <p>Both endpoints work anonymously or with a bearer token; an unknown or expired bearer counts
 * as anonymous (no 401 here). Replies: unknown key, missing or wrong extraction code ⇒
 * {@code 5103 分享码错误或者分享地址错误} (codes compared case-insensitively, as p123client says
 * 123 does; keys exactly, since whether 123 compares them with case is UNKNOWN: {@link #keysIgnoreCase});
 * a key outside {@code [A-Za-z0-9_-]} ⇒ {@code 400 ShareKey格式异常}; expired ⇒
 * {@code 5104 分享已过期} (checked before the code; {@link #expiredReply} answers
 * {@code Expired: true} in a listing instead). Listings carry {@code Next, Len, IsFirst,
 * Expired, InfoList} and no {@code Total}; download info answers {@code "message":"success"} and
 * {@code data.DownloadURL} (upper-case URL).
 *
 * <p>Decisions where the protocol is UNKNOWN here (docs/protocol/123web.md §13): listing a folder that is not inside the share ⇒
 * {@code 5066 文件不存在} (P123's "own drive is always listed" bug is not reproduced); a share whose
 * root is trashed or gone behaves like an unknown key (5103); files larger than 100 MiB
 * ({@link #loginThreshold}) need a valid bearer, else {@code 5112 "文件超过100M，请登录后下载"} ({@link #loginRequiredCode} picks 401);
 * the traffic limit ({@code 5113}) is the sharer's {@link Account#downloadQuota()}; a file that is
 * not a live file inside the share ⇒ {@code 400 源文件不存在}.
 */
public final class ShareFrontDoor implements FrontDoor {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final String MSG_BAD_CODE = "分享码错误或者分享地址错误";
  private static final String DOWNLOAD_INFO = WebFrontDoor.API + "/share/download/info";

  /**
   * How an expired share answers. The sources give both {@code 5104 分享已过期} (a userscript's
   * error table) and {@code data.Expired: true} (clients that test that flag); which one 123 sends
   * today, or whether it sends both in turn, is UNKNOWN.
   */
  public enum ExpiredReply {
    /** {@code code 5104 分享已过期}, data null, for both endpoints (default). */
    CODE_5104,
    /**
     * {@code share/get} answers {@code code 0} with {@code Expired: true}, an empty {@code InfoList}
     * and {@code Next "-1"}; {@code share/download/info} still answers {@code 5104} (a download of
     * an expired share has no flag to carry).
     */
    EXPIRED_FLAG
  }

  static final String MSG_LOGIN_NEEDED = "文件超过100M，请登录后下载";

  private FakeCloud cloud;
  volatile long loginThreshold = 100L * 1024 * 1024;
  volatile boolean keysIgnoreCase;
  volatile ExpiredReply expiredReply = ExpiredReply.CODE_5104;
  volatile int loginRequiredCode = 5112;

  @Override
  public void install(FakeCloud cloud) {
    this.cloud = cloud;
    cloud.route("web", "GET", WebFrontDoor.SHARE_GET, req -> web().gate(req, WebFrontDoor.SHARE_GET, false, this::list));
    cloud.route("web", "POST", DOWNLOAD_INFO, req -> web().gate(req, DOWNLOAD_INFO, false, this::downloadInfo));
  }

  /**
   * Files strictly larger than this need a valid bearer token (default 100 MiB, P123); 0 makes
   * every download need one (the 2026 claim of DM/ALT), {@link Long#MAX_VALUE} none.
   */
  public ShareFrontDoor loginThreshold(long bytes) {
    loginThreshold = bytes;
    return this;
  }

  /** The size above which a download needs a valid bearer token ({@link #loginThreshold(long)}). */
  public long loginThreshold() {
    return loginThreshold;
  }

  /**
   * Whether a share key matches whatever its letters' case (default false: exactly). Keys mix
   * cases ({@code vj8eVv-QQ413}); whether 123 tells {@code vj8evv-qq413} from it is UNKNOWN.
   */
  public ShareFrontDoor keysIgnoreCase(boolean value) {
    keysIgnoreCase = value;
    return this;
  }

  /** How an expired share answers (UNKNOWN; default {@link ExpiredReply#CODE_5104}). */
  public ShareFrontDoor expiredReply(ExpiredReply reply) {
    expiredReply = java.util.Objects.requireNonNull(reply);
    return this;
  }

  /**
   * The {@code code} of the refusal of a download over {@link #loginThreshold} without a valid
   * bearer: the sources name both {@code 5112} (default) and {@code 401}, which one 123 sends is
   * UNKNOWN. Its text, also UNKNOWN, is {@value #MSG_LOGIN_NEEDED} either way.
   */
  public ShareFrontDoor loginRequiredCode(int code) {
    if (code == 0) throw new IllegalArgumentException("code 0 is success, not a refusal");
    loginRequiredCode = code;
    return this;
  }

  private WebFrontDoor web() {
    return cloud.door(WebFrontDoor.class);
  }

  private boolean expired(Share s) {
    return s.expiresAt() != null && !cloud.now().isBefore(s.expiresAt());
  }

  /** The share after key, expiry and code checks, or the error reply. */
  private Object open(String key, String pwd) {
    return open(key, pwd, false);
  }

  /**
   * The same; with {@code expiredAsShare}, an expired share is returned rather than refused
   * (checked before the code, as the refusal is), for {@code share/get}'s {@code Expired} flag.
   */
  private Object open(String key, String pwd, boolean expiredAsShare) {
    if (key == null || !KEY.matcher(key).matches()) return error(400, "ShareKey格式异常");
    Optional<Share> share = cloud.store().share(key);
    if (share.isEmpty() && keysIgnoreCase) share = cloud.store().shareIgnoringCase(key);
    if (share.isEmpty()) return error(5103, MSG_BAD_CODE);
    Share s = share.get();
    if (expired(s)) return expiredAsShare ? s : error(5104, "分享已过期");
    if (s.password() != null && !s.password().isEmpty() && (pwd == null || !s.password().equalsIgnoreCase(pwd.trim()))) {
      return error(5103, MSG_BAD_CODE);
    }
    if (s.ofEntries()) {
      // A share of several entries whose entries are all trashed or gone is gone too.
      if (roots(s).isEmpty()) return error(5103, MSG_BAD_CODE);
    } else if (s.rootId() != FakeStore.ROOT) {
      Optional<Node> root = cloud.store().node(s.uid(), s.rootId());
      if (root.isEmpty() || cloud.store().isTrashed(root.get())) return error(5103, MSG_BAD_CODE);
    }
    return s;
  }

  /** True when {@code n} is the share root (or one of its entries) or lies below it (and is not trashed). */
  private boolean inside(Share s, Node n) {
    FakeStore st = cloud.store();
    if (n.uid() != s.uid() || st.isTrashed(n)) return false;
    if (!s.ofEntries()) return st.isSelfOrDescendant(s.uid(), n.id(), s.rootId());
    for (long e : s.entryIds()) if (st.isSelfOrDescendant(s.uid(), n.id(), e)) return true;
    return false;
  }

  /** The live entries of a share of several entries, in the order they were shared. */
  private List<Node> roots(Share s) {
    List<Node> out = new ArrayList<>();
    for (long e : s.entryIds()) {
      cloud.store().node(s.uid(), e).filter(n -> !cloud.store().isTrashed(n)).ifPresent(out::add);
    }
    return out;
  }

  private MockResponse list(FakeRequest req, WebFrontDoor.Session session) {
    Object o = open(req.queryIgnoreCase("shareKey"), req.queryIgnoreCase("SharePwd"), expiredReply == ExpiredReply.EXPIRED_FLAG);
    if (o instanceof MockResponse r) return r;
    Share s = (Share) o;
    MockResponse limited = web().throttle(req, WebFrontDoor.SHARE_GET, session, s.key());
    if (limited != null) return limited;
    if (expiredReply == ExpiredReply.EXPIRED_FLAG && expired(s)) {
      ObjectNode d = WebFrontDoor.page(new ArrayList<>(), 1, 1, false, WebJson::shareItem, web().listNext);
      d.put("Expired", true);
      return ok(d);
    }
    Long parent = WebJson.parseLong(req.queryIgnoreCase("parentFileId"));
    Long page = web().page(req);
    Long limit = WebJson.parseLong(req.queryIgnoreCase("limit"));
    if (parent == null || page == null || page < 1 || limit == null || limit < 1) return error(400, WebFrontDoor.MSG_BAD_ARG);
    FakeStore st = cloud.store();
    List<Node> items;
    if (s.ofEntries() && parent == FakeStore.ROOT) {
      items = roots(s);
    } else if (!s.ofEntries() && (parent == FakeStore.ROOT || parent == s.rootId())) {
      Optional<Node> root = s.rootId() == FakeStore.ROOT ? Optional.empty() : st.node(s.uid(), s.rootId());
      if (root.isPresent() && !root.get().folder()) {
        items = new ArrayList<>(List.of(root.get()));
      } else {
        items = new ArrayList<>(st.children(s.uid(), s.rootId(), false));
      }
    } else {
      Optional<Node> dir = st.node(s.uid(), parent).filter(n -> n.folder() && inside(s, n));
      if (dir.isEmpty()) return error(5066, WebFrontDoor.MSG_NOT_FOUND);
      items = new ArrayList<>(st.children(s.uid(), parent, false));
    }
    return ok(WebFrontDoor.page(items, page, (int) Math.min(limit, 100), false, WebJson::shareItem, web().listNext));
  }

  private MockResponse downloadInfo(FakeRequest req, WebFrontDoor.Session session) {
    Object o = open(req.textField("shareKey"), req.textField("SharePwd"));
    if (o instanceof MockResponse r) return r;
    Share s = (Share) o;
    MockResponse limited = web().throttle(req, DOWNLOAD_INFO, session, s.key());
    if (limited != null) return limited;
    Long id = req.longField("fileId");
    if (id == null) id = req.longField("FileID");
    if (id == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
    FakeStore st = cloud.store();
    Optional<Node> n = st.node(s.uid(), id).filter(x -> !x.folder() && inside(s, x));
    if (n.isEmpty()) return error(400, "源文件不存在");
    if (n.get().size() > loginThreshold && web().peekSession(req) == null) {
      return error(loginRequiredCode, MSG_LOGIN_NEEDED);
    }
    Optional<Account> sharer = st.account(s.uid());
    MockResponse refused = web().downloadRefusal(n.get());
    if (refused != null) return refused;
    if (sharer.isPresent() && !web().spendTraffic(sharer.get(), n.get().size())) {
      return error(5113, WebFrontDoor.MSG_TRAFFIC);
    }
    ObjectNode d = F.objectNode();
    d.put("DownloadURL", web().downloadUrl(n.get()));
    return envelope(0, "success", d);
  }
}
