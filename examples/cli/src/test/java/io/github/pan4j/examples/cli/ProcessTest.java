package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Fault;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a real process: signals, logging binding. */
class ProcessTest {
  @TempDir Path dir;

  private ProcessBuilder pan4j(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-Duser.home=" + dir.resolve("home"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PAN4J_"));
    return pb;
  }

  /** Blocks until a file matching {@code match} exists in {@code folder} (file-system events, no polling sleep). */
  private static Path awaitFile(Path folder, Predicate<String> match, Process p) throws Exception {
    try (WatchService w = FileSystems.getDefault().newWatchService()) {
      folder.register(w, StandardWatchEventKinds.ENTRY_CREATE);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        try (Stream<Path> s = Files.list(folder)) {
          var found = s.filter(f -> match.test(f.getFileName().toString())).findFirst();
          if (found.isPresent()) return found.get();
        }
        assertTrue(p.isAlive(), "the command ended before the file appeared");
        WatchKey k = w.poll(1, TimeUnit.SECONDS);
        if (k != null) {
          k.pollEvents();
          k.reset();
        }
      }
      throw new AssertionError("no file appeared in " + folder);
    }
  }

  @Test
  void sigtermDuringGet_removesPartFile_andSaysSo() throws Exception {
    Files.createDirectories(dir.resolve("tmp"));
    Path out = Files.createDirectories(dir.resolve("out"));
    try (DemoCloud dc = new DemoCloud(0)) {
      dc.cloud.inject("cdn", req -> true, Fault.slow(Duration.ofSeconds(20)), 1);
      Process p = pan4j("get", "/Demo/readme.txt", out + "/", "--driver", "123open", "--opt", "clientId=demo-client",
          "--opt", "clientSecret=demo-secret", "--opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"),
          "--state-dir", dir.resolve("state").toString())
          .redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
      Path part = awaitFile(out, n -> n.endsWith(".pan4j-part"), p);
      assertTrue(part.getFileName().toString().startsWith(".readme.txt."), part.toString());
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(143, p.exitValue());
      try (Stream<Path> s = Files.list(out)) {
        assertEquals(List.of(), s.toList(), "no part file, no target");
      }
      String err = Files.readString(dir.resolve("err.txt"));
      assertTrue(err.contains("pan4j: interrupted; the partial download " + part.getFileName() + " was removed"), err);
    }
  }

  /**
   * The stop can come after 123 created the file but before its answer arrived (here: the fake
   * stores the upload and holds its reply). The hook cannot know, so it must not say nothing was
   * uploaded.
   */
  @Test
  void sigtermWhileUploadCompletes_doesNotClaimNothingWasUploaded() throws Exception {
    Files.createDirectories(dir.resolve("tmp"));
    java.util.concurrent.CountDownLatch stored = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (DemoCloud dc = new DemoCloud(0)) {
      dc.cloud.inject("upload", req -> true, Fault.hold(() -> {
        stored.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }), 1);
      Process p = pan4j("put", "-", "/Demo/in.txt", "--driver", "123open", "--opt", "clientId=demo-client",
          "--opt", "clientSecret=demo-secret", "--opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"),
          "--state-dir", dir.resolve("state").toString())
          .redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write("from stdin\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      try {
        assertTrue(stored.await(60, TimeUnit.SECONDS), "the upload reached the fake");
        assertTrue(dc.cloud.store().children(dc.account.uid(), dc.demoFolder.id(), false).stream().anyMatch(n -> n.name().equals("in.txt")),
            "123 has the file");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      } finally {
        release.countDown();
      }
      assertEquals(143, p.exitValue());
      String err = Files.readString(dir.resolve("err.txt"));
      assertTrue(err.contains("pan4j: interrupted; the staged copy of stdin was removed"), err);
      assertFalse(err.contains("nothing was uploaded"), err);
    }
  }

  @Test
  void sigtermDuringPutStdin_removesStagedCopy() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Process p = pan4j("put", "-", "/in.bin", "--driver", "memory")
        .redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
    OutputStream stdin = p.getOutputStream();
    stdin.write(new byte[64 * 1024]);
    stdin.flush(); // and keep it open: the command is still reading
    Path staged = awaitFile(tmp, n -> n.startsWith("pan4j-stdin-"), p);
    p.destroy();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(143, p.exitValue());
    assertFalse(Files.exists(staged), "staged copy removed");
    String err = Files.readString(dir.resolve("err.txt"));
    assertTrue(err.contains("the staged copy of stdin was removed"), err);
    stdin.close();
  }

  @Test
  void loggingBinding_noSlf4jNotice_andDebugOnRequest() throws Exception {
    Files.createDirectories(dir.resolve("tmp"));
    Process p = pan4j("ls", "--driver", "memory").redirectErrorStream(true).start();
    String all = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), all);
    assertFalse(all.contains("SLF4J"), all);
  }
}
