package io.github.pan4j.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Child: mints (by creating a uniquely named file) through a TokenManager over the shared file. */
  public static void main(String[] args) throws Exception {
    Path tokens = Path.of(args[0]);
    Path mints = Path.of(args[1]);
    TokenManager m = TokenManager.builder("acct", new FileTokenStore(tokens), prev -> {
      String v = UUID.randomUUID().toString();
      try {
        Files.createFile(mints.resolve(v));
        Thread.sleep(50); // a token endpoint takes a while; the others must wait, not mint
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return Token.of(v, Instant.now().plusSeconds(3600));
    }).build();
    System.out.println("TOKEN " + m.current().accessToken().reveal());
  }

  @Test
  void sixProcesses_emptyFile_oneMint_allSucceed() throws Exception {
    Path tokens = dir.resolve("tokens.json");
    Path mints = Files.createDirectory(dir.resolve("mints"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      procs.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FileTokenStoreProcessesTest.class.getName(),
          tokens.toString(), mints.toString()).redirectErrorStream(true).start());
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
