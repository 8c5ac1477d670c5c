package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.core.spi.DriverProvider;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --demo} as Main starts it: the demo's mounts file, once the host runs, is what the admin page would write. */
class DemoSetupTest {

  @Test
  void demoStart_writesEveryOptionInItsSchemasType() throws Exception {
    try (DemoSetup demo = DemoSetup.create(null); Host host = demo.start(demo.config().withPort(0), Clock.systemUTC())) {
      JsonNode mounts = Json.mapper().readTree(demo.config().mountsFile().toFile()).get("mounts");
      assertEquals(4, mounts.size(), "the four demo mounts");
      int typed = 0;
      for (JsonNode m : mounts) {
        String driver = m.get("driver").asText();
        DriverProvider<?> p = host.plugins().drives().findProvider(driver).orElseThrow();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.get("options").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          OptionSpec spec = p.schema().option(e.getKey());
          OptionType type = spec == null ? OptionType.STRING : spec.type();
          // The message names the option and the JSON type, never the value (some are secrets).
          String what = driver + " option " + e.getKey() + " (" + type + ") is written as " + e.getValue().getNodeType();
          switch (type) {
            case INT -> assertTrue(e.getValue().isIntegralNumber(), what);
            case BOOLEAN -> assertTrue(e.getValue().isBoolean(), what);
            default -> assertTrue(e.getValue().isTextual(), what);
          }
          if (type == OptionType.INT || type == OptionType.BOOLEAN) typed++;
        }
      }
      assertTrue(typed > 0, "the demo has typed options to check (123link's directLinkUid)");
      JsonNode link = null;
      for (JsonNode m : mounts) if (m.get("path").asText().equals("/123link")) link = m;
      assertTrue(link != null && link.at("/options/directLinkUid").isIntegralNumber(), "directLinkUid is a number");
      for (Mounts.Mount m : host.mounts().all()) assertTrue(m.ok(), m.spec().path() + " opens: " + m.problem());
    }
  }
}
