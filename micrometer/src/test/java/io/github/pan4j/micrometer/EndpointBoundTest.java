package io.github.pan4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.RequestEvent;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The guard for a driver that would put ids into its endpoint paths (none of pan4j's do, see
 * {@link MicrometerRequestListenerTest}): past {@link MicrometerRequestListener#MAX_ENDPOINTS}
 * distinct endpoints, requests are counted under one {@code OTHER} tag value instead of a new
 * time series each.
 */
class EndpointBoundTest {
  private static RequestEvent event(String endpoint) {
    return new RequestEvent("third-party", "stat", "GET", endpoint, 1, OptionalInt.of(200), Optional.empty(),
        RequestEvent.Outcome.OK, Optional.empty(), Duration.ofMillis(5), Duration.ZERO, false, Optional.empty(),
        Optional.of("trace-" + endpoint.hashCode()));
  }

  @Test
  void endpointsPastTheBound_shareTheOtherTag_andEveryRequestIsStillCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerRequestListener listener = new MicrometerRequestListener(registry);
    int extra = 50;
    for (int i = 0; i < MicrometerRequestListener.MAX_ENDPOINTS + extra; i++) listener.requestEnded(event("/api/file/" + i));
    listener.requestEnded(event("/api/file/0")); // one seen before the bound keeps its own series

    Set<String> endpoints = registry.find(MicrometerRequestListener.REQUESTS).timers().stream()
        .map(t -> t.getId().getTag("endpoint")).collect(Collectors.toSet());
    assertEquals(MicrometerRequestListener.MAX_ENDPOINTS + 1, endpoints.size());
    Timer other = registry.find(MicrometerRequestListener.REQUESTS).tag("endpoint", MicrometerRequestListener.OTHER).timer();
    assertEquals(extra, other.count());
    assertEquals(2, registry.find(MicrometerRequestListener.REQUESTS).tag("endpoint", "/api/file/0").timer().count());
    assertEquals(MicrometerRequestListener.MAX_ENDPOINTS + extra + 1,
        registry.find(MicrometerRequestListener.REQUESTS).timers().stream().mapToLong(Timer::count).sum());
    assertEquals(0, registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
        .filter(t -> t.getValue().startsWith("trace-")).count(), "a trace id is never a tag");
  }
}
