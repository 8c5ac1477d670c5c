package io.github.pan4j.driver.share123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.testkit.DriverContract;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.Blob;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The driver contract (read-only parts) over HTTP against the fake share door. */
class Share123ContractTest extends DriverContract {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new, ShareFrontDoor::new).driver("123share");

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
  protected String seedEmptyFolder(Drive drive, String scratch) {
    fake.folder(scratch + "/empty");
    return scratch + "/empty";
  }

  @Override
  protected String seedTree(Drive drive, String scratch) {
    String top = scratch + "/tree";
    fake.folder(top + "/a/b");
    fake.folder(top + "/c");
    fake.file(top + "/a", "x.txt", new byte[] {1});
    fake.file(top + "/a/b", "y.txt", new byte[] {2});
    fake.file(top, "z.txt", new byte[] {3});
    return top;
  }

  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    Node folder = fake.folder(scratch + "/bulk");
    Blob one = fake.store().putBlob(new byte[] {42});
    for (int i = 0; i < count; i++) {
      fake.store().createFile(fake.demo().uid(), folder.id(), String.format("f%05d.bin", i), one);
    }
    return scratch + "/bulk";
  }
}
