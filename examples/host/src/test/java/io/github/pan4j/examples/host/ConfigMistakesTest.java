package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.pan4j.core.internal.http.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config files a newcomer gets wrong: the host says which file, where and what to do, and never
 * runs on a default in place of what was written, nor saves over mounts it could not read.
 */
class ConfigMistakesTest {
  @TempDir Path dir;

  private static final String MOUNTS = """
      {
        "mounts": [
          { "path": "/123", "driver": "123open", "download": "auto"
            "options": { "clientId": "id", "clientSecret": "hand-written-secret" } }
        ]
      }
      """;

  /**
   * A host.json or mounts.json that is no readable file (here a folder of that name) stops the start
   * with one line naming it and why, not a stack trace from the JSON reader.
   */
  @Test
  void configFileThatCannotBeRead_stopsTheStart_inOneLine() throws Exception {
    Path hostJson = Files.createDirectories(dir.resolve("host.json"));
    ConfigError e = assertThrows(ConfigError.class, () -> HostConfig.load(hostJson, Host.JSON));
    assertTrue(e.getMessage().startsWith(hostJson + " cannot be read ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("make it a file this user may read, or fix it, or start with --config pointing at"
        + " another file"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    Path mounts = Files.createDirectories(dir.resolve("mounts.json"));
    HostConfig c = HostConfig.defaults(dir).withPort(0).withDirs(Files.createDirectories(dir.resolve("plugins")), mounts);
    ConfigError m = assertThrows(ConfigError.class, () -> new Host(c, Clock.systemUTC()).start());
    assertTrue(m.getMessage().contains(mounts + " cannot be read ("), m.getMessage());
  }

  /**
   * An empty mounts file (made with touch, or only white space) holds no mounts to lose: the host
   * starts with none, as with no file, and the admin page's first save writes it.
   */
  @Test
  void emptyMountsFile_isNoMounts() throws Exception {
    Path mounts = Files.writeString(dir.resolve("mounts.json"), " \n");
    HostConfig c = HostConfig.defaults(dir).withPort(0).withDirs(Files.createDirectories(dir.resolve("plugins")), mounts);
    try (Host host = new Host(c, Clock.systemUTC()).start()) {
      assertTrue(host.mounts().all().isEmpty());
      assertTrue(host.mounts().problems().isEmpty(), host.mounts().problems().toString());
    }
    Files.writeString(mounts, "");
    try (Host host = new Host(c, Clock.systemUTC()).start()) {
      assertTrue(host.mounts().all().isEmpty());
    }
  }

  @Test
  void mountsFileThatIsNotJson_stopsTheStart_andIsLeftAsItWas() throws Exception {
    Path mounts = Files.writeString(dir.resolve("mounts.json"), MOUNTS);
    HostConfig c = HostConfig.defaults(dir).withPort(0).withDirs(Files.createDirectories(dir.resolve("plugins")), mounts);
    ConfigError e = assertThrows(ConfigError.class, () -> new Host(c, Clock.systemUTC()).start());
    assertTrue(e.getMessage().startsWith(mounts + " is not valid JSON: line 4, column 7: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("; fix it (the admin page rewrites this file), or move it away to start with no mounts"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertFalse(e.getMessage().contains("hand-written-secret"), e.getMessage());
    assertEquals(MOUNTS, Files.readString(mounts));

    Files.writeString(mounts, "{\"mounts\": [{\"path\": \"/123\", \"driver\": \"123open\",\n"
        + "  \"options\": {\"clientSecret\": unquoted-s3cret}}]}");
    String bare = assertThrows(ConfigError.class, () -> new Host(c, Clock.systemUTC()).start()).getMessage();
    assertTrue(bare.startsWith(mounts + " is not valid JSON: line 2, column "), bare);
    assertTrue(bare.contains("Unrecognized word (a value without quotes?)"), bare);
    assertFalse(bare.contains("s3cret"), "a value typed without quotes may be a secret: " + bare);

    Files.writeString(mounts, "{\"mount\": []}");
    assertEquals(mounts + " has no \"mounts\" array, e.g. {\"mounts\": []}; fix it (the admin page rewrites this file),"
        + " or move it away to start with no mounts",
        assertThrows(ConfigError.class, () -> new Host(c, Clock.systemUTC()).start()).getMessage());
  }

  @Test
  void mountThatCannotBeUsed_isShownOnTheAdminPage_andSavingAnotherMountKeepsItInTheFile() throws Exception {
    ArrayNode extra = Json.mapper().createArrayNode();
    extra.addObject().put("path", "/typo").put("drvier", "123open").putObject("options").put("clientSecret", "keep-me");
    try (HostFixture f = new HostFixture(dir, extra, false)) {
      HostFixture.Login l = f.login();
      String problem = "mount #6 in " + dir.resolve("mounts.json") + " ignored: \"path\" and \"driver\" are required;"
          + " fix it there and restart";
      List<String> shown = Jsoup.parse(f.get("/admin", "Cookie", l.cookie()).body()).select(".problem").eachText();
      assertEquals(List.of(problem), shown);
      HttpResponse<String> saved = f.post("/admin/mount", l.cookie(), l.form("driver", "testdisk", "mountPath", "/added",
          "download", "proxy", "opt.root", f.data.toString(), "opt.baseUrl", f.cdn.baseUrl()));
      assertEquals(303, saved.statusCode(), saved.body());
      List<String> paths = new ArrayList<>();
      JsonNode typo = null;
      for (JsonNode m : Json.mapper().readTree(dir.resolve("mounts.json").toFile()).get("mounts")) {
        paths.add(m.path("path").asText());
        if (m.path("path").asText().equals("/typo")) typo = m;
      }
      assertEquals(List.of("/added", "/disk", "/guarded", "/nosize", "/proxied", "/signed", "/typo"), paths);
      assertEquals("keep-me", typo.path("options").path("clientSecret").asText(), typo.toString());
      assertEquals("123open", typo.path("drvier").asText(), "kept as written: " + typo);
    }
  }

  /** The edit form of a stored mount whose options do not validate shows each problem at its field. */
  @Test
  void mountWithBadOptions_itsEditFormShowsEachProblemAtItsField() throws Exception {
    ArrayNode extra = Json.mapper().createArrayNode();
    extra.addObject().put("path", "/badopts").put("driver", "testdisk").put("download", "proxy").putObject("options")
        .put("root", dir.resolve("data").toString()).put("baseUrl", "http://127.0.0.1:9/files").put("pageSize", "0")
        .put("token", "hush-hush-42");
    try (HostFixture f = new HostFixture(dir, extra, false)) {
      HostFixture.Login l = f.login();
      String page = f.get("/admin?edit=%2Fbadopts", "Cookie", l.cookie()).body();
      var settings = Jsoup.parse(page).selectFirst("#settings");
      assertEquals(List.of("option 'pageSize' must be between 1 and 1000 but was 0"),
          settings.select("label:has([name=opt.pageSize]) .field-problem").eachText());
      assertEquals(1, settings.select(".field-problem").size(), settings.select(".field-problem").eachText()::toString);
      assertFalse(page.contains("hush-hush-42"), "secrets are write-only");
      String good = f.get("/admin?edit=%2Fdisk", "Cookie", l.cookie()).body();
      assertEquals(0, Jsoup.parse(good).select("#settings .field-problem").size(), "a mount that validates shows none");
    }
  }

  @Test
  void hostConfigMistakes_nameTheFileAndTheKey_insteadOfRunningOnDefaults() throws Exception {
    Path file = dir.resolve("host.json");
    Files.writeString(file, "{ \"port\": 5244,\n  \"bind\": \"127.0.0.1\"\n  \"plugins\": \"plugins\" }");
    ConfigError syntax = assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper()));
    assertTrue(syntax.getMessage().startsWith(file + " is not valid JSON: line 3, column 3: "), syntax.getMessage());
    assertFalse(syntax.getMessage().contains("\n"), syntax.getMessage());

    Files.writeString(file, "{\"port\": \"abc\"}");
    assertEquals(file + ": \"port\" must be a whole number from 0 to 65535, not \"abc\"",
        assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage());
    Files.writeString(file, "{\"maxUploadMb\": \"10G\"}");
    assertTrue(assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage()
        .startsWith(file + ": \"maxUploadMb\" must be a whole number from 1 to "));
    Files.writeString(file, "{\"trustProxy\": \"yes\"}");
    assertEquals(file + ": \"trustProxy\" must be true or false, not \"yes\"",
        assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage());
    Files.writeString(file, "{\"signTtl\": \"an hour\"}");
    assertTrue(assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage()
        .startsWith(file + ": "));

    // A plain password under "admin" (or a typo in passwordHash) would start the host without its admin user.
    Files.writeString(file, "{\"admin\": {\"user\": \"admin\", \"password\": \"plain-s3cret\"}}");
    String admin = assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage();
    assertTrue(admin.startsWith(file + ": unknown key 'admin.password' (known: admin.user, admin.passwordHash)"), admin);
    assertFalse(admin.contains("plain-s3cret"), admin);
    Files.writeString(file, "{\"admin\": {\"user\": \"admin\", \"passwordhash\": \"pbkdf2\"}}");
    assertTrue(assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage()
        .contains("unknown key 'admin.passwordhash'"));

    // A Redis address with a password, without "tokenStore": the line must not show the password.
    Files.writeString(file, "{\"redis\": \"redis://:hunter2-secret@127.0.0.1:6379\"}");
    String redis = assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage();
    assertEquals(file + ": \"redis\" must be redis://host:port without a user or password", redis);
    Files.writeString(file, "{\"tokenStore\": \"memory\", \"redis\": \"redis://admin:hunter2-secret@127.0.0.1:6379\"}");
    redis = assertThrows(ConfigError.class, () -> HostConfig.load(file, Json.mapper())).getMessage();
    assertFalse(redis.contains("hunter2"), redis);

    Files.writeString(file, "{\"port\": 8080, \"maxUploadMb\": \"64\", \"trustProxy\": true}");
    HostConfig ok = HostConfig.load(file, Json.mapper());
    assertEquals(8080, ok.port());
    assertEquals(64, ok.maxUploadMb());
    assertTrue(ok.trustProxy());
  }

  @Test
  void portInUse_saysWhichAddress_andHowToPickAnother() {
    HostConfig c = HostConfig.defaults(dir).withPort(5291);
    assertEquals("cannot listen on 127.0.0.1:5291: Port already in use. Make sure no other process is using port 5291"
        + " and try again. Or start this host on another port with --port N (or \"port\" in its host.json).",
        Main.bindFailure(c, "Port already in use. Make sure no other process is using port 5291 and try again."));
  }
}
