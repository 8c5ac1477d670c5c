package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.spi.Driver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;

/**
 * The fixture shared by the operation contracts: a fresh {@link Drive} per test, a unique scratch
 * folder, and helpers for assertions. Extend an operation contract through {@link DriverContract}
 * rather than directly.
 */
public abstract class ContractSupport {
  /** The drive under test, opened before each test and closed after it. */
  protected Drive drive;
  /** This test's own folder: created when the driver has MKDIR. */
  protected String scratch;

  /** The suite whose hooks this test uses. */
  protected abstract DriverContract contract();

  @BeforeEach
  void openFixture(TestInfo info) {
    drive = contract().openDrive();
    String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
    scratch = contract().scratchRoot() + "/" + method + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    if (drive.supports(Capability.MKDIR)) drive.mkdirs(scratch);
  }

  @AfterEach
  void closeFixture() {
    try {
      if (drive.supports(Capability.MKDIR) && drive.supports(Capability.REMOVE)) drive.remove(scratch);
    } finally {
      drive.close();
    }
  }

  /** Skips the test unless the drive has every capability given. */
  protected void assume(Capability... needed) {
    for (Capability c : needed) {
      Assumptions.assumeTrue(drive.supports(c), () -> drive.id() + " lacks " + c + "; test skipped");
    }
  }

  /** The driver as one of its SPI interfaces (call only after {@link #assume}). */
  protected <T> T spi(Class<T> type) {
    return type.cast(drive.driver());
  }

  /** The SPI's Driver. */
  protected Driver driver() {
    return drive.driver();
  }

  /** Asserts that {@code call} throws a DriveException of {@code kind} and returns it. */
  protected static DriveException assertFails(ErrorKind kind, Executable call) {
    DriveException e = assertThrows(DriveException.class, call);
    assertEquals(kind, e.kind(), () -> "kind of " + e);
    return e;
  }

  /** Asserts that {@code call} throws a DriveException of one of {@code kinds} and returns it. */
  protected static DriveException assertFailsWithOneOf(Set<ErrorKind> kinds, Executable call) {
    DriveException e = assertThrows(DriveException.class, call);
    assertTrue(kinds.contains(e.kind()), () -> "expected one of " + kinds + " but got " + e.kind() + ": " + e);
    return e;
  }

  /** A file with {@code content} in this test's scratch folder (or the driver's fixture). */
  protected String seedFile(String name, byte[] content) {
    return contract().seedFile(drive, scratch, name, content);
  }

  /** Deterministic pseudo-random bytes. */
  protected static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The whole content behind {@code path}'s link. */
  protected byte[] download(String path) {
    return read(drive.link(path), 0, -1);
  }

  /** {@code length} bytes from {@code offset} through a link. */
  protected static byte[] read(Link link, long offset, long length) {
    try (Link.Content c = link.open(offset, length)) {
      return c.body().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names in folder {@code path}, in listing order. */
  protected List<String> names(String path) {
    try (Stream<Entry> s = drive.list(path)) {
      return s.map(Entry::name).toList();
    }
  }

  /** Names in folder {@code path}, as a set. */
  protected Set<String> nameSet(String path) {
    return names(path).stream().collect(Collectors.toSet());
  }

  protected static String md5(byte[] b) {
    return hex("MD5", b);
  }

  protected static String sha1(byte[] b) {
    return hex("SHA-1", b);
  }

  /** Asserts equal content, reporting sizes and hashes rather than dumping bytes. */
  protected static void assertSameBytes(byte[] expected, byte[] actual, String what) {
    if (!Arrays.equals(expected, actual)) {
      throw new AssertionError(what + ": expected " + expected.length + " bytes (md5 " + md5(expected) + ") but got "
          + actual.length + " bytes (md5 " + md5(actual) + ")");
    }
  }

  private static String hex(String algorithm, byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
