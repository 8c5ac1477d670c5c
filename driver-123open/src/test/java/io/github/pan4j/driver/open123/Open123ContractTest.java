package io.github.pan4j.driver.open123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.DriverContract;
import io.github.pan4j.testkit.FakeClock;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The pan4j driver contract, run against the fake 123 open platform over real HTTP with its QPS
 * limits on (free tier). Fake and driver share one {@link FakeClock}, so pacing costs no real time.
 */
class Open123ContractTest extends DriverContract {
  final FakeClock clock = new FakeClock();
  private final TokenStore tokens = new InMemoryTokenStore();
  private final OkHttpClient http = new OkHttpClient();
  private ExecutorService executor;
  FakeCloud cloud;
  private Account demo;

  @BeforeEach
  void startCloud() {
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "open123-contract");
      t.setDaemon(true);
      return t;
    });
    OpenApiFrontDoor door = new OpenApiFrontDoor().sliceSize(1 << 20).qpsEnabled(true);
    cloud = FakeCloud.builder().clock(clock).door(door).door(new VipCdnFrontDoor()).build().start();
    demo = OpenApiFrontDoor.demoAccount(cloud.store());
  }

  @AfterEach
  void stopCloud() {
    executor.shutdownNow();
    http.dispatcher().cancelAll();
    http.connectionPool().evictAll();
    cloud.close();
  }

  @Override
  protected Drive openDrive() {
    DriverContext ctx = DriverContext.builder().clock(clock).sleeper(clock).tokenStore(tokens).executor(executor)
        .httpClient(http).build();
    return Drive.of(new Open123Provider().openWith(Map.of(
        "clientId", OpenApiFrontDoor.DEMO_CLIENT_ID,
        "clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET,
        "apiBaseUrl", cloud.baseUrl("open")), ctx));
  }

  /** 123 refuses 0-byte files (dossier §7.3); the driver refuses them before sending anything. */
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
    Blob one = cloud.store().putBlob(new byte[] {42});
    for (int i = 0; i < count; i++) {
      cloud.store().createFile(demo.uid(), Long.parseLong(folder.id()), String.format("f%05d.bin", i), one);
    }
    return folder.path();
  }
}
