package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mounts.json holds each option in its ConfigSchema type (a checkbox as true/false, a number as a
 * number), and still reads the text form that older hosts wrote.
 */
class MountsFileTypesTest {
  @TempDir Path dir;

  private static JsonNode options(Path mountsFile, String path) throws Exception {
    for (JsonNode n : Json.mapper().readTree(Files.readString(mountsFile)).get("mounts")) {
      if (n.get("path").asText().equals(path)) return n.get("options");
    }
    throw new AssertionError("no mount " + path + " in " + Files.readString(mountsFile));
  }

  /** The size column of big.bin (3000 B) on the mount's listing: empty when the driver reports no sizes. */
  private static String bigBinSize(HostFixture f, String mount) throws Exception {
    HttpResponse<String> r = f.get("/b" + mount);
    assertEquals(200, r.statusCode(), r.body());
    var row = Jsoup.parse(r.body()).selectFirst("tr[data-path=" + mount + "/big.bin]");
    assertTrue(row != null, "big.bin is listed on " + mount + ": " + r.body());
    return row.select("td.num").text();
  }

  @Test
  void oldTextOptions_andTypedOptions_bothWork_andSavingTheFormWritesEveryMountTyped() throws Exception {
    ArrayNode extra = Json.mapper().createArrayNode();
    // as hosts before typed options wrote them: every value a string
    ObjectNode old = extra.addObject().put("path", "/old").put("driver", "testdisk").put("download", "proxy");
    old.putObject("options").put("root", dir.resolve("data").toString()).put("baseUrl", "http://127.0.0.1:9/files")
        .put("pageSize", "2").put("unknownSizes", "true").put("readOnly", "false");
    // hand-written with JSON types, and a null meaning "left out" (the default applies)
    ObjectNode typed = extra.addObject().put("path", "/typed").put("driver", "testdisk").put("download", "proxy");
    typed.putObject("options").put("root", dir.resolve("data").toString()).put("baseUrl", "http://127.0.0.1:9/files")
        .put("pageSize", 2).put("unknownSizes", true).put("readOnly", false).putNull("linkTtl");
    try (HostFixture f = new HostFixture(dir, extra, false)) {
      Path mountsFile = dir.resolve("mounts.json");
      assertEquals("", bigBinSize(f, "/old"), "\"unknownSizes\": \"true\" is read as true");
      assertEquals("", bigBinSize(f, "/typed"), "\"unknownSizes\": true is read as true");
      assertEquals("2.9 KiB", bigBinSize(f, "/disk"), "a mount without unknownSizes shows sizes");

      HostFixture.Login l = f.login();
      Map<String, String> form = l.form("driver", "testdisk", "mountPath", "/added", "download", "proxy",
          "opt.root", f.data.toString(), "opt.baseUrl", f.cdn.baseUrl(), "opt.region", "west",
          "opt.pageSize", "50", "opt.linkTtl", "5m", "opt.unknownSizes", "true");
      // opt.readOnly is left out: an unticked checkbox is not sent at all
      HttpResponse<String> r = f.post("/admin/mount", l.cookie(), form);
      assertEquals(303, r.statusCode(), r.body());

      JsonNode added = options(mountsFile, "/added");
      assertEquals(JsonNodeType.BOOLEAN, added.get("readOnly").getNodeType(), "an unticked box: " + added);
      assertFalse(added.get("readOnly").booleanValue());
      assertEquals(JsonNodeType.BOOLEAN, added.get("unknownSizes").getNodeType(), "a ticked box: " + added);
      assertTrue(added.get("unknownSizes").booleanValue());
      assertTrue(added.get("pageSize").isIntegralNumber(), "INT as a number: " + added);
      assertEquals(50, added.get("pageSize").intValue());
      assertEquals("5m", added.get("linkTtl").textValue(), "DURATION stays text");
      assertEquals("west", added.get("region").textValue(), "ENUM stays text");
      assertEquals("", bigBinSize(f, "/added"));

      // the save rewrote the other mounts too: the old text form is now typed, the null left out
      JsonNode rewritten = options(mountsFile, "/old");
      assertEquals(JsonNodeType.BOOLEAN, rewritten.get("unknownSizes").getNodeType(), rewritten.toString());
      assertTrue(rewritten.get("unknownSizes").booleanValue());
      assertEquals(JsonNodeType.BOOLEAN, rewritten.get("readOnly").getNodeType(), rewritten.toString());
      assertEquals(2, rewritten.get("pageSize").intValue());
      assertTrue(rewritten.get("pageSize").isIntegralNumber(), rewritten.toString());
      assertEquals(dir.resolve("data").toString(), rewritten.get("root").textValue());
      JsonNode typedAgain = options(mountsFile, "/typed");
      assertFalse(typedAgain.has("linkTtl"), "a null option is not written back as \"null\": " + typedAgain);
      assertTrue(typedAgain.get("pageSize").isIntegralNumber(), typedAgain.toString());
    }
  }
}
