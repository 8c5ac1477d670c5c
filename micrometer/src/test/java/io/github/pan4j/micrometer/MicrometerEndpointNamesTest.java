package io.github.pan4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.pan4j.core.RequestEvent;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What tells a download from an API call is the event's byte count, not its endpoint's name: a
 * third-party driver may well have an API endpoint called {@code download}.
 */
class MicrometerEndpointNamesTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MicrometerRequestListener listener = new MicrometerRequestListener(registry);

  private static RequestEvent apiCall(String endpoint, Duration waited) {
    return new RequestEvent("acme", "link", "GET", endpoint, 1, OptionalInt.of(200), Optional.empty(),
        RequestEvent.Outcome.OK, Optional.empty(), Duration.ofMillis(5), waited, false, Optional.empty(), Optional.empty(),
        OptionalLong.empty());
  }

  @Test
  void anApiEndpointNamedDownload_keepsItsRateLimitWait_andCountsNoBytes() {
    listener.requestEnded(apiCall("download", Duration.ofMillis(250)));
    Timer wait = registry.find(MicrometerRequestListener.RATE_LIMIT_WAIT).tags("driver", "acme", "endpoint", "download").timer();
    assertNotNull(wait, "the wait of an API call is recorded whatever its endpoint is called");
    assertEquals(250.0, wait.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));
    assertNull(registry.find(MicrometerRequestListener.DOWNLOAD_BYTES).counter(), "an API call downloads no content");
  }
}
