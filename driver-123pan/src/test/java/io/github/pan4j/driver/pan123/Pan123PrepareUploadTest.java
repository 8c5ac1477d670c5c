package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadProgress;
import io.github.pan4j.core.UploadSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's {@code prepareUpload}: the whole-file MD5 the driver will ask for, started before any driver exists. */
class Pan123PrepareUploadTest {
  @Test
  void prepareUpload_startsTheWholeFileMd5_onItsOwnThread(@TempDir Path tmp) throws Exception {
    byte[] data = new byte[(3 << 20) + 7];
    new Random(5).nextBytes(data);
    try (UploadSource s = UploadSource.ofFile(Files.write(tmp.resolve("a.bin"), data))) {
      Pan123Provider provider = new Pan123Provider();
      provider.prepareUpload(provider.parse(Map.of("username", "13800000000", "password", "secret")), s);
      List<Thread> readers = new CopyOnWriteArrayList<>();
      String md5 = s.hashes(new UploadListener() {
        @Override
        public void progressed(UploadProgress p) {
          readers.add(Thread.currentThread());
        }
      }, false, 0).md5(); // what the driver's upload asks for
      assertFalse(readers.contains(Thread.currentThread()), "the pass ran ahead, not when asked");
      assertEquals(data.length, s.bytesRead(), "read once");
      assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data)), md5);
      assertTrue(s.sliceMd5s(16L << 20).isEmpty(), "no slice MD5s: the web protocol does not use them");
    }
  }
}
