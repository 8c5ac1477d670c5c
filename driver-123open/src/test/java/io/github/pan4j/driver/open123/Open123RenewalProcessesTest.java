package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.RenewalServiceFrontDoor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs on one token file, both configured with the same expired access token and the same
 * single-use refresh token of a token renewal service: one renewal between them, both list.
 */
class Open123RenewalProcessesTest extends Open123Fixture {
  @TempDir Path dir;

  @Test
  void twoProcesses_expiredToken_oneRenewal_bothList() throws Exception {
    RenewalServiceFrontDoor service = cloud.door(RenewalServiceFrontDoor.class);
    RenewalServiceFrontDoor.Login login = service.login(demo);
    clock.advance(Duration.ofHours(3)); // the access token has expired at 123
    // Make the race real: the renewal's reply is held until both processes have had their first
    // call (user info, then the listing) refused with the expired token, so the second one is
    // waiting for the first one's renewal rather than arriving after it.
    CountDownLatch refused = new CountDownLatch(2);
    cloud.inject("open", r -> true, Fault.hold(refused::countDown), 2);
    cloud.inject("login", r -> r.path().equals(RenewalServiceFrontDoor.PATH), Fault.hold(() -> {
      try {
        refused.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }), 2);

    Path tokens = dir.resolve("tokens.json");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RenewalChild.class.getName(),
          cloud.baseUrl("open"), tokens.toString(), service.url()).redirectErrorStream(true).start();
      p.getOutputStream().write((login.accessToken() + "\n" + login.refreshToken() + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      children.add(p);
      outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }
    // Both drivers are open (configuration seeded into the shared file) before either lists.
    List<StringBuilder> seen = new ArrayList<>();
    for (BufferedReader out : outputs) {
      StringBuilder lines = new StringBuilder();
      for (String line = out.readLine(); line != null && !line.equals("OPENED"); line = out.readLine()) {
        lines.append(line).append('\n');
      }
      seen.add(lines);
    }
    for (Process p : children) {
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
    }
    for (int i = 0; i < 2; i++) {
      Process p = children.get(i);
      String out = seen.get(i) + String.join("\n", outputs.get(i).lines().toList());
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "child finished");
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("LISTED "), out);
    }
    assertEquals(0, refused.getCount(), "both processes called with the expired token first");
    assertEquals(2, cloud.requests("open", "/api/").stream().filter(r -> r.header("Authorization").endsWith(login.accessToken()))
        .count(), "both processes were refused with the expired token, once each");
    assertEquals(1, service.renewals(), "renewals between the two processes");
    assertEquals(0, service.refused(), "nobody replayed the spent refresh token");
  }
}
