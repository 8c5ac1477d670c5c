package io.github.pan4j.testkit.fake;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The check of the helpers that arm a fault for one endpoint path ({@code failNext} of the open
 * platform and of the web API): a path the door does not serve is refused at once, naming the
 * served paths nearest to it, since its fault would wait for a call that never comes.
 */
final class ServedPaths {
  private ServedPaths() {}

  /**
   * Unless {@code served} (paths with a leading slash) holds {@code path}: the refusal, e.g. "the fake
   * web API serves no endpoint '/b/api/file/lst', so failNext would never fire; endpoints under
   * /b/api/file: [...]".
   *
   * @param servesNo what the door serves, as in "the fake open platform serves no signed-in endpoint"
   */
  static void require(Collection<String> served, String path, String servesNo, String helper) {
    if (served.contains(path)) return;
    throw new IllegalArgumentException(servesNo + " '" + path + "', so " + helper + " would never fire; " + nearest(served, path)
        + " (cloud.counters().requests() shows which ones a call used)");
  }

  /**
   * The served paths that end in {@code path} (its prefix left out), else those sharing the most
   * leading segments with it, else all of them.
   */
  private static String nearest(Collection<String> served, String path) {
    List<String> completed = served.stream().filter(p -> p.endsWith(path.startsWith("/") ? path : "/" + path)).sorted().toList();
    if (!completed.isEmpty()) return "did you mean " + String.join(" or ", completed);
    String[] segments = segments(path);
    int best = served.stream().mapToInt(p -> shared(segments, segments(p))).max().orElse(0);
    if (best == 0) return "its endpoints: " + served.stream().sorted().toList();
    String head = "/" + String.join("/", Arrays.copyOf(segments, best));
    return "endpoints under " + head + ": " + served.stream().filter(p -> p.startsWith(head + "/")).sorted().toList();
  }

  private static String[] segments(String path) {
    return (path.startsWith("/") ? path.substring(1) : path).split("/");
  }

  private static int shared(String[] a, String[] b) {
    int n = 0;
    while (n < a.length && n < b.length && a[n].equals(b[n])) n++;
    return n;
  }
}
