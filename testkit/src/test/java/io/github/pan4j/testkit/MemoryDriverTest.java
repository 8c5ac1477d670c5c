package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.testkit.fake.FakeClock;
import io.github.pan4j.core.memory.MemoryConfig;
import io.github.pan4j.core.memory.MemoryDriver;
import io.github.pan4j.core.memory.MemoryDriverProvider;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour of the memory driver beyond the shared contract: quota, naming, links, cursors, options. */
class MemoryDriverTest {
  private final FakeClock clock = new FakeClock();

  private MemoryDriver driver(MemoryConfig config) {
    return new MemoryDriver(config, clock);
  }

  private static Entry upload(MemoryDriver d, String name, byte[] content, ConflictPolicy policy) {
    try (UploadSource s = UploadSource.ofBytes(content)) {
      return d.upload(MemoryDriver.ROOT_ID, name, s, UploadOptions.of(policy));
    }
  }

  private static byte[] read(Link link) throws IOException {
    try (Link.Content c = link.open()) {
      return c.body().readAllBytes();
    }
  }

  @Test
  void upload_overQuota_throwsQuotaExceededAndStoresNothing() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS.withQuotaBytes(10));
    upload(d, "a", new byte[6], ConflictPolicy.FAIL);
    DriveException e = assertThrows(DriveException.class, () -> upload(d, "b", new byte[5], ConflictPolicy.FAIL));
    assertEquals(ErrorKind.QUOTA_EXCEEDED, e.kind());
    assertEquals(1, d.list(MemoryDriver.ROOT_ID, null).entries().size());
    assertEquals(6, d.storageDetails().usedBytes());
    assertEquals(4, d.storageDetails().freeBytes().orElseThrow());
  }

  @Test
  void upload_overwriteWithinQuota_countsOnlyTheDifference() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS.withQuotaBytes(10));
    upload(d, "a", new byte[8], ConflictPolicy.FAIL);
    upload(d, "a", new byte[9], ConflictPolicy.OVERWRITE);
    assertEquals(9, d.storageDetails().usedBytes());
  }

  @Test
  void upload_keepBoth_numbersTheNewNames() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    upload(d, "a.txt", new byte[] {1}, ConflictPolicy.FAIL);
    assertEquals("a (1).txt", upload(d, "a.txt", new byte[] {2}, ConflictPolicy.KEEP_BOTH).name());
    assertEquals("a (2).txt", upload(d, "a.txt", new byte[] {3}, ConflictPolicy.KEEP_BOTH).name());
    upload(d, "noext", new byte[] {1}, ConflictPolicy.FAIL);
    assertEquals("noext (1)", upload(d, "noext", new byte[] {2}, ConflictPolicy.KEEP_BOTH).name());
  }

  @Test
  void upload_reportsEveryPhaseInOrder() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    RecordingUploadListener rec = new RecordingUploadListener();
    try (UploadSource s = UploadSource.ofBytes(new byte[200_000])) {
      d.upload(MemoryDriver.ROOT_ID, "f", s, UploadOptions.DEFAULT.withListener(rec));
    }
    assertEquals(List.of(UploadPhase.HASHING, UploadPhase.PREPARING, UploadPhase.TRANSFERRING, UploadPhase.COMPLETING,
        UploadPhase.VERIFYING, UploadPhase.DONE), rec.phases());
    assertEquals(200_000, rec.bytesDone(UploadPhase.TRANSFERRING));
    assertTrue(rec.progress(UploadPhase.TRANSFERRING).size() > 1, "progress reported per block");
    assertEquals(List.of(), rec.completions(), "completion is the caller's to report (Driver.Upload)");
  }

  @Test
  void upload_emptyFilesRefused_throwsInvalidArgument() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS.withEmptyFiles(false));
    DriveException e = assertThrows(DriveException.class, () -> upload(d, "empty", new byte[0], ConflictPolicy.FAIL));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals(List.of(), d.list(MemoryDriver.ROOT_ID, null).entries());
  }

  @Test
  void link_afterLifetime_throwsExpired() throws IOException {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    Entry f = upload(d, "f", new byte[] {1, 2}, ConflictPolicy.FAIL);
    Link link = d.link(f.id());
    assertEquals(clock.instant().plus(MemoryDriver.LINK_LIFETIME), link.expiresAt().orElseThrow());
    clock.advance(MemoryDriver.LINK_LIFETIME.minusSeconds(1));
    assertArrayEquals(new byte[] {1, 2}, read(link));
    clock.advance(Duration.ofSeconds(1));
    DriveException e = assertThrows(DriveException.class, link::open);
    assertEquals(ErrorKind.EXPIRED, e.kind());
  }

  @Test
  void close_failsTheNextReadOfALinkBodyInFlight_andRefusesLinksOpenedAfter_asTheHttpDriversDo() throws IOException {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    byte[] content = new byte[1000];
    for (int i = 0; i < content.length; i++) content[i] = (byte) i;
    Entry f = upload(d, "f.bin", content, ConflictPolicy.FAIL);
    Link link = d.link(f.id());
    try (Link.Content c = link.open(); InputStream in = c.body()) {
      assertArrayEquals(Arrays.copyOf(content, 500), in.readNBytes(500), "the first half arrived");
      d.close();
      IOException e = assertThrows(IOException.class, () -> in.read(new byte[1000]),
          "the read after the driver's close must fail, not serve the rest");
      DriveException cause = assertInstanceOf(DriveException.class, e.getCause(), e::toString);
      assertEquals(ErrorKind.CANCELLED, cause.kind(), cause::toString);
      assertEquals(MemoryDriver.ID, cause.driverId().orElseThrow());
      assertEquals(f.id(), cause.target().orElseThrow());
      assertTrue(cause.getMessage().contains("driver was closed") && cause.getMessage().contains("reopen the driver"),
          cause.getMessage());
      assertThrows(IOException.class, in::read, "and so does every read after it");
    }
    DriveException refused = assertThrows(DriveException.class, link::open, "a link of the closed driver opens nothing");
    assertEquals(ErrorKind.CANCELLED, refused.kind(), refused::toString);
    assertTrue(refused.getMessage().contains("was not started"), refused.getMessage());
  }

  @Test
  void close_duringDriveGet_failsItCancelled() {
    Drive drive = Drive.of(driver(MemoryConfig.DEFAULTS));
    byte[] content = new byte[300_000]; // several reads of the download loop
    drive.put("/f.bin", content);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    OutputStream closesTheDriveOnFirstWrite = new FilterOutputStream(received) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        drive.close();
        super.write(b, off, len);
      }
    };
    DriveException e = assertThrows(DriveException.class, () -> drive.get("/f.bin", closesTheDriveOnFirstWrite));
    assertEquals(ErrorKind.CANCELLED, e.kind(), e::toString);
    assertTrue(e.getMessage().contains("driver was closed"), e.getMessage());
    assertTrue(received.size() < content.length, "the download stopped at the close: " + received.size() + " bytes");
  }

  @Test
  void link_range_reportsPartialContent() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    Entry f = upload(d, "f", new byte[] {0, 1, 2, 3, 4}, ConflictPolicy.FAIL);
    try (Link.Content c = d.link(f.id()).open(1, 3)) {
      assertEquals(206, c.status());
      assertEquals(1, c.offset());
      assertEquals(3, c.length());
      assertEquals(5, c.totalLength());
    }
    try (Link.Content c = d.link(f.id()).open()) {
      assertEquals(200, c.status());
    }
  }

  @Test
  void list_cursor_survivesRemovalOfEntriesAlreadySeen() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS.withPageSize(3));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) ids.add(d.mkdir(MemoryDriver.ROOT_ID, "d" + i).id());
    Page first = d.list(MemoryDriver.ROOT_ID, null);
    assertEquals(3, first.entries().size());
    d.remove(ids.subList(0, 3));
    List<String> rest = new ArrayList<>();
    for (String cursor = first.nextCursor(); cursor != null; ) {
      Page p = d.list(MemoryDriver.ROOT_ID, cursor);
      p.entries().forEach(e -> rest.add(e.name()));
      cursor = p.nextCursor();
    }
    assertEquals(List.of("d3", "d4", "d5", "d6"), rest, "no entry skipped or repeated");
  }

  @Test
  void list_malformedCursor_throwsInvalidArgument() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(DriveException.class, () -> d.list(MemoryDriver.ROOT_ID, "x")).kind());
  }

  @Test
  void move_twoEntriesOneClashing_movesNeither() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    String target = d.mkdir(MemoryDriver.ROOT_ID, "target").id();
    d.mkdir(target, "b");
    String a = d.mkdir(MemoryDriver.ROOT_ID, "a").id();
    String b = d.mkdir(MemoryDriver.ROOT_ID, "b").id();
    assertThrows(DriveException.class, () -> d.move(List.of(a, b), target));
    assertEquals(MemoryDriver.ROOT_ID, d.stat(a).parentId(), "a stayed: moves are all or nothing");
  }

  @Test
  void calls_countsEachOperation() {
    MemoryDriver d = driver(MemoryConfig.DEFAULTS);
    d.list(MemoryDriver.ROOT_ID, null);
    d.list(MemoryDriver.ROOT_ID, null);
    d.stat(MemoryDriver.ROOT_ID);
    assertEquals(2, d.calls("list"));
    assertEquals(1, d.calls("stat"));
    assertEquals(0, d.calls("upload"));
  }

  @Test
  void provider_parse_readsEveryOptionAndRejectsBadOnesTogether() {
    MemoryDriverProvider p = new MemoryDriverProvider();
    assertEquals(new MemoryConfig(5, 1000, true, false),
        p.parse(Map.of("pageSize", "5", "quotaBytes", "1000", "allowDuplicateNames", "true", "emptyFiles", "false")));
    assertEquals(MemoryConfig.DEFAULTS, p.parse(Map.of()));
    DriveException e = assertThrows(DriveException.class, () -> p.parse(Map.of("pageSize", "x", "emptyFiles", "maybe")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("'pageSize' must be a whole number") && e.getMessage().contains("'emptyFiles' must be true or false"),
        e.getMessage());
  }
}
