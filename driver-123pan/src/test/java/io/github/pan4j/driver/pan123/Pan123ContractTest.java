package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.testkit.DriverContract;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.FakeStore;
import org.junit.jupiter.api.AfterEach;

/** The driver contract over real HTTP against the fake web front door. */
class Pan123ContractTest extends DriverContract {
  final WebHarness fake = new WebHarness();

  Pan123ContractTest() {
    fake.web.sliceSize(1L << 20); // so multiSliceSize() needs several presigned parts
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  @Override
  protected Drive openDrive() {
    return fake.drive();
  }

  @Override
  protected int bulkListCount() {
    return 250; // three pages of 100
  }

  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    // Straight into the store: uploading hundreds of files over HTTP adds nothing the upload tests do not cover.
    Entry folder = drive.mkdirs(scratch + "/bulk");
    FakeStore store = fake.cloud.store();
    Blob one = store.putBlob(new byte[] {42});
    for (int i = 0; i < count; i++) {
      store.createFile(fake.demo.uid(), Long.parseLong(folder.id()), String.format("f%05d.bin", i), one);
    }
    return folder.path();
  }
}
