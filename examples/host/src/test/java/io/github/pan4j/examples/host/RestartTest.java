package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart keeps the admin's session and the drivers' tokens (both live in the state folder). */
class RestartTest {
  @TempDir Path dir;

  @Test
  void restart_keepsTheSession_andMintsNoNewToken() throws Exception {
    try (FakeCloudFixture f = new FakeCloudFixture(dir)) {
      OpenApiFrontDoor open = f.demo.cloud.door(OpenApiFrontDoor.class);
      assertEquals(200, f.get("/b/123open/Demo").statusCode());
      int minted = open.accessTokenCalls();
      assertTrue(minted >= 1, "listing a 123open mount needs a token");
      String cookie = f.login();
      assertEquals(200, f.get("/admin", "Cookie", cookie).statusCode());
      for (int i = 0; i < 3; i++) {
        f.restart();
        HttpResponse<String> admin = f.get("/admin", "Cookie", cookie);
        assertEquals(200, admin.statusCode(), "restart " + (i + 1) + " logged the admin out");
        assertTrue(Jsoup.parse(admin.body()).select("#mounts td").eachText().contains("/123open"));
        assertEquals(200, f.get("/b/123open/Demo").statusCode());
      }
      assertEquals(minted, open.accessTokenCalls(), "a restart minted a new 123open token");
    }
  }
}
