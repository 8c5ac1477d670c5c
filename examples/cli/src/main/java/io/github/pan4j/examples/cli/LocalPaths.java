package io.github.pan4j.examples.cli;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Local files of get and put: where a download goes, its part file, stdin's staged copy. */
final class LocalPaths {
  private LocalPaths() {}

  /**
   * Where {@code get REMOTE LOCAL} writes, following {@code cp}: no LOCAL is the working folder; an
   * existing folder gets the remote name inside it; LOCAL ending in {@code /} must be an existing
   * folder; otherwise LOCAL is the file, and its folder must exist.
   */
  static Path downloadTarget(Env env, String local, String remoteName) {
    if (local == null) return env.cwd().resolve(remoteName);
    Path p = env.expand(local);
    if (Files.isDirectory(p)) return p.resolve(remoteName);
    if (local.endsWith("/") || local.endsWith("/.") || local.equals(".") || local.equals("..")) {
      throw notFound(local, Files.exists(p) ? "is not a folder" : "no such local folder (a LOCAL ending in / must be an existing folder)");
    }
    Path folder = p.toAbsolutePath().getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      throw notFound(local, "the local folder " + folder + " does not exist (create it first, e.g. mkdir -p)");
    }
    return p;
  }

  /**
   * A new hidden part file next to {@code target}, created with the process's umask (so the
   * finished download has the permissions any new file would have). {@code interrupts} learns of
   * it before it exists, so a stop at any moment after its creation removes it.
   */
  static Path createPart(Path target, Interrupts interrupts, java.util.function.Function<Path, String> message) {
    Path folder = target.toAbsolutePath().getParent();
    for (int attempt = 0; ; attempt++) {
      Path part = folder.resolve("." + target.getFileName() + "." + Cli.randomSuffix() + ".pan4j-part");
      interrupts.removeOnInterrupt(part, message.apply(part));
      try {
        return Files.createFile(part);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        interrupts.forget(part); // someone else's file: not ours to remove
        if (attempt > 5) throw local(target, "cannot create a part file next to it", e);
      } catch (IOException e) {
        interrupts.forget(part);
        throw local(target, "cannot create a part file next to it", e);
      }
    }
  }

  /** Copies stdin into a private temporary file, registered with {@code interrupts} before the copy starts. */
  static Path stage(InputStream in, Interrupts interrupts) {
    Path tmp;
    try {
      tmp = Files.createTempFile("pan4j-stdin-", ".part");
    } catch (IOException e) {
      throw local(Path.of(System.getProperty("java.io.tmpdir")), "cannot stage stdin in the temporary folder", e);
    }
    interrupts.removeOnInterrupt(tmp, "the staged copy of stdin was removed; 123 creates the file only if the upload completed");
    boolean ok = false;
    try (OutputStream out = Files.newOutputStream(tmp)) {
      in.transferTo(out);
      ok = true;
      return tmp;
    } catch (IOException e) {
      throw local(tmp, "cannot stage stdin", e);
    } finally {
      if (!ok) {
        Cli.deleteQuietly(tmp);
        interrupts.forget(tmp);
      }
    }
  }

  private static DriveException notFound(String local, String message) {
    return DriveException.builder(ErrorKind.NOT_FOUND, message).operation("get").target(local).build();
  }

  private static DriveException local(Path path, String message, IOException e) {
    return DriveException.builder(ErrorKind.INVALID_ARGUMENT, message + ": " + e.getMessage()).target(path.toString()).cause(e).build();
  }
}
