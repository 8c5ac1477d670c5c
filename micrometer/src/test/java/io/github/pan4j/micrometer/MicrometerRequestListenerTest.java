package io.github.pan4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The meters a 123open drive leaves in a registry when it works against the fake 123 cloud over
 * loopback: real events from the real driver and request engine, no hand-made ones.
 */
class MicrometerRequestListenerTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().driver("123open");
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Runs {@code work} on a 123open drive of the demo account whose context reports to {@link #registry}. */
  private void withDrive(Consumer<Drive> work) {
    DriverContext context = fake.context().toBuilder().requestListener(new MicrometerRequestListener(registry)).build();
    try (Drive drive = Drive.of(Drives.create().provider("123open").openWith(fake.options(), context))) {
      work.accept(drive);
    } finally {
      context.close();
    }
  }

  private Timer requests(String endpoint, String outcome) {
    return registry.find(MicrometerRequestListener.REQUESTS).tags("driver", "123open", "endpoint", endpoint, "outcome", outcome)
        .timer();
  }

  private String dump() {
    return registry.getMetersAsString();
  }

  @Test
  void throttledList_isTwoRequests_oneThrottled_andTheWaitIsRecorded() {
    fake.openApi().failNext("/api/v2/file/list", 1);
    withDrive(d -> d.ls("/"));

    Timer retried = requests("/api/v2/file/list", "RETRYING");
    assertNotNull(retried, dump());
    assertEquals(1, retried.count(), dump());
    assertEquals("RATE_LIMITED", retried.getId().getTag("error"));
    assertEquals("200", retried.getId().getTag("status"), "123 says 'too frequent' in an HTTP 200 envelope");
    assertEquals("GET", retried.getId().getTag("method"));
    Timer ok = requests("/api/v2/file/list", "OK");
    assertNotNull(ok, dump());
    assertEquals(1, ok.count());
    assertEquals("none", ok.getId().getTag("error"));
    assertEquals(2, registry.find(MicrometerRequestListener.REQUESTS).tag("endpoint", "/api/v2/file/list").timers().stream()
        .mapToLong(Timer::count).sum());

    Counter throttled = registry.find(MicrometerRequestListener.THROTTLED).tags("driver", "123open", "endpoint", "/api/v2/file/list")
        .counter();
    assertNotNull(throttled, dump());
    assertEquals(1.0, throttled.count());

    Timer waited = registry.find(MicrometerRequestListener.RATE_LIMIT_WAIT).tags("driver", "123open", "endpoint", "/api/v2/file/list")
        .timer();
    assertNotNull(waited, dump());
    assertEquals(2, waited.count(), "every request records its wait, zero included");
    assertTrue(waited.totalTime(TimeUnit.MILLISECONDS) > 0, "the repeat waited for the endpoint's next turn: " + dump());

    Timer signIn = registry.find(MicrometerRequestListener.RENEWALS)
        .tags("driver", "123open", "trigger", "SIGN_IN", "outcome", "OK", "error", "none").timer();
    assertNotNull(signIn, dump());
    assertEquals(1, signIn.count());
    assertEquals(1, requests("/api/v1/access_token", "OK").count(), "the sign-in's own request is measured too");
  }

  @Test
  void revokedToken_isARejectedRenewal_andTheRefusedRequestIsRetrying() {
    withDrive(d -> {
      d.ls("/");
      fake.openApi().issuedTokens().forEach(fake.openApi()::revokeToken);
      d.ls("/");
    });

    Timer rejected = registry.find(MicrometerRequestListener.RENEWALS).tags("driver", "123open", "trigger", "REJECTED", "outcome", "OK")
        .timer();
    assertNotNull(rejected, dump());
    assertEquals(1, rejected.count());
    Timer refused = registry.find(MicrometerRequestListener.REQUESTS)
        .tags("endpoint", "/api/v2/file/list", "outcome", "RETRYING", "error", "UNAUTHENTICATED").timer();
    assertNotNull(refused, dump());
    assertEquals(1, refused.count());
    assertEquals(2, requests("/api/v2/file/list", "OK").count());
  }

  @Test
  void failedCall_isTaggedFailedWithItsKind() {
    withDrive(d -> assertThrowsDrive(() -> d.statById("99999999")));
    List<Timer> failed = new ArrayList<>(registry.find(MicrometerRequestListener.REQUESTS).tag("outcome", "FAILED").timers());
    assertEquals(1, failed.size(), dump());
    assertEquals("NOT_FOUND", failed.get(0).getId().getTag("error"), dump());
  }

  private static void assertThrowsDrive(Runnable r) {
    try {
      r.run();
    } catch (io.github.pan4j.core.DriveException expected) {
      return;
    }
    throw new AssertionError("expected a DriveException");
  }

  @Test
  void manyFoldersAndFiles_addNoTimeSeries_andNoTagHoldsANameIdOrSecret() {
    FakeStore store = fake.store();
    long uid = fake.demo().uid();
    List<String> names = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Node folder = store.mkdir(uid, FakeStore.ROOT, "folder-" + i);
      Node file = store.createFile(uid, folder.id(), "file-" + i + ".txt",
          store.putBlob(("content " + i).getBytes(StandardCharsets.UTF_8)));
      names.add(folder.name());
      names.add(file.name());
      ids.add(Long.toString(folder.id()));
      ids.add(Long.toString(file.id()));
    }
    Set<String> afterTwo = new TreeSet<>();
    withDrive(d -> {
      for (int i = 0; i < 30; i++) {
        String folder = "/folder-" + i;
        d.ls(folder);
        d.stat(folder + "/file-" + i + ".txt");
        d.link(folder + "/file-" + i + ".txt");
        d.get(folder + "/file-" + i + ".txt", new java.io.ByteArrayOutputStream());
        try (io.github.pan4j.core.Link.Content c = d.link(folder + "/file-" + i + ".txt").open(1, 3)) {
          c.body().readAllBytes();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        d.put(folder + "/upload-" + i + ".txt", ("uploaded " + i).getBytes(StandardCharsets.UTF_8));
        if (i == 1) afterTwo.addAll(series());
      }
    });

    Set<String> afterThirty = series();
    assertEquals(afterTwo, afterThirty, "30 folders and 90 files make no more time series than 2 folders");
    Set<String> endpoints = registry.getMeters().stream().map(m -> m.getId().getTag("endpoint")).filter(e -> e != null)
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(endpoints.size() < 15, endpoints.toString());
    for (String e : endpoints) {
      assertTrue(e.matches("(/[a-z_0-9]+)+") && !e.matches(".*/\\d+(/.*)?") || e.matches("https?://[^/]+")
          || e.equals("download"), "an endpoint path without ids, a bare host, or the downloads': " + e);
    }

    String everything = registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream()).map(Tag::getValue)
        .collect(Collectors.joining("\n"));
    for (String n : names) assertFalse(everything.contains(n), n + " in\n" + everything);
    for (String id : ids) assertFalse(everything.contains(id), id + " in\n" + everything);
    assertFalse(everything.contains(OpenApiFrontDoor.DEMO_CLIENT_SECRET), everything);
    for (String token : fake.openApi().issuedTokens()) assertFalse(everything.contains(token), everything);
    assertFalse(everything.contains("upload-"), everything);
    assertTrue(endpoints.contains("download"), endpoints.toString());
    assertFalse(everything.contains("open-dl") || everything.contains(fake.cloud().baseUrl("cdn").replaceAll("^https?://|/+$", "")),
        "no download host or path: " + everything);
  }

  @Test
  void downloads_areTimedUnderTheDownloadEndpoint_andTheirBytesCounted() {
    byte[] bytes = new byte[300_000];
    fake.store().createFile(fake.demo().uid(), FakeStore.ROOT, "movie.bin", fake.store().putBlob(bytes));
    withDrive(d -> {
      d.get("/movie.bin", new java.io.ByteArrayOutputStream());
      try (io.github.pan4j.core.Link.Content c = d.link("/movie.bin").open(100, 1000)) {
        c.body().readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    List<Timer> downloads = new ArrayList<>(registry.find(MicrometerRequestListener.REQUESTS).tag("endpoint", "download").timers());
    assertEquals(Set.of("200", "206"), downloads.stream().map(t -> t.getId().getTag("status")).collect(Collectors.toSet()), dump());
    assertEquals(2, downloads.stream().mapToLong(Timer::count).sum(), dump());
    Counter bytesIn = registry.find(MicrometerRequestListener.DOWNLOAD_BYTES).tags("driver", "123open", "outcome", "OK").counter();
    assertNotNull(bytesIn, dump());
    assertEquals(301_000.0, bytesIn.count(), dump());
    assertEquals(null, registry.find(MicrometerRequestListener.RATE_LIMIT_WAIT).tag("endpoint", "download").timer(),
        "downloads are not paced: " + dump());
  }

  /** Every meter as name and tags. */
  private Set<String> series() {
    return registry.getMeters().stream().map(Meter::getId).map(id -> id.getName() + id.getTags())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
