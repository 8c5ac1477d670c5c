package io.github.pan4j.testkit;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.memory.MemoryDriver;

/**
 * The contract against a read-only driver (list, link, stat): write tests skip, read tests run on
 * fixtures seeded through the hooks, and the facade refuses writes with UnsupportedException.
 */
class ReadOnlyDriverContractTest extends DriverContract {
  private MemoryDriver backing;

  @Override
  protected Drive openDrive() {
    backing = new MemoryDriver();
    return Drive.of(new ReadOnlyDriver(backing));
  }

  private String fixtures() {
    return backing.list(MemoryDriver.ROOT_ID, null).entries().stream().filter(e -> e.name().equals("fixtures"))
        .map(Entry::id).findFirst().orElseGet(() -> backing.mkdir(MemoryDriver.ROOT_ID, "fixtures").id());
  }

  @Override
  protected String seedFile(Drive drive, String scratch, String name, byte[] content) {
    try (UploadSource source = UploadSource.ofBytes(content)) {
      backing.upload(fixtures(), name, source, UploadOptions.DEFAULT);
    }
    return "/fixtures/" + name;
  }

  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    String folder = backing.mkdir(fixtures(), "bulk-" + count).id();
    for (int i = 0; i < count; i++) backing.mkdir(folder, "d" + i);
    return "/fixtures/bulk-" + count;
  }
}
