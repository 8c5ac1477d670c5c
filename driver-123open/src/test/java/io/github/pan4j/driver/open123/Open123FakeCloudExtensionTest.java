package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The drives a user's test gets from {@link FakeCloudExtension}, as that user's test would use them. */
class Open123FakeCloudExtensionTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().driver("123open");

  private List<String> names(Drive drive, String path) {
    return drive.ls(path).stream().map(Entry::name).toList();
  }

  @Test
  void drivesPathCacheAgesWithTheFakeClock() {
    FakeStore store = fake.store();
    long uid = fake.demo().uid();
    Node docs = store.mkdir(uid, FakeStore.ROOT, "docs");
    store.createFile(uid, docs.id(), "old.txt", store.putBlob("o".getBytes(StandardCharsets.UTF_8)));
    try (Drive drive = fake.drive()) {
      assertEquals(List.of("old.txt"), names(drive, "/docs"));
      // Behind the drive's back: /docs becomes /archive and a new /docs appears.
      store.rename(docs, "archive");
      Node fresh = store.mkdir(uid, FakeStore.ROOT, "docs");
      store.createFile(uid, fresh.id(), "new.txt", store.putBlob("n".getBytes(StandardCharsets.UTF_8)));
      assertEquals(List.of("old.txt"), names(drive, "/docs"), "within the cache's minute the cached id still answers");
      fake.clock().advance(Duration.ofMinutes(2));
      assertEquals(List.of("new.txt"), names(drive, "/docs"));
    }
  }

  @Test
  void driveWithOtherOptions_meetsTheWrongSecret_andAgesWithTheClock() {
    Map<String, String> options = fake.options();
    options.put("clientSecret", "not-the-secret");
    try (Drive drive = fake.drive(options)) {
      DriveException e = assertThrows(DriveException.class, () -> drive.ls("/"));
      assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
      assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
    }
    FakeStore store = fake.store();
    long uid = fake.demo().uid();
    Node docs = store.mkdir(uid, FakeStore.ROOT, "docs");
    try (Drive drive = fake.drive(fake.options())) {
      assertEquals(List.of(), names(drive, "/docs"));
      store.rename(docs, "archive");
      Node fresh = store.mkdir(uid, FakeStore.ROOT, "docs");
      store.createFile(uid, fresh.id(), "new.txt", store.putBlob("n".getBytes(StandardCharsets.UTF_8)));
      fake.clock().advance(Duration.ofMinutes(2));
      assertEquals(List.of("new.txt"), names(drive, "/docs"));
    }
  }
}
