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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Fetches a file's bytes through its link and checks them against the entry: byte count always,
 * MD5 when the entry has one. Errors carry no driver context; the facade adds it.
 */
public final class Downloads {
  /** What to do about bytes that are not the file: said after each integrity failure of a download. */
  static final String NOT_THE_FILE = "; what arrived is not the file (cut short, changed meanwhile, or a page of"
      + " something in between such as a proxy): download it again, and if it keeps happening check the network";

  /** The buffer of the single-thread path. */
  private static final int BLOCK = 1 << 16;
  /** Bodies from this size on (when abortable) are read on a helper thread; smaller ones take no thread hop. */
  static final long PIPELINE_MIN = 4L << 20;
  /** A chunk handed from the reading thread to the hashing one: under G1's humongous size for small heaps. */
  static final int CHUNK = 256 << 10;
  /** Chunks of one download: its whole buffer memory. */
  static final int CHUNKS = 6;

  private Downloads() {}

  /**
   * Downloads into {@code target} atomically: the bytes go to a hidden temporary file in the same
   * folder, which replaces {@code target} only once verified, and is deleted on any failure.
   *
   * @return the bytes received (for a file listed without a size, more than {@code entry.size()})
   */
  public static long toFile(Link link, Entry entry, Path target, UploadListener listener) {
    Path abs = target.toAbsolutePath();
    Path tmp = createPart(abs);
    boolean done = false;
    long received;
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        received = toStream(link, entry, out, listener);
      } catch (IOException e) {
        throw localFailure("cannot write " + tmp, e);
      }
      moveIntoPlace(tmp, abs);
      done = true;
    } finally {
      if (!done) deleteQuietly(tmp);
    }
    return received;
  }

  /**
   * Copies the bytes to {@code out} (not closed), reporting TRANSFERRING progress and VERIFYING.
   * Size and MD5 are checked in the same pass as the writing. A large body that can be aborted
   * from another thread (see {@link CancellableBody}) is read from the network and hashed on two
   * helper threads while this thread writes, so the MD5 overlaps the transfer and the write;
   * memory stays at {@value #CHUNKS} chunks of {@value #CHUNK} bytes, and {@code out} is only
   * written by the calling thread.
   *
   * @throws DriveException INTEGRITY on a size or MD5 mismatch (after the bytes were written),
   *     NETWORK when the body broke off, CANCELLED on interrupt or when the driver was closed meanwhile
   * @return the bytes received (for a file listed without a size, more than {@code entry.size()})
   */
  public static long toStream(Link link, Entry entry, OutputStream out, UploadListener listener) {
    long expected = expectedSize(link, entry);
    String md5Expected = entry.hashes().md5();
    MessageDigest md5 = md5Expected == null ? null : md5();
    listener.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, expected, false));
    // One byte past the announced size is enough to tell "too long"; the rest is never read.
    long limit = expected >= 0 ? expected + 1 : Long.MAX_VALUE;
    Link.Content content = link.open(0, -1); // unchecked: the checks are made here, once
    long done;
    if (content.body() instanceof CancellableBody body && expected >= PIPELINE_MIN) {
      done = pipelined(content, body, limit, expected, md5, out, listener);
    } else {
      // A read blocked on the socket does not see an interrupt: for a body that can be aborted, a
      // watch aborts it once the caller is interrupted, and the read fails at once (CANCELLED).
      java.util.concurrent.Future<?> watch = content.body() instanceof CancellableBody body
          ? watchInterrupt(Thread.currentThread(), body) : null;
      try (content) {
        boolean toItsEnd = false;
        try {
          done = direct(content.body(), limit, expected, md5, out, listener);
          toItsEnd = done < limit;
        } finally {
          // Stopped before the body's end (interrupt, failed write, longer than announced): an
          // abort, as on the pipelined path, and not a reader that took what it wanted.
          if (!toItsEnd && content.body() instanceof CancellableBody body) body.cancel();
        }
      } finally {
        if (watch != null) watch.cancel(false);
      }
    }
    listener.phase(new UploadProgress(UploadPhase.VERIFYING, done, expected, false));
    if (expected >= 0 && done > expected) {
      throw DriveException.of(ErrorKind.INTEGRITY, "received more than the " + expected + " bytes the file has" + NOT_THE_FILE);
    }
    if (expected >= 0 && done != expected) {
      throw DriveException.of(ErrorKind.INTEGRITY, "received " + done + " bytes but the file has " + expected + NOT_THE_FILE);
    }
    if (md5 != null) {
      String actual = HexFormat.of().formatHex(md5.digest());
      if (!actual.equals(md5Expected)) {
        throw DriveException.of(ErrorKind.INTEGRITY, "MD5 of the received bytes is " + actual + " but the file's is " + md5Expected
            + NOT_THE_FILE);
      }
    }
    return done;
  }

  /**
   * The byte count to check, or -1 when unknown: a file listed as 0 bytes whose link states no
   * length is one whose size the provider did not give (a 123link line without a size, listed as 0
   * as OpenList does), not an empty file; its MD5, when the entry has one, is still checked.
   */
  static long expectedSize(Link link, Entry entry) {
    return entry.size() == 0 && link.contentLength().isEmpty() ? -1 : entry.size();
  }

  /** Small bodies, and streams nobody can abort from another thread: read, hash, write on this thread. */
  private static long direct(InputStream in, long limit, long expected, MessageDigest md5, OutputStream out,
      UploadListener listener) {
    byte[] buf = new byte[BLOCK];
    long done = 0;
    while (done < limit) {
      if (Thread.currentThread().isInterrupted()) throw cancelled();
      int n;
      try {
        n = in.read(buf, 0, (int) Math.min(buf.length, limit - done));
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) throw cancelled(); // the watch aborted it
        throw brokeOff(done, expected, e);
      }
      if (n < 0) break;
      write(out, buf, n);
      if (md5 != null) md5.update(buf, 0, n);
      done += n;
      listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, expected, false));
    }
    return done;
  }

  /**
   * Large bodies, in three stages that run at once: a helper thread fills reused chunks from the
   * network, this thread writes each chunk to {@code out} (so the caller's stream only ever sees
   * the caller's thread) and a second helper hashes it and hands the chunk back. Writing a new
   * file and hashing cost about the same per byte, so neither waits for the other. Whatever ends
   * this thread's loop early (interrupt, a failed write, the network) aborts the transfer and
   * waits for both helpers, so nothing runs on after return.
   */
  private static long pipelined(Link.Content content, CancellableBody body, long limit, long expected,
      MessageDigest md5, OutputStream out, UploadListener listener) {
    ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    for (int i = 0; i < CHUNKS; i++) free.add(new byte[CHUNK]);
    // Room for every chunk plus the end marker: no stage ever blocks handing over.
    ArrayBlockingQueue<Object> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
    ArrayBlockingQueue<Object> toHash = new ArrayBlockingQueue<>(CHUNKS + 1);
    Thread reader = helper(() -> readChunks(content, body, limit, free, filled), "pan4j-download-reader");
    Thread hasher = md5 == null ? null : helper(() -> hashChunks(md5, toHash, free), "pan4j-download-md5");
    long done = 0;
    boolean finished = false;
    try {
      while (true) {
        Object item;
        try {
          item = filled.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw cancelled();
        }
        if (item instanceof Failure f) {
          if (f.error instanceof IOException io) throw brokeOff(f.received, expected, io);
          if (f.error instanceof Error err) throw err;
          throw (RuntimeException) f.error;
        }
        if (!(item instanceof Chunk c)) break; // END
        if (Thread.currentThread().isInterrupted()) throw cancelled();
        write(out, c.bytes, c.length);
        if (hasher != null) toHash.add(c);
        else free.add(c.bytes);
        done += c.length;
        listener.progressed(new UploadProgress(UploadPhase.TRANSFERRING, done, expected, false));
      }
      if (hasher != null) toHash.add(END);
      finished = true;
    } finally {
      if (!finished) {
        body.cancel();
        reader.interrupt();
        if (hasher != null) hasher.interrupt();
      }
      joinUninterruptibly(reader);
      if (hasher != null) joinUninterruptibly(hasher); // md5 is complete (and visible) once it ends
    }
    return done;
  }

  /** How often a watch looks whether the caller of a single-thread download was interrupted. */
  static final long WATCH_MILLIS = 20;

  /** Aborts {@code body} once {@code caller} is interrupted; cancel the result when the read is over. */
  private static java.util.concurrent.Future<?> watchInterrupt(Thread caller, CancellableBody body) {
    return Watches.shared().scheduleWithFixedDelay(() -> {
      if (caller.isInterrupted()) body.cancel();
    }, WATCH_MILLIS, WATCH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static Thread helper(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The hashing helper: updates the MD5 with each chunk in order and hands the chunk back. */
  private static void hashChunks(MessageDigest md5, BlockingQueue<Object> toHash, BlockingQueue<byte[]> free) {
    try {
      while (toHash.take() instanceof Chunk c) {
        md5.update(c.bytes, 0, c.length);
        free.add(c.bytes);
      }
    } catch (InterruptedException e) {
      // the download was aborted; its MD5 is not wanted
    }
  }

  /** The helper thread: reads chunks until the end, the limit, a failure, or an interrupt; closes the body. */
  private static void readChunks(Link.Content content, CancellableBody body, long limit,
      BlockingQueue<byte[]> free, BlockingQueue<Object> filled) {
    long received = 0;
    Object last = END;
    try {
      boolean end = false;
      while (!end && received < limit) {
        byte[] buf = free.take();
        int n = 0;
        while (n < buf.length && received < limit) {
          int r = body.read(buf, n, (int) Math.min(buf.length - n, limit - received));
          if (r < 0) {
            end = true;
            break;
          }
          n += r;
          received += r;
        }
        if (n > 0) filled.add(new Chunk(buf, n));
      }
      if (!end) body.cancel(); // the limit: longer than announced, the rest is not wanted
    } catch (InterruptedException e) {
      last = null; // the consumer gave up and is not listening
    } catch (IOException | RuntimeException | Error e) {
      last = new Failure(received, e);
    } finally {
      content.close();
      if (last != null) filled.add(last);
    }
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // join cleared the flag; wait on, then restore it
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private record Chunk(byte[] bytes, int length) {}

  private record Failure(long received, Throwable error) {}

  private static final Object END = new Object();

  private static void write(OutputStream out, byte[] buf, int n) {
    try {
      out.write(buf, 0, n);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw cancelled(); // an interrupt during a FileChannel write closes the file: a cancel, not a bad target
    } catch (IOException e) {
      throw localFailure("cannot write the downloaded bytes", e);
    }
  }

  /**
   * NETWORK, retryable: the body ended early; says why (a read timeout: the server went silent) and
   * what to do. A read that failed with a {@link DriveException} as its cause (the driver closed
   * under it) fails with that one.
   */
  private static DriveException brokeOff(long done, long expected, IOException e) {
    // The body's own verdict (CANCELLED: its driver was closed under it) is the failure as it is.
    if (e.getCause() instanceof DriveException d) return d;
    String why = e instanceof java.net.SocketTimeoutException
        ? "the server sent nothing more within the read timeout (" + e.getMessage() + ")"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return DriveException.builder(ErrorKind.NETWORK, "download broke off after " + done
            + (expected >= 0 ? " of " + expected : "") + " bytes: " + why
            + "; the bytes received are not the whole file, download it again")
        .retryable(true).cause(e).build();
  }

  private static DriveException cancelled() {
    return DriveException.of(ErrorKind.CANCELLED, "download cancelled by interrupt");
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
