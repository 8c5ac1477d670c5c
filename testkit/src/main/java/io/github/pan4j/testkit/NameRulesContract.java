package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.spi.Driver;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad names are refused by the driver itself (not only by the facade) with INVALID_NAME or
 * INVALID_ARGUMENT, and nothing is created or changed.
 */
public abstract class NameRulesContract extends ContractSupport {
  private static final Set<ErrorKind> REFUSALS = Set.of(ErrorKind.INVALID_NAME, ErrorKind.INVALID_ARGUMENT);

  /** Names every driver must refuse: a slash, empty, a parent reference, a control character. */
  public static Stream<String> badNames() {
    return Stream.of("a/b", "", "..", "bad\u0001name");
  }

  @ParameterizedTest
  @MethodSource("io.github.pan4j.testkit.NameRulesContract#badNames")
  void mkdir_badName_refusedAndNothingCreated(String bad) {
    assume(Capability.MKDIR);
    String parentId = drive.stat(scratch).id();
    assertFailsWithOneOf(REFUSALS, () -> spi(Driver.Mkdir.class).mkdir(parentId, bad));
    assertEquals(List.of(), names(scratch));
  }

  @ParameterizedTest
  @MethodSource("io.github.pan4j.testkit.NameRulesContract#badNames")
  void rename_badName_refusedAndNothingChanged(String bad) {
    assume(Capability.MKDIR, Capability.RENAME);
    Entry keep = drive.mkdirs(scratch + "/keep");
    assertFailsWithOneOf(REFUSALS, () -> spi(Driver.Rename.class).rename(keep.id(), bad));
    assertFailsWithOneOf(REFUSALS, () -> drive.rename(scratch + "/keep", bad));
    assertEquals(List.of("keep"), names(scratch));
  }

  @ParameterizedTest
  @MethodSource("io.github.pan4j.testkit.NameRulesContract#badNames")
  void upload_badName_refusedAndNothingCreated(String bad) {
    assume(Capability.MKDIR, Capability.UPLOAD);
    String parentId = drive.stat(scratch).id();
    try (UploadSource source = UploadSource.ofBytes(new byte[] {1})) {
      assertFailsWithOneOf(REFUSALS, () -> spi(Driver.Upload.class).upload(parentId, bad, source, UploadOptions.DEFAULT));
    }
    assertEquals(List.of(), names(scratch));
  }

  @Test
  void path_dotSegments_throwInvalidArgument() {
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.stat(scratch + "/../x"));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.stat(scratch + "/./x"));
    assertFails(ErrorKind.INVALID_ARGUMENT, () -> drive.ls("relative/path"));
  }
}
