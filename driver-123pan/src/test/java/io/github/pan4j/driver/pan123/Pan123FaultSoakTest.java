package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Duration;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.FaultSoak;
import io.github.pan4j.testkit.SoakHttp;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault soak ({@link FaultSoak}) over 123pan: random operations through {@link Drive} with
 * one fault armed before most steps, the tree checked against a model after each. The web door
 * announces 1 KiB parts, so a few kilobytes exercise multipart uploads. More seeds:
 * {@code -Dpan4j.soak.seeds=200} (see docs/testing.md).
 */
class Pan123FaultSoakTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension()
      .doors(() -> new WebFrontDoor().sliceSize(1024))
      .driver("123pan");

  static Stream<Long> seeds() {
    return FaultSoak.seeds(1, 2, 3, 108); // 108: a put interrupted mid-slice, a get mid-body (it waited for the read timeout once), the deadline drive
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomOperationsUnderFaults_leaveTheTreeAsBeforeOrAsAfter(long seed) {
    Map<String, String> options = fake.options();
    options.put("uploadThreads", "1"); // one part at a time: the Nth request is the same on every run
    // The soak's slow replies come 200 ms late; while one is armed the client reads with 50 ms.
    try (SoakHttp http = new SoakHttp(Duration.ofMillis(50))) {
      DriverContext context = http.context().clock(fake.clock()).sleeper(fake.clock()).tokenStore(fake.tokenStore()).build();
      // A second drive over the account whose every call must end within 300 ms: the soak's slow
      // replies on it come 700 ms late, so the deadline strikes after 123 acted.
      DriverContext shortDeadline = http.context().clock(fake.clock()).sleeper(fake.clock()).tokenStore(fake.tokenStore())
          .callDeadline(Duration.ofMillis(300)).build();
      try (Drive drive = Drives.create().open("123pan", options, context, b -> b.ticker(fake.clock().ticker()));
          Drive deadlined = Drives.create().open("123pan", options, shortDeadline, b -> b.ticker(fake.clock().ticker()))) {
        FaultSoak.over(drive, fake.cloud(), fake.demo().uid())
            .clock(fake.clock())
            .steps(FaultSoak.steps(60))
            .sizes(200, 600, 4500)
            .fault("code429", () -> WebFrontDoor.businessError(429, "操作频繁，请稍后再试"))
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
