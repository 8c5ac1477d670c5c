package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients, password guessing, malformed uploads, cookie flags and file modes. The host runs
 * on a frozen clock (the login throttle never thaws during the test) with a 2 s idle timeout.
 */
class SecurityTest {
  private static final Duration IDLE = Duration.ofSeconds(2);
  @TempDir static Path dir;
  static HostFixture f;

  @BeforeAll
  static void start() throws Exception {
    Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    f = new HostFixture(dir, null, false, frozen, c -> c.withTimeouts(IDLE, Duration.ofSeconds(2)).withTrustProxy(true));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void halfHeaders_on64Connections_doNotStopPages_andAreClosedByTheIdleTimeout() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        Socket s = new Socket("127.0.0.1", f.host.port());
        s.getOutputStream().write("GET /b/disk HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }
      long t0 = System.nanoTime();
      HttpResponse<String> page = f.get("/b/disk");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(200, page.statusCode());
      assertTrue(ms < 1000, "a normal page took " + ms + " ms while 64 connections held half a header");
      long closeStart = System.nanoTime();
      for (Socket s : slow) {
        s.setSoTimeout((int) IDLE.multipliedBy(4).toMillis());
        InputStream in = s.getInputStream();
        try {
          // The server answers (408/400) and closes, or just closes; it never waits for the rest.
          while (in.read() >= 0) { }
        } catch (SocketTimeoutException e) {
          throw new AssertionError("a half-header connection was still open after " + IDLE.multipliedBy(4), e);
        } catch (java.io.IOException reset) {
          // closed with a reset: also closed
        }
      }
      long closedAfter = (System.nanoTime() - closeStart) / 1_000_000;
      assertTrue(closedAfter < IDLE.multipliedBy(3).toMillis(), "closing took " + closedAfter + " ms");
    } finally {
      for (Socket s : slow) s.close();
    }
  }

  /** A login POST from a given local address (127.0.0.x is all loopback), over a raw socket. */
  private static String loginFrom(String localAddress, String password) throws Exception {
    String body = "user=" + HostFixture.USER + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      s.connect(new InetSocketAddress("127.0.0.1", f.host.port()));
      OutputStream out = s.getOutputStream();
      out.write(("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void twentyWrongLogins_areThrottled_whileAnotherClientStillLogsIn() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    String last = null;
    for (int i = 0; i < 20; i++) {
      last = loginFrom("127.0.0.3", "wrong password " + i);
      statuses.add(Integer.parseInt(last.substring(9, 12)));
    }
    // Five free tries, the sixth fails and starts a 1 s wait, which never ends on the frozen clock.
    assertEquals(List.of(401, 401, 401, 401, 401, 401), statuses.subList(0, 6), statuses.toString());
    assertTrue(statuses.subList(6, 20).stream().allMatch(s -> s == 429), statuses.toString());
    assertTrue(last.contains("Retry-After: "), last);
    assertTrue(Jsoup.parse(last.substring(last.indexOf("\r\n\r\n"))).select("#login-error").text().contains("Too many failed logins"));
    // The throttled client cannot log in even with the right password ...
    assertTrue(loginFrom("127.0.0.3", HostFixture.PASSWORD).startsWith("HTTP/1.1 429"));
    // ... but another client can.
    String ok = loginFrom("127.0.0.4", HostFixture.PASSWORD);
    assertTrue(ok.startsWith("HTTP/1.1 303"), ok);
  }

  @Test
  void parallelWrongLogins_areThrottledToo() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
    try {
      List<java.util.concurrent.Future<String>> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        all.add(pool.submit(() -> loginFrom("127.0.0.5", "parallel guess " + n)));
      }
      int refused = 0;
      int checked = 0;
      for (var fu : all) {
        String r = fu.get();
        if (r.startsWith("HTTP/1.1 429")) refused++;
        else if (r.startsWith("HTTP/1.1 401")) checked++;
      }
      // Five free tries, the sixth failure, and at most the one guess in the other hashing slot:
      // a failure is counted before its slot is released, so no later guess gets past the check.
      assertTrue(checked >= 6 && checked <= 7 && refused + checked == 20, "checked " + checked + ", refused " + refused);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cookie_isSecure_behindAProxyThatSaysHttps_andSessionsFileIsOwnerOnly() throws Exception {
    HttpResponse<String> r = f.http.send(HttpRequest.newBuilder(URI.create(f.base() + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-For", "198.51.100.7")
        .POST(HttpRequest.BodyPublishers.ofString("user=admin&password=" + URLEncoder.encode(HostFixture.PASSWORD, StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(303, r.statusCode(), r.body());
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
    HostFixture.Login plain = f.login();
    assertFalse(plain.setCookie().contains("Secure"), plain.setCookie());
    Path sessions = dir.resolve("state/sessions.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)));
    String token = plain.cookie().substring(plain.cookie().indexOf('=') + 1);
    assertFalse(Files.readString(sessions).contains(token), "the sessions file must hold digests, not cookie values");
  }

  @Test
  void multipart_withCrLfInTheFilename_is400WithAReason_andStoresNothing() throws Exception {
    HttpResponse<String> r = f.upload(f.login(), "/disk", false, "evil\r\nX-Injected: 1.txt", "payload");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Jsoup.parse(r.body()).select("#error").text().contains("multipart"), r.body());
    try (var s = Files.list(f.data)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("evil")));
    }
  }

  @Test
  void mountsFile_writtenByTheAdminPage_isOwnerOnly() throws Exception {
    HostFixture.Login l = f.login();
    HttpResponse<String> r = f.post("/admin/unmount", l.cookie(), l.form("mountPath", "/signed"));
    assertEquals(303, r.statusCode(), r.body());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("mounts.json"))));
  }
}
