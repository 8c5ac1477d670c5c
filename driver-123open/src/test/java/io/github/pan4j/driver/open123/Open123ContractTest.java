package io.github.pan4j.driver.open123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.DriverContract;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pan4j driver contract, run against the fake 123 open platform over real HTTP with its QPS
 * limits on (free tier). Fake and driver share the extension's clock, so pacing costs no real time.
 */
class Open123ContractTest extends DriverContract {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension()
      .doors(() -> new OpenApiFrontDoor().sliceSize(1 << 20).qpsEnabled(true), VipCdnFrontDoor::new)
      .driver("123open");
  private final OkHttpClient http = new OkHttpClient();
  private ExecutorService executor;

  @BeforeEach
  void startExecutor() {
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "open123-contract");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterEach
  void releaseClient() {
    executor.shutdownNow();
    http.dispatcher().cancelAll();
    http.connectionPool().evictAll();
  }

  @Override
  protected Drive openDrive() {
    DriverContext ctx = fake.context().toBuilder().executor(executor).httpClient(http).build();
    return Drive.of(new Open123Provider().openWith(fake.options(), ctx));
  }

  /** 123 refuses 0-byte files (docs/protocol/123open.md §7.3); the driver refuses them before sending anything. */
  @Override
  protected boolean supportsEmptyFiles() {
    return false;
  }

  /** More than two pages of list v2 (100 per page). */
  @Override
  protected int bulkListCount() {
    return 250;
  }

  /** Four slices of the 1 MiB slice size configured above. */
  @Override
  protected long multiSliceSize() {
    return 3L * 1024 * 1024 + 7;
  }

  /** Fills the folder through the fake's store: uploading 250 files one by one tests nothing new. */
  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    Entry folder = drive.mkdirs(scratch + "/bulk");
    Blob one = fake.store().putBlob(new byte[] {42});
    for (int i = 0; i < count; i++) {
      fake.store().createFile(fake.demo().uid(), Long.parseLong(folder.id()), String.format("f%05d.bin", i), one);
    }
    return folder.path();
  }
}
