package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code put --hash md5:HEX --size N REMOTE} and the {@code stat --json} it relies on, on the fake 123 cloud. */
class HashPutTest {
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

  private int uploadRequests() {
    return dc.cloud.requests("open", "/upload/").size() + dc.cloud.requests("upload", "/").size();
  }

  @Test
  void statJson_thenPutHash_createsTheFileWithoutSendingBytes() throws Exception {
    var stat = open("stat", "--json", "/Demo/readme.txt");
    assertEquals(0, stat.code(), stat::toString);
    JsonNode s = Json.mapper().readTree(stat.out());
    String md5 = s.get("md5").asText();
    long size = s.get("size").asLong();
    assertEquals("readme.txt", s.get("name").asText());
    assertTrue(s.hasNonNull("id") && s.has("sha1"), stat::toString);

    var r = open("put", "--hash", "md5:" + md5.toUpperCase(), "--size", Long.toString(size), "/Demo/again.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/again.txt\n", r.out());
    assertTrue(r.err().contains("instant upload") && r.err().contains("no bytes were sent"), r::toString);
    assertTrue(dc.cloud.requests("upload", "/").isEmpty(), "nothing reached the upload server");

    var j = open("put", "--json", "--hash", "md5:" + md5, "--size", Long.toString(size), "/Demo/third.txt");
    assertEquals(0, j.code(), j::toString);
    JsonNode e = Json.mapper().readTree(j.out());
    assertEquals("/Demo/third.txt", e.get("path").asText());
    assertEquals(md5, e.get("md5").asText());
    assertEquals(size, e.get("size").asLong());
  }

  @Test
  void unknownContent_exit3_nothingSent() {
    var r = open("put", "--hash", "md5:0123456789abcdef0123456789abcdef", "--hash", "sha1:" + "ab".repeat(20),
        "--size", "12345", "/Demo/unknown.bin");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().contains("upload the file's bytes"), r::toString);
    assertEquals("", r.out());
    assertTrue(dc.cloud.requests("upload", "/").isEmpty(), "no slice sent");
    assertTrue(dc.cloud.store().resolve(dc.account.uid(), "/Demo/unknown.bin").isEmpty(), "nothing created");
  }

  @Test
  void badInput_exit2_beforeAnythingIsSent() {
    int before = uploadRequests();
    var md5 = open("put", "--hash", "md5:xyz", "--size", "10", "/Demo/x.bin");
    assertEquals(2, md5.code(), md5::toString);
    assertTrue(md5.err().contains("32 hex digits"), md5::toString);
    var size = open("put", "--hash", "md5:0123456789abcdef0123456789abcdef", "--size", "-1", "/Demo/x.bin");
    assertEquals(2, size.code(), size::toString);
    assertTrue(size.err().contains("-1"), size::toString);
    var noSize = open("put", "--hash", "md5:0123456789abcdef0123456789abcdef", "/Demo/x.bin");
    assertEquals(2, noSize.code(), noSize::toString);
    assertTrue(noSize.err().contains("--size"), noSize::toString);
    var alg = open("put", "--hash", "crc32:abcd", "--size", "10", "/Demo/x.bin");
    assertEquals(2, alg.code(), alg::toString);
    var folder = open("put", "--hash", "md5:0123456789abcdef0123456789abcdef", "--size", "10", "/Demo/");
    assertEquals(2, folder.code(), folder::toString);
    var both = open("put", "--hash", "md5:0123456789abcdef0123456789abcdef", "--size", "10", "local.bin", "/Demo/x.bin");
    assertEquals(2, both.code(), both::toString);
    assertEquals(before, uploadRequests(), "no upload call was made");
  }
}
