package io.github.pan4j.driver.open123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Duration;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.FaultSoak;
import io.github.pan4j.testkit.SoakHttp;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault soak ({@link FaultSoak}) over 123open: random operations through {@link Drive} with
 * one fault armed before most steps, the tree checked against a model after each. Files above
 * 512 bytes go in 1 KiB slices with completion polls, so a few kilobytes exercise the sliced path.
 * More seeds: {@code -Dpan4j.soak.seeds=200} (see docs/testing.md).
 */
class Open123FaultSoakTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension()
      .doors(() -> new OpenApiFrontDoor().sliceSize(1024), VipCdnFrontDoor::new)
      .driver("123open");

  static Stream<Long> seeds() {
    return FaultSoak.seeds(1, 2, 3);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomOperationsUnderFaults_leaveTheTreeAsBeforeOrAsAfter(long seed) {
    soak(seed, "v2");
  }

  /**
   * The same with {@code uploadApi=v1}: presigned part URLs, list_upload_parts before completing,
   * and upload_complete answered later through upload_async_result.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomOperationsUnderFaults_withTheV1UploadProtocol(long seed) {
    soak(seed, "v1");
  }

  private void soak(long seed, String uploadApi) {
    Map<String, String> options = fake.options();
    options.put("uploadApi", uploadApi);
    options.put("singleUploadMax", "512");
    options.put("uploadThreads", "1"); // one slice at a time: the Nth request is the same on every run
    // The soak's slow replies come 200 ms late; while one is armed the client reads with 50 ms.
    try (SoakHttp http = new SoakHttp(Duration.ofMillis(50))) {
      DriverContext context = http.context().clock(fake.clock()).sleeper(fake.clock()).tokenStore(fake.tokenStore()).build();
      // A second drive over the account whose every call must end within 300 ms: the soak's slow
      // replies on it come 700 ms late, so the deadline strikes after 123 acted.
      DriverContext shortDeadline = http.context().clock(fake.clock()).sleeper(fake.clock()).tokenStore(fake.tokenStore())
          .callDeadline(Duration.ofMillis(300)).build();
      try (Drive drive = Drives.create().open("123open", options, context, b -> b.ticker(fake.clock().ticker()));
          Drive deadlined = Drives.create().open("123open", options, shortDeadline, b -> b.ticker(fake.clock().ticker()))) {
        FaultSoak.over(drive, fake.cloud(), fake.demo().uid())
            .clock(fake.clock())
            .steps(FaultSoak.steps(60))
            .sizes(200, 600, 4500)
            .fault("code429", () -> Fault.response("code 429", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"code\":429,\"message\":\"请求太频繁\",\"data\":null,\"x-traceID\":\"soak\"}").build()))
            .slowReplies(Duration.ofMillis(200), http::tightReads, 3)
            .interrupts(3)
            .bodyInterrupts()
            .sliceInterrupts(http::cutNextBody)
            .deadlineDrive(deadlined, Duration.ofMillis(700), 1)
            .run(seed);
      }
    }
  }
}
