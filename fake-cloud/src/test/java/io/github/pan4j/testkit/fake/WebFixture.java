package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A fake cloud with the web and share doors, the demo account and raw HTTP helpers that speak the
 * web API the way OpenList does (signed URL, bearer, JSON bodies). Each API call advances the
 * clock by one second so rate limits, when a test turns them on, never trip by accident.
 */
final class WebFixture implements AutoCloseable {
  static final MediaType JSON = MediaType.get("application/json");
  final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  final WebFrontDoor web = new WebFrontDoor();
  final ShareFrontDoor share = new ShareFrontDoor();
  final FakeCloud cloud = FakeCloud.builder().clock(clock).door(web).door(share).build().start();
  final FakeStore store = cloud.store();
  final Account demo = WebFrontDoor.demoAccount(store);
  final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
  String token;
  boolean sign = true;
  /** The {@code platform} and {@code app-version} headers sent (OpenList's by default). */
  String platform = "web";
  String appVersion = "3";
  long random = 1234567;

  /** Signs in with the demo phone and keeps the token. */
  String login() {
    JsonNode r = postTo(web.loginUrl(), "{\"passport\":\"13800000000\",\"password\":\"demo-password\",\"remember\":true}", null);
    assertEquals(200, r.get("code").asInt(), r.toString());
    token = r.get("data").get("token").asText();
    return token;
  }

  HttpUrl url(String endpoint, Map<String, String> query) {
    HttpUrl.Builder b = HttpUrl.get(web.apiBase() + endpoint).newBuilder();
    query.forEach(b::addQueryParameter);
    HttpUrl u = b.build();
    return sign ? WebSignature.signUrl(u, clock.instant(), random) : u;
  }

  JsonNode get(String endpoint, Map<String, String> query) {
    clock.advance(Duration.ofSeconds(1));
    return call(new Request.Builder().url(url(endpoint, query)), token);
  }

  JsonNode post(String endpoint, String json) {
    clock.advance(Duration.ofSeconds(1));
    return call(new Request.Builder().url(url(endpoint, Map.of())).post(RequestBody.create(json, JSON)), token);
  }

  JsonNode postTo(String url, String json, String bearer) {
    return call(new Request.Builder().url(url).post(RequestBody.create(json, JSON)), bearer);
  }

  JsonNode call(Request.Builder b, String bearer) {
    JsonNode n = callBare(b, bearer);
    assertEquals(3, n.size(), "envelope has exactly code, message, data: " + n);
    return n;
  }

  /** A POST whose reply is JSON but not necessarily the three-key envelope (logout's has no data). */
  JsonNode postBare(String endpoint, String json) {
    clock.advance(Duration.ofSeconds(1));
    return callBare(new Request.Builder().url(url(endpoint, Map.of())).post(RequestBody.create(json, JSON)), token);
  }

  private JsonNode callBare(Request.Builder b, String bearer) {
    b.header("platform", platform).header("app-version", appVersion);
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    try (Response r = http.newCall(b.build()).execute()) {
      assertEquals(200, r.code(), "HTTP status");
      return Json.mapper().readTree(r.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Response raw(Request request) {
    try {
      return http.newCall(request).execute();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> listQuery(long parent, int page, int limit) {
    Map<String, String> q = new java.util.LinkedHashMap<>();
    q.put("driveId", "0");
    q.put("limit", Integer.toString(limit));
    q.put("next", "0");
    q.put("orderBy", "file_id");
    q.put("orderDirection", "desc");
    q.put("parentFileId", Long.toString(parent));
    q.put("trashed", "false");
    q.put("SearchData", "");
    q.put("Page", Integer.toString(page));
    q.put("OnlyLookAbnormalFile", "0");
    q.put("event", "homeListFile");
    q.put("operateType", "4");
    q.put("inDirectSpace", "false");
    return q;
  }

  /** share/get's query as the web page sends it; {@code pwd} null leaves SharePwd out. */
  static Map<String, String> shareQuery(String key, String pwd, long parent, int page) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("limit", "100");
    m.put("next", "0");
    m.put("orderBy", "file_id");
    m.put("orderDirection", "desc");
    m.put("parentFileId", Long.toString(parent));
    m.put("Page", Integer.toString(page));
    m.put("shareKey", key);
    if (pwd != null) m.put("SharePwd", pwd);
    return m;
  }

  @Override
  public void close() {
    cloud.close();
  }
}
