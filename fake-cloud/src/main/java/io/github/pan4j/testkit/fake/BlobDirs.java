package io.github.pan4j.testkit.fake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The temporary folders that hold a fake cloud's blobs, and what happens to them when their
 * cloud is not closed. A test that forgets to close its cloud, or a test JVM killed by a timeout,
 * used to leave one folder (sometimes gigabytes of uploads) in the temporary folder per cloud.
 *
 * <ul>
 *   <li>Each folder names its owner in a file {@value #OWNER}: the process id and the process's
 *       start time (so a reused id is not taken for the owner).
 *   <li>Folders still open when the JVM exits normally are deleted by one shutdown hook.
 *   <li>The first cloud a JVM makes deletes the folders whose owner is no longer running (a JVM
 *       that was killed), and folders without an owner file that are older than a day (left by
 *       versions before this one). A folder whose owner runs is never touched.
 * </ul>
 */
final class BlobDirs {
  static final String PREFIX = "pan4j-fake-blobs-";
  static final String OWNER = ".owner";
  /** How old a folder without an owner file must be before it is taken as left behind. */
  static final Duration UNOWNED_AGE = Duration.ofDays(1);

  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
  private static volatile boolean swept;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(BlobDirs::deleteTree), "pan4j-fake-blobs-cleanup"));
  }

  private BlobDirs() {}

  /** A new blob folder owned by this process; the first one also sweeps what dead processes left. */
  static Path create() throws IOException {
    Path dir = Files.createTempDirectory(PREFIX);
    Files.writeString(dir.resolve(OWNER), ownerLine(ProcessHandle.current()), StandardCharsets.US_ASCII);
    OPEN.add(dir);
    if (!swept) {
      swept = true;
      sweep(dir.getParent(), Instant.now());
    }
    return dir;
  }

  /** Deletes {@code dir} and everything in it (one level: blobs are plain files). */
  static void delete(Path dir) {
    OPEN.remove(dir);
    deleteTree(dir);
  }

  static String ownerLine(ProcessHandle p) {
    return p.pid() + " " + p.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("-");
  }

  /** Deletes the blob folders in {@code tmp} that nobody running owns; returns them. */
  static List<Path> sweep(Path tmp, Instant now) {
    List<Path> gone = new java.util.ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path d : dirs) {
        if (OPEN.contains(d) || !Files.isDirectory(d)) continue;
        if (leftBehind(d, now)) {
          deleteTree(d);
          gone.add(d);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a folder we cannot read or delete is someone else's business
    }
    return gone;
  }

  private static boolean leftBehind(Path dir, Instant now) throws IOException {
    Path owner = dir.resolve(OWNER);
    if (!Files.exists(owner)) {
      return Files.getLastModifiedTime(dir).toInstant().isBefore(now.minus(UNOWNED_AGE));
    }
    String[] f = Files.readString(owner, StandardCharsets.US_ASCII).trim().split(" ");
    long pid;
    try {
      pid = Long.parseLong(f[0]);
    } catch (NumberFormatException e) {
      return false; // not ours to judge
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) return true;
    // A running process with that id: the owner unless both start times are known and differ
    // (the id was reused by a later process).
    Optional<Instant> started = p.get().info().startInstant();
    if (f.length < 2 || f[1].equals("-") || started.isEmpty()) return false;
    try {
      return started.get().toEpochMilli() != Long.parseLong(f[1]);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(BlobDirs::deleteQuietly);
    } catch (IOException ignored) {
      // best effort
    }
    deleteQuietly(dir);
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
