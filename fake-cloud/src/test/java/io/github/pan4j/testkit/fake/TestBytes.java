package io.github.pan4j.testkit.fake;

import java.util.Arrays;
import java.util.Random;

/** Content for upload tests: reproducible random bytes and the slices of them. */
public final class TestBytes {
  private TestBytes() {}

  /** {@code n} random bytes, the same for the same seed. */
  public static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Slice {@code no} (1-based) of {@code content} cut into slices of {@code sliceSize} bytes. */
  public static byte[] slice(byte[] content, int no, int sliceSize) {
    return Arrays.copyOfRange(content, (no - 1) * sliceSize, Math.min(content.length, no * sliceSize));
  }
}
