package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.DriverProvider;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class Open123ConfigTest {
  private final Open123Provider provider = new Open123Provider();

  @Test
  void parse_credentials_appliesDefaults() {
    Open123Config c = provider.parse(Map.of("clientId", "cid", "clientSecret", "s3cr3t"));
    assertEquals("0", c.rootFolderId());
    assertEquals(3, c.uploadThreads());
    assertEquals(Duration.ofMinutes(30), c.directLinkValidity());
    assertEquals("auto", c.tier());
    assertEquals(Open123Config.DEFAULT_API_BASE_URL, c.apiBaseUrl());
    assertTrue(c.hasCredentials());
    assertFalse(c.toString().contains("s3cr3t"), c.toString());
  }

  @Test
  void parse_offlineCallbackUrl_isASecret_andMustBeHttp() {
    Open123Config c = provider.parse(Map.of("clientId", "cid", "clientSecret", "s",
        "offlineCallbackUrl", " https://hooks.example.org/123?key=k3y "));
    assertEquals("https://hooks.example.org/123?key=k3y", c.offlineCallbackUrl().reveal());
    assertFalse(c.toString().contains("k3y"), c.toString());
    DriveException e = assertThrows(DriveException.class, () -> provider.parse(Map.of("clientId", "cid", "clientSecret", "s",
        "offlineCallbackUrl", "ftp://hooks.example.org/k3y")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("offlineCallbackUrl"), e.getMessage());
    assertFalse(e.getMessage().contains("k3y"), e.getMessage());
  }

  /**
   * A host checks its settings form with parse before it saves a mount: an apiBaseUrl without its
   * scheme, as people type it, is refused there, with the other problems, and not only when the
   * mount opens.
   */
  @Test
  void parse_apiBaseUrlThatIsNoHttpUrl_isRefusedByParse() {
    DriveException e = assertThrows(DriveException.class, () -> provider.parse(Map.of("clientId", "cid",
        "clientSecret", "s", "apiBaseUrl", "localhost:8123", "uploadThreads", "0")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    String m = e.getMessage();
    assertTrue(m.contains("option 'apiBaseUrl' must be an http(s) URL such as https://open-api.123pan.com but was"
        + " 'localhost:8123'"), m);
    assertTrue(m.contains("option 'uploadThreads' must be between 1 and 32"), m);
    assertThrows(DriveException.class, () -> provider.parse(Map.of("clientId", "cid", "clientSecret", "s",
        "apiBaseUrl", "ftp://open-api.example.org")));
    assertEquals("http://127.0.0.1:8123", provider.parse(Map.of("clientId", "cid", "clientSecret", "s",
        "apiBaseUrl", " http://127.0.0.1:8123/ ")).apiBaseUrl());
  }

  @Test
  void parse_qpsOverrides_areParsed() {
    Open123Config c = provider.parse(Map.of("clientId", "cid", "clientSecret", "s",
        "qps", "api/v2/file/list=3, /upload/v2/file/create=0.5", "tier", "VIP"));
    assertEquals(Map.of("api/v2/file/list", 3.0, "upload/v2/file/create", 0.5), c.qps());
    assertEquals("vip", c.tier());
  }

  @Test
  void parse_everyProblem_reportedAtOnce() {
    DriveException e = assertThrows(DriveException.class, () -> provider.parse(Map.of(
        "clientSecret", "leaky-secret", "uploadThreads", "99", "qps", "nonsense", "refreshToken", "rt")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    String m = e.getMessage();
    assertTrue(m.contains("uploadThreads"), m);
    assertTrue(m.contains("'qps'"), m);
    assertTrue(m.contains("clientId"), m);
    assertFalse(m.contains("leaky-secret"), m);
  }

  @Test
  void parse_pastedTokenAlone_isEnough() {
    Open123Config c = provider.parse(Map.of("accessToken", "eyJ.token"));
    assertFalse(c.hasCredentials());
    assertEquals("eyJ.token", c.accessToken().reveal());
  }

  @Test
  void parse_nothing_asksForCredentials() {
    DriveException e = assertThrows(DriveException.class, () -> provider.parse(Map.of()));
    assertTrue(e.getMessage().contains("developer console"), e.getMessage());
  }

  @Test
  void provider_isFoundByServiceLoader_withAllCapabilities() {
    boolean found = false;
    for (DriverProvider<?> p : ServiceLoader.load(DriverProvider.class)) {
      if (p.id().equals("123open")) found = true;
    }
    assertTrue(found);
    // Everything but the offline task list: the open platform cannot list or cancel offline tasks.
    assertEquals(java.util.EnumSet.complementOf(java.util.EnumSet.of(Capability.OFFLINE_TASKS)), provider.capabilities());
  }

  /** A host marks the fields a rule between options concerns, without reading its words. */
  @Test
  void check_rulesBetweenOptions_nameTheirOptions_andNoSecret() {
    ConfigSchema s = provider.schema();
    assertEquals(List.of(new Problem(List.of("clientSecret", "clientId", "accessToken"),
            "option 'clientSecret' is required with 'clientId' (or paste an 'accessToken')")),
        s.check(Map.of("clientId", "cid")));
    assertEquals(List.of(List.of("clientId", "clientSecret")),
        s.check(Map.of("clientSecret", "s3cr3t-value")).stream().map(Problem::options).toList());
    assertEquals(List.of(List.of("clientId", "clientSecret", "accessToken", "refreshToken", "renewalServiceUrl")),
        s.check(Map.of()).stream().map(Problem::options).toList());
    assertEquals(List.of(List.of("refreshToken", "clientId", "clientSecret", "renewalServiceUrl")),
        s.check(Map.of("refreshToken", "r3fr3sh", "accessToken", "t0k3n")).stream().map(Problem::options).toList());
    List<Problem> several = s.check(Map.of("clientId", "cid", "clientSecret", "s3cr3t-value",
        "renewalServiceUrl", "https://renew.example.org/x", "directLinkPrivateKey", "k3y-value", "qps", "list"));
    assertEquals(List.of(List.of("refreshToken", "renewalServiceUrl"), List.of("renewalServiceUrl", "clientId", "clientSecret"),
        List.of("directLinkPrivateKey", "directLink"), List.of("qps")), several.stream().map(Problem::options).toList());
    assertFalse(several.toString().contains("s3cr3t-value") || several.toString().contains("k3y-value"), several::toString);
  }
}
