package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blob folders of fake clouds that were never closed do not pile up in the temporary folder. */
class BlobDirsTest {
  @TempDir Path tmp;

  private Path dir(String name, String owner) throws Exception {
    Path d = Files.createDirectory(tmp.resolve(BlobDirs.PREFIX + name));
    Files.write(d.resolve("0123abcd-3"), new byte[] {1, 2, 3});
    if (owner != null) Files.writeString(d.resolve(BlobDirs.OWNER), owner);
    return d;
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p.pid();
  }

  @Test
  void sweep_deletesWhatDeadOrReusedOwnersLeft_andNothingOfTheLiving() throws Exception {
    Instant now = Instant.now();
    ProcessHandle me = ProcessHandle.current();
    long myStart = me.info().startInstant().orElseThrow().toEpochMilli();
    Path dead = dir("dead", deadPid() + " 1700000000000");
    Path mine = dir("mine", BlobDirs.ownerLine(me));
    Path reused = dir("reused", me.pid() + " " + (myStart - 60_000)); // our id, an earlier process's start
    Path unknownStart = dir("unknown-start", me.pid() + " -");
    Path garbage = dir("garbage", "not a pid");
    Path youngUnowned = dir("young", null);
    Path oldUnowned = dir("old", null);
    Files.setLastModifiedTime(oldUnowned, FileTime.from(now.minus(Duration.ofDays(2))));
    Path otherName = Files.createDirectory(tmp.resolve("pan4j-fake-cloud123"));

    List<Path> gone = BlobDirs.sweep(tmp, now);

    assertEquals(Set.of(dead, reused, oldUnowned), Set.copyOf(gone));
    for (Path p : gone) assertFalse(Files.exists(p), p + " deleted with its blobs");
    for (Path p : List.of(mine, unknownStart, garbage, youngUnowned, otherName)) assertTrue(Files.exists(p), p + " kept");
  }

  @Test
  void aStore_namesItsOwner_andCloseDeletesItsFolder() throws Exception {
    FakeStore store = new FakeStore(Clock.systemUTC());
    store.putBlob("hello".getBytes(StandardCharsets.UTF_8));
    Path dir = folderOf(store);
    assertEquals(BlobDirs.ownerLine(ProcessHandle.current()), Files.readString(dir.resolve(BlobDirs.OWNER)));
    store.close();
    assertFalse(Files.exists(dir));
  }

  /**
   * A JVM that makes a cloud and exits without closing it; prints the blob folder. With an
   * argument it first waits for its standard input to end, which the test never closes: it is
   * killed while waiting.
   */
  public static final class Leaker {
    public static void main(String[] args) throws Exception {
      FakeStore store = new FakeStore(Clock.systemUTC());
      store.putBlob("left behind".getBytes(StandardCharsets.UTF_8));
      System.out.println(folderOf(store));
      System.out.flush();
      if (args.length > 0) System.in.read(); // blocks until killed
    }
  }

  @Test
  void aStoreNeverClosed_isDeletedAtExit_andOneWhoseJvmWasKilled_byTheNextSweep() throws Exception {
    Path exited = Path.of(leak(false));
    assertFalse(Files.exists(exited), "deleted by the shutdown hook");

    Process killed = start(true);
    Path left = Path.of(new BufferedReader(new InputStreamReader(killed.getInputStream(), StandardCharsets.UTF_8)).readLine());
    killed.destroyForcibly();
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files.exists(left), "kill -9 runs no hook");
    assertTrue(BlobDirs.sweep(left.getParent(), Instant.now()).contains(left));
    assertFalse(Files.exists(left));
  }

  private static String leak(boolean wait) throws Exception {
    Process p = start(wait);
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    return line;
  }

  private static Process start(boolean wait) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Leaker.class.getName()));
    if (wait) cmd.add("wait");
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  static Path folderOf(FakeStore store) {
    return store.blobFolder();
  }
}
