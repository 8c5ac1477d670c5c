package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code POST /_fake/settings} (and calls to the open platform) sent over raw HTTP, as a client or
 * suite in another language running against {@code pan4j fake-cloud} sends them: for the tests that
 * flip a setting that way and look at what changes.
 */
public final class SettingsOverHttp {
  private static final OkHttpClient HTTP = new OkHttpClient();
  private static final MediaType JSON = MediaType.get("application/json");

  private SettingsOverHttp() {}

  /** Applies {@code json} at {@code server}'s door (all of it: HTTP 200, asserted); the settings as they are now. */
  public static JsonNode set(FakeCloud cloud, String server, String json) {
    try (Response r = post(cloud, server, json)) {
      JsonNode n = Json.mapper().readTree(r.body().string());
      assertEquals(200, r.code(), n.toString());
      return n.get("settings");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status {@code POST /_fake/settings} with {@code json} gets at {@code server}'s door (400: refused, nothing changed). */
  public static int status(FakeCloud cloud, String server, String json) {
    try (Response r = post(cloud, server, json)) {
      return r.code();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code method path} on the open platform's door with the {@code Platform} header and, when
   * {@code token} is not null, the bearer token: the reply's JSON with the HTTP status added as
   * {@code _status}.
   */
  public static com.fasterxml.jackson.databind.node.ObjectNode open(FakeCloud cloud, String method, String path, String json,
      String token) throws IOException {
    Request.Builder b = new Request.Builder().url(cloud.baseUrl("open") + path).header("Platform", "open_platform");
    if (token != null) b.header("Authorization", "Bearer " + token);
    b.method(method, json == null ? null : RequestBody.create(json, JSON));
    try (Response r = HTTP.newCall(b.build()).execute()) {
      com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper()
          .readTree(r.body().string());
      n.put("_status", r.code());
      return n;
    }
  }

  private static Response post(FakeCloud cloud, String server, String json) throws IOException {
    return HTTP.newCall(new Request.Builder().url(cloud.baseUrl(server) + "/_fake/settings")
        .post(RequestBody.create(json, JSON)).build()).execute();
  }
}
