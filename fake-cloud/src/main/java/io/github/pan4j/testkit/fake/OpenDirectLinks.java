package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.OpenWire.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Direct-link management on the fake open platform (docs/protocol/123open.md §8.16), beside the
 * enable / disable / url calls of {@link OpenApiFrontDoor}:
 *
 * <ul>
 *   <li>{@code POST /api/v1/direct-link/cache/refresh} → {@code {}}. The fake's CDN keeps no cache,
 *       so there is nothing to refresh; the calls are counted ({@link #cacheRefreshes}).
 *   <li>{@code GET /api/v1/direct-link/log?pageNum&pageSize&startTime&endTime} →
 *       {@code {total, list[{uniqueID, fileName, fileSize, filePath, directLinkURL, fileSource,
 *       totalTraffic}]}} from the downloads the {@link VipCdnFrontDoor} served (it keeps three days).
 *   <li>{@code GET /api/v1/direct-link/offline/logs?startHour&endHour&pageNum&pageSize} →
 *       {@code {total, list[]}}: the real service offers hourly CDN log files for download; the fake
 *       writes none, so after checking the parameters it honestly answers an empty list.
 *   <li>The IP blacklist, kept per account ({@link Account#forbiddenIps}):
 *       {@code GET /api/v1/developer/config/forbide-ip/list} → {@code {ipList, status}} (1 on, 2 off,
 *       off and empty for a new account), {@code POST …/forbide-ip/switch} {@code {"Status"}} →
 *       {@code {"Done": true}}, {@code POST …/forbide-ip/update} {@code {"IpList"}} → {@code {}}.
 *       The documented keys are capitalised; like every body key here they match without case.
 * </ul>
 *
 * <p>Chosen where the protocol is UNKNOWN:
 * <ul>
 *   <li>All of them need a VIP account like the other direct-link calls
 *       ({@link OpenApiFrontDoor#directLinkRequiresVip}); no QPS limit (no table lists them).
 *   <li>Refusals are code 1 with a message naming the parameter: a missing or malformed time
 *       ({@code YYYY-MM-DD HH:MM:SS}, China time; hours {@code YYYYMMDDHH}), an end before the
 *       start, a missing or non-positive {@code pageNum} / {@code pageSize}, a {@code Status} other
 *       than 1 or 2, an {@code IpList} that is not an array of dotted IPv4 addresses or holds more
 *       than 2000. Duplicates in {@code IpList} are kept once; the update replaces the whole list
 *       (an empty array clears it), whatever the switch says.
 *   <li>The logs cover the last 3 days (traffic) and 30 days (offline files). A start before that is
 *       answered with what is left, by default; {@link #refuseOldLogQueries} makes it code 1 instead.
 *       No page-size cap is known, so none is set.
 *   <li>The traffic log has one item per file and query: the downloads of a file within
 *       {@code [startTime, endTime]} are summed into {@code totalTraffic} (the documented example
 *       reports more traffic than the file's size, so items are not single downloads); name, path
 *       and link are those of the latest download; {@code uniqueID} is fixed per file;
 *       {@code fileSource} is 1 (the fake has no image bed); items come latest download first.
 * </ul>
 */
public final class OpenDirectLinks {
  static final String REFRESH = "/api/v1/direct-link/cache/refresh";
  static final String LOG = "/api/v1/direct-link/log";
  static final String OFFLINE_LOGS = "/api/v1/direct-link/offline/logs";
  static final String IP_LIST = "/api/v1/developer/config/forbide-ip/list";
  static final String IP_SWITCH = "/api/v1/developer/config/forbide-ip/switch";
  static final String IP_UPDATE = "/api/v1/developer/config/forbide-ip/update";
  static final int MAX_IPS = 2000;
  static final Duration LOG_WINDOW = VipCdnFrontDoor.HIT_RETENTION;
  static final Duration OFFLINE_LOG_WINDOW = Duration.ofDays(30);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern HOUR = Pattern.compile("[0-9]{10}");
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  private final OpenApiFrontDoor front;
  private final Map<Long, AtomicInteger> refreshes = new ConcurrentHashMap<>();
  volatile boolean refuseOldLogQueries;

  OpenDirectLinks(OpenApiFrontDoor front) {
    this.front = front;
  }

  void install() {
    front.api("POST", REFRESH, true, this::refresh);
    front.api("GET", LOG, true, this::log);
    front.api("GET", OFFLINE_LOGS, true, this::offlineLogs);
    front.api("GET", IP_LIST, true, this::ipList);
    front.api("POST", IP_SWITCH, true, this::ipSwitch);
    front.api("POST", IP_UPDATE, true, this::ipUpdate);
  }

  /**
   * Whether a log query starting before what the logs keep (3 days for traffic, 30 for the
   * offline files) is refused with code 1 (true) or answered with what is left (false, default).
   * Which one 123 does is UNKNOWN.
   */
  public OpenDirectLinks refuseOldLogQueries(boolean v) {
    refuseOldLogQueries = v;
    return this;
  }

  /** How many {@code direct-link/cache/refresh} calls an account made. */
  public int cacheRefreshes(Account account) {
    AtomicInteger n = refreshes.get(account.uid());
    return n == null ? 0 : n.get();
  }

  private JsonNode refresh(FakeRequest req, Account a) {
    front.requireVip(a);
    refreshes.computeIfAbsent(a.uid(), k -> new AtomicInteger()).incrementAndGet();
    return OpenWire.object();
  }

  private record Item(VipCdnFrontDoor.Hit latest, long traffic) {}

  private JsonNode log(FakeRequest req, Account a) {
    front.requireVip(a);
    long pageNum = positive(req, "pageNum");
    long pageSize = positive(req, "pageSize");
    Instant start = time(req, "startTime");
    Instant end = time(req, "endTime");
    checkRange(start, end, LOG_WINDOW, "startTime");
    Map<Long, Item> byFile = new LinkedHashMap<>();
    for (VipCdnFrontDoor.Hit h : front.vip().hits(a.uid(), start)) {
      if (h.at().isAfter(end)) continue;
      Item prev = byFile.remove(h.fileId());
      byFile.put(h.fileId(), new Item(h, h.bytes() + (prev == null ? 0 : prev.traffic())));
    }
    List<Item> items = new ArrayList<>(byFile.values());
    Collections.reverse(items); // latest download first
    ObjectNode d = OpenWire.object();
    d.put("total", items.size());
    ArrayNode list = d.putArray("list");
    for (Item it : page(items, pageNum, pageSize)) {
      ObjectNode o = list.addObject();
      o.put("uniqueID", uniqueId(a.uid(), it.latest().fileId()));
      o.put("fileName", it.latest().fileName());
      o.put("fileSize", it.latest().fileSize());
      o.put("filePath", it.latest().filePath());
      o.put("directLinkURL", it.latest().url());
      o.put("fileSource", 1);
      o.put("totalTraffic", it.traffic());
    }
    return d;
  }

  private JsonNode offlineLogs(FakeRequest req, Account a) {
    front.requireVip(a);
    Instant start = hour(req, "startHour");
    Instant end = hour(req, "endHour");
    positive(req, "pageNum");
    positive(req, "pageSize");
    checkRange(start, end, OFFLINE_LOG_WINDOW, "startHour");
    ObjectNode d = OpenWire.object();
    d.put("total", 0);
    d.putArray("list");
    return d;
  }

  private JsonNode ipList(FakeRequest req, Account a) {
    front.requireVip(a);
    ObjectNode d = OpenWire.object();
    ArrayNode ips = d.putArray("ipList");
    a.forbiddenIps().forEach(ips::add);
    d.put("status", a.forbiddenIpsOn() ? 1 : 2);
    return d;
  }

  private JsonNode ipSwitch(FakeRequest req, Account a) {
    front.requireVip(a);
    if (req.field("Status") == null || req.field("Status").isNull()) throw fail("Status不能为空");
    Long status = req.longField("Status");
    if (status == null || (status != 1 && status != 2)) throw fail("Status参数错误");
    a.forbiddenIpsOn(status == 1);
    ObjectNode d = OpenWire.object();
    d.put("Done", true);
    return d;
  }

  private JsonNode ipUpdate(FakeRequest req, Account a) {
    front.requireVip(a);
    JsonNode list = req.field("IpList");
    if (list == null || list.isNull()) throw fail("IpList不能为空");
    if (!list.isArray()) throw fail("IpList参数格式错误");
    if (list.size() > MAX_IPS) throw fail("IpList最多支持" + MAX_IPS + "个IP");
    Set<String> ips = new LinkedHashSet<>();
    for (JsonNode e : list) {
      String ip = e.isTextual() ? e.asText().trim() : null;
      if (ip == null || !IPV4.matcher(ip).matches()) throw fail("IpList参数格式错误：仅支持IPv4地址");
      ips.add(ip);
    }
    a.forbiddenIps(List.copyOf(ips));
    return OpenWire.object();
  }

  // ------------------------------------------------------------------ parameters

  private static long positive(FakeRequest req, String name) {
    Long v = OpenWire.queryLong(req, name);
    if (v == null) throw fail(name + "不能为空");
    if (v < 1) throw fail(name + "参数错误");
    return v;
  }

  /** A required query parameter {@code YYYY-MM-DD HH:MM:SS} (China time), exactly. */
  private static Instant time(FakeRequest req, String name) {
    String v = required(req, name);
    try {
      return LocalDateTime.parse(v, TIME).toInstant(OpenWire.CHINA);
    } catch (DateTimeParseException e) {
      throw fail(name + "格式错误");
    }
  }

  /** A required query parameter {@code YYYYMMDDHH} (China time), the start of that hour. */
  private static Instant hour(FakeRequest req, String name) {
    String v = required(req, name);
    if (!HOUR.matcher(v).matches()) throw fail(name + "格式错误");
    try {
      return LocalDateTime.of(Integer.parseInt(v.substring(0, 4)), Integer.parseInt(v.substring(4, 6)),
          Integer.parseInt(v.substring(6, 8)), Integer.parseInt(v.substring(8, 10)), 0).toInstant(OpenWire.CHINA);
    } catch (DateTimeException e) {
      throw fail(name + "格式错误");
    }
  }

  private static String required(FakeRequest req, String name) {
    String v = OpenWire.query(req, name);
    if (v == null) throw fail(name + "不能为空");
    return v;
  }

  private void checkRange(Instant start, Instant end, Duration window, String startName) {
    if (end.isBefore(start)) throw fail("结束时间不能早于开始时间");
    if (refuseOldLogQueries && start.isBefore(front.cloud().now().minus(window))) {
      throw fail(startName + "超出可查询范围");
    }
  }

  private static <T> List<T> page(List<T> all, long pageNum, long pageSize) {
    if (all.isEmpty() || pageNum - 1 > (all.size() - 1) / pageSize) return List.of();
    int from = (int) ((pageNum - 1) * pageSize);
    return all.subList(from, (int) Math.min(all.size(), from + pageSize));
  }

  /** 32 hex digits fixed per (account, file). */
  private static String uniqueId(long uid, long fileId) {
    byte[] d = Digests.get("MD5").digest(("direct-link-log-" + uid + "-" + fileId).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d);
  }
}
