package io.github.pan4j.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A name clash names the folder by its path, as the other drivers do, never by an internal id. */
class MemoryDriverClashTest {
  private static final byte[] HI = "hi".getBytes(StandardCharsets.UTF_8);

  @Test
  void aClash_namesTheFolderByItsPath() {
    try (Drive d = Drive.of(new MemoryDriver())) {
      d.mkdirs("/docs/2024");
      d.put("/docs/2024/a.txt", HI);
      d.put("/docs/2024/b.txt", HI);
      DriveException upload = assertThrows(DriveException.class, () -> d.put("/docs/2024/a.txt", HI));
      assertEquals(ErrorKind.ALREADY_EXISTS, upload.kind());
      assertTrue(upload.getMessage().contains("an entry named 'a.txt' already exists in /docs/2024;"), upload.getMessage());
      DriveException rename = assertThrows(DriveException.class, () -> d.rename("/docs/2024/b.txt", "a.txt"));
      assertTrue(rename.getMessage().contains("already exists in /docs/2024;"), rename.getMessage());
      d.put("/a.txt", HI);
      DriveException atRoot = assertThrows(DriveException.class, () -> d.put("/a.txt", HI));
      assertTrue(atRoot.getMessage().contains("an entry named 'a.txt' already exists in /;"), atRoot.getMessage());
      assertFalse(atRoot.getMessage().contains("folder 1") || upload.getMessage().contains("in folder"), upload.getMessage());
    }
  }
}
