package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.testkit.fake.FakeOffline;
import io.github.pan4j.testkit.fake.Node;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pan4j offline add|status|ls|rm} in-process against the fake cloud over loopback HTTP. */
class OfflineCommandTest {
  @TempDir Path dir;
  DemoCloud dc;
  CliRunner cli;
  final MockWebServer source = new MockWebServer();

  @BeforeEach
  void setUp() throws Exception {
    dc = new DemoCloud(0);
    cli = new CliRunner(dir);
    source.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void tearDown() {
    source.close();
    dc.close();
  }

  private CliRunner.Result as(String driver, String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--driver", driver));
    for (Map.Entry<String, String> e : dc.options().get(driver).entrySet()) a.addAll(List.of("--opt", e.getKey() + "=" + e.getValue()));
    a.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return cli.run(a.toArray(String[]::new));
  }

  private Node demoChild(String name) {
    return dc.cloud.store().child(dc.account.uid(), dc.demoFolder.id(), name).orElseThrow();
  }

  @Test
  void add_wait_123open_printsIdDrawsBar_andFileArrives() {
    source.enqueue(new MockResponse.Builder().body("fetched by the cloud").build());
    cli.terminal = true;
    var r = as("123open", "offline", "add", source.url("/dl/fetched.txt").toString(), "/Demo", "--wait", "--interval", "0");
    assertEquals(0, r.code(), r::toString);
    String id = r.out().strip();
    assertTrue(id.matches("\\d+"), r::toString);
    assertTrue(r.err().contains("[########################] 100%"), r::toString);
    assertTrue(r.err().contains("in_progress"), r::toString);
    assertEquals("fetched by the cloud", new String(demoChild("fetched.txt").blob().bytes()));
  }

  @Test
  void add_json_thenStatus_123open_andLsIsUnsupported() throws Exception {
    source.enqueue(new MockResponse.Builder().body("x").build());
    var r = as("123open", "offline", "add", "--json", source.url("/x.bin").toString(), "/Demo/photos");
    assertEquals(0, r.code(), r::toString);
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals("in_progress", j.get("state").asText());
    assertEquals(0.0, j.get("percent").asDouble());
    assertTrue(r.err().contains("pan4j offline status " + j.get("id").asText()), r::toString);
    var s = as("123open", "offline", "status", j.get("id").asText());
    assertEquals(0, s.code(), s::toString);
    assertTrue(s.out().startsWith(j.get("id").asText() + "\tin_progress\t33.3%"), s::toString);
    var ls = as("123open", "offline", "ls");
    assertEquals(7, ls.code(), ls::toString);
    assertTrue(ls.err().contains("offline_tasks"), ls::toString);
  }

  @Test
  void badInput_exitCodes_nothingSent() {
    var r = as("123open", "offline", "add", "ftp://127.0.0.1/a.iso", "/Demo/photos");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("http"), r::toString);
    r = as("123open", "offline", "add", source.url("/a").toString(), "/Demo/readme.txt");
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.err().contains("is a file"), r::toString);
    r = as("123open", "offline", "add", source.url("/a").toString(), "/Demo/nowhere");
    assertEquals(3, r.code(), r::toString);
    r = as("123open", "offline", "add", source.url("/a").toString(), "/");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("root folder") && r.err().contains("来自:离线下载"), r::toString);
    assertEquals(0, source.getRequestCount());
    assertEquals(0, FakeOffline.of(dc.cloud).tasks().size());
    assertEquals(2, as("123open", "offline").code());
  }

  @Test
  void add_wait_failedTask_exits1() {
    FakeOffline.of(dc.cloud).failNext(1, "资源失效", 1);
    var r = as("123open", "offline", "add", source.url("/gone.bin").toString(), "/Demo/photos", "--wait", "--interval", "0");
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.err().contains("failed"), r::toString);
  }

  @Test
  void fakeCloud_takesTheOfflineSettings() {
    var ok = cli.run("fake-cloud", "--once", "--port", "0", "--offline-polls", "0", "--offline-root-dirid", "refuse");
    assertEquals(0, ok.code(), ok::toString);
    var bad = cli.run("fake-cloud", "--once", "--port", "0", "--offline-polls", "-1");
    assertEquals(2, bad.code(), bad::toString);
    assertTrue(bad.err().contains("--offline-polls"), bad::toString);
  }

  @Test
  void fakeCloud_takesBehaviourSwitches_andNamesAnUnknownOne() {
    var ok = cli.run("fake-cloud", "--once", "--port", "0", "--set", "open.qps=false", "--set", "web.rateLimiting=false");
    assertEquals(0, ok.code(), ok::toString);
    var bad = cli.run("fake-cloud", "--once", "--port", "0", "--set", "open.speed=fast");
    assertEquals(2, bad.code(), bad::toString);
    assertTrue(bad.err().contains("no setting 'open.speed'"), bad::toString);
  }

  @Test
  void ls_json_and_rm_123pan() throws Exception {
    source.enqueue(new MockResponse.Builder().body("web").build());
    var r = as("123pan", "offline", "add", source.url("/w.txt").toString(), "/Demo", "--wait", "--interval", "0", "--json");
    assertEquals(0, r.code(), r::toString);
    JsonNode done = Json.mapper().readTree(r.out());
    assertEquals("succeeded", done.get("state").asText());
    assertEquals("w.txt", done.get("name").asText());
    var ls = as("123pan", "offline", "ls", "--json");
    assertEquals(0, ls.code(), ls::toString);
    JsonNode a = Json.mapper().readTree(ls.out());
    assertEquals(1, a.size());
    assertEquals(done.get("id").asText(), a.get(0).get("id").asText());
    var plain = as("123pan", "offline", "ls");
    assertEquals(done.get("id").asText() + "\tsucceeded\t100.0%\tw.txt\n", plain.out());
    assertEquals(0, as("123pan", "offline", "rm", done.get("id").asText()).code());
    assertEquals("", as("123pan", "offline", "ls").out());
    assertEquals("web", new String(demoChild("w.txt").blob().bytes()));
  }
}
