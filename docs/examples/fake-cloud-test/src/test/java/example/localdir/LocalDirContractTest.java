package example.localdir;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.testkit.DriverContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * pan4j's driver contract against the driver of this project. The driver is read-only, so the
 * suite's write tests are skipped and its fixtures are made here, in the local folder the drive
 * shows (the suite passes drive paths under its scratch folder, /pan4j-contract/...). It lists a
 * folder in one page, so the suite checks that page instead of following cursors.
 */
class LocalDirContractTest extends DriverContract {
  @TempDir static Path root;

  @Override
  protected Drive openDrive() {
    return Drives.open("localdir", Map.of("root", root.toString()));
  }

  @Override
  protected boolean listsInOnePage() {
    return true;
  }

  @Override
  protected String seedFile(Drive drive, String scratch, String name, byte[] content) {
    write(scratch + "/" + name, content);
    return scratch + "/" + name;
  }

  @Override
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    for (int i = 0; i < count; i++) mkdirs(scratch + "/bulk/d" + i);
    return scratch + "/bulk";
  }

  @Override
  protected String seedEmptyFolder(Drive drive, String scratch) {
    mkdirs(scratch + "/empty");
    return scratch + "/empty";
  }

  @Override
  protected String seedTree(Drive drive, String scratch) {
    String top = scratch + "/tree";
    mkdirs(top + "/a/b");
    mkdirs(top + "/c");
    write(top + "/a/x.txt", new byte[] {1});
    write(top + "/a/b/y.txt", new byte[] {2});
    write(top + "/z.txt", new byte[] {3});
    return top;
  }

  private static Path local(String drivePath) {
    return root.resolve(drivePath.substring(1));
  }

  private static void mkdirs(String drivePath) {
    try {
      Files.createDirectories(local(drivePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(String drivePath, byte[] content) {
    try {
      Files.createDirectories(local(drivePath).getParent());
      Files.write(local(drivePath), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
