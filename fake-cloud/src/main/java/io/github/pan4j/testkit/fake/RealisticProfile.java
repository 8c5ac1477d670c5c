package io.github.pan4j.testkit.fake;

import java.time.Duration;

/**
 * The real service's known quirks, switched on together at plausible rates from one seed
 * ({@code pan4j fake-cloud --realistic}, or {@code RealisticProfile.seeded(n).applyTo(cloud)} in a
 * test). Each quirk is also a setting of its front door, listed in {@code docs/testing.md} with the
 * protocol section it comes from; this class only picks values:
 *
 * <ul>
 *   <li>open v2 list lags behind writes: half of the new entries stay hidden for 3 s (§11);
 *   <li>download_info / direct-link/url answer 20103 for half of the files in their first 2 s (§11);
 *   <li>the v2 list cursor as the official doc describes it: the first id of the next page (§8.2);
 *   <li>web list throttled as {@code code 403} (3 % of lists) and a throttling reply with a string
 *       {@code code} (1 % of calls) (web §5.12, §2.3);
 *   <li>web download_info refused with 50002 (risk control, 3 %) — never twice in a row for a file;
 *       5114 (traffic) stays at 0 because it does not go away by retrying (web §5.4, §6);
 *   <li>web {@code SliceSize} 32 MiB above 160 MiB (web §5.9.2);
 *   <li>the edge URL served without {@code Referer} (web §5.4: only the redirect probe needs it).
 * </ul>
 *
 * <p>Every rate and value can be changed before {@link #applyTo}.
 */
public final class RealisticProfile {
  private final long seed;
  private Duration listingLag = Duration.ofSeconds(3);
  private double listingLagRate = 0.5;
  private Duration verifyingWindow = Duration.ofSeconds(2);
  private double verifyingRate = 0.5;
  private boolean inclusiveCursor = true;
  private double listThrottle403Rate = 0.03;
  private double stringCodeRate = 0.01;
  private double download5114Rate = 0;
  private double download50002Rate = 0.03;
  private long largeSliceThreshold = 160L << 20;
  private long largeSliceSize = 32L << 20;
  private boolean edgeNeedsReferer;

  private RealisticProfile(long seed) {
    this.seed = seed;
  }

  /** The profile with its default rates, drawing from {@code seed}. */
  public static RealisticProfile seeded(long seed) {
    return new RealisticProfile(seed);
  }

  public RealisticProfile listingLag(Duration lag, double rate) { listingLag = lag; listingLagRate = rate; return this; }
  public RealisticProfile verifyingAfterUpload(Duration window, double rate) { verifyingWindow = window; verifyingRate = rate; return this; }
  public RealisticProfile inclusiveCursor(boolean v) { inclusiveCursor = v; return this; }
  public RealisticProfile webThrottling(double list403Rate, double stringCodeRate) {
    listThrottle403Rate = list403Rate;
    this.stringCodeRate = stringCodeRate;
    return this;
  }
  public RealisticProfile webDownloadErrors(double rate5114, double rate50002) {
    download5114Rate = rate5114;
    download50002Rate = rate50002;
    return this;
  }
  public RealisticProfile webLargeSlices(long threshold, long sliceSize) {
    largeSliceThreshold = threshold;
    largeSliceSize = sliceSize;
    return this;
  }
  public RealisticProfile edgeNeedsReferer(boolean v) { edgeNeedsReferer = v; return this; }

  /** Applies the profile to the front doors installed in {@code cloud} (those absent are skipped). */
  public RealisticProfile applyTo(FakeCloud cloud) {
    try {
      cloud.door(OpenApiFrontDoor.class).quirkSeed(seed).listingLag(listingLag, listingLagRate)
          .verifyingAfterUpload(verifyingWindow, verifyingRate).listCursorInclusive(inclusiveCursor);
    } catch (IllegalArgumentException noOpenDoor) {
      // not installed
    }
    try {
      cloud.door(WebFrontDoor.class).quirkSeed(seed).listThrottle403Rate(listThrottle403Rate)
          .stringCodeThrottleRate(stringCodeRate).downloadErrorRates(download5114Rate, download50002Rate)
          .largeSliceSize(largeSliceThreshold, largeSliceSize).requireEdgeReferer(edgeNeedsReferer);
    } catch (IllegalArgumentException noWebDoor) {
      // not installed
    }
    return this;
  }

  /** Applies the profile to a demo cloud. */
  public RealisticProfile applyTo(DemoCloud demo) {
    return applyTo(demo.cloud());
  }

  @Override
  public String toString() {
    return "RealisticProfile{seed=" + seed + "}";
  }
}
