package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Share;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** share/create and share/list on the wire: fields, refusals, the share in the store, paging. */
class OpenSharesTest extends OpenFixture {
  private long file(String name) {
    return store.createFile(demo.uid(), FakeStore.ROOT, name, store.putBlob(name.getBytes())).id();
  }

  private Reply create(String json) {
    return post("/api/v1/share/create", json);
  }

  @Test
  void create_answersIdAndKey_andPutsTheShareOfItsEntriesIntoTheStore() {
    long a = file("a.txt");
    long b = mkdir(0, "dir");
    Reply r = create("{\"shareName\":\"s\",\"shareExpire\":7,\"fileIDList\":\"" + a + "," + b + "\",\"sharePwd\":\"Ab12\"}");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.data().get("shareID").asLong() > 0);
    String key = r.data().get("shareKey").asText();
    assertTrue(key.matches("[A-Za-z0-9]{6}-[A-Za-z0-9]{5}"), key);
    Share s = store.share(key).orElseThrow();
    assertEquals(List.of(a, b), s.entryIds());
    assertEquals("Ab12", s.password());
    assertEquals(clock.instant().plus(Duration.ofDays(7)), s.expiresAt());
    assertEquals(1, door.sharesCreated(demo));
  }

  @Test
  void create_refusals() {
    long a = file("a.txt");
    String ids = "\"fileIDList\":\"" + a + "\"";
    assertEquals("shareName不能为空", create("{\"shareExpire\":1," + ids + "}").message());
    assertEquals(1, create("{\"shareName\":\"s\",\"shareExpire\":3," + ids + "}").code());
    Reply array = create("{\"shareName\":\"s\",\"shareExpire\":1,\"fileIDList\":[" + a + "]}");
    assertEquals(1, array.code(), "a JSON array is not the documented string");
    assertTrue(array.message().startsWith("fileIDList格式错误"), "says the format is wrong, not that it is empty: " + array.message());
    assertEquals(1, create("{\"shareName\":\"s\",\"shareExpire\":1," + ids + ",\"sharePwd\":\"abcde\"}").code());
    assertEquals(1, create("{\"shareName\":\"s\",\"shareExpire\":1," + ids + ",\"trafficSwitch\":5}").code());
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 101; i++) many.append(i == 0 ? "" : ",").append(a + i);
    assertEquals("fileIDList最多支持100个", create("{\"shareName\":\"s\",\"shareExpire\":1,\"fileIDList\":\"" + many + "\"}").message());
    assertEquals(5066, create("{\"shareName\":\"s\",\"shareExpire\":1,\"fileIDList\":\"424242\"}").code());
    assertEquals(0, door.sharesCreated(demo));
  }

  @Test
  void list_pagesInCreationOrder_withItemFields() {
    long a = file("a.txt");
    for (int i = 0; i < 3; i++) {
      assertEquals(0, create("{\"shareName\":\"s" + i + "\",\"shareExpire\":" + (i == 0 ? 0 : 1) + ",\"fileIDList\":\"" + a
          + "\",\"trafficSwitch\":2,\"trafficLimitSwitch\":2,\"trafficLimit\":99}").code());
    }
    Reply p1 = get("/api/v1/share/list", Map.of("limit", "2"));
    assertEquals(0, p1.code(), p1.toString());
    JsonNode items = p1.data().get("shareList");
    assertEquals(2, items.size());
    JsonNode first = items.get(0);
    assertEquals("s0", first.get("shareName").asText());
    assertEquals("", first.get("expiration").asText(), "permanent");
    assertEquals(0, first.get("expired").asInt());
    assertEquals(2, first.get("trafficSwitch").asInt());
    assertEquals(99, first.get("trafficLimit").asLong());
    assertEquals(a, first.get("fileIdList").get(0).asLong());
    long cursor = p1.data().get("lastShareId").asLong();
    assertEquals(items.get(1).get("shareId").asLong(), cursor);
    Reply p2 = get("/api/v1/share/list", Map.of("limit", "2", "lastShareId", String.valueOf(cursor)));
    assertEquals(1, p2.data().get("shareList").size());
    assertEquals("s2", p2.data().get("shareList").get(0).get("shareName").asText());
    assertEquals(-1, p2.data().get("lastShareId").asLong());
    clock.advance(Duration.ofDays(1));
    assertEquals(1, get("/api/v1/share/list", Map.of("limit", "2")).data().get("shareList").get(1).get("expired").asInt());
    assertEquals(1, get("/api/v1/share/list", Map.of("limit", "101")).code());
    Reply noLimit = get("/api/v1/share/list", Map.of());
    assertEquals("limit不能为空", noLimit.message());
    assertTrue(noLimit.data().isNull(), "data is null on failure");
  }

  private Reply update(String json) {
    return call("PUT", "open", "/api/v1/share/list/info", null, json, true);
  }

  private long share(long fileId, String extra) {
    Reply r = create("{\"shareName\":\"s\",\"shareExpire\":1,\"fileIDList\":\"" + fileId + "\"" + extra + "}");
    assertEquals(0, r.code(), r.toString());
    return r.data().get("shareID").asLong();
  }

  private JsonNode listed(long shareId) {
    for (JsonNode item : get("/api/v1/share/list", Map.of("limit", "100")).data().get("shareList")) {
      if (item.get("shareId").asLong() == shareId) return item;
    }
    throw new AssertionError("share " + shareId + " not listed");
  }

  @Test
  void listInfo_changesTheTrafficSettings_shownByTheList() {
    long a = file("a.txt");
    long s1 = share(a, "");
    long s2 = share(a, ",\"trafficSwitch\":3,\"trafficLimitSwitch\":2,\"trafficLimit\":500");
    long s3 = share(a, "");
    Reply r = update("{\"shareIdList\":[" + s1 + "," + s2 + "],\"trafficSwitch\":4,\"trafficLimitSwitch\":2,\"trafficLimit\":1024}");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.data().isNull(), r.raw());
    for (long id : List.of(s1, s2)) {
      JsonNode item = listed(id);
      assertEquals(4, item.get("trafficSwitch").asInt());
      assertEquals(2, item.get("trafficLimitSwitch").asInt());
      assertEquals(1024, item.get("trafficLimit").asLong());
    }
    assertEquals(1, listed(s3).get("trafficSwitch").asInt(), "a share not named is untouched");
    String key2 = listed(s2).get("shareKey").asText();
    assertEquals(List.of(4L, 2L, 1024L), java.util.Arrays.stream(door.shareTraffic(key2)).boxed().toList());

    assertEquals(0, update("{\"shareIdList\":[\"" + s1 + "\"],\"trafficSwitch\":2}").code(), "ids as strings; one field");
    assertEquals(2, listed(s1).get("trafficSwitch").asInt());
    assertEquals(1024, listed(s1).get("trafficLimit").asLong(), "fields left out keep their value");
    assertEquals(0, update("{\"shareIdList\":[" + s1 + "],\"trafficLimitSwitch\":1}").code());
    assertEquals(0, listed(s1).get("trafficLimit").asLong(), "no cap while the cap is off");
    assertEquals(0, update("{\"shareIdList\":[" + s2 + "],\"trafficLimitSwitch\":2}").code(), "already capped: keeps its cap");
    assertEquals(1024, listed(s2).get("trafficLimit").asLong());
  }

  @Test
  void listInfo_refusals_changeNothing() {
    long a = file("a.txt");
    long s1 = share(a, "");
    assertEquals("shareIdList不能为空", update("{\"trafficSwitch\":2}").message());
    assertEquals(1, update("{\"shareIdList\":[],\"trafficSwitch\":2}").code());
    assertEquals(1, update("{\"shareIdList\":" + s1 + ",\"trafficSwitch\":2}").code(), "not an array");
    assertEquals(1, update("{\"shareIdList\":[" + s1 + "],\"trafficSwitch\":5}").code());
    assertEquals(1, update("{\"shareIdList\":[" + s1 + "],\"trafficLimitSwitch\":3}").code());
    assertEquals(1, update("{\"shareIdList\":[" + s1 + "],\"trafficLimitSwitch\":2}").code(), "a cap needs trafficLimit");
    assertEquals(1, update("{\"shareIdList\":[" + s1 + "],\"trafficLimitSwitch\":2,\"trafficLimit\":-1}").code());
    assertEquals(1, update("{\"shareIdList\":[" + s1 + ",424242],\"trafficSwitch\":2}").code(), "all or nothing");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 101; i++) many.append(i == 0 ? "" : ",").append(s1);
    assertEquals("shareIdList最多支持100个", update("{\"shareIdList\":[" + many + "],\"trafficSwitch\":2}").message());
    store.createAccount("other").client("other-client", "other-secret");
    Reply t = call("POST", "open", "/api/v1/access_token", null,
        "{\"clientID\":\"other-client\",\"clientSecret\":\"other-secret\"}", false);
    token = t.data().get("accessToken").asText();
    assertEquals(1, update("{\"shareIdList\":[" + s1 + "],\"trafficSwitch\":2}").code(), "another account's share");
    assertEquals(List.of(1L, 1L, 0L), java.util.Arrays.stream(door.shareTraffic(store.shares(demo.uid()).get(0).key())).boxed().toList());
  }

  @Test
  void listInfo_isLimitedTo10PerSecond() {
    long s1 = share(file("a.txt"), "");
    String body = "{\"shareIdList\":[" + s1 + "],\"trafficSwitch\":2}";
    for (int i = 0; i < 10; i++) assertEquals(0, update(body).code());
    assertEquals(429, update(body).code());
    assertEquals(10.0, door.freeQpsTable().get("api/v1/share/list/info"));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(0, update(body).code());
  }
}
