package io.github.pan4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 123pan's web API through the listener: its presigned part uploads and download links are URLs
 * the server hands out, whose paths hold ids and signatures; they show as a bare host.
 */
class Pan123MetricsTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().driver("123pan");

  @Test
  void presignedUploadUrls_areTaggedByHostOnly_andNoTagHoldsANameOrSecret() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DriverContext context = fake.context().toBuilder().requestListener(new MicrometerRequestListener(registry)).build();
    byte[] content = new byte[300 * 1024];
    new Random(3).nextBytes(content);
    try (Drive d = Drive.of(Drives.create().provider("123pan").openWith(fake.options(), context))) {
      d.mkdirs("/reports-2026");
      d.put("/reports-2026/quarterly-figures.bin", content);
      d.ls("/reports-2026");
      d.link("/reports-2026/quarterly-figures.bin");
    } finally {
      context.close();
    }

    Set<String> endpoints = registry.getMeters().stream().map(m -> m.getId().getTag("endpoint")).filter(e -> e != null)
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(endpoints.stream().anyMatch(e -> e.matches("https?://[^/]+")), "the part upload's presigned URL: " + endpoints);
    assertTrue(endpoints.contains("/b/api/file/upload_request"), endpoints.toString());
    for (String e : endpoints) {
      assertTrue(e.matches("(/[a-z_0-9]+)+") && !e.matches(".*/\\d+(/.*)?") || e.matches("https?://[^/]+"),
          "an endpoint path without ids, or a bare host: " + e);
    }
    String everything = registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream()).map(Tag::getValue)
        .collect(Collectors.joining("\n"));
    assertFalse(everything.contains("reports-2026"), everything);
    assertFalse(everything.contains("quarterly"), everything);
    assertFalse(everything.contains(WebFrontDoor.DEMO_PASSWORD), everything);
    assertFalse(everything.contains(WebFrontDoor.DEMO_PHONE), everything);
  }
}
