package io.github.pan4j.core.internal;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Fetches a file's bytes through its link and checks them against the entry: byte count always,
 * MD5 when the entry has one. Errors carry no driver context; the facade adds it.
 */
public final class Downloads {
  private static final int BLOCK = 1 << 16;

  private Downloads() {}

  /**
   * Downloads into {@code target} atomically: the bytes go to a hidden temporary file in the same
   * folder, which replaces {@code target} only once verified, and is deleted on any failure.
   */
  public static void toFile(Link link, Entry entry, Path target, UploadListener listener) {
    Path abs = target.toAbsolutePath();
    Path tmp = createPart(abs);
    boolean done = false;
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        toStream(link, entry, out, listener);
      } catch (IOException e) {
        throw localFailure("cannot write " + tmp, e);
      }
      moveIntoPlace(tmp, abs);
      done = true;
    } finally {
      if (!done) deleteQuietly(tmp);
    }
  }

  /**
   * Copies the bytes to {@code out} (not closed), reporting TRANSFERRING progress and VERIFYING.
   *
   * @throws DriveException INTEGRITY on a size or MD5 mismatch (after the bytes were written),
   *     NETWORK when the body broke off, CANCELLED on interrupt
   */
  public static void toStream(Link link, Entry entry, OutputStream out, UploadListener listener) {
    long expected = entry.size();
    String md5Expected = entry.hashes().md5();
    MessageDigest md5 = md5Expected == null ? null : md5();
    listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, expected, false));
    long done = 0;
    try (Link.Content content = link.open()) {
      InputStream in = content.body();
      byte[] buf = new byte[BLOCK];
      while (true) {
        if (Thread.currentThread().isInterrupted()) throw DriveException.of(ErrorKind.CANCELLED, "download cancelled by interrupt");
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          throw DriveException.builder(ErrorKind.NETWORK, "download broke off after " + done + " bytes: " + e.getMessage())
              .cause(e).build();
        }
        if (n < 0) break;
        try {
          out.write(buf, 0, n);
        } catch (IOException e) {
          throw localFailure("cannot write the downloaded bytes", e);
        }
        if (md5 != null) md5.update(buf, 0, n);
        done += n;
        listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, expected, false));
      }
    }
    listener.phase(new UploadProgress(UploadPhase.VERIFYING, done, expected, false));
    if (expected >= 0 && done != expected) {
      throw DriveException.of(ErrorKind.INTEGRITY, "received " + done + " bytes but the file has " + expected);
    }
    if (md5 != null) {
      String actual = HexFormat.of().formatHex(md5.digest());
      if (!actual.equals(md5Expected)) {
        throw DriveException.of(ErrorKind.INTEGRITY, "MD5 of the received bytes is " + actual + " but the file's is " + md5Expected);
      }
    }
  }

  /**
   * A new hidden {@code .NAME.RANDOM.pan4j-part} next to {@code target}. Created with
   * {@code createFile}, not {@code createTempFile}, so the process's umask decides its permissions
   * (createTempFile always makes owner-only files, and the finished download would keep them).
   */
  private static Path createPart(Path target) {
    for (int attempt = 0; ; attempt++) {
      String random = Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
      try {
        return Files.createFile(target.resolveSibling("." + target.getFileName() + "." + random + ".pan4j-part"));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt >= 5) throw localFailure("cannot create a temporary file next to " + target, e);
      } catch (IOException e) {
        throw localFailure("cannot create a temporary file next to " + target, e);
      }
    }
  }

  private static void moveIntoPlace(Path tmp, Path target) {
    try {
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw localFailure("cannot move the download into place at " + target, e);
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every JDK", e);
    }
  }

  /** Local file trouble is the caller's argument, not the provider's fault. */
  private static DriveException localFailure(String message, IOException e) {
    return DriveException.builder(ErrorKind.INVALID_ARGUMENT, message + ": " + e).cause(e).build();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A leftover hidden .pan4j-part file is harmless; the target is untouched.
    }
  }
}
