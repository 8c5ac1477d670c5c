package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.ShareExpiry;
import io.github.pan4j.core.ShareLink;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.core.spi.Driver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Share creation ({@link Capability#SHARE}): a share of one or several entries comes back as a
 * {@link ShareLink} with the options asked for, appears in the account's share list, and bad input
 * is refused before any share is made.
 */
public abstract class ShareContract extends ContractSupport {

  @Test
  void share_oneFile_returnsLinkWithCodeAndExpiry_andIsListed() {
    assume(Capability.SHARE, Capability.UPLOAD, Capability.MKDIR);
    String file = seedFile("shared.txt", new byte[] {1, 2, 3});
    ShareLink link = drive.share(file, ShareOptions.DEFAULT.withExpiry(ShareExpiry.SEVEN_DAYS).withPassword("Ab12"));
    assertFalse(link.key().isBlank(), "a key");
    assertTrue(link.url().contains(link.key()), () -> "the page URL carries the key: " + link.url());
    assertEquals("Ab12", link.password());
    assertEquals("shared.txt", link.name(), "named after the entry when no name is given");
    assertNotNull(link.expiresAt(), "a 7-day share expires");
    assertFalse(link.toString().contains("Ab12"), () -> "toString hides the code: " + link);
    assertTrue(link.urlWithPassword().endsWith("pwd=Ab12"), link::urlWithPassword);

    ShareLink listed = drive.shares().filter(s -> s.key().equals(link.key())).findFirst()
        .orElseThrow(() -> new AssertionError("the new share " + link.key() + " is not in drive.shares()"));
    assertEquals("shared.txt", listed.name());
    assertEquals("Ab12", listed.password());
    assertEquals(link.url(), listed.url());
    assertNotNull(listed.expiresAt(), "listed with its expiry");
    assertTrue(Duration.between(link.expiresAt(), listed.expiresAt()).abs().compareTo(Duration.ofMinutes(2)) < 0,
        () -> "same expiry: created " + link.expiresAt() + ", listed " + listed.expiresAt());
  }

  @Test
  void share_severalEntries_permanent_withName() {
    assume(Capability.SHARE, Capability.UPLOAD, Capability.MKDIR);
    String file = seedFile("a.txt", new byte[] {1});
    drive.mkdirs(scratch + "/folder");
    ShareLink link = drive.share(List.of(file, scratch + "/folder"), ShareOptions.DEFAULT.withName("two things"));
    assertEquals("two things", link.name());
    assertNull(link.expiresAt(), "permanent by default");
    assertTrue(link.permanent());
    assertNull(link.password(), "no code by default");
    assertFalse(link.options().containsKey("password"));
    ShareLink listed = drive.shares().filter(s -> s.key().equals(link.key())).findFirst().orElseThrow();
    assertTrue(listed.permanent(), () -> "listed as permanent: " + listed);
  }

  @Test
  void share_badInput_refusedBeforeAnyShareIsMade() {
    assume(Capability.SHARE);
    long before = drive.shares().count();
    int max = spi(Driver.Share.class).maxShareEntries();
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i <= max; i++) tooMany.add(scratch + "/f" + i);
    DriveException e = assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.share(tooMany, ShareOptions.DEFAULT));
    assertTrue(e.getMessage().contains(String.valueOf(max)), () -> "names the limit: " + e.getMessage());
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.share(List.of(), ShareOptions.DEFAULT));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.share("/", ShareOptions.DEFAULT));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.share(List.of(scratch, scratch), ShareOptions.DEFAULT));
    // The SPI checks its own input too.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i <= max; i++) ids.add(String.valueOf(1000 + i));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> spi(Driver.Share.class).share(ids, ShareOptions.DEFAULT));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> spi(Driver.Share.class).share(List.of(), ShareOptions.DEFAULT));
    assertEquals(before, drive.shares().count(), "no share was made");
  }

  @Test
  void share_missingPath_notFound() {
    assume(Capability.SHARE);
    DriveException e = assertFails(ErrorKind.NOT_FOUND, () -> drive.share(List.of(scratch + "/nope"), ShareOptions.DEFAULT));
    assertTrue(e.getMessage().contains(scratch + "/nope"), () -> "names the path: " + e.getMessage());
  }

  @Test
  void shareOptions_badExpiryOrCode_refusedWithAdvice() {
    assume(Capability.SHARE);
    DriveException days = assertFails(ErrorKind.INVALID_ARGUMENT, () -> ShareExpiry.ofDays(3));
    assertTrue(days.getMessage().contains("1, 7 or 30"), days::getMessage);
    for (String bad : List.of("abc", "abcde", "ab c", "密码12")) {
      DriveException code = assertFails(ErrorKind.INVALID_ARGUMENT, () -> ShareOptions.DEFAULT.withPassword(bad));
      assertTrue(code.getMessage().contains("4 letters or digits"), code::getMessage);
      assertFalse(code.getMessage().contains(bad), () -> "the message does not echo the code: " + code.getMessage());
    }
  }
}
