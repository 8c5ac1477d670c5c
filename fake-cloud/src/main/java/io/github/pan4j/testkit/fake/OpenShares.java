package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.error;
import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Share creation on the fake open platform (docs/protocol/123open.md §8.21):
 * {@code POST /api/v1/share/create}, {@code GET /api/v1/share/list} and
 * {@code PUT /api/v1/share/list/info} (the traffic settings of shares made here). A share made here is put
 * into the one {@link FakeStore}, so the web share API ({@link ShareFrontDoor}, what the
 * {@code 123share} driver speaks) serves it at once: its entries form the share's root listing,
 * the extraction code is checked there, and it expires on the cloud's clock.
 *
 * <p>Documented: {@code shareName}, {@code shareExpire} (1, 7, 30 or 0 = permanent),
 * {@code fileIDList} (comma-separated, at most 100 ids), optional {@code sharePwd},
 * {@code trafficSwitch} (1–4), {@code trafficLimitSwitch} (1/2), {@code trafficLimit} (bytes);
 * answer {@code {shareID, shareKey}}. List: {@code limit}, {@code lastShareId} →
 * {@code {lastShareId (-1 = last), shareList[…]}}. Update: {@code shareIdList[]} plus the traffic
 * fields. QPS: create is unlimited (rclone's table), list and list/info 10 each (the older
 * per-client table); those limits are installed here, not in {@link OpenQps}, and can be changed
 * with {@link OpenApiFrontDoor#qps}.
 *
 * <p>Chosen where the protocol is UNKNOWN (each a setting below where it could matter to a client):
 * <ul>
 *   <li>refusals are code 1 with a Chinese message naming the field (the real texts are unknown);
 *       an unknown, trashed or foreign id answers 5066 like the file endpoints;
 *   <li>{@code sharePwd} must be 4 letters or digits, the form every observed extraction code has;
 *   <li>{@code shareList} items carry {@code shareId, shareKey, shareName, expiration, expired,
 *       sharePwd, trafficSwitch, trafficLimitSwitch, trafficLimit, fileIdList}, with names in the
 *       style of the other open endpoints; {@code expiration} is written like other open-API times
 *       ({@code yyyy-MM-dd HH:mm:ss}, UTC+8) and, for a permanent share, as
 *       {@link #permanentExpiration} (default empty);
 *   <li>the list is in creation order (ascending {@code shareId}); {@code lastShareId} is the last
 *       id returned and the next page starts after it; {@code limit} must be 1..100.
 * </ul>
 */
final class OpenShares {
  static final String CREATE = "/api/v1/share/create";
  static final String LIST = "/api/v1/share/list";
  static final String UPDATE = "/api/v1/share/list/info";
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{4}");
  private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final OpenApiFrontDoor front;
  private final AtomicLong shareIds = new AtomicLong(4_000_000L);
  /** Open-platform facts of each share made here, by key. */
  private final Map<String, Meta> metas = new ConcurrentHashMap<>();
  volatile String permanentExpiration = "";

  private record Meta(long shareId, String key, String name, long uid, List<Long> ids, int expireDays,
      int trafficSwitch, int trafficLimitSwitch, long trafficLimit) {}

  OpenShares(OpenApiFrontDoor front) {
    this.front = front;
  }

  void install() {
    front.api("POST", CREATE, true, this::create);
    front.api("GET", LIST, true, this::list);
    front.api("PUT", UPDATE, true, this::update);
    // The older per-client table is the only one naming these two: 10 per second each.
    defaultQps(LIST, 10);
    defaultQps(UPDATE, 10);
  }

  private void defaultQps(String endpoint, double qps) {
    synchronized (front.qps) {
      if (!front.qps.free.containsKey(OpenQps.key(endpoint))) front.qps.put(endpoint, qps, qps);
    }
  }

  private JsonNode create(FakeRequest req, Account a) {
    String name = req.textField("shareName");
    if (name == null || name.isBlank()) throw fail("shareName不能为空");
    if (name.length() > 255) throw fail("shareName过长");
    Long expire = req.longField("shareExpire");
    if (req.field("shareExpire") == null) throw fail("shareExpire不能为空");
    if (expire == null || !(expire == 0 || expire == 1 || expire == 7 || expire == 30)) {
      throw fail("shareExpire只能为1、7、30或0");
    }
    JsonNode rawIds = req.field("fileIDList");
    // The docs define a comma-separated string; an array or a number is refused. 123's message
    // for that is UNKNOWN, so the fake says what is wrong rather than "empty".
    if (rawIds != null && !rawIds.isNull() && !rawIds.isTextual()) throw fail("fileIDList格式错误，应为逗号分隔的文件ID字符串");
    List<Long> ids = idList(req.textField("fileIDList"));
    String pwd = req.textField("sharePwd");
    if (pwd != null && pwd.isEmpty()) pwd = null;
    if (pwd != null && !CODE.matcher(pwd).matches()) throw fail("提取码格式错误");
    int traffic = intOr(req, "trafficSwitch", 1, 1, 4);
    int limitSwitch = intOr(req, "trafficLimitSwitch", 1, 1, 2);
    Long limit = req.longField("trafficLimit");
    if (limitSwitch == 2 && (limit == null || limit < 0)) throw fail("trafficLimit参数错误");
    FakeStore st = front.store();
    String key;
    synchronized (st) {
      for (long id : ids) {
        Node n = st.node(a.uid(), id).orElseThrow(() -> error(5066, OpenWire.NO_FILE));
        if (st.isTrashed(n)) throw error(5066, OpenWire.NO_FILE);
      }
      do {
        key = newKey();
      } while (st.share(key).isPresent());
      Instant expiresAt = expire == 0 ? null : front.cloud().now().plus(Duration.ofDays(expire));
      st.createShare(Share.ofEntries(key, pwd, a.uid(), ids, expiresAt));
    }
    long shareId = shareIds.incrementAndGet();
    metas.put(key, new Meta(shareId, key, name.strip(), a.uid(), ids, expire.intValue(), traffic, limitSwitch,
        limitSwitch == 2 ? limit : 0));
    ObjectNode d = OpenWire.object();
    d.put("shareID", shareId);
    d.put("shareKey", key);
    return d;
  }

  /**
   * {@code PUT share/list/info}: {@code shareIdList} (share ids, at most 100) and optional
   * {@code trafficSwitch}, {@code trafficLimitSwitch}, {@code trafficLimit}, checked as in create;
   * a field left out keeps its value, and {@code trafficLimit} is kept only while the limit switch
   * is 2 (as create stores it); switching the cap on needs a {@code trafficLimit} unless the share
   * already has one. All or nothing: an id that is not one of the caller's shares →
   * code 1 (UNKNOWN text). Answers {@code data: null}, like the other calls with nothing to return.
   */
  private JsonNode update(FakeRequest req, Account a) {
    List<Long> shareIds = OpenWire.longList(req, "shareIdList");
    if (shareIds.size() > 100) throw fail("shareIdList最多支持100个");
    Integer traffic = intOrNull(req, "trafficSwitch", 1, 4);
    Integer limitSwitch = intOrNull(req, "trafficLimitSwitch", 1, 2);
    Long limit = null;
    if (req.field("trafficLimit") != null && !req.field("trafficLimit").isNull()) {
      limit = req.longField("trafficLimit");
      if (limit == null || limit < 0) throw fail("trafficLimit参数错误");
    }
    synchronized (metas) {
      List<Meta> changed = new ArrayList<>();
      for (long id : shareIds) {
        Meta m = metas.values().stream().filter(x -> x.shareId() == id && x.uid() == a.uid()).findFirst()
            .orElseThrow(() -> fail("分享链接不存在：" + id));
        int ts = traffic != null ? traffic : m.trafficSwitch();
        int ls = limitSwitch != null ? limitSwitch : m.trafficLimitSwitch();
        // Turning the cap on needs a cap, as at create; a share already capped keeps its value.
        if (ls == 2 && limit == null && m.trafficLimitSwitch() != 2) throw fail("trafficLimit参数错误");
        long lim = ls != 2 ? 0 : limit != null ? limit : m.trafficLimit();
        changed.add(new Meta(m.shareId(), m.key(), m.name(), m.uid(), m.ids(), m.expireDays(), ts, ls, lim));
      }
      for (Meta m : changed) metas.put(m.key(), m);
    }
    return null;
  }

  private static Integer intOrNull(FakeRequest req, String name, int min, int max) {
    if (req.field(name) == null || req.field(name).isNull()) return null;
    return intOr(req, name, 0, min, max);
  }

  private static List<Long> idList(String raw) {
    if (raw == null || raw.isBlank()) throw fail("fileIDList不能为空");
    Set<Long> ids = new LinkedHashSet<>();
    for (String part : raw.split(",")) {
      try {
        long v = Long.parseLong(part.trim());
        if (v <= 0) throw fail("fileIDList参数格式错误");
        ids.add(v);
      } catch (NumberFormatException e) {
        throw fail("fileIDList参数格式错误");
      }
    }
    if (ids.size() > 100) throw fail("fileIDList最多支持100个");
    return List.copyOf(ids);
  }

  private static int intOr(FakeRequest req, String name, int dflt, int min, int max) {
    if (req.field(name) == null || req.field(name).isNull()) return dflt;
    Long v = req.longField(name);
    if (v == null || v < min || v > max) throw fail(name + "参数错误");
    return v.intValue();
  }

  /** A key shaped like real ones ({@code vj8eVv-QQ413}): 6 letters/digits, '-', 5 letters/digits. */
  private static String newKey() {
    StringBuilder b = new StringBuilder(12);
    for (int i = 0; i < 11; i++) {
      if (i == 6) b.append('-');
      b.append(KEY_CHARS.charAt(RANDOM.nextInt(KEY_CHARS.length())));
    }
    return b.toString();
  }

  private JsonNode list(FakeRequest req, Account a) {
    Long limit = OpenWire.queryLong(req, "limit");
    if (limit == null) throw fail("limit不能为空");
    if (limit < 1 || limit > 100) throw fail("limit取值范围为1-100");
    Long last = OpenWire.queryLong(req, "lastShareId");
    long after = last == null || last < 0 ? 0 : last;
    FakeStore st = front.store();
    Instant now = front.cloud().now();
    List<Meta> mine = new ArrayList<>();
    for (Share s : st.shares(a.uid())) {
      Meta m = metas.get(s.key());
      if (m != null && m.shareId() > after) mine.add(m);
    }
    mine.sort((x, y) -> Long.compare(x.shareId(), y.shareId()));
    ObjectNode d = OpenWire.object();
    ArrayNode items = d.putArray("shareList");
    int n = 0;
    for (Meta m : mine) {
      if (n++ == limit) break;
      Share s = st.share(m.key()).orElseThrow();
      ObjectNode o = items.addObject();
      o.put("shareId", m.shareId());
      o.put("shareKey", m.key());
      o.put("shareName", m.name());
      o.put("expiration", s.expiresAt() == null ? permanentExpiration : OpenWire.time(s.expiresAt()));
      o.put("expired", s.expiresAt() != null && !now.isBefore(s.expiresAt()) ? 1 : 0);
      o.put("sharePwd", s.password() == null ? "" : s.password());
      o.put("trafficSwitch", m.trafficSwitch());
      o.put("trafficLimitSwitch", m.trafficLimitSwitch());
      o.put("trafficLimit", m.trafficLimit());
      ArrayNode fileIds = o.putArray("fileIdList");
      m.ids().forEach(fileIds::add);
    }
    boolean more = mine.size() > limit;
    d.put("lastShareId", more ? mine.get((int) (limit - 1)).shareId() : -1);
    return d;
  }

  /** The share/create requests answered so far with a share, per account (test hook). */
  int created(long uid) {
    return (int) metas.values().stream().filter(m -> m.uid() == uid).count();
  }

  /** The traffic settings a share has now (as made or last changed): {@code [trafficSwitch, trafficLimitSwitch, trafficLimit]}. */
  long[] traffic(String key) {
    Meta m = metas.get(key);
    return m == null ? null : new long[] {m.trafficSwitch(), m.trafficLimitSwitch(), m.trafficLimit()};
  }
}
