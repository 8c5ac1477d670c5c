package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;

/**
 * A token renewal service for the open platform, like the one OpenList's 123 Open driver uses in
 * its "online API" mode: a third-party web service (not part of 123) that owns an OAuth app. A
 * user signs in once on its jump-login page and gets an access token and a refresh token; a client
 * then renews with {@code GET <service>?refresh_ui=<refresh token>&server_use=true&driver_txt=123cloud_oa}.
 *
 * <p>Reply shapes (those of the public relay): success is HTTP 200
 * {@code {"refresh_token": "...", "access_token": "..."}} (no expiry field); failure is HTTP 500
 * {@code {"text": "<reason>"}}. Refresh tokens are single use, as at 123's token endpoint: a spent
 * one fails with the error reply, and a renewal stops the access token issued with the spent
 * refresh token. The tokens are valid at the {@link OpenApiFrontDoor} of the same cloud, which
 * must be installed too.
 *
 * <p>Served on server {@code login} at {@value #PATH} (see {@link #url()}); renewals are counted
 * by {@link #renewals()} and as kind {@code renewal} in {@link FakeCounters#tokensMinted()}.
 *
 * <pre>{@code
 * FakeCloud cloud = FakeCloud.builder().door(new OpenApiFrontDoor()).door(new RenewalServiceFrontDoor()).build().start();
 * RenewalServiceFrontDoor.Login login = cloud.door(RenewalServiceFrontDoor.class).login(demo);
 * }</pre>
 */
public final class RenewalServiceFrontDoor implements FrontDoor {
  /** Path of the renewal endpoint on server {@code login}. */
  public static final String PATH = "/123cloud/renewapi";
  /** The {@code driver_txt} value naming the 123 open platform's OAuth mode. */
  public static final String DRIVER_TXT = "123cloud_oa";
  /** Client id of the OAuth app the service owns at the open platform. */
  static final String APP_ID = "renewal-service-app";
  private static final String APP_SECRET = "renewal-service-secret";

  private final AtomicInteger renewals = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private FakeCloud cloud;

  /** What the service's jump-login page hands the user: an access token and a refresh token. */
  public record Login(String accessToken, String refreshToken) {
    @Override
    public String toString() {
      return "Login[tokens hidden]";
    }
  }

  @Override
  public void install(FakeCloud cloud) {
    this.cloud = cloud;
    cloud.route("login", "GET", PATH, this::renew);
  }

  /** The renewal endpoint's URL, e.g. {@code http://127.0.0.1:41234/123cloud/renewapi}. */
  public String url() {
    return cloud.url("login", PATH).toString();
  }

  /**
   * The user signs in to {@code account} on the service's jump-login page and authorises its app:
   * the tokens the page shows. Not counted as a renewal.
   */
  public Login login(Account account) {
    OpenApiFrontDoor open = cloud.door(OpenApiFrontDoor.class);
    open.oauthApp(APP_ID, APP_SECRET);
    OpenApiFrontDoor.OAuthGrant g = open.grant(account.uid(), APP_ID);
    return new Login(g.accessToken(), g.refreshToken());
  }

  /** Successful renewals served so far. */
  public int renewals() { return renewals.get(); }

  /** Renewals refused so far (unknown, spent or expired refresh token, missing parameters). */
  public int refused() { return refused.get(); }

  private MockResponse renew(FakeRequest req) {
    String refresh = OpenWire.query(req, "refresh_ui");
    String serverUse = OpenWire.query(req, "server_use");
    String driver = OpenWire.query(req, "driver_txt");
    // The public service answers a missing parameter with HTTP 500 {"text": "参数缺少"}.
    if (refresh == null || driver == null) return failure("参数缺少");
    if (!DRIVER_TXT.equals(driver)) return failure("不支持的驱动: " + driver);
    // server_use=false would mean "with the caller's own app id and secret"; the 123 driver
    // always uses the service's app, and this fake supports only that.
    if (!"true".equals(serverUse)) return failure("参数缺少");
    OpenApiFrontDoor.OAuthGrant g = cloud.door(OpenApiFrontDoor.class).redeem(refresh, APP_ID);
    // The relay forwards 123's error text; 123's error shape is not documented, so the text here
    // is chosen: the same words as the fake's token endpoint.
    if (g == null) return failure("refresh_token无效");
    renewals.incrementAndGet();
    cloud.counters().tokenMinted("renewal");
    ObjectNode o = OpenWire.object();
    o.put("refresh_token", g.refreshToken());
    o.put("access_token", g.accessToken());
    return OpenWire.json(200, cloud.traceId(), o);
  }

  private MockResponse failure(String text) {
    refused.incrementAndGet();
    ObjectNode o = OpenWire.object();
    o.put("text", text);
    return OpenWire.json(500, cloud.traceId(), o);
  }

  @Override
  public String toString() {
    return "RenewalServiceFrontDoor{renewals=" + renewals.get() + "}";
  }
}
