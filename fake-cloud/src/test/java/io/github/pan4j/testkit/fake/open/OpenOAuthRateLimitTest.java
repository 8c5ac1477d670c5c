package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import javax.net.SocketFactory;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/oauth2/access_token}: 100 requests per minute per client address, then the address is blocked. */
class OpenOAuthRateLimitTest extends OpenFixture {

  private Map<String, String> refresh(String rt) {
    return Map.of("client_id", "app-1", "client_secret", "app-secret", "grant_type", "refresh_token", "refresh_token", rt);
  }

  private Reply oauth(Map<String, String> query) {
    return call("POST", "open", "/api/v1/oauth2/access_token", query, null, false);
  }

  /** 100 refusals of a bad refresh token, 0.5 s apart: the minute's allowance, all answered. */
  private void spendTheMinute() {
    door.oauthApp("app-1", "app-secret");
    for (int i = 0; i < 100; i++) {
      Reply r = oauth(refresh("no-such-token"));
      assertEquals(200, r.status());
      assertEquals(401, r.code(), "request " + (i + 1) + ": " + r.raw());
      clock.advance(Duration.ofMillis(500));
    }
  }

  @Test
  void the101stRequestOfAMinute_isRefusedWithHttp429_andTheAddressStaysBlockedForAMinute() {
    String rt = door.issueRefreshToken(demo, "app-1", "app-secret");
    spendTheMinute();
    Reply blocked = oauth(refresh(rt));
    assertEquals(429, blocked.status(), blocked.raw());
    assertEquals(429, blocked.code());
    assertEquals("请求太频繁", blocked.message());
    assertTrue(blocked.data().isNull());
    assertTrue(blocked.body().has("x-traceID"));
    assertEquals(1, cloud.counters().overLimit().get("open /api/v1/oauth2/access_token"));
    // blocked for a minute from the refusal, whatever the request
    clock.advance(Duration.ofSeconds(59));
    assertEquals(429, oauth(refresh(rt)).status());
    assertEquals(429, oauth(Map.of()).status());
    // the other endpoints are not blocked
    assertEquals(0, get("/api/v1/user/info", null).code());
    clock.advance(Duration.ofSeconds(1));
    Reply ok = oauth(refresh(rt));
    assertEquals(200, ok.status(), ok.raw());
    assertTrue(ok.body().has("access_token"), "the refresh token was not spent by the refusals: " + ok.raw());
  }

  @Test
  void withoutBlock_theAddressIsRefusedOnlyWhileTheLastMinuteHoldsTheLimit() {
    door.oauthTokenBlock(Duration.ZERO);
    spendTheMinute(); // requests at 0, 0.5, ..., 49.5 s; now 50 s
    assertEquals(429, oauth(Map.of()).status());
    clock.advance(Duration.ofSeconds(10)); // 60 s: the first request has left the minute
    assertEquals(200, oauth(Map.of()).status());
    assertEquals(429, oauth(Map.of()).status());
    clock.advance(Duration.ofMillis(500)); // 60.5 s: so has the second
    assertEquals(200, oauth(Map.of()).status());
  }

  @Test
  void theLimitIsCountedPerClientAddress() throws IOException {
    InetAddress other = InetAddress.getByName("127.0.0.2");
    try (Socket probe = new Socket()) {
      probe.bind(new InetSocketAddress(other, 0));
    } catch (IOException noSecondLoopback) {
      Assumptions.abort("no second loopback address here: " + noSecondLoopback);
    }
    spendTheMinute();
    assertEquals(429, oauth(Map.of()).status());
    OkHttpClient fromOther = new OkHttpClient.Builder().socketFactory(new BoundTo(other)).build();
    HttpUrl url = HttpUrl.get(cloud.baseUrl("open") + "/api/v1/oauth2/access_token").newBuilder()
        .addQueryParameter("client_id", "app-1").build();
    Request req = new Request.Builder().url(url).header("Platform", "open_platform")
        .post(RequestBody.create(new byte[0], JSON)).build();
    try (okhttp3.Response r = fromOther.newCall(req).execute()) {
      assertEquals(200, r.code(), "another address has its own minute");
    } finally {
      fromOther.connectionPool().evictAll();
    }
  }

  @Test
  void theLimitIsASetting_zeroTurnsItOff() {
    Reply set = call("POST", "open", "/_fake/settings", null, "{\"open.oauthTokenPerMinute\": 0}", false);
    assertEquals(200, set.status(), set.raw());
    for (int i = 0; i < 150; i++) assertEquals(200, oauth(Map.of()).status());
    Reply on = call("POST", "open", "/_fake/settings", null, "{\"open.oauthTokenPerMinute\": 3, \"open.oauthTokenBlock\": 5}", false);
    assertEquals(200, on.status(), on.raw());
    for (int i = 0; i < 3; i++) assertEquals(200, oauth(Map.of()).status());
    assertEquals(429, oauth(Map.of()).status());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(200, oauth(Map.of()).status(), "the block lasts the seconds set; then the address starts a new minute");
  }

  /** Sockets whose local end is bound to one address, so the fake sees the request come from it. */
  private static final class BoundTo extends SocketFactory {
    private final InetAddress local;

    BoundTo(InetAddress local) {
      this.local = local;
    }

    @Override
    public Socket createSocket() throws IOException {
      Socket s = new Socket();
      s.bind(new InetSocketAddress(local, 0));
      return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
      throw new UnsupportedOperationException();
    }
  }
}
