package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.testkit.DriverContract;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.InstantUploadContract;
import io.github.pan4j.testkit.UploadContract;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite's upload tests with the fake in the legacy STS upload mode: the bytes go to
 * the fake's S3 storage server, signed with the temporary credentials, and upload_complete
 * {"fileId"} finishes. A 1 MiB slice size (and the same least part size at the storage server),
 * so multiSliceSize() needs a multipart upload.
 */
class Pan123StsContractTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(() -> new WebFrontDoor().sliceSize(1L << 20)
      .uploadMode(WebFrontDoor.UploadMode.STS).stsMinPartSize(1L << 20)).driver("123pan");

  private final DriverContract contract = new DriverContract() {
    @Override
    protected Drive openDrive() {
      return fake.drive();
    }
  };

  @Nested
  class Upload extends UploadContract {
    @Override protected DriverContract contract() { return contract; }
  }

  @Nested
  class InstantUpload extends InstantUploadContract {
    @Override protected DriverContract contract() { return contract; }
  }
}
