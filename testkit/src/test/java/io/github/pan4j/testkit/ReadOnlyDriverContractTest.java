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
  protected String seedEmptyFolder(Drive drive, String scratch) {
    backing.mkdir(fixtures(), "empty");
    return "/fixtures/empty";
  }

  @Override
  protected String seedTree(Drive drive, String scratch) {
    String top = backing.mkdir(fixtures(), "tree").id();
    String a = backing.mkdir(top, "a").id();
    String b = backing.mkdir(a, "b").id();
    backing.mkdir(top, "c");
    for (String[] f : new String[][] {{a, "x.txt"}, {b, "y.txt"}, {top, "z.txt"}}) {
      try (UploadSource source = UploadSource.ofBytes(new byte[] {1})) {
        backing.upload(f[0], f[1], source, UploadOptions.DEFAULT);
      }
    }
    return "/fixtures/tree";
  }

  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    String folder = backing.mkdir(fixtures(), "bulk-" + count).id();
    for (int i = 0; i < count; i++) backing.mkdir(folder, "d" + i);
    return "/fixtures/bulk-" + count;
  }
}
