package io.github.pan4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DrivePathsTest {

  @Test
  void normalize_decomposedName_becomesNfc() {
    String decomposed = "/caf\u0065\u0301/r\u00e9sum\u0065\u0301.txt";
    assertEquals("/caf\u00e9/r\u00e9sum\u00e9.txt", DrivePaths.normalize(decomposed));
  }

  @Test
  void normalize_root_staysRoot() {
    assertEquals("/", DrivePaths.normalize("/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a", "/a/b c/d.txt", "/ leading space", "/\u4e2d\u6587/\u6587\u4ef6", "/...", "/a.b/..c"})
  void normalize_validPath_returnedUnchanged(String path) {
    assertEquals(path, DrivePaths.normalize(path));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a/b|absolute",
      "''|absolute",
      "/a/|trailing",
      "/a//b|empty",
      "/a/../b|'.' and '..'",
      "/./a|'.' and '..'",
      "/a/..|'.' and '..'",
      "/a/ /b|blank"})
  void normalize_badPath_throwsInvalidArgumentSayingWhy(String path, String why) {
    DriveException e = assertThrows(DriveException.class, () -> DrivePaths.normalize(path));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains(why), () -> "message '" + e.getMessage() + "' should mention " + why);
  }

  @Test
  void normalize_controlCharacter_throwsInvalidArgumentShowingCodePoint() {
    DriveException e = assertThrows(DriveException.class, () -> DrivePaths.normalize("/a\u0000b"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains("U+0000"), e.getMessage());
    assertFalse(e.getMessage().contains("\u0000"), "message stays printable");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "", "..", ".", "   ", "tab\tname", "nul\u0000", "del\u007f"})
  void validateName_badName_throwsInvalidName(String name) {
    DriveException e = assertThrows(DriveException.class, () -> DrivePaths.validateName(name));
    assertEquals(ErrorKind.INVALID_NAME, e.kind());
  }

  @Test
  void validateName_decomposed_returnsNfc() {
    assertEquals("\u00e9", DrivePaths.validateName("e\u0301"));
  }

  @Test
  void parentNameChild_roundTrip() {
    assertEquals("/", DrivePaths.parent("/a"));
    assertEquals("/a", DrivePaths.parent("/a/b"));
    assertEquals("b", DrivePaths.name("/a/b"));
    assertEquals("/a", DrivePaths.child("/", "a"));
    assertEquals("/a/b", DrivePaths.child("/a", "b"));
  }

  @Test
  void isSameOrBelow_respectsSegmentBoundaries() {
    assertTrue(DrivePaths.isSameOrBelow("/a/b", "/a"));
    assertTrue(DrivePaths.isSameOrBelow("/a", "/a"));
    assertTrue(DrivePaths.isSameOrBelow("/anything", "/"));
    assertFalse(DrivePaths.isSameOrBelow("/ab", "/a"), "/ab is a sibling of /a, not below it");
    assertFalse(DrivePaths.isSameOrBelow("/a", "/a/b"));
  }
}
