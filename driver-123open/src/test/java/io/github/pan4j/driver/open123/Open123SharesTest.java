package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.ShareExpiry;
import io.github.pan4j.core.ShareLink;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.core.SharePage;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** share/create and share/list on the fake open platform, with faults on the non-idempotent create. */
class Open123SharesTest extends Open123Fixture {
  private static final String CREATE = "/api/v1/share/create";
  private static final String LIST = "/api/v1/share/list";

  private String file(String name) {
    Node n = store.createFile(demo.uid(), FakeStore.ROOT, name, store.putBlob(name.getBytes()));
    return String.valueOf(n.id());
  }

  @Test
  void create_sendsOptions_andTheLinkMatchesTheListing() {
    Open123Driver d = driver();
    String id = file("a.txt");
    ShareLink link = d.share(List.of(id), ShareOptions.DEFAULT.withName("for bob").withExpiry(ShareExpiry.THIRTY_DAYS)
        .withPassword("x9Y8").withFreeTraffic(true, true).withTrafficLimit(1024));
    assertEquals("https://www.123pan.com/s/" + link.key(), link.url());
    assertTrue(link.key().matches("[A-Za-z0-9_-]+"), link::key);
    assertEquals(clock.instant().plus(Duration.ofDays(30)), link.expiresAt());
    assertArrayEquals(new long[] {4, 2, 1024}, door.shareTraffic(link.key()), "trafficSwitch 4 = guests and over-quota users");
    ShareLink listed = d.shares(null).shares().get(0);
    assertEquals(link.id(), listed.id());
    assertEquals("for bob", listed.name());
    assertEquals("x9Y8", listed.password());
    assertEquals(link.expiresAt(), listed.expiresAt(), "expiry read back from yyyy-MM-dd HH:mm:ss UTC+8");
    assertEquals(1, calls("open", CREATE));
  }

  /**
   * A create throttled once (429, repeated after a pause on the clock): 123 counts the days from
   * when it made the share, so the returned expiry is the share's, not the time of the first try.
   */
  @Test
  void create_throttledOnce_returnsTheExpiryTheShareHas() {
    Open123Driver d = driver();
    String id = file("a.txt");
    door.failNext(CREATE, 1);
    ShareLink link = d.share(List.of(id), ShareOptions.DEFAULT.withExpiry(ShareExpiry.SEVEN_DAYS));
    assertEquals(2, calls("open", CREATE), "throttled, then made");
    assertEquals(store.shares(demo.uid()).get(0).expiresAt(), link.expiresAt());
    assertEquals(link.expiresAt().getEpochSecond(), d.shares(null).shares().get(0).expiresAt().getEpochSecond(),
        "as the listing has it (to the second)");
  }

  @Test
  void create_withoutName_usesTheFirstEntrysName_andNoTrafficFieldsByDefault() {
    Open123Driver d = driver();
    ShareLink link = d.share(List.of(file("report.pdf"), file("b.txt")), ShareOptions.DEFAULT);
    assertEquals("report.pdf", link.name());
    assertNull(link.expiresAt());
    assertArrayEquals(new long[] {1, 1, 0}, door.shareTraffic(link.key()), "the fake's defaults: nothing was sent");
  }

  @Test
  void create_tooManyOrNoIdsOrRoot_refusedBeforeAnythingIsSent() {
    Open123Driver d = driver();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 101; i++) ids.add(String.valueOf(20_000_000 + i));
    DriveException many = assertThrows(DriveException.class, () -> d.share(ids, ShareOptions.DEFAULT));
    assertEquals(ErrorKind.INVALID_ARGUMENT, many.kind());
    assertTrue(many.getMessage().contains("at most 100") && many.getMessage().contains("101"), many::getMessage);
    assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(DriveException.class, () -> d.share(List.of(), ShareOptions.DEFAULT)).kind());
    assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(DriveException.class, () -> d.share(List.of("0"), ShareOptions.DEFAULT)).kind());
    String id = file("x");
    DriveException twice = assertThrows(DriveException.class, () -> d.share(List.of(id, id), ShareOptions.DEFAULT));
    assertTrue(twice.getMessage().contains("twice"), twice::getMessage);
    assertEquals(0, calls("open", CREATE), "nothing sent");
  }

  @Test
  void create_unknownId_notFound() {
    Open123Driver d = driver();
    DriveException e = assertThrows(DriveException.class,
        () -> d.share(List.of("99999999"), ShareOptions.DEFAULT.withName("n")));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals("5066", e.providerCode().orElse(null));
  }

  @Test
  void create_after429s_isRepeated_andMakesExactlyOneShare() {
    Open123Driver d = driver();
    String id = file("a.txt");
    door.failNext(CREATE, 2); // code 429 in the envelope: refused, nothing done
    cloud.inject("open", OpenApiFrontDoor.endpoint(CREATE), Fault.status(429, "slow down"), 1); // and one HTTP 429
    ShareLink link = d.share(List.of(id), ShareOptions.DEFAULT);
    assertEquals(4, calls("open", CREATE));
    assertEquals(1, door.sharesCreated(demo));
    assertEquals(link.key(), d.shares(null).shares().get(0).key());
  }

  @Test
  void create_after5xx_isNotRepeated_andSaysTheShareMayExist() {
    Open123Driver d = driver();
    String id = file("a.txt");
    cloud.inject("open", OpenApiFrontDoor.endpoint(CREATE), Fault.html(502), 1);
    DriveException e = assertThrows(DriveException.class, () -> d.share(List.of(id), ShareOptions.DEFAULT));
    assertEquals(1, calls("open", CREATE), "a non-idempotent call is sent once");
    assertTrue(e.getMessage().contains("may have reached 123") && e.getMessage().contains("share ls"), e::getMessage);
    assertTrue(e.mayHaveTakenEffect(), e.getMessage());
    assertFalse(e.retryable());
    cloud.inject("open", OpenApiFrontDoor.endpoint(CREATE), Fault.status(500, ""), 1);
    assertThrows(DriveException.class, () -> d.share(List.of(id), ShareOptions.DEFAULT));
    assertEquals(2, calls("open", CREATE));
    // A dropped connection after the request was written: OkHttp must not resend it by itself either.
    cloud.inject("open", OpenApiFrontDoor.endpoint(CREATE), Fault.disconnect(), 1);
    DriveException dropped = assertThrows(DriveException.class, () -> d.share(List.of(id), ShareOptions.DEFAULT));
    assertEquals(ErrorKind.NETWORK, dropped.kind());
    assertEquals(3, calls("open", CREATE));
    assertEquals(0, door.sharesCreated(demo));
  }

  @Test
  void list_pagesWithLastShareId_andReadsExpiryAndPermanence() {
    door.permanentShareExpiration("2099-12-31 23:59:59");
    Open123Driver d = driver();
    String id = file("a.txt");
    for (int i = 0; i < 102; i++) {
      d.share(List.of(id), ShareOptions.DEFAULT.withName("s" + i).withExpiry(i == 0 ? ShareExpiry.ONE_DAY : ShareExpiry.PERMANENT));
    }
    SharePage first = d.shares(null);
    assertEquals(100, first.shares().size());
    assertTrue(first.hasNext());
    SharePage second = d.shares(first.nextCursor());
    assertEquals(List.of("s100", "s101"), second.shares().stream().map(ShareLink::name).toList());
    assertFalse(second.hasNext());
    assertTrue(second.shares().get(0).permanent(), "2099 means permanent");
    ShareLink day = first.shares().get(0);
    assertFalse(day.expiredAt(clock.instant()));
    clock.advance(Duration.ofDays(1));
    assertTrue(d.shares(null).shares().get(0).expiredAt(clock.instant()));
    try (Drive drive = Drive.of(driver())) {
      assertEquals(102, drive.shares().count(), "the facade pages through everything");
    }
    assertEquals(5, calls("open", LIST), "two pages, the first again, then both pages through the facade");
  }
}
