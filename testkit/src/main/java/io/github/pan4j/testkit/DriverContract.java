package io.github.pan4j.testkit;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.spi.Driver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;

/**
 * The contract every pan4j driver must meet, as a JUnit 5 suite. A driver module extends it once:
 *
 * <pre>{@code
 * class Open123ContractTest extends DriverContract {
 *   final Fake123Server server = …;
 *
 *   @Override protected Drive openDrive() {
 *     return Drive.of(new Open123Provider().openWith(Map.of(…server url…), context));
 *   }
 * }
 * }</pre>
 *
 * <p>The suite is split by operation into nested classes ({@link ListContract},
 * {@link UploadContract}, …). Every test first checks the drive's capabilities with
 * {@code Assumptions}, so a read-only driver skips the write tests instead of failing; and
 * {@link CapabilityContract} calls every operation a driver's type declares, so an operation
 * implemented as a throwing stub fails the build.
 *
 * <p>Each test opens a fresh drive with {@link #openDrive()}, works in its own folder under
 * {@link #scratchRoot()} (created when the driver has MKDIR, removed afterwards when it has
 * REMOVE) and closes the drive. Read-only drivers supply their fixtures through
 * {@link #seedFile}, {@link #seedFolderWithFiles}, {@link #seedEmptyFolder} and {@link #seedTree}.
 *
 * <p>Size the run with {@link #bulkListCount()} (more than one page of the driver) and
 * {@link #multiSliceSize()} (more than one upload slice); state provider quirks with
 * {@link #supportsEmptyFiles()}, {@link #allowsDuplicateNames()} and {@link #listsInOnePage()}.
 */
public abstract class DriverContract {

  /** A new drive over the driver under test. The suite closes it after each test. */
  protected abstract Drive openDrive();

  /**
   * The folder the suite works under; each test makes a unique subfolder. Default
   * {@code /pan4j-contract}. Live tests point this at a throw-away folder.
   */
  protected String scratchRoot() {
    return "/pan4j-contract";
  }

  /**
   * How many entries the bulk listing tests need: more than one page of the driver. Default 2,500.
   */
  protected int bulkListCount() {
    return 2_500;
  }

  /**
   * Whether the driver answers a whole folder in one page: {@code list(folderId, null)} returns every
   * entry and no next cursor, as a driver over a source that never pages may (a local folder, a map,
   * an API that returns everything). When true, the suite skips its cursor test and checks instead
   * that one page holds all {@link #bulkListCount()} entries with no next cursor. Default false: the
   * driver pages, and the suite follows its cursors.
   */
  protected boolean listsInOnePage() {
    return false;
  }

  /** A file size that needs several upload slices on this driver. Default 3 MiB + 7 bytes. */
  protected long multiSliceSize() {
    return 3L * 1024 * 1024 + 7;
  }

  /**
   * Whether the provider stores 0-byte files. When false, the suite expects an empty upload to be
   * refused cleanly with INVALID_ARGUMENT and nothing created.
   */
  protected boolean supportsEmptyFiles() {
    return true;
  }

  /**
   * Whether the provider lets one folder hold two entries of one name. When true, the suite does
   * not expect mkdir, rename, move or copy to refuse a clash.
   */
  protected boolean allowsDuplicateNames() {
    return false;
  }

  /**
   * An id that is well-formed for this driver but names nothing. The default creates and removes
   * a folder when the driver can, else returns {@code "987654321987"}.
   */
  protected String missingId(Drive drive, String scratch) {
    if (drive.supports(Capability.MKDIR) && drive.supports(Capability.REMOVE)) {
      Entry e = drive.mkdirs(scratch + "/gone");
      drive.remove(scratch + "/gone");
      return e.id();
    }
    return "987654321987";
  }

  /**
   * Makes a file with {@code content} and returns its path. The default uploads it into
   * {@code scratch}; a read-only driver overrides this to point at (or create through its fake
   * server) a file with that content, or aborts the test with {@code Assumptions.abort}.
   */
  protected String seedFile(Drive drive, String scratch, String name, byte[] content) {
    Assumptions.assumeTrue(drive.supports(Capability.UPLOAD) && drive.supports(Capability.MKDIR),
        "override seedFile(...) to give this read-only driver file fixtures");
    return drive.put(scratch + "/" + name, content).path();
  }

  /**
   * Makes a folder holding exactly {@code count} entries with distinct names and returns its path.
   * The default creates {@code count} folders through the driver's own mkdir (one cheap call each on
   * every provider). A read-only driver overrides this to point at a large fixture folder.
   */
  protected String seedFolderWithFiles(Drive drive, String scratch, int count) {
    Assumptions.assumeTrue(drive.supports(Capability.MKDIR),
        "override seedFolderWithFiles(...) to give this read-only driver a large folder");
    Entry folder = drive.mkdirs(scratch + "/bulk");
    Driver.Mkdir mk = (Driver.Mkdir) drive.driver();
    for (int i = 0; i < count; i++) mk.mkdir(folder.id(), String.format("d%05d", i));
    return folder.path();
  }

  /**
   * Makes an empty folder and returns its path. The default creates one in {@code scratch}; a
   * read-only driver overrides this to point at an empty fixture folder, or aborts the test with
   * {@code Assumptions.abort}.
   */
  protected String seedEmptyFolder(Drive drive, String scratch) {
    Assumptions.assumeTrue(drive.supports(Capability.MKDIR),
        "override seedEmptyFolder(...) to give this read-only driver an empty folder");
    return drive.mkdirs(scratch + "/empty").path();
  }

  /**
   * Makes a small tree and returns the path of its top folder: the folders {@code a}, {@code a/b}
   * and {@code c} and the files {@code a/x.txt}, {@code a/b/y.txt} and {@code z.txt} (one byte
   * each), nothing else. The default creates it in {@code scratch}; a read-only driver overrides
   * this to point at such a fixture, or aborts the test with {@code Assumptions.abort}.
   */
  protected String seedTree(Drive drive, String scratch) {
    Assumptions.assumeTrue(drive.supports(Capability.MKDIR) && drive.supports(Capability.UPLOAD),
        "override seedTree(...) to give this read-only driver a small tree");
    String top = scratch + "/tree";
    drive.mkdirs(top + "/a/b");
    drive.mkdirs(top + "/c");
    drive.put(top + "/a/x.txt", new byte[] {1});
    drive.put(top + "/a/b/y.txt", new byte[] {2});
    drive.put(top + "/z.txt", new byte[] {3});
    return top;
  }

  /**
   * Called after an offline download succeeded and before the suite looks for its file. A
   * provider whose listing lags behind files it created itself (not through this driver) needs
   * time here; a test against a fake advances the fake's clock. Default: nothing.
   */
  protected void afterOfflineDownload(Drive drive) {
  }

  // One nested class per operation; each hands the suite back to its tests.

  @Nested
  class Capabilities extends CapabilityContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Listing extends ListContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class NotFound extends NotFoundContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Mkdir extends MkdirContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Rename extends RenameContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Move extends MoveContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Remove extends RemoveContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Copy extends CopyContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Upload extends UploadContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Links extends LinkContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class NameRules extends NameRulesContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Storage extends StorageContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Shares extends ShareContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Trash extends TrashContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Offline extends OfflineContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class InstantUpload extends InstantUploadContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }

  @Nested
  class Close extends CloseContract {
    @Override protected DriverContract contract() { return DriverContract.this; }
  }
}
