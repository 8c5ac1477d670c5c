package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.auth.TokenStores;
import io.github.pan4j.core.internal.http.HttpLog;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.fake.RenewalServiceFrontDoor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 123open with a refresh token from a token renewal service's jump-login page, renewed through that service. */
class Open123RenewalServiceTest extends Open123Fixture {
  RenewalServiceFrontDoor service;
  RenewalServiceFrontDoor.Login login;

  @BeforeEach
  void signIn() {
    service = cloud.door(RenewalServiceFrontDoor.class);
    login = service.login(demo);
  }

  /** Options for the renewal-service mode: no client id or secret. */
  String[] serviceOptions(String... extra) {
    List<String> o = new ArrayList<>(java.util.Arrays.asList("clientId", null, "clientSecret", null,
        "refreshToken", login.refreshToken(), "renewalServiceUrl", service.url()));
    o.addAll(java.util.Arrays.asList(extra));
    return o.toArray(String[]::new);
  }

  String storedRefresh(String... options) {
    return tokenStore.load(storeKey(options)).orElseThrow().refreshToken().reveal();
  }

  @Test
  void refreshTokenOnly_renewsThroughTheService_andPersistsTheRotatedToken() {
    String[] opts = serviceOptions();
    driver(opts).list("0", null);
    assertEquals(1, service.renewals());
    String rotated = storedRefresh(opts);
    assertNotEquals(login.refreshToken(), rotated, "the new single-use refresh token replaced the spent one");
    assertEquals(0, door.accessTokenCalls(), "no client-credential token was minted");

    // A restart with the same (spent) configuration continues from the stored tokens.
    driver(opts).list("0", null);
    assertEquals(1, service.renewals());

    // Once the access token expires at 123, the stored (rotated) refresh token renews it.
    clock.advance(Duration.ofHours(3));
    driver(opts).list("0", null);
    assertEquals(2, service.renewals());
    assertNotEquals(rotated, storedRefresh(opts));
    assertEquals(0, service.refused());
  }

  @Test
  void pastedAccessToken_usedUntilRejected_thenRenewedOnce() {
    String[] opts = serviceOptions("accessToken", login.accessToken());
    Open123Driver d = driver(opts);
    d.list("0", null);
    assertEquals(0, service.renewals(), "the pasted access token was still good");
    clock.advance(Duration.ofHours(3)); // 123 now answers 401 access_token已过期
    d.list("0", null);
    d.list("0", null);
    assertEquals(1, service.renewals());
  }

  @Test
  void spentRefreshToken_isUnauthenticated_withTheServiceMessageAndWhatToDo() {
    driver(serviceOptions()).list("0", null); // spends login.refreshToken()
    // Another installation (own token store) still configured with the spent token.
    DriverContext other = DriverContext.builder().clock(clock).sleeper(clock).tokenStore(TokenStores.inMemory())
        .executor(executor).httpClient(http).build();
    DriveException e = assertThrows(DriveException.class,
        () -> new Open123Provider().openWith(options(serviceOptions()), other).list("0", null));
    assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
    assertEquals("refresh_token无效", e.providerMessage().orElse(null));
    assertTrue(e.getMessage().contains("jump-login page"), e.getMessage());
    assertTrue(e.getMessage().contains(service.url().replaceAll("/123cloud.*", "")), e.getMessage());
    assertFalse(e.getMessage().contains(login.refreshToken()), e.getMessage());
    assertEquals(1, service.renewals());
    assertEquals(1, service.refused(), "exactly one attempt with the spent token");
  }

  @Test
  void unreachableService_isNetworkNamingTheService() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/123cloud/renewapi";
    DriveException e = assertThrows(DriveException.class,
        () -> driver(serviceOptions("renewalServiceUrl", url)).list("0", null));
    assertEquals(ErrorKind.NETWORK, e.kind(), e.toString());
    assertTrue(e.getMessage().contains("token renewal service at http://127.0.0.1:" + port), e.getMessage());
    assertFalse(e.getMessage().contains(login.refreshToken()), e.getMessage());
  }

  @Test
  void openListName_apiUrlAddress_isAccepted() {
    Open123Config c = new Open123Provider().parse(options("clientId", null, "clientSecret", null,
        "refreshToken", login.refreshToken(), "apiUrlAddress", service.url()));
    assertEquals(service.url(), c.renewalServiceUrl());
    assertTrue(c.usesRenewalService());
  }

  @Test
  void badCombinations_areConfigErrors() {
    Open123Provider p = new Open123Provider();
    DriveException noRefresh = assertThrows(DriveException.class,
        () -> p.parse(options("clientId", null, "clientSecret", null, "renewalServiceUrl", service.url())));
    assertTrue(noRefresh.getMessage().contains("'renewalServiceUrl' needs the 'refreshToken'"), noRefresh.getMessage());
    DriveException both = assertThrows(DriveException.class,
        () -> p.parse(options("refreshToken", "r", "renewalServiceUrl", service.url())));
    assertTrue(both.getMessage().contains("give one of them"), both.getMessage());
    DriveException notUrl = assertThrows(DriveException.class,
        () -> p.parse(options(serviceOptions("renewalServiceUrl", "renew.example.org"))));
    assertTrue(notUrl.getMessage().contains("http(s) URL"), notUrl.getMessage());
    assertEquals(ErrorKind.CONFIG_INVALID, notUrl.kind());
  }

  @Test
  void refreshTokens_neverInLogsToStringOrErrors() {
    List<String> log = new CopyOnWriteArrayList<>();
    http = new OkHttpClient.Builder().addNetworkInterceptor(HttpLog.to("123open", log::add)).build();
    String[] opts = serviceOptions("accessToken", login.accessToken());
    Open123Driver d = driver(opts);
    clock.advance(Duration.ofHours(3));
    d.list("0", null);
    String rotated = storedRefresh(opts);
    DriverContext other = DriverContext.builder().clock(clock).sleeper(clock).tokenStore(TokenStores.inMemory())
        .executor(executor).httpClient(http).build();
    DriveException e = assertThrows(DriveException.class,
        () -> new Open123Provider().openWith(options(serviceOptions()), other).list("0", null));
    assertEquals(1, service.renewals());
    assertTrue(log.stream().anyMatch(l -> l.contains("/123cloud/renewapi")), "the renewal call was logged: " + log);
    List<String> texts = new ArrayList<>(log);
    texts.add(d.toString());
    texts.add(e.toString());
    texts.add(String.valueOf(tokenStore.load(storeKey(opts)).orElseThrow()));
    texts.add(new Open123Provider().parse(options(opts)).toString());
    List<String> secrets = new ArrayList<>(List.of(login.refreshToken(), login.accessToken(), rotated));
    secrets.addAll(door.issuedTokens());
    for (String t : texts) {
      for (String s : secrets) assertFalse(t.contains(s), "secret leaked into: " + t);
    }
  }

  @Test
  void configRecord_printsNoRefreshToken() {
    Map<String, String> o = options(serviceOptions());
    assertFalse(new Open123Provider().parse(o).toString().contains(login.refreshToken()));
  }
}
