package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.Map;
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
}
