package io.github.pan4j.driver.link123;

import io.github.pan4j.driver.common123.AuthKeySigner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.NotFoundException;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** list, stat and link semantics that need no network (the tree is the whole truth). */
class Link123DriverTest {
  private static final String BASE = "https://vip.123pan.cn/1812345678";
  private static final String TREE = String.join("\n",
      "movies:",
      "  1048576:1694101621:" + BASE + "/movies/Big%20Buck%20Bunny.mp4",
      "  " + BASE + "/movies/trailer.mp4?x=1",
      BASE + "/readme.txt");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00.750Z");
  private final DriverContext context = DriverContext.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  private final Link123Provider provider = new Link123Provider();

  @Test
  void list_root_returnsAllChildrenInOnePage() {
    try (Driver d = provider.open(Link123Config.unsigned(TREE), context)) {
      Page page = d.list(d.rootId(), null);
      assertFalse(page.hasNext());
      assertEquals(List.of("movies", "readme.txt"), page.entries().stream().map(Entry::name).toList());
      assertEquals(1048576L, page.entries().get(0).size());
      assertEquals("/movies", page.entries().get(0).id());
    }
  }

  @Test
  void list_largeFolder_pagesByOffsetCursor() {
    StringBuilder tree = new StringBuilder("big:\n");
    for (int i = 0; i < 2345; i++) tree.append("  1:").append(BASE).append("/big/f").append(i).append(".bin\n");
    try (Driver d = provider.open(Link123Config.unsigned(tree.toString()), context)) {
      Page first = d.list("/big", null);
      assertEquals(1000, first.entries().size());
      assertEquals("1000", first.nextCursor());
      Page second = d.list("/big", first.nextCursor());
      assertEquals("f1000.bin", second.entries().get(0).name());
      Page last = d.list("/big", second.nextCursor());
      assertEquals(345, last.entries().size());
      assertFalse(last.hasNext());
      assertEquals("f2344.bin", last.entries().get(344).name());
      assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(DriveException.class, () -> d.list("/big", "2345")).kind());
      assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(DriveException.class, () -> d.list("/big", "x")).kind());
    }
  }

  @Test
  void list_fileOrMissingOrCursor_failsWithKindAndTarget() {
    try (Driver d = provider.open(Link123Config.unsigned(TREE), context)) {
      DriveException file = assertThrows(DriveException.class, () -> d.list("/readme.txt", null));
      assertEquals(ErrorKind.NOT_A_DIRECTORY, file.kind());
      assertEquals("/readme.txt", file.target().orElseThrow());
      NotFoundException missing = assertThrows(NotFoundException.class, () -> d.list("/nope", null));
      assertTrue(missing.getMessage().startsWith("123link: list /nope: no such entry"), missing.getMessage());
      assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(DriveException.class, () -> d.list("/", "2")).kind());
    }
  }

  @Test
  void stat_byPathId_returnsEntry() {
    try (Driver d = provider.open(Link123Config.unsigned(TREE), context)) {
      Entry e = ((Driver.Stat) d).stat("/movies/Big Buck Bunny.mp4");
      assertEquals("Big Buck Bunny.mp4", e.name());
      assertEquals(Instant.ofEpochSecond(1694101621), e.modified());
      assertTrue(((Driver.Stat) d).stat("/").folder());
      assertThrows(NotFoundException.class, () -> ((Driver.Stat) d).stat("/movies/none.mp4"));
    }
  }

  @Test
  void link_unsigned_isOriginUrlWithoutExpiry() {
    try (Driver d = provider.open(Link123Config.unsigned(TREE), context)) {
      Link link = d.link("/movies/trailer.mp4?x=1");
      assertEquals(BASE + "/movies/trailer.mp4?x=1", link.url());
      assertTrue(link.expiresAt().isEmpty());
      assertTrue(link.contentLength().isEmpty(), "the tree gave no size");
      assertFalse(link.preferProxy());
      assertTrue(link.headers().isEmpty());
    }
  }

  @Test
  void link_signed_carriesAbsoluteExpiryMatchingAuthKey() {
    Link123Config config = Link123Config.signed(TREE, Secret.of("mykey"), 1812345678L).withValidity(Duration.ofMinutes(10));
    try (Driver d = provider.open(config, context)) {
      Link link = d.link("/movies/Big Buck Bunny.mp4");
      Instant expiry = Instant.parse("2026-01-01T00:10:00Z");
      assertEquals(expiry, link.expiresAt().orElseThrow());
      assertTrue(link.url().startsWith(BASE + "/movies/Big%20Buck%20Bunny.mp4?auth_key=" + expiry.getEpochSecond() + "-"),
          link.url());
      String nonce = link.url().split("auth_key=")[1].split("-")[1];
      assertEquals(AuthKeySigner.sign(BASE + "/movies/Big%20Buck%20Bunny.mp4", Secret.of("mykey"), 1812345678L, expiry,
          Long.parseLong(nonce)), link.url());
      assertEquals(1048576L, link.contentLength().getAsLong());
      assertFalse(link.toString().contains("mykey"));
    }
  }

  @Test
  void link_queryUrlSigned_keepsQuery() {
    try (Driver d = provider.open(Link123Config.signed(TREE, Secret.of("mykey"), 1812345678L), context)) {
      String url = d.link("/movies/trailer.mp4?x=1").url();
      assertTrue(url.matches("\\Q" + BASE + "/movies/trailer.mp4?auth_key=\\E\\d+-\\d+-1812345678-[0-9a-f]{32}&x=1"), url);
    }
  }

  @Test
  void link_folderOrMissing_failsWithKind() {
    try (Driver d = provider.open(Link123Config.unsigned(TREE), context)) {
      DriveException folder = assertThrows(DriveException.class, () -> d.link("/movies"));
      assertEquals(ErrorKind.IS_A_DIRECTORY, folder.kind());
      assertEquals("123link", folder.driverId().orElseThrow());
      assertEquals(ErrorKind.NOT_FOUND, assertThrows(DriveException.class, () -> d.link("/x")).kind());
      assertEquals(ErrorKind.NOT_FOUND, assertThrows(DriveException.class, () -> d.link(null)).kind());
    }
  }

  @Test
  void open_badTreeInHandBuiltConfig_isConfigInvalid() {
    DriveException e = assertThrows(DriveException.class,
        () -> provider.open(Link123Config.unsigned("   x:"), context));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("line 1: indented by 3 spaces"), e.getMessage());
  }
}
