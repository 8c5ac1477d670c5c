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
 * {@code POST /_fake/settings} sent over raw HTTP, as a client or suite in another language running
 * against {@code pan4j fake-cloud} sends it: for the tests that flip a setting that way and look at
 * what changes.
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

  private static Response post(FakeCloud cloud, String server, String json) throws IOException {
    return HTTP.newCall(new Request.Builder().url(cloud.baseUrl(server) + "/_fake/settings")
        .post(RequestBody.create(json, JSON)).build()).execute();
  }
}
