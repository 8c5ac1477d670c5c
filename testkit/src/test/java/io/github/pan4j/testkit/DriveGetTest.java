package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.memory.MemoryDriver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads are verified and atomic: a bad download never leaves a file (or half a file) behind. */
class DriveGetTest {
  @TempDir
  Path dir;

  private final MemoryDriver memory = new MemoryDriver();
  private final byte[] content = content();

  private static byte[] content() {
    byte[] b = new byte[300_000];
    new Random(1).nextBytes(b);
    return b;
  }

  /** A drive over the memory driver, with {@code /f.bin} stored, whose links are tampered with. */
  private Drive tampered(UnaryOperator<InputStream> tamper) {
    try (UploadSource source = UploadSource.ofBytes(content)) {
      memory.upload(MemoryDriver.ROOT_ID, "f.bin", source, UploadOptions.DEFAULT);
    }
    return Drive.of(new TamperingDriver(memory, tamper));
  }

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void get_toFile_writesBytesAndReplacesExistingTarget() throws IOException {
    Path target = Files.write(dir.resolve("out.bin"), new byte[] {9, 9, 9});
    try (Drive d = tampered(UnaryOperator.identity())) {
      Entry e = d.get("/f.bin", target);
      assertEquals("/f.bin", e.path());
    }
    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals(List.of(target), filesInDir(), "no temporary file left");
  }

  @Test
  void get_truncatedBody_throwsIntegrityAndWritesNothing() throws IOException {
    Path target = dir.resolve("out.bin");
    try (Drive d = tampered(TamperingDriver.truncate())) {
      DriveException e = assertThrows(DriveException.class, () -> d.get("/f.bin", target));
      assertEquals(ErrorKind.INTEGRITY, e.kind());
      assertTrue(e.getMessage().contains("received 299999 bytes but the file has 300000"), e.getMessage());
      assertEquals("get", e.operation().orElseThrow());
      assertEquals("/f.bin", e.target().orElseThrow());
    }
    assertFalse(Files.exists(target), "target not created");
    assertEquals(List.of(), filesInDir(), "no temporary file left");
  }

  @Test
  void get_corruptedBody_throwsIntegrityAndKeepsExistingTarget() throws IOException {
    Path target = Files.write(dir.resolve("out.bin"), new byte[] {9, 9, 9});
    try (Drive d = tampered(TamperingDriver.flipFirstByte())) {
      DriveException e = assertThrows(DriveException.class, () -> d.get("/f.bin", target));
      assertEquals(ErrorKind.INTEGRITY, e.kind());
      assertTrue(e.getMessage().contains("MD5"), e.getMessage());
    }
    assertArrayEquals(new byte[] {9, 9, 9}, Files.readAllBytes(target), "previous content untouched");
    assertEquals(List.of(target), filesInDir());
  }

  @Test
  void get_connectionDrops_throwsNetworkAndWritesNothing() throws IOException {
    Path target = dir.resolve("out.bin");
    try (Drive d = tampered(TamperingDriver.breakAfter(1000))) {
      DriveException e = assertThrows(DriveException.class, () -> d.get("/f.bin", target));
      assertEquals(ErrorKind.NETWORK, e.kind());
      assertTrue(e.retryable(), "a dropped download may be retried");
    }
    assertEquals(List.of(), filesInDir());
  }

  @Test
  void get_listener_seesTransferVerifyDoneAndOneCompletion() {
    RecordingUploadListener rec = new RecordingUploadListener();
    try (Drive d = tampered(UnaryOperator.identity())) {
      d.get("/f.bin", dir.resolve("out.bin"), rec);
    }
    assertEquals(List.of(UploadPhase.TRANSFERRING, UploadPhase.VERIFYING, UploadPhase.DONE), rec.phases());
    assertEquals(content.length, rec.bytesDone(UploadPhase.TRANSFERRING));
    rec.assertPhasesInOrder();
    assertEquals("/f.bin", rec.assertCompletedOnce().path());
  }

  @Test
  void get_listenerOnIntegrityFailure_seesOneFailure() {
    RecordingUploadListener rec = new RecordingUploadListener();
    try (Drive d = tampered(TamperingDriver.truncate())) {
      assertThrows(DriveException.class, () -> d.get("/f.bin", dir.resolve("out.bin"), rec));
    }
    rec.assertFailedOnce(ErrorKind.INTEGRITY);
  }

  @Test
  void get_throwingListener_isIgnored() throws IOException {
    UploadListener rude = new UploadListener() {
      @Override
      public void progressed(UploadProgress progress) {
        throw new IllegalStateException("listener bug");
      }
    };
    Path target = dir.resolve("out.bin");
    try (Drive d = tampered(UnaryOperator.identity())) {
      d.get("/f.bin", target, rude);
    }
    assertArrayEquals(content, Files.readAllBytes(target));
  }

  @Test
  void get_toOutputStream_truncatedBodyThrowsIntegrity() {
    try (Drive d = tampered(TamperingDriver.truncate())) {
      DriveException e = assertThrows(DriveException.class, () -> d.get("/f.bin", new ByteArrayOutputStream()));
      assertEquals(ErrorKind.INTEGRITY, e.kind());
    }
  }

  @Test
  void get_folder_throwsIsADirectory() {
    memory.mkdir(MemoryDriver.ROOT_ID, "dir");
    try (Drive d = Drive.of(new TamperingDriver(memory, UnaryOperator.identity()))) {
      DriveException e = assertThrows(DriveException.class, () -> d.get("/dir", dir.resolve("out.bin")));
      assertEquals(ErrorKind.IS_A_DIRECTORY, e.kind());
    }
  }
}
