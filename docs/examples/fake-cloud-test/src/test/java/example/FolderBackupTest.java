package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FolderBackupTest {
  // A fresh fake cloud per test; drive() opens 123open as the demo account, on the fake's clock.
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().driver("123open");

  @TempDir Path local;

  @BeforeEach
  void localFiles() throws Exception {
    Files.writeString(local.resolve("a.txt"), "alpha");
    Files.createDirectories(local.resolve("sub"));
    Files.writeString(local.resolve("sub/b.txt"), "beta");
  }

  /** What the fake's store holds under a path of the demo account, read directly (no HTTP). */
  private List<String> namesIn(String path) {
    FakeStore store = fake.store();
    Node folder = store.resolve(fake.demo().uid(), path).orElseThrow();
    return store.children(fake.demo().uid(), folder.id(), false).stream().map(Node::name).sorted().toList();
  }

  @Test
  void backsUpIntoAFolderThatAlreadyHoldsFiles() throws Exception {
    FakeStore store = fake.store();
    Node backup = store.mkdir(fake.demo().uid(), FakeStore.ROOT, "backup");            // seeded straight into the store
    store.createFile(fake.demo().uid(), backup.id(), "old.txt", store.putBlob("old".getBytes(StandardCharsets.UTF_8)));
    try (Drive drive = fake.drive()) {
      assertEquals(2, new FolderBackup(drive).backup(local, "/backup").size());
    }
    assertEquals(List.of("a.txt", "old.txt", "sub"), namesIn("/backup"));
  }

  @Test
  void rideOutA429Burst() throws Exception {
    // Files this small go up in one request, to upload/v2/file/single/create on the upload host
    // (cloud.counters().requests() lists what a run called).
    fake.openApi().failNext("/upload/v2/file/single/create", 3);
    try (Drive drive = fake.drive()) {
      new FolderBackup(drive).backup(local, "/backup");
    }
    assertEquals(3, fake.cloud().counters().served429Count());
    assertEquals(List.of("a.txt", "sub"), namesIn("/backup"));
  }

  @Test
  void signsInAgainWhenTheTokenIsRevokedMidRun() throws Exception {
    try (Drive drive = fake.drive()) {
      drive.mkdirs("/backup");                                  // signed in: token 1
      fake.openApi().revokeAllTokens(OpenApiFrontDoor.DEMO_CLIENT_ID);   // next call: code 401
      new FolderBackup(drive).backup(local, "/backup");
    }
    assertEquals(2L, fake.cloud().counters().tokensMinted().get("open"));
    assertEquals(List.of("a.txt", "sub"), namesIn("/backup"));
  }

  @Test
  void renewsTheTokenWhenTheFakeClockPassesItsExpiry() throws Exception {
    try (Drive drive = fake.drive()) {
      drive.mkdirs("/backup");
      fake.clock().advance(Duration.ofDays(31));                // the fake's tokens live 30 days
      new FolderBackup(drive).backup(local, "/backup");
    }
    assertEquals(2L, fake.cloud().counters().tokensMinted().get("open"));
  }

  @Test
  void retriesGatewayPages() throws Exception {
    fake.cloud().inject("open", OpenApiFrontDoor.endpoint("/api/v2/file/list"), Fault.html(502), 2);
    try (Drive drive = fake.drive()) {
      new FolderBackup(drive).backup(local, "/backup");
    }
    assertEquals(0, fake.cloud().pendingFaults());             // both pages were served, so the test tested something
    assertEquals(List.of("a.txt", "sub"), namesIn("/backup"));
  }
}
