package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.Map;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a host that checks its settings form with parse shows its user. */
class Pan123ConfigTest {
  private final Pan123Provider provider = new Pan123Provider();

  @Test
  void aBaseUrlThatIsNoHttpUrl_isNamedAsTheOptionWithAnExample() {
    DriveException e = assertThrows(DriveException.class, () -> provider.parse(Map.of("username", "13800000000",
        "password", "pw-not-shown", "apiBaseUrl", "localhost:4100")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("option 'apiBaseUrl' must be an http(s) URL such as https://yun.123pan.com/b/api"
        + " but was 'localhost:4100'"), e.getMessage());
    assertFalse(e.getMessage().contains("pw-not-shown"), e.getMessage());
    DriveException login = assertThrows(DriveException.class, () -> provider.parse(Map.of("username", "13800000000",
        "password", "pw", "loginBaseUrl", "login.example.org")));
    assertTrue(login.getMessage().contains("option 'loginBaseUrl' must be an http(s) URL such as https://login.123pan.com"
        + " but was 'login.example.org'"), login.getMessage());
  }

  /** A host marks the fields a rule between options concerns, without reading its words. */
  @Test
  void check_rulesBetweenOptions_nameTheirOptions_andNoSecret() {
    ConfigSchema s = provider.schema();
    assertEquals(List.of(List.of("username", "password", "accessToken")),
        s.check(Map.of("username", "13800000000")).stream().map(Problem::options).toList());
    List<Problem> noUser = s.check(Map.of("password", "pw-not-shown", "accessToken", "t0k3n-not-shown"));
    assertEquals(List.of(List.of("username", "password")), noUser.stream().map(Problem::options).toList());
    assertFalse(noUser.toString().contains("not-shown"), noUser::toString);
    assertEquals(List.of(List.of("rootFolderId"), List.of("apiBaseUrl"), List.of("loginBaseUrl")),
        s.check(Map.of("accessToken", "t", "rootFolderId", "top", "apiBaseUrl", "localhost:4100",
            "loginBaseUrl", "login.example.org")).stream().map(Problem::options).toList(),
        "both base URLs are checked, each named");
  }
}
