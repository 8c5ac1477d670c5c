package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.internal.http.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pan4j share create|ls} in-process against the fake cloud: output, --json and exit codes. */
class ShareCommandTest {
  @TempDir Path dir;
  DemoCloud dc;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    dc = new DemoCloud(0);
    cli = new CliRunner(dir);
  }

  @AfterEach
  void tearDown() {
    dc.close();
  }

  private CliRunner.Result open(String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--driver", "123open", "--opt", "clientId=demo-client", "--opt", "clientSecret=demo-secret",
        "--opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--state-dir", dir.resolve("state").toString()));
    return cli.run(a.toArray(String[]::new));
  }

  private long creates() {
    return dc.cloud.requests("open", "/api/v1/share/create").size();
  }

  @Test
  void create_printsTheLinkWithCode_andTheLinkOpensWith123share() {
    var r = open("share", "create", "/Demo/readme.txt", "/Demo/photos", "--expire", "7", "--password", "Zx12");
    assertEquals(0, r.code(), r::toString);
    String link = r.out().strip();
    assertTrue(link.matches("https://www\\.123pan\\.com/s/[A-Za-z0-9-]+\\?pwd=Zx12"), r::toString);
    assertTrue(r.err().contains("code: Zx12") && r.err().contains("expires: "), r::toString);

    var ls = cli.run("ls", "/", "--driver", "123share", "--opt", "shareUrl=" + link, "--opt",
        "apiBaseUrl=" + dc.cloud.baseUrl("web"));
    assertEquals(0, ls.code(), ls::toString);
    assertEquals(List.of("photos/", "readme.txt"), ls.out().lines().sorted().toList());
  }

  @Test
  void ls_textAndJson_showTheShares() throws Exception {
    assertEquals(0, open("share", "create", "/Demo/readme.txt", "--name", "for bob", "--password", "ab12").code());
    assertEquals(0, open("share", "create", "/Demo/photos", "--expire", "1").code());
    var r = open("share", "ls");
    assertEquals(0, r.code(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r::toString);
    assertTrue(lines.get(0).contains("ab12") && lines.get(0).contains("never") && lines.get(0).endsWith("for bob"), r::toString);
    assertTrue(lines.get(1).endsWith("photos") && !lines.get(1).contains("never"), r::toString);

    var j = open("share", "ls", "--json");
    assertEquals(0, j.code(), j::toString);
    JsonNode a = Json.mapper().readTree(j.out());
    assertEquals(2, a.size());
    assertEquals("for bob", a.get(0).get("name").asText());
    assertEquals("ab12", a.get(0).get("password").asText());
    assertTrue(a.get(0).get("expiresAt").isNull());
    assertTrue(a.get(0).get("link").asText().endsWith("?pwd=ab12"));
    assertTrue(a.get(1).get("password").isNull());
    assertFalse(a.get(1).get("expiresAt").isNull());
  }

  @Test
  void createJson_hasKeyUrlAndExpiry() throws Exception {
    var r = open("share", "create", "/Demo/readme.txt", "--expire", "30", "--json");
    assertEquals(0, r.code(), r::toString);
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals("readme.txt", j.get("name").asText());
    assertTrue(j.get("url").asText().endsWith("/s/" + j.get("key").asText()));
    assertFalse(j.get("expiresAt").isNull());
  }

  @Test
  void badInput_exit2_beforeAnythingIsSent() {
    var days = open("share", "create", "/Demo/readme.txt", "--expire", "3");
    assertEquals(2, days.code(), days::toString);
    assertTrue(days.err().contains("1, 7 or 30"), days::toString);
    var code = open("share", "create", "/Demo/readme.txt", "--password", "toolong");
    assertEquals(2, code.code(), code::toString);
    assertTrue(code.err().contains("4 letters or digits"), code::toString);
    assertFalse(code.err().contains("toolong"), "the code is not echoed");
    List<String> many = new ArrayList<>(List.of("share", "create"));
    for (int i = 0; i < 101; i++) many.add("/Demo/f" + i);
    var tooMany = open(many.toArray(String[]::new));
    assertEquals(2, tooMany.code(), tooMany::toString);
    assertTrue(tooMany.err().contains("at most 100"), tooMany::toString);
    assertEquals(2, open("share", "create").code());
    assertEquals(2, open("share", "frobnicate").code());
    assertEquals(0, creates(), "nothing was sent to share/create");
  }

  @Test
  void missingPath_exit3_andUnsupportedDriver_exit7() {
    var missing = open("share", "create", "/Demo/nope.txt");
    assertEquals(3, missing.code(), missing::toString);
    assertTrue(missing.err().contains("/Demo/nope.txt"), missing::toString);
    cli.drive = Drive.of(Drives.create().provider("memory").openWith(java.util.Map.of(), io.github.pan4j.core.spi.DriverContext.defaults()));
    var memory = cli.run("share", "ls");
    assertEquals(7, memory.code(), memory::toString);
  }
}
