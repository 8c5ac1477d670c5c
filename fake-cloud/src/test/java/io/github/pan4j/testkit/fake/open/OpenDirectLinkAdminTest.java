package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Direct-link management on the wire: cache refresh, the traffic log of what the VIP CDN served,
 * the offline log files, and the per-account IP blacklist with the CDN's check of it.
 */
class OpenDirectLinkAdminTest extends OpenFixture {
  private static final String LOG = "/api/v1/direct-link/log";
  private static final String OFFLINE = "/api/v1/direct-link/offline/logs";
  private static final String IP = "/api/v1/developer/config/forbide-ip/";

  @Override
  OpenApiFrontDoor newDoor() {
    return super.newDoor().qpsEnabled(false);
  }

  private Node file(long parent, String name, String text) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A file in an enabled direct-link folder, and its direct link. */
  private String directLink(long space, String name, String text) {
    Node f = file(space, name, text);
    Reply u = get("/api/v1/direct-link/url", Map.of("fileID", Long.toString(f.id())));
    assertEquals(0, u.code(), u.toString());
    return u.data().get("url").asText();
  }

  private long space() {
    long space = mkdir(0, "pub");
    assertEquals(0, post("/api/v1/direct-link/enable", "{\"fileID\":" + space + "}").code());
    return space;
  }

  private int fetch(String url, String range) throws IOException {
    Request.Builder b = new Request.Builder().url(url);
    if (range != null) b.header("Range", range);
    try (Response r = http.newCall(b.build()).execute()) {
      r.body().bytes();
      return r.code();
    }
  }

  private static Map<String, String> window(String start, String end, int pageNum, int pageSize) {
    Map<String, String> q = new HashMap<>();
    q.put("startTime", start);
    q.put("endTime", end);
    q.put("pageNum", String.valueOf(pageNum));
    q.put("pageSize", String.valueOf(pageSize));
    return q;
  }

  @Test
  void cacheRefresh_answersAnEmptyObject_forVipOnly() {
    Reply free = post("/api/v1/direct-link/cache/refresh", null);
    assertEquals(1, free.code(), free.toString());
    demo.vip(true);
    Reply r = post("/api/v1/direct-link/cache/refresh", null);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.data().isObject() && r.data().isEmpty(), r.raw());
    assertEquals(1, door.directLinks().cacheRefreshes(demo));
  }

  @Test
  void log_sumsTheTrafficServedPerFile_withinTheWindow() throws IOException {
    demo.vip(true);
    long space = space();
    String a = directLink(space, "a.txt", "0123456789");
    assertEquals(200, fetch(a, null));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(206, fetch(a, "bytes=0-3"));
    clock.advance(Duration.ofMinutes(1));
    String b = directLink(space, "b.txt", "xyz");
    assertEquals(200, fetch(b, null));
    // the fixture's clock reads 2026-03-01 12:00 China time at the start
    Reply r = get(LOG, window("2026-03-01 11:00:00", "2026-03-01 13:00:00", 1, 10));
    assertEquals(0, r.code(), r.toString());
    assertEquals(2, r.data().get("total").asInt());
    JsonNode latest = r.data().get("list").get(0);
    assertEquals("b.txt", latest.get("fileName").asText());
    JsonNode item = r.data().get("list").get(1);
    assertEquals("a.txt", item.get("fileName").asText());
    assertEquals(10, item.get("fileSize").asLong());
    assertEquals("/pub/a.txt", item.get("filePath").asText());
    assertEquals(a, item.get("directLinkURL").asText());
    assertEquals(1, item.get("fileSource").asInt());
    assertEquals(14, item.get("totalTraffic").asLong(), "a whole download and a 4-byte range");
    assertEquals(32, item.get("uniqueID").asText().length());

    Reply firstOnly = get(LOG, window("2026-03-01 12:00:00", "2026-03-01 12:00:30", 1, 10));
    assertEquals(10, firstOnly.data().get("list").get(0).get("totalTraffic").asLong());
    Reply page2 = get(LOG, window("2026-03-01 11:00:00", "2026-03-01 13:00:00", 2, 1));
    assertEquals(2, page2.data().get("total").asInt());
    assertEquals("a.txt", page2.data().get("list").get(0).get("fileName").asText());
    assertEquals(0, get(LOG, window("2026-03-01 11:00:00", "2026-03-01 13:00:00", 3, 1)).data().get("list").size());

    clock.advance(Duration.ofDays(4));
    Reply gone = get(LOG, window("2026-03-01 11:00:00", "2026-03-05 13:00:00", 1, 10));
    assertEquals(0, gone.code(), "an old start is answered with what is left, by default");
    assertEquals(0, gone.data().get("total").asInt(), "the log keeps three days");
    door.directLinks().refuseOldLogQueries(true);
    assertEquals(1, get(LOG, window("2026-03-01 11:00:00", "2026-03-05 13:00:00", 1, 10)).code());
  }

  @Test
  void log_checksItsParameters() {
    demo.vip(true);
    assertEquals(0, get(LOG, window("2026-03-01 00:00:00", "2026-03-01 23:59:59", 1, 10)).code());
    for (String bad : List.of("2026-03-01T00:00:00", "2026-3-1 00:00:00", "2026-02-30 00:00:00", "2026-03-01",
        "2026-03-01 24:00:00")) {
      Reply r = get(LOG, window(bad, "2026-03-01 23:59:59", 1, 10));
      assertEquals(1, r.code(), bad);
      assertTrue(r.data().isNull());
    }
    assertEquals(1, get(LOG, window("2026-03-01 12:00:00", "2026-03-01 11:59:59", 1, 10)).code(), "end before start");
    assertEquals(1, get(LOG, window("2026-03-01 00:00:00", "2026-03-01 23:59:59", 0, 10)).code());
    assertEquals(1, get(LOG, window("2026-03-01 00:00:00", "2026-03-01 23:59:59", 1, 0)).code());
    Map<String, String> noPage = window("2026-03-01 00:00:00", "2026-03-01 23:59:59", 1, 10);
    noPage.remove("pageNum");
    assertEquals("pageNum不能为空", get(LOG, noPage).message());
    Map<String, String> lowerCase = window("2026-03-01 00:00:00", "2026-03-01 23:59:59", 1, 10);
    lowerCase.put("starttime", lowerCase.remove("startTime"));
    assertEquals(1, get(LOG, lowerCase).code(), "query names are case-sensitive");
    demo.vip(false);
    assertEquals(1, get(LOG, window("2026-03-01 00:00:00", "2026-03-01 23:59:59", 1, 10)).code());
  }

  private static Map<String, String> hours(String start, String end, String pageNum, String pageSize) {
    Map<String, String> q = new HashMap<>();
    q.put("startHour", start);
    q.put("endHour", end);
    if (pageNum != null) q.put("pageNum", pageNum);
    if (pageSize != null) q.put("pageSize", pageSize);
    return q;
  }

  @Test
  void offlineLogs_checkParameters_andAnswerAnEmptyList() {
    demo.vip(true);
    Reply r = get(OFFLINE, hours("2026030100", "2026030112", "1", "10"));
    assertEquals(0, r.code(), r.toString());
    assertEquals(0, r.data().get("total").asInt());
    assertTrue(r.data().get("list").isArray() && r.data().get("list").isEmpty());
    assertEquals(1, get(OFFLINE, hours("2026030124", "2026030112", "1", "10")).code(), "hour 24");
    assertEquals(1, get(OFFLINE, hours("20260301", "2026030112", "1", "10")).code(), "no hour");
    assertEquals(1, get(OFFLINE, hours("2026-03-01 00:00:00", "2026030112", "1", "10")).code());
    assertEquals(1, get(OFFLINE, hours("2026030112", "2026030100", "1", "10")).code(), "end before start");
    assertEquals("pageSize不能为空", get(OFFLINE, hours("2026030100", "2026030112", "1", null)).message());
    assertEquals(0, get(OFFLINE, hours("2026010100", "2026030112", "1", "10")).code(), "older than 30 days: what is left");
    door.directLinks().refuseOldLogQueries(true);
    assertEquals(1, get(OFFLINE, hours("2026010100", "2026030112", "1", "10")).code());
    demo.vip(false);
    assertEquals(1, get(OFFLINE, hours("2026030100", "2026030112", "1", "10")).code());
  }

  @Test
  void ipBlacklist_isKeptPerAccount_withCapitalisedKeys() {
    demo.vip(true);
    Reply empty = get(IP + "list", null);
    assertEquals(0, empty.code(), empty.toString());
    assertEquals(0, empty.data().get("ipList").size());
    assertEquals(2, empty.data().get("status").asInt(), "off until switched on");

    Reply up = post(IP + "update", "{\"IpList\":[\"1.2.3.4\",\"10.0.0.1\",\"1.2.3.4\"]}");
    assertEquals(0, up.code(), up.toString());
    assertTrue(up.data().isObject() && up.data().isEmpty(), up.raw());
    Reply on = post(IP + "switch", "{\"Status\":1}");
    assertEquals(0, on.code(), on.toString());
    assertTrue(on.data().get("Done").asBoolean(), on.raw());
    JsonNode list = get(IP + "list", null).data();
    assertEquals("[\"1.2.3.4\",\"10.0.0.1\"]", list.get("ipList").toString());
    assertEquals(1, list.get("status").asInt());
    assertEquals(List.of("1.2.3.4", "10.0.0.1"), demo.forbiddenIps());

    assertEquals(1, post(IP + "update", "{\"IpList\":[\"1.2.3\"]}").code());
    assertEquals(1, post(IP + "update", "{\"IpList\":[\"::1\"]}").code(), "IPv4 only");
    assertEquals(1, post(IP + "update", "{\"IpList\":[\"256.1.1.1\"]}").code());
    assertEquals(1, post(IP + "update", "{\"IpList\":\"1.2.3.4\"}").code());
    assertEquals(1, post(IP + "update", "{}").code());
    StringBuilder many = new StringBuilder("{\"IpList\":[");
    for (int i = 0; i < 2001; i++) many.append(i == 0 ? "" : ",").append("\"10.0.").append(i / 256).append('.').append(i % 256).append('"');
    assertEquals(1, post(IP + "update", many + "]}").code(), "at most 2000");
    assertEquals(1, post(IP + "switch", "{\"Status\":3}").code());
    assertEquals(1, post(IP + "switch", "{}").code());
    assertEquals(List.of("1.2.3.4", "10.0.0.1"), demo.forbiddenIps(), "refusals change nothing");

    assertEquals(0, post(IP + "switch", "{\"Status\":2}").code());
    assertEquals(2, get(IP + "list", null).data().get("status").asInt());
    assertEquals(0, post(IP + "update", "{\"IpList\":[]}").code());
    assertEquals(0, get(IP + "list", null).data().get("ipList").size());

    Account other = store.createAccount("other").client("other-client", "other-secret").vip(true);
    post(IP + "update", "{\"IpList\":[\"9.9.9.9\"]}");
    token = tokenOf("other-client", "other-secret");
    assertEquals(0, get(IP + "list", null).data().get("ipList").size(), "another account has its own list");
    assertEquals(List.of(), other.forbiddenIps());
    assertEquals(List.of("9.9.9.9"), demo.forbiddenIps());
  }

  private String tokenOf(String id, String secret) {
    Reply r = call("POST", "open", "/api/v1/access_token", null,
        "{\"clientID\":\"" + id + "\",\"clientSecret\":\"" + secret + "\"}", false);
    assertEquals(0, r.code(), r.toString());
    return r.data().get("accessToken").asText();
  }

  @Test
  void ipBlacklist_needsVip() {
    assertEquals(1, get(IP + "list", null).code());
    assertEquals(1, post(IP + "switch", "{\"Status\":1}").code());
    assertEquals(1, post(IP + "update", "{\"IpList\":[]}").code());
  }

  @Test
  void vipCdn_refusesAListedAddress_onlyWhenTheFakeIsToldWhichAddressClientsHave() throws IOException {
    demo.vip(true);
    String url = directLink(space(), "a.txt", "abc");
    post(IP + "update", "{\"IpList\":[\"127.0.0.1\",\"203.0.113.7\"]}");
    post(IP + "switch", "{\"Status\":1}");
    assertEquals(200, fetch(url, null), "loopback clients are not locked out by default");
    VipCdnFrontDoor cdn = cloud.door(VipCdnFrontDoor.class).clientAddress("203.0.113.7");
    assertEquals(403, fetch(url, null));
    post(IP + "switch", "{\"Status\":2}");
    assertEquals(200, fetch(url, null), "the list is off");
    post(IP + "switch", "{\"Status\":1}");
    cdn.clientAddress("198.51.100.1");
    assertEquals(200, fetch(url, null), "not listed");
  }
}
