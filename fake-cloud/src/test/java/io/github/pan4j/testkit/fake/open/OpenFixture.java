package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.testkit.fake.FakeClock;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared set-up: a fake cloud with the open door, the demo account and raw HTTP helpers. */
abstract class OpenFixture {
  static final MediaType JSON = MediaType.get("application/json");
  final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T04:00:00Z"));
  final OkHttpClient http = new OkHttpClient();
  OpenApiFrontDoor door;
  FakeCloud cloud;
  FakeStore store;
  Account demo;
  String token;

  /** Door configuration per test class (small slices by default). */
  OpenApiFrontDoor newDoor() {
    return new OpenApiFrontDoor().sliceSize(1024);
  }

  @BeforeEach
  void startCloud() {
    door = newDoor();
    cloud = FakeCloud.builder().clock(clock).door(door).door(new VipCdnFrontDoor()).build().start();
    store = cloud.store();
    demo = OpenApiFrontDoor.demoAccount(store);
    token = issueToken();
  }

  @AfterEach
  void stopCloud() {
    cloud.close();
  }

  String issueToken() {
    Reply r = call("POST", "open", "/api/v1/access_token", null,
        "{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}", false);
    assertEquals(0, r.code(), r.toString());
    return r.data().get("accessToken").asText();
  }

  /** One JSON reply: HTTP status, the x-traceID header and the parsed body. */
  record Reply(int status, String traceHeader, JsonNode body, String raw) {
    int code() { return body.get("code").asInt(); }
    String message() { return body.get("message").asText(); }
    JsonNode data() { return body.get("data"); }
  }

  Reply get(String path, Map<String, String> query) {
    return call("GET", "open", path, query, null, true);
  }

  Reply post(String path, String json) {
    return call("POST", "open", path, null, json, true);
  }

  Reply call(String method, String server, String path, Map<String, String> query, String json, boolean auth) {
    HttpUrl.Builder u = HttpUrl.get(cloud.baseUrl(server) + path).newBuilder();
    if (query != null) query.forEach(u::addQueryParameter);
    Request.Builder b = new Request.Builder().url(u.build()).header("Platform", "open_platform");
    if (auth) b.header("Authorization", "Bearer " + token);
    b.method(method, json == null ? (method.equals("GET") ? null : RequestBody.create(new byte[0], JSON))
        : RequestBody.create(json, JSON));
    return send(b.build());
  }

  Reply send(Request request) {
    try (Response r = http.newCall(request).execute()) {
      String raw = r.body().string();
      JsonNode body = raw.startsWith("{") ? Json.mapper().readTree(raw) : null;
      return new Reply(r.code(), r.header("x-traceID"), body, raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ObjectNode obj() {
    return Json.mapper().createObjectNode();
  }

  long mkdir(long parent, String name) {
    Reply r = post("/upload/v1/file/mkdir", "{\"name\":\"" + name + "\",\"parentID\":" + parent + "}");
    assertEquals(0, r.code(), r.toString());
    return r.data().get("dirID").asLong();
  }

  static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
