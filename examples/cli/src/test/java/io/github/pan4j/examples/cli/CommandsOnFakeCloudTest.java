package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as a user types them: --driver and --opt against the fake cloud over real HTTP,
 * tokens in a FileTokenStore under --state-dir.
 */
class CommandsOnFakeCloudTest {
  @TempDir Path dir;
  DemoCloud dc;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    dc = new DemoCloud(0);
    cli = new CliRunner(dir);
    cli.variables.put("PAN4J_SECRET", "demo-secret");
  }

  @AfterEach
  void tearDown() {
    dc.close();
  }

  private CliRunner.Result open(String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--driver", "123open", "--opt", "clientId=demo-client", "--opt", "clientSecret=${env:PAN4J_SECRET}",
        "--opt", "apiBaseUrl=" + dc.cloud.baseUrl("open"), "--state-dir", dir.resolve("state").toString()));
    return cli.run(a.toArray(String[]::new));
  }

  @Test
  void ls_123open_listsDemoFolder_andPersistsToken() throws Exception {
    var r = open("ls", "/Demo");
    assertEquals(0, r.code(), r::toString);
    assertEquals(List.of("Shared/", "photos/", "readme.txt"), r.out().lines().sorted().toList());
    Path tokens = dir.resolve("state/tokens.json");
    assertTrue(Files.exists(tokens), "token persisted");
    int minted = dc.open.accessTokenCalls();
    assertEquals(0, open("ls", "/").code());
    assertEquals(minted, dc.open.accessTokenCalls(), "the second run reuses the stored token");
  }

  @Test
  void stats_printsTheRequestsPerEndpoint_onStderr_andLeavesStdoutAlone() throws Exception {
    dc.open.failNext("/api/v2/file/list", 1);
    var r = open("ls", "--stats", "/Demo");
    assertEquals(0, r.code(), r::toString);
    assertEquals(List.of("Shared/", "photos/", "readme.txt"), r.out().lines().sorted().toList());
    List<String> err = r.err().lines().toList();
    assertTrue(err.stream().anyMatch(l -> l.matches("endpoint +calls +requests +failed +429s +waited +p50 +max")), r::toString);
    String[] list = row(err, "/api/v2/file/list");
    int calls = Integer.parseInt(list[1]);
    assertTrue(calls >= 1, r::toString);
    assertEquals(calls + 1, Integer.parseInt(list[2]), "one throttled request repeated: " + r);
    assertEquals("0", list[3], r::toString);
    assertEquals("1", list[4], r::toString);
    String[] token = row(err, "/api/v1/access_token");
    assertEquals(List.of("1", "1", "0", "0"), List.of(token[1], token[2], token[3], token[4]), r::toString);
    assertTrue(err.contains("token renewals: 1"), r::toString);
    assertFalse(r.err().contains("demo-secret"), r::toString);

    // Without --stats, no table.
    assertFalse(open("ls", "/Demo").err().contains("endpoint"));
  }

  @Test
  void stats_ofAGet_countTheDownloadAndItsBytes_withoutTheFilesNameOrHost() throws Exception {
    var r = open("get", "--stats", "--no-progress", "/Demo/readme.txt", "-");
    assertEquals(0, r.code(), r::toString);
    List<String> err = r.err().lines().toList();
    String[] download = row(err, "download");
    assertEquals(List.of("1", "1", "0", "0"), List.of(download[1], download[2], download[3], download[4]), r::toString);
    assertTrue(err.contains("downloaded: " + r.bytes().length + " bytes"),
        r::toString);
    assertFalse(r.err().contains("readme"), r::toString);
    assertFalse(r.err().contains("127.0.0.1") || r.err().contains("localhost"), r::toString);
  }

  private static String[] row(List<String> lines, String endpoint) {
    return lines.stream().filter(l -> l.startsWith(endpoint + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + endpoint + " in " + lines)).trim().split(" +");
  }

  @Test
  void statJson_123open_hasMd5() throws Exception {
    var r = open("stat", "--json", "/Demo/readme.txt");
    assertEquals(0, r.code(), r::toString);
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals("file", j.get("type").asText());
    assertEquals(Demo.md5(dc.cloud.store().resolve(dc.account.uid(), "/Demo/readme.txt").orElseThrow().blob().bytes()),
        j.get("md5").asText());
  }

  @Test
  void putTwice_123open_secondIsInstant_thenGetBack() throws Exception {
    Path f = cli.cwd.resolve("data.bin");
    // Over 1 MiB: smaller files go up in one request (single/create), which is never instant.
    Files.write(f, DemoCloud.random(1_100_000, 5));
    var r = open("put", "data.bin", "/Demo/");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/data.bin\n", r.out());
    int uploads = dc.cloud.requests("upload", "/").size();
    r = open("put", "data.bin", "/Demo/copy.bin");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.err().contains("instant upload"), r::toString);
    assertEquals(uploads, dc.cloud.requests("upload", "/").size(), "no bytes sent");
    r = open("put", "data.bin", "/Demo/copy.bin");
    assertEquals(4, r.code(), r::toString);
    assertTrue(r.err().contains("--overwrite") && !r.err().contains("OVERWRITE"), r::toString);
    r = open("get", "/Demo/copy.bin", "back.bin");
    assertEquals(0, r.code(), r::toString);
    assertEquals(Demo.md5(Files.readAllBytes(f)), Demo.md5(Files.readAllBytes(cli.cwd.resolve("back.bin"))));
  }

  @Test
  void wrongSecret_exit5_secretNeverPrinted() {
    cli.variables.put("PAN4J_SECRET", "s3cr3t-wrong-value");
    var r = open("ls", "/");
    assertEquals(5, r.code(), r::toString);
    assertFalse(r.err().contains("s3cr3t-wrong-value") || r.out().contains("s3cr3t-wrong-value"), r::toString);
    assertTrue(r.err().startsWith("pan4j: 123open: "), r::toString);
  }

  @Test
  void missing_exit3_andUnsupportedOnReadOnlyDriver_exit7() {
    assertEquals(3, open("stat", "/Demo/nope.txt").code());
    Map<String, String> link = dc.options().get("123link");
    Path tree = dir.resolve("tree.txt");
    try {
      Files.writeString(tree, link.get("tree"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    var r = cli.run("mkdir", "-p", "/x", "--driver", "123link", "--opt", "tree=${file:" + tree + "}",
        "--opt", "directLinkPrivateKey=" + link.get("directLinkPrivateKey"), "--opt", "directLinkUid=" + link.get("directLinkUid"));
    assertEquals(7, r.code(), r::toString);
    assertFalse(r.err().contains(DemoCloud.URL_AUTH_KEY), r::toString);
    assertFalse(r.err().contains("capabilities()"), r::toString);
  }

  @Test
  void link_123link_signedUrlOnStdout() {
    Map<String, String> link = dc.options().get("123link");
    cli.variables.put("KEY", link.get("directLinkPrivateKey"));
    cli.variables.put("TREE", link.get("tree"));
    var r = cli.run("link", "/readme.txt", "--driver", "123link", "--opt", "tree=${env:TREE}", "--opt", "directLinkPrivateKey=${env:KEY}",
        "--opt", "directLinkUid=" + link.get("directLinkUid"));
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith(dc.cloud.baseUrl("vip")) && r.out().contains("auth_key="), r::toString);
    assertTrue(r.err().contains("expires: "), r::toString);
  }
}
