package io.github.pan4j.driver.share123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.testkit.DriverContract;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.Node;
import org.junit.jupiter.api.AfterEach;

/** The driver contract (read-only parts) over HTTP against the fake share door. */
class Share123ContractTest extends DriverContract {
  final ShareHarness fake = new ShareHarness();

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
  protected String seedFile(Drive drive, String scratch, String name, byte[] content) {
    fake.file(scratch, name, content);
    return scratch + "/" + name;
  }

  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    Node folder = fake.folder(scratch + "/bulk");
    Blob one = fake.store.putBlob(new byte[] {42});
    for (int i = 0; i < count; i++) {
      fake.store.createFile(fake.demo.uid(), folder.id(), String.format("f%05d.bin", i), one);
    }
    return scratch + "/bulk";
  }
}
