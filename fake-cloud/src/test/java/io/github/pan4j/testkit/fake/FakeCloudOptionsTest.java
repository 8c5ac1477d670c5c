package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeCloudOptionsTest {
  @TempDir Path tmp;

  @Test
  void parse_valuesFlagsAndErrors() {
    FakeCloudOptions d = FakeCloudOptions.parse();
    assertEquals(8123, d.port());
    assertFalse(d.vip());
    assertTrue(d.urlAuth());
    assertNull(d.state());
    FakeCloudOptions o = FakeCloudOptions.parse("--port=0", "--vip", "--url-auth", "off", "--state", tmp.toString());
    assertEquals(0, o.port());
    assertTrue(o.vip());
    assertFalse(o.urlAuth());
    assertEquals(tmp, o.state());
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--url-auth", "maybe"));
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--port", "x"));
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--vip=yes"));
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--seed", tmp.resolve("missing").toString()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--frobnicate"));
    assertTrue(e.getMessage().contains("--frobnicate"), e.getMessage());
  }

  @Test
  void offlineOptions_parsedAndApplied() {
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      FakeCloudOptions.parse().apply(demo);
      assertEquals(2, FakeOffline.of(demo.cloud()).progressPolls());
      assertFalse(demo.open().offline().refusesRootDirId());
      FakeCloudOptions.parse("--offline-polls", "0", "--offline-root-dirid=refuse").apply(demo);
      assertEquals(0, FakeOffline.of(demo.cloud()).progressPolls());
      assertTrue(demo.open().offline().refusesRootDirId());
    }
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--offline-polls", "-1"));
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--offline-root-dirid", "maybe"));
  }

  @Test
  void set_appliesBehaviourSwitchesAfterTheOtherOptions_allOrNone() {
    FakeCloudOptions o = FakeCloudOptions.parse("--vip", "--set", "open.qps=false", "--set=web.redirectMode=json_210",
        "--set", "open.tokenLifetime=0.5", "--set", "share.loginThreshold=1024");
    assertEquals(4, o.settings().size());
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      o.apply(demo);
      assertFalse(demo.open().qps.enabled);
      assertEquals(WebFrontDoor.RedirectMode.JSON_210, demo.web().redirectMode);
      assertEquals(java.time.Duration.ofMillis(500), demo.open().tokenLifetime);
      assertTrue(demo.account().vip());
    }
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FakeCloudOptions.parse("--set", "open.qps=false", "--set", "open.maxLiveTokens=many").apply(demo));
      assertTrue(e.getMessage().startsWith("open.maxLiveTokens takes a whole number"), e.getMessage());
      assertTrue(demo.open().qps.enabled, "nothing of --set applied");
      String uid = Long.toString(demo.account().uid());
      FakeCloudOptions.parse("--vip", "--set", "account." + uid + ".vip=false").apply(demo);
      assertFalse(demo.account().vip(), "--set wins over --vip");
    }
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--set", "open.qps"));
    assertThrows(IllegalArgumentException.class, () -> FakeCloudOptions.parse("--set"));
  }

  /**
   * A text setting given on the command line is text, whatever it looks like: a message of
   * {@code 401} or {@code true} is that message (it was read as a number or a boolean and refused,
   * so only JSON over POST could set it).
   */
  @Test
  void set_textSettingThatLooksLikeANumberOrABoolean_isText() {
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      FakeCloudOptions.parse("--set", "open.invalidTokenMessage=401", "--set", "web.wrongPasswordMessage=true",
          "--set", "open.maxLiveTokens=7").apply(demo);
      com.fasterxml.jackson.databind.JsonNode now = new FakeSettings(demo.cloud()).apply(io.github.pan4j.core.internal.http.Json
          .mapper().createObjectNode().put("open.maxLiveTokens", 7));
      assertEquals(7, now.get("open.maxLiveTokens").asInt());
      assertEquals("401", demo.open().invalidTokenMessage);
      assertEquals("true", demo.web().wrongPasswordMessage);
    }
  }

  @Test
  void apply_vipAndUrlAuth() {
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      FakeCloudOptions.parse("--vip", "--url-auth", "off").apply(demo);
      assertTrue(demo.account().vip());
      assertFalse(demo.account().urlAuth());
    }
  }

  @Test
  void seed_thenStateSurvivesARestart() throws Exception {
    Path seed = tmp.resolve("seed.txt");
    Files.writeString(seed, "# a tree\nMovies/\n  trailer.mp4 :: 3000\n  old/\n    a.txt :: \"hello\"\nempty.txt\n", StandardCharsets.UTF_8);
    Path state = tmp.resolve("state");
    FakeCloudOptions o = FakeCloudOptions.parse("--port", "0", "--seed", seed.toString(), "--state", state.toString());
    byte[] trailer;
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      assertFalse(o.apply(demo), "nothing saved yet: the seed is used");
      FakeStore store = demo.cloud().store();
      long uid = demo.account().uid();
      Node t = store.resolve(uid, "/Movies/trailer.mp4").orElseThrow();
      assertEquals(3000, t.size());
      trailer = t.blob().bytes();
      assertEquals("hello", new String(store.resolve(uid, "/Movies/old/a.txt").orElseThrow().blob().bytes(), StandardCharsets.UTF_8));
      assertEquals(0, store.resolve(uid, "/empty.txt").orElseThrow().size());
      store.trash(store.resolve(uid, "/empty.txt").orElseThrow());
      store.mkdir(uid, FakeStore.ROOT, "made later");
      o.save(demo);
    }
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      FakeStore store = demo.cloud().store();
      long uid = demo.account().uid();
      store.mkdir(uid, FakeStore.ROOT, "replaced by the saved state");
      assertTrue(o.apply(demo));
      assertArrayEquals(trailer, store.resolve(uid, "/Movies/trailer.mp4").orElseThrow().blob().bytes());
      assertTrue(store.resolve(uid, "/made later").isPresent());
      assertTrue(store.resolve(uid, "/empty.txt").isEmpty(), "trashed stays trashed");
      assertTrue(store.resolve(uid, "/replaced by the saved state").isEmpty());
      Node fresh = store.mkdir(uid, FakeStore.ROOT, "new");
      assertTrue(store.allNodes(uid).stream().filter(n -> n != fresh).allMatch(n -> n.id() < fresh.id()), "ids continue after the saved ones");
    }
  }

  @Test
  void seed_errorsNameTheLine() throws Exception {
    Path seed = tmp.resolve("bad.txt");
    Files.writeString(seed, "a/\n   b.txt\n", StandardCharsets.UTF_8);
    try (DemoCloud demo = DemoCloud.start(0, 0)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FakeCloudOptions.parse("--seed", seed.toString()).apply(demo));
      assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }
  }
}
