package io.github.pan4j.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs on one empty token file: exactly one token is minted and every process gets it. */
class FileTokenStoreProcessesTest {
  @TempDir Path dir;

  /**
   * Child: mints (by creating a uniquely named file) through a TokenManager over the shared file.
   * Before asking for a token it says it is ready (a file in the ready folder); a mint does not
   * return until all {@code n} children are ready, so every other child asks while the token is
   * being minted, and must wait for it rather than mint its own.
   */
  public static void main(String[] args) throws Exception {
    Path tokens = Path.of(args[0]);
    Path mints = Path.of(args[1]);
    Path ready = Path.of(args[2]);
    int n = Integer.parseInt(args[3]);
    Files.createFile(ready.resolve(Long.toString(ProcessHandle.current().pid())));
    TokenManager m = TokenManager.builder("acct", new FileTokenStore(tokens), prev -> {
      String v = UUID.randomUUID().toString();
      try {
        Files.createFile(mints.resolve(v));
        awaitFiles(ready, n);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return Token.of(v, Instant.now().plusSeconds(3600));
    }).build();
    System.out.println("TOKEN " + m.current().accessToken().reveal());
  }

  /** Blocks until {@code folder} holds {@code n} entries (a latch across processes), at most 30 s. */
  private static void awaitFiles(Path folder, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (WatchService watch = folder.getFileSystem().newWatchService()) {
      folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      while (true) {
        try (Stream<Path> s = Files.list(folder)) {
          if (s.count() >= n) return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IllegalStateException("not all " + n + " processes became ready in 30 s");
        WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }

  @Test
  void sixProcesses_emptyFile_oneMint_allSucceed() throws Exception {
    Path tokens = dir.resolve("tokens.json");
    Path mints = Files.createDirectory(dir.resolve("mints"));
    Path ready = Files.createDirectory(dir.resolve("ready"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      procs.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FileTokenStoreProcessesTest.class.getName(),
          tokens.toString(), mints.toString(), ready.toString(), "6").redirectErrorStream(true).start());
    }
    Set<String> seen = new HashSet<>();
    for (Process p : procs) {
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      assertEquals(0, p.exitValue(), out);
      out.lines().filter(l -> l.startsWith("TOKEN ")).forEach(seen::add);
    }
    try (Stream<Path> minted = Files.list(mints)) {
      assertEquals(1, minted.count(), "tokens minted by 6 processes");
    }
    assertEquals(1, seen.size(), "every process uses the one token: " + seen);
  }
}
