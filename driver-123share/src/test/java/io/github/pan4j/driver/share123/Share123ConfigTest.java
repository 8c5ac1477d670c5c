package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The problems a host shows next to the fields of a 123share settings form. */
class Share123ConfigTest {
  private final ConfigSchema schema = new Share123Provider().schema();

  @Test
  void check_rulesBetweenOptions_nameTheirOptions_andNoSecret() {
    List<Problem> both = schema.check(Map.of("shareUrl", "abcd-EFGh1", "account", "13800000000",
        "accessToken", "t0k3n-not-shown"));
    assertEquals(List.of(List.of("account", "accessToken")), both.stream().map(Problem::options).toList());
    assertFalse(both.toString().contains("t0k3n-not-shown"), both::toString);
    assertEquals(List.of(List.of("shareUrl"), List.of("rootFolderId"), List.of("apiBaseUrl")),
        schema.check(Map.of("shareUrl", "https://www.123pan.com/", "rootFolderId", "top", "apiBaseUrl", "localhost:4100"))
            .stream().map(Problem::options).toList());
  }
}
