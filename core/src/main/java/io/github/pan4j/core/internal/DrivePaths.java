package io.github.pan4j.core.internal;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.text.Normalizer;
import java.util.Objects;

/**
 * The path and name rules of {@link io.github.pan4j.core.Drive}, in one place. Errors carry no
 * driver context; the facade adds it.
 */
public final class DrivePaths {
  /** The root path. */
  public static final String ROOT = "/";

  private DrivePaths() {}

  /**
   * Checks and canonicalises a path: NFC, absolute, no empty, {@code .} or {@code ..} segments, no
   * control characters, no trailing slash except for the root itself.
   *
   * @throws DriveException INVALID_ARGUMENT naming the rule that was broken
   */
  public static String normalize(String path) {
    Objects.requireNonNull(path, "path");
    String p = Normalizer.normalize(path, Normalizer.Form.NFC);
    if (p.isEmpty() || p.charAt(0) != '/') {
      throw invalidPath("path must be absolute, starting with '/'");
    }
    if (p.length() == 1) return ROOT;
    if (p.endsWith("/")) {
      throw invalidPath("a trailing '/' is only allowed for the root path '/'; drop it");
    }
    int start = 1;
    while (start <= p.length()) {
      int end = p.indexOf('/', start);
      if (end < 0) end = p.length();
      String problem = nameProblem(p.substring(start, end));
      if (problem != null) throw invalidPath("bad segment: " + problem);
      start = end + 1;
    }
    return p;
  }

  /**
   * Checks a single entry name (as given to rename) and returns it in NFC.
   *
   * @throws DriveException INVALID_NAME naming the rule that was broken
   */
  public static String validateName(String name) {
    Objects.requireNonNull(name, "name");
    String n = Normalizer.normalize(name, Normalizer.Form.NFC);
    if (n.indexOf('/') >= 0) {
      throw DriveException.builder(ErrorKind.INVALID_NAME, "a name must not contain '/' but was '" + printable(n) + "'").build();
    }
    String problem = nameProblem(n);
    if (problem != null) throw DriveException.of(ErrorKind.INVALID_NAME, problem);
    return n;
  }

  /** Why {@code name} is not a valid entry name (assumed free of '/'), or null when it is. */
  static String nameProblem(String name) {
    if (name.isEmpty()) return "a name must not be empty (is there a '//' in the path?)";
    if (name.equals(".") || name.equals("..")) return "'" + name + "' is not a name; '.' and '..' segments are not supported";
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        return String.format("a name must not contain control character U+%04X but was '%s'", (int) c, printable(name));
      }
    }
    if (name.isBlank()) return "a name must not be blank";
    return null;
  }

  /** The parent of a normalised path other than the root. */
  public static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? ROOT : path.substring(0, i);
  }

  /** The last segment of a normalised path other than the root. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code parent} joined with {@code name}. */
  public static String child(String parent, String name) {
    return ROOT.equals(parent) ? ROOT + name : parent + "/" + name;
  }

  /** True when {@code path} is {@code ancestor} or lies below it. */
  public static boolean isSameOrBelow(String path, String ancestor) {
    if (ROOT.equals(ancestor)) return true;
    return path.equals(ancestor) || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
  }

  private static DriveException invalidPath(String message) {
    return DriveException.of(ErrorKind.INVALID_ARGUMENT, message);
  }

  /** The name with control characters shown as {@code \\uXXXX}, so messages stay on one line. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) b.append(String.format("\\u%04X", (int) c));
      else b.append(c);
    }
    return b.toString();
  }
}
