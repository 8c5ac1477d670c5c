package io.github.pan4j.examples.host;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Files that hold secrets (config, mounts, sessions, tokens): written atomically, owner-only. */
final class HostFiles {
  private static final Logger LOG = LoggerFactory.getLogger(HostFiles.class);

  private HostFiles() {}

  /** Writes {@code bytes} to {@code file} through a temp file with mode 600, then moves it in place. */
  static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      ownerOnly(tmp);
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Sets mode 600 where the file system has POSIX modes. */
  static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system; rely on the folder's permissions.
    }
  }

  /** Sets mode 700 on a folder where the file system has POSIX modes. */
  static void ownerOnlyDir(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system.
    }
  }

  /** A secrets file that others can read is narrowed to 600, with a warning. */
  static void tighten(Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
        ownerOnly(file);
        LOG.warn("{} holds secrets but was readable by others ({}); set it to 600", file, PosixFilePermissions.toString(p));
      }
    } catch (UnsupportedOperationException | IOException ignored) {
      // Not a POSIX file system, or the file is not ours to change.
    }
  }
}
